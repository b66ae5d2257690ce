"""Comments, flags, sending work back and notices, through the HTTP API (issue 16)."""

from __future__ import annotations

import io
import json
import zipfile

import pytest

from annotations.models import Annotation, AnnotationEvent, Comment, Notice
from annotations.services import work_state
from annotations.services.exports import export_write
from tests.conftest import api, error_body
from tests.factories import DocumentFactory
from tests.test_work_state import snapshot

SPAN_A = {"id": "a1", "start": 0, "end": 16, "label": "PER"}
SPAN_B = {"id": "b7", "start": 51, "end": 58, "label": "LOC"}


def export_records(cast, scope: str, *, options=None, card: bool = False):
    """What a jsonl export of the project holds (and its dataset card, if asked)."""
    out = io.BytesIO()
    export_write(
        project=cast.project, format="jsonl", scope=scope, split=None, out=out, options=options
    )
    with zipfile.ZipFile(out) as archive:
        records = [json.loads(line) for line in archive.read("documents.jsonl").splitlines()]
        readme = archive.read("README.md").decode()
    return (records, readme) if card else records


def doc_url(document, suffix: str = "") -> str:
    return api(document.project_id, f"documents/{document.pk}/{suffix}")


def mine(document) -> str:
    return doc_url(document, "annotations/mine/")


def save(client, document, spans, status="submitted"):
    version = client.get(mine(document)).json()["version"]
    body = {"version": version, "spans": spans, "status": status}
    response = client.put(mine(document), body, format="json")
    assert response.status_code == 200, response.content
    return response.json()


def comment(client, document, text, **fields):
    return client.post(doc_url(document, "comments/"), {"text": text, **fields}, format="json")


def comments(client, document) -> list[dict]:
    response = client.get(doc_url(document, "comments/"))
    assert response.status_code == 200
    return response.json()


@pytest.fixture
def talk(cast, document):
    """Alice and Bob annotated the document; each commented on their own span and on the
    document; the reviewer commented on each one's annotation, on gold and on the document;
    Bob replied in the reviewer's public thread."""
    alice, bob, rita = (cast.client(w) for w in ("annotator", "teammate", "reviewer"))
    save(alice, document, [SPAN_A])
    save(bob, document, [SPAN_B])
    made = {
        "alice_span": comment(alice, document, "Is this a PER?", annotation="mine", span_id="a1"),
        "alice_doc": comment(alice, document, "Alice asks about the whole text"),
        "bob_span": comment(bob, document, "Bob's secret doubt", annotation="mine", span_id="b7"),
        "bob_doc": comment(bob, document, "Bob asks about the whole text"),
        "rita_on_bob": comment(rita, document, "Bob: fix b7", annotation="bob", span_id="b7"),
        "rita_on_alice": comment(rita, document, "Alice: fine", annotation="alice"),
        "rita_gold": comment(rita, document, "Gold note", annotation="gold"),
        "rita_doc": comment(rita, document, "Read the guidelines, all"),
    }
    assert all(r.status_code == 201 for r in made.values()), {
        k: r.content for k, r in made.items() if r.status_code != 201
    }
    ids = {key: response.json()["id"] for key, response in made.items()}
    reply = comment(bob, document, "Bob replies in public", reply_to=ids["rita_doc"])
    assert reply.status_code == 201
    ids["bob_reply"] = reply.json()["id"]
    return ids


def test_a_comment_answers_the_contract_fields(cast, document):
    """POST answers 201 with id, author, text, created_at, annotation, span_id, resolved."""
    client = cast.client("annotator")
    save(client, document, [SPAN_A], status="draft")
    response = comment(client, document, "<b>bold?</b>", annotation="mine", span_id="a1")
    assert response.status_code == 201
    body = response.json()
    assert {"id", "author", "text", "created_at", "annotation", "span_id", "resolved"} <= set(body)
    assert body["author"] == "alice" and body["text"] == "<b>bold?</b>"
    assert body["annotation"] == "alice" and body["span_id"] == "a1"
    assert body["resolved"] is False and body["thread"] is None


def test_annotator_b_never_sees_a_s_comments_field_by_field(cast, document, talk):
    """Bob reads only comments on his own annotation, his own words and reviewers' words on
    the document: nothing of Alice's (no text, no span id, no author, not in any count)."""
    seen = comments(cast.client("teammate"), document)
    assert sorted(row["id"] for row in seen) == sorted(
        talk[k] for k in ("bob_span", "bob_doc", "rita_on_bob", "rita_doc", "bob_reply")
    )
    raw = json.dumps(seen)
    for secret in ("alice", "Alice", "a1", "Is this a PER", "Gold note"):
        assert secret not in raw, secret
    for row in seen:
        assert row["annotation"] in ("bob", None)
        assert row["span_id"] in ("b7", None)
        assert row["author"] in ("bob", "rita")
    # and Alice sees nothing of Bob's: not his span comment, not his public reply
    alice_seen = comments(cast.client("annotator"), document)
    assert sorted(row["id"] for row in alice_seen) == sorted(
        talk[k] for k in ("alice_span", "alice_doc", "rita_on_alice", "rita_doc")
    )
    assert "b7" not in json.dumps(alice_seen) and "bob" not in json.dumps(alice_seen)
    # the documents table counts what each may read
    alice_row = cast.client("annotator").get(api(cast.project.pk, "documents/")).json()
    bob_row = cast.client("teammate").get(api(cast.project.pk, "documents/")).json()
    assert alice_row["results"][0]["comments"] == 4
    assert alice_row["results"][0]["open_threads"] == 4
    assert bob_row["results"][0]["comments"] == 5
    assert bob_row["results"][0]["open_threads"] == 4  # his reply is in rita's thread
    # one of Alice's comments is not reachable by id either
    for key in ("alice_span", "alice_doc", "rita_on_alice", "rita_gold"):
        url = doc_url(document, f"comments/{talk[key]}/")
        assert cast.client("teammate").get(url).status_code == 404
        assert cast.client("teammate").patch(url, {"resolved": True}).status_code == 404
        reply = comment(cast.client("teammate"), document, "peek", reply_to=talk[key])
        error_body(reply, 400, "invalid")


def test_reviewers_read_every_comment(cast, document, talk):
    """The reviewer and the admin read all nine comments."""
    for who in ("reviewer", "admin"):
        assert len(comments(cast.client(who), document)) == 9


def test_annotators_may_not_comment_on_others_or_gold(cast, document, talk):
    """An annotator naming another's annotation or gold gets 403 and nothing is stored."""
    client = cast.client("annotator")
    before = Comment.objects.count()
    error_body(comment(client, document, "x", annotation="bob"), 403, "permission_denied")
    error_body(comment(client, document, "x", annotation="gold"), 403, "permission_denied")
    assert Comment.objects.count() == before


def test_bad_comments_get_400_and_store_nothing(cast, document, talk):
    """Blank text, a span not in the annotation, a span on the document, a stranger."""
    rita = cast.client("reviewer")
    before = Comment.objects.count()
    error_body(comment(rita, document, "   "), 400, "invalid")
    body = error_body(comment(rita, document, "x", annotation="bob", span_id="a1"), 400, "invalid")
    assert list(body["errors"]) == ["span_id"]
    error_body(comment(rita, document, "x", span_id="a1"), 400, "invalid")
    error_body(comment(rita, document, "x", annotation="oscar"), 400, "invalid")
    error_body(comment(rita, document, "x" * 5001), 400, "invalid")
    assert Comment.objects.count() == before


def test_edit_delete_and_resolve(cast, document, talk):
    """Authors edit and delete their own; the author or a reviewer resolves a thread; a
    deleted first comment with replies keeps its place without its words."""
    alice, bob, rita = (cast.client(w) for w in ("annotator", "teammate", "reviewer"))
    url = doc_url(document, f"comments/{talk['alice_doc']}/")
    error_body(rita.patch(url, {"text": "not mine"}, format="json"), 403, "permission_denied")
    edited = alice.patch(url, {"text": "Alice, edited"}, format="json").json()
    assert edited["text"] == "Alice, edited" and edited["edited_at"]
    assert rita.patch(url, {"resolved": True}, format="json").json()["resolved"] is True
    reply_url = doc_url(document, f"comments/{talk['bob_reply']}/")
    error_body(bob.patch(reply_url, {"resolved": True}, format="json"), 400, "invalid")
    error_body(alice.delete(doc_url(document, f"comments/{talk['rita_doc']}/")), 403,
               "permission_denied")  # fmt: skip
    assert rita.delete(doc_url(document, f"comments/{talk['rita_doc']}/")).status_code == 204
    kept = {row["id"]: row for row in comments(bob, document)}[talk["rita_doc"]]
    assert kept["deleted"] is True and kept["text"] == ""
    assert alice.delete(url).status_code == 204
    assert talk["alice_doc"] not in {row["id"] for row in comments(rita, document)}


def test_replies_and_reviewer_comments_send_notices_to_who_may_read_them(cast, document, talk):
    """Bob hears of Rita's comment on his work; Rita hears of Bob's reply; Alice hears of
    nothing of Bob's (his public reply is not hers to read)."""
    kinds = {
        who: sorted(
            Notice.objects.filter(recipient=getattr(cast, who)).values_list("kind", "comment")
        )
        for who in ("annotator", "teammate", "reviewer")
    }
    assert kinds["teammate"] == [("comment", talk["rita_on_bob"])]
    assert kinds["annotator"] == [("comment", talk["rita_on_alice"])]
    assert kinds["reviewer"] == [("reply", talk["bob_reply"])]
    reply = comment(cast.client("reviewer"), document, "Thanks", reply_to=talk["bob_reply"])
    assert reply.status_code == 201
    bob = Notice.objects.filter(recipient=cast.teammate, kind="reply").get()
    assert bob.comment_id == reply.json()["id"]


def test_the_comment_list_costs_the_same_queries_for_any_size(
    cast, document, django_assert_num_queries
):
    """Three comments or thirty: the same queries."""
    rita = cast.client("reviewer")
    alice = cast.client("annotator")
    save(alice, document, [SPAN_A])
    for n in (3, 30):
        while Comment.objects.count() < n:
            assert (
                comment(rita, document, "note", annotation="alice", span_id="a1").status_code == 201
            )
        # session/project with role, document, comments with authors
        with django_assert_num_queries(3):
            assert len(comments(alice, document)) == n


# --- Return for correction -----------------------------------------------------------------


def test_return_draft_queue_first_resubmit(cast):
    """A returned annotation is a draft with the reviewer's note, is the annotator's next
    document before anything else, and resubmitting marks it resubmitted; the history has
    each step and the derived state matches a recount throughout."""
    project = cast.project
    docs = [DocumentFactory(project=project) for _ in range(3)]
    alice, rita = cast.client("annotator"), cast.client("reviewer")
    queue = api(project.pk, "queue/next/")
    first = alice.get(queue).json()["id"]
    assert first == docs[0].pk
    save(alice, docs[0], [SPAN_A])
    assert alice.get(queue).json()["id"] == docs[1].pk  # now working on the second

    url = doc_url(docs[0], "annotations/alice/return/")
    answer = rita.post(url, {"note": "a1 is a quote's speaker"}, format="json")
    assert answer.status_code == 200, answer.content
    review = answer.json()["review"]
    assert answer.json()["status"] == "draft"
    assert review["state"] == "returned" and review["note"] == "a1 is a quote's speaker"
    assert review["by"] == "rita" and review["at"]
    kept = snapshot(project)
    work_state.recount(project.pk)
    assert snapshot(project) == kept

    got = alice.get(mine(docs[0])).json()
    assert got["status"] == "draft" and got["review"]["state"] == "returned"
    assert got["review"]["note"] == "a1 is a quote's speaker"
    assert alice.get(queue).json()["id"] == docs[0].pk  # returned first
    notice = alice.get("/api/notices/").json()
    assert notice["unread"] == 1 and notice["results"][0]["kind"] == "returned"
    assert notice["results"][0]["text"] == "a1 is a quote's speaker"
    # agreement and exports of everyone's work leave it out until it comes back
    assert export_records(cast, "all") == []

    # returning it again is a conflict: it is not submitted
    error_body(rita.post(url, {"note": "again"}, format="json"), 409, "conflict")
    save(alice, docs[0], [{**SPAN_A, "end": 15}])
    got = alice.get(mine(docs[0])).json()
    assert got["status"] == "submitted" and got["review"]["state"] == "resubmitted"
    assert alice.get(queue).json()["id"] == docs[1].pk
    assert [r["annotator"] for r in export_records(cast, "all")[0]["annotations"]] == ["alice"]
    accept = rita.post(doc_url(docs[0], "annotations/alice/accept/"), {}, format="json")
    assert accept.json()["review"]["state"] == "accepted"
    assert accept.json()["status"] == "submitted"
    kept = snapshot(project)
    work_state.recount(project.pk)
    assert snapshot(project) == kept

    events = AnnotationEvent.objects.filter(annotation__document=docs[0]).order_by("version")

    def after(event, key):
        return event.changes.get(key, {}).get("after")

    steps = [
        (
            e.action,
            e.changes.get("status", {}).get("after"),
            e.changes.get("review", {}).get("after"),
        )
        for e in events
    ]
    assert steps == [
        ("put", "submitted", None),
        ("return", "draft", "returned"),
        ("put", "submitted", "resubmitted"),
        ("accept", None, "accepted"),
    ]
    history = alice.get(doc_url(docs[0], "history/")).json()["results"]
    assert [row["action"] for row in history] == ["accept", "put", "return", "put"]


def test_only_reviewers_return_and_only_submitted_work(cast, document):
    """Annotators get 403; a draft is a 409; someone with no annotation a 404; a stranger
    a 400."""
    alice, rita = cast.client("annotator"), cast.client("reviewer")
    save(alice, document, [SPAN_A], status="draft")
    url = doc_url(document, "annotations/alice/return/")
    error_body(alice.post(url, {"note": "x"}, format="json"), 403, "permission_denied")
    error_body(rita.post(url, {"note": "x"}, format="json"), 409, "conflict")
    error_body(rita.post(doc_url(document, "annotations/bob/return/"), {}, format="json"), 404,
               "not_found")  # fmt: skip
    error_body(rita.post(doc_url(document, "annotations/nobody/return/"), {}, format="json"),
               400, "invalid")  # fmt: skip
    assert Annotation.objects.get().review_state == ""


def test_anonymized_review_returns_by_pseudonym(cast, document):
    """With anonymized review the reviewer may name the annotator as the review shows them."""
    cast.project.anonymize_review = True
    cast.project.save()
    save(cast.client("annotator"), document, [SPAN_A])
    rita = cast.client("reviewer")
    alias = rita.get(doc_url(document, "review/")).json()["annotations"][0]["annotator"]
    assert alias.startswith("Annotator")
    answer = rita.post(
        doc_url(document, f"annotations/{alias}/return/"), {"note": "n"}, format="json"
    )
    assert answer.status_code == 200
    assert Annotation.objects.get().status == "draft"


# --- Flags ---------------------------------------------------------------------------------


def test_flags_filter_queue_and_export(cast):
    """A flagged document shows in ?flagged=true; broken text leaves the queue; exports
    leave flagged documents out when asked, and the card counts them."""
    project = cast.project
    docs = [DocumentFactory(project=project) for _ in range(3)]
    alice, rita = cast.client("annotator"), cast.client("reviewer")
    flag = alice.post(doc_url(docs[0], "flag/"), {"reason": "broken text", "note": "garbled"},
                      format="json")  # fmt: skip
    assert flag.status_code == 201 and flag.json()["reason"] == "broken text"
    assert (
        rita.post(doc_url(docs[2], "flag/"), {"reason": "duplicate"}, format="json").status_code
        == 201
    )
    listed = alice.get(api(project.pk, "documents/?flagged=true")).json()["results"]
    assert [(row["id"], row["flag"]) for row in listed] == [
        (docs[0].pk, "broken text"),
        (docs[2].pk, "duplicate"),
    ]
    others = alice.get(api(project.pk, "documents/?flagged=false")).json()["results"]
    assert [row["id"] for row in others] == [docs[1].pk]
    error_body(alice.get(api(project.pk, "documents/?flagged=maybe")), 400, "invalid")
    # the queue passes over broken text, not duplicates
    assert alice.get(api(project.pk, "queue/next/")).json()["id"] == docs[1].pk
    save(alice, docs[1], [])
    assert alice.get(api(project.pk, "queue/next/")).json()["id"] == docs[2].pk
    # Bob sees that it is flagged, not by whom nor the note
    seen = cast.client("teammate").get(doc_url(docs[0], "flag/")).json()["flag"]
    assert seen["reason"] == "broken text" and "note" not in seen and "flagged_by" not in seen
    assert rita.get(doc_url(docs[0], "flag/")).json()["flag"]["flagged_by"] == "alice"
    # reviewers were told
    assert Notice.objects.filter(recipient=cast.reviewer, kind="flag").count() == 1
    assert Notice.objects.filter(recipient=cast.admin, kind="flag").count() == 2

    for doc in docs:
        gold = doc_url(doc, "gold/")
        assert rita.put(gold, {"version": 0, "spans": [SPAN_A]}, format="json").status_code == 200
    everything = export_records(cast, "gold")
    assert len(everything) == 3
    kept, card = export_records(cast, "gold", options={"exclude_flagged": True}, card=True)
    assert [r["external_id"] for r in kept] == [docs[1].external_id]
    assert "- Flagged documents left out: 2\n" in card
    _, plain_card = export_records(cast, "gold", card=True)
    assert "Flagged" not in plain_card

    error_body(alice.delete(doc_url(docs[0], "flag/")), 403, "permission_denied")
    assert rita.delete(doc_url(docs[0], "flag/")).status_code == 204
    error_body(rita.delete(doc_url(docs[0], "flag/")), 404, "not_found")
    assert rita.get(doc_url(docs[0], "flag/")).json() == {"flag": None}


def test_bad_flags_and_export_options_get_400(cast, document):
    """An unknown reason, or an unknown or mistyped export option, is a 400 naming it."""
    alice, rita = cast.client("annotator"), cast.client("reviewer")
    body = error_body(alice.post(doc_url(document, "flag/"), {"reason": "boring"}, format="json"),
                      400, "invalid")  # fmt: skip
    assert list(body["errors"]) == ["reason"]
    for options, where in (({"exclude_flagged": "yes"}, "options.exclude_flagged"),
                           ({"nope": True}, "options.nope"), ([1], "options")):  # fmt: skip
        response = rita.post(api(cast.project.pk, "exports/"),
                             {"format": "jsonl", "options": options}, format="json")  # fmt: skip
        assert list(error_body(response, 400, "invalid")["errors"]) == [where]


# --- Notices -------------------------------------------------------------------------------


def test_notices_list_unread_and_mark_read(cast, document, talk):
    """The list is mine alone, newest first, with the unread count; marking some or all
    read lowers it."""
    rita = cast.client("reviewer")
    for n in range(3):
        assert comment(rita, document, f"more {n}", annotation="bob").status_code == 201
    bob = cast.client("teammate")
    listed = bob.get("/api/notices/").json()
    assert listed["unread"] == 4 and listed["count"] == 4
    first = listed["results"][0]
    assert first["text"] == "more 2" and first["actor"] == "rita" and first["read"] is False
    assert first["document"] == document.pk and first["project"] == cast.project.pk
    marked = bob.post("/api/notices/read/", {"ids": [first["id"]]}, format="json").json()
    assert marked == {"unread": 3, "marked": 1}
    # someone else's id marks nothing
    alice_notice = Notice.objects.filter(recipient=cast.annotator).first()
    assert (
        bob.post("/api/notices/read/", {"ids": [alice_notice.pk]}, format="json").json()["marked"]
        == 0
    )
    assert bob.post("/api/notices/read/", {}, format="json").json() == {"unread": 0, "marked": 3}
    assert cast.client("outsider").get("/api/notices/").json()["count"] == 0


def test_the_notice_list_costs_the_same_queries_for_any_size(
    cast, document, django_assert_num_queries
):
    """Two notices or twenty: the same queries."""
    rita, bob = cast.client("reviewer"), cast.client("teammate")
    for n in (2, 20):
        while Notice.objects.filter(recipient=cast.teammate).count() < n:
            assert comment(rita, document, "n", annotation="bob").status_code == 201
        # count, the page (with actor, document, project), the unread count
        with django_assert_num_queries(3):
            assert len(bob.get("/api/notices/?page_size=50").json()["results"]) == n


# --- What changed for me -------------------------------------------------------------------


def test_compare_to_gold_by_hand():
    """Each of my spans gets its verdict; gold spans none of mine explains are only counted."""
    from annotations.selectors.review import compare_to_gold

    def s(sid, start, end, label):
        return {"id": sid, "start": start, "end": end, "label": label, "attributes": {}}

    mine = [
        s("a", 0, 5, "PER"),
        s("b", 10, 15, "PER"),
        s("c", 20, 26, "LOC"),
        s("d", 40, 45, "ORG"),
    ]
    gold = [s("g1", 0, 5, "PER"), s("g2", 10, 15, "ORG"), s("g3", 21, 26, "LOC"),
            s("g4", 30, 35, "PER"), s("g5", 50, 55, "LOC")]  # fmt: skip
    result = compare_to_gold(mine, gold)
    assert [(r["id"], r["verdict"]) for r in result["spans"]] == [
        ("a", "match"),
        ("b", "label"),
        ("c", "extent"),
        ("d", "extra"),
    ]
    assert result["spans"][1]["gold_label"] == "ORG"
    assert (result["spans"][2]["gold_start"], result["spans"][2]["gold_end"]) == (21, 26)
    assert "gold_label" not in result["spans"][0] and "gold_start" not in result["spans"][3]
    assert result["missed"] == 2  # g4 and g5, by count only


def test_what_changed_for_me_needs_the_project_to_allow_it(cast, document):
    """Off by default (403 for annotators); once allowed, my own spans against gold, and
    nothing of gold's spans beyond those that explain mine; nothing before gold exists."""
    alice, rita = cast.client("annotator"), cast.client("reviewer")
    url = doc_url(document, "annotations/mine/compared/")
    save(alice, document, [SPAN_A, SPAN_B])
    error_body(alice.get(url), 403, "permission_denied")
    project = cast.client("admin").patch(
        api(cast.project.pk), {"annotators_see_gold_after_review": True}, format="json"
    )
    assert project.json()["annotators_see_gold_after_review"] is True
    assert alice.get(url).json() == {"gold_version": None, "spans": [], "missed": 0}
    gold = [{**SPAN_A, "id": "g1"}, {"id": "g2", "start": 20, "end": 25, "label": "ORG"}]
    response = rita.put(doc_url(document, "gold/"), {"version": 0, "spans": gold}, format="json")
    assert response.status_code == 200
    compared = alice.get(url).json()
    assert compared["gold_version"] == 1
    assert [(r["id"], r["verdict"]) for r in compared["spans"]] == [
        ("a1", "match"),
        ("b7", "extra"),
    ]
    assert compared["missed"] == 1
    assert "20" not in json.dumps(compared["spans"])  # the missed gold span is not shown


def test_anonymized_review_names_no_annotator_in_notices_or_flags(cast, document):
    """Where review is anonymized, a reviewer's notices and the flag name no annotator."""
    cast.project.anonymize_review = True
    cast.project.save()
    rita, bob = cast.client("reviewer"), cast.client("teammate")
    first = comment(rita, document, "Read the guidelines")
    assert comment(bob, document, "Which part?", reply_to=first.json()["id"]).status_code == 201
    assert (
        bob.post(doc_url(document, "flag/"), {"reason": "other"}, format="json").status_code == 201
    )
    notices = rita.get("/api/notices/").json()["results"]
    assert sorted(n["kind"] for n in notices) == ["flag", "reply"]
    assert all(n["actor"] is None for n in notices)
    assert "bob" not in json.dumps(notices)
    assert rita.get(doc_url(document, "flag/")).json()["flag"]["flagged_by"] is None
    assert bob.get(doc_url(document, "flag/")).json()["flag"]["flagged_by"] == "bob"
