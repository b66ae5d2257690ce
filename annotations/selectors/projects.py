"""Projects and documents, with the counts and statuses their lists show."""

from __future__ import annotations

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


def document_is_annotated(document: Document) -> bool:
    """Whether any annotation of the document has a span: its text's offsets are in use."""
    return document.annotations.filter(spans__isnull=False).exists()
