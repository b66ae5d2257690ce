"""The HTTP model backend's protocol: what the server sends a project's backend and how its
answer is checked. Pure code on plain values (the call itself is `backend_http.py`).

The server POSTs one document (`backend_request`): its text, the project's language and label
schema. The backend answers spans, relations and document labels, each with a score in [0, 1]
(`read_answer`). Offsets are code points into the text as sent, like everywhere in the API.
An answer is taken whole or not at all: one span past the end of the text, one unknown label,
one score out of range, or more items than `MAX_ITEMS` and the whole answer is refused with
the first problem named by its place (`spans.3.end: …`), which the admin then reads.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from annotations.errors import Invalid, first_problem
from annotations.validation import LabelSet, validate_content

SOURCE = "backend"
PROTOCOL = 1
# Items of one kind an answer may hold; a 100,000-character article rarely has 5,000 spans.
MAX_ITEMS = 20_000
# A reason shown to the admin is cut here (a backend's error page can be long).
MAX_REASON = 500
DEFAULT_SCORE = 1.0
# A stored suggestion id is at most 64 characters, "backend-" and the backend's own id.
MAX_ID = 64 - len(SOURCE) - 1


class BackendFailure(Exception):
    """The backend could not be used for a document: the reason is for the project's admin."""

    def __init__(self, reason: str):
        reason = " ".join(reason.split())
        super().__init__(reason[:MAX_REASON])
        self.reason = reason[:MAX_REASON]


@dataclass(frozen=True)
class DocumentToSuggest:
    id: int
    external_id: str
    title: str
    text: str
    language: str


def backend_request(document: DocumentToSuggest, labels: LabelSet) -> dict[str, Any]:
    """The body POSTed to the backend (`SuggestionBackendRequest` in the OpenAPI schema)."""
    return {
        "protocol": PROTOCOL,
        "offsets": "code_point",
        "document": {
            "id": document.id,
            "external_id": document.external_id,
            "title": document.title,
            "language": document.language,
            "text": document.text,
            "length": len(document.text),
        },
        "labels": {
            "spans": [
                {"name": label.name, "attributes": label.attributes}
                for label in labels.spans.values()
            ],
            "relations": [
                {
                    "name": label.name,
                    "source_labels": sorted(label.source_labels),
                    "target_labels": sorted(label.target_labels),
                }
                for label in labels.relations.values()
            ],
            "document": [
                {"group": group.name, "values": list(group.values), "multiple": group.multiple}
                for group in labels.groups.values()
            ],
        },
    }


@dataclass(frozen=True)
class BackendSuggestions:
    """A checked answer in the suggestions contract's shape, ids prefixed with the source."""

    spans: list[dict[str, Any]]
    relations: list[dict[str, Any]]
    document_labels: list[dict[str, Any]]

    def labels_by_group(self) -> dict[str, list[dict[str, Any]]]:
        """Document labels as suggestions store them: {group: [{"value", "score"}, …]}
        (one entry for a single-choice group, each proposed value for a multiple one)."""
        groups: dict[str, list[dict[str, Any]]] = {}
        for item in self.document_labels:
            groups.setdefault(item["group"], []).append(
                {"value": item["value"], "score": item["score"]}
            )
        return groups


def read_answer(answer: Any, labels: LabelSet, length: int) -> BackendSuggestions:
    """The backend's answer checked against the schema and the text, or BackendFailure."""
    if not isinstance(answer, Mapping):
        raise BackendFailure("the answer is not a JSON object")
    spans = answer.get("spans", [])
    relations = answer.get("relations", [])
    document_labels = answer.get("document_labels", [])
    for key, value in (
        ("spans", spans),
        ("relations", relations),
        ("document_labels", document_labels),
    ):
        if not isinstance(value, list):
            raise BackendFailure(f"{key}: must be a list")
        if len(value) > MAX_ITEMS:
            raise BackendFailure(f"{key}: {len(value)} items, more than the {MAX_ITEMS} allowed")
    try:
        _check_ids(spans)
        _check_scores("spans", spans)
        _check_scores("relations", relations)
        groups = _document_labels(document_labels, labels)
        validate_content(
            {
                "spans": [_without_score(span) for span in spans],
                "relations": relations,
                "document_labels": groups,
            },
            labels,
            length,
            allow_overlap=True,
        )
    except Invalid as problem:
        raise BackendFailure(first_problem(problem.errors)) from None
    return _suggestions(spans, relations, document_labels)


def _without_score(span: Any) -> Any:
    """The span as an annotation's (scores are checked here; an annotation's span has a
    score only with a `source`, which the backend does not send)."""
    if not isinstance(span, Mapping):
        return span
    return {key: value for key, value in span.items() if key not in ("score", "source")}


def _check_ids(spans: list[Any]) -> None:
    """Ids are the backend's own strings: printable ones only (no NUL, no lone surrogates,
    which the database cannot store), short enough to keep once prefixed with the source."""
    problems = {}
    for index, span in enumerate(spans):
        span_id = span.get("id") if isinstance(span, Mapping) else None
        if isinstance(span_id, str) and not span_id.isprintable():
            problems[str(index)] = {"id": ["must be printable text"]}
        elif isinstance(span_id, str) and len(span_id) > MAX_ID:
            problems[str(index)] = {"id": [f"must be at most {MAX_ID} characters"]}
    if problems:
        raise Invalid({"spans": problems})


def _check_scores(key: str, items: list[Any]) -> None:
    problems = {}
    for index, item in enumerate(items):
        if isinstance(item, Mapping) and (problem := _score_problem(item.get("score"))):
            problems[str(index)] = {"score": [problem]}
    if problems:
        raise Invalid({key: problems})


def _score_problem(score: Any) -> str | None:
    if score is None:
        return None
    if isinstance(score, bool) or not isinstance(score, int | float) or not math.isfinite(score):
        return "must be a number from 0 to 1"
    if not 0 <= score <= 1:
        return f"{score} is not between 0 and 1"
    return None


def _document_labels(items: list[Any], labels: LabelSet) -> dict[str, Any]:
    """[{"group", "value", "score"}] as the annotation shape {group: value or [values]}."""
    problems: dict[str, Any] = {}
    groups: dict[str, Any] = {}
    for index, item in enumerate(items):
        if not isinstance(item, Mapping):
            problems[str(index)] = ["must be an object with group, value and score"]
            continue
        if problem := _score_problem(item.get("score")):
            problems[str(index)] = {"score": [problem]}
            continue
        group, value = item.get("group"), item.get("value")
        if not isinstance(group, str) or not isinstance(value, str):
            problems[str(index)] = ["group and value must be strings"]
            continue
        known = labels.groups.get(group)
        if known is not None and known.multiple:
            groups.setdefault(group, []).append(value)
        elif group in groups:
            problems[str(index)] = {"group": [f"{group!r} is single-choice: give one value"]}
        else:
            groups[group] = value
    if problems:
        raise Invalid({"document_labels": problems})
    return groups


def _suggestions(
    spans: list[Mapping[str, Any]],
    relations: list[Mapping[str, Any]],
    document_labels: list[Mapping[str, Any]],
) -> BackendSuggestions:
    def score(item: Mapping[str, Any]) -> float:
        value = item.get("score")
        return DEFAULT_SCORE if value is None else float(value)

    return BackendSuggestions(
        spans=[
            {
                "id": f"{SOURCE}-{span['id']}",
                "start": span["start"],
                "end": span["end"],
                "label": span["label"],
                "attributes": dict(span.get("attributes") or {}),
                "score": score(span),
                "source": SOURCE,
            }
            for span in spans
        ],
        relations=[
            {
                "from": f"{SOURCE}-{relation['from']}",
                "to": f"{SOURCE}-{relation['to']}",
                "label": relation["label"],
                "score": score(relation),
                "source": SOURCE,
            }
            for relation in relations
        ],
        document_labels=[
            {"group": item["group"], "value": item["value"], "score": score(item)}
            for item in document_labels
        ],
    )
