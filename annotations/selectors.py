"""Reads: querysets already shaped for their callers, with a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.contrib.auth.models import User
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from annotations.models import (
    Annotation,
    AnnotationStatus,
    Assignment,
    Document,
    Project,
    Relation,
    Span,
)

DOCUMENT_STATUSES = ["new", "in_progress", "annotated", "reviewed"]


def projects_for_user(user: User) -> QuerySet[Project]:
    """Projects the user belongs to (all for superusers), with role and own progress."""
    projects = Project.objects.all()
    if not getattr(user, "is_superuser", False):
        projects = projects.filter(memberships__user=user)
    mine = Annotation.objects.filter(
        document__project=OuterRef("pk"), annotator=user, is_gold=False
    )
    return projects.annotate(
        my_role=Subquery(
            user.memberships.filter(project=OuterRef("pk")).values("role")[:1]  # type: ignore[attr-defined]
        ),
        document_count=Subquery(
            Document.objects.filter(project=OuterRef("pk"))
            .values("project")
            .annotate(n=Count("pk"))
            .values("n")[:1],
            output_field=IntegerField(),
        ),
        my_submitted=_count(mine.filter(status=AnnotationStatus.SUBMITTED)),
        my_skipped=_count(mine.filter(status=AnnotationStatus.SKIPPED)),
    ).order_by("-created_at", "-pk")


def _count(queryset: QuerySet) -> Coalesce:
    counted = queryset.order_by().values("document__project").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted[:1], output_field=IntegerField()), 0)


def documents_for_project(project: Project, user: User) -> QuerySet[Document]:
    """The project's documents with derived status and the caller's own status; no text."""
    others = Annotation.objects.filter(document=OuterRef("pk"), is_gold=False)
    submitted = (
        others.filter(status=AnnotationStatus.SUBMITTED)
        .order_by()
        .values("document")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    mine = others.filter(annotator=user).values("status")[:1]
    return (
        project.documents.defer("text")
        .annotate(
            submitted_count=Coalesce(Subquery(submitted, output_field=IntegerField()), 0),
            has_gold=Exists(Annotation.objects.filter(document=OuterRef("pk"), is_gold=True)),
            has_work=Exists(others) | Exists(Assignment.objects.filter(document=OuterRef("pk"))),
            my_status=Subquery(mine, output_field=CharField()),
        )
        .annotate(
            status=Case(
                When(has_gold=True, then=Value("reviewed")),
                When(
                    submitted_count__gte=Value(project.annotators_per_document),
                    then=Value("annotated"),
                ),
                When(has_work=True, then=Value("in_progress")),
                default=Value("new"),
                output_field=CharField(),
            )
        )
        .order_by("pk")
    )


def annotation_content(annotation: Annotation | None) -> dict[str, Any]:
    """An annotation as the API shows it; reading it takes two flat queries."""
    if annotation is None:
        return {
            "status": "draft",
            "version": 0,
            "spans": [],
            "relations": [],
            "document_labels": {},
        }
    # A service that has just written the content leaves it on the instance.
    content = getattr(annotation, "content", None) or annotation_contents(annotation)
    return {
        "status": annotation.status,
        "version": annotation.version,
        "document_labels": annotation.document_labels,
        **content,
    }


def _contents(annotation_ids: list[int]) -> dict[int, dict[str, list]]:
    """Spans and relations of several annotations in two queries.

    Relations are read without joining spans: their ends are named from the
    spans just read. (Joining the span table twice made PostgreSQL spend
    milliseconds planning when an annotation was rewritten often.)
    """
    result: dict[int, dict[str, list]] = defaultdict(lambda: {"spans": [], "relations": []})
    client_ids: dict[int, str] = {}
    spans = (
        Span.objects.filter(annotation_id__in=annotation_ids)
        .order_by("start", "end", "pk")
        .values_list(
            "pk", "annotation_id", "client_id", "start", "end", "label__name", "attributes"
        )
    )
    for pk, annotation_id, client_id, start, end, label, attributes in spans:
        client_ids[pk] = client_id
        result[annotation_id]["spans"].append(
            {"id": client_id, "start": start, "end": end, "label": label, "attributes": attributes}
        )
    relations = (
        Relation.objects.filter(annotation_id__in=annotation_ids)
        .order_by("pk")
        .values_list("annotation_id", "client_id", "source_id", "target_id", "label__name")
    )
    for annotation_id, client_id, source, target, label in relations:
        result[annotation_id]["relations"].append(
            {"id": client_id, "from": client_ids[source], "to": client_ids[target], "label": label}
        )
    return result


def annotation_contents(annotation: Annotation) -> dict[str, list]:
    """The spans and relations of one annotation, as the API shows them."""
    return _contents([annotation.pk])[annotation.pk]


def annotation_of(document: Document, annotator: User | None) -> Annotation | None:
    rows = Annotation.objects.filter(document=document)
    rows = rows.filter(is_gold=True) if annotator is None else rows.filter(annotator=annotator)
    return rows.first()


def annotations_of_document(document: Document, *, include_gold: bool = False) -> list[dict]:
    """Every annotator's annotation on a document, in three queries."""
    rows = Annotation.objects.filter(document=document).select_related("annotator")
    if not include_gold:
        rows = rows.filter(is_gold=False)
    annotations = list(rows.order_by("is_gold", "annotator__username"))
    contents = _contents([a.pk for a in annotations])
    return [
        {
            "annotator": a.annotator.username if a.annotator else None,
            "is_gold": a.is_gold,
            "status": a.status,
            "version": a.version,
            "updated_at": a.updated_at,
            "document_labels": a.document_labels,
            **contents[a.pk],
        }
        for a in annotations
    ]
