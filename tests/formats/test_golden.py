"""Every format's output for the fixture, compared byte for byte with reviewed golden files.

The formats come from the registry, so a new format without a golden file fails here."""

from __future__ import annotations

import pytest

from annotations.formats import FORMATS, export_formats
from tests.formats.helpers import GOLDEN, assert_golden, export, unzip

SINGLE_FILE = sorted(name for name, spec in export_formats().items() if not spec.zipped)
ZIPPED = sorted(name for name, spec in export_formats().items() if spec.zipped)


@pytest.mark.parametrize("name", SINGLE_FILE)
def test_single_file_export_matches_golden(name: str) -> None:
    """A single-file export of the fixture is byte-identical to `golden/<name><extension>`."""
    data, _ = export(name)
    assert_golden(f"{name}{FORMATS[name].extension}", data)


@pytest.mark.parametrize("name", ZIPPED)
def test_zipped_export_matches_golden(name: str) -> None:
    """Each file inside a zipped export is byte-identical to its golden file, none missing."""
    files = unzip(export(name)[0])
    for inner, data in files.items():
        assert_golden(f"{name}/{inner}", data)
    golden = {p.relative_to(GOLDEN / name).as_posix() for p in (GOLDEN / name).rglob("*")}
    assert set(files) == {p for p in golden if (GOLDEN / name / p).is_file()}


@pytest.mark.parametrize("name", ZIPPED)
def test_zipped_export_is_deterministic(name: str) -> None:
    """Two exports of the same data at the same export time give the same zip bytes."""
    assert export(name)[0] == export(name)[0]


def test_dataset_card_matches_golden() -> None:
    """The README card for a JSONL export lists labels, counts, agreement and checksums."""
    import hashlib

    from annotations.formats import dataset_card
    from tests.formats import fixture

    data, result = export("jsonl")
    files = {"documents.jsonl": hashlib.sha256(data).hexdigest()}
    card = FORMATS["jsonl"].card_context(fixture.card())
    text = dataset_card(fixture.schema(), result, card, files=files)
    assert_golden("jsonl.README.md", text.encode("utf-8"))


def test_label_studio_config_matches_golden() -> None:
    """The Label Studio labeling config names the controls the writer's results use."""
    from annotations.formats import label_studio_config
    from tests.formats import fixture

    assert_golden("label-studio.config.xml", label_studio_config(fixture.schema()).encode())
