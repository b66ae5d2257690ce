"""The annotation endpoints: whole PUT, incremental PATCH, versions, offsets, bad input."""

import pytest

from annotations.models import AnnotationEvent
from tests.conftest import api, error_body
from tests.factories import DocumentFactory

EMOJI_TEXT = "👍🏽🇮🇩 Jens Stoltenberg: “Kami siap,” katanya.\r\nSelesai. e\u0301te"


def mine(document) -> str:
    return api(document.project_id, f"documents/{document.pk}/annotations/mine/")


def span(sid, start, end, label="PER", **attributes):
    return {"id": sid, "start": start, "end": end, "label": label, "attributes": attributes}


@pytest.fixture
def emoji_doc(cast):
    return DocumentFactory(project=cast.project, text=EMOJI_TEXT, length=len(EMOJI_TEXT))


def test_get_before_any_save_is_an_empty_draft(cast, document):
    """A document nobody saved yet answers an empty draft at version 0."""
    response = cast.client("annotator").get(mine(document))
    assert response.status_code == 200
    assert response.json() == {
        "status": "draft",
        "version": 0,
        "spans": [],
        "relations": [],
        "chains": [],
        "document_labels": {},
        "review": None,
        "active_seconds": None,
    }


def test_put_round_trips_code_point_offsets_around_emoji_flags_crlf(cast, emoji_doc):
    """Offsets are code points: text[start:end] is the span's text, past emoji, flags and CRLF."""
    text = emoji_doc.text
    who = text.index("Jens Stoltenberg")
    quote = text.index("Kami siap,")
    accent = text.index("e\u0301te")
    body = {
        "version": 0,
        "spans": [
            span("s1", who, who + len("Jens Stoltenberg")),
            span("q1", quote, quote + len("Kami siap,"), "QUOTE", quote_type="direct"),
            span("s2", accent, accent + 4, "MISC"),
        ],
        "relations": [{"id": "r1", "from": "q1", "to": "s1", "label": "SPEAKER"}],
        "document_labels": {"sentiment": "neutral"},
        "status": "submitted",
    }
    client = cast.client("annotator")
    response = client.put(mine(emoji_doc), body, format="json")
    assert response.status_code == 200, response.json()
    saved = client.get(mine(emoji_doc)).json()
    assert saved["version"] == 1
    assert saved["status"] == "submitted"
    assert {s["id"]: text[s["start"] : s["end"]] for s in saved["spans"]} == {
        "s1": "Jens Stoltenberg",
        "q1": "Kami siap,",
        "s2": "e\u0301te",
    }
    assert saved["relations"] == [{"id": "r1", "from": "q1", "to": "s1", "label": "SPEAKER"}]
    assert saved["document_labels"] == {"sentiment": "neutral"}
    assert text.index("Jens") == 5  # 👍🏽 is two code points, 🇮🇩 two more, then a space


def test_span_may_end_exactly_at_the_end_of_the_text(cast, emoji_doc):
    """end == len(text) is valid: end is exclusive."""
    n = len(emoji_doc.text)
    body = {"version": 0, "spans": [span("s1", n - 4, n, "MISC")]}
    assert cast.client("annotator").put(mine(emoji_doc), body, format="json").status_code == 200


@pytest.mark.parametrize(
    ("bad", "field", "words"),
    [
        (span("s1", 0, 10_000), "end", "past the end of the text"),
        (span("s1", 5, 5), "end", "greater than start"),
        (span("s1", 9, 3), "end", "greater than start"),
        (span("s1", -1, 3), "start", "negative"),
        (span("s1", 0, 3, "NOPE"), "label", "not a span label"),
        (span("s1", 0, 3, "SPEAKER"), "label", "not a span label"),
        (span("s1", 0, 3, "QUOTE", sentiment="furious"), "attributes", "not one of"),
        (span("s1", 0, 3, "PER", sentiment="positive"), "attributes", "no attribute"),
        ({"id": "", "start": 0, "end": 3, "label": "PER"}, "id", "non-empty"),
        ({"id": "s1", "start": "0", "end": 3, "label": "PER"}, "start", "integer"),
    ],
)
def test_bad_span_gets_400_naming_item_and_field_and_stores_nothing(
    cast, document, bad, field, words
):
    """A bad span is rejected with its index and field; nothing is written."""
    body = {"version": 0, "spans": [span("ok", 0, 4), bad]}
    response = cast.client("annotator").put(mine(document), body, format="json")
    errors = error_body(response, 400, "invalid")["errors"]
    message = " ".join(errors[f"spans.1.{field}"])
    assert words in message
    assert cast.client("annotator").get(mine(document)).json()["version"] == 0


@pytest.mark.parametrize(
    ("relation", "field", "words"),
    [
        ({"from": "q1", "to": "ghost", "label": "SPEAKER"}, "to", "does not exist"),
        ({"from": "p1", "to": "q1", "label": "SPEAKER"}, "from", "cannot start at a PER"),
        ({"from": "q1", "to": "l1", "label": "SPEAKER"}, "to", "cannot end at a LOC"),
        ({"from": "q1", "to": "p1", "label": "PER"}, "label", "not a relation label"),
    ],
)
def test_bad_relation_gets_400(cast, document, relation, field, words):
    """A relation with a missing end or breaking SPEAKER's QUOTE → PER|ORG rule is refused."""
    body = {
        "version": 0,
        "spans": [span("p1", 0, 4), span("q1", 27, 36, "QUOTE"), span("l1", 50, 57, "LOC")],
        "relations": [relation],
    }
    response = cast.client("annotator").put(mine(document), body, format="json")
    errors = error_body(response, 400, "invalid")["errors"]
    assert words in " ".join(errors[f"relations.0.{field}"])


def test_unknown_document_label_group_or_value_is_refused(cast, document):
    """Document labels must name a group of the project and one of its values."""
    client = cast.client("annotator")
    for labels, words in (
        ({"mood": "sad"}, "not a document label group"),
        ({"sentiment": "furious"}, "not one of"),
        ({"sentiment": ["positive"]}, "single-choice"),
    ):
        body = {"version": 0, "document_labels": labels}
        response = client.put(mine(document), body, format="json")
        errors = error_body(response, 400, "invalid")["errors"]
        (group,) = labels
        assert list(errors) == [f"document_labels.{group}"]
        assert words in " ".join(errors[f"document_labels.{group}"])


def test_stale_put_gets_409_with_current_version_and_stores_nothing(cast, document):
    """Two tabs: the second write against an old version is refused, not merged."""
    client = cast.client("annotator")
    first = {"version": 0, "spans": [span("s1", 0, 4)]}
    assert client.put(mine(document), first, format="json").status_code == 200
    stale = {"version": 0, "spans": [span("s9", 5, 9)]}
    response = client.put(mine(document), stale, format="json")
    assert error_body(response, 409, "version_conflict")["current_version"] == 1
    assert [s["id"] for s in client.get(mine(document)).json()["spans"]] == ["s1"]


def test_patch_applies_a_batch_in_order_and_bumps_the_version(cast, document):
    """add a span, then link it, relabel, set sentiment and status, in one request."""
    client = cast.client("annotator")
    text = document.text
    q = text.index("Kami siap,")
    ops = [
        {"op": "add_span", "span": span("p1", 0, 16)},
        {"op": "add_span", "span": span("q1", q, q + 10, "QUOTE", quote_type="direct")},
        {
            "op": "add_relation",
            "relation": {"id": "r1", "from": "q1", "to": "p1", "label": "SPEAKER"},
        },
        {"op": "update_span", "id": "q1", "attributes": {"sentiment": "positive"}},
        {"op": "set_document_label", "group": "sentiment", "value": "positive"},
        {"op": "set_status", "status": "submitted"},
    ]
    response = client.patch(mine(document), {"version": 0, "ops": ops}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json() == {"version": 1, "status": "submitted"}
    saved = client.get(mine(document)).json()
    assert [(s["id"], text[s["start"] : s["end"]], s["attributes"]) for s in saved["spans"]] == [
        ("p1", "Jens Stoltenberg", {}),
        ("q1", "Kami siap,", {"sentiment": "positive"}),
    ]
    assert saved["relations"] == [{"id": "r1", "from": "q1", "to": "p1", "label": "SPEAKER"}]
    assert saved["document_labels"] == {"sentiment": "positive"}


def test_patch_delete_span_takes_its_links_and_history_keeps_them(cast, document):
    """Deleting a span deletes its relations; the event log keeps both as they were."""
    client = cast.client("annotator")
    q = document.text.index("Kami")
    body = {
        "version": 0,
        "spans": [span("p1", 0, 16), span("q1", q, q + 4, "QUOTE")],
        "relations": [{"id": "r1", "from": "q1", "to": "p1", "label": "SPEAKER"}],
    }
    client.put(mine(document), body, format="json")
    ops = [{"op": "delete_span", "id": "p1"}]
    response = client.patch(mine(document), {"version": 1, "ops": ops}, format="json")
    assert response.status_code == 200
    saved = client.get(mine(document)).json()
    assert [s["id"] for s in saved["spans"]] == ["q1"]
    assert saved["relations"] == []
    event = AnnotationEvent.objects.get(version=2)
    assert event.actor == cast.annotator
    assert event.changes["removed"]["spans"][0]["id"] == "p1"
    assert event.changes["removed"]["relations"][0]["id"] == "r1"


def test_patch_relabel_that_breaks_a_link_is_refused(cast, document):
    """Relabelling a speaker PER → LOC would break SPEAKER's rule: 400, nothing changes."""
    client = cast.client("annotator")
    q = document.text.index("Kami")
    body = {
        "version": 0,
        "spans": [span("p1", 0, 16), span("q1", q, q + 4, "QUOTE")],
        "relations": [{"id": "r1", "from": "q1", "to": "p1", "label": "SPEAKER"}],
    }
    client.put(mine(document), body, format="json")
    ops = [{"op": "update_span", "id": "p1", "label": "LOC"}]
    response = client.patch(mine(document), {"version": 1, "ops": ops}, format="json")
    errors = error_body(response, 400, "invalid")["errors"]
    assert "breaks link 'r1'" in " ".join(errors["ops"])
    assert client.get(mine(document)).json()["spans"][0]["label"] == "PER"


@pytest.mark.parametrize(
    ("ops", "where"),
    [
        ([{"op": "explode"}], "ops.1.op"),
        ([{"op": "update_span", "id": "ghost", "start": 1}], "ops.1.id"),
        ([{"op": "delete_relation", "id": "ghost"}], "ops.1.id"),
        ([{"op": "add_span", "span": span("p1", 0, 999)}], "ops.1.span.end"),
        ([{"op": "set_status", "status": "done"}], "ops.1.status"),
    ],
)
def test_bad_patch_op_names_its_index_and_stores_nothing(cast, document, ops, where):
    """An invalid op answers 400 with its index; the batch is all or nothing."""
    client = cast.client("annotator")
    batch = [{"op": "add_span", "span": span("ok", 0, 4)}, *ops]
    response = client.patch(mine(document), {"version": 0, "ops": batch}, format="json")
    assert list(error_body(response, 400, "invalid")["errors"]) == [where]
    assert client.get(mine(document)).json()["spans"] == []


def test_stale_patch_gets_409(cast, document):
    """A PATCH names the version it was made against; an old one is refused."""
    client = cast.client("annotator")
    client.put(mine(document), {"version": 0, "spans": [span("s1", 0, 4)]}, format="json")
    ops = [{"op": "delete_span", "id": "s1"}]
    response = client.patch(mine(document), {"version": 0, "ops": ops}, format="json")
    assert error_body(response, 409, "version_conflict")["current_version"] == 1


def test_overlap_is_refused_when_the_project_turns_it_off(cast, document):
    """With allow_overlap off, overlapping spans are refused by PUT and PATCH alike."""
    cast.project.allow_overlap = False
    cast.project.save()
    client = cast.client("annotator")
    body = {"version": 0, "spans": [span("a", 0, 10), span("b", 5, 16)]}
    assert client.put(mine(document), body, format="json").status_code == 400
    body = {"version": 0, "spans": [span("a", 0, 4), span("b", 5, 16)]}
    assert client.put(mine(document), body, format="json").status_code == 200
    ops = [{"op": "add_span", "span": span("c", 3, 6, "MISC")}]
    response = client.patch(mine(document), {"version": 1, "ops": ops}, format="json")
    assert "overlap" in " ".join(error_body(response, 400, "invalid")["errors"]["ops"])


def test_annotators_are_blind_to_each_other(cast, document):
    """Each annotator reads only their own annotation; the all-annotations list is refused."""
    cast.client("annotator").put(
        mine(document), {"version": 0, "spans": [span("s1", 0, 4)]}, format="json"
    )
    assert cast.client("teammate").get(mine(document)).json()["spans"] == []
    every = api(cast.project.pk, f"documents/{document.pk}/annotations/")
    assert cast.client("teammate").get(every).status_code == 403
    listed = cast.client("reviewer").get(every).json()
    assert [(a["annotator"], len(a["spans"])) for a in listed] == [("alice", 1)]


def test_project_may_let_annotators_see_each_other(cast, document):
    """annotators_see_each_other opens the all-annotations list to annotators."""
    cast.project.annotators_see_each_other = True
    cast.project.save()
    every = api(cast.project.pk, f"documents/{document.pk}/annotations/")
    assert cast.client("teammate").get(every).status_code == 200


def test_annotation_get_uses_constant_queries(cast, document, django_assert_max_num_queries):
    """Reading an annotation costs the same few queries for 3 spans or 300."""
    client = cast.client("annotator")
    text = "x " * 400
    big = DocumentFactory(project=cast.project, text=text, length=len(text))
    spans = [span(f"s{i}", 2 * i, 2 * i + 1) for i in range(300)]
    client.put(mine(big), {"version": 0, "spans": spans}, format="json")
    client.put(mine(document), {"version": 0, "spans": spans[:3]}, format="json")
    # session/user auth is forced: the document with its project, the caller's role and the
    # labels; the annotation with its spans and relations
    for doc in (document, big):
        with django_assert_max_num_queries(2):
            assert client.get(mine(doc)).status_code == 200


def test_put_answers_exactly_what_a_later_get_reads(cast, document):
    """The PUT answer is the stored annotation: extra fields dropped, spans in text order."""
    client = cast.client("annotator")
    q = document.text.index("Kami")
    body = {
        "version": 0,
        "spans": [
            {**span("q1", q, q + 4, "QUOTE"), "text": "Kami", "colour": "red"},
            span("p1", 0, 16),
        ],
        "relations": [{"from": "q1", "to": "p1", "label": "SPEAKER", "note": "x"}],
    }
    answer = client.put(mine(document), body, format="json").json()
    assert answer == client.get(mine(document)).json()
    assert [s["id"] for s in answer["spans"]] == ["p1", "q1"]
    assert answer["relations"] == [{"id": "r1", "from": "q1", "to": "p1", "label": "SPEAKER"}]


def test_relabel_drops_attributes_the_new_label_lacks_and_the_trimmed_put_is_accepted(
    cast, document
):
    """QUOTE (quote_type=direct) relabelled to PER through PATCH keeps no quote_type; the
    PUT the browser sends afterwards (its span store trims the same way) is accepted, while
    a PUT that still carried quote_type on a PER would be refused."""
    client = cast.client("reviewer")
    gold = api(cast.project.pk, f"documents/{document.pk}/gold/")
    q = document.text.index("Kami siap,")
    quote = span("q1", q, q + 10, "QUOTE", quote_type="direct", sentiment="positive")
    assert client.put(gold, {"version": 0, "spans": [quote]}, format="json").status_code == 200
    ops = [{"op": "update_span", "id": "q1", "label": "PER"}]
    assert client.patch(gold, {"version": 1, "ops": ops}, format="json").status_code == 200
    relabelled = client.get(gold).json()
    assert relabelled["spans"] == [{**quote, "label": "PER", "attributes": {}}]
    untrimmed = {"version": 2, "spans": [{**quote, "label": "PER"}]}
    errors = error_body(client.put(gold, untrimmed, format="json"), 400, "invalid")["errors"]
    assert "PER has no attribute 'quote_type'" in " ".join(errors["spans.0.attributes"])
    trimmed = {"version": 2, "spans": relabelled["spans"], "relations": [], "document_labels": {}}
    response = client.put(gold, trimmed, format="json")
    assert response.status_code == 200, response.json()
    saved = client.get(gold).json()
    assert saved["version"] == 3
    assert (
        saved["spans"][0]["label"] == "PER" and "quote_type" not in saved["spans"][0]["attributes"]
    )


def _annotated(cast, n: int):
    """A document whose annotator's annotation (version 1) has `n` spans and one link."""
    text = "x " * 400
    doc = DocumentFactory(project=cast.project, text=text, length=len(text))
    spans = [span(f"s{i}", 2 * i, 2 * i + 1, "QUOTE" if i == 0 else "PER") for i in range(n)]
    links = [{"id": "r1", "from": "s0", "to": "s1", "label": "SPEAKER"}]
    body = {"version": 0, "spans": spans, "relations": links}
    assert cast.client("annotator").put(mine(doc), body, format="json").status_code == 200
    return doc, spans


@pytest.mark.parametrize("size", [3, 300])
def test_one_op_patch_uses_constant_queries(cast, size, django_assert_num_queries):
    """An autosave of one new span costs the same queries on 3 spans or 300."""
    doc, _ = _annotated(cast, size)
    new = span("n1", 799, 800)
    # the document with its project, the caller's role and the labels; SAVEPOINT; the
    # annotation row (locked) with the spans the batch names; INSERT the span, UPDATE the
    # annotation (version), INSERT the history event, RELEASE SAVEPOINT
    with django_assert_num_queries(7):
        response = cast.client("annotator").patch(
            mine(doc), {"version": 1, "ops": [{"op": "add_span", "span": new}]}, format="json"
        )
    assert response.json() == {"version": 2, "status": "draft"}


@pytest.mark.parametrize("size", [3, 300])
def test_put_uses_constant_queries(cast, size, django_assert_num_queries):
    """Replacing a whole annotation costs the same queries for 3 spans or 300."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("the count is PostgreSQL's (SQLite splits bulk inserts by its variable limit)")
    doc, spans = _annotated(cast, size)
    body = {
        "version": 1,
        "spans": [{**s, "start": s["start"] + 1, "end": s["end"] + 1} for s in spans],
        "relations": [{"id": "r1", "from": "s0", "to": "s2", "label": "SPEAKER"}],
    }
    # the document with its project, the caller's role and the labels; SAVEPOINT; the
    # annotation row (locked), its spans and relations (history's "before"), DELETE
    # relations, DELETE spans, INSERT spans, INSERT relations, UPDATE the annotation, INSERT
    # the history event, RELEASE SAVEPOINT
    with django_assert_num_queries(12):
        response = cast.client("annotator").put(mine(doc), body, format="json")
    assert response.status_code == 200
    assert len(response.json()["spans"]) == size


@pytest.mark.parametrize("size", [3, 300])
def test_reading_a_document_and_its_annotation_uses_constant_queries(cast, size):
    """The editor's read (the document, then the caller's annotation) costs the same queries
    on 3 spans or 300; each is listed below so a new one shows up in review."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    doc, _ = _annotated(cast, size)
    client = cast.client("annotator")
    with CaptureQueriesContext(connection) as document_queries:
        response = client.get(api(cast.project.pk, f"documents/{doc.pk}/"))
    assert response.status_code == 200 and response.json()["text"] == doc.text
    with CaptureQueriesContext(connection) as annotation_queries:
        response = client.get(mine(doc))
    assert response.status_code == 200 and len(response.json()["spans"]) == size
    tables = [_tables(q["sql"]) for q in document_queries.captured_queries]
    # the document with its project and the caller's role
    assert len(tables) == READ_DOCUMENT_QUERIES, tables
    tables = [_tables(q["sql"]) for q in annotation_queries.captured_queries]
    # the document with its project, the caller's role and the labels; the annotation with
    # its spans and relations (one JSON array each)
    assert len(tables) == READ_ANNOTATION_QUERIES, tables


READ_DOCUMENT_QUERIES = 1
READ_ANNOTATION_QUERIES = 2


def _tables(sql: str) -> str:
    """The tables a query reads, for the failure message."""
    import re

    return " ".join(sorted(set(re.findall(r'FROM "(\w+)"', sql))))
