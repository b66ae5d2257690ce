"""The annotation queue, explicit assignments and progress, through the HTTP API."""

import threading
from collections import Counter

import pytest
from django.db import connection, connections
from rest_framework.test import APIClient

from annotations.models import Assignment, Role
from tests.conftest import api, error_body
from tests.factories import DocumentFactory, UserFactory, add_member


def next_doc(client, project):
    return client.get(api(project.pk, "queue/next/"))


def mine(document) -> str:
    return api(document.project_id, f"documents/{document.pk}/annotations/mine/")


def finish(client, document, status="submitted"):
    version = client.get(mine(document)).json()["version"]
    body = {"version": version, "spans": [], "status": status}
    assert client.put(mine(document), body, format="json").status_code == 200


@pytest.fixture
def docs(cast):
    return [DocumentFactory(project=cast.project) for _ in range(3)]


def test_queue_gives_a_document_with_text_and_the_same_one_until_finished(cast, docs):
    """Asking again before submitting returns the same document; submitting moves on."""
    client = cast.client("annotator")
    first = next_doc(client, cast.project)
    assert first.status_code == 200
    assert first.json()["id"] == docs[0].pk
    assert first.json()["text"] == docs[0].text
    assert next_doc(client, cast.project).json()["id"] == docs[0].pk
    finish(client, docs[0])
    assert next_doc(client, cast.project).json()["id"] == docs[1].pk
    assert Assignment.objects.filter(annotator=cast.annotator).count() == 2


def test_a_draft_keeps_the_document_and_a_skip_moves_on(cast, docs):
    """A draft is not finished; a skip is."""
    client = cast.client("annotator")
    assert next_doc(client, cast.project).json()["id"] == docs[0].pk
    finish(client, docs[0], status="draft")
    assert next_doc(client, cast.project).json()["id"] == docs[0].pk
    finish(client, docs[0], status="skipped")
    assert next_doc(client, cast.project).json()["id"] == docs[1].pk


def test_empty_queue_answers_204(cast, docs):
    """With every document done by the caller, the queue answers 204 No Content."""
    client = cast.client("annotator")
    for document in docs:
        assert next_doc(client, cast.project).json()["id"] == document.pk
        finish(client, document)
    response = next_doc(client, cast.project)
    assert response.status_code == 204
    assert response.content == b""


def test_queue_stops_at_the_required_overlap(cast, docs):
    """With one annotator per document, a teammate gets the next document, not the same."""
    assert next_doc(cast.client("annotator"), cast.project).json()["id"] == docs[0].pk
    assert next_doc(cast.client("teammate"), cast.project).json()["id"] == docs[1].pk
    assert next_doc(cast.client("reviewer"), cast.project).json()["id"] == docs[2].pk
    assert next_doc(cast.client("admin"), cast.project).status_code == 204


def test_in_progress_documents_come_first(cast, docs):
    """With overlap 2, the second annotator completes the first one's document first."""
    cast.project.annotators_per_document = 2
    cast.project.save()
    third = cast.client("annotator")
    assert next_doc(third, cast.project).json()["id"] == docs[0].pk
    finish(third, docs[0])
    assert next_doc(third, cast.project).json()["id"] == docs[1].pk
    # bob: docs[0] and docs[1] are both in progress; lowest id first.
    assert next_doc(cast.client("teammate"), cast.project).json()["id"] == docs[0].pk


def test_skipped_assignment_frees_its_place(cast, docs):
    """A skip does not count towards overlap: the document goes to someone else."""
    alice = cast.client("annotator")
    assert next_doc(alice, cast.project).json()["id"] == docs[0].pk
    finish(alice, docs[0], status="skipped")
    assert next_doc(cast.client("teammate"), cast.project).json()["id"] == docs[0].pk


def test_queue_skips_documents_with_gold_or_the_callers_own_work(cast, docs):
    """Adjudicated documents and documents the caller already annotated are not offered."""
    body = {"version": 0, "spans": []}
    gold = api(cast.project.pk, f"documents/{docs[0].pk}/gold/")
    assert cast.client("reviewer").put(gold, body, format="json").status_code == 200
    alice = cast.client("annotator")
    finish(alice, docs[1])
    assert next_doc(alice, cast.project).json()["id"] == docs[2].pk


def test_queue_is_per_project(cast, docs):
    """An outsider cannot draw from the project's queue (404), nor see it exists."""
    assert next_doc(cast.client("outsider"), cast.project).status_code == 404
    assert next_doc(cast.client("outsider"), cast.other_project).status_code == 204


def test_queue_passes_over_any_number_of_filled_candidates(cast, monkeypatch):
    """However many candidates fill up between the search and the lock (25 here; the old
    queue gave up after 20 and answered 204 with documents left), the caller gets one."""
    from annotations.services import workflow

    documents = [DocumentFactory(project=cast.project) for _ in range(30)]
    real = workflow._still_open
    calls = {"n": 0}

    def filled_meanwhile(*args) -> bool:
        calls["n"] += 1
        return calls["n"] > 25 and real(*args)

    monkeypatch.setattr(workflow, "_still_open", filled_meanwhile)
    response = next_doc(cast.client("annotator"), cast.project)
    assert response.status_code == 200
    assert response.json()["id"] == documents[25].pk


def test_queue_decides_from_the_rows_not_the_stored_state(cast, docs):
    """The stored work state only says where to look: a document whose state wrongly says
    `new` after its overlap was filled (a write that bypassed the services) is not given."""
    cast.project.annotators_per_document = 2
    cast.project.save()
    for who in ("teammate", "reviewer"):
        assert next_doc(cast.client(who), cast.project).json()["id"] == docs[0].pk
    cast.project.documents.filter(pk=docs[0].pk).update(state="new")
    assert next_doc(cast.client("annotator"), cast.project).json()["id"] == docs[1].pk


@pytest.mark.parametrize("size", [5, 60])
def test_queue_reads_the_same_few_rows_however_big_the_project(
    cast, size, django_assert_num_queries
):
    """Queries per request do not grow with the project: started documents with places
    left, then the first new one off the (project, state, id) index."""
    for _ in range(size):
        DocumentFactory(project=cast.project)
    client = cast.client("annotator")
    # The membership and project; the request's transaction (a savepoint in the test);
    # the caller's row lock; their returned work; their open assignment; the attempt's
    # savepoint; started candidates and the first new one (SKIP LOCKED); the re-check
    # under the lock; the assignment; the member's tally (insert if missing, then move);
    # the document's state; the two releases.
    with django_assert_num_queries(QUEUE_QUERIES):
        assert next_doc(client, cast.project).status_code == 200


QUEUE_QUERIES = 15


@pytest.mark.django_db(transaction=True)
def test_concurrent_queue_requests_never_over_assign():
    """6 annotators x repeated asks at once, overlap 2 over 5 documents: ≤ 2 each, no repeats.

    Each thread has its own connection; a barrier makes them start together.
    PostgreSQL only: SQLite's in-memory test database (shared cache) answers
    "table is locked" to concurrent writers instead of waiting for them.
    """
    if connection.vendor != "postgresql":
        pytest.skip("needs a server database (DATABASE_URL=postgres://...)")
    from tests.factories import make_project

    admin = UserFactory(username="boss")
    project = make_project(admin=admin, annotators_per_document=2)
    documents = [DocumentFactory(project=project) for _ in range(5)]
    users = [UserFactory(username=f"annotator{i}") for i in range(6)]
    for user in users:
        add_member(project, user, Role.ANNOTATOR)
    barrier = threading.Barrier(len(users))
    results: dict[str, list[int]] = {}
    errors: list[BaseException] = []

    def work(user) -> None:
        client = APIClient()
        client.force_authenticate(user)
        got = []
        try:
            barrier.wait()
            for _ in range(4):
                response = next_doc(client, project)
                if response.status_code == 204:
                    break
                assert response.status_code == 200, response.content
                document_id = response.json()["id"]
                got.append(document_id)
                document = next(d for d in documents if d.pk == document_id)
                finish(client, document)
        except BaseException as exc:  # reported in the main thread
            errors.append(exc)
        finally:
            results[user.username] = got
            connections.close_all()

    threads = [threading.Thread(target=work, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    assignments = Counter(Assignment.objects.values_list("document_id", flat=True))
    assert sum(assignments.values()) == 10  # 5 documents x 2: the queue filled every place
    assert all(n == 2 for n in assignments.values()), assignments
    for username, got in results.items():
        assert len(got) == len(set(got)), f"{username} got a document twice: {got}"


def test_admin_assigns_lists_filters_reassigns_and_removes(cast, docs):
    """Explicit assignment: POST, GET with filters, PATCH to reassign, DELETE."""
    admin = cast.client("admin")
    url = api(cast.project.pk, "assignments/")
    created = admin.post(url, {"document": docs[0].pk, "annotator": "alice"}, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["annotator"] == "alice"
    assert created.json()["assigned_by"] == "adam"
    again = admin.post(url, {"document": docs[0].pk, "annotator": "alice"}, format="json")
    assert again.status_code == 200
    assert again.json()["id"] == created.json()["id"]
    admin.post(url, {"document": docs[1].pk, "annotator": "bob"}, format="json")
    listed = admin.get(url, {"annotator": "alice"}).json()["results"]
    assert [(a["document"], a["annotator"]) for a in listed] == [(docs[0].pk, "alice")]
    by_doc = admin.get(url, {"document": docs[1].pk}).json()["results"]
    assert [a["annotator"] for a in by_doc] == ["bob"]

    detail = api(cast.project.pk, f"assignments/{created.json()['id']}/")
    moved = admin.patch(detail, {"annotator": "bob"}, format="json")
    assert moved.status_code == 200
    assert moved.json()["annotator"] == "bob"
    # the explicit assignment is now bob's queue item
    assert next_doc(cast.client("teammate"), cast.project).json()["id"] == docs[0].pk
    assert admin.delete(detail).status_code == 204
    assert admin.get(detail).status_code == 404


def test_assignment_refuses_non_members_and_other_projects_documents(cast, docs):
    """The annotator must be a member and the document the project's: 400 naming the field."""
    admin = cast.client("admin")
    url = api(cast.project.pk, "assignments/")
    outsider = admin.post(url, {"document": docs[0].pk, "annotator": "oscar"}, format="json")
    assert list(error_body(outsider, 400, "invalid")["errors"]) == ["annotator"]
    foreign = DocumentFactory(project=cast.other_project)
    wrong = admin.post(url, {"document": foreign.pk, "annotator": "alice"}, format="json")
    assert list(error_body(wrong, 400, "invalid")["errors"]) == ["document"]


def test_reassigning_to_someone_who_has_it_is_a_conflict(cast, docs):
    """PATCH to an annotator who already has the document answers 409."""
    admin = cast.client("admin")
    url = api(cast.project.pk, "assignments/")
    first = admin.post(url, {"document": docs[0].pk, "annotator": "alice"}, format="json")
    admin.post(url, {"document": docs[0].pk, "annotator": "bob"}, format="json")
    detail = api(cast.project.pk, f"assignments/{first.json()['id']}/")
    error_body(admin.patch(detail, {"annotator": "bob"}, format="json"), 409, "conflict")


def test_progress_counts_each_annotators_work(cast, docs, django_assert_num_queries):
    """Per annotator: assigned, draft, submitted, skipped, in a constant number of queries."""
    alice, bob = cast.client("annotator"), cast.client("teammate")
    next_doc(alice, cast.project)
    finish(alice, docs[0])
    next_doc(alice, cast.project)
    finish(alice, docs[1], status="skipped")
    next_doc(alice, cast.project)
    finish(alice, docs[2], status="draft")
    admin = cast.client("admin")
    # project with the caller's role, members, assignment counts, annotation counts
    with django_assert_num_queries(4):
        response = admin.get(api(cast.project.pk, "progress/"))
    assert response.status_code == 200
    assert response.json() == [
        {"annotator": "alice", "role": "annotator", "assigned": 3, "draft": 1,
         "submitted": 1, "skipped": 1},
        {"annotator": "bob", "role": "annotator", "assigned": 0, "draft": 0,
         "submitted": 0, "skipped": 0},
    ]  # fmt: skip
    for _ in range(5):  # more people and work: same number of queries
        user = UserFactory()
        add_member(cast.project, user, Role.ANNOTATOR)
        DocumentFactory(project=cast.project)
        client = APIClient()
        client.force_authenticate(user)
        next_doc(client, cast.project)
    del bob
    with django_assert_num_queries(4):
        assert len(admin.get(api(cast.project.pk, "progress/")).json()) == 7
