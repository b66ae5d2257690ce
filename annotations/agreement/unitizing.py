"""Krippendorff's unitizing alpha over spans on a continuum of code points."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from itertools import combinations
from typing import TYPE_CHECKING

from annotations.agreement.coefficients import _finite

if TYPE_CHECKING:
    import numpy as np

# NumPy is imported where used (see coefficients.py).

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
        import numpy as np

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
        import numpy as np

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
    import numpy as np

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
