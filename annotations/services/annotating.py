"""Writes to an annotation (an annotator's or the gold one): whole PUT and batched PATCH.

Both check the version the client read (optimistic concurrency) while holding
the annotation's row lock, so two writers can never both succeed against the
same version; both record what changed in the append-only history.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone

from annotations.attribution import extras, normal_fragments
from annotations.errors import Conflict, Invalid, VersionConflict
from annotations.models import (
    Annotation,
    AnnotationEvent,
    AnnotationStatus,
    Document,
    Relation,
    ReviewState,
    Span,
)
from annotations.patching import PatchPlan, plan_patch, touched_ids
from annotations.selectors.annotations import contents_of, overlapping_span, patch_snapshot
from annotations.selectors.editor import locked_with_spans
from annotations.services import conversation, work_state
from annotations.validation import (
    LabelSet,
    chain_names,
    document_label_errors,
    provenance,
    validate_content,
)
from annotations.work_time import add_gap, gap_after


def labelset_for(document: Document) -> LabelSet:
    return LabelSet.from_rows(document.project.labels.all())


def _locked_annotation(
    *,
    document: Document,
    annotator: User | None,
    expected_version: int,
    span_ids: set[str] | None = None,
) -> Annotation:
    """The annotation row, locked for this transaction, or VersionConflict.

    A first write (version 0) creates the row; a concurrent first write loses on
    the unique constraint and is told the current version like any stale write.
    With `span_ids`, the rows of those spans come in the same statement, as `span_rows`.
    """
    rows = Annotation.objects.select_for_update().filter(document=document)
    rows = rows.filter(is_gold=True) if annotator is None else rows.filter(annotator=annotator)
    if span_ids is None:
        annotation = rows.first()
    else:
        annotation, span_rows = locked_with_spans(document, annotator, span_ids)
        if annotation is not None:
            annotation.span_rows = span_rows  # type: ignore[attr-defined]
    if annotation is None:
        if expected_version != 0:
            raise VersionConflict(0)
        try:
            with transaction.atomic():
                created = Annotation.objects.create(
                    document=document,
                    project_id=document.project_id,
                    annotator=annotator,
                    is_gold=annotator is None,
                )
                created.span_rows = []  # type: ignore[attr-defined]
                return created
        except IntegrityError:
            raise VersionConflict(rows.get().version) from None
    if annotation.version != expected_version:
        raise VersionConflict(annotation.version)
    return annotation


def _snapshot(annotation: Annotation, labels: LabelSet) -> tuple[dict[str, dict], dict[str, dict]]:
    content = contents_of([annotation.pk], labels.names())[annotation.pk]
    return (
        {s["id"]: s for s in content.spans},
        {r["id"]: r for r in content.relations},
    )


def _diff(before: dict[str, dict], after: dict[str, dict]) -> dict[str, list]:
    """What a whole-annotation write changed, keeping removed items' old values."""
    return {
        "added": [after[k] for k in after.keys() - before.keys()],
        "removed": [before[k] for k in before.keys() - after.keys()],
        "changed": [
            {"before": before[k], "after": after[k]}
            for k in before.keys() & after.keys()
            if before[k] != after[k]
        ],
    }


def _with_relation_ids(relations: list[Any]) -> list[Any]:
    """Relations may come without an id; give them stable ones (r1, r2, …) not in use.

    Items that are not objects are left for validation to report.
    """
    used = {r["id"] for r in relations if isinstance(r, dict) and isinstance(r.get("id"), str)}
    counter = 0
    result = []
    for relation in relations:
        if isinstance(relation, dict) and relation.get("id") in (None, ""):
            counter += 1
            while f"r{counter}" in used:
                counter += 1
            relation = {**relation, "id": f"r{counter}"}
        result.append(relation)
    return result


def _delete_content(annotation: Annotation) -> None:
    """Delete an annotation's relations, then its spans, one statement each.

    Django's delete() would first select every span to cascade to relations
    that are already gone; the raw delete skips that (no signals are in use).
    """
    Relation.objects.filter(annotation=annotation)._raw_delete(Relation.objects.db)
    Span.objects.filter(annotation=annotation)._raw_delete(Span.objects.db)


NewContent = tuple[Annotation, list[dict[str, Any]], list[dict[str, Any]]]


def _span_row(annotation: Annotation, span: dict[str, Any], labels: LabelSet) -> Span:
    return Span(
        annotation=annotation,
        client_id=span["id"],
        start=span["start"],
        end=span["end"],
        label_id=labels.spans[span["label"]].id,
        attributes=span.get("attributes") or {},
        source=span.get("source") or "",
        score=span.get("score"),
        fragments=normal_fragments(span.get("fragments")),
        chain=span.get("chain") or "",
    )


def write_contents(*, labels: LabelSet, contents: list[NewContent]) -> None:
    """Insert (annotation, spans, relations) for annotations that have none.

    Two bulk inserts whatever the number of annotations, so an import of
    thousands of pre-annotated documents costs a handful of queries per batch.
    """
    created = Span.objects.bulk_create(
        [_span_row(annotation, s, labels) for annotation, spans, _ in contents for s in spans]
    )
    by_id = {(span.annotation_id, span.client_id): span for span in created}
    Relation.objects.bulk_create(
        [
            Relation(
                annotation=annotation,
                client_id=r["id"],
                source=by_id[annotation.pk, r["from"]],
                target=by_id[annotation.pk, r["to"]],
                label_id=labels.relations[r["label"]].id,
            )
            for annotation, _, relations in contents
            for r in relations
        ]
    )


@transaction.atomic
def annotation_replace(
    *,
    document: Document,
    annotator: User | None,
    actor: User,
    data: dict[str, Any],
    expected_version: int,
    active_seconds: float | None = None,
    labels: LabelSet | None = None,
) -> Annotation:
    """Replace the whole annotation (annotator=None: the gold one) with `data`;
    `active_seconds`: the editor's active time since its last save (`_finish_write`);
    `labels`: the project's, when the caller has read them."""
    labels = labels or labelset_for(document)
    relations = _with_relation_ids(list(data.get("relations", [])))
    data = {**data, "relations": relations}
    validate_content(data, labels, document.length, allow_overlap=document.project.allow_overlap)
    annotation = _locked_annotation(
        document=document, annotator=annotator, expected_version=expected_version
    )
    old_spans, old_relations = _snapshot(annotation, labels)
    _delete_content(annotation)
    # Only the fields we store, so history and the answer match what a read returns.
    spans = [
        {key: s[key] for key in ("id", "start", "end", "label")}
        | {"attributes": s.get("attributes") or {}}
        | provenance(s)
        | extras(s)
        for s in data.get("spans", [])
    ]
    data["chain_names"] = chain_names(data.get("chains"))
    relations = [{key: r[key] for key in ("id", "from", "to", "label")} for r in relations]
    write_contents(labels=labels, contents=[(annotation, spans, relations)])

    changes = {
        "spans": _diff(old_spans, {s["id"]: s for s in spans}),
        "relations": _diff(old_relations, {r["id"]: r for r in relations}),
    }
    _finish_write(
        annotation,
        actor=actor,
        action="put",
        changes=changes,
        data=data,
        span_count=len(spans),
        active_seconds=active_seconds,
    )
    # What was written, in the order reads give it, so callers need not read it back.
    annotation.content = {  # type: ignore[attr-defined]
        "spans": sorted(spans, key=lambda s: (s["start"], s["end"])),
        "relations": relations,
    }
    return annotation


def _finish_write(
    annotation: Annotation,
    *,
    actor: User,
    action: str,
    changes: dict[str, Any],
    data: dict[str, Any],
    span_count: int,
    active_seconds: float | None = None,
) -> None:
    """Bump the version, apply status and document labels, keep the annotation's own
    figures (spans, submission time, time spent), record the event, and keep the derived
    state current (`work_state`: nothing to do for an autosave of a draft).

    The editor's active time counts only on an annotator's own work saved by them: a
    reviewer's time on gold, or on someone else's version, is not that annotator's."""
    created = annotation.version == 0
    status_before = annotation.status
    submitted_before = annotation.submitted_at
    now = timezone.now()
    gap = gap_after(
        previous_at=None if created else annotation.updated_at,
        previous_by=annotation.updated_by_id,
        now=now,
        actor=actor.pk,
        annotator=annotation.annotator_id,
    )
    annotation.event_seconds = add_gap(annotation.event_seconds, gap)
    if active_seconds is not None and actor.pk == annotation.annotator_id:
        annotation.active_seconds = (annotation.active_seconds or 0.0) + active_seconds
    annotation.span_count = span_count
    if "document_labels" in data and data["document_labels"] != annotation.document_labels:
        changes["document_labels"] = {
            "before": annotation.document_labels,
            "after": data["document_labels"],
        }
        annotation.document_labels = data["document_labels"]
    if "chain_names" in data and data["chain_names"] != annotation.chain_names:
        changes["chain_names"] = {"before": annotation.chain_names, "after": data["chain_names"]}
        annotation.chain_names = data["chain_names"]
    status = data.get("status")
    if status and status != annotation.status:
        changes["status"] = {"before": annotation.status, "after": status}
        annotation.status = status
        annotation.submitted_at = now if status == AnnotationStatus.SUBMITTED else None
        if status == AnnotationStatus.SUBMITTED and annotation.review_state:
            # A new version the reviewer has not seen yet, whatever they said of the last.
            changes["review"] = {"before": annotation.review_state, "after": "resubmitted"}
            annotation.review_state = ReviewState.RESUBMITTED
    annotation.version += 1
    annotation.updated_by = actor  # type: ignore[assignment]
    annotation.save()
    AnnotationEvent.objects.create(
        annotation=annotation,
        actor=actor,
        version=annotation.version,
        action=action,
        changes=changes,
    )
    _keep_state(
        annotation,
        created=created,
        status_before=status_before,
        submitted_before=submitted_before,
    )


def _keep_state(
    annotation: Annotation,
    *,
    created: bool,
    status_before: str,
    submitted_before: datetime | None,
) -> None:
    """What this write changes in the documents' and members' derived state."""
    submitted = AnnotationStatus.SUBMITTED
    if annotation.is_gold or submitted in (annotation.status, status_before):
        work_state.documents_refresh(annotation.project_id, [annotation.document_id])  # type: ignore[arg-type]
    elif created:
        work_state.document_started(annotation.document_id)
    if created or annotation.status != status_before:
        work_state.annotation_status_moved(
            annotation, status_before=None if created else status_before
        )
        work_state.submission_moved(annotation, submitted_before=submitted_before)


@transaction.atomic
def annotation_patch(
    *,
    document: Document,
    annotator: User | None,
    actor: User,
    ops: list[dict[str, Any]],
    expected_version: int,
    active_seconds: float | None = None,
    labels: LabelSet | None = None,
) -> Annotation:
    """Apply a batch of operations against `expected_version`, all or nothing.

    Only the spans and relations the batch names (and the links of spans it relabels or
    deletes) are read and written, so one change to a 5,000-span document costs a handful
    of small queries; the named spans are read with the annotation's lock. `labels`: the
    project's, when the caller has read them.
    """
    labels = labels or labelset_for(document)
    touched = touched_ids(ops)
    annotation = _locked_annotation(
        document=document,
        annotator=annotator,
        expected_version=expected_version,
        span_ids=None if touched.chain_ids else touched.span_ids,
    )
    stored = patch_snapshot(
        annotation,
        span_ids=touched.span_ids,
        relation_ids=touched.relation_ids,
        linked_span_ids=touched.linked_span_ids,
        chain_ids=touched.chain_ids,
        names=labels.names(),
        span_rows=getattr(annotation, "span_rows", None),
    )
    allow_overlap = document.project.allow_overlap
    plan = plan_patch(
        stored=stored,
        document_labels=annotation.document_labels,
        labels=labels,
        ops=ops,
        length=document.length,
        allow_overlap=allow_overlap,
        chain_names=annotation.chain_names,
    )
    if not allow_overlap:
        _check_overlap(annotation, plan)
    names = _chains_after(annotation, plan)
    _apply_plan(annotation, plan, labels)
    data: dict[str, Any] = {"chain_names": names}
    if plan.document_labels is not None:
        data["document_labels"] = plan.document_labels
    if plan.status is not None:
        data["status"] = plan.status
    changes = {"ops": ops, "removed": plan.removed}
    spans = annotation.span_count + len(plan.create_spans) - len(plan.delete_span_pks)
    _finish_write(
        annotation,
        actor=actor,
        action="patch",
        changes=changes,
        data=data,
        span_count=spans,
        active_seconds=active_seconds,
    )
    return annotation


def _chains_after(annotation: Annotation, plan: PatchPlan) -> dict[str, str]:
    """The chain names after the batch: a chain left without mentions loses its name, and
    a chain the batch named with `set_chain` must have one (else the batch fails there).
    One query, only when the batch may have emptied a chain."""
    names = dict(plan.chain_names or {})
    if not plan.chains_to_check:
        return names
    alive = set(
        annotation.spans.filter(chain__in=plan.chains_to_check)
        .exclude(client_id__in=plan.named_span_ids)
        .values_list("chain", flat=True)
        .distinct()
    )
    for chain in sorted(plan.chains_to_check - alive):
        if chain in plan.set_chain_at:
            problem = f"chain {chain!r} has no mention: set a span's chain to it first"
            raise Invalid({"ops": {str(plan.set_chain_at[chain]): {"id": [problem]}}})
        names.pop(chain, None)
    return names


def _check_overlap(annotation: Annotation, plan: PatchPlan) -> None:
    """The spans a batch places must not overlap the annotation's other spans."""
    clash = overlapping_span(annotation, plan.placed, besides=plan.named_span_ids)
    if clash is None:
        return
    span, other = clash
    raise Invalid({"ops": [f"span {span!r} overlaps span {other!r}; overlap is off"]})


def _apply_plan(annotation: Annotation, plan: PatchPlan, labels: LabelSet) -> None:
    """Relations first, then spans; deletes by primary key, without Django's cascade
    collector (the plan already names every relation of a deleted span)."""
    if plan.delete_relation_pks:
        Relation.objects.filter(pk__in=plan.delete_relation_pks)._raw_delete(Relation.objects.db)
    if plan.delete_span_pks:
        Span.objects.filter(pk__in=plan.delete_span_pks)._raw_delete(Span.objects.db)
    for pk, span in plan.update_spans.items():
        Span.objects.filter(pk=pk).update(
            start=span["start"],
            end=span["end"],
            label_id=labels.spans[span["label"]].id,
            attributes=span["attributes"],
            source=span.get("source") or "",
            score=span.get("score"),
            fragments=normal_fragments(span.get("fragments")),
            chain=span.get("chain") or "",
        )
    created = Span.objects.bulk_create(_span_row(annotation, s, labels) for s in plan.create_spans)
    pks = {**plan.span_pks, **{s.client_id: s.pk for s in created}}
    Relation.objects.bulk_create(
        Relation(
            annotation=annotation,
            client_id=r["id"],
            source_id=pks[r["from"]],
            target_id=pks[r["to"]],
            label_id=labels.relations[r["label"]].id,
        )
        for r in plan.create_relations
    )


@transaction.atomic
def annotation_admin_edit(
    *, annotation: Annotation, actor: User, status: str, document_labels: Any
) -> Annotation:
    """An edit in the Django admin (status, document labels): checked like the API's, with
    the version bumped and an `admin` event in the history, like any other write."""
    labels = labelset_for(annotation.document)
    problems: dict[str, Any] = {}
    if status not in AnnotationStatus.values:
        problems["status"] = [f"must be one of {', '.join(AnnotationStatus.values)}"]
    if label_problems := document_label_errors(document_labels, labels):
        problems["document_labels"] = label_problems
    if problems:
        raise Invalid(problems)
    locked = _locked_annotation(
        document=annotation.document,
        annotator=annotation.annotator,
        expected_version=annotation.version,
    )
    data = {"status": status, "document_labels": document_labels}
    _finish_write(
        locked,
        actor=actor,
        action="admin",
        changes={},
        data=data,
        span_count=locked.span_count,
    )
    return locked


def _locked_submitted(annotation: Annotation) -> Annotation:
    locked = Annotation.objects.select_for_update().get(pk=annotation.pk)
    if locked.status != AnnotationStatus.SUBMITTED:
        raise Conflict(f"Only a submitted annotation can be reviewed; this one is {locked.status}.")
    return locked


@transaction.atomic
def annotation_review(
    *, annotation: Annotation, actor: User, state: str, note: str = ""
) -> Annotation:
    """A reviewer's verdict on a submitted annotation: `returned` puts it back to draft for
    its annotator to correct (the note says what), `accepted` leaves it submitted. Either
    bumps the version (an editor open on the old one reloads) and is one history event."""
    if state not in (ReviewState.RETURNED, ReviewState.ACCEPTED):
        raise Invalid({"state": ["must be returned or accepted"]})
    locked = _locked_submitted(annotation)
    now = timezone.now()
    changes = {"review": {"before": locked.review_state, "after": state, "note": note}}
    locked.review_state, locked.review_note = state, note
    locked.review_by, locked.review_at = actor, now
    data = {"status": AnnotationStatus.DRAFT} if state == ReviewState.RETURNED else {}
    _finish_write(
        locked,
        actor=actor,
        action="return" if state == ReviewState.RETURNED else "accept",
        changes=changes,
        data=data,
        span_count=locked.span_count,
    )
    if state == ReviewState.RETURNED:
        conversation.notice_returned(annotation=locked, actor=actor, note=note)
    return locked
