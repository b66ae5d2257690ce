"""Gold proposals from several annotators. Pure: no database (runs with ``-p no:django``)."""

import json
import sys
from pathlib import Path

import pytest

# The repository root, so ``annotations`` imports without installing the project.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from annotations.merging import propose_gold


def _span(span_id, start, end, label, **attributes):
    return {"id": span_id, "start": start, "end": end, "label": label, "attributes": attributes}


def _annotation(*spans, relations=(), **labels):
    return {
        "spans": list(spans),
        "relations": [
            {"id": f"r{k}", "from": source, "to": target, "label": label}
            for k, (source, target, label) in enumerate(relations)
        ],
        "document_labels": labels,
    }


def _statuses(proposal):
    return {(row["start"], row["end"], row["label"]): row["status"] for row in proposal.spans}


def test_spans_everyone_marked_are_agreed_and_proposed():
    """A span marked identically by all annotators is `agreed` and in the gold."""
    same = _annotation(_span("a", 0, 5, "PER"))
    proposal = propose_gold({"ann": same, "bob": same, "cyd": same}, threshold=0.5)
    assert proposal.annotation["spans"] == [
        {"id": "g1", "start": 0, "end": 5, "label": "PER", "attributes": {}}
    ]
    assert proposal.spans[0]["annotators"] == ["ann", "bob", "cyd"]
    assert proposal.spans[0]["status"] == "agreed"


def test_span_status_follows_the_threshold():
    """2 of 3 passes 0.5 (majority); 1 of 3 does not (disputed, not proposed)."""
    annotations = {
        "ann": _annotation(_span("a", 0, 5, "PER"), _span("b", 10, 12, "LOC")),
        "bob": _annotation(_span("x", 0, 5, "PER")),
        "cyd": _annotation(_span("y", 0, 4, "PER")),
    }
    proposal = propose_gold(annotations, threshold=0.5)
    assert _statuses(proposal) == {
        (0, 4, "PER"): "disputed",
        (0, 5, "PER"): "majority",
        (10, 12, "LOC"): "disputed",
    }
    assert [(s["start"], s["end"]) for s in proposal.annotation["spans"]] == [(0, 5)]


def test_threshold_raises_the_bar_above_a_strict_majority():
    """3 of 4 is a strict majority: it passes 0.5 and 0.75 but not 0.8; 1.0 needs everyone."""
    annotations = {
        "a": _annotation(_span("s", 0, 5, "PER")),
        "b": _annotation(_span("s", 0, 5, "PER")),
        "c": _annotation(_span("s", 0, 5, "PER")),
        "d": _annotation(),
    }
    assert len(propose_gold(annotations, threshold=0.5).annotation["spans"]) == 1
    assert len(propose_gold(annotations, threshold=0.75).annotation["spans"]) == 1
    assert len(propose_gold(annotations, threshold=0.8).annotation["spans"]) == 0
    assert len(propose_gold(annotations, threshold=1.0).annotation["spans"]) == 0


@pytest.mark.parametrize(
    ("holders", "annotators", "status"),
    [
        (1, 2, "disputed"),  # one of two is never a majority
        (2, 2, "agreed"),
        (1, 3, "disputed"),
        (2, 3, "majority"),
        (2, 4, "disputed"),  # half is not more than half
        (3, 4, "majority"),
        (3, 5, "majority"),
        (1, 1, "agreed"),
    ],
)
def test_majority_is_strict(holders, annotators, status):
    """`majority` means more than half of the submitted versions, even at a low threshold."""
    marked = _annotation(_span("s", 0, 5, "PER"))
    annotations = {f"a{k}": marked if k < holders else _annotation() for k in range(annotators)}
    for threshold in (0.1, 0.5):
        proposal = propose_gold(annotations, threshold=threshold)
        assert proposal.spans[0]["status"] == status, threshold
        assert bool(proposal.annotation["spans"]) == (status != "disputed")


def test_one_of_two_is_disputed_for_links_labels_and_attributes():
    """An item only one of two annotators marked is disputed and stays out of the proposal:
    a link, a document label, an attribute value."""
    ann = _annotation(
        _span("q", 0, 5, "QUOTE", sentiment="negative"),
        _span("p", 10, 15, "PER"),
        relations=[("q", "p", "SPEAKER")],
        sentiment="negative",
    )
    bob = _annotation(_span("q", 0, 5, "QUOTE"), _span("p", 10, 15, "PER"))
    proposal = propose_gold({"ann": ann, "bob": bob}, threshold=0.5)
    assert [row["status"] for row in proposal.relations] == ["disputed"]
    assert proposal.annotation["relations"] == []
    assert [row["status"] for row in proposal.document_labels] == ["disputed"]
    assert proposal.annotation["document_labels"] == {}
    quote = next(s for s in proposal.annotation["spans"] if s["label"] == "QUOTE")
    assert quote["attributes"] == {}
    assert proposal.spans[0]["disputed_attributes"] == ["sentiment"]


def test_threshold_tolerates_float_rounding():
    """7 of 10 passes 0.7 although 0.7 * 10 is 7.000000000000001 in floating point."""
    marked = _annotation(_span("s", 0, 5, "PER"))
    annotations = {f"a{k}": marked if k < 7 else _annotation() for k in range(10)}
    assert len(propose_gold(annotations, threshold=0.7).annotation["spans"]) == 1


def test_gold_span_ids_follow_text_order():
    """Gold ids are g1, g2, ... in (start, end, label) order, whatever the input order."""
    annotation = _annotation(
        _span("late", 30, 35, "LOC"), _span("early", 0, 5, "PER"), _span("mid", 0, 9, "ORG")
    )
    proposal = propose_gold({"ann": annotation, "bob": annotation})
    assert [(s["id"], s["start"], s["end"]) for s in proposal.annotation["spans"]] == [
        ("g1", 0, 5),
        ("g2", 0, 9),
        ("g3", 30, 35),
    ]


def test_attributes_take_the_majority_value_that_passes():
    """Span attributes: majority value when it passes; a tie or too few votes is disputed."""
    annotations = {
        "ann": _annotation(_span("a", 0, 5, "PER", sentiment="negative", role="source")),
        "bob": _annotation(_span("b", 0, 5, "PER", sentiment="negative", role="subject")),
        "cyd": _annotation(_span("c", 0, 5, "PER", sentiment="positive")),
    }
    proposal = propose_gold(annotations, threshold=0.5)
    assert proposal.annotation["spans"][0]["attributes"] == {"sentiment": "negative"}
    assert proposal.spans[0]["disputed_attributes"] == ["role"]


def test_relations_are_proposed_when_enough_annotators_link_the_same_spans():
    """Links match by their ends' positions, not ids, and point at gold ids."""
    ann = _annotation(
        _span("p", 0, 5, "PER"), _span("q", 10, 30, "QUOTE"), relations=[("q", "p", "SPEAKER")]
    )
    bob = _annotation(
        _span("x", 10, 30, "QUOTE"), _span("y", 0, 5, "PER"), relations=[("x", "y", "SPEAKER")]
    )
    cyd = _annotation(_span("p", 0, 5, "PER"), _span("q", 10, 30, "QUOTE"))
    proposal = propose_gold({"ann": ann, "bob": bob, "cyd": cyd}, threshold=0.6)
    assert proposal.annotation["relations"] == [
        {"id": "r1", "from": "g2", "to": "g1", "label": "SPEAKER"}
    ]
    assert proposal.relations[0]["annotators"] == ["ann", "bob"]
    assert proposal.relations[0]["status"] == "majority"


def test_relations_without_enough_support_are_disputed():
    """A link only one of three annotators made is listed but not proposed."""
    spans = (_span("p", 0, 5, "PER"), _span("q", 10, 30, "QUOTE"))
    ann = _annotation(*spans, relations=[("q", "p", "SPEAKER")])
    proposal = propose_gold({"ann": ann, "bob": _annotation(*spans), "cyd": _annotation(*spans)})
    assert proposal.annotation["relations"] == []
    assert proposal.relations[0]["status"] == "disputed"


def test_document_label_takes_the_passing_majority():
    """Single-choice group: the majority value when it passes; a tie proposes nothing."""
    majority = {
        "ann": _annotation(sentiment="negative"),
        "bob": _annotation(sentiment="negative"),
        "cyd": _annotation(sentiment="positive"),
    }
    assert propose_gold(majority).annotation["document_labels"] == {"sentiment": "negative"}
    tie = {
        "ann": _annotation(sentiment="negative"),
        "bob": _annotation(sentiment="positive"),
    }
    proposal = propose_gold(tie, threshold=0.5)
    assert proposal.annotation["document_labels"] == {}
    assert {row["status"] for row in proposal.document_labels} == {"disputed"}


def test_multi_choice_group_keeps_each_option_enough_annotators_chose():
    """List-valued groups vote option by option."""
    annotations = {
        "ann": _annotation(topics=["economy", "politics"]),
        "bob": _annotation(topics=["economy"]),
        "cyd": _annotation(topics=["economy", "sport"]),
    }
    proposal = propose_gold(annotations, threshold=0.5)
    assert proposal.annotation["document_labels"] == {"topics": ["economy"]}
    statuses = {row["value"]: row["status"] for row in proposal.document_labels}
    assert statuses == {"economy": "agreed", "politics": "disputed", "sport": "disputed"}


def test_proposal_without_annotations_is_empty():
    """No submissions: an empty, valid annotation."""
    proposal = propose_gold({}, threshold=0.5)
    assert proposal.annotation == {
        "spans": [],
        "relations": [],
        "chains": [],
        "document_labels": {},
    }
    assert proposal.spans == []


def test_single_annotator_is_agreed_with_themself():
    """With one annotator everything they marked is `agreed` and proposed."""
    proposal = propose_gold({"ann": _annotation(_span("a", 0, 5, "PER"), sentiment="neutral")})
    assert proposal.spans[0]["status"] == "agreed"
    assert proposal.annotation["document_labels"] == {"sentiment": "neutral"}


def test_proposal_is_json_serialisable():
    """The whole proposal, statuses included, serialises to strict JSON."""
    annotation = _annotation(
        _span("p", 0, 5, "PER", kinds=["a", "b"]), relations=[("p", "p", "SELF")], topics=["x"]
    )
    json.dumps(propose_gold({"ann": annotation, "bob": annotation}).as_dict(), allow_nan=False)


@pytest.mark.parametrize("threshold", [-0.1, 1.5])
def test_threshold_outside_zero_to_one_is_rejected(threshold):
    """A threshold is a share of annotators; anything outside 0..1 is an error."""
    with pytest.raises(ValueError):
        propose_gold({}, threshold=threshold)
