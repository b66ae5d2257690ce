"""Readers that are not ours load our output: spaCy, Hugging Face datasets, seqeval, the csv
module, and the offset conventions of doccano (UTF-16), Label Studio and brat (code points)."""

from __future__ import annotations

import csv
import io
import json
import os
import re
from pathlib import Path

import pytest

from tests.formats import fixture
from tests.formats.helpers import export, unzip

# The datasets tests must never reach the network.
os.environ["HF_DATASETS_OFFLINE"] = "1"
os.environ["HF_HUB_OFFLINE"] = "1"

ENTITY_TEXTS = {
    "doc-id": [("ORG", "Bulog"), ("PER", "Joko Widodo"), ("LOC", "Jakarta")],
    "doc-emoji": [("ORG", "Timnas Indonesia"), ("ORG", "Vietnam"), ("LOC", "Hanoi")],
    "doc-crlf": [("ORG", "Bank Indonesia"), ("PER", "Perry Warjiyo")],
}


def _by_id() -> dict[str, dict]:
    return {r["external_id"]: r for r in fixture.records()}


def test_spacy_docbin_loads_with_spacy() -> None:
    """DocBin.from_bytes gives Docs whose ents, span group, cats and text match the records."""
    from spacy.tokens import DocBin

    from annotations.formats.tokens import pipeline

    nlp = pipeline("id")  # the writer's cached pipeline: building a tokenizer takes seconds
    records = _by_id()
    seen = set()
    for name, data in unzip(export("spacy")[0]).items():
        if not name.endswith(".spacy"):
            continue
        for doc in DocBin().from_bytes(data).get_docs(nlp.vocab):
            record = records[doc.user_data["external_id"]]
            seen.add(record["external_id"])
            assert doc.text == record["text"]
            assert [(e.label_, e.text) for e in doc.ents] == ENTITY_TEXTS[record["external_id"]]
            expected = sorted((s["start"], s["end"], s["label"]) for s in record["spans"])
            got = sorted((s.start_char, s.end_char, s.label_) for s in doc.spans["sc"])
            assert got == expected
            for span in doc.spans["sc"]:
                assert span.text == record["text"][span.start_char : span.end_char]
            sentiment = record["document_labels"]["sentiment"]
            assert doc.cats == {
                v: float(v == sentiment) for v in ("positive", "neutral", "negative")
            }
            assert len(doc.user_data["relations"]) == len(record["relations"])
    assert seen == set(records)


def _unzipped_hf(tmp_path: Path, **kwargs) -> Path:
    folder = tmp_path / "hf"
    for name, data in unzip(export("hf", **kwargs)[0]).items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    return folder


def test_hf_jsonl_loads_with_datasets_json(tmp_path: Path) -> None:
    """load_dataset("json", data_files=…) reads every split; span offsets slice the text."""
    import datasets

    folder = _unzipped_hf(tmp_path)
    files = {"train": "train.jsonl", "validation": "dev.jsonl", "test": "test.jsonl"}
    loaded = datasets.load_dataset(
        "json",
        data_files={split: str(folder / name) for split, name in files.items()},
        cache_dir=str(tmp_path / "cache"),
    )
    assert {split: len(ds) for split, ds in loaded.items()} == {
        "train": 1,
        "validation": 1,
        "test": 1,
    }
    records = _by_id()
    for split in files:
        for row in loaded[split]:
            record = records[row["id"]]
            assert row["text"] == record["text"]
            for span in row["spans"]:
                assert span["text"] == row["text"][span["start"] : span["end"]]
            assert row["document_labels"] == record["document_labels"]


@pytest.mark.parametrize("scope", ["gold", "all"])
def test_hf_folder_loads_with_card_features(tmp_path: Path, scope: str) -> None:
    """load_dataset(folder) uses the card's configs and features; "all" adds annotations."""
    import dataclasses

    import datasets

    card = dataclasses.replace(fixture.card(), scope=scope)
    folder = _unzipped_hf(tmp_path, card=card)
    loaded = datasets.load_dataset(str(folder), cache_dir=str(tmp_path / "cache"))
    assert sorted(loaded) == ["test", "train", "validation"]
    test_row = loaded["test"][0]
    assert test_row["id"] == "doc-crlf"
    assert test_row["text"].count("\r\n") == 2
    assert ("annotations" in loaded["test"].features) == (scope == "all")
    if scope == "all":
        annotators = [a["annotator"] for a in test_row["annotations"]]
        assert annotators == ["alice", "bob"]
        assert loaded["train"][0]["annotations"] == []


def _conll_documents(data: bytes) -> list[list[list[tuple[str, str]]]]:
    documents: list[list[list[tuple[str, str]]]] = []
    for line in data.decode("utf-8").split("\n"):
        if line.startswith("-DOCSTART-"):
            documents.append([[]])
        elif not line:
            if documents[-1][-1]:
                documents[-1].append([])
        else:
            token, tag = line.split(" ")
            documents[-1][-1].append((token, tag))
    return [[s for s in doc if s] for doc in documents]


def test_conll_entities_recovered_by_seqeval() -> None:
    """seqeval finds exactly the non-QUOTE entities, per sentence, with valid IOB2 tags."""
    from seqeval.metrics import f1_score
    from seqeval.metrics.sequence_labeling import get_entities
    from seqeval.scheme import IOB2

    data, _ = export("conll")
    documents = _conll_documents(data)
    assert len(documents) == 3
    for external_id, sentences in zip(ENTITY_TEXTS, documents, strict=True):
        found = []
        for sentence in sentences:
            tokens = [t for t, _ in sentence]
            tags = [tag for _, tag in sentence]
            assert all(re.fullmatch(r"O|[BI]-[A-Z]+", tag) for tag in tags)
            found += [(label, " ".join(tokens[s : e + 1])) for label, s, e in get_entities(tags)]
        assert found == ENTITY_TEXTS[external_id]
        tags = [[tag for _, tag in s] for s in sentences]
        # strict IOB2 scoring only counts well-formed entities: a perfect score means all are
        assert f1_score(tags, tags, mode="strict", scheme=IOB2) == 1.0


def test_conll_has_no_whitespace_tokens() -> None:
    """Newline tokens (CRLF included) are not emitted; every line is 'token TAG', blank, or
    CoNLL-2003's document line."""
    for line in export("conll")[0].decode("utf-8").split("\n"):
        assert line in ("", "-DOCSTART- -X- O O") or re.fullmatch(r"\S+ \S+", line)


def test_conll_reads_as_one_doc_per_document_with_spacy_convert(tmp_path: Path) -> None:
    """`spacy convert --converter ner` (the CLI people run) splits our CoNLL on its
    `-DOCSTART- -X- O O` lines: one Doc per document, each with its entities, no junk Docs."""
    import subprocess
    import sys

    from spacy.tokens import DocBin
    from spacy.vocab import Vocab

    source = tmp_path / "documents.conll"
    source.write_bytes(export("conll")[0])
    done = subprocess.run(
        [sys.executable, "-m", "spacy", "convert", str(source), str(tmp_path), "-c", "ner"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "No document delimiters found" not in done.stdout + done.stderr
    docs = list(DocBin().from_disk(tmp_path / "documents.spacy").get_docs(Vocab()))
    assert [[(e.label_, e.text) for e in doc.ents] for doc in docs] == list(ENTITY_TEXTS.values())


def test_doccano_offsets_are_utf16_code_units() -> None:
    """doccano offsets slice text.encode("utf-16-le") to the span's text, emoji included."""
    records = _by_id()
    for line in export("doccano")[0].decode("utf-8").splitlines():
        obj = json.loads(line)
        record = records[obj["external_id"]]
        units = obj["text"].encode("utf-16-le")
        texts = [
            units[2 * e["start_offset"] : 2 * e["end_offset"]].decode("utf-16-le")
            for e in obj["entities"]
        ]
        assert texts == [record["text"][s["start"] : s["end"]] for s in record["spans"]]
    emoji = json.loads(export("doccano")[0].decode("utf-8").splitlines()[1])
    assert emoji["entities"][0]["start_offset"] == records["doc-emoji"]["spans"][0]["start"] + 4


def test_label_studio_values_slice_text_by_code_points() -> None:
    """Every labels result's value.text equals data.text[start:end] in Python (code points)."""
    tasks = json.loads(export("label-studio")[0])
    assert len(tasks) == 3
    for task in tasks:
        for annotation in task["annotations"]:
            for result in annotation["result"]:
                value = result.get("value", {})
                if "start" in value:
                    assert value["text"] == task["data"]["text"][value["start"] : value["end"]]
    crlf = tasks[2]
    assert [a.get("annotator") for a in crlf["annotations"]] == [None, "alice", "bob"]
    assert crlf["annotations"][0]["ground_truth"] is True


def test_label_studio_results_use_config_control_names() -> None:
    """Each result's from_name is a control declared in label_studio_config(schema)."""
    from annotations.formats import label_studio_config

    config = label_studio_config(fixture.schema())
    controls = set(re.findall(r'<(?:Labels|Choices) name="([^"]+)"', config))
    assert len(controls) == len(re.findall(r"<(?:Labels|Choices) name=", config)), "duplicate"
    for task in json.loads(export("label-studio")[0]):
        for annotation in task["annotations"]:
            for result in annotation["result"]:
                if result["type"] != "relation":
                    assert result["from_name"] in controls


def test_brat_offsets_are_code_points_of_the_txt() -> None:
    """Each T line's fragments slice the UTF-8-decoded .txt to the covered text."""
    files = unzip(export("brat")[0])
    assert files["doc-crlf.txt"] == fixture.CRLF_TEXT.encode("utf-8")
    for name, data in files.items():
        if not name.endswith(".ann"):
            continue
        text = files[name[:-4] + ".txt"].decode("utf-8")
        for line in data.decode("utf-8").splitlines():
            if line.startswith("T"):
                _, body, covered = line.split("\t")
                fragments = [tuple(map(int, f.split())) for f in body.split(" ", 1)[1].split(";")]
                assert " ".join(text[s:e] for s, e in fragments) == covered


def test_csv_reads_with_the_csv_module() -> None:
    """csv.DictReader gets one row per document with sentiment and span counts."""
    rows = list(csv.DictReader(io.StringIO(export("csv")[0].decode("utf-8"), newline="")))
    assert [r["external_id"] for r in rows] == ["doc-id", "doc-emoji", "doc-crlf"]
    assert [r["sentiment"] for r in rows] == ["negative", "positive", "neutral"]
    assert rows[1]["spans_ORG"] == "2"


def test_hf_multi_choice_group_loads_as_a_list(tmp_path: Path) -> None:
    """A multi-choice document group is a list feature; unset it is an empty list."""
    import datasets

    from tests.formats.test_round_trip import _with_topics

    schema, records = _with_topics()
    folder = tmp_path / "hf"
    for name, data in unzip(export("hf", records, schema=schema)[0]).items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    loaded = datasets.load_dataset(str(folder), cache_dir=str(tmp_path / "cache"))
    assert loaded["train"][0]["document_labels"]["topics"] == ["economy", "politics"]
    assert loaded["validation"][0]["document_labels"]["topics"] == []
