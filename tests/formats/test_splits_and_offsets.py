"""Split assignment is a pure function of the external id; offset conversion matches UTF-16."""

from __future__ import annotations

from collections import Counter

import pytest

from annotations.formats import assign_split
from annotations.formats.offsets import from_utf16, to_utf16


def test_assign_split_is_stable_across_runs_and_machines() -> None:
    """Known ids map to fixed splits (a sha256 of the id, no process hash seed)."""
    got = {i: assign_split(i) for i in ("doc-1", "doc-2", "doc-3", "berita/2024/001", "x")}
    assert got == EXPECTED_SPLITS


# Pinned: a change here moves documents between splits in every future export.
EXPECTED_SPLITS = {
    "doc-1": "train",
    "doc-2": "train",
    "doc-3": "test",  # first 64 bits of its sha256 / 2**64 is above 0.9
    "berita/2024/001": "train",
    "x": "train",
}


def test_assign_split_follows_the_ratios() -> None:
    """Over many ids the shares are close to 80/10/10."""
    counts = Counter(assign_split(f"doc-{i}") for i in range(20_000))
    assert abs(counts["train"] / 20_000 - 0.8) < 0.02
    assert abs(counts["dev"] / 20_000 - 0.1) < 0.02
    assert abs(counts["test"] / 20_000 - 0.1) < 0.02


def test_assign_split_accepts_custom_splits_and_rejects_bad_ratios() -> None:
    """Custom names and unnormalised ratios work; zero-ratio splits get nothing."""
    ids = [f"d{i}" for i in range(1000)]
    assert {assign_split(i, {"a": 3, "b": 1, "c": 0}) for i in ids} == {"a", "b"}
    with pytest.raises(ValueError):
        assign_split("d", {"train": -1, "test": 2})
    with pytest.raises(ValueError):
        assign_split("d", {})


@pytest.mark.parametrize(
    "text", ["plain ascii", "“kutip” é", "🇮🇩👍🏽 x 😀", "a\r\nb👍", "\U0001d41a\U0001d41b", ""]
)
def test_utf16_offsets_slice_the_utf16_encoding(text: str) -> None:
    """Every code point offset maps to the UTF-16 offset that slices the same prefix, and back."""
    units = text.encode("utf-16-le")
    forward, back = to_utf16(text), from_utf16(text)
    for offset in range(len(text) + 1):
        assert units[: 2 * forward(offset)].decode("utf-16-le") == text[:offset]
        assert back(forward(offset)) == offset
