# ruff: noqa: RUF001 -- this file is about quotation marks and dashes
"""The cue and speaker attached to a quote: after it ("…," kata Budi), before it (Budi
mengatakan, "…"), or in the paragraph before a quote that opens a paragraph ("… said:").
"""

from __future__ import annotations

from dataclasses import dataclass

from .cues import Lexicon
from .speakers import Speakers
from .text import MARK, WORD, Analysis
from .types import Mention, Offsets

_AFTER_SKIP = frozenset(",—–-")
_BEFORE_WINDOW = 12


@dataclass(frozen=True, slots=True)
class Attribution:
    cue: Offsets | None
    speaker: Mention | None
    end: int  # token index after the attribution
    where: str  # "after" or "before"


class Attributions:
    """Finds the attribution of quotes in one analysed text."""

    def __init__(self, doc: Analysis, lex: Lexicon, speakers: Speakers):
        self.doc = doc
        self.lex = lex
        self.speakers = speakers
        self.tokens = doc.tokens

    def cue_at(self, i: int, stems: frozenset[str]) -> tuple[Offsets, Mention | None] | None:
        """A cue word at token i (one of `stems`, or one with a clitic): its span and clitic."""
        token = self.tokens[i]
        if token.kind != WORD:
            return None
        if token.lower in stems:
            return (token.start, token.end), None
        split = self.speakers.split_clitic(token, stems)
        if split is not None:
            return (token.start, split), Mention(split, token.end, "PER", "clitic")
        return None

    def preposition_at(self, i: int, limit: int) -> tuple[Offsets, Mention | None, int] | None:
        """'menurut'/'according to' (or 'menurutnya') at token i: span, clitic, next index."""
        for words in self.lex.prepositions:
            n = len(words)
            if i + n > limit:
                continue
            if all(self.tokens[i + k].lower == w for k, w in enumerate(words)):
                return (self.tokens[i].start, self.tokens[i + n - 1].end), None, i + n
            if n == 1:
                found = self.cue_at(i, frozenset(words))
                if found and found[1]:
                    return found[0], found[1], i + 1
        return None

    # --- after the quote -----------------------------------------------------------------

    def after(self, close: int, inner_stop: bool) -> Attribution | None:
        """The attribution starting after the closing mark at token `close`."""
        _, limit = self.doc.paragraph_range(close)
        t = close + 1
        while t < limit and self.tokens[t].text in _AFTER_SKIP and t - close <= 2:
            t += 1
        if t >= limit or self.tokens[t].kind != WORD:
            return None
        if inner_stop and self.tokens[t].is_capitalised:
            return None  # "… ." Dia datang: a new sentence, not an attribution
        found = self.cue_at(t, self.lex.cue_first)
        if found:
            cue, clitic = found
            if clitic:
                return Attribution(cue, clitic, t + 1, "after")
            named = self.speakers.after(t + 1, limit)
            if named:
                return Attribution(cue, named[0], named[1], "after")
            return Attribution(cue, None, t + 1, "after")
        return self._speaker_first(t, limit)

    def _speaker_first(self, t: int, limit: int) -> Attribution | None:
        """'"…," Whitfield said' / '"…," GMB regional organiser Paul Evans told the BBC'."""
        tokens = self.tokens
        for j in range(t + 1, min(limit, t + 10)):
            if tokens[j].kind != WORD:
                return None
            if tokens[j].lower in self.lex.speech_verbs:
                k = j
                while k - 1 > t and tokens[k - 1].lower in self.lex.adverbs:
                    k -= 1
                speaker = self.speakers.mention(t, k)
                if speaker is None:
                    return None
                return Attribution((tokens[j].start, tokens[j].end), speaker, j + 1, "after")
        return None

    # --- before the quote ----------------------------------------------------------------

    def before(self, opening: int) -> Attribution | None:
        """The attribution ending just before the opening mark at token `opening`."""
        first, _ = self.doc.paragraph_range(opening)
        if opening == first:
            return self._previous_paragraph(opening)
        end = opening
        if self.tokens[end - 1].text in ",:":
            end -= 1
        elif self.tokens[end - 1].lower not in self.lex.speech_verbs:
            return None
        sentence = max(self.doc.sentence_start[end - 1], first)
        return self._cue_in(sentence, end)

    def _previous_paragraph(self, opening: int) -> Attribution | None:
        paragraph = self.doc.token_paragraph[opening] - 1
        while (
            paragraph >= 0
            and self.doc.paragraph_tokens[paragraph][0] == (self.doc.paragraph_tokens[paragraph][1])
        ):
            paragraph -= 1
        if paragraph < 0:
            return None
        last = self.doc.paragraph_tokens[paragraph][1]
        if self.tokens[last - 1].text != ":":
            return None
        return self._cue_in(self.doc.sentence_start[last - 1], last - 1)

    def _cue_in(self, sentence: int, end: int) -> Attribution | None:
        """The nearest cue in tokens[sentence:end] and its speaker."""
        tokens = self.tokens
        for v in range(end - 1, max(sentence, end - _BEFORE_WINDOW) - 1, -1):
            if tokens[v].kind != WORD:
                if tokens[v].text in ".!?" or tokens[v].kind == MARK:
                    return None  # never read a cue out of another quote
                continue
            if tokens[v].lower in self.lex.speech_verbs:
                speaker = self.speakers.before(v, sentence)
                return Attribution((tokens[v].start, tokens[v].end), speaker, end, "before")
            preposition = self.preposition_at(v, end)
            if preposition:
                cue, clitic, after = preposition
                named = clitic or self._named_after(after, end)
                return Attribution(cue, named, end, "before")
            if v == sentence:
                found = self.cue_at(v, self.lex.cue_first)  # "Kata Budi, "…""
                if found:
                    return Attribution(
                        found[0], found[1] or self._named_after(v + 1, end), end, "before"
                    )
        return None

    def _named_after(self, start: int, end: int) -> Mention | None:
        found = self.speakers.after(start, end)
        return found[0] if found else None
