"""doccano JSONL ("sequence labeling with relations"), offsets in UTF-16 code units.

doccano measures offsets with JavaScript string indices, i.e. UTF-16 code units (doccano issue
#2290): an emoji before a span shifts it by two, not one. We convert on the way out and in.

Written shape, one document per line (ids are integers, unique within the file)::

    {"id": 1, "external_id": "doc-1", "text": "…",
     "entities": [{"id": 1, "label": "PER", "start_offset": 0, "end_offset": 16}],
     "relations": [{"id": 1, "from_id": 2, "to_id": 1, "type": "SPEAKER"}],
     "cats": ["negative"]}

Document labels go in ``cats`` (doccano's key for document categories next to spans) rather than
``label``, which doccano's sequence-labelling import reads as spans. doccano has no span
attributes and no per-annotator layers in this shape: both are reported as not carried.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import IO, Any, BinaryIO, Literal

from .base import (
    CardContext,
    FormatError,
    Record,
    Schema,
    Tally,
    WriteResult,
    document_groups,
    document_label_values,
)
from .jsonl import dumps
from .offsets import from_utf16, to_utf16
from .reading import ReadResult, json_lines, keep_known_relations, new_record

OffsetUnit = Literal["utf16", "code_point"]


class DoccanoWriter:
    def __init__(self, out: BinaryIO, schema: Schema, *, card: CardContext | None = None) -> None:
        self._out = out
        self._tally = Tally("doccano")
        self._next_entity = 1
        self._next_relation = 1
        self._attributes_dropped = 0

    def write(self, record: Record) -> None:
        self._tally.count(record)
        self._tally.uncarried_annotations(record)
        entities, ids = self._entities(record)
        line = {
            "id": self._tally.result.records,
            "external_id": record["external_id"],
            "text": record["text"],
            "entities": entities,
            "relations": self._relations(record, ids),
            "cats": [value for _, value in document_label_values(record)],
        }
        self._out.write(dumps(line))

    def _entities(self, record: Record) -> tuple[list[dict[str, Any]], dict[str, int]]:
        """doccano entities in UTF-16 offsets, and our span id -> doccano entity id."""
        utf16 = to_utf16(record["text"])
        entities, ids = [], {}
        for span in record.get("spans") or ():
            ids[span["id"]] = self._next_entity
            entities.append(
                {
                    "id": self._next_entity,
                    "label": span["label"],
                    "start_offset": utf16(span["start"]),
                    "end_offset": utf16(span["end"]),
                }
            )
            self._next_entity += 1
            self._attributes_dropped += bool(span.get("attributes"))
        return entities, ids

    def _relations(self, record: Record, ids: dict[str, int]) -> list[dict[str, Any]]:
        relations = []
        for rel in record.get("relations") or ():
            if rel["from"] not in ids or rel["to"] not in ids:
                self._tally.warn(
                    f"document {record['external_id']!r}: relation {rel.get('id')!r} refers "
                    "to a missing span; skipped"
                )
                continue
            relations.append(
                {
                    "id": self._next_relation,
                    "from_id": ids[rel["from"]],
                    "to_id": ids[rel["to"]],
                    "type": rel["label"],
                }
            )
            self._next_relation += 1
        return relations

    def close(self) -> WriteResult:
        if self._attributes_dropped:
            self._tally.warn(
                f"{self._attributes_dropped} span(s) have attributes; doccano has no span "
                "attributes, so they were not written"
            )
        return self._tally.finish()


def read_doccano(
    source: IO[bytes] | Iterable[str | bytes],
    *,
    offset_unit: OffsetUnit = "utf16",
    schema: Schema | None = None,
) -> ReadResult:
    """Read doccano JSONL in either shape: ``label: [[start, end, "PER"], …]`` (or a list of
    category names, for text classification) or ``entities``/``relations``.

    ``offset_unit`` is what the file uses: ``"utf16"`` for doccano itself, ``"code_point"`` for
    files made by Python scripts. ``schema`` maps category names to their document label group;
    without it, or for unknown names, categories land in the group ``"label"``.
    """
    if offset_unit not in ("utf16", "code_point"):
        raise ValueError(f"offset_unit must be 'utf16' or 'code_point', not {offset_unit!r}")
    warnings: list[str] = []
    groups = {v: g for g, spec in document_groups(schema or {}).items() for v in spec["values"]}
    return ReadResult(_records(source, offset_unit, groups, warnings), warnings)


def _records(
    source: IO[bytes] | Iterable[str | bytes],
    offset_unit: OffsetUnit,
    groups: dict[str, str],
    warnings: list[str],
) -> Iterator[Record]:
    for number, obj in json_lines(source):
        text = obj.get("text", obj.get("data"))
        if not isinstance(text, str):
            raise FormatError("missing or not str", line=number, field="text")
        external_id = obj.get("external_id", obj.get("id", f"line-{number}"))
        record = new_record(str(external_id), text)
        convert = from_utf16(text) if offset_unit == "utf16" else (lambda offset: offset)
        raw_spans, categories = _split_label_field(obj, number)
        ids: dict[Any, str] = {}
        for index, raw in enumerate(raw_spans):
            span = _span(raw, index, text, convert, number)
            ids[raw["id"] if isinstance(raw, dict) and "id" in raw else index] = span["id"]
            record["spans"].append(span)
        record["relations"] = _relations(obj.get("relations") or [], ids, record, number, warnings)
        for category in categories:
            group = groups.get(category, "label")
            _add_document_label(record, group, category)
        yield record


def _split_label_field(obj: dict[str, Any], line: int) -> tuple[list[Any], list[str]]:
    """Spans and categories, whichever shape the line uses."""
    label = obj.get("label", obj.get("labels"))
    spans = obj.get("entities")
    categories = obj.get("cats") or []
    if isinstance(label, list) and label and all(isinstance(x, str) for x in label):
        categories = [*categories, *label]
    elif label is not None:
        spans = [*(spans or []), *label] if isinstance(label, list) else label
    if not isinstance(spans or [], list) or not isinstance(categories, list):
        raise FormatError("must be a list", line=line, field="entities")
    return spans or [], [str(c) for c in categories]


def _span(raw: Any, index: int, text: str, convert: Any, line: int) -> dict[str, Any]:
    if isinstance(raw, list) and len(raw) == 3:
        start, end, label = raw
    elif isinstance(raw, dict):
        start, end, label = raw.get("start_offset"), raw.get("end_offset"), raw.get("label")
    else:
        raise FormatError(f"span {index} is neither [start, end, label] nor an object", line=line)
    if not (isinstance(start, int) and isinstance(end, int) and isinstance(label, str)):
        raise FormatError(f"span {index} needs integer offsets and a label", line=line)
    try:
        start, end = convert(start), convert(end)
    except ValueError as exc:
        raise FormatError(f"span {index}: {exc}", line=line, field="start_offset") from exc
    if not 0 <= start < end <= len(text):
        raise FormatError(f"span {index} offsets outside the text", line=line, field="end_offset")
    return {"id": f"s{index + 1}", "start": start, "end": end, "label": label, "attributes": {}}


def _relations(
    raw: Any, ids: dict[Any, str], record: Record, line: int, warnings: list[str]
) -> list[dict[str, Any]]:
    if not isinstance(raw, list):
        raise FormatError("must be a list", line=line, field="relations")
    relations = []
    for index, rel in enumerate(raw):
        if not isinstance(rel, dict) or "from_id" not in rel or "to_id" not in rel:
            raise FormatError(f"relation {index} needs from_id and to_id", line=line)
        relations.append(
            {
                "id": f"r{index + 1}",
                "from": ids.get(rel["from_id"], f"?{rel['from_id']}"),
                "to": ids.get(rel["to_id"], f"?{rel['to_id']}"),
                "label": str(rel.get("type", rel.get("label", ""))),
            }
        )
    return keep_known_relations(record, relations, warnings)


def _add_document_label(record: Record, group: str, value: str) -> None:
    labels = record["document_labels"]
    if group not in labels:
        labels[group] = value
    elif isinstance(labels[group], list):
        labels[group].append(value)
    else:
        labels[group] = [labels[group], value]
