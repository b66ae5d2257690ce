"""CoNLL exports tokenise each text once: the first export stores the tokens, later ones map
spans onto them without running (or loading) spaCy, in one more query per batch."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from annotations.formats import tokens as token_module
from annotations.models import DocumentTokens
from annotations.services.exports import export_write
from tests.conftest import api
from tests.factories import DocumentFactory
from tests.test_export_records import PER, QUOTE, TEXT, annotate


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def conll(project, **options) -> str:
    out = io.BytesIO()
    export_write(project=project, format="conll", scope="gold", split=None, out=out, **options)
    with zipfile.ZipFile(io.BytesIO(out.getvalue())) as archive:
        return archive.read("documents.conll").decode()


def _no_spacy(*args, **kwargs):
    raise AssertionError("spaCy was asked to tokenise")


def test_second_export_reuses_the_stored_tokens(cast, monkeypatch):
    """The first CoNLL export stores one table per document; the second writes the same
    file without tokenising; the tables are keyed by spaCy's version and language."""
    docs = [DocumentFactory(project=cast.project, text=TEXT, external_id=f"t{i}") for i in range(3)]
    for doc in docs:
        annotate(doc, None, spans=[PER, QUOTE])
    first = conll(cast.project)
    rows = DocumentTokens.objects.filter(document__in=docs)
    assert rows.count() == 3
    assert {row.tokenizer for row in rows} == {token_module.tokenizer_key("id")}
    monkeypatch.setattr(token_module, "pipeline", _no_spacy)
    monkeypatch.setattr("annotations.formats.conll.pipeline_for", _no_spacy)
    assert conll(cast.project) == first
    assert "Jens B-PER" in first


def test_a_changed_text_is_tokenised_again(cast):
    """A text edited while nobody had annotated it gets a new table at the next export."""
    doc = DocumentFactory(project=cast.project, text="Budi pergi.", external_id="c0")
    options = {"options": {"include_unannotated": True}}
    assert "Budi O" in conll(cast.project, **options)
    response = cast.client("admin").patch(
        api(cast.project.pk, f"documents/{doc.pk}/"),
        json.dumps({"text": "Siti pulang."}),
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    text = conll(cast.project, **options)
    assert "Siti O" in text and "Budi" not in text
    assert DocumentTokens.objects.filter(document=doc).count() == 1


def test_stored_tokens_cost_one_query_per_batch(cast, settings):
    """With every table stored, CoNLL reads them in one query per batch, beside the batch's
    own four; a batch with missing tables writes them in one more."""
    settings.EXPORT_BATCH_SIZE = 2
    for i in range(5):
        doc = DocumentFactory(project=cast.project, text=TEXT, external_id=f"q{i}")
        annotate(doc, None, spans=[PER])
    with CaptureQueriesContext(connection) as cold:
        conll(cast.project)
    with CaptureQueriesContext(connection) as warm:
        conll(cast.project)
    with CaptureQueriesContext(connection) as jsonl:
        export_write(
            project=cast.project, format="jsonl", scope="gold", split=None, out=io.BytesIO()
        )
    batches = 3  # 2 + 2 + 1
    assert len(warm) == len(jsonl) + batches
    assert len(cold) == len(warm) + batches  # the upserts
    reads = [q["sql"] for q in warm.captured_queries if "documenttokens" in q["sql"]]
    assert len(reads) == batches and all(sql.startswith("SELECT") for sql in reads)
