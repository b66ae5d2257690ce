"""Dataset versions: every succeeded export is numbered, chained to the one before it, and
reproducible (the same data gives byte-identical data files)."""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from datetime import timedelta

import pytest
from django.utils import timezone

from annotations.formats import export_formats
from tests.conftest import api
from tests.factories import DocumentFactory
from tests.test_export_records import PER, QUOTE, SPEAKER, TEXT, annotate
from tests.test_exports_api import download, request_export, run, unzip

pytestmark = pytest.mark.usefixtures("_media")


@pytest.fixture
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def gold_docs(cast):
    """Three documents with gold, alice's and bob's work (as in test_exports_api)."""
    docs = []
    for i in range(3):
        doc = DocumentFactory(project=cast.project, text=TEXT, external_id=f"g{i}")
        annotate(
            doc, None, spans=[PER, QUOTE], relations=[SPEAKER], labels={"sentiment": "neutral"}
        )
        annotate(doc, cast.annotator, spans=[PER, QUOTE], relations=[SPEAKER])
        annotate(doc, cast.teammate, spans=[PER])
        docs.append(doc)
    return docs


def data_files(files: dict[str, bytes]) -> dict[str, str]:
    """sha256 of every entry but the card (whose Exported-at line differs per export)."""
    return {
        name: hashlib.sha256(data).hexdigest()
        for name, data in files.items()
        if name != "README.md"
    }


@pytest.mark.parametrize("name", sorted(export_formats()))
@pytest.mark.parametrize("scope", ["gold", "all"])
def test_the_same_data_exports_to_identical_data_files(cast, gold_docs, name, scope, monkeypatch):
    """Exported twice, a day apart, every data file has the same bytes, and the card's
    checksum table names each of them with that sha256."""
    first = run(request_export(cast, format=name, scope=scope))
    later = timezone.now() + timedelta(days=1, seconds=7)
    monkeypatch.setattr(timezone, "now", lambda: later)
    second = run(request_export(cast, format=name, scope=scope))
    assert first["status"] == second["status"] == "succeeded", (first["error"], second["error"])
    files_1 = unzip(download(cast, first["id"])[1])
    files_2 = unzip(download(cast, second["id"])[1])
    assert data_files(files_1) == data_files(files_2)
    with zipfile.ZipFile(io.BytesIO(download(cast, second["id"])[1])) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    card = files_2["README.md"].decode()
    listed = dict(re.findall(r"^\| `([^`]+)` \| `([0-9a-f]{64})` \|$", card, re.M))
    assert listed, "the card lists the files' checksums"
    for file_name, digest in listed.items():
        assert data_files(files_2)[file_name] == digest


def test_versions_are_numbered_per_project_and_chained_per_format_scope_and_split(cast, gold_docs):
    """version counts every succeeded export of the project; previous is the latest
    succeeded export with the same format, scope and split, or null."""
    a = run(request_export(cast, format="jsonl"))
    b = run(request_export(cast, format="csv"))
    c = run(request_export(cast, format="jsonl"))
    d = run(request_export(cast, format="jsonl", split={"train": 0.5, "test": 0.5}))
    e = run(request_export(cast, format="jsonl", split={"test": 0.5, "train": 0.5}))
    f = run(request_export(cast, format="jsonl", scope="all"))
    assert [j["version"] for j in (a, b, c, d, e, f)] == [1, 2, 3, 4, 5, 6]
    assert [j["previous"] for j in (a, b, c, d, e, f)] == [
        None,
        None,
        a["id"],
        None,
        d["id"],  # the same ratios in another order are the same split
        None,
    ]
    listed = cast.client("reviewer").get(api(cast.project.pk, "exports/")).json()["results"]
    by_id = {j["id"]: j for j in listed}
    assert by_id[c["id"]]["version"] == 3 and by_id[c["id"]]["previous"] == a["id"]
    assert by_id[c["id"]]["sha256"] == hashlib.sha256(download(cast, c["id"])[1]).hexdigest()


def test_a_failed_export_takes_no_version(cast, gold_docs, monkeypatch):
    """Only succeeded exports are versions: a failure leaves version and previous null and
    the next success takes the next number."""
    from annotations.services import exports

    first = run(request_export(cast, format="jsonl"))

    def broken(**kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(exports, "export_write", broken)
    failed = run(request_export(cast, format="jsonl"))
    monkeypatch.undo()
    third = run(request_export(cast, format="jsonl"))
    assert failed["status"] == "failed" and failed["version"] is None
    assert failed["previous"] is None
    assert third["version"] == 2 and third["previous"] == first["id"]
