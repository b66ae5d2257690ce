"""The project's errors: what services (and pure checks) raise when a request cannot be done.

Plain Python, no HTTP framework: `views/errors.py` turns each into the API's one error body
(`{"detail", "code", "errors", ...}`, DECISIONS.md 12) and the management commands print them.
Field problems are kept flat, keyed by dotted paths into the input (`spans.3.end`), each with
a list of messages; nested dicts given to `Invalid` are flattened on the way in.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

Errors = dict[str, list[str]]
NON_FIELD = "non_field_errors"


def flat_errors(problems: Any, prefix: str = "") -> Errors:
    """`{"spans": {"3": {"end": ["…"]}}}` → `{"spans.3.end": ["…"]}`.

    Lists of messages stay lists; a list of dicts (a list serializer's per-item errors) is
    keyed by index; a bare message lands on the prefix (or `non_field_errors`).
    """
    flat: Errors = {}
    if isinstance(problems, Mapping):
        for key, value in problems.items():
            name = str(key)
            path = prefix if name == NON_FIELD and prefix else _join(prefix, name)
            _merge(flat, flat_errors(value, path))
    elif isinstance(problems, list | tuple) and any(
        isinstance(item, Mapping | list | tuple) for item in problems
    ):
        for index, item in enumerate(problems):
            if isinstance(item, Mapping | list | tuple):
                _merge(flat, flat_errors(item, _join(prefix, str(index))))
            elif item:
                _merge(flat, {prefix or NON_FIELD: [str(item)]})
    elif isinstance(problems, list | tuple):
        if problems:
            flat[prefix or NON_FIELD] = [str(message) for message in problems]
    elif problems not in (None, ""):
        flat[prefix or NON_FIELD] = [str(problems)]
    return flat


def _join(prefix: str, name: str) -> str:
    return f"{prefix}.{name}" if prefix else name


def _merge(into: Errors, more: Errors) -> None:
    for path, messages in more.items():
        into.setdefault(path, []).extend(messages)


def first_problem(errors: Mapping[str, list[str]]) -> str:
    """The first field problem as a sentence naming where: `spans.3.end: … past the end …`."""
    for path, messages in errors.items():
        message = messages[0] if messages else "invalid"
        return message if path == NON_FIELD else f"{path}: {message}"
    return "The request is invalid."


class DomainError(Exception):
    """A request that cannot be done, with one sentence for a person (`detail`)."""

    code = "invalid"

    def __init__(self, detail: str, errors: Mapping[str, list[str]] | None = None):
        super().__init__(detail)
        self.detail = detail
        self.errors: Errors = dict(errors or {})

    def __str__(self) -> str:
        return self.detail

    def body(self) -> dict[str, Any]:
        """Keys this error adds to the API body beyond `detail`, `code` and `errors`."""
        return {}


class Invalid(DomainError):
    """Bad input: `errors` (nested or flat) names each field and what is wrong with it."""

    def __init__(self, errors: Any, detail: str | None = None):
        flat = flat_errors(errors)
        super().__init__(detail or first_problem(flat), flat)


class ImportFailed(Invalid):
    """An import had bad records; nothing was stored. Keys name the line (`lines.3.text`)
    for files, or the item's path in the body for JSON documents."""

    code = "import_failed"

    def __init__(self, errors: Any):
        flat = flat_errors(errors)
        first = next(iter(flat.items()), ("file", ["unreadable"]))
        super().__init__(flat, f"Nothing was imported: {where_readable(first[0])}: {first[1][0]}")


def where_readable(path: str) -> str:
    """`lines.3.text` → `line 3, text`: how a person names a place in a file."""
    head, _, rest = path.partition(".")
    if head == "lines" and rest:
        line, _, field = rest.partition(".")
        return f"line {line}" + (f", {field}" if field else "")
    return path


class VersionConflict(DomainError):
    """The client wrote against a version that is no longer current."""

    code = "version_conflict"

    def __init__(self, current_version: int):
        super().__init__(
            "This annotation was changed since you read it. "
            "Reload it (or resend against the current version)."
        )
        self.current_version = current_version

    def body(self) -> dict[str, Any]:
        return {"current_version": self.current_version}


class NotFound(DomainError):
    """Something the request names does not exist (or is not the caller's to see)."""

    code = "not_found"


class Conflict(DomainError):
    """A write that breaks a rule about the current state (e.g. editing annotated text)."""

    code = "conflict"


class ConfirmRequired(DomainError):
    """A delete that would take work away, asked without `?confirm=true`: the answer says
    what would be lost, so a person (or a script) can decide."""

    code = "confirm_required"

    def __init__(self, detail: str, would_delete: Mapping[str, int]):
        super().__init__(detail)
        self.would_delete = dict(would_delete)

    def body(self) -> dict[str, Any]:
        return {"would_delete": self.would_delete}


class PayloadTooLarge(DomainError):
    """A request body or upload over the configured limit (or past a quota)."""

    code = "payload_too_large"

    @classmethod
    def at(cls, path: str, message: str) -> PayloadTooLarge:
        """Too large at one place of the input (`lines.3.text`, `file`)."""
        return cls(f"{where_readable(path)}: {message}", {path: [message]})


class StorageUnavailable(DomainError):
    """The file storage (the disk under DATA_DIR, or the bucket) could not take a file; the
    request stored nothing and may succeed when retried."""

    code = "unavailable"
