"""Writes: one atomic, keyword-only function per use case, named `<entity>_<action>`."""
