"""import(export(records)) gives back the same spans, for every format that can carry them."""

from __future__ import annotations

import io

import pytest

from annotations.formats import read_brat, read_conll, read_doccano, read_jsonl, read_label_studio
from tests.formats import fixture
from tests.formats.helpers import export, relations_of, spans_of


def test_jsonl_round_trip_is_exact() -> None:
    """Native JSONL reads back to the very records written, annotations included."""
    result = read_jsonl(io.BytesIO(export("jsonl")[0]))
    assert list(result) == fixture.records()
    assert result.warnings == []


def test_doccano_round_trip_keeps_spans_relations_and_labels() -> None:
    """doccano keeps offsets (through UTF-16), relations and document labels."""
    result = read_doccano(io.BytesIO(export("doccano")[0]), schema=fixture.schema())
    back = list(result)
    for original, record in zip(fixture.records(), back, strict=True):
        assert record["external_id"] == original["external_id"]
        assert record["text"] == original["text"]
        assert spans_of(record) == spans_of(original)
        assert relations_of(record) == relations_of(original)
        assert record["document_labels"] == original["document_labels"]
    assert result.warnings == []


def test_label_studio_round_trip_keeps_everything_we_model() -> None:
    """Label Studio keeps gold spans with attributes, relations, labels, and annotator layers;
    the task id is added to meta, under `label_studio`."""
    back = list(read_label_studio(io.BytesIO(export("label-studio")[0])))
    for original, record in zip(fixture.records(), back, strict=True):
        assert record["meta"].pop("label_studio") == {"task_id": back.index(record) + 1}
        assert {k: record[k] for k in ("external_id", "title", "text", "meta", "split")} == {
            k: original[k] for k in ("external_id", "title", "text", "meta", "split")
        }
        layers = [record, *record.get("annotations", [])]
        originals = [original, *original.get("annotations", [])]
        for layer, expected in zip(layers, originals, strict=True):
            assert layer.get("annotator") == expected.get("annotator")
            assert layer["spans"] == expected["spans"]
            # Label Studio relations have no id of their own; the reader numbers them
            assert _ends(layer["relations"]) == _ends(expected["relations"])
            assert layer["document_labels"] == expected["document_labels"]


def _ends(relations: list[dict]) -> list[tuple[str, str, str]]:
    return [(r["from"], r["to"], r["label"]) for r in relations]


def test_brat_round_trip_keeps_spans_attributes_and_sidecar() -> None:
    """brat keeps spans, attributes, relations, and (via the sidecar) id, title and labels."""
    result = read_brat(io.BytesIO(export("brat")[0]))
    back = {r["external_id"]: r for r in result}
    for original in fixture.records():
        record = back[original["external_id"]]
        assert record["text"] == original["text"]
        assert record["title"] == original["title"]
        assert spans_of(record) == spans_of(original)
        assert relations_of(record) == relations_of(original)
        attributes = sorted((s["start"], sorted(s["attributes"].items())) for s in record["spans"])
        expected = sorted((s["start"], sorted(s["attributes"].items())) for s in original["spans"])
        assert attributes == expected
        assert record["document_labels"] == original["document_labels"]
    assert result.warnings == []


def test_brat_round_trip_joins_a_span_split_at_a_line_break() -> None:
    """A span across CRLF is written as two fragments and read back as the original span."""
    record = fixture.doc_crlf()
    record["spans"] = [{"id": "s1", "start": 15, "end": 53, "label": "MISC", "attributes": {}}]
    record["relations"] = []
    data, _ = export("brat", [record])
    ann = [line for line in data and _ann(data) if line.startswith("T1")]
    assert ann == ["T1\tMISC 15 29;31 53\theld its rate. Governor Perry Warjiyo"]
    (back,) = read_brat(io.BytesIO(data))
    assert spans_of(back) == [(15, 53, "MISC")]


def _ann(data: bytes) -> list[str]:
    from tests.formats.helpers import unzip

    return unzip(data)["doc-crlf.ann"].decode("utf-8").splitlines()


def test_conll_round_trip_keeps_entity_texts() -> None:
    """CoNLL rebuilds text from tokens; each entity's text and label survive, QUOTE excluded."""
    back = list(read_conll(io.BytesIO(export("conll")[0])))
    assert len(back) == 3
    for original, record in zip(fixture.records(), back, strict=True):
        expected = [
            (s["label"], original["text"][s["start"] : s["end"]])
            for s in sorted(original["spans"], key=lambda s: s["start"])
            if s["label"] != "QUOTE"
        ]
        got = [(s["label"], record["text"][s["start"] : s["end"]]) for s in record["spans"]]
        assert got == expected


@pytest.mark.parametrize("labels", [None, ["PER", "ORG", "LOC"]])
def test_conll_labels_option_chooses_entities(labels: list[str] | None) -> None:
    """The labels= option selects what is tagged; the default leaves QUOTE out."""
    data, result = export("conll", labels=labels)
    assert b"QUOTE" not in data
    assert result.warnings == [
        "1 document(s) carry per-annotator annotations; conll holds one layer, so only the "
        "gold layer was written"
    ]


def _with_topics() -> tuple[dict, list[dict]]:
    schema = fixture.schema()
    schema["labels"] += [
        {"kind": "document", "name": name, "group": "topics", "multiple": True}
        for name in ("economy", "politics", "sport")
    ]
    records = [fixture.gold_only(r) for r in fixture.records()]
    records[0]["document_labels"]["topics"] = ["economy", "politics"]
    return schema, records


@pytest.mark.parametrize("name", ["jsonl", "doccano", "label-studio", "brat"])
def test_multi_choice_document_labels_round_trip(name: str) -> None:
    """A multi-choice group's list of values comes back as the same list."""
    schema, records = _with_topics()
    data, _ = export(name, records, schema=schema)
    readers = {
        "jsonl": read_jsonl,
        "doccano": lambda f: read_doccano(f, schema=schema),
        "label-studio": read_label_studio,
        "brat": read_brat,
    }
    back = list(readers[name](io.BytesIO(data)))
    assert [r["document_labels"] for r in back] == [r["document_labels"] for r in records]
