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


INTEROP = Path(__file__).parent / "data" / "interop"
DOCCANO = INTEROP / "doccano-1.8.4"


def test_grapheme_mode_doccano_file_imports_in_place(cast):
    """A doccano project in grapheme mode, uploaded with offset_unit=grapheme: every span
    covers what was annotated ("Jakarta" after a flag, a name after a ZWJ family)."""
    content = (DOCCANO / "grapheme-mode" / "alice.jsonl").read_bytes()
    response = upload(
        cast.client("admin"),
        cast.project,
        "g.jsonl",
        content,
        format="doccano",
        offset_unit="grapheme",
    )
    assert response.status_code == 201, response.json()
    testset = [json.loads(x) for x in (INTEROP / "testset.jsonl").read_text().splitlines() if x]
    for record in testset:
        alice = next(a for a in record["annotations"] if a["annotator"] == "alice")
        assert gold_spans(record["external_id"]) == expected_spans({**record, **alice})


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("en", 'line 1, span 3 (QUOTE) reads “. "Kita harus bekerja lebih ke” in UTF-16'),
        ("id", "baris 1, rentang 3 (QUOTE) terbaca"),
    ],
)
def test_doccano_file_with_an_unclear_unit_is_refused_in_the_users_language(cast, language, words):
    """With no offset_unit, a file whose spans fit several units with different text is a
    400 on `offset_unit` naming line, span and each reading, in the user's language; nothing
    is stored."""
    content = (DOCCANO / "grapheme-mode" / "alice.jsonl").read_bytes()
    client = cast.client("admin")
    client.credentials(HTTP_ACCEPT_LANGUAGE=language)
    response = upload(client, cast.project, "g.jsonl", content, format="doccano")
    errors = error_body(response, 400, "import_failed")["errors"]
    assert list(errors) == ["offset_unit"]
    assert words in errors["offset_unit"][0]
    assert Document.objects.count() == 0


def test_doccano_file_no_unit_fits_is_refused(cast):
    """Spans that fit no unit (one splits an emoji, one runs past the end) are refused with
    each unit's first failure; nothing is stored."""
    lines = (
        json.dumps({"text": "a👍b", "label": [[2, 3, "PER"]]})
        + "\n"
        + json.dumps({"text": "a👍b", "label": [[3, 4, "PER"]]})
        + "\n"
    ).encode()
    response = upload(cast.client("admin"), cast.project, "d.jsonl", lines, format="doccano")
    message = error_body(response, 400, "import_failed")["errors"]["offset_unit"][0]
    assert message.startswith(
        "no offset unit fits every span (UTF-16 code units: line 1, span 1 (an offset falls "
        "between the two halves of an emoji); code points: line 2, span 1 (the offsets fall "
        "outside the text); grapheme clusters: line 2, span 1"
    )
    assert Document.objects.count() == 0


def test_doccano_meta_id_and_comments_are_kept_and_external_id_key_chosen(cast):
    """doccano's metadata (top-level keys), its example id and comments land in the
    document's meta; external_id_key picks the field the external id comes from."""
    line = {
        "id": 7,
        "text": "Joko Widodo datang.",
        "label": [[0, 11, "PER"]],
        "Comments": ["check the name"],
        "source": "wire",
        "doc_no": "A-1",
    }
    content = (json.dumps(line) + "\n").encode()
    response = upload(
        cast.client("admin"),
        cast.project,
        "d.jsonl",
        content,
        format="doccano",
        external_id_key="doc_no",
    )
    assert response.status_code == 201, response.json()
    document = Document.objects.get()
    assert document.external_id == "A-1"
    assert document.meta == {"source": "wire", "doccano": {"id": 7, "comments": ["check the name"]}}
    response = upload(
        cast.client("admin"),
        cast.project,
        "d.jsonl",
        content,
        format="doccano",
        external_id_key="missing",
    )
    errors = error_body(response, 400, "import_failed")["errors"]
    assert list(errors) == ["lines.1.missing"]
    assert Document.objects.count() == 1
