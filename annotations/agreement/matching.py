"""Span and relation matching: exact and overlap span matches, and P/R/F1 per label."""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, NamedTuple

MatchMode = Literal["exact", "overlap"]


class Span(NamedTuple):
    start: int
    end: int
    label: str
    id: str
    # An interrupted span's pieces (DECISIONS 46); () for a one-piece span.
    fragments: tuple[tuple[int, int], ...] = ()

    @property
    def key(self) -> tuple[int, int, str, tuple[tuple[int, int], ...]]:
        """What an exact match compares: extent, label and every fragment."""
        return self.start, self.end, self.label, self.fragments

    def pieces(self) -> tuple[tuple[int, int], ...]:
        return self.fragments or ((self.start, self.end),)


def overlap_size(a: Span, b: Span) -> int:
    """Code points two spans share, piece by piece (an interrupted quote's gap is not in it)."""
    if not a.fragments and not b.fragments:
        return max(0, min(a.end, b.end) - max(a.start, b.start))
    return sum(max(0, min(e1, e2) - max(s1, s2)) for s1, e1 in a.pieces() for s2, e2 in b.pieces())


def parse_spans(annotation: Mapping[str, Any]) -> list[Span]:
    """Spans of an annotation dict in text order (start, end, label)."""
    spans = [
        Span(
            int(s["start"]),
            int(s["end"]),
            str(s["label"]),
            str(s.get("id", f"#{i}")),
            tuple((int(a), int(b)) for a, b in s.get("fragments") or ()),
        )
        for i, s in enumerate(annotation.get("spans") or ())
    ]
    spans.sort()
    return spans


@dataclass(frozen=True, slots=True)
class PRF:
    """Counts behind precision, recall and F1; `reference` plays gold for P and R."""

    true_positives: int = 0
    reference: int = 0
    candidate: int = 0

    def __add__(self, other: PRF) -> PRF:
        return PRF(
            self.true_positives + other.true_positives,
            self.reference + other.reference,
            self.candidate + other.candidate,
        )

    @property
    def precision(self) -> float | None:
        return self.true_positives / self.candidate if self.candidate else None

    @property
    def recall(self) -> float | None:
        return self.true_positives / self.reference if self.reference else None

    @property
    def f1(self) -> float | None:
        total = self.reference + self.candidate
        return 2 * self.true_positives / total if total else None

    def as_dict(self) -> dict[str, float | int | None]:
        return {
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
            "true_positives": self.true_positives,
            "reference": self.reference,
            "candidate": self.candidate,
        }


@dataclass(frozen=True)
class LabelledPRF:
    """PRF per label, with the micro average over all labels."""

    per_label: dict[str, PRF]

    @property
    def micro(self) -> PRF:
        return sum(self.per_label.values(), PRF())


def _indices_by_label(spans: Sequence[Span]) -> dict[str, list[int]]:
    grouped: dict[str, list[int]] = defaultdict(list)
    for index, span in enumerate(spans):
        grouped[span.label].append(index)
    return grouped


def _start_windows(spans: Sequence[Span]) -> dict[str, tuple[list[int], list[int], int]]:
    """Per label: span indices, their starts (sorted), and the longest span's length."""
    windows = {}
    for label, indices in _indices_by_label(spans).items():
        longest = max(spans[j].end - spans[j].start for j in indices)
        windows[label] = (indices, [spans[j].start for j in indices], longest)
    return windows


def exact_matches(a: Sequence[Span], b: Sequence[Span]) -> list[tuple[int, int]]:
    """One-to-one (index in a, index in b) pairs with equal start, end, label and
    fragments (an interrupted quote matches only the same pieces)."""
    waiting: dict[tuple, list[int]] = defaultdict(list)
    for j in reversed(range(len(b))):
        waiting[b[j].key].append(j)
    pairs = []
    for i, span in enumerate(a):
        candidates = waiting.get(span.key)
        if candidates:
            pairs.append((i, candidates.pop()))
    return pairs


def overlap_matches(a: Sequence[Span], b: Sequence[Span]) -> list[tuple[int, int]]:
    """One-to-one pairs of same-label overlapping spans, greedily by largest overlap.

    Touching spans (one's end == other's start) do not overlap. Spans must be in
    text order (as `parse_spans` returns them); ties go to the earlier spans, so
    the result does not depend on dict or set ordering.
    """
    candidates = []
    windows = _start_windows(b)
    for i, span in enumerate(a):
        if span.label not in windows:
            continue
        indices, starts, longest = windows[span.label]
        # Only spans starting in (start - longest, end) can overlap this one.
        low = bisect_left(starts, span.start - longest + 1)
        for j in indices[low : bisect_left(starts, span.end)]:
            overlap = overlap_size(span, b[j])
            if overlap > 0:
                candidates.append((-overlap, i, j))
    candidates.sort()
    used_a: set[int] = set()
    used_b: set[int] = set()
    pairs = []
    for _, i, j in candidates:
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
            pairs.append((i, j))
    return pairs


def _prf_by_label(
    a: Sequence[Span], b: Sequence[Span], pairs: Iterable[tuple[int, int]]
) -> dict[str, PRF]:
    reference, candidate = Counter(s.label for s in a), Counter(s.label for s in b)
    hits = Counter(a[i].label for i, _ in pairs)
    return {
        label: PRF(hits[label], reference[label], candidate[label])
        for label in sorted(reference.keys() | candidate.keys())
    }


def _match(a: Sequence[Span], b: Sequence[Span], mode: MatchMode) -> list[tuple[int, int]]:
    return exact_matches(a, b) if mode == "exact" else overlap_matches(a, b)


def span_agreement(
    reference: Mapping[str, Any], candidate: Mapping[str, Any], *, mode: MatchMode = "overlap"
) -> LabelledPRF:
    """Span P/R/F1 of `candidate` against `reference`, per label and micro."""
    a, b = parse_spans(reference), parse_spans(candidate)
    return LabelledPRF(_prf_by_label(a, b, _match(a, b, mode)))


def _relation_prf(
    reference: Mapping[str, Any],
    candidate: Mapping[str, Any],
    a: Sequence[Span],
    b: Sequence[Span],
    pairs: Iterable[tuple[int, int]],
) -> dict[str, PRF]:
    # A link agrees when both ends were matched to each other: the candidate's
    # link, read through the span matching, is the reference's link.
    a_to_b = {a[i].id: b[j].id for i, j in pairs}
    # Span ids are compared as strings, as parse_spans keeps them.
    waiting: Counter[tuple[str | None, str | None, Any]] = Counter(
        (str(r["from"]), str(r["to"]), r["label"]) for r in candidate.get("relations") or ()
    )
    hits: Counter[str] = Counter()
    totals: Counter[str] = Counter()
    for relation in reference.get("relations") or ():
        totals[relation["label"]] += 1
        key = (
            a_to_b.get(str(relation["from"])),
            a_to_b.get(str(relation["to"])),
            relation["label"],
        )
        if waiting[key] > 0:
            waiting[key] -= 1
            hits[relation["label"]] += 1
    others = Counter(r["label"] for r in candidate.get("relations") or ())
    return {
        label: PRF(hits[label], totals[label], others[label])
        for label in sorted(totals.keys() | others.keys())
    }


def relation_agreement(reference: Mapping[str, Any], candidate: Mapping[str, Any]) -> LabelledPRF:
    """Relation P/R/F1, counting a link as agreed when its ends are overlap-matched."""
    a, b = parse_spans(reference), parse_spans(candidate)
    return LabelledPRF(_relation_prf(reference, candidate, a, b, overlap_matches(a, b)))
