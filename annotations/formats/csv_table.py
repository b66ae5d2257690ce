"""CSV, one row per document, for sentiment classification and quick counts.

Columns: ``external_id, title, split``, one per document label group (several values of a
multi-choice group joined with ``|``), ``spans_<LABEL>`` per span label, ``relations``. UTF-8
without BOM, RFC 4180 quoting and ``\\r\\n`` row ends (Python's csv default), so pandas,
``datasets`` and spreadsheets read it; text is left out because it is what spreadsheets mangle.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Sequence
from typing import BinaryIO

from .base import CardContext, Record, Schema, Tally, WriteResult, document_groups, span_labels


class CsvWriter:
    def __init__(self, out: BinaryIO, schema: Schema, *, card: CardContext | None = None) -> None:
        self._tally = Tally("csv")
        self._groups = list(document_groups(schema))
        self._labels = span_labels(schema)
        self._out = out
        # rows go through a small text buffer: a TextIOWrapper around ``out`` would close the
        # caller's file when garbage-collected (say, after an exception mid-export)
        self._buffer = io.StringIO(newline="")
        self._csv = csv.writer(self._buffer)
        header = ["external_id", "title", "split", *self._groups]
        self._row(header + [f"spans_{label}" for label in self._labels] + ["relations"])

    def _row(self, row: Sequence[object]) -> None:
        self._csv.writerow(row)
        self._out.write(self._buffer.getvalue().encode("utf-8"))
        self._buffer.seek(0)
        self._buffer.truncate()

    def write(self, record: Record) -> None:
        self._tally.count(record)
        self._tally.uncarried_annotations(record)
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
        row += [_cell(labels.get(group)) for group in self._groups]
        row += [counts.get(label, 0) for label in self._labels]
        self._row([*row, len(record.get("relations") or ())])

    def close(self) -> WriteResult:
        return self._tally.finish()


def _cell(value: str | list[str] | None) -> str:
    if value is None:
        return ""
    return "|".join(value) if isinstance(value, list) else value
