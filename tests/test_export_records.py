"""Export records: scopes, content shape, splits, and a fixed number of queries per batch."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from annotations.formats import assign_split
from annotations.selectors.exports import (
    agreed_layer,
    project_schema,
    record_batches,
)
from annotations.services.annotating import annotation_replace
from tests.factories import DocumentFactory


def export_records(project, scope: str = "gold", **options) -> list[dict[str, Any]]:
    """Every record of the scope, batch after batch."""
    return [r for batch in record_batches(project, scope, **options) for r in batch.records]


TEXT = "Jens Stoltenberg berkata: “Kami siap,” kata dia di Brussel."
PER = {"id": "s1", "start": 0, "end": 16, "label": "PER", "attributes": {}}
LOC = {"id": "s2", "start": 51, "end": 58, "label": "LOC", "attributes": {}}
QUOTE = {
    "id": "s3",
    "start": 27,
    "end": 36,
    "label": "QUOTE",
    "attributes": {"quote_type": "direct", "sentiment": "neutral"},
}
SPEAKER = {"id": "r1", "from": "s3", "to": "s1", "label": "SPEAKER"}


def annotate(document, who, *, spans=(), relations=(), labels=None, status="submitted"):
    """Write an annotation the way the API does (who=None: the gold one)."""
    data: dict[str, Any] = {
        "spans": [dict(s) for s in spans],
        "relations": [dict(r) for r in relations],
        "document_labels": labels or {},
        "status": status,
    }
    if who is None:
        data.pop("status")
    return annotation_replace(
        document=document,
        annotator=who,
        actor=who or document.project.created_by,
        data=data,
        expected_version=0,
    )


@pytest.fixture
def corpus(cast):
    """doc 0: gold + alice + bob (disagree); doc 1: alice and bob agree, no gold;
    doc 2: alice only (submitted); doc 3: bob draft only; doc 4: nothing."""
    docs = [DocumentFactory(project=cast.project, text=TEXT, external_id=f"d{i}") for i in range(5)]
    annotate(
        docs[0], None, spans=[PER, QUOTE], relations=[SPEAKER], labels={"sentiment": "neutral"}
    )
    annotate(docs[0], cast.annotator, spans=[PER], labels={"sentiment": "neutral"})
    annotate(docs[0], cast.teammate, spans=[PER, LOC], labels={"sentiment": "neutral"})
    annotate(docs[1], cast.annotator, spans=[PER, QUOTE], relations=[SPEAKER])
    bob_quote = {
        **QUOTE,
        "id": "b3",
        "attributes": {"quote_type": "direct", "sentiment": "positive"},
    }
    bob_per = {**PER, "id": "b1"}
    annotate(
        docs[1],
        cast.teammate,
        spans=[bob_per, bob_quote],
        relations=[{"id": "br", "from": "b3", "to": "b1", "label": "SPEAKER"}],
    )
    annotate(docs[2], cast.annotator, spans=[LOC])
    annotate(docs[3], cast.teammate, spans=[LOC], status="draft")
    return docs


def test_gold_scope_exports_adjudicated_documents_only(corpus, cast):
    """Scope gold: only documents with gold, whose content is top level, no per-annotator layers."""
    records = list(export_records(cast.project, "gold"))
    assert [r["external_id"] for r in records] == ["d0"]
    record = records[0]
    assert record["text"] == TEXT
    assert [(s["start"], s["end"], s["label"]) for s in record["spans"]] == [
        (0, 16, "PER"),
        (27, 36, "QUOTE"),
    ]
    assert record["relations"] == [{"id": "r1", "from": "s3", "to": "s1", "label": "SPEAKER"}]
    assert record["document_labels"] == {"sentiment": "neutral"}
    assert record["spans"][1]["attributes"] == {"quote_type": "direct", "sentiment": "neutral"}
    assert "annotations" not in record and "split" not in record


def test_all_scope_lists_every_submitted_annotation(corpus, cast):
    """Scope all: documents with gold or a submission; drafts are left out; gold top level."""
    records = {r["external_id"]: r for r in export_records(cast.project, "all")}
    assert sorted(records) == ["d0", "d1", "d2"]
    assert [a["annotator"] for a in records["d0"]["annotations"]] == ["alice", "bob"]
    assert records["d0"]["annotations"][1]["spans"][1]["label"] == "LOC"
    assert all(a["status"] == "submitted" for a in records["d0"]["annotations"])
    assert records["d1"]["spans"] == [] and len(records["d1"]["annotations"]) == 2
    assert [a["annotator"] for a in records["d2"]["annotations"]] == ["alice"]


def test_agreed_scope_keeps_fully_agreeing_documents_without_gold(corpus, cast):
    """Scope agreed: two or more annotators identical on spans, relations and labels;
    attributes they disagree on are dropped; documents with gold are left to scope gold."""
    records = list(export_records(cast.project, "agreed"))
    assert [r["external_id"] for r in records] == ["d1"]
    spans = records[0]["spans"]
    assert [(s["id"], s["label"]) for s in spans] == [("s1", "PER"), ("s3", "QUOTE")]
    assert spans[1]["attributes"] == {"quote_type": "direct"}
    assert records[0]["relations"] == [SPEAKER]


def test_agreed_layer_rejects_any_difference():
    """One differing span end, relation or document label means no agreement."""
    a = {"spans": [PER], "relations": [], "document_labels": {"sentiment": "neutral"}}
    assert agreed_layer([a]) is None
    assert agreed_layer([a, {**a}]) is not None
    assert agreed_layer([a, {**a, "spans": [{**PER, "end": 15}]}]) is None
    assert agreed_layer([a, {**a, "document_labels": {"sentiment": "positive"}}]) is None
    with_rel = {"spans": [PER, QUOTE], "relations": [SPEAKER], "document_labels": {}}
    assert agreed_layer([with_rel, {**with_rel, "relations": []}]) is None


def test_split_is_assigned_from_external_id(corpus, cast):
    """Each record's split comes from its external id, so it is the same in every export."""
    split = {"train": 0.5, "dev": 0.25, "test": 0.25}
    records = list(export_records(cast.project, "all", split=split))
    assert all(r["split"] == assign_split(r["external_id"], split) for r in records)


def test_batches_cost_four_queries_each(cast):
    """Reading costs the same four queries per batch however many spans a batch holds:
    documents, annotations (+ annotator names), spans, relations; plus label names once."""
    for i in range(12):
        doc = DocumentFactory(project=cast.project, text=TEXT, external_id=f"q{i}")
        spans = [PER, QUOTE, LOC][: 1 + i % 3]
        annotate(doc, None, spans=spans, relations=[SPEAKER] if len(spans) > 1 else [])
        annotate(doc, cast.annotator, spans=spans)
    with CaptureQueriesContext(connection) as queries:
        batches = list(record_batches(cast.project, "all", batch_size=5))
    assert [b.scanned for b in batches] == [5, 5, 2]
    assert sum(len(b.records) for b in batches) == 12
    assert len(queries) == 1 + 3 * 4  # label names once per export


def test_keyset_batches_are_in_pk_order_without_repeats(cast):
    """Batches walk the documents by primary key; an exact multiple of the batch size ends
    with one empty documents query."""
    docs = [DocumentFactory(project=cast.project, external_id=f"k{i}") for i in range(6)]
    for doc in docs:
        annotate(doc, None)
    with CaptureQueriesContext(connection) as queries:
        ids = [r["external_id"] for r in export_records(cast.project, "gold", batch_size=3)]
    assert ids == [d.external_id for d in docs]
    assert len(queries) == 1 + 2 * 4 + 1


def test_schema_lists_project_and_labels(cast):
    """The schema carries the project's facts and its labels in order."""
    schema = project_schema(cast.project)
    assert schema["project"]["name"] == "Tribun"
    assert schema["project"]["language"] == "id"
    assert [lab["name"] for lab in schema["labels"]][:3] == ["PER", "ORG", "LOC"]
    assert schema["offset_unit"] == "unicode_code_point"
