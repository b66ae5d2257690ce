"""Nominal coefficients for document labels: Cohen's kappa, Fleiss' kappa,
Krippendorff's nominal alpha."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Hashable, Iterable, Sequence

# NumPy and krippendorff are imported where used: about 20 MB a process that never computes
# agreement (a web process until a submission, the worker) does not hold (DECISIONS 73).


def _finite(value: float) -> float | None:
    return float(value) if math.isfinite(value) else None


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
    import numpy as np

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
    import krippendorff
    import numpy as np

    code = {value: i for i, value in enumerate(domain)}
    value_counts = np.zeros((len(pairable), len(domain)), dtype=int)
    for row, values in enumerate(pairable):
        for value in values:
            value_counts[row, code[value]] += 1
    result = krippendorff.alpha(value_counts=value_counts, level_of_measurement="nominal")
    return _finite(result)
