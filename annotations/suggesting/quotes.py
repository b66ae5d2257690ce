# ruff: noqa: RUF001 -- this file is about quotation marks and dashes
"""Quote and speaker suggestions for Indonesian and English news text.

    suggest_quotes(text, language="id", include_marks=True) -> list[SuggestedQuote]

Deterministic, no model: quotation marks are paired (marks.py), each quoted stretch gets the
cue and speaker next to it (attribution.py), stretches that are titles or scare quotes
("Steadfast Noon") are dropped, an attribution between two stretches joins them into one
interrupted quote, reported speech is found sentence by sentence (indirect.py), and pronoun
speakers are resolved in text order (pronouns.py). Never raises on odd text; linear time.
"""

from __future__ import annotations

from dataclasses import dataclass

from .attribution import Attribution, Attributions
from .cues import LEXICONS
from .indirect import IndirectQuotes, Reported
from .marks import Piece, Quoted, find_quoted
from .pronouns import Draft, Resolver
from .speakers import Speakers
from .text import SENTENCE_END, WORD, Analysis
from .types import Offsets, SuggestedQuote

_TERMINAL = SENTENCE_END | frozenset(",;:—–")
_MIN_UNATTRIBUTED_WORDS = 8


class UnsupportedLanguage(ValueError):
    """The quote suggester knows Indonesian ("id") and English ("en") only."""


def suggest_quotes(text: str, *, language: str, include_marks: bool = True) -> list[SuggestedQuote]:
    """Every direct and indirect quote in `text` with its cue and speaker, in text order.

    `include_marks` follows the project's guideline: direct-quote fragments then start at the
    opening mark and end after the closing one; otherwise they hold the words between the
    marks, trimmed of spaces.
    """
    lex = LEXICONS.get(language)
    if lex is None:
        raise UnsupportedLanguage(f"no quote suggester for language {language!r}; have: id, en")
    doc = Analysis(text)
    speakers = Speakers(doc, lex)
    cues = Attributions(doc, lex, speakers)
    direct = DirectQuotes(doc, cues).find()
    taken = [fragment for candidate in direct for fragment in candidate.outer]
    indirect = IndirectQuotes(doc, lex, speakers, cues).find(taken)
    drafts = [c.draft(include_marks) for c in direct] + [_reported(r) for r in indirect]
    Resolver(doc, speakers).resolve(drafts)
    drafts.sort(key=lambda d: d.start)
    return [_finished(d, text) for d in drafts]


@dataclass(slots=True)
class _Candidate:
    """A quoted stretch with what was found around it."""

    outer: list[Offsets]  # fragments with their marks
    inner: list[Offsets]  # fragments without marks
    attribution: Attribution | None
    words: int
    terminal: bool  # the quoted words end with punctuation
    inner_stop: bool  # … with a sentence-ending stop
    opens_sentence: bool
    single: bool
    closed: bool
    paragraphs: int

    def draft(self, include_marks: bool) -> Draft:
        attribution = self.attribution
        speaker = attribution.speaker if attribution else None
        reasons = [self._shape()]
        if attribution and attribution.cue:
            reasons.append(f"cue {{cue}} {attribution.where} it")
        score = _direct_score(attribution)
        if self.single:
            score *= 0.9
        if not self.closed:
            score *= 0.6
        return Draft(
            fragments=list(self.outer if include_marks else self.inner),
            quote_type="direct",
            cue=attribution.cue if attribution else None,
            speaker=speaker,
            score=score,
            reasons=reasons,
        )

    def _shape(self) -> str:
        marks = "single" if self.single else "double"
        parts = [f"direct quote in {marks} quotation marks"]
        if self.paragraphs > 1:
            parts.append(f"over {self.paragraphs} paragraphs")
        elif len(self.outer) > 1:
            parts.append("interrupted by its attribution")
        if not self.closed:
            parts.append("no closing mark")
        return ", ".join(parts)


def _direct_score(attribution: Attribution | None) -> float:
    if attribution is None:
        return 0.5
    speaker = attribution.speaker
    if speaker is None:
        return 0.6
    return {"name": 0.95, "nominal": 0.9}.get(speaker.kind, 0.9)


class DirectQuotes:
    def __init__(self, doc: Analysis, cues: Attributions):
        self.doc = doc
        self.cues = cues
        self.tokens = doc.tokens

    def find(self) -> list[_Candidate]:
        candidates = [self._candidate(quoted) for quoted in find_quoted(self.doc)]
        joined = self._join_interrupted([c for c in candidates if c is not None])
        return [c for c in joined if self._is_quote(c)]

    def _candidate(self, quoted: Quoted) -> _Candidate | None:
        pieces = list(quoted.pieces)
        attribution = None
        last = pieces[-1]
        if last.close is None:
            cut = self._attribution_inside(last)
            if cut is not None:
                comma, attribution = cut
                pieces[-1] = Piece(last.open, None, self.tokens[comma].end)
        else:
            attribution = self.cues.after(last.close, self._inner_stop(last))
        if attribution is None:
            attribution = self.cues.before(pieces[0].open)
        outer = [self._outer(p) for p in pieces]
        inner = [self._inner(p) for p in pieces]
        if any(s >= e for s, e in inner):
            return None  # empty quotes: "" or “ ”
        return _Candidate(
            outer=outer,
            inner=inner,
            attribution=attribution,
            words=sum(self._words(p) for p in pieces),
            terminal=self._terminal(last),
            inner_stop=self._inner_stop(last),
            opens_sentence=self._opens_sentence(pieces[0].open),
            single=quoted.single,
            closed=last.close is not None,
            paragraphs=len({self.doc.token_paragraph[p.open] for p in pieces}),
        )

    def _attribution_inside(self, piece: Piece) -> tuple[int, Attribution] | None:
        """An unclosed quote that runs into its attribution: '"…, kata Asep di Bandung.'"""
        i = piece.open + 1
        while i < len(self.tokens) and self.tokens[i].start < piece.limit:
            if self.tokens[i].text == "," and i + 1 < len(self.tokens):
                found = self.cues.cue_at(i + 1, self.cues.lex.cue_first)
                if found:
                    attribution = self.cues.after(i - 1, inner_stop=False)
                    if attribution:
                        return i, attribution
            i += 1
        return None

    def _last_inner(self, piece: Piece) -> int:
        end = piece.close if piece.close is not None else self.doc.index_at(piece.limit)
        return end - 1

    def _terminal(self, piece: Piece) -> bool:
        last = self._last_inner(piece)
        if last > piece.open and self.tokens[last].text in _TERMINAL:
            return True
        after = piece.close + 1 if piece.close is not None else None
        return after is not None and after < len(self.tokens) and self.tokens[after].text == ","

    def _inner_stop(self, piece: Piece) -> bool:
        last = self._last_inner(piece)
        return last > piece.open and self.tokens[last].text in SENTENCE_END

    def _words(self, piece: Piece) -> int:
        end = piece.close if piece.close is not None else self.doc.index_at(piece.limit)
        return sum(1 for t in self.tokens[piece.open + 1 : end] if t.kind == WORD)

    def _opens_sentence(self, opening: int) -> bool:
        if self.doc.sentence_start[opening] == opening:
            return True
        previous = self.tokens[opening - 1]
        return previous.text == ":" or previous.end <= self.doc.dateline_end(
            self.doc.token_paragraph[opening]
        )

    def _outer(self, piece: Piece) -> Offsets:
        start = self.tokens[piece.open].start
        if piece.close is not None:
            return start, self.tokens[piece.close].end
        return start, self._trim_end(start, piece.limit)

    def _inner(self, piece: Piece) -> Offsets:
        start = self.tokens[piece.open].end
        end = self.tokens[piece.close].start if piece.close is not None else piece.limit
        text = self.doc.text
        while start < end and text[start].isspace():
            start += 1
        return start, self._trim_end(start, end)

    def _trim_end(self, start: int, end: int) -> int:
        text = self.doc.text
        while end > start and text[end - 1].isspace():
            end -= 1
        return end

    def _join_interrupted(self, candidates: list[_Candidate]) -> list[_Candidate]:
        """'"…," ujar Budi, "…"' is one quote: the attribution sits between two stretches."""
        joined: list[_Candidate] = []
        for candidate in candidates:
            previous = joined[-1] if joined else None
            if previous is not None and self._interrupts(previous, candidate):
                previous.outer += candidate.outer
                previous.inner += candidate.inner
                previous.words += candidate.words
                previous.terminal = candidate.terminal
                previous.closed = candidate.closed
                continue
            joined.append(candidate)
        return joined

    def _interrupts(self, first: _Candidate, second: _Candidate) -> bool:
        attribution = first.attribution
        if attribution is None or attribution.where != "after" or not first.closed:
            return False
        if first.inner_stop or first.single != second.single:
            return False
        if second.attribution is not None and second.attribution.where == "after":
            return False
        close = self.doc.index_at(first.outer[-1][1] - 1)
        opening = self.doc.index_at(second.outer[0][0])
        if self.doc.token_paragraph[close] != self.doc.token_paragraph[opening]:
            return False
        between = self.tokens[close + 1 : opening]
        if not between or between[-1].text not in ",—–":
            return False
        return not any(t.text in SENTENCE_END for t in between)

    def _is_quote(self, candidate: _Candidate) -> bool:
        """Quotes, not titles or scare quotes: "Steadfast Noon", program "hari tanpa gawai"."""
        if candidate.words == 0:
            return False
        if candidate.attribution is not None and candidate.attribution.cue is not None:
            return candidate.terminal or candidate.words >= 4
        if candidate.paragraphs > 1:
            return candidate.words >= 3
        if not candidate.opens_sentence:
            return False
        if not candidate.closed:
            return candidate.words >= _MIN_UNATTRIBUTED_WORDS
        return (candidate.inner_stop and candidate.words >= 2) or (
            candidate.words >= _MIN_UNATTRIBUTED_WORDS
        )


def _reported(reported: Reported) -> Draft:
    return Draft(
        fragments=[reported.content],
        quote_type="indirect",
        cue=reported.cue,
        speaker=reported.speaker,
        score=0.75 if reported.pattern == "according to" else 0.7,
        reasons=[f"reported speech ({reported.pattern}), cue {{cue}}"],
    )


def _finished(draft: Draft, text: str) -> SuggestedQuote:
    cue = repr(text[draft.cue[0] : draft.cue[1]]) if draft.cue else ""
    reasons = [r.replace("{cue}", cue) for r in draft.reasons]
    if draft.speaker:
        reasons.append(f"speaker {text[draft.speaker.start : draft.speaker.end]!r}")
    if draft.antecedent:
        reasons.append(f"who is {text[draft.antecedent.start : draft.antecedent.end]!r}")
    return SuggestedQuote(
        fragments=tuple(draft.fragments),
        quote_type="direct" if draft.quote_type == "direct" else "indirect",
        cue=draft.cue,
        speaker=draft.speaker,
        antecedent=draft.antecedent,
        score=round(min(max(draft.score, 0.0), 1.0), 3),
        reason="; ".join(reasons),
    )
