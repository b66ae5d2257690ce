"""Request bodies that PostgreSQL can store and Python can parse, or a 400 that says why not.

JSON may carry `\\u0000` and lone surrogates (`\\ud800`); Python parses both, but
PostgreSQL cannot store either in text or jsonb and would answer with a 500.
The raw bytes are scanned first (in C, cheap); only a body that contains such
an escape is walked value by value. JSON nested deeper than `MAX_DEPTH` is refused
(Python's parser would otherwise recurse until it fails). Form fields (urlencoded
and multipart, names and values) may not hold NUL either.

Size: a body is read at most to UPLOAD_MAX_BYTES (413 past it), a JSON body may hold at most
MAX_JSON_CONTAINERS objects and arrays, and an uploaded file is counted as it arrives.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadhandler import FileUploadHandler
from rest_framework.exceptions import ParseError
from rest_framework.parsers import DataAndFiles, FormParser, JSONParser, MultiPartParser

from annotations.errors import PayloadTooLarge
from annotations.formats.reading import SUSPICIOUS, JsonTooDeep, json_value, unstorable


class FieldParseError(ParseError):
    """A body that parsed but cannot be stored, with the path of the value at fault."""

    def __init__(self, path: str, message: str, body: str = "JSON"):
        super().__init__(f"{body} parse error - {path}: {message}")
        self.path = path
        self.message = message


def check_storable(raw: str | bytes, data: Any) -> None:
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw
    if SUSPICIOUS.search(text):
        problem = unstorable(data)
        if problem:
            path, message = problem
            raise FieldParseError(path or "non_field_errors", message)


def nul_field(items: Iterable[tuple[str, Any]]) -> str | None:
    """The name of the first (name, value) pair holding a NUL character, or None."""
    for name, value in items:
        if "\x00" in name or (isinstance(value, str) and "\x00" in value):
            return name.replace("\x00", "\\x00") or "non_field_errors"
    return None


NUL_MESSAGE = "contains a NUL character (\\x00), which cannot be stored"


# JSON objects and arrays one body may hold: each costs a few hundred bytes once parsed, so
# 50 MB of `[{},{},…]` would otherwise take gigabytes. Bulk imports go through the upload.
MAX_JSON_CONTAINERS = 200_000


class UploadLimitHandler(FileUploadHandler):
    """First of FILE_UPLOAD_HANDLERS: stops a file at UPLOAD_MAX_BYTES as it arrives. Any
    endpoint parses multipart bodies and Django limits only their non-file fields, so
    without it a file sent to, say, the project list would be written to disk whole."""

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        if start + len(raw_data) > settings.UPLOAD_MAX_BYTES:
            # Django's own "too big" error: a 413 under /api/ (views/errors.py), else a 400.
            raise RequestDataTooBig(f"{self.file_name} is over the {_limit()} limit.")
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None  # the next handler keeps the file


def _limit() -> str:
    return f"{settings.UPLOAD_MAX_BYTES:,}-byte"


def _read_body(stream: Any, parser_context: Any) -> bytes:
    """The body, read at most to UPLOAD_MAX_BYTES (DRF hands parsers the raw stream, which
    Django's own DATA_UPLOAD_MAX_MEMORY_SIZE check never sees)."""
    if stream is None:
        return b""
    request = (parser_context or {}).get("request")
    declared = request.META.get("CONTENT_LENGTH") if request is not None else None
    if declared and declared.isdigit() and int(declared) > settings.UPLOAD_MAX_BYTES:
        raise PayloadTooLarge(f"The request body is over the {_limit()} limit.")
    raw = stream.read(settings.UPLOAD_MAX_BYTES + 1)
    if len(raw) > settings.UPLOAD_MAX_BYTES:
        raise PayloadTooLarge(f"The request body is over the {_limit()} limit.")
    return raw


class StrictJSONParser(JSONParser):
    def parse(self, stream: Any, media_type: Any = None, parser_context: Any = None) -> Any:
        raw = _read_body(stream, parser_context)
        # Each object or array starts with a bracket: counting them (in C) bounds the parse.
        if raw.count(b"{") + raw.count(b"[") > MAX_JSON_CONTAINERS:
            raise PayloadTooLarge(
                f"The JSON body holds over {MAX_JSON_CONTAINERS:,} objects and arrays; "
                "import large collections as a file (documents/upload/)."
            )
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            data = json_value(raw.decode(encoding))
        except JsonTooDeep as exc:
            raise ParseError(f"JSON parse error - {exc}") from None
        except ValueError:
            # DRF's own message for malformed JSON (and the same exceptions it handles)
            return super().parse(io.BytesIO(raw), media_type, parser_context)
        check_storable(raw, data)
        return data


class StrictFormParser(FormParser):
    def parse(self, stream: Any, media_type: Any = None, parser_context: Any = None) -> Any:
        data = super().parse(stream, media_type, parser_context)
        _refuse_nul(data.lists())
        return data


class StrictMultiPartParser(MultiPartParser):
    def parse(self, stream: Any, media_type: Any = None, parser_context: Any = None) -> Any:
        parsed: DataAndFiles = super().parse(stream, media_type, parser_context)
        _refuse_nul(parsed.data.lists())  # file names: Django drops unprintable characters
        return parsed


def _refuse_nul(pairs: Iterable[tuple[str, Any]]) -> None:
    flat = ((name, value) for name, values in pairs for value in _as_list(values))
    if (field := nul_field(flat)) is not None:
        raise FieldParseError(field, NUL_MESSAGE, body="Form")


def _as_list(values: Any) -> list[Any]:
    return values if isinstance(values, list) else [values]
