"""Diffs between dataset versions: GET /api/exports/{id}/diff/ against the previous version
or ?against=, the manifest each export keeps, the card's summary, and the 202 path."""

from __future__ import annotations

import pytest

from annotations.models import ExportDiff, ExportEntry, ExportJob
from annotations.services import export_diff
from annotations.services.exports import export_request, export_run
from tests.conftest import api, error_body
from tests.factories import DocumentFactory
from tests.test_export_records import PER, QUOTE, SPEAKER, TEXT, annotate
from tests.test_exports_api import download, request_export, run, unzip

ORG = {**PER, "label": "ORG"}  # PER relabelled
QUOTE_MOVED = {**QUOTE, "start": 26}  # same label, overlapping, one character earlier
LOC = {"id": "s9", "start": 51, "end": 58, "label": "LOC", "attributes": {}}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def golds(cast):
    docs = []
    for i in range(3):
        doc = DocumentFactory(project=cast.project, text=TEXT, external_id=f"g{i}")
        annotate(
            doc, None, spans=[PER, QUOTE], relations=[SPEAKER], labels={"sentiment": "neutral"}
        )
        docs.append(doc)
    return docs


def put_gold(cast, document, **content):
    url = api(cast.project.pk, f"documents/{document.pk}/gold/")
    client = cast.client("reviewer")
    version = client.get(url).json()["version"]
    response = client.put(url, {"version": version, **content}, format="json")
    assert response.status_code == 200, response.json()


def diff(cast, job_id: int, who: str = "reviewer", **query):
    return cast.client(who).get(f"/api/exports/{job_id}/diff/", query)


def test_one_changed_gold_document_is_exactly_what_the_diff_says(cast, golds):
    """g1's gold: PER relabelled to ORG, QUOTE moved, LOC added, the link removed and the
    sentiment changed. The diff names g1 alone and counts each change (by hand below)."""
    first = run(request_export(cast, format="jsonl"))
    put_gold(
        cast,
        golds[1],
        spans=[ORG, QUOTE_MOVED, LOC],
        relations=[],
        document_labels={"sentiment": "negative"},
    )
    second = run(request_export(cast, format="jsonl"))
    assert second["previous"] == first["id"]
    response = diff(cast, second["id"])
    assert response.status_code == 200
    assert response.json() == {
        "against": first["id"],
        "documents": {"added": [], "removed": [], "changed": ["g1"]},
        "spans": {"added": 1, "removed": 0, "relabelled": 1, "moved": 1},
        "relations": {"added": 0, "removed": 1},
        "document_labels": {"changed": 1},
        "by_label": {
            "LOC": {"added": 1, "removed": 0},
            "ORG": {"added": 1, "removed": 0},
            "PER": {"added": 0, "removed": 1},
        },
    }
    card = unzip(download(cast, second["id"])[1])["README.md"].decode()
    assert f"## Changes since version 1 (export {first['id']})" in card
    assert "- Documents: 0 added, 0 removed, 1 changed" in card
    assert "- Spans: 1 added, 0 removed, 1 relabelled, 1 moved" in card
    assert "- Changed: `g1`" in card


def test_unchanged_data_diffs_empty_and_the_first_version_has_no_changes_section(cast, golds):
    """Re-exporting the same data: nothing added, removed or changed; v1's card has no
    changes section."""
    first = run(request_export(cast, format="csv"))
    second = run(request_export(cast, format="csv"))
    body = diff(cast, second["id"]).json()
    assert body["documents"] == {"added": [], "removed": [], "changed": []}
    assert body["spans"] == {"added": 0, "removed": 0, "relabelled": 0, "moved": 0}
    assert body["by_label"] == {}
    assert "## Changes since" not in unzip(download(cast, first["id"])[1])["README.md"].decode()


def test_added_and_removed_documents_count_their_spans(cast, golds):
    """A version of g0 and g1 only, then all three: g2 is added (2 spans, 1 link); the
    other way round (?against=) it is removed."""
    small = export_request(
        project=cast.project,
        requested_by=cast.reviewer,
        format="jsonl",
        documents=[golds[0].pk, golds[1].pk],
        enqueue=False,
    )
    export_run(small.pk)
    full = run(request_export(cast, format="jsonl"))
    forward = diff(cast, full["id"]).json()
    assert forward["against"] == small.pk
    assert forward["documents"] == {"added": ["g2"], "removed": [], "changed": []}
    assert forward["spans"]["added"] == 2 and forward["relations"]["added"] == 1
    assert forward["by_label"] == {
        "PER": {"added": 1, "removed": 0},
        "QUOTE": {"added": 1, "removed": 0},
    }
    back = diff(cast, small.pk, against=full["id"]).json()
    assert back["against"] == full["id"]
    assert back["documents"] == {"added": [], "removed": ["g2"], "changed": []}
    assert back["spans"]["removed"] == 2 and back["relations"]["removed"] == 1


def test_the_manifest_is_one_entry_per_document_of_the_winning_attempt(cast, golds):
    """Each succeeded export keeps one entry per exported document, of its own attempt."""
    job = run(request_export(cast, format="jsonl"))
    entries = ExportEntry.objects.filter(export_id=job["id"])
    assert sorted(entries.values_list("external_id", flat=True)) == ["g0", "g1", "g2"]
    assert set(entries.values_list("attempt", flat=True)) == {job["attempt"]}
    assert entries.first().content["spans"] == sorted([[0, 16, "PER"], [27, 36, "QUOTE"]])


def test_a_large_diff_is_left_to_a_worker_and_answered_202_until_stored(
    cast, golds, settings, django_capture_on_commit_callbacks, monkeypatch
):
    """Past EXPORT_DIFF_INLINE_DOCUMENTS the request queues the diff and answers 202; once
    the task has run, 200 with the diff."""
    first = run(request_export(cast, format="jsonl"))
    second = run(request_export(cast, format="jsonl"))
    ExportDiff.objects.all().delete()  # as if the export's own diff had not been stored
    settings.EXPORT_DIFF_INLINE_DOCUMENTS = 0
    queued: list[int] = []
    monkeypatch.setattr(export_diff, "diff_enqueue", queued.append)
    with django_capture_on_commit_callbacks(execute=True):
        response = diff(cast, second["id"])
    assert response.status_code == 202
    assert response.json() == {"status": "pending", "against": first["id"]}
    assert len(queued) == 1
    assert diff(cast, second["id"]).status_code == 202  # still pending, not queued twice
    export_diff.diff_run(queued[0])
    done = diff(cast, second["id"])
    assert done.status_code == 200 and done.json()["against"] == first["id"]


@pytest.mark.parametrize(("who", "expected"), [("annotator", 403), ("outsider", 404)])
def test_only_those_who_read_exports_read_diffs(cast, golds, who, expected):
    run(request_export(cast, format="jsonl"))
    second = run(request_export(cast, format="jsonl"))
    assert diff(cast, second["id"], who=who).status_code == expected


def test_bad_comparisons_say_why(cast, golds):
    """No previous version, a non-number, another project's export, an unfinished one: each a
    4xx whose body says what is wrong."""
    first = run(request_export(cast, format="jsonl"))
    error = error_body(diff(cast, first["id"]), 400, "invalid")
    assert "no previous version" in error["errors"]["against"][0]
    error = error_body(diff(cast, first["id"], against="last"), 400, "invalid")
    assert "export id" in error["errors"]["against"][0]
    elsewhere = ExportJob.objects.create(project=cast.other_project, format="jsonl")
    error = error_body(diff(cast, first["id"], against=elsewhere.pk), 404, "not_found")
    assert f"No export {elsewhere.pk} in this project" in error["detail"]
    pending = ExportJob.objects.create(project=cast.project, format="jsonl")
    error = error_body(diff(cast, first["id"], against=pending.pk), 400, "invalid")
    assert "pending" in error["errors"]["against"][0]
    error = error_body(diff(cast, pending.pk, against=first["id"]), 400, "invalid")
    assert "pending" in error["detail"]


@pytest.mark.parametrize("documents", [3, 6])
def test_a_diff_reads_each_side_by_batches_and_looks_up_the_other_by_its_index(
    cast, settings, django_assert_num_queries, documents
):
    """Batches of one document: per side a keyset read per batch (and one finding the end)
    and one indexed lookup of the batch's ids on the other side; contents only for what
    changed (here g1, with the two reads of its contents)."""
    for i in range(documents):
        doc = DocumentFactory(project=cast.project, text=TEXT, external_id=f"g{i}")
        annotate(doc, None, spans=[PER, QUOTE], relations=[SPEAKER])
    first = ExportJob.objects.get(pk=run(request_export(cast, format="jsonl"))["id"])
    g1 = cast.project.documents.get(external_id="g1")
    put_gold(cast, g1, spans=[ORG, QUOTE], relations=[])
    second = ExportJob.objects.get(pk=run(request_export(cast, format="jsonl"))["id"])
    settings.EXPORT_BATCH_SIZE = 1
    with django_assert_num_queries(2 * (2 * documents + 1) + 2):
        result = export_diff.diff_compute(second.pk, second.attempt, first)
    assert result["documents"] == {"added": [], "removed": [], "changed": ["g1"]}
    assert result["spans"]["relabelled"] == 1 and result["relations"]["removed"] == 1
