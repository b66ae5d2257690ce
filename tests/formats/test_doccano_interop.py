"""doccano's shapes and offset units, checked against files the real doccano 1.8.4 exported
(tests/data/interop/doccano-1.8.4/, made by `make interop`): our export in each shape and unit
gives the offsets doccano stored for the same annotations, and our reader reads doccano's
files back to the annotations that were made, in each unit."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from annotations.formats import FORMATS, read_doccano
from annotations.formats.doccano import UnitUnclear, detect_unit
from tests.formats import fixture
from tests.formats.helpers import export

INTEROP = Path(__file__).parents[1] / "data" / "interop"
DOCCANO = INTEROP / "doccano-1.8.4"
TESTSET = [json.loads(x) for x in (INTEROP / "testset.jsonl").read_text().splitlines() if x]
FOLDERS = {"utf16": "sequence-labelling", "grapheme": "grapheme-mode"}


def doccano_lines(folder: str, user: str) -> list[dict]:
    data = (DOCCANO / folder / f"{user}.jsonl").read_text(encoding="utf-8")
    return [json.loads(line) for line in data.splitlines() if line]


def layer(user: str) -> list[dict]:
    """The test set as records holding only `user`'s layer, as gold (what we would export)."""
    records = []
    for record in TESTSET:
        (mine,) = [a for a in record["annotations"] if a["annotator"] == user]
        records.append({**record, **{k: mine[k] for k in ("spans", "relations")}})
        records[-1]["document_labels"] = mine["document_labels"]
        records[-1]["annotations"] = []
    return records


def spans(records: list[dict]) -> list[set[tuple[str, str]]]:
    return [{(s["label"], r["text"][s["start"] : s["end"]]) for s in r["spans"]} for r in records]


@pytest.mark.parametrize("unit", sorted(FOLDERS))
@pytest.mark.parametrize("user", ["alice", "bob"])
def test_label_shape_export_gives_the_offsets_doccano_stored(unit: str, user: str) -> None:
    """shape=label in UTF-16 units (or grapheme clusters) writes exactly the `label` lists
    doccano exported from a sequence-labelling project (or one in grapheme mode) for the same
    spans."""
    data, _ = export("doccano", layer(user), shape="label", offset_unit=unit)
    ours = [json.loads(line) for line in data.decode("utf-8").splitlines()]
    theirs = doccano_lines(FOLDERS[unit], user)
    assert [sorted(map(tuple, line["label"])) for line in ours] == [
        sorted(map(tuple, line["label"])) for line in theirs
    ]
    assert [line["text"] for line in ours] == [line["text"] for line in theirs]


def test_relation_shape_export_gives_doccano_entities_and_relations() -> None:
    """The default shape writes the entities (UTF-16 offsets) and relations doccano exported
    from a project with relation labelling on."""
    data, _ = export("doccano", layer("alice"))
    ours = [json.loads(line) for line in data.decode("utf-8").splitlines()]
    theirs = doccano_lines("relation", "alice")

    def view(line: dict) -> tuple[set, set]:
        ends = {e["id"]: (e["start_offset"], e["end_offset"]) for e in line["entities"]}
        entities = {(e["start_offset"], e["end_offset"], e["label"]) for e in line["entities"]}
        relations = {(ends[r["from_id"]], ends[r["to_id"]], r["type"]) for r in line["relations"]}
        return entities, relations

    assert [view(line) for line in ours] == [view(line) for line in theirs]


@pytest.mark.parametrize(("unit", "folder"), [*FOLDERS.items(), ("utf16", "relation")])
@pytest.mark.parametrize("user", ["alice", "bob"])
def test_doccano_files_read_back_to_the_annotations_made(unit, folder, user) -> None:
    """Each doccano file, read in the unit its project counted, gives the spans that user
    made (in code points), and keeps doccano's example id in meta."""
    source = io.BytesIO((DOCCANO / folder / f"{user}.jsonl").read_bytes())
    result = read_doccano(source, offset_unit=unit)
    records = list(result)
    assert spans(records) == spans(layer(user))
    assert [r["external_id"] for r in records] == [r["external_id"] for r in TESTSET]
    assert all(isinstance(r["meta"]["doccano"]["id"], int) for r in records)
    assert result.warnings == []


def test_grapheme_mode_file_read_as_utf16_shifts_spans() -> None:
    """Why the unit matters: the grapheme-mode file read as UTF-16 lands "Jakarta" elsewhere."""
    source = io.BytesIO((DOCCANO / "grapheme-mode" / "alice.jsonl").read_bytes())
    first = next(iter(read_doccano(source, offset_unit="utf16")))
    quote = next(s for s in first["spans"] if s["label"] == "QUOTE")
    assert first["text"][quote["start"] : quote["end"]] != "Kita harus bekerja lebih keras"


def test_detection_names_the_first_span_read_differently() -> None:
    """With no unit, a file whose spans fit several units with different text is refused,
    naming the line, the span and what each unit reads."""
    source = io.BytesIO((DOCCANO / "grapheme-mode" / "alice.jsonl").read_bytes())
    with pytest.raises(UnitUnclear) as error:
        list(read_doccano(source))
    assert (error.value.line, error.value.span, error.value.label) == (1, 2, "QUOTE")
    assert error.value.readings == {
        "utf16": '. "Kita harus bekerja lebih ke',
        "code_point": '"Kita harus bekerja lebih kera',
        "grapheme": "Kita harus bekerja lebih keras",
    }


def test_detection_refuses_a_file_no_unit_fits() -> None:
    """A file mixing units (line 1 splits an emoji in UTF-16, line 2 runs past the end in
    code points and clusters) is inconsistent: each unit's first failure is named."""
    lines = [
        json.dumps({"text": "a👍b", "label": [[2, 3, "X"]]}),
        json.dumps({"text": "a👍b", "label": [[3, 4, "X"]]}),
    ]
    with pytest.raises(UnitUnclear) as error:
        detect_unit(lines)
    assert error.value.misfits == {
        "utf16": (1, 0, "surrogate"),
        "code_point": (2, 0, "range"),
        "grapheme": (2, 0, "range"),
    }


def test_detection_accepts_a_file_every_unit_reads_alike() -> None:
    """Text with no emoji or clusters before its spans reads the same in every unit: no
    unit needed (nearly all news)."""
    line = json.dumps({"text": "Joko Widodo 👍", "label": [[0, 4, "PER"]]})
    (record,) = read_doccano([line])
    assert record["text"][record["spans"][0]["start"] : record["spans"][0]["end"]] == "Joko"


def test_detection_takes_the_only_unit_that_fits() -> None:
    """doccano's own export of a relation project fits only UTF-16 somewhere (a span past the
    end in the other units), so it reads without naming the unit."""
    source = io.BytesIO((DOCCANO / "relation" / "alice.jsonl").read_bytes())
    assert spans(list(read_doccano(source))) == spans(layer("alice"))


def test_grapheme_export_skips_a_span_inside_a_cluster() -> None:
    """A span ending between a letter and its combining mark has no grapheme offset: it is
    skipped and named, never moved."""
    record = fixture.gold_only(fixture.doc_id())
    record["text"] = "Zoe\u0308 datang."
    record["spans"] = [{"id": "s1", "start": 0, "end": 3, "label": "PER", "attributes": {}}]
    record["relations"] = []
    data, result = export("doccano", [record], shape="label", offset_unit="grapheme")
    assert json.loads(data)["label"] == []
    assert result.warnings == [
        "document 'doc-id' span 's1' (PER 0-3): code point offset 3 falls inside a grapheme "
        "cluster; skipped"
    ]


def test_label_shape_reports_relations_it_cannot_carry() -> None:
    """The label shape has no relations: their number is in the warnings."""
    _, result = export("doccano", shape="label")
    relations = sum(len(r["relations"]) for r in fixture.records())
    assert any(w.startswith(f"{relations} relation(s) not written") for w in result.warnings)


@pytest.mark.parametrize(
    ("options", "says"),
    [
        ({}, "**JSONL(Relation)**"),
        ({"shape": "label"}, "with the option **JSONL**, column data `text`"),
        ({"offset_unit": "grapheme"}, "turn **Count grapheme clusters as one character** on"),
    ],
)
def test_card_says_which_doccano_project_and_import_to_pick(options, says) -> None:
    """The card's "Using this export" names the doccano project type and import option for the
    shape, the grapheme setting for the unit, and what doccano cannot carry."""
    context = FORMATS["doccano"].card_context(fixture.card(), options)
    assert says in context.format_guide
    assert "cannot carry" in context.format_guide
    if options.get("offset_unit") == "grapheme":
        assert context.format_note.startswith("grapheme clusters")
