"""A document's review (every version, the merge proposal, gold, agreement) and its history.

Loads the rows into the plain dicts `merging` and `agreement` take, with a fixed number of
flat queries (no per-annotator query), grouped in Python.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.utils.crypto import salted_hmac

from annotations import agreement, merging
from annotations.models import Annotation, AnnotationEvent, AnnotationStatus, Document, Project
from annotations.selectors.annotations import annotations_of_document

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
    keys = ("status", "version", "updated_at", "spans", "relations", "document_labels", "review")
    return {key: annotation[key] for key in keys}


def document_review(*, project: Project, document: Document) -> dict[str, Any]:
    """Every annotator's version, the merge proposal, the gold and the agreement figures.

    Only submitted annotations vote in the proposal and count for agreement;
    drafts are shown so the reviewer knows who is still working.
    Queries: annotations with annotators, labels, spans, relations.
    """
    rows = annotations_of_document(document, include_gold=True)
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


# --- History ---------------------------------------------------------------------------


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
