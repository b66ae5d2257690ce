"""The pure part of "who did what": several layers merged into one suggestion answer, and
label_map renaming every kind of name in every layer."""

from __future__ import annotations

from annotations.formats.layers import Layering, assign_layers, suggestion_payload


def _span(sid: str, start: int, end: int, label: str) -> dict:
    return {"id": sid, "start": start, "end": end, "label": label, "attributes": {}}


def test_layers_merge_into_one_suggestion_answer() -> None:
    """A span two layers share is kept once (the first's, with its score), ids stay unique
    across layers, relations follow their spans, and a prediction's score is carried."""
    first = {"spans": [_span("s1", 0, 4, "PER")], "relations": [], "document_labels": {}}
    second = {
        "spans": [_span("s1", 0, 4, "PER"), _span("s2", 10, 15, "QUOTE")],
        "relations": [{"id": "r1", "from": "s2", "to": "s1", "label": "SPEAKER"}],
        "document_labels": {"sentiment": "neutral"},
        "score": 0.5,
    }
    payload = suggestion_payload([first, second])
    assert [(s["id"], s["score"]) for s in payload["spans"]] == [("0-s1", 1.0), ("1-s2", 0.5)]
    assert payload["relations"] == [
        {"id": "1-r1", "from": "1-s2", "to": "0-s1", "label": "SPEAKER", "score": 0.5}
    ]
    assert payload["document_labels"] == {"sentiment": "neutral"}


def test_label_map_renames_labels_groups_values_and_attributes_in_every_layer() -> None:
    """Span and relation labels, document label groups and values, and span attribute names
    are renamed in gold and in each annotator's layer; unused entries are reported."""
    span = {**_span("s1", 0, 4, "PERSON"), "attributes": {"tone": "x"}}
    layer = {
        "spans": [span],
        "relations": [{"id": "r1", "from": "s1", "to": "s1", "label": "SAID"}],
        "document_labels": {"tone": "POSITIVE"},
    }
    record = {"external_id": "d", "text": "Joko", "meta": {}, **layer, "annotations": []}
    labels = {"PERSON": "PER", "SAID": "SPEAKER", "tone": "sentiment", "POSITIVE": "positive"}
    warnings: list[str] = []
    (out,) = assign_layers([record], Layering(labels={**labels, "X": "Y"}), warnings)
    assert out["spans"][0]["label"] == "PER"
    assert out["spans"][0]["attributes"] == {"sentiment": "x"}
    assert out["relations"][0]["label"] == "SPEAKER"
    assert out["document_labels"] == {"sentiment": "positive"}
    assert warnings == ["label_map entries that matched nothing: X"]
