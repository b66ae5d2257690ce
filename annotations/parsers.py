"""JSON input that PostgreSQL can store, or a 400 that says why not.

JSON may carry `\\u0000` and lone surrogates (`\\ud800`); Python parses both, but
PostgreSQL cannot store either in text or jsonb and would answer with a 500.
The raw bytes are scanned first (in C, cheap); only a body that contains such
an escape is walked value by value.
"""

from __future__ import annotations

import io
import re
from typing import Any

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

# A NUL or surrogate escape. Escaped emoji (surrogate pairs) match too, so a
# match only means "walk the values to be sure".
SUSPICIOUS = re.compile(r"\\u(?:0000|[dD][89a-fA-F])")


class FieldParseError(ParseError):
    """A body that parsed but cannot be stored, with the path of the value at fault."""

    def __init__(self, path: str, message: str):
        super().__init__(f"JSON parse error - {path}: {message}")
        self.path = path
        self.message = message


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
