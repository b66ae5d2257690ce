"""Whether suggestions help: per suggester, precision and recall against gold, and how many
of its suggestions annotators kept. Pure code on plain values (the selector gathers them).

- **Against gold**, on documents that have both gold and the source's ready suggestions: a
  suggested span is correct when gold has a span with the same offsets and label (exact
  match, as seqeval scores entities); a link when gold links the same two spans (by offsets
  and label) with the same relation label. Recall counts only gold items whose label the
  source proposes somewhere in the project (the quote suggester is not blamed for missing
  ORG entities). Precision is correct / suggested, recall correct / gold, F1 their harmonic
  mean; each is None when its denominator is 0. Counts add up over documents (micro).
- **Acceptance**, per submitted annotation of a document with the source's suggestions: the
  suggestions it was shown (the editor shows a span two sources propose once, as the first
  source's in registry order), and the spans it kept from the source (their provenance
  names it; `edited` ones were moved or relabelled after accepting). The rate is accepted /
  shown; what was not accepted was rejected or ignored (the editor stores neither).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

SpanKey = tuple[int, int, str]  # start, end, label
LinkKey = tuple[SpanKey, SpanKey, str]  # from, to, label


@dataclass(frozen=True)
class Answer:
    """Spans and links of one version (a source's suggestions, or gold), by content."""

    spans: frozenset[SpanKey] = frozenset()
    links: frozenset[LinkKey] = frozenset()


@dataclass(frozen=True)
class Evidence:
    """One document: each source's ready suggestions (in registry order), its gold (None
    when it has none), and each submitted annotation's spans as (key, source; "" manual)."""

    answers: Mapping[str, Answer]
    gold: Answer | None
    submitted: Sequence[Sequence[tuple[SpanKey, str]]] = ()


@dataclass
class Match:
    suggested: int = 0
    correct: int = 0
    gold: int = 0

    def add(self, suggested: int, correct: int, gold: int) -> None:
        self.suggested += suggested
        self.correct += correct
        self.gold += gold

    @property
    def precision(self) -> float | None:
        return self.correct / self.suggested if self.suggested else None

    @property
    def recall(self) -> float | None:
        return self.correct / self.gold if self.gold else None

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        if p is None or r is None:
            return None
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class SourceQuality:
    source: str
    documents: int = 0  # with the source's ready suggestions
    compared: int = 0  # of which have gold
    span_labels: dict[str, Match] = field(default_factory=dict)
    link_labels: dict[str, Match] = field(default_factory=dict)
    shown: int = 0
    accepted: int = 0
    edited: int = 0

    @property
    def spans(self) -> Match:
        return _total(self.span_labels)

    @property
    def links(self) -> Match:
        return _total(self.link_labels)

    @property
    def acceptance(self) -> float | None:
        return self.accepted / self.shown if self.shown else None


def _total(by_label: Mapping[str, Match]) -> Match:
    total = Match()
    for match in by_label.values():
        total.add(match.suggested, match.correct, match.gold)
    return total


@dataclass
class _Tally:
    """Per label, with gold of labels the source never proposed kept aside until the end."""

    quality: SourceQuality
    spans: dict[str, Match] = field(default_factory=dict)
    links: dict[str, Match] = field(default_factory=dict)
    proposed: set[tuple[str, str]] = field(default_factory=set)  # ("span" | "link", label)


def suggestion_quality(documents: Iterable[Evidence]) -> list[SourceQuality]:
    """Every source's figures over the documents, in the order sources first appear."""
    tallies: dict[str, _Tally] = {}
    for document in documents:
        shown = _shown(document.answers)
        for source, answer in document.answers.items():
            tally = tallies.setdefault(source, _Tally(SourceQuality(source)))
            tally.quality.documents += 1
            tally.proposed.update(("span", _span_label(k)) for k in answer.spans)
            tally.proposed.update(("link", _link_label(k)) for k in answer.links)
            if document.gold is not None:
                tally.quality.compared += 1
                _compare(tally.spans, answer.spans, document.gold.spans, _span_label)
                _compare(tally.links, answer.links, document.gold.links, _link_label)
            for spans in document.submitted:
                _accept(tally.quality, shown.get(source, 0), answer, spans)
        for spans in document.submitted:  # kept from a source with no suggestions here now
            for source in {s for _, s in spans if s and s not in document.answers}:
                tally = tallies.setdefault(source, _Tally(SourceQuality(source)))
                _accept(tally.quality, 0, Answer(), spans)
    return [_finish(tally) for tally in tallies.values()]


def _span_label(key: SpanKey) -> str:
    return key[2]


def _link_label(key: LinkKey) -> str:
    return key[2]


def _compare(into: dict[str, Match], suggested: frozenset, gold: frozenset, label_of) -> None:
    for label in {label_of(k) for k in suggested} | {label_of(k) for k in gold}:
        mine = {k for k in suggested if label_of(k) == label}
        theirs = {k for k in gold if label_of(k) == label}
        into.setdefault(label, Match()).add(len(mine), len(mine & theirs), len(theirs))


def _shown(answers: Mapping[str, Answer]) -> dict[str, int]:
    """How many spans the editor shows as each source's: the first source to propose one."""
    owner: dict[SpanKey, str] = {}
    for source, answer in answers.items():
        for key in answer.spans:
            owner.setdefault(key, source)
    counts: dict[str, int] = {}
    for source in owner.values():
        counts[source] = counts.get(source, 0) + 1
    return counts


def _accept(
    quality: SourceQuality, shown: int, answer: Answer, spans: Sequence[tuple[SpanKey, str]]
) -> None:
    quality.shown += shown
    for key, source in spans:
        if source == quality.source:
            quality.accepted += 1
            quality.edited += key not in answer.spans


def _finish(tally: _Tally) -> SourceQuality:
    """Keep the labels the source proposed (anywhere): gold of other labels is not its miss."""
    quality = tally.quality
    quality.span_labels = {
        k: m for k, m in sorted(tally.spans.items()) if ("span", k) in tally.proposed
    }
    quality.link_labels = {
        k: m for k, m in sorted(tally.links.items()) if ("link", k) in tally.proposed
    }
    return quality
