"""The registry is complete: each format it lists has what the rest of the system relies on.

Derived from the registry, so adding a format without its golden file (test_golden), its
card note, or a reader that reads back what the writer wrote fails here."""

from __future__ import annotations

import io
import zipfile
from collections import Counter

import pytest

from annotations.formats import (
    ALIASES,
    FORMATS,
    ReadOptions,
    export_formats,
    format_for_upload,
    import_formats,
    write_package,
)
from tests.formats import fixture
from tests.formats.helpers import GOLDEN, export

NAMES = list(FORMATS)


@pytest.mark.parametrize("name", NAMES)
def test_every_format_says_what_it_is(name: str) -> None:
    """Title, offset unit and notes are filled in; it exports, imports, or both."""
    spec = FORMATS[name]
    assert spec.title and spec.offset_note.endswith(".")
    assert spec.offset_unit in ("code_point", "utf16", "token", "none")
    assert spec.factory is not None or spec.reading is not None
    if spec.reading is not None:
        assert spec.reading.suffixes and all(s.startswith(".") for s in spec.reading.suffixes)


@pytest.mark.parametrize("name", sorted(export_formats()))
def test_every_export_format_has_a_golden_file_and_its_card_note(name: str) -> None:
    """The golden output exists, and the format's card note is in its export's README."""
    spec = FORMATS[name]
    golden = GOLDEN / name if spec.zipped else GOLDEN / f"{name}{spec.extension}"
    assert golden.exists(), f"{name}: no golden file at {golden}"
    assert spec.card_note, f"{name}: no card note"
    out = io.BytesIO()
    write_package(out, spec, fixture.schema(), fixture.card(), [fixture.records()])
    with zipfile.ZipFile(out) as archive:
        card = archive.read("README.md").decode()
    assert f"- Offsets in this format: {spec.card_note}\n" in card


@pytest.mark.parametrize("name", sorted(import_formats()))
def test_every_import_format_reads_back_what_it_writes(name: str) -> None:
    """The registry's reader, given the writer's output, finds every gold span it can carry
    (by label and covered text; exactly, where the format keeps character offsets)."""
    spec = FORMATS[name]
    assert spec.factory is not None, f"{name}: import-only; give it a sample file and a test"
    data, _ = export(name)
    reading = spec.reading
    assert reading is not None
    options = ReadOptions(name=f"export{reading.suffixes[0]}", schema=fixture.schema())
    back = list(reading.read(io.BytesIO(data), options))
    assert len(back) == len(fixture.records())

    def covered(records: list[dict]) -> Counter:
        return Counter(
            (s["label"], r["text"][s["start"] : s["end"]]) for r in records for s in r["spans"]
        )

    read, written = covered(back), covered(fixture.records())
    assert read and not read - written
    if spec.offset_unit in ("code_point", "utf16"):
        assert read == written


def test_an_upload_goes_to_the_format_named_or_the_first_taking_its_suffix() -> None:
    """`native` is an alias of jsonl; .jsonl is ours unless doccano is named."""
    assert ALIASES["native"] in FORMATS
    assert format_for_upload("native", "x.txt") is FORMATS["jsonl"]
    assert format_for_upload(None, "x.jsonl") is FORMATS["jsonl"]
    assert format_for_upload("doccano", "x.jsonl") is FORMATS["doccano"]
    assert format_for_upload(None, "X.ZIP") is FORMATS["brat"]
    assert format_for_upload(None, "x.pdf") is None
    assert format_for_upload("csv", "x.csv") is None  # export-only
