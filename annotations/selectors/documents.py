"""The documents table: a project's documents with their derived state, filtered, sorted and
paged on indexed columns (the state is kept by `services.work_state`, DECISIONS.md 18).

A page costs the same few queries at 100 or 100,000 documents: the count, the page (each row's
own status by one correlated subquery on the annotation's unique index) and, for reviewers,
who worked on the page's documents (`work_on`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date, datetime, time, timedelta
from typing import Any

from django.contrib.auth.models import User
from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.utils import timezone

from annotations.models import (
    Annotation,
    AnnotationStatus,
    Assignment,
    Document,
    DocumentLabelCount,
    DocumentState,
    Project,
)
from annotations.selectors.review import pseudonyms

# The `status` the list has always answered (a coarser view of `state`).
LEGACY_STATUSES = ["new", "in_progress", "annotated", "reviewed"]
# Where one annotator stands on a document (`services.work_state.pair_state`) and "assigned".
ANNOTATOR_STATUSES = ["assigned", "in_progress", "submitted", "skipped"]
SORTS = [
    "id",
    "title",
    "external_id",
    "length",
    "created_at",
    "state",
    "submitted_count",
    "agreement",
    "last_submitted_at",
]
SEARCH_CONFIG = "simple"  # no stemming: Indonesian and English alike
FINAL = (DocumentState.GOLD, DocumentState.REVIEWED)


def _search_vector() -> Any:
    from django.contrib.postgres.search import SearchVector

    return SearchVector("title", "text", config=SEARCH_CONFIG)


def search_index() -> Any:
    """The GIN expression index migration 0006 created; 0014 replaced it with a stored
    `search` column and its own index (the search no longer recomputes the vector)."""
    from django.contrib.postgres.indexes import GinIndex

    return GinIndex(_search_vector(), name="document_search")


# Hidden gold checks look to annotators like any document someone has worked on: in
# progress, or annotated once one of them has submitted it (never gold nor reviewed).
CHECK = Q(check_since__isnull=False)


def masked_state(state: str, submitted_count: int) -> str:
    """A check document's state as an annotator reads it."""
    return DocumentState.ANNOTATED if submitted_count else DocumentState.IN_PROGRESS


def documents_table(
    project: Project, viewer: User, *, masks_checks: bool = False
) -> QuerySet[Document]:
    """The project's documents without their text, with the viewer's own status and the
    legacy `status`, in id order. `masks_checks` (annotators): a hidden gold check's
    status is what it would be without its gold."""
    mine = Annotation.objects.filter(
        document=OuterRef("pk"), annotator=viewer, is_gold=False
    ).values("status")[:1]
    n = project.annotators_per_document
    masked = (
        [
            When(CHECK & Q(submitted_count__gte=n), then=Value("annotated")),
            When(CHECK, then=Value("in_progress")),
        ]
        if masks_checks
        else []
    )
    return (
        project.documents.defer("text", "meta")
        .annotate(
            my_status=Subquery(mine, output_field=CharField()),
            status=Case(
                *masked,
                When(state__in=FINAL, then=Value("reviewed")),
                When(
                    submitted_count__gte=project.annotators_per_document,
                    then=Value("annotated"),
                ),
                When(state=DocumentState.NEW, then=Value("new")),
                default=Value("in_progress"),
                output_field=CharField(),
            ),
        )
        .order_by("pk")
    )


def table_page(documents: QuerySet[Document], ids: list[int]) -> list[Document]:
    """The rows of a page whose ids were picked (in that order), from the table's queryset
    with its per-row columns: the page is chosen on ids alone, so a deep page skips index
    entries, not rows with their per-row columns."""
    rows = {row.pk: row for row in documents.filter(pk__in=ids)}
    return [rows[pk] for pk in ids if pk in rows]


# --- filters (each returns a condition on the documents; the filter set combines them) ---


def legacy_status(project: Project, status: str, *, masks_checks: bool = False) -> Q:
    """`status` as the list has always answered it, on the stored columns (for annotators,
    `masks_checks`, as `documents_table` masks hidden gold checks)."""
    n = project.annotators_per_document
    if status == "new":
        return Q(state=DocumentState.NEW)
    if status == "reviewed":
        found = Q(state__in=FINAL)
        return found & ~CHECK if masks_checks else found
    if status == "annotated":
        found = ~Q(state__in=FINAL) & Q(submitted_count__gte=n)
        return found | (CHECK & Q(submitted_count__gte=n)) if masks_checks else found
    found = ~Q(state__in=(DocumentState.NEW, *FINAL)) & Q(submitted_count__lt=n)
    return found | (CHECK & Q(submitted_count__lt=n)) if masks_checks else found


def state_in(states: list[str], *, masks_checks: bool = False) -> Q:
    """Documents in any of these states (for annotators, `masks_checks`, a hidden gold
    check by its `masked_state`)."""
    if not masks_checks:
        return Q(state__in=states)
    found = Q(state__in=states) & ~CHECK
    if DocumentState.ANNOTATED in states:
        found |= CHECK & Q(submitted_count__gt=0)
    if DocumentState.IN_PROGRESS in states:
        found |= CHECK & Q(submitted_count=0)
    return found


# The conditions below are `id IN (subquery)` rather than a correlated EXISTS: PostgreSQL
# reads the annotator's (or the label's) rows once, by their index, into a hash, instead of
# probing per document (0.5 s against 20 ms for a count over 100,000 documents).


def annotator_status(project: Project, annotator: User, status: str | None) -> Q:
    """Documents the annotator has worked on or been given, narrowed by where they stand."""
    theirs = Annotation.objects.filter(project=project, annotator=annotator, is_gold=False)
    assigned = Q(pk__in=Assignment.objects.filter(annotator=annotator).values("document_id"))
    if status == "assigned":
        return assigned
    if status in (AnnotationStatus.SUBMITTED, AnnotationStatus.SKIPPED):
        return Q(pk__in=theirs.filter(status=status).values("document_id"))
    if status == "in_progress":
        drafts = theirs.filter(status=AnnotationStatus.DRAFT).values("document_id")
        return Q(pk__in=drafts) | (assigned & ~Q(pk__in=theirs.values("document_id")))
    return Q(pk__in=theirs.values("document_id")) | assigned


def with_labels(label_ids: Iterable[int]) -> Q:
    """Documents where a submitted annotation has a span of one of these labels."""
    counts = DocumentLabelCount.objects.filter(label_id__in=label_ids).values("document_id")
    return Q(pk__in=counts)


def day_range(after: date | None, before: date | None) -> tuple[datetime | None, datetime | None]:
    """Inclusive dates as [start, end) instants in the server's time zone."""
    zone = timezone.get_current_timezone()
    start = datetime.combine(after, time.min, zone) if after else None
    end = datetime.combine(before + timedelta(days=1), time.min, zone) if before else None
    return start, end


def submitted_between(
    project: Project, after: date | None, before: date | None, annotator: User | None = None
) -> Q:
    """Documents with a submission (the annotator's, if named) on those days."""
    start, end = day_range(after, before)
    submissions = Annotation.objects.filter(
        project=project, is_gold=False, status=AnnotationStatus.SUBMITTED
    )
    if annotator is not None:
        submissions = submissions.filter(annotator=annotator)
    if start:
        submissions = submissions.filter(submitted_at__gte=start)
    if end:
        submissions = submissions.filter(submitted_at__lt=end)
    return Q(pk__in=submissions.values("document_id"))


def last_submitted_between(after: date | None, before: date | None) -> Q:
    start, end = day_range(after, before)
    condition = Q()
    if start:
        condition &= Q(last_submitted_at__gte=start)
    if end:
        condition &= Q(last_submitted_at__lt=end)
    return condition


def text_search(documents: QuerySet[Document], query: str) -> QuerySet[Document]:
    """Words in the title or text: PostgreSQL full-text search on the GIN index (`websearch`
    syntax: quotes, OR, -word); elsewhere a LIKE over title and text. An exact external id
    matches too."""
    query = query.strip()
    if not query:
        return documents
    if connection.vendor == "postgresql":
        # `search` is a stored column PostgreSQL computes from title and text (migration
        # 0014, GIN-indexed); Django's model does not know it, so it is named here.
        words = RawSQL(
            "annotations_document.search @@ websearch_to_tsquery(%s::regconfig, %s)",
            (SEARCH_CONFIG, query),
            output_field=BooleanField(),
        )
        return documents.filter(Q(words) | Q(external_id=query))
    return documents.filter(
        Q(title__icontains=query) | Q(text__icontains=query) | Q(external_id=query)
    )


# --- who worked on a page of documents -----------------------------------------------------


def work_on(project: Project, document_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """Per document, each annotator's standing on it (`{"annotator", "status"}`, status
    one of draft, submitted, skipped, assigned), by name. With `anonymize_review`, names
    are the pseudonyms the document's review shows (numbered over those with an
    annotation, as the review numbers them; assignees with none yet are left out).
    Two queries."""
    standing: dict[int, dict[str, str]] = defaultdict(dict)
    for document_id, username in Assignment.objects.filter(
        document_id__in=document_ids
    ).values_list("document_id", "annotator__username"):
        standing[document_id][username] = "assigned"
    for document_id, username, status in Annotation.objects.filter(
        document_id__in=document_ids, is_gold=False
    ).values_list("document_id", "annotator__username", "status"):
        standing[document_id][username] = status
    return {pk: _named(project, pk, standing.get(pk, {})) for pk in document_ids}


def _named(project: Project, pk: int, standing: Mapping[str, str]) -> list[dict[str, Any]]:
    if project.anonymize_review:
        standing = {user: status for user, status in standing.items() if status != "assigned"}
        names = pseudonyms(f"review:{pk}", standing)
    else:
        names = {user: user for user in standing}
    return sorted(
        ({"annotator": names[user], "status": status} for user, status in standing.items()),
        key=lambda row: row["annotator"],
    )
