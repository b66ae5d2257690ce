"""Plans a PATCH: replays a batch of operations against only the rows it names.

The batch is validated in order, as the client made it (add a span, then link
it), against an in-memory view of just the spans and relations it touches. The
result is a plan of inserts, updates and deletes for the caller to write.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet

from annotations.errors import Invalid, first_problem, flat_errors
from annotations.models import Annotation, AnnotationStatus, Relation, Span
from annotations.validation import (
    LabelSet,
    document_label_errors,
    relation_errors,
    span_errors,
)

MAX_OPS = 5_000
SPAN_FIELDS = ("start", "end", "label", "attributes")


@dataclass
class PatchPlan:
    create_spans: list[Span] = field(default_factory=list)
    update_spans: list[Span] = field(default_factory=list)
    delete_span_pks: list[int] = field(default_factory=list)
    detach_span_pks: list[int] = field(default_factory=list)
    span_pks: dict[str, int] = field(default_factory=dict)
    create_relations: list[dict[str, Any]] = field(default_factory=list)
    delete_relation_pks: list[int] = field(default_factory=list)
    document_labels: dict[str, Any] | None = None
    status: str | None = None
    removed: dict[str, list] = field(default_factory=lambda: {"spans": [], "relations": []})


class _Batch:
    """The spans and relations a batch touches: as stored, and as the batch leaves them."""

    def __init__(self, annotation: Annotation, ops: list[dict[str, Any]], labels: LabelSet):
        self.annotation = annotation
        self.labels = labels
        span_ids, relation_ids = _referenced_ids(ops)
        stored_spans = annotation.spans.filter(client_id__in=span_ids).select_related("label")
        self.stored_spans = {s.client_id: s for s in stored_spans}
        self.spans: dict[str, dict | None] = {
            s.client_id: span_as_dict(s) for s in self.stored_spans.values()
        }
        stored_relations = (
            _relations_with_ends(annotation.relations.filter(client_id__in=relation_ids))
            if relation_ids
            else []
        )
        self.stored_relations = {r["id"]: r for r in stored_relations}
        self.relations: dict[str, dict | None] = {
            rid: {k: v for k, v in r.items() if k != "pk"}
            for rid, r in self.stored_relations.items()
        }
        self.deleted_stored_spans: set[str] = set()
        self.document_labels = dict(annotation.document_labels)
        self.labels_touched = False
        self.status: str | None = None


def _id(value: Any) -> str:
    """A span or relation id to look up; anything but a string matches nothing."""
    return value if isinstance(value, str) else ""


def _referenced_ids(ops: list[dict[str, Any]]) -> tuple[set[str], set[str]]:
    span_ids: set[str] = set()
    relation_ids: set[str] = set()
    for op in ops:
        if not isinstance(op, Mapping):
            continue
        span: Mapping[str, Any] = op["span"] if isinstance(op.get("span"), Mapping) else {}
        relation: Mapping[str, Any] = (
            op["relation"] if isinstance(op.get("relation"), Mapping) else {}
        )
        is_relation_op = op.get("op") in ("add_relation", "delete_relation")
        span_values = [span.get("id"), relation.get("from"), relation.get("to")]
        relation_values = [relation.get("id")]
        (relation_values if is_relation_op else span_values).append(op.get("id"))
        span_ids.update(v for v in span_values if isinstance(v, str))
        relation_ids.update(v for v in relation_values if isinstance(v, str))
    return span_ids, relation_ids


def span_as_dict(span: Span) -> dict[str, Any]:
    return {
        "id": span.client_id,
        "start": span.start,
        "end": span.end,
        "label": span.label.name,
        "attributes": span.attributes,
    }


def _relations_with_ends(
    relations: QuerySet[Relation], span_labels: dict[str, str] | None = None
) -> list[dict[str, Any]]:
    """Relations as dicts (plus their pk), their ends named by a lookup of span ids.

    Two plain queries instead of joining the span table twice, which made
    PostgreSQL spend milliseconds planning on often-rewritten annotations.
    `span_labels`, when given, is filled with each end's label name.
    """
    rows = list(relations.values_list("pk", "client_id", "source_id", "target_id", "label__name"))
    ends = {source for _, _, source, _, _ in rows} | {target for _, _, _, target, _ in rows}
    spans = Span.objects.filter(pk__in=ends).values_list("pk", "client_id", "label__name")
    names = {}
    for pk, client_id, label in spans if ends else ():
        names[pk] = client_id
        if span_labels is not None:
            span_labels[client_id] = label
    return [
        {"pk": pk, "id": cid, "from": names[source], "to": names[target], "label": label}
        for pk, cid, source, target, label in rows
    ]


def _op_add_span(batch: _Batch, op: Mapping[str, Any], length: int) -> dict:
    span = op.get("span")
    if not isinstance(span, Mapping):
        return {"span": ["required: the span to add"]}
    errors = span_errors(span, batch.labels, length)
    if errors:
        return {"span": errors}
    if batch.spans.get(span["id"]) is not None:
        return {"span": {"id": [f"span {span['id']!r} already exists"]}}
    batch.spans[span["id"]] = {
        "id": span["id"],
        "start": span["start"],
        "end": span["end"],
        "label": span["label"],
        "attributes": dict(span.get("attributes") or {}),
    }
    return {}


def _op_update_span(batch: _Batch, op: Mapping[str, Any], length: int) -> dict:
    current = batch.spans.get(_id(op.get("id")))
    if current is None:
        return {"id": [f"span {op.get('id')!r} does not exist"]}
    unknown = set(op) - {"op", "id", *SPAN_FIELDS}
    if unknown:
        return {"non_field_errors": [f"unknown fields: {', '.join(sorted(unknown))}"]}
    merged = {**current, **{k: op[k] for k in SPAN_FIELDS if k in op}}
    if "label" in op and "attributes" not in op:
        # Keep only the attributes the new label also has.
        label = batch.labels.spans.get(_id(op["label"]))
        allowed = label.attributes if label else {}
        merged["attributes"] = {k: v for k, v in current["attributes"].items() if k in allowed}
    errors = span_errors(merged, batch.labels, length)
    merged["attributes"] = dict(merged.get("attributes") or {}) if not errors else {}
    if errors:
        return errors
    batch.spans[merged["id"]] = merged
    return {}


def _op_delete_span(batch: _Batch, op: Mapping[str, Any], _length: int) -> dict:
    span_id = _id(op.get("id"))
    if batch.spans.get(span_id) is None:
        return {"id": [f"span {span_id!r} does not exist"]}
    batch.spans[span_id] = None
    if span_id in batch.stored_spans:
        batch.deleted_stored_spans.add(span_id)
    # Links to a deleted span go with it.
    for rid, relation in batch.relations.items():
        if relation and span_id in (relation["from"], relation["to"]):
            batch.relations[rid] = None
    return {}


def _op_add_relation(batch: _Batch, op: Mapping[str, Any], _length: int) -> dict:
    relation = op.get("relation")
    if not isinstance(relation, Mapping):
        return {"relation": ["required: the relation to add"]}
    span_labels = {k: v["label"] for k, v in batch.spans.items() if v is not None}
    errors = relation_errors(relation, batch.labels, span_labels)
    if errors:
        return {"relation": errors}
    rid = relation.get("id") or f"r{uuid.uuid4().hex[:10]}"
    if batch.relations.get(rid) is not None:
        return {"relation": {"id": [f"relation {rid!r} already exists"]}}
    batch.relations[rid] = {
        "id": rid,
        "from": relation["from"],
        "to": relation["to"],
        "label": relation["label"],
    }
    return {}


def _op_delete_relation(batch: _Batch, op: Mapping[str, Any], _length: int) -> dict:
    if batch.relations.get(_id(op.get("id"))) is None:
        return {"id": [f"relation {op.get('id')!r} does not exist"]}
    batch.relations[op["id"]] = None
    return {}


def _op_set_document_label(batch: _Batch, op: Mapping[str, Any], _length: int) -> dict:
    group, value = op.get("group"), op.get("value")
    if not isinstance(group, str):
        return {"group": ["required: the document label group"]}
    errors = document_label_errors({group: value}, batch.labels)
    if errors:
        return {"value": errors[group]}
    if value is None or value == []:
        batch.document_labels.pop(group, None)
    else:
        batch.document_labels[group] = value
    batch.labels_touched = True
    return {}


def _op_set_status(batch: _Batch, op: Mapping[str, Any], _length: int) -> dict:
    if op.get("status") not in AnnotationStatus.values:
        return {"status": [f"must be one of {', '.join(AnnotationStatus.values)}"]}
    batch.status = op["status"]
    return {}


OPERATIONS = {
    "add_span": _op_add_span,
    "update_span": _op_update_span,
    "delete_span": _op_delete_span,
    "add_relation": _op_add_relation,
    "delete_relation": _op_delete_relation,
    "set_document_label": _op_set_document_label,
    "set_status": _op_set_status,
}


def plan_patch(
    *,
    annotation: Annotation,
    labels: LabelSet,
    ops: Any,
    length: int,
    allow_overlap: bool,
) -> PatchPlan:
    if not isinstance(ops, list) or not ops:
        raise Invalid({"ops": ["must be a non-empty list of operations"]})
    if len(ops) > MAX_OPS:
        raise Invalid({"ops": [f"at most {MAX_OPS} operations per request"]})
    batch = _Batch(annotation, ops, labels)
    errors: dict[str, Any] = {}
    for index, op in enumerate(ops):
        name = op.get("op") if isinstance(op, Mapping) else None
        handler = OPERATIONS.get(name) if isinstance(name, str) else None
        if handler is None:
            problem = {"op": [f"must be one of {', '.join(OPERATIONS)}"]}
        else:
            problem = handler(batch, op, length)
        if problem:
            errors[str(index)] = problem
            break  # later ops may depend on this one: report the first failure
    if errors:
        raise Invalid({"ops": errors})
    _check_relabelled_links(batch)
    if not allow_overlap:
        _check_overlap(batch)
    return _plan(batch)


def _changed_stored_spans(batch: _Batch) -> dict[str, dict]:
    return {
        sid: state
        for sid, state in batch.spans.items()
        if state is not None
        and sid in batch.stored_spans
        and sid not in batch.deleted_stored_spans
        and state != span_as_dict(batch.stored_spans[sid])
    }


def _check_relabelled_links(batch: _Batch) -> None:
    """A span whose label changed must still fit the links it keeps."""
    relabelled = {
        batch.stored_spans[sid].pk: sid
        for sid, state in _changed_stored_spans(batch).items()
        if state["label"] != batch.stored_spans[sid].label.name
    }
    if not relabelled:
        return
    stored_labels: dict[str, str] = {}
    links = _relations_with_ends(
        batch.annotation.relations.filter(
            Q(source_id__in=relabelled) | Q(target_id__in=relabelled)
        ),
        stored_labels,
    )
    for link in links:
        if batch.relations.get(link["id"], True) is None:
            continue  # deleted in this batch
        ends = {}
        for span_id in (link["from"], link["to"]):
            state = batch.spans.get(span_id)
            ends[span_id] = state["label"] if state else stored_labels[span_id]
        problems = relation_errors(link, batch.labels, ends)
        if problems:
            reason = first_problem(flat_errors(problems))
            raise Invalid({"ops": [f"relabelling breaks link {link['id']!r}: {reason}"]})


def _check_overlap(batch: _Batch) -> None:
    touched = [s for s in batch.spans.values() if s is not None]
    touched_ids = set(batch.spans)
    for span in touched:
        others = [
            o
            for o in touched
            if o is not span and o["start"] < span["end"] and span["start"] < o["end"]
        ]
        clash = (
            batch.annotation.spans.filter(start__lt=span["end"], end__gt=span["start"])
            .exclude(client_id__in=touched_ids)
            .values_list("client_id", flat=True)
            .first()
        )
        if others or clash:
            other = others[0]["id"] if others else clash
            raise Invalid({"ops": [f"span {span['id']!r} overlaps span {other!r}; overlap is off"]})


def _plan(batch: _Batch) -> PatchPlan:
    plan = PatchPlan(status=batch.status)
    if batch.labels_touched:
        plan.document_labels = batch.document_labels
    changed = _changed_stored_spans(batch)
    for sid, stored in batch.stored_spans.items():
        state = batch.spans.get(sid)
        if sid in batch.deleted_stored_spans:
            plan.delete_span_pks.append(stored.pk)
            plan.detach_span_pks.append(stored.pk)
            plan.removed["spans"].append(span_as_dict(stored))
        elif sid in changed:
            plan.removed["spans"].append(span_as_dict(stored))
            plan.update_spans.append(_span_model(batch, state, pk=stored.pk))  # type: ignore[arg-type]
        if sid not in batch.deleted_stored_spans:
            plan.span_pks[sid] = stored.pk
    for sid, state in batch.spans.items():
        is_new = sid not in batch.stored_spans or sid in batch.deleted_stored_spans
        if state is not None and is_new:
            plan.create_spans.append(_span_model(batch, state))
    _plan_relations(batch, plan)
    return plan


def _plan_relations(batch: _Batch, plan: PatchPlan) -> None:
    for rid, stored in batch.stored_relations.items():
        if batch.relations.get(rid) is None:
            plan.delete_relation_pks.append(stored["pk"])
            plan.removed["relations"].append({k: v for k, v in stored.items() if k != "pk"})
    if plan.detach_span_pks:
        # Links of deleted spans that the batch did not name: record them too.
        detached = batch.annotation.relations.filter(
            Q(source_id__in=plan.detach_span_pks) | Q(target_id__in=plan.detach_span_pks)
        ).exclude(client_id__in=batch.stored_relations)
        plan.removed["relations"].extend(
            {k: v for k, v in r.items() if k != "pk"} for r in _relations_with_ends(detached)
        )
    plan.create_relations = [
        state
        for rid, state in batch.relations.items()
        if state is not None and rid not in batch.stored_relations
    ]


def _span_model(batch: _Batch, state: dict[str, Any], pk: int | None = None) -> Span:
    return Span(
        pk=pk,
        annotation=batch.annotation,
        client_id=state["id"],
        start=state["start"],
        end=state["end"],
        label_id=batch.labels.spans[state["label"]].id,
        attributes=state["attributes"],
    )
