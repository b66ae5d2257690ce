"""Imports from the tools people leave, through the upload endpoint.

The inputs are our own exports of the formats' test fixture (tests/formats/golden), so
each import here is also a round trip: export → import gives the same spans.
"""

import io
import json
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from annotations.models import Annotation, Document
from tests.conftest import api, error_body

GOLDEN = Path(__file__).parent / "formats" / "golden"
NATIVE = [json.loads(line) for line in (GOLDEN / "jsonl.jsonl").read_text().splitlines()]


def _brat_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted((GOLDEN / "brat").rglob("*")):
            if path.is_file():
                archive.write(path, path.relative_to(GOLDEN / "brat"))
    return buffer.getvalue()


def upload(client, project, name: str, content: bytes, **fields):
    data = {"file": SimpleUploadedFile(name, content), **fields}
    return client.post(api(project.pk, "documents/upload/"), data, format="multipart")


def gold_spans(external_id: str) -> set[tuple[str, str]]:
    """(label, covered text) of a document's imported gold spans."""
    document = Document.objects.get(external_id=external_id)
    gold = Annotation.objects.get(document=document, is_gold=True)
    return {(s.label.name, document.text[s.start : s.end]) for s in gold.spans.all()}


def expected_spans(record: dict) -> set[tuple[str, str]]:
    return {(s["label"], record["text"][s["start"] : s["end"]]) for s in record["spans"]}


@pytest.mark.parametrize(
    ("name", "content", "fields"),
    [
        ("doccano.jsonl", (GOLDEN / "doccano.jsonl").read_bytes(), {"format": "doccano"}),
        ("tasks.json", (GOLDEN / "label-studio.json").read_bytes(), {}),
        ("brat.zip", None, {}),
    ],
)
def test_foreign_export_imports_with_the_same_spans(cast, name, content, fields):
    """doccano (UTF-16 offsets), Label Studio and brat files import the gold spans intact."""
    content = content if content is not None else _brat_zip()
    response = upload(cast.client("admin"), cast.project, name, content, **fields)
    assert response.status_code == 201, response.json()
    assert response.json()["created"] == len(NATIVE)
    assert isinstance(response.json()["warnings"], list)
    for record in NATIVE:
        if record["spans"]:
            assert gold_spans(record["external_id"]) == expected_spans(record)


def test_conll_import_rebuilds_text_from_tokens(cast):
    """CoNLL carries tokens, not text: entities come back on the rebuilt text."""
    content = (GOLDEN / "conll.conll").read_bytes()
    response = upload(cast.client("admin"), cast.project, "data.conll", content)
    assert response.status_code == 201, response.json()
    documents = Document.objects.all()
    assert documents.count() == len(NATIVE)
    labels = {
        (s.label.name, d.text[s.start : s.end])
        for d in documents
        for a in d.annotations.all()
        for s in a.spans.all()
    }
    entities = {span for r in NATIVE for span in expected_spans(r) if span[0] != "QUOTE"}
    assert labels == entities  # QUOTE is not an entity in CoNLL output


def test_malformed_foreign_file_says_where_and_stores_nothing(cast):
    """A broken doccano line is a 400 naming the line; nothing is stored."""
    lines = b'{"text": "ok", "label": []}\n{"text": "bad", "label": [[0, 99, "PER"]]}\n'
    response = upload(cast.client("admin"), cast.project, "d.jsonl", lines, format="doccano")
    errors = error_body(response, 400, "import_failed")["errors"]
    assert [path.split(".")[:2] for path in errors] == [["lines", "2"]]
    assert Document.objects.count() == 0
    response = upload(cast.client("admin"), cast.project, "x.zip", b"not a zip")
    body = error_body(response, 400, "import_failed")
    assert "zip" in body["detail"]
    assert list(body["errors"]) == ["file"]
