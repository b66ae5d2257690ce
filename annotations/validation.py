"""Checks an annotation's content against a project's labels and a document's text.

Pure code over plain dicts, shared by the API (PUT and PATCH), gold and imports,
so every path rejects the same things with the same words. Errors are collected
as a nested dict mirroring the input (`{"spans": {"3": {"end": [...]}}}`) and raised
as `Invalid`, which keys them by path (`spans.3.end`), so the caller can say exactly
which item and field is wrong.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from annotations.attribution import fragment_errors, pieces
from annotations.errors import Invalid
from annotations.formats.base import DocumentGroup, label_groups

MAX_CLIENT_ID = 64
MAX_SOURCE = 64
MAX_CHAIN_NAME = 200
# What `source` says when a person marked the span: stored blank, and not written back out.
MANUAL = "manual"


@dataclass(frozen=True)
class SpanLabel:
    id: int
    name: str
    attributes: dict[str, list[str]]


@dataclass(frozen=True)
class RelationLabel:
    id: int
    name: str
    source_labels: frozenset[str]
    target_labels: frozenset[str]


@dataclass
class LabelSet:
    """A project's labels, indexed by the names the API uses."""

    spans: dict[str, SpanLabel] = field(default_factory=dict)
    relations: dict[str, RelationLabel] = field(default_factory=dict)
    groups: Mapping[str, DocumentGroup] = field(default_factory=dict)

    @classmethod
    def from_rows(cls, rows: Iterable[Any]) -> LabelSet:
        """Build from Label model instances (or anything with the same attributes)."""
        rows = list(rows)
        labelset = cls(groups=label_groups(rows).documents)
        for row in rows:
            if row.kind == "span":
                labelset.spans[row.name] = SpanLabel(row.id, row.name, row.attributes or {})
            elif row.kind == "relation":
                labelset.relations[row.name] = RelationLabel(
                    row.id,
                    row.name,
                    frozenset(row.source_labels or []),
                    frozenset(row.target_labels or []),
                )
        return labelset

    def names(self) -> dict[int, str]:
        """Span and relation label names by primary key, for the content reader."""
        names = {label.id: label.name for label in self.spans.values()}
        names.update((label.id, label.name) for label in self.relations.values())
        return names


def _name(value: Any) -> str:
    """A label or value name to look up; anything but a string matches nothing."""
    return value if isinstance(value, str) else ""


def _client_id_error(value: Any) -> str | None:
    if not isinstance(value, str) or not value:
        return "must be a non-empty string"
    if len(value) > MAX_CLIENT_ID:
        return f"must be at most {MAX_CLIENT_ID} characters"
    return None


def span_errors(span: Any, labels: LabelSet, length: int) -> dict[str, list[str]]:
    """Field errors of one span dict (empty when valid)."""
    if not isinstance(span, Mapping):
        return {"non_field_errors": ["must be an object"]}
    errors: dict[str, list[str]] = {}
    if problem := _client_id_error(span.get("id")):
        errors["id"] = [problem]
    start, end = span.get("start"), span.get("end")
    for name, value in (("start", start), ("end", end)):
        if not isinstance(value, int) or isinstance(value, bool):
            errors[name] = ["must be an integer (Unicode code point offset)"]
    if isinstance(start, int) and isinstance(end, int) and not errors:
        if start < 0:
            errors["start"] = [f"{start} is negative"]
        if end > length:
            errors["end"] = [f"{end} is past the end of the text ({length} code points)"]
        if start >= end:
            errors.setdefault("end", []).append(f"end ({end}) must be greater than start ({start})")
    label = labels.spans.get(_name(span.get("label")))
    if label is None:
        errors["label"] = [f"{span.get('label')!r} is not a span label of this project"]
    else:
        attr_errors = attribute_errors(span.get("attributes", {}), label)
        if attr_errors:
            errors["attributes"] = attr_errors
    errors.update(provenance_errors(span))
    if not errors and (problems := fragment_errors(span, length)):
        errors["fragments"] = problems
    chain = span.get("chain")
    if chain not in (None, "") and (problem := _client_id_error(chain)):
        errors["chain"] = [f"a chain id {problem} (or null: in no chain)"]
    return errors


def provenance_errors(span: Mapping[str, Any]) -> dict[str, list[str]]:
    """`source` (the suggester a span was accepted from; absent, null or "manual" when a
    person marked it) and `score` (that suggestion's, in [0, 1], or null)."""
    errors: dict[str, list[str]] = {}
    source, score = span.get("source"), span.get("score")
    if source is not None and not (
        isinstance(source, str) and 0 < len(source) <= MAX_SOURCE and source.isprintable()
    ):
        errors["source"] = [f"must be a suggester's name of at most {MAX_SOURCE} characters"]
    if score is not None:
        if isinstance(score, bool) or not isinstance(score, int | float) or not 0 <= score <= 1:
            errors["score"] = ["must be a number from 0 to 1, or null"]
        elif source in (None, MANUAL):
            errors["score"] = ["only a span accepted from a suggestion (a `source`) has a score"]
    return errors


def provenance(span: Mapping[str, Any]) -> dict[str, Any]:
    """A valid span's provenance as stored and read back: nothing for a person's span."""
    source = span.get("source")
    if source in (None, MANUAL):
        return {}
    score = span.get("score")
    return {"source": source, "score": None if score is None else float(score)}


def attribute_errors(attributes: Any, label: SpanLabel) -> list[str]:
    if attributes is None:
        return []
    if not isinstance(attributes, Mapping):
        return ["must be an object mapping attribute name to value"]
    problems = []
    for name, value in attributes.items():
        allowed = label.attributes.get(name)
        if allowed is None:
            problems.append(f"{label.name} has no attribute {name!r}")
        elif value is not None and value not in allowed:
            problems.append(f"{name}={value!r} is not one of {sorted(allowed)}")
    return problems


def relation_errors(
    relation: Any, labels: LabelSet, span_labels: Mapping[str, str]
) -> dict[str, list[str]]:
    """Field errors of one relation dict; `span_labels` maps span id → label name."""
    if not isinstance(relation, Mapping):
        return {"non_field_errors": ["must be an object"]}
    errors: dict[str, list[str]] = {}
    if "id" in relation and (problem := _client_id_error(relation["id"])):
        errors["id"] = [problem]
    label = labels.relations.get(_name(relation.get("label")))
    if label is None:
        errors["label"] = [f"{relation.get('label')!r} is not a relation label of this project"]
    for end, allowed_attr in (("from", "source_labels"), ("to", "target_labels")):
        span_id = relation.get(end)
        if not isinstance(span_id, str) or span_id not in span_labels:
            errors[end] = [f"span {span_id!r} does not exist in this annotation"]
            continue
        allowed = getattr(label, allowed_attr) if label else frozenset()
        if allowed and span_labels[span_id] not in allowed:
            errors[end] = [
                f"{label.name if label else ''} cannot {'start' if end == 'from' else 'end'} at "
                f"a {span_labels[span_id]} span (allowed: {', '.join(sorted(allowed))})"
            ]
    if relation.get("from") is not None and relation.get("from") == relation.get("to"):
        errors.setdefault("to", []).append("a relation cannot link a span to itself")
    return errors


def document_label_errors(document_labels: Any, labels: LabelSet) -> dict[str, list[str]]:
    if not isinstance(document_labels, Mapping):
        return {"non_field_errors": ["must be an object mapping group to value"]}
    errors: dict[str, list[str]] = {}
    for group_name, value in document_labels.items():
        group = labels.groups.get(group_name)
        if group is None:
            errors[group_name] = [f"{group_name!r} is not a document label group of this project"]
            continue
        values = value if isinstance(value, list) else [value]
        if isinstance(value, list) and not group.multiple:
            errors[group_name] = [f"{group_name!r} is single-choice: give one value, not a list"]
            continue
        bad = [v for v in values if v is not None and _name(v) not in group.values]
        if bad:
            errors[group_name] = [f"{bad[0]!r} is not one of {sorted(group.values)}"]
    return errors


def overlap_errors(spans: list[Mapping[str, Any]]) -> dict[str, dict[str, list[str]]]:
    """Errors for spans that overlap an earlier one (projects with allow_overlap off),
    piece by piece: a span may sit in the gap of an interrupted one."""
    errors: dict[str, dict[str, list[str]]] = {}
    order = sorted(
        ((start, end, index) for index, span in enumerate(spans) for start, end in pieces(span)),
    )
    furthest_end, furthest_id = -1, None
    for start, end, index in order:
        span = spans[index]
        if start < furthest_end and str(index) not in errors:
            errors[str(index)] = {"start": [f"overlaps span {furthest_id!r}; overlap is off"]}
        if end > furthest_end:
            furthest_end, furthest_id = end, span["id"]
    return errors


def chain_errors(chains: Any, mentioned: set[str]) -> dict[str, Any]:
    """Errors of an annotation's `chains` (`[{"id", "name"}]`; `canonical` is read-only and
    ignored); `mentioned` holds the chain ids its spans name."""
    if chains is None:
        return {}
    if not isinstance(chains, list):
        return {"non_field_errors": ['must be a list of chains: [{"id": "c1", "name": "…"}]']}
    errors: dict[str, Any] = {}
    seen: set[str] = set()
    for index, chain in enumerate(chains):
        if not isinstance(chain, Mapping):
            errors[str(index)] = {"non_field_errors": ["must be an object"]}
            continue
        problems: dict[str, list[str]] = {}
        cid = _name(chain.get("id"))
        if problem := _client_id_error(chain.get("id")):
            problems["id"] = [problem]
        elif cid in seen:
            problems["id"] = [f"duplicate chain id {cid!r}"]
        elif cid not in mentioned:
            problems["id"] = [f"chain {cid!r} has no mention: a chain is the spans naming it"]
        name = chain.get("name")
        if name is not None and not (isinstance(name, str) and len(name) <= MAX_CHAIN_NAME):
            problems["name"] = [f"must be text of at most {MAX_CHAIN_NAME} characters, or null"]
        if problems:
            errors[str(index)] = problems
        else:
            seen.add(cid)
    return errors


def chain_names(chains: Any) -> dict[str, str]:
    """A valid `chains` list as stored: the names given, by chain id (blank ones left out)."""
    return {c["id"]: c["name"].strip() for c in chains or [] if (c.get("name") or "").strip()}


def validate_content(
    data: Mapping[str, Any], labels: LabelSet, length: int, *, allow_overlap: bool
) -> None:
    """Validate a whole annotation (spans, relations, document labels) or raise Invalid."""
    errors: dict[str, Any] = {}
    spans = data.get("spans", [])
    relations = data.get("relations", [])
    for key, value in (("spans", spans), ("relations", relations)):
        if not isinstance(value, list):
            errors[key] = ["must be a list"]
    if errors:
        raise Invalid(errors)

    span_problems: dict[str, Any] = {}
    seen: dict[str, str] = {}
    for index, span in enumerate(spans):
        problems = span_errors(span, labels, length)
        if not problems and span["id"] in seen:
            problems = {"id": [f"duplicate span id {span['id']!r}"]}
        if problems:
            span_problems[str(index)] = problems
        else:
            seen[span["id"]] = span["label"]
    if not span_problems and not allow_overlap:
        span_problems = overlap_errors(spans)
    if span_problems:
        errors["spans"] = span_problems

    relation_problems: dict[str, Any] = {}
    relation_ids: set[str] = set()
    for index, relation in enumerate(relations):
        problems = relation_errors(relation, labels, seen)
        rid = relation.get("id") if isinstance(relation, Mapping) else None
        if not problems and rid is not None:
            if rid in relation_ids:
                problems = {"id": [f"duplicate relation id {rid!r}"]}
            relation_ids.add(rid)
        if problems:
            relation_problems[str(index)] = problems
    if relation_problems:
        errors["relations"] = relation_problems

    label_problems = document_label_errors(data.get("document_labels", {}), labels)
    if label_problems:
        errors["document_labels"] = label_problems
    mentioned = {_name(s.get("chain")) for s in spans if isinstance(s, Mapping)} - {""}
    if chain_problems := chain_errors(data.get("chains"), mentioned):
        errors["chains"] = chain_problems
    if errors:
        raise Invalid(errors)
