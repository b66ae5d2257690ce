"""Projects, with the caller's role and own progress."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db.models import (
    Count,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce

from annotations.models import (
    Annotation,
    AnnotationStatus,
    Document,
    Project,
)


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


def document_is_annotated(document: Document) -> bool:
    """Whether any annotation of the document has a span: its text's offsets are in use."""
    return document.annotations.filter(spans__isnull=False).exists()
