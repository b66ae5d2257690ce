"""Code point ⇄ UTF-16 code unit and grapheme cluster offsets, for tools that index text like
JavaScript does (doccano, by default) or by user-perceived characters (doccano's grapheme mode).

Only characters outside the Basic Multilingual Plane (emoji, flags, skin tones) take two UTF-16
units, so text without them needs no table: that fast path covers nearly all news text.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable

import regex

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


# -- grapheme clusters ---------------------------------------------------------------------
# doccano's "Count grapheme clusters as one character" mode stores offsets in user-perceived
# characters: a flag, a ZWJ family or a letter with combining marks counts as one. Clusters
# are Unicode's extended grapheme clusters (UAX #29), segmented by the `regex` module's \X
# (DECISIONS.md 31), never by a rule of ours.
_CLUSTER = regex.compile(r"\X")


def grapheme_starts(text: str) -> list[int]:
    """Code point offset of each grapheme cluster's start, then ``len(text)``."""
    starts = [m.start() for m in _CLUSTER.finditer(text)]
    starts.append(len(text))
    return starts


def to_graphemes(text: str) -> Callable[[int], int]:
    """Map a code point offset to a grapheme cluster offset; ``ValueError`` for an offset
    inside a cluster (between a letter and its combining mark, inside an emoji sequence)."""
    if text.isascii() and "\r\n" not in text:
        return _identity
    starts = grapheme_starts(text)
    if len(starts) == len(text) + 1:
        return _identity

    def convert(offset: int) -> int:
        index = bisect_left(starts, offset)
        if index == len(starts) or starts[index] != offset:
            raise ValueError(f"code point offset {offset} falls inside a grapheme cluster")
        return index

    return convert


def from_graphemes(text: str) -> Callable[[int], int]:
    """Map a grapheme cluster offset to a code point offset; ``ValueError`` past the end."""
    if text.isascii() and "\r\n" not in text:
        return _identity
    starts = grapheme_starts(text)
    if len(starts) == len(text) + 1:
        return _identity

    def convert(offset: int) -> int:
        if not 0 <= offset < len(starts):
            raise ValueError(f"grapheme offset {offset} is past the end ({len(starts) - 1})")
        return starts[offset]

    return convert


# -- by unit name --------------------------------------------------------------------------
# What a foreign file's offsets may count. code_point is ours; the others convert.
UNITS = ("utf16", "code_point", "grapheme")


def encoder(unit: str, text: str) -> Callable[[int], int]:
    """Code points → ``unit`` for ``text`` (``ValueError`` where the unit has no offset)."""
    if unit == "utf16":
        return to_utf16(text)
    if unit == "grapheme":
        return to_graphemes(text)
    if unit == "code_point":
        return _identity
    raise ValueError(f"unknown offset unit {unit!r}")


def decoder(unit: str, text: str) -> Callable[[int], int]:
    """``unit`` → code points for ``text`` (``ValueError`` for an offset that is not one)."""
    if unit == "utf16":
        return from_utf16(text)
    if unit == "grapheme":
        return from_graphemes(text)
    if unit == "code_point":
        return _identity
    raise ValueError(f"unknown offset unit {unit!r}")
