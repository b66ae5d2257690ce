"""The quotes dataset, zipped: one row per quote, as a newsroom researcher opens it first
(DECISIONS 46). ``quotes.csv`` for spreadsheets and ``quotes.jsonl`` for scripts hold the
same rows, beside the dataset card.

A row: the document's external id, whose layer it is (``gold`` or the annotator's name, with
scope ``all``), the quote's id, its full text (an interrupted quote's fragments joined with
" … "), its fragments' code-point offsets, its quote type and sentiment, its cue's text, its
speaker mention's text, and the speaker it resolves to (the mention's chain's canonical name,
else the mention's text), with that chain's id. Quotes are in text order per document, the
gold layer first. The CSV follows ``csv_table``'s rules (UTF-8, every text cell quoted, cells
that start like a formula prefixed with ``'``); the JSONL keeps the offsets of the cue and
speaker mention too and is left as stored.
"""

from __future__ import annotations

import csv
import io
import json
import tempfile
from typing import Any, BinaryIO

from annotations.attribution import FRAGMENT_JOIN, names_of, pieces, quotes_of, span_text

from .archive import ZipOut
from .base import CardContext, Record, Schema, Tally, WriteResult
from .csv_table import _defused
from .jsonl import dumps

COLUMNS = (
    "document",
    "layer",
    "quote_id",
    "quote",
    "fragments",
    "quote_type",
    "sentiment",
    "cue",
    "speaker_mention",
    "speaker",
    "speaker_chain",
)
GOLD = "gold"


def quote_rows(record: Record) -> list[dict[str, Any]]:
    """The record's quotes as JSONL rows, gold layer first, then each annotator's."""
    text = record["text"]
    layers = [(GOLD, record)]
    layers += [(layer.get("annotator") or "", layer) for layer in record.get("annotations") or ()]
    rows = []
    for name, layer in layers:
        spans, relations = layer.get("spans") or [], layer.get("relations") or []
        names = names_of(layer)
        for found in quotes_of(spans, relations, names, text):
            quote, cue, speaker = found["quote"], found["cue"], found["speaker"]
            attributes = quote.get("attributes") or {}
            rows.append(
                {
                    "document": record["external_id"],
                    "layer": name,
                    "quote_id": quote["id"],
                    "quote": span_text(text, quote, FRAGMENT_JOIN),
                    "fragments": [list(piece) for piece in pieces(quote)],
                    "quote_type": attributes.get("quote_type"),
                    "sentiment": attributes.get("sentiment"),
                    "cue": _mention(text, cue),
                    "speaker_mention": _mention(text, speaker),
                    "speaker": found["resolved"],
                    "speaker_chain": (speaker or {}).get("chain"),
                }
            )
    return rows


def _mention(text: str, span: dict[str, Any] | None) -> dict[str, Any] | None:
    if span is None:
        return None
    return {
        "text": span_text(text, span, FRAGMENT_JOIN),
        "start": span["start"],
        "end": span["end"],
        "label": span["label"],
    }


def csv_cells(row: dict[str, Any]) -> list[object]:
    """A JSONL row as CSV cells: mentions by their text, fragments as JSON, blanks for none."""
    cells: list[object] = []
    for column in COLUMNS:
        value = row[column]
        if column == "fragments":
            value = json.dumps(value, separators=(",", ":"))
        elif isinstance(value, dict):
            value = value["text"]
        cells.append("" if value is None else value)
    return cells


class QuotesWriter:
    def __init__(self, out: BinaryIO, schema: Schema, *, card: CardContext | None = None) -> None:
        self._schema = schema
        self._card = card
        self._zip = ZipOut(out)
        self._tally = Tally("quotes")
        # closed in close(); a writer spans many calls, so no with-block fits
        self._csv_file = tempfile.TemporaryFile()  # noqa: SIM115
        self._jsonl_file = tempfile.TemporaryFile()  # noqa: SIM115
        self._buffer = io.StringIO(newline="")
        self._csv = csv.writer(self._buffer, quoting=csv.QUOTE_NONNUMERIC)
        self._csv_row(list(COLUMNS))
        self.quotes = 0

    def _csv_row(self, cells: list[object]) -> None:
        self._csv.writerow([_defused(cell) for cell in cells])
        self._csv_file.write(self._buffer.getvalue().encode("utf-8"))
        self._buffer.seek(0)
        self._buffer.truncate()

    def write(self, record: Record) -> None:
        self._tally.count(record)
        for row in quote_rows(record):
            self.quotes += 1
            self._jsonl_file.write(dumps(row))
            self._csv_row(csv_cells(row))

    def close(self) -> WriteResult:
        from .card import dataset_card

        for name, source in (("quotes.csv", self._csv_file), ("quotes.jsonl", self._jsonl_file)):
            source.seek(0)
            self._zip.add_stream(name, source)
            source.close()
        if not self.quotes:
            self._tally.warn("no QUOTE spans in the exported documents: the tables are empty")
        result = self._tally.finish()
        if self._card is not None:
            card = dataset_card(self._schema, result, self._card, files=dict(self._zip.files))
            self._zip.add("README.md", card.encode("utf-8"))
        self._zip.close()
        result.files = dict(self._zip.files)
        return result
