"""Who a pronoun, clitic or anaphoric speaker is, and who says an unattributed quote.

News prose keeps one speaker on stage at a time: "katanya", "tambahnya", "ia", "he" and a
quote with no attribution of its own belong to the speaker of the quote just before, unless
another person is named in between. One other person named in between takes over; two or
more make it ambiguous and nothing is resolved. Without a quote before, a pronoun refers to
the one person named in the paragraph before it, if there is exactly one.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass, field

from .speakers import Speakers
from .text import Analysis
from .types import Mention, Offsets

_PARAGRAPHS_BACK = 2  # how far a speaker stays on stage
_LOOK_BACK = 3000  # characters searched for people named before a pronoun (bounds the cost)


@dataclass(slots=True)
class Draft:
    """A quote being assembled; resolution fills `speaker` and `antecedent` in text order."""

    fragments: list[Offsets]
    quote_type: str
    cue: Offsets | None
    speaker: Mention | None
    score: float
    reasons: list[str] = field(default_factory=list)
    antecedent: Mention | None = None

    @property
    def start(self) -> int:
        return self.fragments[0][0]

    @property
    def resolved(self) -> Mention | None:
        return self.antecedent or self.speaker


def refers_back(mention: Mention, doc: Analysis, speakers: Speakers) -> bool:
    """Pronouns, clitics and 'the judge' / 'pemain berusia 21 tahun itu' point elsewhere."""
    if mention.kind in ("pronoun", "clitic"):
        return mention.label == "PER"
    if mention.kind != "nominal":
        return False
    words = doc.text[mention.start : mention.end].lower().split()
    lex = speakers.lex
    if lex.language == "id":
        return words[-1] in lex.anaphoric
    return words[0] == "the" and len(words) <= 3 and words[-1] in lex.titles


class Resolver:
    def __init__(self, doc: Analysis, speakers: Speakers):
        self.doc = doc
        self.speakers = speakers
        self.quoted: list[Offsets] = []

    def resolve(self, drafts: Iterable[Draft]) -> None:
        ordered = sorted(drafts, key=lambda d: d.start)
        # Names inside quotes are what people talk about, not who is talking.
        self.quoted = sorted(f for d in ordered if d.quote_type == "direct" for f in d.fragments)
        previous: Draft | None = None
        for draft in ordered:
            if draft.speaker is None and draft.quote_type == "direct":
                self._continue(draft, previous)
            elif draft.speaker and refers_back(draft.speaker, self.doc, self.speakers):
                self._antecedent(draft, previous)
            if draft.resolved is not None:
                previous = draft

    def _on_stage(self, previous: Draft | None, position: int) -> bool:
        if previous is None or previous.resolved is None:
            return False
        here = self._paragraph(position)
        there = self._paragraph(previous.fragments[-1][0])
        return here - there <= _PARAGRAPHS_BACK

    def _paragraph(self, position: int) -> int:
        index = min(self.doc.index_at(position), len(self.doc.tokens) - 1)
        return self.doc.token_paragraph[index] if index >= 0 else 0

    def _continue(self, draft: Draft, previous: Draft | None) -> None:
        if not self._on_stage(previous, draft.start) or previous is None:
            return
        others = self._people_between(previous, draft.start)
        if others:
            return  # someone else was named in between: leave it to the annotator
        draft.speaker = previous.speaker
        draft.antecedent = previous.antecedent
        draft.score = 0.75
        draft.reasons.append("no attribution of its own: continues the speaker before it")

    def _antecedent(self, draft: Draft, previous: Draft | None) -> None:
        assert draft.speaker is not None
        position = draft.speaker.start
        if self._on_stage(previous, draft.start) and previous is not None:
            others = self._people_between(previous, position)
            if not others:
                draft.antecedent = _named(previous, person=draft.speaker.kind != "nominal")
                if draft.antecedent is not None:
                    draft.reasons.append("refers to the speaker before it")
                    return
            if len(others) == 1:
                draft.antecedent = others[0]
                draft.reasons.append("refers to the one person named since the last quote")
                return
            draft.score *= 0.7
            draft.reasons.append("pronoun speaker: more than one person it could be")
            return
        people = self._people_in_window(draft.start, position)
        if len(people) == 1:
            draft.antecedent = people[0]
            draft.reasons.append("refers to the one person named just before")
        else:
            draft.score *= 0.7
            draft.reasons.append("pronoun speaker: nobody unambiguous to refer to")

    def _people_between(self, previous: Draft, position: int) -> list[Mention]:
        """Distinct people named after the previous quote and its attribution."""
        known = _named(previous, person=False)
        start = max(previous.fragments[-1][1], *(m.end for m in _mentions(previous)))
        start = max(start, position - _LOOK_BACK)
        people = _distinct(self._people(start, position), self.doc.text)
        return [p for p in people if known is None or not self._same(p, known)]

    def _people_in_window(self, quote_start: int, position: int) -> list[Mention]:
        """People named from the paragraph before the quote up to the pronoun."""
        paragraph = self._paragraph(quote_start)
        start = max(self.doc.paragraphs[max(0, paragraph - 1)][0], position - _LOOK_BACK)
        return _distinct(self._people(start, position), self.doc.text)

    def _people(self, start: int, end: int) -> list[Mention]:
        """Names of people between two offsets, outside quotes: a title before them, or two
        name words not opening a sentence."""
        speakers, tokens = self.speakers, self.doc.tokens
        found: list[Mention] = []
        i = self.doc.index_at(start)
        while i < len(tokens) and tokens[i].end <= end:
            if self._in_quote(tokens[i].start) or not speakers.is_name_like(i, last=False):
                i += 1
                continue
            j = i
            while (
                j + 1 < len(tokens)
                and tokens[j + 1].end <= end
                and speakers.is_name_like(
                    j + 1, last=j + 2 >= len(tokens) or not tokens[j + 2].is_capitalised
                )
            ):
                j += 1
            titled = i > 0 and speakers.is_title(i - 1)
            opening = self.doc.sentence_start[i] == i
            if titled or (j > i and not opening) or j > i + 1:
                found.append(Mention(tokens[i].start, tokens[j].end, "PER", "name"))
            i = j + 1
        return found

    def _in_quote(self, position: int) -> bool:
        k = bisect.bisect_right(self.quoted, (position, len(self.doc.text) + 1)) - 1
        return k >= 0 and self.quoted[k][0] <= position < self.quoted[k][1]

    def _same(self, a: Mention, b: Mention) -> bool:
        return _surname(self.doc.text, a) == _surname(self.doc.text, b)


def _named(draft: Draft, *, person: bool) -> Mention | None:
    """The previous draft's resolved speaker, if it is named (and a person, if asked)."""
    resolved = draft.resolved
    if resolved is None or resolved.kind in ("pronoun", "clitic"):
        return None
    if person and resolved.label != "PER":
        return None
    return resolved


def _mentions(draft: Draft) -> list[Mention]:
    return [m for m in (draft.speaker, draft.antecedent) if m is not None]


def _surname(text: str, mention: Mention) -> str:
    words = text[mention.start : mention.end].split()
    return words[-1].lower() if words else ""


def _distinct(people: list[Mention], text: str) -> list[Mention]:
    """The last mention of each person (people with one surname are one person)."""
    latest: dict[str, Mention] = {}
    for mention in people:
        latest[_surname(text, mention)] = mention
    return list(latest.values())
