"""The hand-annotated quote corpus (tests/data/quotes/): well-formed, as documented, and the
suggester meets issue 10's targets on the dev set (the held-out set is reported by the bench)."""

from __future__ import annotations

import importlib.util
import json
from collections import Counter
from pathlib import Path
from types import SimpleNamespace

import pytest

from annotations.presets import NEWS
from annotations.suggesting import quotes_as_suggestions, suggest_quotes
from annotations.suggesting.evaluation import Counts, score_document
from annotations.validation import LabelSet, validate_content

CORPUS = Path(__file__).resolve().parents[1] / "data" / "quotes"


def _load(split: str) -> list[dict]:
    return [
        json.loads(line)
        for line in (CORPUS / f"{split}.jsonl").read_text("utf-8").split("\n")
        if line
    ]


def _markup():
    spec = importlib.util.spec_from_file_location("quote_markup", CORPUS / "markup.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _labels() -> LabelSet:
    rows = [
        SimpleNamespace(
            **{
                "id": i,
                "group": None,
                "multiple": False,
                "attributes": None,
                "source_labels": None,
                "target_labels": None,
                **label,
            }
        )
        for i, label in enumerate(NEWS)
    ]
    rows.append(SimpleNamespace(id=100, kind="span", name="CUE", attributes={}))
    rows.append(
        SimpleNamespace(
            id=101, kind="relation", name="CUE", source_labels=["QUOTE"], target_labels=["CUE"]
        )
    )
    return LabelSet.from_rows(rows)


RECORDS = {split: _load(split) for split in ("dev", "test")}
ALL = RECORDS["dev"] + RECORDS["test"]


@pytest.mark.parametrize("split", ["dev", "test"])
def test_committed_jsonl_is_what_the_markup_compiles_to(split):
    """src/*.txt is the source; the JSONL beside it never drifts from it."""
    assert _markup().compile_set(split) == (CORPUS / f"{split}.jsonl").read_text("utf-8")


@pytest.mark.parametrize("record", ALL, ids=lambda r: r["external_id"])
def test_every_article_is_valid_native_jsonl_for_the_news_preset(record):
    """Spans in bounds, known labels and attributes, relations between known spans, no
    overlaps; utterances join QUOTE spans; coref joins PER/ORG spans."""
    validate_content(record, _labels(), len(record["text"]), allow_overlap=False)
    spans = {s["id"]: s for s in record["spans"]}
    for members in record["meta"].get("utterances", {}).values():
        assert len(members) >= 2 and all(spans[m]["label"] == "QUOTE" for m in members)
    for mention, antecedent in record["meta"].get("coref", {}).items():
        assert spans[mention]["label"] in ("PER", "ORG") and antecedent in spans
    speakers = {r["from"] for r in record["relations"] if r["label"] == "SPEAKER"}
    assert speakers == {s["id"] for s in record["spans"] if s["label"] == "QUOTE"}


def test_corpus_has_the_size_and_features_the_issue_asks_for():
    """24+ articles (12+ id, 10+ en), 70+ quotes, 6+ held out, and every hard case."""
    languages = Counter(r["meta"]["language"] for r in ALL)
    quotes = [s for r in ALL for s in r["spans"] if s["label"] == "QUOTE"]
    assert len(ALL) >= 24 and languages["id"] >= 12 and languages["en"] >= 10
    assert len(quotes) >= 70 and len(RECORDS["test"]) >= 6
    texts = "".join(r["text"] for r in ALL)
    assert "\r\n" in texts and any(ord(c) > 0xFFFF for c in texts)
    assert '"' in texts and "“" in texts
    assert any(r["meta"].get("utterances") for r in ALL)
    assert any(len(m) >= 3 for r in ALL for m in r["meta"].get("utterances", {}).values())
    assert sum(len(r["meta"].get("coref", {})) for r in ALL) >= 20
    assert sum(q["attributes"]["quote_type"] == "indirect" for q in quotes) >= 20


def test_dev_set_meets_the_issue_targets():
    """Direct-quote F1 >= 0.95 and speaker-link F1 >= 0.85 on the dev set (a regression guard;
    the held-out figures are printed by bench/bench_suggestions.py, never asserted on)."""
    totals: dict[str, Counts] = {}
    for record in RECORDS["dev"]:
        found = suggest_quotes(record["text"], language=record["meta"]["language"])
        for name, counts in score_document(record, found, quotes_as_suggestions(found)).items():
            totals.setdefault(name, Counts())
            totals[name] += counts
    assert totals["direct exact"].f1 >= 0.95
    assert totals["speaker links"].f1 >= 0.85


@pytest.mark.parametrize("record", RECORDS["test"], ids=lambda r: r["external_id"])
def test_held_out_articles_give_well_formed_suggestions(record):
    """On held-out text only well-formedness is asserted: quality is measured, not tuned."""
    text = record["text"]
    for quote in suggest_quotes(text, language=record["meta"]["language"]):
        assert all(0 <= s < e <= len(text) for s, e in quote.fragments)
