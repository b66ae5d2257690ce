"""JSON input that PostgreSQL can store, or a 400 that says why not.

JSON may carry `\\u0000` and lone surrogates (`\\ud800`); Python parses both, but
PostgreSQL cannot store either in text or jsonb and would answer with a 500.
The raw bytes are scanned first (in C, cheap); only a body that contains such
an escape is walked value by value.
"""

from __future__ import annotations

import io
from typing import Any

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

from annotations.formats.reading import SUSPICIOUS, unstorable


class FieldParseError(ParseError):
    """A body that parsed but cannot be stored, with the path of the value at fault."""

    def __init__(self, path: str, message: str):
        super().__init__(f"JSON parse error - {path}: {message}")
        self.path = path
        self.message = message


def check_storable(raw: str | bytes, data: Any) -> None:
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw
    if SUSPICIOUS.search(text):
        problem = unstorable(data)
        if problem:
            path, message = problem
            raise FieldParseError(path or "non_field_errors", message)


class StrictJSONParser(JSONParser):
    def parse(self, stream: Any, media_type: Any = None, parser_context: Any = None) -> Any:
        raw = stream.read() if stream is not None else b""
        data = super().parse(io.BytesIO(raw), media_type, parser_context)
        check_storable(raw, data)
        return data
