"""CoNLL from stored tokens (`formats.tokens.TokenTable`) writes exactly what tokenising the
text does: same lines, same warnings, for every fixture and for texts chosen to break it."""

from __future__ import annotations

import copy
import dataclasses
from typing import Any

import pytest

from annotations.formats.tokens import TOKENS, TokenTable, text_digest, tokenize, tokenizer_key
from tests.formats import fixture
from tests.formats.helpers import export

HARD = [
    # a name across a newline: the sentence break inside it is dropped
    ("Kata Joko\nWidodo di Jakarta. Lalu pergi.", [(5, 16, "PER"), (20, 27, "LOC")]),
    # tabs, runs of spaces, a non-breaking space, emoji with a modifier, combining marks
    ("Ini\tdia  Budi\u00a0Santoso 👍🏽 café́ di  Bandung .", [(10, 22, "PER"), (34, 41, "LOC")]),
    # misaligned (inside a token), overlapping and nested spans, one on whitespace
    ("Presiden Joko Widodo berkata: ayo.", [(1, 8, "PER"), (9, 20, "PER"), (9, 13, "ORG")]),
    ("A  B", [(1, 3, "MISC"), (0, 1, "PER")]),
    ("", []),
    ("   \n\n", []),
    ("Titik.Akhir.Tanpa spasi!Dan\r\nCRLF\r\n", [(0, 5, "LOC"), (28, 32, "ORG")]),
]


def _records() -> list[dict[str, Any]]:
    records = [fixture.gold_only(r) for r in fixture.records()]
    for n, (text, spans) in enumerate(HARD):
        records.append(
            {
                "external_id": f"hard-{n}",
                "text": text,
                "spans": [
                    {"id": f"s{i}", "start": a, "end": b, "label": label, "attributes": {}}
                    for i, (a, b, label) in enumerate(spans)
                ],
                "relations": [],
                "document_labels": {},
            }
        )
    return records


def _with_tables(
    records: list[dict[str, Any]], lang: str, *, plain: bool = True
) -> list[dict[str, Any]]:
    records = copy.deepcopy(records)
    tables = tokenize([r["text"] for r in records], lang)
    for record, table in zip(records, tables, strict=True):
        # through bytes, as the export reads them from the database
        table = TokenTable.from_bytes(table.to_bytes())
        record[TOKENS] = table if plain else dataclasses.replace(table, plain=False)
    return records


@pytest.mark.parametrize("plain_tables", [True, False])
@pytest.mark.parametrize("labels", [None, ["PER", "ORG", "LOC", "MISC", "QUOTE"]])
def test_stored_tokens_write_what_tokenising_writes(labels, plain_tables):
    """Byte-identical files and identical warnings with and without stored tokens (on the
    one-join path and on the token-by-token one)."""
    records = _records()
    lang = fixture.schema()["project"]["language"]
    options = {"labels": labels} if labels else {}
    plain, plain_result = export("conll", records, **options)
    tables = _with_tables(records, lang, plain=plain_tables)
    stored, stored_result = export("conll", tables, **options)
    assert stored == plain
    assert stored_result.warnings == plain_result.warnings
    assert stored_result.records == plain_result.records == len(records)
    assert plain_result.warnings  # the hard texts do warn: misaligned and overlapping spans


def test_a_language_spacy_lacks_is_reported_from_stored_tokens_too():
    """Tables made by the multi-language fallback say so, and the export warns as before."""
    schema = fixture.schema()
    schema = {**schema, "project": {**schema["project"], "language": "zz"}}
    records = [fixture.gold_only(r) for r in fixture.records()]
    _, plain = export("conll", records, schema=schema)
    tables = _with_tables(records, "zz")
    assert {r[TOKENS].lang for r in tables} == {"xx"}
    _, stored = export("conll", tables, schema=schema)
    assert stored.warnings == plain.warnings
    assert any("no tokenizer for 'zz'" in w for w in stored.warnings)


def test_token_table_bytes_round_trip_and_keys():
    """A table survives its bytes; the digest follows the text; the key names spaCy's version."""
    (table,) = tokenize(["Budi pergi ke Jakarta. Dia senang."], "id")
    again = TokenTable.from_bytes(table.to_bytes())
    assert list(again.starts) == list(table.starts) == [0, 5, 11, 14, 21, 23, 27, 33]
    assert list(again.ends) == [4, 10, 13, 21, 22, 26, 33, 34]
    assert list(again.sentence_starts) == [0, 5] and again.lang == "id"
    assert len(table.to_bytes()) == 4 * (4 + 8 + 8 + 2) + 2  # counts, starts, ends, sentences
    (spaced,) = tokenize(["A  B\n\nC"], "id")
    assert list(TokenTable.from_bytes(spaced.to_bytes()).spaces) == [1, 3]
    assert text_digest("a") != text_digest("b") and len(text_digest("a")) == 16
    assert tokenizer_key("id").startswith("spacy 3.") and " id " in tokenizer_key("id")
