"""Shared reader plumbing: the result type, JSON lines, and checks on native records."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from .base import FormatError, Record

# How deep JSON from outside may nest. Our deepest shape (an import line's annotations'
# spans' attributes' values) is 6; Python's parser recurses, so a body of 100,000 `[` would
# otherwise end in a RecursionError.
MAX_DEPTH = 64

# A NUL or surrogate escape in raw JSON. Escaped emoji (surrogate pairs) match too, so a
# match only means "walk the values to be sure".
SUSPICIOUS = re.compile(r"\\u(?:0000|[dD][89a-fA-F])")


def unstorable(value: Any, path: str = "") -> tuple[str, str] | None:
    """Where (a dotted path, "" for the value itself) and why a parsed JSON value cannot be
    stored, or None."""
    if isinstance(value, str):
        if "\x00" in value:
            return path, "contains NUL (\\u0000), which cannot be stored"
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return path, "contains a lone surrogate, which is not valid Unicode"
        return None
    if isinstance(value, dict):
        items = value.items()
    elif isinstance(value, list):
        items = enumerate(value)  # type: ignore[assignment]
    else:
        return None
    for key, item in items:
        problem = unstorable(key, path) if isinstance(key, str) else None
        problem = problem or unstorable(item, f"{path}.{key}" if path else str(key))
        if problem:
            return problem
    return None


class JsonTooDeep(ValueError):
    def __init__(self) -> None:
        super().__init__(f"nested deeper than {MAX_DEPTH} levels")


def _refuse_constant(name: str) -> None:
    raise ValueError(f"{name} is not a JSON number")


def json_value(text: str | bytes) -> Any:
    """`json.loads` for input from outside: no NaN or Infinity (PostgreSQL's jsonb refuses
    them) and at most MAX_DEPTH levels of nesting (JsonTooDeep)."""
    try:
        value = json.loads(text, parse_constant=_refuse_constant)
    except RecursionError:
        raise JsonTooDeep() from None
    # Cheap first: a text with few brackets cannot nest deeply.
    opened = text.count("[") + text.count("{") if isinstance(text, str) else MAX_DEPTH + 1
    if opened > MAX_DEPTH and _deeper_than(value, MAX_DEPTH):
        raise JsonTooDeep()
    return value


def _deeper_than(value: Any, limit: int) -> bool:
    """True when containers nest more than `limit` levels (walked without recursion)."""
    if not isinstance(value, dict | list):
        return False
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        children = item.values() if isinstance(item, dict) else item
        for child in children:
            if isinstance(child, dict | list):
                if depth + 1 > limit:
                    return True
                stack.append((child, depth + 1))
    return False


def json_problem(exc: ValueError) -> str:
    """What a person reads about JSON that `json_value` refused."""
    if isinstance(exc, json.JSONDecodeError):
        return f"invalid JSON: {exc.msg} (column {exc.colno})"
    return f"invalid JSON: {exc}"


@dataclass
class ReadResult:
    """Records stream lazily; ``warnings`` fills up as they are consumed.

    Read ``warnings`` after iterating: nothing an importer could not carry is dropped silently.
    """

    records: Iterator[Record]
    warnings: list[str] = field(default_factory=list)
    # Readers that know every foreign annotator before the first record (Label Studio parses
    # the whole file) name them here, by first name → every name they go by; None otherwise.
    annotators: dict[str, tuple[str, ...]] | None = None

    def __iter__(self) -> Iterator[Record]:
        return self.records


def text_lines(source: IO[bytes] | IO[str] | Iterable[str | bytes]) -> Iterator[tuple[int, str]]:
    """(1-based line number, line without its newline); a leading BOM is dropped."""
    for number, raw in enumerate(source, start=1):
        if isinstance(raw, bytes):
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise FormatError(f"not UTF-8: {exc.reason}", line=number) from exc
        else:
            line = raw
        if number == 1:
            line = line.removeprefix("\ufeff")
        yield number, line.rstrip("\r\n") if line.endswith("\n") else line


def json_lines(source: IO[bytes] | Iterable[str | bytes]) -> Iterator[tuple[int, dict[str, Any]]]:
    """Parse JSON Lines, skipping blank lines; every line must hold an object."""
    for number, line in text_lines(source):
        if not line.strip():
            continue
        try:
            obj = json_value(line)
        except ValueError as exc:
            raise FormatError(json_problem(exc), line=number) from exc
        if not isinstance(obj, dict):
            raise FormatError("expected a JSON object", line=number)
        yield number, obj


def require(obj: dict[str, Any], key: str, kind: type | tuple[type, ...], line: int | None) -> Any:
    value = obj.get(key)
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is int):
        expected = (
            kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
        )
        raise FormatError(f"missing or not {expected}", line=line, field=key)
    return value


def check_span(span: Any, text: str, line: int | None, where: str = "spans") -> None:
    """A span must be a labelled, non-empty, in-range code point interval."""
    if not isinstance(span, dict):
        raise FormatError("span must be an object", line=line, field=where)
    start = require(span, "start", int, line)
    end = require(span, "end", int, line)
    require(span, "label", str, line)
    if not 0 <= start < end <= len(text):
        raise FormatError(
            f"span {span.get('id')!r} offsets {start}-{end} outside text of length {len(text)}",
            line=line,
            field=where,
        )


def keep_known_relations(
    record: Record, relations: list[dict[str, Any]], warnings: list[str]
) -> list[dict[str, Any]]:
    """Drop (and report) relations whose ends are not spans of this document."""
    ids = {span["id"] for span in record.get("spans", ())}
    kept = []
    for rel in relations:
        if rel["from"] in ids and rel["to"] in ids:
            kept.append(rel)
        else:
            warnings.append(
                f"document {record.get('external_id')!r}: relation {rel.get('id')!r} "
                f"({rel.get('label')}) refers to a missing span; skipped"
            )
    return kept


def new_record(external_id: str, text: str, title: str = "") -> Record:
    return {
        "external_id": external_id,
        "title": title,
        "text": text,
        "meta": {},
        "spans": [],
        "relations": [],
        "document_labels": {},
    }
