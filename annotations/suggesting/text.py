# ruff: noqa: RUF001, RUF003 -- this file is about quotation marks and dashes
"""Tokens, paragraphs and sentences of a news text, computed once per text.

Offsets are code points into the text exactly as given (CRLF, emoji and all). Every pattern
here is linear: the suggesters run on 100,000-character articles in well under a second.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import cached_property

# Quotation marks. A word's own apostrophes (don't, Jum'at, O'Rourke, We’ve) are part of the
# word token, so they never reach the quote pairing.
DOUBLE_MARKS = frozenset('"“”„‟«»＂〝〞')
SINGLE_MARKS = frozenset("'‘’‚‹›")
QUOTE_MARKS = DOUBLE_MARKS | SINGLE_MARKS
SENTENCE_END = frozenset(".!?…")
CLAUSE_PUNCT = frozenset(",;:")
DASHES = frozenset("-–—")

# Abbreviations whose period does not end a sentence (compared without the period).
ABBREVIATIONS = frozenset(
    """mr mrs ms mx dr prof st jr sr gen sen rep gov capt lt col sgt det insp supt adm cmdr
    rev fr no vs etc inc ltd corp co mt ft jan feb mar apr jun jul aug sep sept oct nov dec
    drs ir hj kh dkk tsb""".split()  # noqa: SIM905 -- a word list reads better as text
)

_TOKEN = re.compile(
    r"(?P<abbr>(?:[^\W\d_]\.){2,})"  # U.S., a.m., N.J.
    r"|(?P<word>\w+(?:[-'’]\w+)*)"  # anak-anak, O'Rourke, don't, Jum'at
    r"|(?P<space>\s+)"
    r"|(?P<other>\S)"
)
_LINE_BREAK = re.compile(r"\r\n|[\n\r\u2028\u2029\x0b\x0c\x1c\x1d\x1e\x85]")
# A dateline opening a paragraph: "JAKARTA, KOMPAS.com - ", "PORTLAND, Maine (AP) — ",
# "LAGOS (Reuters) – ", "NAIROBI — ".
_DATELINE = re.compile(
    r"[A-Z][A-Z.'’]+(?:\s[A-Z][A-Z.'’]+){0,3}"
    r"(?:,\s[^\n—–]{1,40}?)?(?:\s\([^()\n]{1,30}\))?\s[-–—]{1,2}\s"
)

WORD, MARK, PUNCT = 0, 1, 2


@dataclass(frozen=True, slots=True)
class Token:
    start: int
    end: int
    text: str
    kind: int  # WORD, MARK or PUNCT

    @property
    def is_word(self) -> bool:
        return self.kind == WORD

    @property
    def lower(self) -> str:
        return self.text.lower().rstrip(".")

    @property
    def is_capitalised(self) -> bool:
        return self.kind == WORD and self.text[0].isupper()


class Analysis:
    """A text split into paragraphs (one per line), tokens and sentences."""

    def __init__(self, text: str):
        self.text = text
        self.tokens: list[Token] = []
        self.paragraphs: list[tuple[int, int]] = []  # character ranges, line breaks excluded
        self.paragraph_tokens: list[tuple[int, int]] = []  # token index ranges
        self.token_paragraph: list[int] = []
        self._split(text)
        self.starts = [t.start for t in self.tokens]
        self.sentence_start = self._sentences()

    def _split(self, text: str) -> None:
        position = 0
        for brk in [*_LINE_BREAK.finditer(text), None]:
            end = brk.start() if brk else len(text)
            first = len(self.tokens)
            self._tokenise(position, end)
            self.paragraphs.append((position, end))
            self.paragraph_tokens.append((first, len(self.tokens)))
            self.token_paragraph.extend([len(self.paragraphs) - 1] * (len(self.tokens) - first))
            position = brk.end() if brk else end

    def _tokenise(self, start: int, end: int) -> None:
        text, tokens = self.text, self.tokens
        position = start
        while position < end:
            match = _TOKEN.match(text, position, end)
            assert match is not None  # the pattern matches any character
            kind = match.lastgroup
            s, e = match.span()
            position = e
            if kind == "space":
                continue
            if kind == "other":
                tokens.append(Token(s, e, text[s:e], MARK if text[s] in QUOTE_MARKS else PUNCT))
                continue
            if kind == "word" and e < end and text[e] == "." and _abbreviated(text[s:e]):
                e += 1  # "Dr.", "Mr.", the initial "J."
                position = e
            tokens.append(Token(s, e, text[s:e], WORD))

    def _sentences(self) -> list[int]:
        """For each token, the index of the first token of its sentence."""
        result = [0] * len(self.tokens)
        tokens = self.tokens
        for first, last in self.paragraph_tokens:
            current = first
            i = first
            while i < last:
                result[i] = current
                i += 1
                if tokens[i - 1].text in SENTENCE_END and self._ends_sentence(i - 1, last):
                    while i < last and self._attached_closer(i):
                        result[i] = current
                        i += 1
                    current = i
        return result

    def _attached_closer(self, i: int) -> bool:
        """A closing mark or bracket touching the stop before it: «."» or «.)»."""
        token = self.tokens[i]
        touching = token.start == self.tokens[i - 1].end
        return touching and (token.kind == MARK or token.text in ")]")

    def _ends_sentence(self, i: int, last: int) -> bool:
        """A stop ends its sentence when space and a capital, digit or quote mark follow."""
        tokens = self.tokens
        j = i + 1
        while j < last and self._attached_closer(j):
            j += 1
        if j >= last:
            return True
        follower = tokens[j]
        if follower.start == tokens[j - 1].end:  # "1.000", "3.00"
            return False
        head = follower.text[0]
        return head.isupper() or head.isdigit() or follower.kind == MARK

    # --- lookups -------------------------------------------------------------------------

    def index_at(self, position: int) -> int:
        """The index of the first token starting at or after a character position."""
        return bisect.bisect_left(self.starts, position)

    def paragraph_range(self, token_index: int) -> tuple[int, int]:
        return self.paragraph_tokens[self.token_paragraph[token_index]]

    def dateline_end(self, paragraph: int) -> int:
        """Character offset after a dateline opening the paragraph (its start when none)."""
        start, end = self.paragraphs[paragraph]
        match = _DATELINE.match(self.text, start, min(end, start + 90))
        return match.end() if match else start

    @cached_property
    def lowercase_words(self) -> frozenset[str]:
        """Words that occur in lower case somewhere: capitalised, they are common words."""
        return frozenset(t.text for t in self.tokens if t.kind == WORD and t.text[0].islower())


def _abbreviated(word: str) -> bool:
    if len(word) == 1 and word.isupper():
        return True  # an initial
    return word.lower() in ABBREVIATIONS
