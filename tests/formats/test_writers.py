"""Writer behaviour beyond the golden files: streaming, parts, options and the card."""

from __future__ import annotations

import io

import pytest

from annotations.formats import FORMATS, dataset_card
from tests.formats import fixture
from tests.formats.helpers import export, unzip

LINE_FORMATS = ["jsonl", "doccano", "label-studio", "conll", "csv"]


@pytest.mark.parametrize("name", LINE_FORMATS)
def test_line_writers_write_each_record_as_it_comes(name: str) -> None:
    """Single-file writers emit a record's bytes on write(), holding nothing back for close()."""
    out = io.BytesIO()
    writer = FORMATS[name].open(out, fixture.schema(), card=fixture.card())
    writer.write(fixture.doc_emoji())
    assert b"Hanoi" in out.getvalue() or b"doc-emoji" in out.getvalue()
    writer.close()


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_writers_consume_a_generator_once(name: str) -> None:
    """Records can be a one-shot generator (the export task streams batches)."""
    _, result = export(name, (record for record in fixture.records()))
    assert result.records == 3
    assert result.split_counts == {"train": 1, "dev": 1, "test": 1}
    assert result.span_label_counts["train"] == {"LOC": 1, "ORG": 1, "PER": 1, "QUOTE": 1}


def test_spacy_writer_flushes_a_part_every_n_documents() -> None:
    """docs_per_part bounds memory: three train documents with parts of two make two files."""
    records = [dict(fixture.gold_only(r), split="train") for r in fixture.records()]
    files = unzip(export("spacy", records, docs_per_part=2)[0])
    assert sorted(files) == ["README.md", "train/docs-00000.spacy", "train/docs-00001.spacy"]


def test_conll_keeps_an_entity_that_crosses_a_sentence_break_in_one_sentence() -> None:
    """A sentence break inside an entity is dropped rather than cutting the entity in two."""
    record = fixture.gold_only(fixture.doc_crlf())
    start, _ = fixture.at(record["text"], "rate.")
    _, end = fixture.at(record["text"], "Governor")
    record["spans"] = [{"id": "x", "start": start, "end": end, "label": "MISC"}]
    text = export("conll", [record])[0].decode()
    assert "rate B-MISC\n. I-MISC\nGovernor I-MISC\n" in text


def test_unsplit_export_uses_data_jsonl_and_one_train_split() -> None:
    """Without a split, hf writes data.jsonl and the card maps it to the train split."""
    records = [fixture.gold_only(r) for r in fixture.records()]
    for record in records:
        del record["split"]
    files = unzip(export("hf", records)[0])
    assert sorted(files) == ["README.md", "data.jsonl"]
    assert "  - split: train\n    path: data.jsonl\n" in files["README.md"].decode()


def test_card_says_when_agreement_was_not_computed() -> None:
    """A card with no agreement figures says so instead of printing an empty table."""
    import dataclasses

    _, result = export("csv")
    card = dataclasses.replace(fixture.card(), agreement=None, annotators=("a1", "a2"))
    text = dataset_card(fixture.schema(), result, FORMATS["csv"].card_context(card))
    assert "## Agreement\n\nNot computed for this export.\n" in text
    assert "- a1\n- a2\n" in text
    assert "Offsets in this format: none: counts only" in text


def test_registry_lists_extension_and_content_type() -> None:
    """Each registry entry tells the export task the file's extension and content type."""
    assert {name: spec.extension for name, spec in FORMATS.items()} == {
        "jsonl": ".jsonl",
        "doccano": ".jsonl",
        "label-studio": ".json",
        "conll": ".conll",
        "spacy": ".zip",
        "brat": ".zip",
        "csv": ".csv",
        "quotes": ".zip",
        "hf": ".zip",
    }
    assert all(spec.content_type for spec in FORMATS.values())


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_schema_with_null_fields_exports(name: str) -> None:
    """Labels straight from the database (None for unset attributes, groups, endpoints) work."""
    schema = fixture.schema()
    for label in schema["labels"]:
        for key in ("attributes", "source_labels", "target_labels", "color", "description"):
            label.setdefault(key, None)
        if label["kind"] != "document":
            label["group"] = None
    _, result = export(name, schema=schema)
    assert result.records == 3


def test_open_refuses_records_in_another_offset_unit() -> None:
    """A schema announcing non-code-point offsets is refused before anything is written."""
    schema = dict(fixture.schema(), offset_unit="utf16")
    with pytest.raises(ValueError, match="unicode_code_point"):
        FORMATS["jsonl"].open(io.BytesIO(), schema)
