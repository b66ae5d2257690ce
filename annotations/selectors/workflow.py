"""The team's work: each annotator's progress, and the project's assignments."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import Count, OuterRef, QuerySet, Subquery

from annotations.models import Annotation, AnnotationStatus, Assignment, Project, Role


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
