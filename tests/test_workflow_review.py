"""Review, gold and history through the HTTP API."""

import pytest
from rest_framework.test import APIClient

from annotations.models import Role
from tests.conftest import api
from tests.factories import UserFactory, add_member

PER = {"id": "p", "start": 0, "end": 16, "label": "PER"}
QUOTE = {
    "id": "q",
    "start": 27,
    "end": 37,
    "label": "QUOTE",
    "attributes": {"quote_type": "direct"},
}
LOC = {"id": "l", "start": 51, "end": 58, "label": "LOC"}
MISC = {"id": "m", "start": 51, "end": 58, "label": "MISC"}
SPEAKER = {"id": "r1", "from": "q", "to": "p", "label": "SPEAKER"}


def url(document, suffix: str) -> str:
    return api(document.project_id, f"documents/{document.pk}/{suffix}")


def save(client, document, *, spans, relations=(), labels=None, status="submitted"):
    version = client.get(url(document, "annotations/mine/")).json()["version"]
    body = {
        "version": version,
        "spans": list(spans),
        "relations": list(relations),
        "document_labels": labels or {},
        "status": status,
    }
    response = client.put(url(document, "annotations/mine/"), body, format="json")
    assert response.status_code == 200, response.json()


@pytest.fixture
def two_submitted(cast, document):
    """alice and bob agree on the person, the quote and its speaker; not on Brussel."""
    cast.project.merge_threshold = 1.0  # everyone must agree for the proposal
    cast.project.save()
    save(
        cast.client("annotator"),
        document,
        spans=[PER, QUOTE, LOC],
        relations=[SPEAKER],
        labels={"sentiment": "neutral"},
    )
    save(
        cast.client("teammate"),
        document,
        spans=[PER, QUOTE, MISC],
        relations=[SPEAKER],
        labels={"sentiment": "negative"},
    )
    return document


def test_review_shows_versions_item_status_and_proposal(cast, two_submitted):
    """Agreed items are proposed; the LOC/MISC clash and the tied sentiment are disputed."""
    response = cast.client("reviewer").get(url(two_submitted, "review/"))
    assert response.status_code == 200
    review = response.json()
    assert review["document"]["text"] == two_submitted.text
    assert [a["annotator"] for a in review["annotations"]] == ["alice", "bob"]
    assert review["submitted"] == 2
    proposal = review["proposal"]
    assert proposal["annotation"] == {
        "spans": [
            {"id": "g1", "start": 0, "end": 16, "label": "PER", "attributes": {}},
            {
                "id": "g2",
                "start": 27,
                "end": 37,
                "label": "QUOTE",
                "attributes": {"quote_type": "direct"},
            },
        ],
        "relations": [{"id": "r1", "from": "g2", "to": "g1", "label": "SPEAKER"}],
        "chains": [],
        "document_labels": {},
    }
    status = {(s["label"], s["status"], tuple(s["annotators"])) for s in proposal["spans"]}
    assert status == {
        ("PER", "agreed", ("alice", "bob")),
        ("QUOTE", "agreed", ("alice", "bob")),
        ("LOC", "disputed", ("alice",)),
        ("MISC", "disputed", ("bob",)),
    }
    assert [r["status"] for r in proposal["relations"]] == ["agreed"]
    assert {(d["value"], d["status"]) for d in proposal["document_labels"]} == {
        ("negative", "disputed"),
        ("neutral", "disputed"),
    }
    assert review["gold"] is None
    figures = review["agreement"]["document"]
    assert figures["span_f1_exact"] == pytest.approx(2 / 3)  # 2 of 3 spans each match
    assert figures["relation_f1"] == 1.0


def test_only_submitted_annotations_vote(cast, two_submitted):
    """A third annotator's draft is shown but neither votes nor counts for agreement."""
    carol = UserFactory(username="carol")
    add_member(cast.project, carol, Role.ANNOTATOR)
    client = APIClient()
    client.force_authenticate(carol)
    save(client, two_submitted, spans=[LOC], status="draft")
    review = cast.client("reviewer").get(url(two_submitted, "review/")).json()
    assert [(a["annotator"], a["status"]) for a in review["annotations"]] == [
        ("alice", "submitted"),
        ("bob", "submitted"),
        ("carol", "draft"),
    ]
    assert review["submitted"] == 2
    loc = next(s for s in review["proposal"]["spans"] if s["label"] == "LOC")
    assert loc["annotators"] == ["alice"]
    assert review["agreement"]["annotators"] == ["alice", "bob"]


def test_anonymized_review_names_annotators_by_number(cast, two_submitted):
    """With anonymize_review, no username appears anywhere in the review."""
    cast.project.anonymize_review = True
    cast.project.save()
    response = cast.client("reviewer").get(url(two_submitted, "review/"))
    names = [a["annotator"] for a in response.json()["annotations"]]
    assert sorted(names) == ["Annotator 1", "Annotator 2"]
    body = response.content.decode()
    assert "alice" not in body
    assert "bob" not in body
    agreed = next(s for s in response.json()["proposal"]["spans"] if s["label"] == "PER")
    assert agreed["annotators"] == ["Annotator 1", "Annotator 2"]


def test_gold_round_trip_marks_the_document_reviewed(cast, two_submitted):
    """Reviewer PUTs the proposal as gold; review shows it; the document becomes reviewed."""
    reviewer = cast.client("reviewer")
    proposal = reviewer.get(url(two_submitted, "review/")).json()["proposal"]["annotation"]
    gold_url = url(two_submitted, "gold/")
    assert reviewer.get(gold_url).json()["version"] == 0
    body = {**proposal, "document_labels": {"sentiment": "neutral"}, "version": 0}
    body["spans"] = [*body["spans"], {**LOC, "id": "g3"}]
    response = reviewer.put(gold_url, body, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["version"] == 1
    assert [s["label"] for s in reviewer.get(gold_url).json()["spans"]] == ["PER", "QUOTE", "LOC"]
    review = reviewer.get(url(two_submitted, "review/")).json()
    assert review["gold"]["version"] == 1
    assert review["gold"]["document_labels"] == {"sentiment": "neutral"}
    listed = cast.client("admin").get(api(cast.project.pk, "documents/")).json()["results"]
    assert [d["status"] for d in listed if d["id"] == two_submitted.pk] == ["reviewed"]
    # the annotators' own annotations are untouched by the gold
    mine = cast.client("annotator").get(url(two_submitted, "annotations/mine/")).json()
    assert [s["label"] for s in mine["spans"]] == ["PER", "QUOTE", "LOC"]
    assert mine["version"] == 1


def test_stale_gold_write_gets_409(cast, two_submitted):
    """Two reviewers: the second write against the old gold version is refused."""
    gold_url = url(two_submitted, "gold/")
    first = {"version": 0, "spans": [PER]}
    assert cast.client("reviewer").put(gold_url, first, format="json").status_code == 200
    stale = {"version": 0, "spans": [LOC]}
    response = cast.client("admin").put(gold_url, stale, format="json")
    assert response.status_code == 409
    assert response.json()["current_version"] == 1
    patch = {"version": 0, "ops": [{"op": "delete_span", "id": "p"}]}
    assert cast.client("admin").patch(gold_url, patch, format="json").status_code == 409
    ok = {"version": 1, "ops": [{"op": "add_span", "span": LOC}]}
    patched = cast.client("admin").patch(gold_url, ok, format="json")
    assert patched.status_code == 200, patched.json()
    assert patched.json()["version"] == 2


@pytest.mark.parametrize(("who", "code"), [("annotator", 403), ("outsider", 404), (None, 403)])
def test_gold_and_review_are_closed_to_annotators_and_outsiders(cast, two_submitted, who, code):
    """Annotators get 403 on gold (read or write) and review; outsiders 404."""
    client = cast.client(who)
    assert client.get(url(two_submitted, "gold/")).status_code == code
    body = {"version": 0, "spans": [PER]}
    assert client.put(url(two_submitted, "gold/"), body, format="json").status_code == code
    assert client.get(url(two_submitted, "review/")).status_code == code


def test_review_of_another_projects_document_is_404(cast, two_submitted):
    """A document id from another project is not found through this project's URL."""
    other = api(cast.other_project.pk, f"documents/{two_submitted.pk}/review/")
    assert cast.client("outsider").get(other).status_code == 404


@pytest.mark.parametrize("annotators", [2, 5])
def test_review_reads_in_constant_queries(cast, document, annotators, django_assert_num_queries):
    """Review costs the same queries for 2 annotators or 5, with up to 50 spans each."""
    spans = [{"id": f"s{i}", "start": i, "end": i + 1, "label": "MISC"} for i in range(50)]
    for i in range(annotators):
        user = UserFactory(username=f"ann{i}")
        add_member(cast.project, user, Role.ANNOTATOR)
        client = APIClient()
        client.force_authenticate(user)
        save(client, document, spans=spans[i:], labels={"sentiment": "neutral"})
    cast.client("reviewer").put(url(document, "gold/"), {"version": 0}, format="json")
    # project with the caller's role, document, annotations with annotators, label names
    # (the content reader names labels from them rather than joining), spans, relations
    with django_assert_num_queries(6):
        response = cast.client("reviewer").get(url(document, "review/"))
    assert response.status_code == 200
    assert len(response.json()["annotations"]) == annotators


def test_history_lists_every_change_and_keeps_removed_items(cast, two_submitted):
    """Reviewers see every event (who, version, action, changes), newest first, paginated."""
    alice = cast.client("annotator")
    mine = url(two_submitted, "annotations/mine/")
    patch = {"version": 1, "ops": [{"op": "delete_span", "id": "l"}]}
    assert alice.patch(mine, patch, format="json").status_code == 200
    cast.client("reviewer").put(url(two_submitted, "gold/"), {"version": 0}, format="json")
    response = cast.client("reviewer").get(url(two_submitted, "history/"))
    assert response.status_code == 200
    page = response.json()
    assert page["count"] == 4
    events = [(e["annotator"], e["actor"], e["version"], e["action"]) for e in page["results"]]
    assert events == [
        (None, "rita", 1, "put"),
        ("alice", "alice", 2, "patch"),
        ("bob", "bob", 1, "put"),
        ("alice", "alice", 1, "put"),
    ]
    assert page["results"][0]["is_gold"] is True
    removed = page["results"][1]["changes"]["removed"]
    assert [s["label"] for s in removed["spans"]] == ["LOC"]
    second = cast.client("reviewer").get(url(two_submitted, "history/"), {"page_size": 3})
    assert len(second.json()["results"]) == 3
    assert second.json()["next"]


def test_annotators_see_only_their_own_history(cast, two_submitted):
    """An annotator's history lists only their annotation's events; outsiders get 404."""
    events = cast.client("teammate").get(url(two_submitted, "history/")).json()["results"]
    assert [(e["annotator"], e["version"]) for e in events] == [("bob", 1)]
    assert cast.client("outsider").get(url(two_submitted, "history/")).status_code == 404


def test_history_is_anonymized_with_the_review(cast, two_submitted):
    """Under anonymize_review the history uses the review's pseudonyms."""
    cast.project.anonymize_review = True
    cast.project.save()
    reviewer = cast.client("reviewer")
    names = {
        a["annotator"] for a in reviewer.get(url(two_submitted, "review/")).json()["annotations"]
    }
    events = reviewer.get(url(two_submitted, "history/")).json()["results"]
    assert {e["annotator"] for e in events} == names
    assert {e["actor"] for e in events} == names


def test_review_of_an_untouched_document_is_empty_not_an_error(cast, document):
    """No annotations yet: empty versions, empty proposal, no gold, undefined figures."""
    review = cast.client("admin").get(url(document, "review/")).json()
    assert review["annotations"] == []
    assert review["submitted"] == 0
    assert review["proposal"]["annotation"] == {
        "spans": [],
        "relations": [],
        "chains": [],
        "document_labels": {},
    }
    assert review["gold"] is None
    assert review["agreement"]["spans"]["overall"]["f1_exact_micro"] is None


def test_one_of_two_is_disputed_and_never_proposed_at_any_threshold(cast, document):
    """With two submitted versions, what only one annotator marked is `disputed` and stays
    out of the proposal even when the project's threshold is as low as it goes."""
    cast.project.merge_threshold = 0.1
    cast.project.save()
    save(cast.client("annotator"), document, spans=[PER, LOC], labels={"sentiment": "neutral"})
    save(cast.client("teammate"), document, spans=[PER])
    review = cast.client("reviewer").get(url(document, "review/")).json()
    statuses = {(s["start"], s["label"]): s["status"] for s in review["proposal"]["spans"]}
    assert statuses == {(0, "PER"): "agreed", (51, "LOC"): "disputed"}
    proposed = review["proposal"]["annotation"]
    assert [(s["start"], s["label"]) for s in proposed["spans"]] == [(0, "PER")]
    assert proposed["document_labels"] == {}
