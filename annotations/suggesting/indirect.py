"""Reported speech without quotation marks, one per sentence:

- `Menurut X, …` / `According to X, …` (and `Menurutnya, …`);
- `…, kata X.` / `…, X said on Friday.` / `…, according to X.` closing the sentence;
- `X mengatakan (bahwa) …` / `X mengatakan, …` / `X said (that) …` / `X told reporters (that) …`.

The content runs to the end of the sentence without its final stop; a complementizer
("bahwa", "that") is not part of it.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from .attribution import Attributions
from .cues import Lexicon
from .speakers import Speakers
from .text import MARK, SENTENCE_END, WORD, Analysis
from .types import Mention, Offsets

_MIN_WORDS = 3
_ATTRIBUTION_TAIL = 10  # tokens of adverbial allowed after a closing attribution
_MAX_SENTENCE = 250  # tokens; anything longer is a list or a table, not reported speech


@dataclass(frozen=True, slots=True)
class Reported:
    content: Offsets
    cue: Offsets
    speaker: Mention
    pattern: str


class IndirectQuotes:
    def __init__(self, doc: Analysis, lex: Lexicon, speakers: Speakers, cues: Attributions):
        self.doc = doc
        self.lex = lex
        self.speakers = speakers
        self.cues = cues
        self.tokens = doc.tokens

    def find(self, taken: list[Offsets]) -> list[Reported]:
        """Reported speech in every sentence that holds none of the `taken` spans."""
        found = []
        taken = sorted(taken)
        starts = [s for s, _ in taken]
        for first, last in self._sentences():
            if last - first > _MAX_SENTENCE:
                continue
            start, end = self.tokens[first].start, self.tokens[last - 1].end
            # Direct quotes never overlap each other, so their ends are sorted too: only the
            # last one starting before this sentence ends can reach into it.
            k = bisect.bisect_left(starts, end)
            if k > 0 and taken[k - 1][1] > start:
                continue
            reported = self._in_sentence(first, last)
            if reported:
                found.append(reported)
        return found

    def _sentences(self) -> list[tuple[int, int]]:
        starts = self.doc.sentence_start
        ranges = []
        for paragraph, (first, last) in enumerate(self.doc.paragraph_tokens):
            dateline = self.doc.dateline_end(paragraph)
            i = first
            while i < last:
                j = i + 1
                while j < last and starts[j] == starts[i]:
                    j += 1
                k = i
                while k < j and self.tokens[k].start < dateline:
                    k += 1
                if k < j:
                    ranges.append((k, j))
                i = j
        return ranges

    def _in_sentence(self, first: int, last: int) -> Reported | None:
        end = last
        while end > first and self.tokens[end - 1].text in SENTENCE_END:
            end -= 1
        marks = sum(1 for t in self.tokens[first:end] if t.kind == MARK)
        if end > first and self.tokens[end - 1].kind == MARK and marks % 2:
            end -= 1  # a closing mark left over from a quote before the sentence
        while end > first and self.tokens[end - 1].text in SENTENCE_END:
            end -= 1
        if end - first < _MIN_WORDS + 1:
            return None
        # The verb pattern goes before the closing one: in "Lowe's lawyer, Sophie Grant, said
        # her client …" the last comma is not where the attribution starts.
        return (
            self._prepositional(first, end) or self._verb(first, end) or self._closing(first, end)
        )

    def _words(self, first: int, last: int, enough: int) -> int:
        """Words in tokens[first:last], counting no further than `enough`."""
        count = 0
        for token in self.tokens[first:last]:
            count += token.kind == WORD
            if count >= enough:
                break
        return count

    def _content(self, first: int, last: int) -> Offsets | None:
        if first >= last or self._words(first, last, _MIN_WORDS) < _MIN_WORDS:
            return None
        if self.tokens[first].kind == MARK:
            return None  # a direct quote
        return self.tokens[first].start, self.tokens[last - 1].end

    def _prepositional(self, first: int, end: int) -> Reported | None:
        """'Menurut X, …' within the sentence's first few tokens."""
        for i in range(first, min(end, first + 4)):
            found = self.cues.preposition_at(i, end)
            if not found:
                continue
            cue, clitic, after = found
            speaker: Mention | None = clitic
            comma = after
            if speaker is None:
                named = self.speakers.after(after, end)
                if not named:
                    return None
                speaker, comma = named
            if comma >= end or self.tokens[comma].text != ",":
                return None
            content = self._content(comma + 1, end)
            return Reported(content, cue, speaker, "according to") if content else None
        return None

    def _closing(self, first: int, end: int) -> Reported | None:
        """'…, kata X.' / '…, X said on Friday.' / '…, according to X.'"""
        commas = [i for i in range(first + 1, end) if self.tokens[i].text == ","]
        for comma in reversed(commas[-2:]):
            attribution = self._attribution_clause(comma + 1, end)
            if attribution:
                cue, speaker = attribution
                content = self._content(first, comma)
                if content and self._words(first, comma, _MIN_WORDS + 1) > _MIN_WORDS:
                    return Reported(content, cue, speaker, "closing")
        return None

    def _attribution_clause(self, t: int, end: int) -> tuple[Offsets, Mention] | None:
        if t >= end or end - t > _ATTRIBUTION_TAIL + 4:
            return None
        preposition = self.cues.preposition_at(t, end)
        if preposition:
            cue, clitic, after = preposition
            named = self.speakers.after(after, end)
            speaker = clitic or (named[0] if named else None)
            return (cue, speaker) if speaker else None
        found = self.cues.cue_at(t, self.lex.cue_first)
        if found and (self.lex.language != "en" or t + 1 < end):
            cue, clitic = found
            named = None if clitic else self.speakers.after(t + 1, end)
            speaker = clitic or (named[0] if named else None)
            if speaker and not self._has_complementizer(t, end):
                return cue, speaker
        for j in range(t + 1, min(end, t + 9)):
            if self.tokens[j].kind != WORD:
                return None
            if self.tokens[j].lower in self.lex.speech_verbs:
                if self._has_complementizer(j, end) or self._words(j + 1, end, 7) > 6:
                    return None
                speaker = self.speakers.mention(t, self._without_adverbs(t, j))
                return ((self.tokens[j].start, self.tokens[j].end), speaker) if speaker else None
        return None

    def _without_adverbs(self, t: int, j: int) -> int:
        while j - 1 > t and self.tokens[j - 1].lower in self.lex.adverbs:
            j -= 1
        return j

    def _has_complementizer(self, t: int, end: int) -> bool:
        return any(self.tokens[i].lower in self.lex.complementizers for i in range(t, end))

    def _verb(self, first: int, end: int) -> Reported | None:
        """'X mengatakan (bahwa) …', 'X said (that) …', 'X told reporters (that) …'."""
        for v in range(first + 1, end):
            token = self.tokens[v]
            if token.kind != WORD or token.lower not in self.lex.speech_verbs:
                continue
            speaker = self.speakers.before(v, first)
            if speaker is None:
                continue
            start = self._content_start(v, end)
            content = self._content(start, end) if start is not None else None
            if content:
                cue = (token.start, token.end)
                return Reported(content, cue, speaker, "verb")
        return None

    def _content_start(self, v: int, end: int) -> int | None:
        tokens, lex = self.tokens, self.lex
        k = v + 1
        if k >= end:
            return None
        following = tokens[k]
        if following.text == ",":
            k += 1
            return k + 1 if k < end and tokens[k].lower in lex.complementizers else k
        if following.lower in lex.complementizers:
            return k + 1
        if following.kind != WORD:
            return None
        if tokens[v].lower in lex.addressee_verbs or following.lower in lex.stop_words:
            return self._after_adverbial(k, end, addressee=tokens[v].lower in lex.addressee_verbs)
        return k

    def _after_adverbial(self, k: int, end: int, *, addressee: bool) -> int | None:
        """Past 'kepada wartawan,' / 'on Tuesday that' / (told) 'the council she …'."""
        for i in range(k, min(end, k + 8)):
            token = self.tokens[i]
            if token.lower in self.lex.complementizers:
                return i + 1
            if token.text == ",":
                return i + 1
            if token.kind != WORD:
                return None
            if addressee and i > k and token.lower in self.lex.pronouns | {"they", "we", "i"}:
                return i
        return None
