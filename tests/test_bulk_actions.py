"""Bulk actions of the documents table: assign to annotators, reset to the queue, export the
selection. Each takes the documents picked (`documents`) or the table's own filter
(`filter`), refuses bad input with nothing stored, keeps the dashboard's figures (checked
against a recount) and costs the same queries for 2 documents or 40."""

import io
import json
import zipfile

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from annotations.models import Annotation, Assignment, Document, ExportJob
from annotations.services import work_state
from annotations.services.exports import export_run
from tests.conftest import api, error_body
from tests.factories import DocumentFactory
from tests.test_work_state import snapshot

TEXT = "Jens Stoltenberg berkata: “Kami siap,” kata dia di Brussel."
PER = {"id": "p", "start": 0, "end": 16, "label": "PER"}


def post(cast, action: str, body, who: str = "admin"):
    return cast.client(who).post(
        api(cast.project.pk, f"documents/bulk/{action}/"), body, format="json"
    )


def submit(cast, who: str, document) -> None:
    mine = api(cast.project.pk, f"documents/{document.pk}/annotations/mine/")
    body = {"version": 0, "spans": [PER], "status": "submitted"}
    assert cast.client(who).put(mine, body, format="json").status_code == 200


def progress(cast) -> dict[str, dict]:
    figures = cast.client("reviewer").get(api(cast.project.pk, "dashboard/")).json()
    return {row["username"]: row for row in figures["annotators"]}


def assert_matches_recount(project) -> None:
    kept = snapshot(project)
    work_state.recount(project.pk)
    assert snapshot(project) == kept


@pytest.fixture
def docs(cast):
    return [DocumentFactory(project=cast.project, text=TEXT, length=len(TEXT)) for _ in range(5)]


def test_assign_gives_each_document_to_each_annotator(cast, docs):
    """Three documents to alice and bob: six assignments, states and tallies move; the
    same call again makes none."""
    body = {"documents": [d.pk for d in docs[:3]], "annotators": ["alice", "bob"]}
    response = post(cast, "assign", body)
    assert response.status_code == 200, response.content
    assert response.json() == {"documents": 3, "assigned": 6, "already": 0}
    assert Assignment.objects.count() == 6
    assert {d.state for d in Document.objects.filter(pk__in=body["documents"])} == {"in_progress"}
    members = progress(cast)
    assert members["alice"]["assigned"] == members["bob"]["assigned"] == 3
    assert members["alice"]["in_progress"] == 3
    again = post(cast, "assign", body)
    assert again.json() == {"documents": 3, "assigned": 0, "already": 6}
    assert Assignment.objects.count() == 6
    assert_matches_recount(cast.project)


def test_assign_by_the_tables_filter(cast, docs):
    """`filter` is the table's query string: every document it matches, whatever the page."""
    submit(cast, "teammate", docs[0])
    body = {"filter": "state=new&page=2&ordering=-title", "annotators": ["alice"]}
    response = post(cast, "assign", body)
    assert response.status_code == 200, response.content
    assert response.json()["documents"] == 4
    assigned = set(Assignment.objects.values_list("document_id", flat=True))
    assert assigned == {d.pk for d in docs[1:]}
    listed = cast.client("reviewer").get(
        api(cast.project.pk, "documents/?annotator=alice&annotator_status=assigned")
    )
    assert listed.json()["count"] == 4
    assert_matches_recount(cast.project)


def test_reset_takes_back_unfinished_assignments_and_keeps_all_work(cast, docs):
    """alice's assignments she has not submitted go, bob's submitted one stays, alice's
    draft stays; a document with nothing left is new again and the queue hands it out."""
    ids = [d.pk for d in docs[:2]]
    post(cast, "assign", {"documents": ids, "annotators": ["alice", "bob"]})
    submit(cast, "teammate", docs[0])
    mine = api(cast.project.pk, f"documents/{docs[1].pk}/annotations/mine/")
    draft = {"version": 0, "spans": [PER]}
    assert cast.client("annotator").put(mine, draft, format="json").status_code == 200
    response = post(cast, "reset", {"documents": ids})
    assert response.status_code == 200, response.content
    assert response.json() == {"documents": 2, "unassigned": 3}
    left = set(Assignment.objects.values_list("document_id", "annotator__username"))
    assert left == {(docs[0].pk, "bob")}
    assert Annotation.objects.filter(annotator=cast.annotator, status="draft").count() == 1
    docs[1].refresh_from_db()
    assert docs[1].state == "in_progress"  # alice's draft
    members = progress(cast)
    assert members["alice"]["assigned"] == 0 and members["bob"]["assigned"] == 1
    assert_matches_recount(cast.project)
    # Nothing of alice's assignments remains: the queue gives bob a document again.
    nxt = cast.client("teammate").get(api(cast.project.pk, "queue/next/"))
    assert nxt.status_code == 200


def test_export_of_a_selection_holds_those_documents_only(cast, docs, settings, tmp_path):
    """Two of five documents with submitted work, exported with scope all: two records."""
    settings.MEDIA_ROOT = tmp_path
    for document in docs:
        submit(cast, "annotator", document)
    chosen = [docs[1].pk, docs[3].pk]
    response = post(cast, "export", {"documents": chosen, "format": "jsonl", "scope": "all"})
    assert response.status_code == 202, response.content
    job = ExportJob.objects.get(pk=response.json()["id"])
    assert job.documents == chosen
    export_run(job.pk)
    job.refresh_from_db()
    assert job.status == "succeeded" and job.row_count == 2
    with zipfile.ZipFile(io.BytesIO(job.file.read())) as archive:
        name = next(n for n in archive.namelist() if n.endswith(".jsonl"))
        lines = archive.read(name).decode().splitlines()
    exported = {json.loads(line)["external_id"] for line in lines}
    assert exported == {docs[1].external_id, docs[3].external_id}


def test_reviewers_export_but_only_admins_assign_or_reset(cast, docs):
    """The roles: reviewers may export a selection; assigning and resetting are admins'."""
    ids = {"documents": [docs[0].pk]}
    assert post(cast, "assign", {**ids, "annotators": ["alice"]}, who="reviewer").status_code == 403
    assert post(cast, "reset", ids, who="reviewer").status_code == 403
    assert post(cast, "reset", ids, who="outsider").status_code == 404
    assert Assignment.objects.count() == 0


@pytest.mark.parametrize(
    ("action", "body", "where"),
    [
        ("assign", {"documents": [1], "annotators": ["nobody"]}, "annotators"),
        ("assign", {"annotators": ["alice"]}, "non_field_errors"),
        ("assign", {"documents": [], "annotators": ["alice"]}, "documents"),
        ("assign", {"documents": [1], "filter": "", "annotators": ["alice"]}, "non_field_errors"),
        ("assign", {"filter": "state=lost", "annotators": ["alice"]}, "state"),
        ("assign", {"filter": "annotator=nobody", "annotators": ["alice"]}, "annotator"),
        ("reset", {"documents": ["x"]}, "documents.0"),
        ("reset", {"documents": [999_999]}, "documents"),
        ("export", {"documents": [1], "format": "pdf"}, "format"),
        ("export", {"filter": "q=nothingmatchesthis", "format": "jsonl"}, "filter"),
    ],
)
def test_bad_selections_are_a_400_naming_the_field_and_store_nothing(
    cast, docs, action, body, where
):
    """Unknown annotators or documents (another project's too), both or neither of
    `documents` and `filter`, a filter the table would refuse: 400, nothing stored."""
    if body.get("documents") == [1]:
        body = {**body, "documents": [docs[0].pk]}
    other = DocumentFactory(project=cast.other_project)
    if body.get("documents") == [999_999]:
        body = {**body, "documents": [docs[0].pk, other.pk]}
    error = error_body(post(cast, action, body), 400, "invalid")
    assert where in error["errors"], error
    assert Assignment.objects.count() == 0 and ExportJob.objects.count() == 0


def test_bulk_actions_cost_the_same_queries_for_2_documents_or_40(cast, settings, tmp_path):
    """Assign (by ids and by filter), reset and export: query counts do not grow with the
    number of documents."""
    settings.MEDIA_ROOT = tmp_path
    counts: dict[str, list[int]] = {"assign": [], "filter": [], "reset": [], "export": []}
    for n in (2, 40):
        Document.objects.filter(project=cast.project).delete()
        docs = [DocumentFactory(project=cast.project) for _ in range(n)]
        ids = [d.pk for d in docs]
        calls = {
            "assign": ("assign", {"documents": ids, "annotators": ["alice", "bob"]}),
            "reset": ("reset", {"documents": ids}),
            "filter": ("assign", {"filter": "state=new", "annotators": ["alice"]}),
            "export": ("export", {"documents": ids, "format": "jsonl"}),
        }
        for name, (action, body) in calls.items():
            with CaptureQueriesContext(connection) as queries:
                response = post(cast, action, body)
            assert response.status_code in (200, 202), response.content
            counts[name].append(len(queries))
    for name, (small, large) in counts.items():
        assert small == large, (name, counts[name])
    if connection.vendor == "postgresql":
        # assign: project and role, members, the documents locked, existing assignments,
        # a savepoint around the insert (3), the states, annotation statuses, the tallies
        # (an insert, then one update per annotator) and the transaction's own savepoint;
        # by filter the filter's query replaces the named documents' check. reset: the
        # documents locked, the open assignments, the delete, the refresh of the
        # documents' state and the tallies. export: project and role, the job.
        assert {name: n[0] for name, n in counts.items()} == {
            "assign": 14,
            "filter": 14,
            "reset": 16,
            "export": 2,
        }
