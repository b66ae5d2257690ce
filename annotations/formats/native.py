"""Our own upload formats, by file name: ``.jsonl`` (native records), ``.csv``, ``.txt``.

Records come out as the file gives them, each with ``_line`` (1-based) so the importer can say
where a problem is; checking them against a project (labels, offsets, members) is the
importer's job. What cannot be read at all raises ``FormatError`` with the line and field:
bytes that are not UTF-8, a line that is not a JSON object, values PostgreSQL cannot store
(NUL, lone surrogates), a CSV without a ``text`` column.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from pathlib import PurePath
from typing import IO, Any

from .base import FormatError, ReadOptions, Record
from .reading import SUSPICIOUS, ReadResult, json_problem, json_value, unstorable

SUFFIXES = (".jsonl", ".txt", ".csv")


def read_native(source: IO[bytes], options: ReadOptions) -> ReadResult:
    """Pick the reader by the file's suffix; anything else is refused, naming what is taken."""
    suffix = PurePath(options.name).suffix.lower()
    if suffix == ".jsonl":
        return ReadResult(_jsonl(source))
    if suffix == ".csv":
        return ReadResult(_csv(source))
    if suffix == ".txt":
        return ReadResult(_txt(source, options.name))
    raise FormatError(
        f"unsupported file type {suffix or options.name!r} for native records: use "
        f"{', '.join(SUFFIXES)}",
        field="file",
    )


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
            at = pending.count("\n") + number + 1
            raise FormatError(f"not UTF-8 ({exc.reason} at byte {exc.start})", line=at) from None
        *complete, pending = pending.split("\n")
        for line in complete:
            number += 1
            yield number, line
    pending += decoder.decode(b"", final=True)
    if pending:
        yield number + 1, pending


def _unstorable(record: Any, line: int) -> None:
    if problem := unstorable(record):
        path, message = problem
        raise FormatError(message, line=line, field=path or None)


def _jsonl(raw: IO[bytes]) -> Iterator[Record]:
    for number, line in _decoded_lines(raw):
        if not line.strip():
            continue
        try:
            record = json_value(line)
        except ValueError as exc:
            raise FormatError(json_problem(exc), line=number) from None
        if not isinstance(record, dict):
            raise FormatError("each line must be a JSON object", line=number)
        if SUSPICIOUS.search(line):
            _unstorable(record, number)
        record["_line"] = number
        yield record


def _csv(raw: IO[bytes]) -> Iterator[Record]:
    text = io.TextIOWrapper(raw, encoding="utf-8-sig", errors="strict", newline="")
    try:
        reader = csv.DictReader(text, strict=True)
        if not reader.fieldnames or "text" not in reader.fieldnames:
            raise FormatError("the header must have a 'text' column", line=1, field="text")
        for row in reader:
            line = reader.line_num
            if None in row:
                raise FormatError("more cells than header columns", line=line)
            _unstorable(row, line)
            yield {
                "text": row["text"],
                "title": row.get("title") or "",
                "external_id": row.get("external_id") or None,
                "_line": line,
            }
    except UnicodeDecodeError as exc:
        raise FormatError(f"not UTF-8 ({exc.reason} at byte {exc.start})") from None
    except csv.Error as exc:
        raise FormatError(f"malformed CSV: {exc}", line=reader.line_num) from None
    finally:
        text.detach()


def _txt(raw: IO[bytes], name: str) -> Iterator[Record]:
    try:
        text = raw.read().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FormatError(f"not UTF-8 ({exc.reason} at byte {exc.start})") from None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise FormatError("contains a NUL character", line=line)
    stem = PurePath(name).stem
    yield {"text": text, "title": stem, "external_id": stem, "_line": 1}
