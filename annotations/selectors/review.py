"""A document's review (every version, the merge proposal, gold, agreement) and its history.

Loads the rows into the plain dicts `merging` and `agreement` take, with a fixed number of
flat queries (no per-annotator query), grouped in Python.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import User
from django.db.models import Q, QuerySet
from django.utils.crypto import salted_hmac

from annotations import agreement, merging
from annotations.models import Annotation, AnnotationEvent, AnnotationStatus, Document, Project
from annotations.selectors.annotations import annotations_of_document, contents_of, label_names

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
    keys = (
        "status",
        "version",
        "updated_at",
        "spans",
        "relations",
        "chains",
        "document_labels",
        "review",
    )
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
    # Work on a hidden gold check never enters gold: the check proposes nothing to merge
    # (its versions are still shown, to see how each annotator did).
    voters = {} if document.check_since is not None else submitted
    proposal = merging.propose_gold(voters, project.merge_threshold, document.text)
    summary = agreement.agreement_summary(
        [
            {
                "id": document.pk,
                "length": document.length,
                "text": document.text,
                "annotations": submitted,
            }
        ]
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
            "is_check": document.check_since is not None,
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


# --- What changed for me: my submitted spans against gold --------------------------------


def compare_to_gold(mine: list[dict[str, Any]], gold: list[dict[str, Any]]) -> dict[str, Any]:
    """Each of my spans against the gold version: `match` (same extent and label), `label`
    (same extent, another label: `gold_label`), `extent` (overlaps a gold span of the same
    label: `gold_start`, `gold_end`), or `extra` (none of these). Of gold's spans only
    those that explain one of mine are named; the others are counted (`missed`)."""
    exact = {(g["start"], g["end"], g["label"]) for g in gold}
    by_extent = {(g["start"], g["end"]): g for g in gold}
    explained: set[tuple[int, int, str]] = set()
    rows = []
    for span in mine:
        key = (span["start"], span["end"], span["label"])
        row = {k: span[k] for k in ("id", "start", "end", "label")}
        if key in exact:
            row["verdict"] = "match"
            explained.add(key)
        elif (span["start"], span["end"]) in by_extent:
            other = by_extent[span["start"], span["end"]]
            row |= {"verdict": "label", "gold_label": other["label"]}
            explained.add((other["start"], other["end"], other["label"]))
        else:
            near = next(
                (
                    g
                    for g in gold
                    if g["label"] == span["label"]
                    and g["start"] < span["end"]
                    and span["start"] < g["end"]
                ),
                None,
            )
            if near is None:
                row["verdict"] = "extra"
            else:
                row |= {"verdict": "extent", "gold_start": near["start"], "gold_end": near["end"]}
                explained.add((near["start"], near["end"], near["label"]))
        rows.append(row)
    return {"spans": rows, "missed": len(exact - explained)}


NOTHING_COMPARED: dict[str, Any] = {"gold_version": None, "spans": [], "missed": 0}


def my_comparison(document: Document, annotator: User) -> dict[str, Any]:
    """The annotator's submitted spans against the document's gold (`compare_to_gold`);
    `gold_version` None (and nothing compared) without gold or a submitted version. Four
    queries: both annotations, labels, spans, relations."""
    rows = {
        (a.is_gold): a
        for a in Annotation.objects.filter(document=document).filter(
            Q(is_gold=True) | Q(annotator=annotator, is_gold=False, status=SUBMITTED)
        )
    }
    gold, mine = rows.get(True), rows.get(False)
    if gold is None or mine is None:
        return dict(NOTHING_COMPARED)
    contents = contents_of([gold.pk, mine.pk], label_names(document.project_id))
    compared = compare_to_gold(contents[mine.pk].spans, contents[gold.pk].spans)
    return {"gold_version": gold.version, **compared}


def annotator_history(*, project: Project, person: User) -> QuerySet[AnnotationEvent]:
    """A person's work in a project, newest first: events of their annotations and of gold
    versions they edited, with the document, owner and actor joined (one query a page)."""
    return (
        AnnotationEvent.objects.filter(annotation__project=project)
        .filter(
            Q(annotation__annotator=person, annotation__is_gold=False)
            | Q(annotation__is_gold=True, actor=person)
        )
        .select_related("annotation__annotator", "annotation__document", "actor")
        .defer("annotation__document__text")
        .order_by("-created_at", "-pk")
    )
