"""Team workflow writes: the annotation queue and explicit assignments.

Invariant: the queue never gives a document to more than
`project.annotators_per_document` annotators (assignments whose annotator
skipped the document do not count: someone else should do it). Admins may
assign explicitly beyond that; it is their call.
"""

from __future__ import annotations

import math

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from annotations.errors import Conflict, Invalid
from annotations.models import (
    Annotation,
    AnnotationStatus,
    AnnotatorTally,
    Assignment,
    Document,
    DocumentState,
    FlagReason,
    Membership,
    Project,
    ReviewState,
)
from annotations.services import work_state

DONE = (AnnotationStatus.SUBMITTED, AnnotationStatus.SKIPPED)
# Documents someone has started (the stored work state, `services.work_state`): the queue
# completes their overlap before it hands out new ones.
STARTED = (DocumentState.IN_PROGRESS, DocumentState.ANNOTATED, DocumentState.DISPUTED)


def _skipped_by_assignee() -> Exists:
    return Exists(
        Annotation.objects.filter(
            document=OuterRef("document"),
            annotator=OuterRef("annotator"),
            is_gold=False,
            status=AnnotationStatus.SKIPPED,
        )
    )


def active_assignments() -> QuerySet[Assignment]:
    """Assignments that count towards a document's overlap (the assignee did not skip)."""
    return Assignment.objects.filter(~_skipped_by_assignee())


def _open_assignment(project: Project, annotator: User) -> Assignment | None:
    """The caller's assignment they have neither submitted nor skipped, oldest first."""
    finished = Annotation.objects.filter(
        document=OuterRef("document"), annotator=annotator, is_gold=False, status__in=DONE
    )
    return (
        Assignment.objects.filter(document__project=project, annotator=annotator)
        .filter(~Exists(finished))
        .exclude(document__flag__reason=FlagReason.BROKEN_TEXT)
        .select_related("document")
        .order_by("created_at", "pk")
        .first()
    )


def _returned(project: Project, annotator: User) -> Document | None:
    """The caller's work a reviewer sent back for correction, longest waiting first."""
    annotation = (
        Annotation.objects.filter(
            project=project,
            annotator=annotator,
            is_gold=False,
            review_state=ReviewState.RETURNED,
            status=AnnotationStatus.DRAFT,
        )
        .select_related("document")
        .order_by("review_at", "pk")
        .first()
    )
    return annotation.document if annotation is not None else None


def _open_to(documents: QuerySet[Document], project: Project, annotator: User):
    """Those of `documents` with a place left (active assignments below the overlap) that
    the caller has neither been given nor touched, with no gold and not flagged as broken
    text."""
    counted = (
        active_assignments()
        .filter(document=OuterRef("pk"))
        .order_by()
        .values("document")
        .annotate(n=Count("pk"))
        .values("n")
    )
    touched = Q(annotator=annotator) | Q(is_gold=True)  # gold: already adjudicated
    return (
        documents.annotate(assigned=Coalesce(Subquery(counted[:1], output_field=IntegerField()), 0))
        .filter(assigned__lt=project.annotators_per_document)
        .exclude(Exists(Assignment.objects.filter(document=OuterRef("pk"), annotator=annotator)))
        .exclude(Exists(Annotation.objects.filter(touched, document=OuterRef("pk"))))
        .exclude(flag__reason=FlagReason.BROKEN_TEXT)
    )


def _candidates(project: Project, annotator: User) -> list[QuerySet[Document]]:
    """Where to look, in order: started documents with places left (so overlap completes
    before new work starts), then new ones; lowest id first in each.

    The stored work state narrows the search so a request reads a handful of rows, not
    every document with three subqueries each: new documents come straight off the
    (project, state, id) index, and started ones that already have their overlap of
    submitted versions are passed over. The state only says where to look; whether a
    document may be given is decided again under its lock from the rows (`_still_open`).
    """
    overlap = project.annotators_per_document
    started = project.documents.filter(state__in=STARTED, submitted_count__lt=overlap)
    new = project.documents.filter(state=DocumentState.NEW)
    return [_open_to(tier, project, annotator).order_by("pk") for tier in (started, new)]


def _still_open(document: Document, project: Project, annotator: User) -> bool:
    """Re-check under the row lock: a fresh statement sees every committed assignment."""
    return _open_to(Document.objects.filter(pk=document.pk), project, annotator).exists()


def _lock_one(tiers: list[QuerySet[Document]], passed: list[int]) -> Document | None:
    """Lock the first candidate nobody holds; if others hold them all, wait for the first.

    Waiting (rather than answering "empty") matters when the last places are
    being looked at by callers who may find them full and let go.
    """
    tiers = [tier.exclude(pk__in=passed) for tier in tiers]
    for tier in tiers:
        free = tier.select_for_update(skip_locked=True, of=("self",)).first()
        if free is not None:
            return free
    for tier in tiers:
        held = tier.select_for_update(of=("self",)).first()
        if held is not None:
            return held
    return None


class _Full(Exception):
    """The locked candidate filled up after our snapshot: pass it over."""


@transaction.atomic
def queue_next(*, project: Project, annotator: User) -> Document | None:
    """The caller's next document: their work returned for correction, else their open
    assignment, else a newly assigned one (never a document flagged as broken text).

    Concurrency: the caller's user row is locked first, so two tabs of one
    annotator cannot each take a document. A candidate document is then locked
    (SKIP LOCKED, so concurrent callers take different ones instead of
    queueing) and its overlap re-counted under the lock, because the candidate
    query's snapshot may predate an assignment committed since. Each attempt
    runs in a savepoint whose rollback releases a full document's lock, so a
    caller waits while holding no document, and waiters cannot deadlock. A
    filled candidate is passed over and the next one tried, as often as it
    takes (a fixed number of tries answered 204 with documents left). On
    SQLite `select_for_update` is a no-op and the IMMEDIATE transaction (see
    settings) serialises the whole function instead.
    """
    get_user_model().objects.select_for_update().filter(pk=annotator.pk).first()
    returned = _returned(project, annotator)
    if returned is not None:
        return returned
    current = _open_assignment(project, annotator)
    if current is not None:
        return current.document
    if project.check_rate > 0 and _check_turn(project, annotator):
        check = _open_check(project, annotator)
        if check is not None:
            return _hand_out_check(project, annotator, check)
    passed: list[int] = []
    while True:  # each pass passes one document over: at most one per document
        try:
            with transaction.atomic():
                document = _lock_one(_candidates(project, annotator), passed)
                if document is None:
                    return None
                if not _still_open(document, project, annotator):
                    raise _Full(document.pk)
                Assignment.objects.create(document=document, annotator=annotator)
                # The caller had not touched it (`_still_open`): nothing to read to know
                # what moves.
                work_state.pairs_move(
                    project.pk, [work_state.PairMove(annotator.pk, None, "in_progress", 1)]
                )
                work_state.document_started(document.pk)
                return document
        except _Full as full:
            passed.append(full.args[0])


# --- hidden gold checks (issue 12, `services.checks`) --------------------------------------


def check_interval(rate: float) -> int:
    """Every how many hand-outs one is a check: ceil(1/rate) (1: every one)."""
    return max(1, math.ceil(1 / rate - 1e-9))


def _check_turn(project: Project, annotator: User) -> bool:
    """Whether the caller's next document is a check's turn: the n-th document they are
    given (their assignments in the project, as their tally counts them, plus one) is one
    when n is a multiple of the interval. Counting hand-outs rather than requests keeps
    repeated asks for the same open document from moving the turn."""
    given = (
        AnnotatorTally.objects.filter(project=project, annotator=annotator)
        .values_list("assigned", flat=True)
        .first()
    )
    return ((given or 0) + 1) % check_interval(project.check_rate) == 0


def _open_check(project: Project, annotator: User) -> Document | None:
    """The first check document (by id) with gold that the caller was never given and
    never worked on, not flagged as broken text. No overlap applies: every annotator is to
    do every check. The caller's user row is locked, so nobody else can give it to them
    meanwhile."""
    return (
        project.documents.filter(check_since__isnull=False)
        .filter(Exists(Annotation.objects.filter(document=OuterRef("pk"), is_gold=True)))
        .exclude(Exists(Assignment.objects.filter(document=OuterRef("pk"), annotator=annotator)))
        .exclude(
            Exists(
                Annotation.objects.filter(
                    document=OuterRef("pk"), annotator=annotator, is_gold=False
                )
            )
        )
        .exclude(flag__reason=FlagReason.BROKEN_TEXT)
        .order_by("pk")
        .first()
    )


def _hand_out_check(project: Project, annotator: User, check: Document) -> Document:
    """Assign a check as the queue assigns any document (the same rows and tallies), so
    nothing the annotator can read tells it apart. Its state needs no move: it has gold."""
    Assignment.objects.create(document=check, annotator=annotator)
    work_state.pairs_move(project.pk, [work_state.PairMove(annotator.pk, None, "in_progress", 1)])
    return check


def _member(project: Project, username: str) -> User:
    membership = (
        Membership.objects.filter(project=project, user__username=username)
        .select_related("user")
        .first()
    )
    if membership is None:
        raise Invalid({"annotator": [f"{username!r} is not a member of this project"]})
    return membership.user


def _project_document(project: Project, document_id: int) -> Document:
    document = project.documents.defer("text").filter(pk=document_id).first()
    if document is None:
        raise Invalid({"document": [f"no document {document_id} in this project"]})
    return document


@transaction.atomic
def assignment_create(
    *, project: Project, document_id: int, username: str, assigned_by: User
) -> tuple[Assignment, bool]:
    """Give a document to a member; (assignment, created). Assigning twice is a no-op."""
    document = _project_document(project, document_id)
    annotator = _member(project, username)
    existing = Assignment.objects.filter(document=document, annotator=annotator).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            assignment = Assignment.objects.create(
                document=document, annotator=annotator, assigned_by=assigned_by
            )
    except IntegrityError:  # a concurrent identical request won
        return Assignment.objects.get(document=document, annotator=annotator), False
    work_state.document_started(document.pk)
    work_state.assignments_moved(project.pk, [(document.pk, annotator.pk)], assigned=True)
    return assignment, True


@transaction.atomic
def assignment_reassign(*, assignment: Assignment, username: str, assigned_by: User) -> Assignment:
    """Hand an assignment to another member; the old assignee's work stays where it is."""
    annotator = _member(assignment.document.project, username)
    if annotator.pk == assignment.annotator_id:
        return assignment
    if Assignment.objects.filter(document=assignment.document, annotator=annotator).exists():
        raise Conflict(f"{username} already has document {assignment.document_id}.")
    project_id = assignment.document.project_id
    work_state.assignments_moved(
        project_id, [(assignment.document_id, assignment.annotator_id)], assigned=False
    )
    assignment.annotator = annotator
    assignment.assigned_by = assigned_by
    assignment.save(update_fields=["annotator", "assigned_by"])
    work_state.assignments_moved(
        project_id, [(assignment.document_id, annotator.pk)], assigned=True
    )
    return assignment


@transaction.atomic
def assignment_delete(*, assignment: Assignment) -> None:
    """Take a document back; any annotation the assignee wrote is kept."""
    project_id = assignment.document.project_id
    document_id, annotator_id = assignment.document_id, assignment.annotator_id
    assignment.delete()
    work_state.documents_refresh(project_id, [document_id])
    work_state.assignments_moved(project_id, [(document_id, annotator_id)], assigned=False)


# --- bulk: many documents at once (the documents table) ------------------------------------


def _members_named(project: Project, usernames: list[str]) -> list[User]:
    """The project's members by name, in id order; an unknown name is a 400 naming it."""
    found = {
        m.user.username: m.user
        for m in Membership.objects.filter(
            project=project, user__username__in=usernames
        ).select_related("user")
    }
    unknown = sorted(set(usernames) - found.keys())
    if unknown:
        raise Invalid(
            {
                "annotators": [
                    _("not a member of this project: %(names)s") % {"names": ", ".join(unknown)}
                ]
            }
        )
    return sorted(found.values(), key=lambda user: user.pk)


def _lock_documents(project: Project, document_ids: list[int]) -> list[int]:
    """Lock the project's documents among these ids (in id order, the order every writer
    takes them in) and return their ids; an id of no document here is a 400."""
    found = list(
        Document.objects.select_for_update()
        .filter(project=project, pk__in=document_ids)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if len(found) != len(set(document_ids)):
        missing = sorted(set(document_ids) - set(found))[:10]
        raise Invalid(
            {
                "documents": [
                    _("no document %(ids)s in this project") % {"ids": ", ".join(map(str, missing))}
                ]
            }
        )
    return found


@transaction.atomic
def assignments_bulk_create(
    *, project: Project, document_ids: list[int], usernames: list[str], assigned_by: User
) -> tuple[int, int]:
    """Give every document to every named member: (assignments made, ones that existed).

    The documents are locked first, so a concurrent bulk action waits; the same queries
    for 10 documents or 10,000 (members, documents, existing assignments, the insert, the
    states, and each named member's tally).
    """
    annotators = _members_named(project, usernames)
    documents = _lock_documents(project, document_ids)
    existing = set(
        Assignment.objects.filter(document_id__in=documents, annotator__in=annotators).values_list(
            "document_id", "annotator_id"
        )
    )
    pairs = [(d, a.pk) for d in documents for a in annotators if (d, a.pk) not in existing]
    try:
        with transaction.atomic():
            Assignment.objects.bulk_create(
                [
                    Assignment(document_id=d, annotator_id=a, assigned_by=assigned_by)
                    for d, a in pairs
                ],
                batch_size=5000,
            )
    except IntegrityError:  # the queue handed one of them out meanwhile
        raise Conflict(_("Some of these documents were assigned meanwhile; try again.")) from None
    work_state.documents_started([d for d, _a in pairs])
    work_state.assignments_moved(project.pk, pairs, assigned=True)
    return len(pairs), len(existing)


@transaction.atomic
def assignments_reset(*, project: Project, document_ids: list[int]) -> int:
    """Put documents back in the queue: take back every assignment whose annotator has not
    submitted the document, so the queue hands it to someone again. What anyone wrote
    stays (drafts, skips, submissions, gold), as when one assignment is taken back.
    Returns the number of assignments taken back."""
    documents = _lock_documents(project, document_ids)
    submitted = Annotation.objects.filter(
        document=OuterRef("document"),
        annotator=OuterRef("annotator"),
        is_gold=False,
        status=AnnotationStatus.SUBMITTED,
    )
    open_ = Assignment.objects.filter(document_id__in=documents).filter(~Exists(submitted))
    rows = list(open_.values_list("pk", "document_id", "annotator_id"))
    if not rows:
        return 0
    # No row refers to an assignment: one DELETE.
    Assignment.objects.filter(pk__in=[pk for pk, _d, _a in rows]).delete()
    touched = sorted({d for _pk, d, _a in rows})
    work_state.documents_refresh(project.pk, touched)
    work_state.assignments_moved(project.pk, [(d, a) for _pk, d, a in rows], assigned=False)
    return len(rows)
