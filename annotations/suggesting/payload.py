"""What a suggester returned, made to fit the project and the text before it is stored.

Any source passes through here (built-in rules, a model backend, uploaded predictions), so
what the editor reads is always well formed: span ids are strings prefixed with the source's
name (so sources merge without clashes), offsets lie within the text, labels and attribute
values are the project's, scores are numbers in [0, 1], and relations join two spans of the
same answer. Items that do not fit are dropped and counted; an answer that is not the
expected shape at all raises `MalformedSuggestions` with the reason, and the source's row
says it failed.
"""

from __future__ import annotations

import math
from typing import Any

from .registry import Payload, SuggesterProject

MAX_ID = 64


class MalformedSuggestions(ValueError):
    """The answer is not {"spans": [...], "relations": [...], "document_labels": {...}}."""


def payload_fit(
    answer: Any, *, project: SuggesterProject, length: int, source: str
) -> tuple[Payload, int]:
    """The answer in the stored shape, and how many of its items were dropped."""
    if not isinstance(answer, dict):
        raise MalformedSuggestions("the answer is not an object")
    spans, relations, labels = (
        answer.get("spans", []),
        answer.get("relations", []),
        answer.get("document_labels", {}),
    )
    if not isinstance(spans, list) or not isinstance(relations, list):
        raise MalformedSuggestions("spans and relations must be lists")
    if not isinstance(labels, dict):
        raise MalformedSuggestions("document_labels must be an object")
    kept_spans: dict[str, dict[str, Any]] = {}
    renamed: dict[str, str] = {}
    for span in spans:
        fitted = _span(span, project, length, source)
        if fitted is not None and fitted["id"] not in kept_spans:
            kept_spans[fitted["id"]] = fitted
            renamed[str(span.get("id", fitted["id"]))] = fitted["id"]
    kept_relations = []
    for relation in relations:
        fitted = _relation(relation, project, renamed, kept_spans, source)
        if fitted is not None:
            kept_relations.append(fitted)
    payload: Payload = {
        "spans": sorted(kept_spans.values(), key=lambda s: (s["start"], s["end"], s["id"])),
        "relations": kept_relations,
        "document_labels": labels,
    }
    dropped = len(spans) - len(kept_spans) + len(relations) - len(kept_relations)
    return payload, dropped


def _score(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float) or math.isnan(value):
        return None
    return min(1.0, max(0.0, float(value)))


def _prefixed(value: Any, source: str) -> str | None:
    if not isinstance(value, str | int) or isinstance(value, bool):
        return None
    text = str(value)
    text = text if text.startswith(f"{source}-") else f"{source}-{text}"
    return text if len(text) <= MAX_ID else None


def _span(span: Any, project: SuggesterProject, length: int, source: str) -> dict[str, Any] | None:
    if not isinstance(span, dict):
        return None
    start, end, label = span.get("start"), span.get("end"), span.get("label")
    if not (isinstance(start, int) and isinstance(end, int) and isinstance(label, str)):
        return None
    if isinstance(start, bool) or isinstance(end, bool):
        return None
    if not 0 <= start < end <= length or label not in project.span_labels:
        return None
    span_id = _prefixed(span.get("id", f"{start}-{end}"), source)
    score = _score(span.get("score", 1.0))
    if span_id is None or score is None:
        return None
    allowed = project.span_labels[label]
    given = span.get("attributes") or {}
    attributes = (
        {k: v for k, v in given.items() if k in allowed and v in allowed[k]}
        if isinstance(given, dict)
        else {}
    )
    return {
        "id": span_id,
        "start": start,
        "end": end,
        "label": label,
        "attributes": attributes,
        "score": score,
        "source": source,
    }


def _relation(
    relation: Any,
    project: SuggesterProject,
    renamed: dict[str, str],
    spans: dict[str, dict[str, Any]],
    source: str,
) -> dict[str, Any] | None:
    if not isinstance(relation, dict) or relation.get("label") not in project.relation_labels:
        return None
    ends = [renamed.get(str(relation.get(key))) for key in ("from", "to")]
    if None in ends or ends[0] == ends[1]:
        return None
    sources, targets = project.relation_labels[relation["label"]]
    from_id, to_id = ends[0] or "", ends[1] or ""
    if (sources and spans[from_id]["label"] not in sources) or (
        targets and spans[to_id]["label"] not in targets
    ):
        return None
    score = _score(relation.get("score", 1.0))
    if score is None:
        return None
    return {
        "from": from_id,
        "to": to_id,
        "label": relation["label"],
        "score": score,
        "source": source,
    }
