"""Plans a PATCH: replays a batch of operations against a snapshot of the rows it names.

Pure code, like `validation`: the caller reads the snapshot (`selectors.annotations.
patch_snapshot`: the spans and relations the batch names, and every link of a span it may
relabel or delete), and writes the plan. The batch is validated in order, as the client made
it (add a span, then link it), all or nothing; the first bad operation is reported by its
index (`ops.3.span.end`), since later ones may depend on it.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from annotations.attribution import extras, pieces
from annotations.errors import Invalid, first_problem, flat_errors
from annotations.models import AnnotationStatus
from annotations.selectors.annotations import Content
from annotations.validation import (
    MAX_CHAIN_NAME,
    LabelSet,
    _client_id_error,
    document_label_errors,
    provenance,
    relation_errors,
    span_errors,
)

MAX_OPS = 5_000
SPAN_FIELDS = ("start", "end", "label", "attributes", "source", "score", "fragments", "chain")
RELATION_OPS = ("add_relation", "delete_relation")
CHAIN_OPS = ("set_chain", "delete_chain")


@dataclass
class PatchPlan:
    """What to write: span rows to create, update and delete, relation rows to create and
    delete, and what history records as removed (the items' values before the batch)."""

    create_spans: list[dict[str, Any]] = field(default_factory=list)
    update_spans: dict[int, dict[str, Any]] = field(default_factory=dict)
    delete_span_pks: list[int] = field(default_factory=list)
    span_pks: dict[str, int] = field(default_factory=dict)
    create_relations: list[dict[str, Any]] = field(default_factory=list)
    delete_relation_pks: list[int] = field(default_factory=list)
    document_labels: dict[str, Any] | None = None
    status: str | None = None
    removed: dict[str, list] = field(default_factory=lambda: {"spans": [], "relations": []})
    # Spans the batch places, added or changed, and every span id it named: the caller checks
    # the first against the rest of the annotation when the project forbids overlap.
    placed: list[dict[str, Any]] = field(default_factory=list)
    named_span_ids: set[str] = field(default_factory=set)
    # Chains: the names after the batch (None: untouched); chains that may have lost their
    # last mention, which the caller looks for among the spans the batch did not name (a
    # chain found nowhere loses its name, or, named by `set_chain` at index i, fails it).
    chain_names: dict[str, str] | None = None
    chains_to_check: set[str] = field(default_factory=set)
    chains_alive: set[str] = field(default_factory=set)
    set_chain_at: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Touched:
    """The ids a batch names, which decide what the snapshot must hold."""

    span_ids: set[str]
    relation_ids: set[str]
    # Spans the batch may relabel or delete: their links are read too.
    linked_span_ids: set[str]
    # Chains the batch deletes: all their mentions are read (their `chain` is cleared).
    chain_ids: set[str] = field(default_factory=set)


def touched_ids(ops: Any) -> Touched:
    """The span and relation ids the batch names (anything malformed names nothing)."""
    spans: set[str] = set()
    relations: set[str] = set()
    linked: set[str] = set()
    chains: set[str] = set()
    for op in ops if isinstance(ops, list) else ():
        if not isinstance(op, Mapping):
            continue
        if op.get("op") in CHAIN_OPS:
            if op.get("op") == "delete_chain" and isinstance(op.get("id"), str):
                chains.add(op["id"])
            continue
        span = op["span"] if isinstance(op.get("span"), Mapping) else {}
        relation = op["relation"] if isinstance(op.get("relation"), Mapping) else {}
        span_values = [span.get("id"), relation.get("from"), relation.get("to")]
        relation_values = [relation.get("id")]
        (relation_values if op.get("op") in RELATION_OPS else span_values).append(op.get("id"))
        spans.update(v for v in span_values if isinstance(v, str))
        relations.update(v for v in relation_values if isinstance(v, str))
        if op.get("op") == "delete_span" or (op.get("op") == "update_span" and "label" in op):
            linked.update(v for v in [op.get("id")] if isinstance(v, str))
    return Touched(spans, relations, linked, chains)


class _Batch:
    """The snapshot's spans and relations, as stored and as the batch leaves them."""

    def __init__(
        self,
        stored: Content,
        labels: LabelSet,
        document_labels: dict[str, Any],
        chain_names: dict[str, str],
    ):
        self.stored = stored
        self.labels = labels
        self.stored_spans = {s["id"]: s for s in stored.spans}
        self.stored_relations = {r["id"]: r for r in stored.relations}
        self.spans: dict[str, dict | None] = {sid: dict(s) for sid, s in self.stored_spans.items()}
        self.relations: dict[str, dict | None] = dict(self.stored_relations)
        self.deleted_stored_spans: set[str] = set()
        self.document_labels = dict(document_labels)
        self.labels_touched = False
        self.status: str | None = None
        self.chain_names = dict(chain_names)
        self.set_chain_at: dict[str, int] = {}
        self.index = 0


def _id(value: Any) -> str:
    """A span or relation id to look up; anything but a string matches nothing."""
    return value if isinstance(value, str) else ""


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
        **provenance(span),
        **extras(span),
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
    fragments = op.get("fragments")
    if fragments and isinstance(fragments, list) and not {"start", "end"} & set(op):
        # New fragments alone move the span's extent with them.
        first, last = fragments[0], fragments[-1]
        if isinstance(first, list) and isinstance(last, list) and first and len(last) == 2:
            merged["start"], merged["end"] = first[0], last[1]
    if "label" in op and "attributes" not in op:
        # Keep only the attributes the new label also has (the browser's store does the same).
        label = batch.labels.spans.get(_id(op["label"]))
        allowed = label.attributes if label else {}
        merged["attributes"] = {k: v for k, v in current["attributes"].items() if k in allowed}
    errors = span_errors(merged, batch.labels, length)
    if errors:
        return errors
    merged["attributes"] = dict(merged.get("attributes") or {})
    # Provenance stays through edits (an accepted suggestion moved by a person is still
    # where it came from) unless the op names it; "manual" takes it away.
    kept = {**provenance(merged), **extras(merged)}
    for key in ("source", "score", "fragments", "chain"):
        merged.pop(key, None)
    batch.spans[merged["id"]] = {**merged, **kept}
    return {}


def _op_delete_span(batch: _Batch, op: Mapping[str, Any], _length: int) -> dict:
    span_id = _id(op.get("id"))
    if batch.spans.get(span_id) is None:
        return {"id": [f"span {span_id!r} does not exist"]}
    batch.spans[span_id] = None
    if span_id in batch.stored_spans:
        batch.deleted_stored_spans.add(span_id)
    # Links to a deleted span go with it (the snapshot holds every stored one).
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


def _op_set_chain(batch: _Batch, op: Mapping[str, Any], _length: int) -> dict:
    chain_id, name = _id(op.get("id")), op.get("name")
    if problem := _client_id_error(chain_id):
        return {"id": [f"a chain id {problem}"]}
    if name is not None and not (isinstance(name, str) and len(name) <= MAX_CHAIN_NAME):
        return {"name": [f"must be text of at most {MAX_CHAIN_NAME} characters, or null"]}
    if name and name.strip():
        batch.chain_names[chain_id] = name.strip()
    else:
        batch.chain_names.pop(chain_id, None)
    batch.set_chain_at.setdefault(chain_id, batch.index)
    return {}


def _op_delete_chain(batch: _Batch, op: Mapping[str, Any], _length: int) -> dict:
    """The chain goes; its mentions stay, in no chain (the snapshot holds them all)."""
    chain_id = _id(op.get("id"))
    mentions = [s for s in batch.spans.values() if s is not None and s.get("chain") == chain_id]
    if not mentions:
        return {"id": [f"chain {op.get('id')!r} does not exist"]}
    for span in mentions:
        batch.spans[span["id"]] = {k: v for k, v in span.items() if k != "chain"}
    batch.chain_names.pop(chain_id, None)
    batch.set_chain_at.pop(chain_id, None)
    return {}


OPERATIONS = {
    "add_span": _op_add_span,
    "update_span": _op_update_span,
    "delete_span": _op_delete_span,
    "add_relation": _op_add_relation,
    "delete_relation": _op_delete_relation,
    "set_document_label": _op_set_document_label,
    "set_status": _op_set_status,
    "set_chain": _op_set_chain,
    "delete_chain": _op_delete_chain,
}


def check_ops(ops: Any) -> None:
    """The batch's envelope: a non-empty list of at most MAX_OPS operations."""
    if not isinstance(ops, list) or not ops:
        raise Invalid({"ops": ["must be a non-empty list of operations"]})
    if len(ops) > MAX_OPS:
        raise Invalid({"ops": [f"at most {MAX_OPS} operations per request"]})


def plan_patch(
    *,
    stored: Content,
    document_labels: dict[str, Any],
    labels: LabelSet,
    ops: list[Any],
    length: int,
    allow_overlap: bool,
    chain_names: dict[str, str] | None = None,
) -> PatchPlan:
    """Replay `ops` over the snapshot; the plan, or Invalid naming the first bad operation."""
    check_ops(ops)
    batch = _Batch(stored, labels, document_labels, chain_names or {})
    for index, op in enumerate(ops):
        batch.index = index
        name = op.get("op") if isinstance(op, Mapping) else None
        handler = OPERATIONS.get(name) if isinstance(name, str) else None
        if handler is None:
            problem = {"op": [f"must be one of {', '.join(OPERATIONS)}"]}
        else:
            problem = handler(batch, op, length)
        if problem:
            raise Invalid({"ops": {str(index): problem}})
    _check_relabelled_links(batch)
    if not allow_overlap:
        _check_overlap_within(batch)
    return _plan(batch)


def _changed_stored_spans(batch: _Batch) -> dict[str, dict]:
    return {
        sid: state
        for sid, state in batch.spans.items()
        if state is not None
        and sid in batch.stored_spans
        and sid not in batch.deleted_stored_spans
        and state != batch.stored_spans[sid]
    }


def _check_relabelled_links(batch: _Batch) -> None:
    """A span whose label changed must still fit the links it keeps."""
    relabelled = {
        sid
        for sid, state in _changed_stored_spans(batch).items()
        if state["label"] != batch.stored_spans[sid]["label"]
    }
    for link in batch.relations.values():
        if link is None or not relabelled & {link["from"], link["to"]}:
            continue
        ends = {}
        for span_id in (link["from"], link["to"]):
            state = batch.spans.get(span_id)
            ends[span_id] = state["label"] if state else batch.stored.end_labels[span_id]
        problems = relation_errors(link, batch.labels, ends)
        if problems:
            reason = first_problem(flat_errors(problems))
            raise Invalid({"ops": [f"relabelling breaks link {link['id']!r}: {reason}"]})


def _check_overlap_within(batch: _Batch) -> None:
    """Spans the batch places must not overlap each other (the caller checks the rest)."""
    touched = sorted(
        (piece, span["id"])
        for span in batch.spans.values()
        if span is not None
        for piece in pieces(span)
    )
    # A piece overlapping any earlier one overlaps the one reaching furthest before it.
    furthest: tuple[int, str] = (-1, "")
    for (start, end), span_id in touched:
        before_end, before_id = furthest
        if start < before_end and before_id != span_id:
            raise Invalid(
                {"ops": [f"span {span_id!r} overlaps span {before_id!r}; overlap is off"]}
            )
        if end > before_end:
            furthest = (end, span_id)


def _plan(batch: _Batch) -> PatchPlan:
    plan = PatchPlan(status=batch.status)
    if batch.labels_touched:
        plan.document_labels = batch.document_labels
    changed = _changed_stored_spans(batch)
    pks = batch.stored.span_pks
    for sid, stored in batch.stored_spans.items():
        if sid in batch.deleted_stored_spans:
            plan.delete_span_pks.append(pks[sid])
            plan.removed["spans"].append(stored)
        else:
            plan.span_pks[sid] = pks[sid]
        if sid in changed:
            plan.removed["spans"].append(stored)
            plan.update_spans[pks[sid]] = changed[sid]
    for sid, state in batch.spans.items():
        is_new = sid not in batch.stored_spans or sid in batch.deleted_stored_spans
        if state is not None and is_new:
            plan.create_spans.append(state)
    plan.placed = [*plan.create_spans, *plan.update_spans.values()]
    plan.named_span_ids = set(batch.spans)
    for rid, stored_relation in batch.stored_relations.items():
        if batch.relations.get(rid) is None:
            plan.delete_relation_pks.append(batch.stored.relation_pks[rid])
            plan.removed["relations"].append(stored_relation)
    plan.create_relations = [
        state
        for rid, state in batch.relations.items()
        if state is not None and rid not in batch.stored_relations
    ]
    _plan_chains(batch, plan)
    return plan


def _plan_chains(batch: _Batch, plan: PatchPlan) -> None:
    """Which chains may have lost their last mention, and which the batch knows alive."""
    left = {
        stored["chain"]
        for sid, stored in batch.stored_spans.items()
        if stored.get("chain") and (batch.spans.get(sid) or {}).get("chain") != stored["chain"]
    }
    plan.chains_alive = {s["chain"] for s in batch.spans.values() if s and s.get("chain")}
    plan.set_chain_at = dict(batch.set_chain_at)
    plan.chains_to_check = (left | set(batch.set_chain_at)) - plan.chains_alive
    plan.chain_names = batch.chain_names
