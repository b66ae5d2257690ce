"""CSV, one row per document, for sentiment classification and quick counts.

Columns: ``external_id, title, split`` (and ``annotator`` for scope ``all``), one per document
label group (several values of a
multi-choice group joined with ``|``), ``spans_<LABEL>`` per span label, ``relations``. UTF-8
without BOM, RFC 4180 quoting and ``\\r\\n`` row ends (Python's csv default), so pandas,
``datasets`` and spreadsheets read it; text is left out because it is what spreadsheets mangle.
A row is one version of a document: ``annotator`` is empty for the gold layer and names the
annotator for each submitted annotation an export of scope ``all`` carries (``base.versions``).

The file is meant for spreadsheets, which run a cell starting with ``=``, ``+``, ``-`` or ``@``
as a formula (``=HYPERLINK(…)`` in a title someone imported). As OWASP's "CSV Injection" page
recommends, such cells (and those starting with a tab or a carriage return) get a leading
``'``, and every text cell is quoted; counts stay bare numbers. The card says so.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Sequence
from typing import BinaryIO

from .base import (
    CardContext,
    Record,
    Schema,
    Tally,
    WriteResult,
    carries_versions,
    document_groups,
    span_labels,
    versions,
)

# Cells a spreadsheet would read as a formula (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_CAVEAT = (
    "text cells starting with =, +, -, @, a tab or a carriage return are prefixed with ' so "
    "spreadsheets show them as text instead of running them (OWASP CSV injection advice); "
    "drop that first ' to get the stored value"
)


class CsvWriter:
    def __init__(self, out: BinaryIO, schema: Schema, *, card: CardContext | None = None) -> None:
        self._tally = Tally("csv")
        self._groups = list(document_groups(schema))
        self._labels = span_labels(schema)
        self._out = out
        # rows go through a small text buffer: a TextIOWrapper around ``out`` would close the
        # caller's file when garbage-collected (say, after an exception mid-export)
        self._buffer = io.StringIO(newline="")
        # Text cells quoted, numbers bare (OWASP: wrap each cell in double quotes).
        self._csv = csv.writer(self._buffer, quoting=csv.QUOTE_NONNUMERIC)
        # the column exists where there is something to put in it: scope all's versions
        self._with_annotator = carries_versions(card)
        header = ["external_id", "title", "split"]
        header += ["annotator"] if self._with_annotator else []
        header += self._groups
        self._row(header + [f"spans_{label}" for label in self._labels] + ["relations"])

    def _row(self, row: Sequence[object]) -> None:
        self._csv.writerow([_defused(cell) for cell in row])
        self._out.write(self._buffer.getvalue().encode("utf-8"))
        self._buffer.seek(0)
        self._buffer.truncate()

    def write(self, record: Record) -> None:
        self._tally.count(record)
        if not self._with_annotator:
            self._tally.uncarried_annotations(record)
            self._write_version(None, record)
            return
        for annotator, version in versions(record):
            self._write_version(annotator, version)

    def _write_version(self, annotator: str | None, record: Record) -> None:
        labels = record.get("document_labels") or {}
        counts = Counter(span["label"] for span in record.get("spans") or ())
        unknown = counts.keys() - set(self._labels)
        if unknown:
            self._tally.warn(
                f"document {record['external_id']!r}: span labels {sorted(unknown)} are not in "
                "the schema and have no column"
            )
        row: list[object] = [
            record["external_id"],
            record.get("title", ""),
            record.get("split", ""),
        ]
        row += [annotator or ""] if self._with_annotator else []
        row += [_cell(labels.get(group)) for group in self._groups]
        row += [counts.get(label, 0) for label in self._labels]
        self._row([*row, len(record.get("relations") or ())])

    def close(self) -> WriteResult:
        return self._tally.finish()


def _cell(value: str | list[str] | None) -> str:
    if value is None:
        return ""
    return "|".join(value) if isinstance(value, list) else value


def _defused(cell: object) -> object:
    """The cell as a spreadsheet should show it: text that starts like a formula gets a `'`."""
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS):
        return "'" + cell
    return cell
