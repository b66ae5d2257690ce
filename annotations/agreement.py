"""Inter-annotator agreement over plain annotation dicts (no ORM, no database).

Document labels: Cohen's kappa, Fleiss' kappa, Krippendorff's nominal alpha.
Spans: exact and overlap precision/recall/F1, Krippendorff's unitizing alpha.
Relations: F1 over overlap-matched span pairs.

Every figure that is undefined (no variance, fewer than two annotators, nothing
to compare) is None, never NaN: the summary goes straight into a JSON response.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from statistics import fmean
from typing import Any, Literal, NamedTuple, TypedDict

import krippendorff
import numpy as np

MatchMode = Literal["exact", "overlap"]


class DocumentAnnotations(TypedDict):
    """One document's submitted annotations: annotator name -> annotation dict."""

    id: str | int
    length: int
    annotations: Mapping[str, Mapping[str, Any]]


class Span(NamedTuple):
    start: int
    end: int
    label: str
    id: str


def parse_spans(annotation: Mapping[str, Any]) -> list[Span]:
    """Spans of an annotation dict in text order (start, end, label)."""
    spans = [
        Span(int(s["start"]), int(s["end"]), str(s["label"]), str(s.get("id", f"#{i}")))
        for i, s in enumerate(annotation.get("spans") or ())
    ]
    spans.sort()
    return spans


def _finite(value: float) -> float | None:
    return float(value) if math.isfinite(value) else None


# --- Nominal coefficients --------------------------------------------------------------


def cohen_kappa(a: Sequence[Hashable | None], b: Sequence[Hashable | None]) -> float | None:
    """Cohen's kappa for two annotators' nominal labels of the same items.

    Items where either label is None are left out. None when nothing is left or
    when chance agreement is already perfect (a single category: no variance).
    """
    if len(a) != len(b):
        raise ValueError("both annotators must label the same items")
    pairs = [(x, y) for x, y in zip(a, b, strict=True) if x is not None and y is not None]
    if not pairs:
        return None
    n = len(pairs)
    observed = sum(x == y for x, y in pairs) / n
    left, right = Counter(x for x, _ in pairs), Counter(y for _, y in pairs)
    expected = sum(count * right[value] for value, count in left.items()) / (n * n)
    if expected >= 1.0:
        return None
    return _finite((observed - expected) / (1.0 - expected))


def fleiss_table(
    ratings: Iterable[Sequence[Hashable | None]], categories: Sequence[Hashable] = ()
) -> tuple[list[list[int]], list[Hashable]]:
    """Items x categories count table from per-item lists of ratings (None = missing)."""
    rows = [Counter(r for r in item if r is not None) for item in ratings]
    found = dict.fromkeys(categories)
    for row in rows:
        found.update(dict.fromkeys(sorted(row, key=repr)))
    columns = list(found)
    return [[row[c] for c in columns] for row in rows], columns


def fleiss_kappa(counts: Sequence[Sequence[int]]) -> float | None:
    """Fleiss' (1971) kappa over an items x categories table of rating counts.

    Items rated fewer than twice are dropped. When items have different numbers
    of ratings, each item's agreement uses its own count and category shares are
    pooled over all ratings; with a constant count this is exactly Fleiss' formula.
    """
    if not len(counts):
        return None
    table = np.asarray(counts, dtype=float)
    raters = table.sum(axis=1)
    table, raters = table[raters >= 2], raters[raters >= 2]
    if not len(table):
        return None
    per_item = ((table**2).sum(axis=1) - raters) / (raters * (raters - 1))
    shares = table.sum(axis=0) / raters.sum()
    expected = float((shares**2).sum())
    if expected >= 1.0:
        return None
    return _finite((per_item.mean() - expected) / (1.0 - expected))


def krippendorff_alpha_nominal(units: Iterable[Sequence[Hashable | None]]) -> float | None:
    """Krippendorff's alpha for nominal data; each unit lists its values, None = missing.

    Units with fewer than two values are not pairable and are dropped, as
    Krippendorff defines. The coincidence arithmetic is the `krippendorff` package's;
    we hand it a value-count table so any hashable value can be coded.
    """
    pairable = [[v for v in unit if v is not None] for unit in units]
    pairable = [values for values in pairable if len(values) >= 2]
    domain = sorted({v for values in pairable for v in values}, key=repr)
    if len(domain) < 2:
        return None
    code = {value: i for i, value in enumerate(domain)}
    value_counts = np.zeros((len(pairable), len(domain)), dtype=int)
    for row, values in enumerate(pairable):
        for value in values:
            value_counts[row, code[value]] += 1
    result = krippendorff.alpha(value_counts=value_counts, level_of_measurement="nominal")
    return _finite(result)


# --- Span and relation matching ---------------------------------------------------------


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
    """One-to-one (index in a, index in b) pairs with equal start, end and label."""
    waiting: dict[tuple[int, int, str], list[int]] = defaultdict(list)
    for j in reversed(range(len(b))):
        waiting[b[j][:3]].append(j)
    pairs = []
    for i, span in enumerate(a):
        candidates = waiting.get(span[:3])
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
            other = b[j]
            overlap = min(span.end, other.end) - max(span.start, other.start)
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


# --- Krippendorff's unitizing alpha -----------------------------------------------------

Unit = tuple[int, int, str]


def _merged_units(units: Iterable[Unit]) -> dict[str, list[tuple[int, int]]]:
    """Per label, one annotator's units in order, overlapping ones joined.

    The coefficient assumes an annotator's units of one label never overlap;
    nested or overlapping spans of one label are read as their union.
    """
    by_label: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for start, end, label in sorted(units, key=lambda u: (u[2], u[0], u[1])):
        if end <= start:
            continue
        merged = by_label[label]
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return by_label


def _pair_distance(a: Sequence[tuple[int, int]], b: Sequence[tuple[int, int]]) -> int:
    """Sum of Krippendorff's squared distances between two annotators' sections.

    Overlapping units score (begin difference)^2 + (end difference)^2; a unit
    lying wholly in the other's gap (i.e. overlapping none of its units) scores
    length^2; every other section pair scores 0.
    """
    hit_a, hit_b = [False] * len(a), [False] * len(b)
    total = i = j = 0
    while i < len(a) and j < len(b):
        (sa, ea), (sb, eb) = a[i], b[j]
        if ea <= sb:
            i += 1
        elif eb <= sa:
            j += 1
        else:
            total += (sa - sb) ** 2 + (ea - eb) ** 2
            hit_a[i] = hit_b[j] = True
            if ea <= eb:
                i += 1
            else:
                j += 1
    total += sum((e - s) ** 2 for (s, e), hit in zip(a, hit_a, strict=True) if not hit)
    total += sum((e - s) ** 2 for (s, e), hit in zip(b, hit_b, strict=True) if not hit)
    return total


def _gaps(units: Sequence[tuple[int, int]], length: int) -> list[int]:
    edges = [0, *(x for unit in units for x in unit), length]
    return [end - start for start, end in zip(edges[::2], edges[1::2], strict=True) if end > start]


class UnitizingTally:
    """Krippendorff's unitizing alpha (u-alpha_k per label), accumulated document by document.

    Krippendorff, K. (2004). Measuring the reliability of qualitative text analysis
    data. Quality & Quantity 38, 787-800; Content Analysis, 2nd ed. (2004), §12.4,
    after Krippendorff (1995), Sociological Methodology 25, 47-76.

    For label k, m annotators and a continuum of length L, each annotator's
    continuum is cut into sections g of length l_g: units (w_g = 1, spans of k)
    and gaps (w_g = 0, everything else, including other labels). With N_k the
    number of units of k over all annotators:

        u-alpha_k = 1 - D_o / D_e

        D_o = Σ_i Σ_{j≠i} Σ_g Σ_h δ²(ig, jh) / (m (m-1) L²)

        δ²(g, h) = (b_g - b_h)² + (e_g - e_h)²   both units, overlapping
                 = l_g²                          g a unit inside gap h (and vice versa)
                 = 0                             otherwise

        D_e = (2/L) Σ_units g [ (N_k - 1)/3 · (2l_g³ - 3l_g² + l_g)
                                + l_g² Σ_gaps h, l_h ≥ l_g (l_h - l_g + 1) ]
              / ( mL(mL - 1) - Σ_units g l_g (l_g - 1) )

    and over all labels u-alpha = 1 - Σ_k D_o,k / Σ_k D_e,k. This reproduces the
    worked example of Content Analysis p. 254 (u-alpha_c = 0.7286, u-alpha = 0.859).

    Several documents are pooled as one continuum in which no section crosses a
    document boundary (a unit could not be placed there, so neither does a gap).
    Documents with fewer than two annotators are not pairable and are skipped.
    If documents have different numbers m_d of annotators, m(m-1)L² becomes
    L·Σ_d m_d(m_d-1)L_d and mL becomes Σ_d m_d L_d; with a constant m these are
    the formula above.
    """

    def __init__(self) -> None:
        self._observed: dict[str, int] = defaultdict(int)
        self._pair_length = 0  # Σ_d m_d (m_d - 1) L_d
        self._coded_length = 0  # Σ_d m_d L_d
        self._length = 0  # Σ_d L_d
        self._units: dict[str, list[int]] = defaultdict(list)
        self._gaps: dict[str, list[int]] = defaultdict(list)
        # Annotator-documents with no unit of a label are one gap of the document's
        # length; count them by subtraction so a label first seen late still sees them.
        self._copies: Counter[int] = Counter()
        self._covered: dict[str, Counter[int]] = defaultdict(Counter)

    def add_document(self, length: int, units_by_annotator: Sequence[Iterable[Unit]]) -> None:
        """Add one document: for each annotator, its (start, end, label) units."""
        units = [_merged_units(u) for u in units_by_annotator]
        if len(units) < 2:
            return
        length = max([length, *(e for u in units for spans in u.values() for _, e in spans)])
        m = len(units)
        self._pair_length += m * (m - 1) * length
        self._coded_length += m * length
        self._length += length
        self._copies[length] += m
        for by_label in units:
            for label, spans in by_label.items():
                self._units[label].extend(e - s for s, e in spans)
                self._gaps[label].extend(_gaps(spans, length))
                self._covered[label][length] += 1
        for a, b in combinations(units, 2):
            for label in a.keys() | b.keys():
                self._observed[label] += 2 * _pair_distance(a.get(label, ()), b.get(label, ()))

    @property
    def labels(self) -> list[str]:
        return sorted(self._units)

    def disagreements(self, label: str) -> tuple[float, float]:
        """(D_o, D_e) for one label; (0, 0) when nothing was coded."""
        lengths = np.asarray(self._units.get(label, ()), dtype=float)
        if not self._length or not len(lengths):
            return 0.0, 0.0
        observed = self._observed[label] / (self._pair_length * self._length)
        gap_lengths, gap_weights = self._gap_table(label)
        within = (len(lengths) - 1) / 3 * np.sum(2 * lengths**3 - 3 * lengths**2 + lengths)
        fits = _placements(lengths, gap_lengths, gap_weights)
        numerator = 2 / self._length * (within + np.sum(lengths**2 * fits))
        pairable = self._coded_length * (self._coded_length - 1) - np.sum(lengths * (lengths - 1))
        return observed, float(numerator / pairable)

    def _gap_table(self, label: str) -> tuple[np.ndarray, np.ndarray]:
        uncovered = self._copies - self._covered.get(label, Counter())
        lengths = [*self._gaps.get(label, ()), *uncovered.keys()]
        weights = [1] * len(self._gaps.get(label, ())) + list(uncovered.values())
        return np.asarray(lengths, dtype=float), np.asarray(weights, dtype=float)

    def alpha(self, label: str) -> float | None:
        """u-alpha_k for one label; None when undefined (no units, no expected disagreement)."""
        return _alpha(*self.disagreements(label))

    def alpha_overall(self, labels: Iterable[str] | None = None) -> float | None:
        """u-alpha over all labels: 1 - Σ D_o,k / Σ D_e,k."""
        pairs = [self.disagreements(label) for label in (labels or self.labels)]
        return _alpha(sum(o for o, _ in pairs), sum(e for _, e in pairs))


def _placements(lengths: np.ndarray, gaps: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """For each unit length l: Σ over gaps h with l_h ≥ l of (l_h - l + 1)."""
    if not len(gaps):
        return np.zeros_like(lengths)
    order = np.argsort(gaps)
    gaps, weights = gaps[order], weights[order]
    # Suffix sums over gaps sorted by length give, for each l, Σ w·l_h and Σ w over l_h ≥ l.
    sum_lengths = np.append(np.cumsum((gaps * weights)[::-1])[::-1], 0.0)
    sum_weights = np.append(np.cumsum(weights[::-1])[::-1], 0.0)
    first = np.searchsorted(gaps, lengths, side="left")
    return sum_lengths[first] - (lengths - 1) * sum_weights[first]


def _alpha(observed: float, expected: float) -> float | None:
    if expected <= 0:
        return None
    return _finite(1.0 - observed / expected)


def unitizing_alpha(
    length: int, units_by_annotator: Sequence[Iterable[Unit]], label: str | None = None
) -> float | None:
    """Krippendorff's u-alpha on one continuum: for `label`, or over all labels if None."""
    tally = UnitizingTally()
    tally.add_document(length, units_by_annotator)
    return tally.alpha_overall() if label is None else tally.alpha(label)


# --- Project summary --------------------------------------------------------------------


def _label_items(
    annotations: Mapping[str, Mapping[str, Any]], options: Mapping[str, Iterable[str]]
) -> Iterable[tuple[str, dict[str, Hashable]]]:
    """(group, {annotator: value}) items of one document's document labels.

    A multi-choice group (any list value) becomes one yes/no item per option,
    options from the project's schema or else those anyone chose here.
    """
    answers: dict[str, dict[str, Any]] = defaultdict(dict)
    for name, annotation in annotations.items():
        for group, value in (annotation.get("document_labels") or {}).items():
            if value is not None:
                answers[group][name] = value
    for group, by_name in sorted(answers.items()):
        if not any(isinstance(v, list | tuple) for v in by_name.values()):
            yield group, by_name
            continue
        chosen = {n: set(v) if isinstance(v, list | tuple) else {v} for n, v in by_name.items()}
        for option in sorted(set(options.get(group, ())).union(*chosen.values())):
            yield group, {n: option in values for n, values in chosen.items()}


def _mean(values: Iterable[float | None]) -> float | None:
    defined = [v for v in values if v is not None]
    return fmean(defined) if defined else None


@dataclass
class _PairTally:
    documents: int = 0
    # Per label: true positives by exact and by overlap match, and each side's span count.
    exact: Counter[str] = field(default_factory=Counter)
    overlap: Counter[str] = field(default_factory=Counter)
    reference: Counter[str] = field(default_factory=Counter)
    candidate: Counter[str] = field(default_factory=Counter)
    relations: PRF = PRF()

    def span_prf(self, mode: MatchMode) -> LabelledPRF:
        hits = self.exact if mode == "exact" else self.overlap
        labels = sorted(self.reference.keys() | self.candidate.keys())
        return LabelledPRF(
            {
                label: PRF(hits[label], self.reference[label], self.candidate[label])
                for label in labels
            }
        )


# Per-document figures, each the mean over the document's annotator pairs.
_DOCUMENT_FIGURES = ("span_f1_exact", "span_f1_overlap", "relation_f1")


@dataclass
class _ProjectTally:
    """Everything the summary needs, gathered in one pass over the documents."""

    document_groups: Mapping[str, Iterable[str]]
    pairs: dict[tuple[str, str], _PairTally] = field(default_factory=dict)
    relations: dict[str, PRF] = field(default_factory=dict)
    items: dict[str, list[dict[str, Hashable]]] = field(default_factory=lambda: defaultdict(list))
    unitizing: UnitizingTally = field(default_factory=UnitizingTally)
    per_document: list[dict[str, Any]] = field(default_factory=list)
    annotators: set[str] = field(default_factory=set)

    def add(self, document: DocumentAnnotations) -> None:
        annotations = document["annotations"]
        names = sorted(annotations)
        self.annotators.update(names)
        spans = {name: parse_spans(annotations[name]) for name in names}
        self.unitizing.add_document(document["length"], [[s[:3] for s in spans[n]] for n in names])
        for group, item in _label_items(annotations, self.document_groups):
            self.items[group].append(item)
        row: dict[str, list[float | None]] = {key: [] for key in _DOCUMENT_FIGURES}
        for a, b in combinations(names, 2):
            pair = self.pairs.setdefault((a, b), _PairTally())
            figures = self._add_pair(pair, annotations[a], annotations[b], spans[a], spans[b])
            for key, value in zip(_DOCUMENT_FIGURES, figures, strict=True):
                row[key].append(value)
        means = {key: _mean(values) for key, values in row.items()}
        self.per_document.append({"id": document["id"], "annotators": names, **means})

    def _add_pair(
        self,
        pair: _PairTally,
        reference: Mapping[str, Any],
        candidate: Mapping[str, Any],
        a: list[Span],
        b: list[Span],
    ) -> tuple[float | None, float | None, float | None]:
        """Fold one document's comparison of two annotators in; return its F1 figures."""
        exact, overlap = exact_matches(a, b), overlap_matches(a, b)
        pair.documents += 1
        pair.reference.update(s.label for s in a)
        pair.candidate.update(s.label for s in b)
        pair.exact.update(a[i].label for i, _ in exact)
        pair.overlap.update(a[i].label for i, _ in overlap)
        relations = _relation_prf(reference, candidate, a, b, overlap)
        for label, prf in relations.items():
            self.relations[label] = self.relations.get(label, PRF()) + prf
        links = sum(relations.values(), PRF())
        pair.relations += links
        total = len(a) + len(b)
        return (
            2 * len(exact) / total if total else None,
            2 * len(overlap) / total if total else None,
            links.f1,
        )

    def label_kappas(self, a: str, b: str) -> dict[str, float | None]:
        """Cohen's kappa per document-label group on the items both annotators answered."""
        kappas = {}
        for group, items in sorted(self.items.items()):
            both = [(item[a], item[b]) for item in items if a in item and b in item]
            kappas[group] = cohen_kappa([x for x, _ in both], [y for _, y in both])
        return kappas

    def pairwise(self) -> list[dict[str, Any]]:
        return [
            {
                "a": a,
                "b": b,
                "documents": pair.documents,
                "span_f1_exact": pair.span_prf("exact").micro.f1,
                "span_f1_overlap": pair.span_prf("overlap").micro.f1,
                "relation_f1": pair.relations.f1,
                "document_label_kappa": self.label_kappas(a, b),
            }
            for (a, b), pair in sorted(self.pairs.items())
        ]


def _document_label_figures(tally: _ProjectTally) -> dict[str, Any]:
    names = sorted(tally.annotators)
    # Cohen's kappa is a two-annotator coefficient; with more, see `pairwise`.
    cohen = tally.label_kappas(*names) if len(names) == 2 else {}
    per_group = {}
    for group, items in sorted(tally.items.items()):
        units = [list(item.values()) for item in items]
        per_group[group] = {
            "items": sum(len(unit) >= 2 for unit in units),
            "cohen_kappa": cohen.get(group),
            "fleiss_kappa": fleiss_kappa(fleiss_table(units)[0]),
            "krippendorff_alpha": krippendorff_alpha_nominal(units),
        }
    measures = ("cohen_kappa", "fleiss_kappa", "krippendorff_alpha")
    overall = {m: _mean(g[m] for g in per_group.values()) for m in measures}
    return {"overall": overall, "per_group": per_group}


def _span_figures(tally: _ProjectTally, labels: Iterable[str]) -> dict[str, Any]:
    exact = [p.span_prf("exact") for p in tally.pairs.values()]
    overlap = [p.span_prf("overlap") for p in tally.pairs.values()]
    labels = sorted({*labels, *tally.unitizing.labels, *(k for p in exact for k in p.per_label)})
    per_label = {
        label: {
            "f1_exact": sum((p.per_label.get(label, PRF()) for p in exact), PRF()).f1,
            "f1_overlap": sum((p.per_label.get(label, PRF()) for p in overlap), PRF()).f1,
            "unitizing_alpha": tally.unitizing.alpha(label),
        }
        for label in labels
    }
    overall = {
        "f1_exact_pairwise_mean": _mean(p.micro.f1 for p in exact),
        "f1_overlap_pairwise_mean": _mean(p.micro.f1 for p in overlap),
        "f1_exact_micro": sum((p.micro for p in exact), PRF()).f1,
        "f1_overlap_micro": sum((p.micro for p in overlap), PRF()).f1,
        "unitizing_alpha": tally.unitizing.alpha_overall(labels),
    }
    return {"overall": overall, "per_label": per_label}


def _relation_figures(tally: _ProjectTally, labels: Iterable[str]) -> dict[str, Any]:
    labels = sorted({*labels, *tally.relations})
    return {
        "overall": {
            "f1_pairwise_mean": _mean(p.relations.f1 for p in tally.pairs.values()),
            "f1_micro": sum(tally.relations.values(), PRF()).f1,
        },
        "per_label": {label: {"f1": tally.relations.get(label, PRF()).f1} for label in labels},
    }


def _tally(
    documents: Iterable[DocumentAnnotations], document_groups: Mapping[str, Iterable[str]]
) -> _ProjectTally:
    tally = _ProjectTally(document_groups)
    for document in documents:
        tally.add(document)
    return tally


def pairwise_matrix(documents: Iterable[DocumentAnnotations]) -> list[dict[str, Any]]:
    """Per annotator pair: documents shared, span F1 (exact, overlap), relation F1,
    and Cohen's kappa per document-label group."""
    return _tally(documents, {}).pairwise()


def agreement_summary(
    documents: Iterable[DocumentAnnotations],
    *,
    span_labels: Iterable[str] = (),
    relation_labels: Iterable[str] = (),
    document_groups: Mapping[str, Iterable[str]] | None = None,
) -> dict[str, Any]:
    """Project agreement as a JSON-serialisable dict; undefined figures are None.

    `documents` hold only submitted annotations. The label arguments name the
    project's labels so that labels nobody used still get a (None) row, and give
    the options of multi-choice document-label groups.
    """
    tally = _tally(documents, document_groups or {})
    return {
        "documents": len(tally.per_document),
        "annotators": sorted(tally.annotators),
        "document_labels": _document_label_figures(tally),
        "spans": _span_figures(tally, span_labels),
        "relations": _relation_figures(tally, relation_labels),
        "pairwise": tally.pairwise(),
        "per_document": tally.per_document,
    }
