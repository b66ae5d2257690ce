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
from typing import BinaryIO

from .base import CardContext, Record, Schema, Tally, WriteResult, document_groups, span_labels


class CsvWriter:
    def __init__(self, out: BinaryIO, schema: Schema, *, card: CardContext | None = None) -> None:
        self._tally = Tally("csv")
        self._groups = list(document_groups(schema))
        self._labels = span_labels(schema)
        # write_through: nothing waits in a buffer we would have to remember to flush
        self._text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True)
        self._csv = csv.writer(self._text)
        header = ["external_id", "title", "split", *self._groups]
        self._csv.writerow(header + [f"spans_{label}" for label in self._labels] + ["relations"])

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
        row = [record["external_id"], record.get("title", ""), record.get("split", "")]
        row += [_cell(labels.get(group)) for group in self._groups]
        row += [counts.get(label, 0) for label in self._labels]
        self._csv.writerow([*row, len(record.get("relations") or ())])

    def close(self) -> WriteResult:
        self._text.detach()  # leave the caller's file open
        return self._tally.finish()


def _cell(value: str | list[str] | None) -> str:
    if value is None:
        return ""
    return "|".join(value) if isinstance(value, list) else value
