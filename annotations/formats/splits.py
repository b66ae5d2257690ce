"""Deterministic train/dev/test assignment that survives re-exports."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping

DEFAULT_SPLIT = {"train": 0.8, "dev": 0.1, "test": 0.1}


def assign_split(external_id: str, split: Mapping[str, float] = DEFAULT_SPLIT) -> str:
    """The split for a document, from a sha256 of its external id.

    A document keeps its split across exports and across machines (no process hash seed, no
    database order); adding documents never moves existing ones. Ratios are normalised, and the
    order of ``split`` decides which bucket each hash range maps to.
    """
    if not split or any(ratio < 0 for ratio in split.values()) or sum(split.values()) <= 0:
        raise ValueError(f"split ratios must be non-negative with a positive sum: {split!r}")
    digest = hashlib.sha256(external_id.encode("utf-8")).digest()
    # 64 bits of the hash as a fraction in [0, 1)
    point = int.from_bytes(digest[:8], "big") / 2**64 * sum(split.values())
    upper = 0.0
    for name, ratio in split.items():
        upper += ratio
        if point < upper and ratio > 0:
            return name
    # float rounding at the very top of the range
    return [name for name, ratio in split.items() if ratio > 0][-1]
