"""The export zip (`formats.write_package`), written without a database from plain records."""

from __future__ import annotations

import hashlib
import io
import zipfile
from collections.abc import Iterator

from annotations.formats import FORMATS, label_studio_config, write_package
from tests.formats import fixture
from tests.formats.helpers import export


def package(name: str, batches) -> dict[str, bytes]:
    out = io.BytesIO()
    write_package(out, FORMATS[name], fixture.schema(), fixture.card(), batches)
    with zipfile.ZipFile(io.BytesIO(out.getvalue())) as archive:
        return {entry: archive.read(entry) for entry in archive.namelist()}


def test_single_file_format_is_zipped_beside_its_card_with_checksums() -> None:
    """jsonl: documents.jsonl (the writer's bytes) and README.md, whose table has its sha256."""
    records = fixture.records()
    files = package("jsonl", [records[:2], records[2:]])
    assert sorted(files) == ["README.md", "documents.jsonl"]
    assert files["documents.jsonl"] == export("jsonl")[0]
    card = files["README.md"].decode()
    digest = hashlib.sha256(files["documents.jsonl"]).hexdigest()
    assert f"| `documents.jsonl` | `{digest}` |" in card
    assert "- Documents: 3\n" in card
    assert "- Offsets in this format: Unicode code points (same as ours)\n" in card


def test_extra_files_come_from_the_spec_and_are_checksummed() -> None:
    """label-studio: its labeling config travels in the zip and in the card's table."""
    files = package("label-studio", [fixture.records()])
    assert sorted(files) == ["README.md", "documents.json", "label-studio.config.xml"]
    assert files["label-studio.config.xml"] == label_studio_config(fixture.schema()).encode()
    digest = hashlib.sha256(files["label-studio.config.xml"]).hexdigest()
    assert f"| `label-studio.config.xml` | `{digest}` |" in files["README.md"].decode()


def test_zipped_formats_write_their_own_zip_once() -> None:
    """brat is a zip already: the package is that zip (card inside), not a zip in a zip."""
    files = package("brat", [fixture.records()])
    assert "README.md" in files and "annotation.conf" in files
    assert not any(name.endswith(".zip") for name in files)


def test_batches_are_taken_one_at_a_time_after_the_previous_is_written() -> None:
    """The caller's generator resumes only once its batch is written (a heartbeat's moment)."""
    seen: list[int] = []
    out = io.BytesIO()
    spec = FORMATS["jsonl"]

    def batches() -> Iterator[list[dict]]:
        for number, record in enumerate(fixture.records(), start=1):
            yield [record]
            seen.append(number)  # the writer has taken batch `number`

    result = write_package(out, spec, fixture.schema(), fixture.card(), batches())
    assert seen == [1, 2, 3] and result.records == 3


def test_the_same_export_at_the_same_time_is_the_same_bytes() -> None:
    """Entries carry the export time, so two runs over the same records give one zip."""

    def once() -> bytes:
        out = io.BytesIO()
        write_package(
            out, FORMATS["doccano"], fixture.schema(), fixture.card(), [fixture.records()]
        )
        return out.getvalue()

    assert once() == once()
