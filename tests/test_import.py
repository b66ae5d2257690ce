"""Imports through the API: JSON bodies and .txt/.jsonl/.csv uploads, atomic, with clear errors."""

import io
import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from annotations.models import Annotation, Document
from tests.articles import (
    ARTICLE,
    ARTICLE_PATH,
    PERSON,
    QUOTE,
    SHARED_ARTICLE_PATH,
    SPEAKER_AFTER_QUOTE,
    SURNAME,
    needs_shared_article,
)
from tests.conftest import api, error_body
from tests.factories import DocumentFactory


def upload(client, project, name: str, content: bytes):
    file = SimpleUploadedFile(name, content)
    return client.post(api(project.pk, "documents/upload/"), {"file": file}, format="multipart")


def jsonl(*records) -> bytes:
    return "\n".join(json.dumps(r, ensure_ascii=False) for r in records).encode()


def test_upload_txt_keeps_the_text_byte_for_byte(cast):
    """A .txt file becomes one document whose text is exactly the file (CRLF, BOM-less)."""
    text = "Judul\r\n\r\n“Kami siap,” kata Jens Stoltenberg. 🇮🇩\r\n"
    response = upload(cast.client("admin"), cast.project, "berita.txt", text.encode())
    assert response.status_code == 201, response.json()
    document = Document.objects.get(pk=response.json()["ids"][0])
    assert (document.text, document.length, document.external_id) == (text, len(text), "berita")


def test_upload_jsonl_with_annotations_and_gold(cast):
    """Native JSONL carries annotators' work and top-level gold; offsets stay code points."""
    text = "👍 Jens Stoltenberg: “Kami siap.”"
    start = text.index("Jens")
    quote = text.index("Kami")
    spans = [
        {"id": "p", "start": start, "end": start + 16, "label": "PER"},
        {"id": "q", "start": quote, "end": quote + 10, "label": "QUOTE"},
    ]
    record = {
        "external_id": "a1",
        "title": "T",
        "text": text,
        "meta": {"url": "https://example.org/a1"},
        "spans": spans,
        "relations": [{"from": "q", "to": "p", "label": "SPEAKER"}],
        "document_labels": {"sentiment": "neutral"},
        "annotations": [
            {
                "annotator": "alice",
                "status": "submitted",
                "spans": spans[:1],
                "document_labels": {"sentiment": "positive"},
            },
        ],
    }
    response = upload(cast.client("admin"), cast.project, "a.jsonl", jsonl(record))
    assert response.status_code == 201, response.json()
    gold = Annotation.objects.get(is_gold=True)
    assert sorted(text[s.start : s.end] for s in gold.spans.all()) == [
        "Jens Stoltenberg",
        "Kami siap.",
    ]
    assert gold.relations.get().source.client_id == "q"
    alice = Annotation.objects.get(annotator=cast.annotator)
    assert (alice.status, alice.document_labels) == ("submitted", {"sentiment": "positive"})


def test_upload_csv_with_title_and_external_id(cast):
    """CSV needs a text column; title and external_id are optional; quoted newlines survive."""
    content = b'external_id,title,text\nc1,One,"Line one\nline two"\nc2,,Second\n'
    response = upload(cast.client("admin"), cast.project, "docs.csv", content)
    assert response.status_code == 201, response.json()
    texts = dict(Document.objects.values_list("external_id", "text"))
    assert texts == {"c1": "Line one\nline two", "c2": "Second"}


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("a.jsonl", b'{"text": "ok", "external_id": "x1"}\n{"text": oops}\n', "line 2"),
        ("a.jsonl", b'{"text": "ok"}\n["not", "an object"]\n', "line 2"),
        ("a.jsonl", b'{"text": ""}\n', "lines.1.text"),
        ("a.jsonl", b'{"text": "ok", "colour": "red"}\n', "unknown field"),
        (
            "a.jsonl",
            b'{"text": "a", "external_id": "d"}\n{"text": "b", "external_id": "d"}\n',
            "duplicate external_id",
        ),
        ("a.jsonl", b'{"text": "ok"}\n{"text": "caf\xe9"}\n', "not UTF-8"),
        ("a.csv", b"title,body\nx,y\n", "'text' column"),
        ("a.csv", b'text\n"unterminated\n', "malformed CSV"),
        ("a.txt", b"\xff\xfe\x00", "not UTF-8"),
        ("a.pdf", b"%PDF", "unsupported file type"),
    ],
)
def test_malformed_upload_says_where_and_stores_nothing(cast, name, content, words):
    """A bad line anywhere is a 400 naming line and field; not one document is stored."""
    response = upload(cast.client("admin"), cast.project, name, content)
    body = error_body(response, 400, "import_failed")
    assert words in json.dumps(body, ensure_ascii=False)
    assert Document.objects.count() == 0


def test_bad_annotation_inside_an_import_rolls_back_everything(cast):
    """Line 2's span runs past its text: line 1 is not stored either."""
    good = {"external_id": "g", "text": "Fine text."}
    bad = {
        "external_id": "b",
        "text": "Short.",
        "annotations": [
            {"annotator": "alice", "spans": [{"id": "s", "start": 0, "end": 99, "label": "PER"}]}
        ],
    }
    response = upload(cast.client("admin"), cast.project, "x.jsonl", jsonl(good, bad))
    errors = error_body(response, 400, "import_failed")["errors"]
    assert list(errors) == ["lines.2.annotations.0.spans.0.end"]
    assert "past the end of the text" in errors["lines.2.annotations.0.spans.0.end"][0]
    assert Document.objects.count() == 0


def test_import_refuses_unknown_annotators_and_existing_external_ids(cast, document):
    """Annotators must be members; an external_id already in the project is a conflict."""
    client = cast.client("admin")
    stranger = {"text": "x", "annotations": [{"annotator": "oscar", "spans": []}]}
    response = upload(client, cast.project, "x.jsonl", jsonl(stranger))
    body = error_body(response, 400, "import_failed")
    assert "member" in body["detail"]
    assert list(body["errors"]) == ["lines.1.annotations.0.annotator"]
    again = {"text": "x", "external_id": document.external_id}
    response = upload(client, cast.project, "y.jsonl", jsonl(again))
    body = error_body(response, 400, "import_failed")
    assert "already exists" in body["detail"]
    assert list(body["errors"]) == ["lines.1.external_id"]


def test_upload_over_the_limit_gets_413(cast, settings):
    """A file over UPLOAD_MAX_BYTES is refused before it is parsed."""
    settings.UPLOAD_MAX_BYTES = 1000
    response = upload(cast.client("admin"), cast.project, "big.txt", b"x" * 5000)
    error_body(response, 413, "payload_too_large")
    assert Document.objects.count() == 0


def test_json_body_creates_one_or_many(cast):
    """POST an object → that document; an array → a count and ids, atomically."""
    client = cast.client("admin")
    path = api(cast.project.pk, "documents/")
    one = client.post(path, {"text": "Satu.", "title": "1"}, format="json")
    assert one.status_code == 201
    assert one.json()["text"] == "Satu."
    many = client.post(path, [{"text": "Dua."}, {"text": "Tiga."}], format="json")
    assert many.json()["created"] == 2
    broken = client.post(path, [{"text": "Empat."}, {"title": "no text"}], format="json")
    assert list(error_body(broken, 400, "import_failed")["errors"]) == ["1.text"]
    alone = client.post(path, {"title": "no text"}, format="json")
    assert list(error_body(alone, 400, "import_failed")["errors"]) == ["text"]
    assert Document.objects.count() == 3


def test_only_admins_import(cast):
    """Annotators and reviewers may not add documents; outsiders do not see the project."""
    for who, code in (("annotator", 403), ("reviewer", 403), ("outsider", 404)):
        response = upload(cast.client(who), cast.project, "a.txt", b"text")
        assert response.status_code == code


def test_our_article_has_the_features_the_suite_relies_on():
    """tests/data's article keeps CRLF, curly and straight quotes, an astral emoji, quotes
    attributed by "kata" and one interrupted by its attribution."""
    raw = ARTICLE_PATH.read_bytes()
    assert raw.count(b"\r\n") > 10 and b"\n" not in raw.replace(b"\r\n", b"")
    assert "\u201c" in ARTICLE and "\u201d" in ARTICLE and '"' in ARTICLE
    assert any(ord(c) > 0xFFFF for c in ARTICLE[: ARTICLE.index(QUOTE)])
    assert f"{QUOTE},\u201d kata {SPEAKER_AFTER_QUOTE}" in ARTICLE
    assert re.search(r'"[^"]+," ujar [^"]+, "[^"]+\."', ARTICLE)
    assert re.search(r"\u201c[^\u201d]+,\u201d ujar [^\u201c]+, \u201c[^\u201d]+\.\u201d", ARTICLE)
    assert 3000 <= len(raw) <= 5000


def annotate_quote_and_speaker(client, project, text: str, quote: str, speaker: str):
    """Imports `text`, then PUTs a PER for the first `speaker`, the quote and its link."""
    response = upload(client, project, "article.txt", text.encode())
    assert response.status_code == 201
    document = Document.objects.get(pk=response.json()["ids"][0])
    assert document.text == text
    who = text.index(speaker)
    at = text.index(quote)
    mine = api(project.pk, f"documents/{document.pk}/annotations/mine/")
    body = {
        "version": 0,
        "spans": [
            {"id": "p1", "start": who, "end": who + len(speaker), "label": "PER"},
            {
                "id": "q1",
                "start": at,
                "end": at + len(quote),
                "label": "QUOTE",
                "attributes": {"quote_type": "direct"},
            },
        ],
        "relations": [{"id": "r1", "from": "q1", "to": "p1", "label": "SPEAKER"}],
        "document_labels": {"sentiment": "neutral"},
    }
    assert client.put(mine, body, format="json").status_code == 200
    return client.get(mine).json()


def test_our_article_with_quote_and_speaker(cast):
    """Our Indonesian article imports byte for byte (CRLF, emoji, curly quotes); its quote,
    placed after the emoji, reads back at Python's offsets and is attributed to the speaker."""
    saved = annotate_quote_and_speaker(cast.client("admin"), cast.project, ARTICLE, QUOTE, PERSON)
    quote = next(s for s in saved["spans"] if s["id"] == "q1")
    assert ARTICLE[quote["start"] : quote["end"]] == QUOTE
    person = next(s for s in saved["spans"] if s["id"] == "p1")
    assert ARTICLE[person["start"] : person["end"]].endswith(SURNAME)
    assert saved["relations"][0]["to"] == "p1"


@needs_shared_article
def test_shared_sample_article_with_quote_and_speaker(cast):
    """The team's shared Tribunnews sample imports as is; its quote is attributed to Stoltenberg."""
    text = SHARED_ARTICLE_PATH.read_bytes().decode("utf-8-sig")
    quote = "Itu akan mengirimkan sinyal yang sangat salah"
    saved = annotate_quote_and_speaker(
        cast.client("admin"), cast.project, text, quote, "Jens Stoltenberg"
    )
    span = next(s for s in saved["spans"] if s["id"] == "q1")
    assert text[span["start"] : span["end"]] == quote
    assert saved["relations"][0]["to"] == "p1"


def test_annotated_import_uses_constant_queries(cast, django_assert_max_num_queries):
    """Importing 3 or 60 pre-annotated documents costs the same queries (one batch)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("the count is PostgreSQL's (SQLite splits bulk inserts by its variable limit)")
    from annotations.services.documents import documents_upload

    def records(n: int, prefix: str) -> bytes:
        spans = [
            {"id": "p", "start": 0, "end": 4, "label": "PER"},
            {"id": "q", "start": 5, "end": 9, "label": "QUOTE"},
        ]
        annotation = {
            "annotator": "alice",
            "spans": spans,
            "relations": [{"from": "q", "to": "p", "label": "SPEAKER"}],
        }
        return jsonl(
            *[
                {
                    "external_id": f"{prefix}{i}",
                    "text": "Jens said this.",
                    "spans": spans,
                    "annotations": [annotation],
                }
                for i in range(n)
            ]
        )

    # the project's row lock, its document count (quota), labels, members; then per batch:
    # existing ids, documents, annotations, spans, relations, events; the documents' derived
    # state (labels, annotations, spans, relations, the documents' columns, their label
    # counts, the label tallies: insert, then one update per label used, PER and QUOTE), the
    # member tallies and the day's submissions (an insert and one update for alice each);
    # the suggesters' labels and model backend, and the pending suggestion rows (one upsert
    # per 1,000 rows); the kept file's row (`Upload`); plus savepoint bookkeeping
    for n, prefix in ((3, "a"), (60, "b")):
        raw = io.BytesIO(records(n, prefix))
        with django_assert_max_num_queries(31):
            documents_upload(
                project=cast.project,
                raw=raw,
                name="x.jsonl",
                format=None,
                offset_unit=None,
                actor=cast.admin,
            )
    assert Annotation.objects.filter(is_gold=True).count() == 63
    assert Annotation.objects.filter(annotator=cast.annotator).count() == 63


def test_imported_ids_and_later_inserts_never_collide(cast):
    """Imports draw ids from the table's sequence, so ordinary inserts after them still work."""
    client = cast.client("admin")
    first = upload(client, cast.project, "a.jsonl", jsonl({"text": "one"}, {"text": "two"}))
    later = DocumentFactory(project=cast.project)
    second = upload(client, cast.project, "b.jsonl", jsonl({"text": "three"}))
    ids = first.json()["ids"] + [later.pk] + second.json()["ids"]
    assert len(set(ids)) == 4
    assert ids == sorted(ids)
    assert Document.objects.get(pk=first.json()["ids"][1]).text == "two"
