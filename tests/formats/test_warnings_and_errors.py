"""Nothing is moved or dropped silently: misaligned and overlapping spans give warnings that
name document and span; malformed input raises FormatError with a line number."""

from __future__ import annotations

import io
import json
import zipfile

import pytest

from annotations.formats import (
    FormatError,
    read_brat,
    read_conll,
    read_doccano,
    read_jsonl,
    read_label_studio,
)
from tests.formats import fixture
from tests.formats.helpers import export, unzip


def _misaligned() -> dict:
    record = fixture.gold_only(fixture.doc_id())
    start, _ = fixture.at(record["text"], "Jakarta")
    # "Jakart" ends inside a token: it must be skipped, not stretched to "Jakarta"
    record["spans"][3] = {"id": "s4", "start": start, "end": start + 6, "label": "LOC"}
    return record


MISALIGNED = "document 'doc-id' span 's4' (LOC 65-71): not on token boundaries; skipped"


def test_conll_skips_and_reports_a_misaligned_span() -> None:
    """A span inside a token is reported by document and span id and left untagged."""
    data, result = export("conll", [_misaligned()])
    assert result.warnings == [MISALIGNED]
    assert "Jakarta O\n" in data.decode("utf-8")


def test_spacy_skips_and_reports_a_misaligned_span() -> None:
    """The spaCy writer reports the span once and keeps it out of ents and the span group."""
    from spacy.tokens import DocBin

    from annotations.formats.tokens import pipeline

    data, result = export("spacy", [_misaligned()])
    assert result.warnings == [MISALIGNED]
    (doc,) = (
        DocBin().from_bytes(unzip(data)["train/docs-00000.spacy"]).get_docs(pipeline("id").vocab)
    )
    assert "Jakarta" not in [s.text for s in doc.spans["sc"]]
    assert "Jakarta" not in [e.text for e in doc.ents]


def test_overlapping_entities_keep_the_longer_and_report_the_other() -> None:
    """Of two overlapping entities the longer wins; the other is named in a warning."""
    record = fixture.gold_only(fixture.doc_crlf())
    start, end = fixture.at(record["text"], "Indonesia")
    record["spans"].append({"id": "s9", "start": start, "end": end, "label": "LOC"})
    data, result = export("conll", [record])
    assert result.warnings == ["document 'doc-crlf' span 's9' (LOC 5-14): overlaps 's1'; left out"]
    assert "Indonesia I-ORG\n" in data.decode("utf-8")


def test_quote_spans_can_be_chosen_as_entities() -> None:
    """With labels= including QUOTE, the quote wins over the entity inside it, reported."""
    _, result = export("conll", [fixture.gold_only(fixture.doc_id())], labels=["QUOTE", "ORG"])
    assert result.warnings == ["document 'doc-id' span 's2' (ORG 1-6): overlaps 's1'; left out"]


def test_jsonl_invalid_json_names_the_line() -> None:
    """A broken line raises FormatError carrying its 1-based line number."""
    good = json.dumps(fixture.gold_only(fixture.doc_id()))
    with pytest.raises(FormatError) as error:
        list(read_jsonl(io.BytesIO(f"{good}\n{{oops\n".encode())))
    assert error.value.line == 2
    assert "line 2" in str(error.value)


def test_jsonl_span_outside_text_is_an_error() -> None:
    """Offsets past the end of the text are malformed input, not something to clamp."""
    record = fixture.gold_only(fixture.doc_emoji())
    record["spans"][0]["end"] = 999
    with pytest.raises(FormatError) as error:
        list(read_jsonl([json.dumps(record)]))
    assert (error.value.line, error.value.field) == (1, "spans[0]")


def test_jsonl_relation_to_missing_span_is_reported() -> None:
    """A relation whose end is not a span is dropped with a warning."""
    record = fixture.gold_only(fixture.doc_id())
    record["relations"][0]["to"] = "s99"
    result = read_jsonl([json.dumps(record)])
    (back,) = list(result)
    assert back["relations"] == []
    assert result.warnings == [
        "document 'doc-id': relation 'r1' (SPEAKER) refers to a missing span; skipped"
    ]


def test_doccano_reads_the_label_shape_in_code_points() -> None:
    """The older ``label: [[start, end, label]]`` shape reads, with offset_unit="code_point"."""
    line = json.dumps({"text": fixture.EMOJI_TEXT, "label": [[21, 37, "ORG"]]})
    (record,) = read_doccano([line], offset_unit="code_point")
    assert record["text"][21:37] == "Timnas Indonesia"
    assert record["spans"][0]["label"] == "ORG"


def test_doccano_offset_inside_an_emoji_is_an_error() -> None:
    """A UTF-16 offset between the halves of a surrogate pair raises FormatError."""
    line = json.dumps(
        {"text": "a👍b", "entities": [{"start_offset": 2, "end_offset": 4, "label": "X"}]}
    )
    with pytest.raises(FormatError, match="surrogate pair") as error:
        list(read_doccano(["", line], offset_unit="utf16"))
    assert error.value.line == 2


def test_conll_missing_tag_names_the_line() -> None:
    """A token line without an IOB2 tag raises FormatError with its line number."""
    with pytest.raises(FormatError) as error:
        list(read_conll(["-DOCSTART- -X- O O", "", "Joko B-PER", "Widodo"]))
    assert error.value.line == 4


def test_conll_i_without_b_is_repaired_and_reported() -> None:
    """I-PER after O starts a new entity (IOB2 repair) and says so."""
    result = read_conll(["Kata O", "Joko I-PER", "Widodo I-PER", "", "Ia B-PER", "datang I-LOC"])
    (record,) = list(result)
    assert record["text"] == "Kata Joko Widodo\nIa datang"
    assert [(s["label"], record["text"][s["start"] : s["end"]]) for s in record["spans"]] == [
        ("PER", "Joko Widodo"),
        ("PER", "Ia"),
        ("LOC", "datang"),
    ]
    assert len(result.warnings) == 2
    assert "line 2: I-PER does not continue an entity" in result.warnings[0]


def _brat_zip(ann: str, text: str | bytes = "Joko Widodo di Jakarta.") -> io.BytesIO:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("doc.txt", text)
        archive.writestr("doc.ann", ann)
    buffer.seek(0)
    return buffer


def test_brat_malformed_line_names_file_and_line() -> None:
    """A T line without offsets raises FormatError naming the .ann file and line."""
    with pytest.raises(FormatError) as error:
        list(read_brat(_brat_zip("T1\tPER 0 11\tJoko Widodo\nT2\tLOC\tJakarta\n")))
    assert (error.value.line, error.value.field) == (2, "doc.ann")


def test_brat_events_and_notes_are_reported_and_a_discontinuous_span_is_kept() -> None:
    """What brat can say and we cannot (events, notes) is listed; a discontinuous span is an
    interrupted span of ours (DECISIONS 46)."""
    ann = (
        "T1\tPER 0 4;15 22\tJoko Jakarta\n"
        "T2\tLOC 15 22\tJakarta\n"
        "E1\tVisit:T2\n"
        "#1\tAnnotatorNotes T2\tcapital\n"
    )
    result = read_brat(_brat_zip(ann))
    (record,) = list(result)
    assert [(s["id"], s["label"], s.get("fragments")) for s in record["spans"]] == [
        ("T1", "PER", [[0, 4], [15, 22]]),
        ("T2", "LOC", None),
    ]
    assert len(result.warnings) == 2
    assert "event 'E1' not imported" in result.warnings[0]
    assert "note '#1' not imported" in result.warnings[1]


def test_label_studio_reports_predictions_and_unknown_results() -> None:
    """Result types we do not model are reported, not silently dropped; predictions in full
    are kept aside for `as=suggestions` (formats.layers reports them otherwise)."""
    task = {
        "id": 7,
        "data": {"text": "Joko Widodo"},
        "annotations": [
            {
                "result": [
                    {
                        "id": "a",
                        "type": "labels",
                        "value": {"start": 0, "end": 11, "labels": ["PER"]},
                    },
                    {"id": "b", "type": "textarea", "from_name": "note", "value": {"text": ["x"]}},
                ]
            }
        ],
        "predictions": [{"result": []}],
    }
    result = read_label_studio(io.BytesIO(json.dumps([task]).encode()))
    (record,) = list(result)
    assert record["external_id"] == "7"
    assert spans_and_labels(record) == [(0, 11, "PER")]
    assert result.warnings == ["document '7': result type 'textarea' (note) not imported"]
    assert record["_predictions"] == [
        {"spans": [], "relations": [], "document_labels": {}, "score": None}
    ]


def spans_and_labels(record: dict) -> list[tuple[int, int, str]]:
    return [(s["start"], s["end"], s["label"]) for s in record["spans"]]


def test_label_studio_invalid_json_names_the_line() -> None:
    """A truncated Label Studio export raises FormatError with the line of the problem."""
    with pytest.raises(FormatError) as error:
        read_label_studio(io.BytesIO(b'[\n{"id": 1,\n'))
    assert error.value.line == 3


def test_label_studio_text_mismatch_is_reported_and_offsets_kept() -> None:
    """A region whose stored text disagrees with its offsets (old UTF-16 exports) is reported."""
    text = "👍 Joko Widodo"
    task = {
        "data": {"text": text, "external_id": "d"},
        "annotations": [
            {
                "result": [
                    {
                        "id": "a",
                        "from_name": "span_sentiment",
                        "type": "choices",
                        "value": {"start": 3, "end": 7, "choices": ["neutral"]},
                    },
                    {
                        "id": "a",
                        "type": "labels",
                        "value": {"start": 3, "end": 7, "text": "Joko", "labels": ["PER"]},
                    },
                ]
            }
        ],
    }
    result = read_label_studio(io.BytesIO(json.dumps([task]).encode()))
    (record,) = list(result)
    assert record["spans"] == [
        {"id": "a", "start": 3, "end": 7, "label": "PER", "attributes": {"sentiment": "neutral"}}
    ]
    assert result.warnings == [
        "document 'd' region 'a': stored text differs from the offsets; offsets kept"
    ]


def test_brat_skips_macos_resource_forks_and_rejects_non_utf8() -> None:
    """__MACOSX entries are not documents; a .txt that is not UTF-8 is a FormatError."""
    buffer = _brat_zip("T1\tPER 0 4\tJoko\n")
    with zipfile.ZipFile(buffer, "a") as archive:
        archive.writestr("__MACOSX/._doc.txt", b"\x00\x05\x16\x07\xff")
    buffer.seek(0)
    assert [r["external_id"] for r in read_brat(buffer)] == ["doc"]
    with pytest.raises(FormatError) as error:
        list(read_brat(_brat_zip("", text="caf\xe9".encode("latin-1"))))
    assert error.value.field == "doc.txt"
