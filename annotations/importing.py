"""Parses uploaded files into native records, line by line; no ORM.

Native records are the JSONL shape: {"external_id", "title", "text", "meta",
"spans", "relations", "document_labels", "annotations": [...]}. Each record
carries the line it came from so errors can say where.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import zipfile
from collections.abc import Iterator
from pathlib import PurePath
from typing import IO, Any

from annotations.errors import ImportFailed
from annotations.formats import READERS, FormatError
from annotations.formats.jsonl import KEY_ORDER
from annotations.parsers import SUSPICIOUS, unstorable

# The native record's keys, as the jsonl format writes them, plus an optional id.
NATIVE_KEYS = {*KEY_ORDER, "id"}


def _fail(line: int | None, message: str, field: str | None = None) -> ImportFailed:
    """One problem, keyed `lines.N[.field]`, or by the upload's form field when no line
    is to blame (`file`, `format`, `offset_unit`)."""
    if line is None:
        return ImportFailed({field or "file": [message]})
    where = f"lines.{line}"
    if field:
        where += "." + field.replace("[", ".").replace("]", "")
    return ImportFailed({where: [message]})


def _decoded_lines(raw: IO[bytes]) -> Iterator[tuple[int, str]]:
    """Yield (line number, line) from UTF-8 bytes; a bad byte names its line."""
    decoder = codecs.getincrementaldecoder("utf-8-sig")(errors="strict")
    # Split on \n only, so CR and other line separators stay inside the text.
    pending = ""
    number = 0
    for chunk in iter(lambda: raw.read(1 << 16), b""):
        try:
            pending += decoder.decode(chunk)
        except UnicodeDecodeError as exc:
            lines_before = pending.count("\n") + number + 1
            raise _fail(lines_before, f"not UTF-8 ({exc.reason} at byte {exc.start})") from None
        *complete, pending = pending.split("\n")
        for line in complete:
            number += 1
            yield number, line
    pending += decoder.decode(b"", final=True)
    if pending:
        yield number + 1, pending


def parse_jsonl(raw: IO[bytes]) -> Iterator[dict[str, Any]]:
    for number, line in _decoded_lines(raw):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise _fail(number, f"invalid JSON: {exc.msg} (column {exc.colno})") from None
        if not isinstance(record, dict):
            raise _fail(number, "each line must be a JSON object")
        if SUSPICIOUS.search(line) and (problem := unstorable(record)):
            raise _fail(number, problem[1], problem[0] or None)
        record["_line"] = number
        yield record


def parse_csv(raw: IO[bytes]) -> Iterator[dict[str, Any]]:
    text = io.TextIOWrapper(raw, encoding="utf-8-sig", errors="strict", newline="")
    try:
        reader = csv.DictReader(text, strict=True)
        if not reader.fieldnames or "text" not in reader.fieldnames:
            raise _fail(1, "the header must have a 'text' column", field="text")
        for record in reader:
            line = reader.line_num
            if None in record:
                raise _fail(line, "more cells than header columns")
            if problem := unstorable(record):
                raise _fail(line, problem[1], problem[0] or None)
            yield {
                "text": record["text"],
                "title": record.get("title") or "",
                "external_id": record.get("external_id") or None,
                "_line": line,
            }
    except UnicodeDecodeError as exc:
        raise _fail(None, f"not UTF-8 ({exc.reason} at byte {exc.start})") from None
    except csv.Error as exc:
        raise _fail(reader.line_num, f"malformed CSV: {exc}") from None
    finally:
        text.detach()


def parse_txt(raw: IO[bytes], name: str) -> Iterator[dict[str, Any]]:
    try:
        text = raw.read().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _fail(None, f"not UTF-8 ({exc.reason} at byte {exc.start})") from None
    if "\x00" in text:
        raise _fail(text[: text.index("\x00")].count("\n") + 1, "contains a NUL character")
    stem = PurePath(name).stem
    yield {"text": text, "title": stem, "external_id": stem, "_line": 1}


# Formats of other tools, read by annotations.formats; `native` is ours.
FOREIGN = ("doccano", "label-studio", "brat", "conll")
FORMAT_BY_SUFFIX = {".zip": "brat", ".json": "label-studio", ".conll": "conll", ".iob": "conll"}


def parse_upload(
    raw: IO[bytes],
    name: str,
    *,
    fmt: str | None = None,
    offset_unit: str = "utf16",
    schema: dict[str, Any] | None = None,
    warnings: list[str] | None = None,
) -> Iterator[dict[str, Any]]:
    """Pick the parser by `fmt`, else by file extension.

    Foreign readers report what they could not carry into `warnings`.
    """
    suffix = PurePath(name).suffix.lower()
    fmt = fmt or FORMAT_BY_SUFFIX.get(suffix, "native")
    if fmt in FOREIGN:
        return _foreign(raw, fmt, offset_unit, schema, warnings)
    if fmt != "native":
        raise _fail(None, f"unknown format {fmt!r}: use native, {', '.join(FOREIGN)}", "format")
    if suffix == ".jsonl":
        return parse_jsonl(raw)
    if suffix == ".csv":
        return parse_csv(raw)
    if suffix == ".txt":
        return parse_txt(raw, name)
    raise _fail(
        None,
        f"unsupported file type {suffix or name!r}: use .txt, .jsonl, .csv, or name the format",
    )


def _foreign(
    raw: IO[bytes],
    fmt: str,
    offset_unit: str,
    schema: dict[str, Any] | None,
    warnings: list[str] | None,
) -> Iterator[dict[str, Any]]:
    """Records from another tool's file; its FormatError becomes our ImportFailed."""
    options: dict[str, Any] = {}
    if fmt == "doccano":
        if offset_unit not in ("utf16", "code_point"):
            raise _fail(None, "must be utf16 (doccano's own) or code_point", "offset_unit")
        options = {"offset_unit": offset_unit, "schema": schema}
    try:
        result = READERS[fmt](raw, **options)
        for number, record in enumerate(result, start=1):
            yield {**record, "_line": record.get("_line", number)}
    except FormatError as exc:
        raise _fail(exc.line, exc.message, exc.field) from None
    except (UnicodeDecodeError, zipfile.BadZipFile, json.JSONDecodeError) as exc:
        raise _fail(None, f"not a readable {fmt} file: {exc}") from None
    if warnings is not None:
        warnings.extend(result.warnings)
