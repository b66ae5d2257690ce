"""Native JSON Lines: one document per line, the shape import and export share.

    {"external_id", "title", "text", "meta", "spans": [{"id", "start", "end", "label",
     "attributes", "fragments"?, "chain"?}], "relations": [{"id", "from", "to", "label"}],
     "chains"?: [{"id", "name", "canonical"}], "document_labels", "split"?,
     "annotations"?: [{"annotator", "status", "spans", "relations", "chains"?,
     "document_labels", "active_seconds"}]}

An interrupted span has `fragments` ([[start, end], …]; `start`/`end` are its first piece's
start and last piece's end); a mention of a speaker chain has `chain`, the id of one of its
layer's `chains` (`canonical` is the chain's name or its longest named mention; it is
written for readers and ignored on import). Both are absent otherwise (DECISIONS 46).

Offsets are Unicode code points into ``text`` (CRLF kept, never normalised), end exclusive. The
unit is stated once in the dataset card rather than on every line: a per-line key would repeat
the same fact a million times, and the file stays plain JSONL for any reader.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import IO, Any, BinaryIO

from .base import CardContext, FormatError, Record, Schema, Tally, WriteResult
from .reading import ReadResult, check_span, json_lines, keep_known_relations, require

KEY_ORDER = (
    "external_id",
    "title",
    "text",
    "meta",
    "spans",
    "relations",
    "chains",
    "document_labels",
    "split",
    "annotations",
)


def dumps(obj: Any) -> bytes:
    """Compact UTF-8 JSON line: readable non-ASCII, no spaces, one trailing newline."""
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n"


def canonical(record: Record) -> Record:
    """The record with keys in a fixed order, so exports of the same data are byte-identical."""
    out = {key: record[key] for key in KEY_ORDER if key in record}
    out.update((key, value) for key, value in record.items() if key not in out)
    return out


class JsonlWriter:
    def __init__(self, out: BinaryIO, schema: Schema, *, card: CardContext | None = None) -> None:
        self._out = out
        self._tally = Tally("jsonl")

    def write(self, record: Record) -> None:
        self._tally.count(record)
        self._out.write(dumps(canonical(record)))

    def close(self) -> WriteResult:
        return self._tally.finish()


def read_jsonl(source: IO[bytes] | Iterable[str | bytes]) -> ReadResult:
    """Read native JSONL, checking offsets and references; malformed input raises FormatError."""
    warnings: list[str] = []
    return ReadResult(_records(source, warnings), warnings)


def _records(source: IO[bytes] | Iterable[str | bytes], warnings: list[str]) -> Iterator[Record]:
    for number, obj in json_lines(source):
        require(obj, "external_id", str, number)
        text = require(obj, "text", str, number)
        obj.setdefault("title", "")
        obj.setdefault("meta", {})
        doc_id = obj["external_id"]
        _check_layer(obj, text, doc_id, number, warnings)
        for index, layer in enumerate(obj.get("annotations") or []):
            if not isinstance(layer, dict):
                raise FormatError("annotation must be an object", line=number, field="annotations")
            _check_layer(layer, text, doc_id, number, warnings, f"annotations[{index}].")
        yield canonical(obj)


def _check_layer(
    layer: dict[str, Any],
    text: str,
    doc_id: str,
    line: int,
    warnings: list[str],
    prefix: str = "",
) -> None:
    spans = layer.setdefault("spans", [])
    relations = layer.setdefault("relations", [])
    labels = layer.setdefault("document_labels", {})
    if not isinstance(spans, list) or not isinstance(relations, list):
        raise FormatError("spans and relations must be lists", line=line, field=prefix + "spans")
    if not isinstance(labels, dict):
        raise FormatError("must be an object", line=line, field=prefix + "document_labels")
    seen: set[str] = set()
    for index, span in enumerate(spans):
        check_span(span, text, line, f"{prefix}spans[{index}]")
        span_id = span.setdefault("id", f"s{index + 1}")
        if span_id in seen:
            raise FormatError(f"duplicate span id {span_id!r}", line=line, field=prefix + "spans")
        seen.add(span_id)
        span.setdefault("attributes", {})
    for index, rel in enumerate(relations):
        if not isinstance(rel, dict):
            raise FormatError("relation must be an object", line=line, field=prefix + "relations")
        for key in ("from", "to", "label"):
            require(rel, key, str, line)
        rel.setdefault("id", f"r{index + 1}")
    chains = layer.get("chains")
    if chains is not None and not isinstance(chains, list):
        raise FormatError("must be a list of chains", line=line, field=prefix + "chains")
    carrier = {"external_id": doc_id, "spans": spans}
    layer["relations"] = keep_known_relations(carrier, relations, warnings)
