"""Hidden gold checks: marking, the check rate, the queue's turns, and blindness (issue 12).

Everything goes through the HTTP API as the cast would use it; the export records are read
with the export's own reader.
"""

from __future__ import annotations

import pytest

from annotations.models import Document, Role
from annotations.selectors.exports import record_batches
from tests.conftest import api, error_body
from tests.factories import DocumentFactory, UserFactory, add_member

PER = {"id": "s1", "start": 0, "end": 16, "label": "PER"}
LOC = {"id": "s2", "start": 51, "end": 58, "label": "LOC"}


def doc_url(document, suffix: str = "") -> str:
    return api(document.project_id, f"documents/{document.pk}/{suffix}")


def put(client, url, *, spans=(), status="submitted"):
    version = client.get(url).json()["version"]
    body = {"version": version, "spans": list(spans), "status": status}
    response = client.put(url, body, format="json")
    assert response.status_code == 200, response.json()
    return response


def make_gold(cast, document, spans=(PER, LOC)):
    put(cast.client("reviewer"), doc_url(document, "gold/"), spans=spans)


def mark(cast, document, value=True, who="admin"):
    return cast.client(who).patch(doc_url(document), {"is_check": value}, format="json")


def set_rate(cast, rate):
    response = cast.client("admin").patch(api(cast.project.pk), {"check_rate": rate}, format="json")
    assert response.status_code == 200, response.json()
    cast.project.refresh_from_db()


def next_doc(client, project):
    return client.get(api(project.pk, "queue/next/"))


def submit(client, document, spans=(PER,)):
    put(client, doc_url(document, "annotations/mine/"), spans=spans)


@pytest.fixture
def checks(cast):
    """Two gold documents made checks, before three ordinary documents."""
    made = [DocumentFactory(project=cast.project) for _ in range(2)]
    for document in made:
        make_gold(cast, document)
        assert mark(cast, document).status_code == 200
    return made


@pytest.fixture
def plain(cast):
    return [DocumentFactory(project=cast.project) for _ in range(4)]


def test_a_document_without_gold_cannot_be_a_check(cast):
    """PATCH is_check on a document with no gold is a 400 naming `is_check`; nothing is
    stored."""
    document = DocumentFactory(project=cast.project)
    body = error_body(mark(cast, document), 400, "invalid")
    assert "gold" in body["errors"]["is_check"][0]
    assert Document.objects.get(pk=document.pk).check_since is None


def test_an_admin_marks_and_unmarks_a_check(cast):
    """The admin's answer says is_check; marking twice keeps the first time; false undoes."""
    document = DocumentFactory(project=cast.project)
    make_gold(cast, document)
    response = mark(cast, document)
    assert response.status_code == 200
    assert response.json()["is_check"] is True
    since = Document.objects.get(pk=document.pk).check_since
    assert since is not None
    assert mark(cast, document).json()["is_check"] is True
    assert Document.objects.get(pk=document.pk).check_since == since
    assert mark(cast, document, False).json()["is_check"] is False
    assert Document.objects.get(pk=document.pk).check_since is None


@pytest.mark.parametrize(
    ("who", "status"), [("reviewer", 403), ("annotator", 403), ("outsider", 404)]
)
def test_only_admins_mark_checks(cast, who, status):
    """Reviewers and annotators get 403, an outsider 404 (the project is not theirs)."""
    document = DocumentFactory(project=cast.project)
    make_gold(cast, document)
    assert mark(cast, document, who=who).status_code == status
    assert Document.objects.get(pk=document.pk).check_since is None


@pytest.mark.parametrize("rate", [-0.1, 1.5, "often"])
def test_check_rate_is_between_0_and_1(cast, rate):
    """A rate outside 0..1 (or not a number) is a 400 at `check_rate`; the rate stays."""
    response = cast.client("admin").patch(api(cast.project.pk), {"check_rate": rate}, format="json")
    body = error_body(response, 400, "invalid")
    assert "check_rate" in body["errors"]
    cast.project.refresh_from_db()
    assert cast.project.check_rate == 0


def test_only_admins_set_the_check_rate(cast):
    """The rate is the project's setting: an annotator's PATCH is 403; everyone reads it."""
    client = cast.client("annotator")
    assert client.patch(api(cast.project.pk), {"check_rate": 1}, format="json").status_code == 403
    assert client.get(api(cast.project.pk)).json()["check_rate"] == 0


def _hand_outs(client, project, n):
    """The ids the queue gives one after another, each submitted before the next ask."""
    ids = []
    for _ in range(n):
        response = next_doc(client, project)
        if response.status_code == 204:
            break
        document = Document.objects.get(pk=response.json()["id"])
        ids.append(document.pk)
        submit(client, document)
    return ids


def test_at_rate_one_every_check_comes_first_for_each_annotator(cast, checks, plain):
    """At 1.0 each annotator gets every check before any other work; overlap does not
    limit checks (both annotators do both)."""
    set_rate(cast, 1)
    expected = [d.pk for d in checks] + [plain[0].pk]
    assert _hand_outs(cast.client("annotator"), cast.project, 3) == expected
    bob = _hand_outs(cast.client("teammate"), cast.project, 3)
    assert bob == [d.pk for d in checks] + [plain[1].pk]


def test_at_rate_one_half_every_second_document_is_a_check(cast, checks, plain):
    """At 0.5 (⌈1/0.5⌉ = 2) hand-outs 2 and 4 are the checks; once they are done the rest
    is ordinary work."""
    set_rate(cast, 0.5)
    got = _hand_outs(cast.client("annotator"), cast.project, 10)
    assert got == [plain[0].pk, checks[0].pk, plain[1].pk, checks[1].pk, plain[2].pk, plain[3].pk]


def test_at_rate_one_third_every_third_document_is_a_check(cast, checks, plain):
    """0.3 rounds to every ⌈1/0.3⌉ = 4th hand-out."""
    set_rate(cast, 0.3)
    got = _hand_outs(cast.client("annotator"), cast.project, 6)
    assert got == [plain[0].pk, plain[1].pk, plain[2].pk, checks[0].pk, plain[3].pk]


def test_at_rate_zero_no_check_is_served(cast, checks, plain):
    """Checks are gold documents: without a rate the queue never gives them."""
    got = _hand_outs(cast.client("annotator"), cast.project, 10)
    assert got == [d.pk for d in plain]


def test_asking_again_does_not_move_the_turn(cast, checks, plain):
    """The same open document comes back until it is finished, whatever the rate."""
    set_rate(cast, 0.5)
    client = cast.client("annotator")
    first = next_doc(client, cast.project).json()["id"]
    for _ in range(3):
        assert next_doc(client, cast.project).json()["id"] == first == plain[0].pk


def test_a_check_done_before_it_was_one_is_not_served(cast, plain):
    """Whoever worked on a document before it became a check never gets it as one."""
    document = DocumentFactory(project=cast.project)
    submit(cast.client("annotator"), document)
    make_gold(cast, document)
    assert mark(cast, document).status_code == 200
    set_rate(cast, 1)
    assert next_doc(cast.client("annotator"), cast.project).json()["id"] == plain[0].pk
    assert next_doc(cast.client("teammate"), cast.project).json()["id"] == document.pk


# --- blindness ---------------------------------------------------------------------------


def _same_but_identity(check: dict, normal: dict) -> None:
    """Field by field: the same keys, and the same values but for what names the document."""
    assert check.keys() == normal.keys()
    identity = {"id", "title", "external_id", "text", "length", "meta"}
    identity |= {"created_at", "last_submitted_at", "updated_at"}  # clocks
    for key in check.keys() - identity:
        assert check[key] == normal[key], key
    for key in check.keys() & identity:
        assert type(check[key]) is type(normal[key]), key


def test_an_annotator_cannot_tell_a_check_from_a_normal_document(cast, plain):
    """The queue's answer, the document, the annotator's own annotation, the documents
    table's row (given, then submitted) and the comparison with gold are the same for a
    check as for an ordinary document in the same place, field by field."""
    cast.project.annotators_see_gold_after_review = True
    cast.project.annotators_see_each_other = True  # the table's most telling columns
    cast.project.save()
    check = DocumentFactory(project=cast.project)
    make_gold(cast, check)
    mark(cast, check)
    set_rate(cast, 0.5)
    alice = cast.client("annotator")
    table = api(cast.project.pk, "documents/")
    mine, compared = "annotations/mine/", "annotations/mine/compared/"

    def row(document):
        return next(r for r in alice.get(table).json()["results"] if r["id"] == document.pk)

    normal_answer = next_doc(alice, cast.project).json()
    normal = Document.objects.get(pk=normal_answer["id"])
    normal_row = row(normal)
    normal_doc = alice.get(doc_url(normal)).json()
    normal_mine = alice.get(doc_url(normal, mine)).json()
    submit(alice, normal)
    check_answer = next_doc(alice, cast.project).json()
    assert check_answer["id"] == check.pk
    _same_but_identity(check_answer, normal_answer)
    _same_but_identity(row(check), normal_row)
    _same_but_identity(alice.get(doc_url(check)).json(), normal_doc)
    _same_but_identity(alice.get(doc_url(check, mine)).json(), normal_mine)
    submit(alice, check)
    _same_but_identity(row(check), row(normal))
    assert (row(check)["state"], row(check)["status"], row(check)["is_check"]) == (
        "annotated",
        "annotated",
        None,
    )
    _same_but_identity(
        alice.get(doc_url(check, mine)).json(), alice.get(doc_url(normal, mine)).json()
    )
    answer = alice.get(doc_url(check, compared))
    assert answer.status_code == 200
    assert answer.json() == alice.get(doc_url(normal, compared)).json()
    assert answer.json() == {"gold_version": None, "spans": [], "missed": 0}
    # The gold itself stays closed to annotators, as for any document.
    assert alice.get(doc_url(check, "gold/")).status_code == 403
    # A reviewer's comparison does show it.
    assert cast.client("reviewer").get(doc_url(check, compared)).status_code == 200


def test_the_annotators_table_filters_a_check_as_it_shows_it(cast, checks):
    """`status=reviewed` and `state=gold` never list a check for an annotator; the status
    and state it shows find it; reviewers see it as reviewed (submitted gold) and a check."""
    cast.project.annotators_see_each_other = True
    cast.project.save()
    alice = cast.client("annotator")
    table = api(cast.project.pk, "documents/")

    def ids(client, query):
        return {r["id"] for r in client.get(table + query).json()["results"]}

    assert ids(alice, "?status=reviewed") == set()
    assert ids(alice, "?state=gold,reviewed") == set()
    assert ids(alice, "?status=in_progress") == {d.pk for d in checks}
    assert ids(alice, "?state=in_progress") == {d.pk for d in checks}
    rita = cast.client("reviewer")
    assert ids(rita, "?status=reviewed") == {d.pk for d in checks}
    rows = rita.get(table).json()["results"]
    assert {r["id"]: (r["state"], r["is_check"]) for r in rows} == {
        d.pk: ("reviewed", True) for d in checks
    }


# --- work on a check enters nothing but the quality report ------------------------------


def test_work_on_a_check_enters_no_agreement_nor_export(cast, checks, plain):
    """Two annotators submit a check (disagreeing): the document keeps no agreement, the
    project's agreement and the dashboard's leave it out, the label counts do not move,
    and no export carries their work (gold is still exported)."""
    set_rate(cast, 1)
    for who, spans in (("annotator", (PER,)), ("teammate", (LOC,))):
        client = cast.client(who)
        assert next_doc(client, cast.project).json()["id"] == checks[0].pk
        submit(client, checks[0], spans)
    document = Document.objects.get(pk=checks[0].pk)
    assert document.agreement is None and document.disputed is False
    assert document.submitted_count == 2
    agreement = cast.client("reviewer").get(api(cast.project.pk, "agreement/")).json()
    assert agreement["documents"] == 0
    dashboard = cast.client("admin").get(api(cast.project.pk, "dashboard/")).json()
    assert all(bucket["documents"] == 0 for bucket in dashboard["agreement"])
    assert {label["name"]: label["spans"] for label in dashboard["labels"]}["PER"] == 0
    records = [r for b in record_batches(cast.project, "all") for r in b.records]
    by_id = {r["external_id"]: r for r in records}
    assert by_id[document.external_id]["annotations"] == []
    assert [s["label"] for s in by_id[document.external_id]["spans"]] == ["PER", "LOC"]
    # Unmarked, the same work is ordinary work again.
    assert mark(cast, document, False).status_code == 200
    document.refresh_from_db()
    assert document.agreement == 0.0 and document.disputed is True


@pytest.mark.parametrize("size", [5, 40])
def test_the_queue_costs_the_same_with_checks(cast, size, django_assert_num_queries):
    """With a check rate the queue reads the caller's tally once more; a check's turn reads
    one check candidate; neither grows with the project (the ordinary path stays
    QUEUE_QUERIES + 1)."""
    from tests.test_workflow_queue import QUEUE_QUERIES

    for _ in range(size):
        DocumentFactory(project=cast.project)
        check = DocumentFactory(project=cast.project)
        make_gold(cast, check)
        mark(cast, check)
    set_rate(cast, 0.5)
    for n in range(3):
        UserFactory(username=f"extra{n}")
    client = cast.client("annotator")
    # Turn 1 (ordinary): the queue's QUEUE_QUERIES and the caller's tally.
    with django_assert_num_queries(QUEUE_QUERIES + 1):
        document = next_doc(client, cast.project).json()
    submit(client, Document.objects.get(pk=document["id"]))
    # Turn 2 (a check): membership and project; the transaction; the caller's row lock;
    # their returned work; their open assignment; their tally; the first open check; the
    # assignment; the tally (insert if missing, then move); the release.
    with django_assert_num_queries(CHECK_QUERIES):
        answer = next_doc(client, cast.project).json()
    assert Document.objects.get(pk=answer["id"]).check_since is not None


CHECK_QUERIES = 11


def test_checks_are_per_project(cast, checks):
    """An outsider's queue in their own project never serves this project's checks."""
    outsider_project = cast.other_project
    outsider_project.check_rate = 1
    outsider_project.save()
    add_member(outsider_project, cast.annotator, Role.ANNOTATOR)
    assert next_doc(cast.client("annotator"), outsider_project).status_code == 204


# --- active time from the editor ---------------------------------------------------------


def test_active_seconds_add_up_over_the_annotators_saves(cast, document):
    """PUT and PATCH carry the editor's active seconds since its last save; the annotation
    keeps their sum (API field `active_seconds`), null before any report."""
    alice = cast.client("annotator")
    url = doc_url(document, "annotations/mine/")
    assert alice.get(url).json()["active_seconds"] is None
    body = {"version": 0, "spans": [PER], "active_seconds": 12.5}
    assert alice.put(url, body, format="json").json()["active_seconds"] == 12.5
    patch = {"version": 1, "ops": [{"op": "delete_span", "id": "s1"}], "active_seconds": 30}
    assert alice.patch(url, patch, format="json").status_code == 200
    assert alice.put(url, {"version": 2, "spans": []}, format="json").status_code == 200
    assert alice.get(url).json()["active_seconds"] == 42.5


@pytest.mark.parametrize("bad", [-1, 86_401, "long"])
def test_active_seconds_out_of_range_are_refused(cast, document, bad):
    """A negative, over-a-day or non-numeric report is a 400 at `active_seconds`; nothing
    is saved."""
    alice = cast.client("annotator")
    url = doc_url(document, "annotations/mine/")
    body = {"version": 0, "spans": [PER], "active_seconds": bad}
    error_body(alice.put(url, body, format="json"), 400, "invalid")["errors"]["active_seconds"]
    assert alice.get(url).json()["version"] == 0


def test_a_reviewers_time_on_gold_is_not_kept(cast, document):
    """Active time counts on an annotator's own work only: gold keeps none."""
    url = doc_url(document, "gold/")
    rita = cast.client("reviewer")
    body = {"version": 0, "spans": [PER], "active_seconds": 40}
    assert rita.put(url, body, format="json").json()["active_seconds"] is None


def test_scope_all_records_carry_each_annotations_active_seconds(cast, document):
    """The JSONL records of scope `all` name each annotation's active seconds."""
    alice = cast.client("annotator")
    url = doc_url(document, "annotations/mine/")
    body = {"version": 0, "spans": [PER], "status": "submitted", "active_seconds": 61}
    assert alice.put(url, body, format="json").status_code == 200
    (record,) = [r for b in record_batches(cast.project, "all") for r in b.records]
    assert [(a["annotator"], a["active_seconds"]) for a in record["annotations"]] == [
        ("alice", 61.0)
    ]


def test_a_checks_review_proposes_nothing_for_gold(cast, checks):
    """On the review page a check shows its annotators' versions but proposes none of their
    work for gold."""
    set_rate(cast, 1)
    alice = cast.client("annotator")
    assert next_doc(alice, cast.project).json()["id"] == checks[0].pk
    submit(alice, checks[0], (PER, LOC))
    review = cast.client("reviewer").get(doc_url(checks[0], "review/")).json()
    assert [a["annotator"] for a in review["annotations"]] == ["alice"]
    assert review["proposal"]["spans"] == []
    assert review["document"]["is_check"] is True
