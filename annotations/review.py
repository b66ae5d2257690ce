"""Reads for the team workflow: review, agreement, history, progress, assignments.

Review and agreement load the ORM into the plain dicts `merging` and
`agreement` take. Every function reads with a fixed number of flat queries
(no per-document or per-annotator query), grouped in Python.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import User
from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.utils.crypto import salted_hmac

from annotations import agreement, merging, selectors
from annotations.models import (
    Annotation,
    AnnotationEvent,
    AnnotationStatus,
    Assignment,
    Document,
    LabelKind,
    Project,
    Relation,
    Role,
    Span,
)

SUBMITTED = AnnotationStatus.SUBMITTED


def pseudonyms(scope: str, usernames: Iterable[str]) -> dict[str, str]:
    """username -> "Annotator k", numbered in an order keyed by SECRET_KEY.

    Alphabetical numbering would give the names away (alice is Annotator 1);
    a keyed hash is stable for one scope (a document, a project) and unguessable.
    """
    order = sorted(set(usernames), key=lambda u: salted_hmac(scope, u).hexdigest())
    return {name: f"Annotator {k}" for k, name in enumerate(order, start=1)}


# --- Review of one document -------------------------------------------------------------


def _content(annotation: dict[str, Any]) -> dict[str, Any]:
    keys = ("status", "version", "updated_at", "spans", "relations", "document_labels")
    return {key: annotation[key] for key in keys}


def document_review(*, project: Project, document: Document) -> dict[str, Any]:
    """Every annotator's version, the merge proposal, the gold and the agreement figures.

    Only submitted annotations vote in the proposal and count for agreement;
    drafts are shown so the reviewer knows who is still working.
    Queries: annotations with annotators, spans, relations.
    """
    rows = selectors.annotations_of_document(document, include_gold=True)
    gold = next((row for row in rows if row["is_gold"]), None)
    work = [row for row in rows if not row["is_gold"]]
    names = {row["annotator"]: row["annotator"] for row in work}
    if project.anonymize_review:
        names = pseudonyms(f"review:{document.pk}", names)
    work.sort(key=lambda row: names[row["annotator"]])
    submitted = {names[row["annotator"]]: row for row in work if row["status"] == SUBMITTED}
    proposal = merging.propose_gold(submitted, project.merge_threshold)
    summary = agreement.agreement_summary(
        [{"id": document.pk, "length": document.length, "annotations": submitted}]
    )
    figures = summary.pop("per_document")
    summary["document"] = figures[0] if figures else None
    return {
        "document": {
            "id": document.pk,
            "title": document.title,
            "external_id": document.external_id,
            "text": document.text,
            "length": document.length,
            "meta": document.meta,
        },
        "annotators_per_document": project.annotators_per_document,
        "merge_threshold": project.merge_threshold,
        "anonymized": project.anonymize_review,
        "annotations": [{"annotator": names[row["annotator"]], **_content(row)} for row in work],
        "submitted": len(submitted),
        "proposal": proposal.as_dict(),
        "gold": _content(gold) if gold else None,
        "agreement": summary,
    }


# --- Project agreement ------------------------------------------------------------------


# Spans and relations are read by annotation id, in batches this size (well under
# SQLite's 32,766 bound variables): an index lookup per id, whatever the planner's
# statistics say. The join through document to project, planned on statistics
# older than a bulk import, went nested-loop and took 15 s for 2,000 documents.
_ID_BATCH = 10_000


def _batches(ids: list[int]) -> Iterable[list[int]]:
    for at in range(0, len(ids), _ID_BATCH):
        yield ids[at : at + _ID_BATCH]


def agreement_documents(
    project: Project, names: dict[str, str] | None = None
) -> tuple[list[agreement.DocumentAnnotations], dict[int, str], dict[str, Any]]:
    """Submitted annotations as `agreement` documents, their titles, and label arguments.

    Four flat queries (labels, annotations, spans, relations) up to 10,000
    submitted annotations, then one span and one relation query per 10,000 more;
    span ids are their primary keys (as strings, like the ids `agreement` compares)
    so relations need no join to find their ends.
    """
    labels = list(project.labels.values_list("pk", "kind", "name", "group"))
    label_name = {pk: name for pk, _, name, _ in labels}
    annotations = (
        Annotation.objects.filter(document__project=project, is_gold=False, status=SUBMITTED)
        .order_by("document_id", "pk")
        .values_list(
            "pk",
            "document_id",
            "annotator__username",
            "document_labels",
            "document__length",
            "document__title",
        )
    )
    contents: dict[int, dict[str, Any]] = {}
    documents: dict[int, agreement.DocumentAnnotations] = {}
    titles: dict[int, str] = {}
    for pk, document_id, username, document_labels, length, title in annotations:
        titles[document_id] = title
        content = {"spans": [], "relations": [], "document_labels": document_labels}
        contents[pk] = content
        document = documents.setdefault(
            document_id, {"id": document_id, "length": length, "annotations": {}}
        )
        name = names.get(username, username) if names else username
        document["annotations"][name] = content  # type: ignore[index]
    for ids in _batches(list(contents)):
        spans = Span.objects.filter(annotation_id__in=ids).values_list(
            "annotation_id", "pk", "start", "end", "label_id"
        )
        for annotation_id, pk, start, end, label_id in spans.iterator(chunk_size=10_000):
            contents[annotation_id]["spans"].append(
                {"id": str(pk), "start": start, "end": end, "label": label_name[label_id]}
            )
        relations = Relation.objects.filter(annotation_id__in=ids).values_list(
            "annotation_id", "source_id", "target_id", "label_id"
        )
        for annotation_id, source, target, label_id in relations.iterator(chunk_size=10_000):
            contents[annotation_id]["relations"].append(
                {"from": str(source), "to": str(target), "label": label_name[label_id]}
            )
    groups: dict[str, list[str]] = defaultdict(list)
    for _, kind, name, group in labels:
        if kind == LabelKind.DOCUMENT:
            groups[group].append(name)
    label_arguments = {
        "span_labels": [name for _, kind, name, _ in labels if kind == LabelKind.SPAN],
        "relation_labels": [name for _, kind, name, _ in labels if kind == LabelKind.RELATION],
        "document_groups": dict(groups),
    }
    return list(documents.values()), titles, label_arguments


def _by_agreement(row: dict[str, Any]) -> tuple[bool, float, int]:
    """Least agreement first; documents with no figure (one annotator) last."""
    value = row["span_f1_overlap"]
    return value is None, value if value is not None else 0.0, row["id"]


def project_agreement(*, project: Project, order: str = "id") -> dict[str, Any]:
    """`agreement.agreement_summary` over every submitted annotation of the project.

    `order="agreement"` lists the documents least agreed on first (by mean
    pairwise overlap span F1), which is where a reviewer should start.
    """
    names = None
    if project.anonymize_review:
        usernames = Annotation.objects.filter(
            document__project=project, is_gold=False, status=SUBMITTED
        ).values_list("annotator__username", flat=True)
        names = pseudonyms(f"agreement:{project.pk}", usernames.distinct())
    documents, titles, label_arguments = agreement_documents(project, names)
    summary = agreement.agreement_summary(documents, **label_arguments)
    for row in summary["per_document"]:
        row["title"] = titles.get(row["id"], "")
    if order == "agreement":
        summary["per_document"].sort(key=_by_agreement)
    summary["anonymized"] = project.anonymize_review
    return summary


# --- History, progress, assignments -----------------------------------------------------


def document_history(
    *, document: Document, viewer: User, sees_all: bool
) -> QuerySet[AnnotationEvent]:
    """A document's annotation events, newest first; only the viewer's own unless `sees_all`."""
    events = (
        AnnotationEvent.objects.filter(annotation__document=document)
        .select_related("annotation__annotator", "actor")
        .order_by("-created_at", "-pk")
    )
    if not sees_all:
        events = events.filter(annotation__annotator=viewer, annotation__is_gold=False)
    return events


def history_names(project: Project, document: Document, sees_all: bool) -> dict[str, str]:
    """The pseudonyms a history listing shows, matching the review's (empty if not anonymized)."""
    if not (project.anonymize_review and sees_all):
        return {}
    usernames = Annotation.objects.filter(document=document, is_gold=False).values_list(
        "annotator__username", flat=True
    )
    return pseudonyms(f"review:{document.pk}", usernames)


def annotator_progress(project: Project) -> list[dict[str, Any]]:
    """Per annotator: documents assigned, and their annotations by status.

    Annotators are listed even with no work yet; other members only once they
    have some. Three grouped queries: members, assignment counts, annotation counts.
    """
    members = list(project.memberships.values_list("user_id", "user__username", "role"))
    assigned = dict(
        Assignment.objects.filter(document__project=project)
        .order_by()
        .values("annotator_id")
        .annotate(n=Count("pk"))
        .values_list("annotator_id", "n")
    )
    by_status: dict[int, dict[str, int]] = defaultdict(dict)
    counts = (
        Annotation.objects.filter(document__project=project, is_gold=False)
        .order_by()
        .values("annotator_id", "status")
        .annotate(n=Count("pk"))
        .values_list("annotator_id", "status", "n")
    )
    for user_id, status, n in counts:
        by_status[user_id][status] = n
    rows = []
    for user_id, username, role in sorted(members, key=lambda m: m[1]):
        if role != Role.ANNOTATOR and user_id not in assigned and user_id not in by_status:
            continue
        statuses = by_status.get(user_id, {})
        rows.append(
            {
                "annotator": username,
                "role": role,
                "assigned": assigned.get(user_id, 0),
                **{status: statuses.get(status, 0) for status in AnnotationStatus.values},
            }
        )
    return rows


def assignments_for_project(
    project: Project, *, annotator: str | None = None, document: int | None = None
) -> QuerySet[Assignment]:
    """The project's assignments with the assignee's annotation status, oldest first."""
    status = Annotation.objects.filter(
        document=OuterRef("document"), annotator=OuterRef("annotator"), is_gold=False
    ).values("status")[:1]
    rows = (
        Assignment.objects.filter(document__project=project)
        .select_related("annotator", "assigned_by", "document")
        .defer("document__text", "document__meta")
        .annotate(status=Subquery(status))
        .order_by("pk")
    )
    if annotator:
        rows = rows.filter(annotator__username=annotator)
    if document:
        rows = rows.filter(document_id=document)
    return rows
