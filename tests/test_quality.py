"""Annotator quality (`GET /api/projects/{id}/quality/`): accuracy on hidden gold checks
against figures worked out by hand, drift, agreement, time, who sees what, and a constant
number of queries (issue 12)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from annotations.models import Annotation, Document
from annotations.selectors.quality import DRIFT_MARGIN, DRIFT_WINDOW, Tally, drift, is_drifting
from tests.conftest import api
from tests.factories import DocumentFactory
from tests.test_gold_checks import doc_url, make_gold, mark, next_doc, set_rate

# "Jens Stoltenberg berkata: “Kami siap,” kata dia di Brussel."
PER = {"id": "p", "start": 0, "end": 16, "label": "PER"}  # Jens Stoltenberg
QUOTE = {"id": "q", "start": 26, "end": 38, "label": "QUOTE"}  # “Kami siap,”
LOC = {"id": "l", "start": 51, "end": 58, "label": "LOC"}  # Brussel
LOC_WIDE = {"id": "l", "start": 50, "end": 58, "label": "LOC"}  # " Brussel": overlaps
ORG_AT_LOC = {"id": "o", "start": 51, "end": 58, "label": "ORG"}  # right place, wrong label
SPEAKER = {"id": "r", "from": "q", "to": "p", "label": "SPEAKER"}


def put(client, url, *, spans=(), relations=(), labels=None, status="submitted", seconds=None):
    version = client.get(url).json()["version"]
    body = {
        "version": version,
        "spans": list(spans),
        "relations": list(relations),
        "document_labels": labels or {},
        "status": status,
    }
    if seconds is not None:
        body["active_seconds"] = seconds
    response = client.put(url, body, format="json")
    assert response.status_code == 200, response.json()


def quality(client, project):
    response = client.get(api(project.pk, "quality/"))
    assert response.status_code == 200, response.content
    return {row["username"]: row for row in response.json()["annotators"]}


def check_with_gold(cast, *, spans, relations=(), labels=None):
    document = DocumentFactory(project=cast.project)
    put(
        cast.client("reviewer"),
        doc_url(document, "gold/"),
        spans=spans,
        relations=relations,
        labels=labels,
    )
    assert mark(cast, document).status_code == 200
    return document


def do_check(client, project, expected, **work):
    """Ask the queue (at rate 1 it serves the check), then submit `work` on it."""
    assert next_doc(client, project).json()["id"] == expected.pk
    put(client, doc_url(expected, "annotations/mine/"), **work)


@pytest.fixture
def seeded(cast):
    """Two checks alice does, the second with one wrong label and a missed relation."""
    first = check_with_gold(
        cast, spans=[PER, QUOTE, LOC], relations=[SPEAKER], labels={"sentiment": "neutral"}
    )
    second = check_with_gold(cast, spans=[PER, LOC], labels={"sentiment": "positive"})
    set_rate(cast, 1)
    alice = cast.client("annotator")
    do_check(
        alice,
        cast.project,
        first,
        spans=[PER, QUOTE, LOC_WIDE],
        relations=[SPEAKER],
        labels={"sentiment": "negative"},
    )
    do_check(alice, cast.project, second, spans=[PER, ORG_AT_LOC], labels={"sentiment": "positive"})
    return first, second


def test_accuracy_is_what_the_hand_count_says(cast, seeded):
    """Alice against the checks' gold, by hand:

    check 1: gold PER, QUOTE, LOC + SPEAKER(QUOTE→PER), sentiment neutral;
             alice PER, QUOTE (exact), LOC one character wider (overlap only), the same
             SPEAKER, sentiment negative.
    check 2: gold PER, LOC, sentiment positive; alice PER (exact), ORG where LOC is (no
             match: another label), sentiment positive.

    spans exact:   matched 2 + 1 = 3; gold 3 + 2 = 5; hers 3 + 2 = 5 → F1 = 2·3/(5+5) = 0.6
    spans overlap: matched 3 + 1 = 4                                  → F1 = 2·4/10 = 0.8
    links:         matched 1 of gold 1, hers 1                        → F1 = 2·1/2 = 1.0
    labels:        groups compared 1 + 1 = 2, right 0 + 1 = 1         → 1/2 = 0.5
    """
    alice = quality(cast.client("reviewer"), cast.project)["alice"]
    assert alice["checks"] == 2
    assert alice["documents"] == 0
    assert alice["accuracy"] == {
        "span_f1": pytest.approx(0.6),
        "span_f1_overlap": pytest.approx(0.8),
        "link_f1": pytest.approx(1.0),
        "document_labels": pytest.approx(0.5),
    }


def test_accuracy_is_null_before_the_first_check(cast, seeded):
    """Bob has done no check: every accuracy figure is null, no drift, not drifting."""
    bob = quality(cast.client("admin"), cast.project)["bob"]
    assert bob["checks"] == 0
    assert bob["accuracy"] == dict.fromkeys(
        ("span_f1", "span_f1_overlap", "link_f1", "document_labels")
    )
    assert bob["drift"] == [] and bob["drifting"] is False


def test_an_annotator_sees_only_their_own_figures(cast, seeded):
    """Alice gets one entry, hers; reviewers and admins get every annotator; an outsider
    gets 404 as for anything of the project."""
    assert set(quality(cast.client("annotator"), cast.project)) == {"alice"}
    assert set(quality(cast.client("teammate"), cast.project)) == {"bob"}
    assert {"alice", "bob"} <= set(quality(cast.client("reviewer"), cast.project))
    assert cast.client("outsider").get(api(cast.project.pk, "quality/")).status_code == 404
    assert cast.client(None).get(api(cast.project.pk, "quality/")).status_code in (401, 403)


def test_documents_agreement_and_time(cast):
    """Ordinary documents count under `documents`; agreement is the mean of their
    documents' agreement (PER vs PER: 1.0; PER vs LOC: 0.0 → 0.5); time medians come from
    the editor's reports (10, 30, 40 s → 30 s; per span 10/1, 30/1, 40/2 → 10, 30, 20 → 20 s)."""
    cast.project.annotators_per_document = 2
    cast.project.save()
    docs = [DocumentFactory(project=cast.project) for _ in range(3)]
    alice, bob = cast.client("annotator"), cast.client("teammate")
    mine = "annotations/mine/"
    put(alice, doc_url(docs[0], mine), spans=[PER], seconds=10)
    put(bob, doc_url(docs[0], mine), spans=[PER])
    put(alice, doc_url(docs[1], mine), spans=[PER], seconds=30)
    put(bob, doc_url(docs[1], mine), spans=[LOC])
    put(alice, doc_url(docs[2], mine), spans=[PER, LOC], seconds=40)
    figures = quality(cast.client("reviewer"), cast.project)["alice"]
    assert figures["documents"] == 3
    assert figures["agreement"] == pytest.approx(0.5)
    assert figures["active_seconds_median"] == pytest.approx(30)
    assert figures["seconds_per_span_median"] == pytest.approx(20)


def test_drift_windows_and_the_flag():
    """Windows of DRIFT_WINDOW checks, counted back from the newest: 12 checks, the first
    7 perfect and the last 5 with half their spans wrong, give windows of 2, 5, 5 (F1 1.0,
    1.0, 0.5): the newest is 0.5 below the earlier mean, more than the margin."""
    assert (DRIFT_WINDOW, DRIFT_MARGIN) == (5, 0.1)
    gold = {"spans": [PER, LOC], "relations": [], "document_labels": {}}
    half = {"spans": [PER, ORG_AT_LOC], "relations": [], "document_labels": {}}
    start = timezone.now()
    checks = [
        (start + timedelta(minutes=i), Tally.of(gold, gold if i < 7 else half)) for i in range(12)
    ]
    windows = drift(checks)
    assert [(w["checks"], w["span_f1"]) for w in windows] == [(2, 1.0), (5, 1.0), (5, 0.5)]
    assert windows[-1]["last_at"] == checks[-1][0]
    assert is_drifting(windows) is True
    # A fall of exactly the margin or less is not drift.
    assert is_drifting([{"span_f1": 0.9}, {"span_f1": 0.8}]) is False
    assert is_drifting([{"span_f1": 0.9}, {"span_f1": 0.79}]) is True
    assert is_drifting([{"span_f1": 0.9}]) is False


def test_checks_count_only_work_since_the_document_became_one(cast):
    """An annotation made before its document was a check (it may have made the gold) is
    ordinary work that then leaves the figures, not a check."""
    document = DocumentFactory(project=cast.project)
    put(cast.client("annotator"), doc_url(document, "annotations/mine/"), spans=[PER])
    make_gold(cast, document)
    mark(cast, document)
    alice = quality(cast.client("reviewer"), cast.project)["alice"]
    assert (alice["checks"], alice["documents"]) == (0, 0)


def test_work_on_a_check_is_only_in_the_quality_report(cast, seeded):
    """Alice's checks are not among her documents, nor in the project's agreement."""
    first, _ = seeded
    assert Document.objects.get(pk=first.pk).agreement is None
    assert Annotation.objects.filter(document=first, is_gold=False).count() == 1
    assert quality(cast.client("reviewer"), cast.project)["alice"]["documents"] == 0


@pytest.mark.parametrize("more", [0, 3])
def test_quality_costs_the_same_queries_however_much_work(
    cast, seeded, more, django_assert_num_queries
):
    """The project and role; members; figures per annotator; the checks' annotations; their
    gold; labels; spans; relations. More checks and documents: the same."""
    alice = cast.client("annotator")
    for _ in range(more):
        extra = check_with_gold(cast, spans=[PER])
        do_check(alice, cast.project, extra, spans=[PER])
        put(alice, doc_url(DocumentFactory(project=cast.project), "annotations/mine/"))
    with django_assert_num_queries(8):
        quality(cast.client("reviewer"), cast.project)
