# ruff: noqa: RUF001 -- this file is about quotation marks and dashes
"""Entities from the project's own gold: every further occurrence of a labelled string.

    lexicon = GoldEntities([("NATO", "ORG"), ("Jens Stoltenberg", "PER"), ...])
    lexicon.find(text, skip=already_annotated)  -> list[EntitySuggestion]

- One compiled pattern: the strings are merged into a character trie and written as one
  regular expression, so a scan costs about the same with 10 or 10,000 strings.
- Word boundaries are Unicode-aware: a match may not start or end inside a word, where a
  word is letters and digits of any script plus combining marks (so "भार" is not found inside
  "भारी", and "NATO" not inside "NATOs"). Strings that begin or end with punctuation follow
  the same rule on their word characters' side only in effect: punctuation is no word char.
- Case is exact ("Bank" is not "bank"), with one exception: a string labelled in lower case
  also matches with a capital first letter where a sentence starts ("pemerintah" → "Pemerintah
  …" at the start of a sentence), because that capital is orthography, not a name.
- At each position the longest string wins, scanning left to right; matches never overlap
  each other, and matches overlapping a `skip` span (what is already annotated) are dropped.
- A string labelled differently in gold takes its majority label, with the majority's share
  as score; a tie is ambiguous and the string is not proposed.
"""

from __future__ import annotations

import bisect
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from functools import cache

from .types import EntitySuggestion, Offsets

SOURCE = "gold"
MAX_LENGTH = 200  # longer "entities" are quotes or paragraphs, not names
_SENTENCE_END = ".!?…"
_OPENERS = "\"'“‘«„([ \t"


class GoldEntities:
    def __init__(self, pairs: Iterable[tuple[str, str]], *, source: str = SOURCE):
        self.source = source
        self.labels = _majority(pairs)
        variants: dict[str, str] = {}
        for string in self.labels:
            head = string[0]
            capital = head.upper() + string[1:]
            if head.islower() and capital != string and capital not in self.labels:
                variants[capital] = string
        self.sentence_variants = variants
        strings = [*self.labels, *variants]
        self.pattern = _compile(strings) if strings else None

    def __len__(self) -> int:
        return len(self.labels)

    def find(self, text: str, *, skip: Iterable[Offsets] = ()) -> list[EntitySuggestion]:
        """Every occurrence in `text`, left to right, longest first, never overlapping."""
        if self.pattern is None:
            return []
        taken = _Taken(skip)
        found = []
        for match in self.pattern.finditer(text):
            string = match.group()
            start, end = match.span()
            original = string
            if string in self.sentence_variants:
                if not _sentence_start(text, start):
                    continue
                original = self.sentence_variants[string]
            if taken.overlaps(start, end):
                continue
            label, share, count = self.labels[original]
            reason = f"labelled {label} in gold {count} time{'s' if count > 1 else ''}"
            found.append(EntitySuggestion(start, end, label, share, reason))
        return found


def strings_agreed(
    annotations: Iterable[Iterable[tuple[str, str]]], k: int
) -> list[tuple[str, str]]:
    """(string, label) pairs found in at least `k` of the given annotations (each a list)."""
    seen: Counter[tuple[str, str]] = Counter()
    for pairs in annotations:
        seen.update(set(pairs))
    return sorted(pair for pair, n in seen.items() if n >= k)


def _majority(pairs: Iterable[tuple[str, str]]) -> dict[str, tuple[str, float, int]]:
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for string, label in pairs:
        string = string.strip()
        if string and len(string) <= MAX_LENGTH and _has_word_char(string):
            votes[string][label] += 1
    labels = {}
    for string, counter in votes.items():
        (label, top), *rest = counter.most_common(2)
        if rest and rest[0][1] == top:
            continue  # labelled both ways equally often: ambiguous
        total = sum(counter.values())
        labels[string] = (label, round(top / total, 3), total)
    return labels


def _has_word_char(string: str) -> bool:
    return any(_is_word_char(c) for c in string)


def _is_word_char(char: str) -> bool:
    return char.isalnum() or unicodedata.category(char).startswith("M")


def _sentence_start(text: str, position: int) -> bool:
    i = position - 1
    while i >= 0 and text[i] in _OPENERS:
        i -= 1
    return i < 0 or text[i] in "\r\n\u2028\u2029" or text[i] in _SENTENCE_END


class _Taken:
    """Spans already annotated, for 'does this match overlap any of them?' in log time."""

    def __init__(self, spans: Iterable[Offsets]):
        ordered = sorted(spans)
        self.starts = [s for s, _ in ordered]
        self.furthest: list[int] = []  # furthest end among the first k+1 spans
        for _, end in ordered:
            self.furthest.append(max(end, self.furthest[-1]) if self.furthest else end)

    def overlaps(self, start: int, end: int) -> bool:
        k = bisect.bisect_left(self.starts, end)  # spans starting before this one ends
        return k > 0 and self.furthest[k - 1] > start


def _compile(strings: list[str]) -> re.Pattern[str]:
    trie: dict[str, dict] = {}
    for string in strings:
        node = trie
        for char in string:
            node = node.setdefault(char, {})
        node[""] = {}
    body = _alternation(trie)
    marks = _marks_class()
    # Not preceded or followed by a letter, digit or combining mark of any script.
    return re.compile(rf"(?<![^\W_])(?<!{marks})(?:{body})(?![^\W_]|{marks})")


def _alternation(node: Mapping[str, dict]) -> str:
    """A regular expression matching every string in a trie, longest alternative first."""
    branches = []
    single_chars = []
    for char in sorted(k for k in node if k):
        child = node[char]
        rest = _alternation(child) if set(child) != {""} else ""
        if rest:
            branches.append(re.escape(char) + rest)
        else:
            single_chars.append(char)
    if len(single_chars) == 1:
        branches.append(re.escape(single_chars[0]))
    elif single_chars:
        branches.append("[" + "".join(_class_escape(c) for c in single_chars) + "]")
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if "" in node:  # a string may end here: the rest is optional (greedy, so longest first)
        body = f"(?:{body})?"
    return body


def _class_escape(char: str) -> str:
    return "\\" + char if char in "\\]^-[" else char


@cache
def _marks_class() -> str:
    """A character class of every combining mark (Mn, Mc, Me), computed once."""
    ranges: list[tuple[int, int]] = []
    for code in range(sys.maxunicode + 1):
        if 0x20000 <= code < 0xE0000:
            continue  # no combining marks there; skipping saves most of the time
        if unicodedata.category(chr(code))[0] == "M":
            if ranges and ranges[-1][1] == code - 1:
                ranges[-1] = (ranges[-1][0], code)
            else:
                ranges.append((code, code))
    parts = [f"\\U{a:08x}" if a == b else f"\\U{a:08x}-\\U{b:08x}" for a, b in ranges]
    return "[" + "".join(parts) + "]"
