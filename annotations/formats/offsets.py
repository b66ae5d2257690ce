"""Code point ⇄ UTF-16 code unit offsets, for tools that index text like JavaScript does.

Only characters outside the Basic Multilingual Plane (emoji, flags, skin tones) take two UTF-16
units, so text without them needs no table: that fast path covers nearly all news text.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def _identity(offset: int) -> int:
    return offset


def to_utf16(text: str) -> Callable[[int], int]:
    """Return a function mapping a code point offset in ``text`` to a UTF-16 offset."""
    if text.isascii():
        return _identity
    astral = [m.start() for m in _ASTRAL.finditer(text)]
    if not astral:
        return _identity
    # each astral character before the offset adds one extra unit
    return lambda offset: offset + bisect_left(astral, offset)


def from_utf16(text: str) -> Callable[[int], int]:
    """Return a function mapping a UTF-16 offset to a code point offset in ``text``.

    The function raises ``ValueError`` for an offset that falls between the two halves of a
    surrogate pair: such an offset cannot be represented in code points.
    """
    if text.isascii():
        return _identity
    astral = [m.start() for m in _ASTRAL.finditer(text)]
    if not astral:
        return _identity
    units = [pos + i for i, pos in enumerate(astral)]  # UTF-16 offset of each astral character

    def convert(offset: int) -> int:
        before = bisect_left(units, offset)
        if before and units[before - 1] + 1 == offset:
            raise ValueError(f"UTF-16 offset {offset} splits a surrogate pair")
        return offset - before

    return convert
