"""Giving memory back to the system after a big request or task.

A 40 MB upload leaves a web process holding what its parser and importer freed: CPython
returns freed objects to glibc's allocator, which keeps the pages for the next allocation
(a gunicorn worker stayed ~25 MB bigger after one upload, for good). `malloc_trim(0)`
returns the free pages at the top and in the middle of the heap. Called after requests with
a body bigger than Django keeps in memory, and after every Celery task; a no-op where the C
library has no `malloc_trim` (macOS, musl).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


def _trim() -> Callable[[int], int] | None:
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        return libc.malloc_trim
    except (OSError, AttributeError):
        return None


_malloc_trim = _trim()


def release_memory() -> None:
    """Collect cycles, then give the allocator's free pages back to the system."""
    gc.collect()
    if _malloc_trim is not None:
        _malloc_trim(0)


class ReleaseMemoryAfterBigRequests:
    """After a request whose body was bigger than `FILE_UPLOAD_MAX_MEMORY_SIZE` (an upload,
    a big import): `release_memory()`. Small requests cost nothing here."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        try:
            size = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            size = 0
        if size > settings.FILE_UPLOAD_MAX_MEMORY_SIZE:
            release_memory()
        return response
