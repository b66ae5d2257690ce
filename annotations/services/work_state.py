"""The derived state of the work, kept current inside the writers' transactions.

Three things are derived here and stored so the reviewers' screens read indexed rows instead
of counting 200,000 annotations per request (DECISIONS.md 18):

- each document's `state`, `submitted_count`, `disputed`, `agreement` and
  `last_submitted_at`, and its spans per label (`DocumentLabelCount`): recomputed from
  scratch for the documents a write touched (`documents_refresh`), under their row locks;
- each member's `AnnotatorTally` (assigned, in progress, submitted, skipped): moved by the
  difference a write makes to one (document, annotator) pair (`pairs_move`);
- each span label's `LabelTally`: moved by the difference a refresh made to the documents'
  label counts.

Who calls in: `annotating` (a write that creates an annotation, changes its status, or
changes a submitted or gold one — an autosave of a draft costs nothing here), `workflow`
(queue, assignments, reset), `documents` (imports, deletion), `labels` (deleting a label
in use). `recount` rebuilds all of it for a project (the migration,
`manage.py recount_work_state`, and the tests that check the increments against it).

Lock order, to stay deadlock-free: annotation rows, then document rows (in id order), then
tally rows (in annotator id, then label id order).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from itertools import groupby
from typing import Any

from django.db import transaction
from django.db.models import Case, Count, F, OuterRef, Subquery, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from annotations.agreement import document_span_f1
from annotations.models import (
    AgreementTally,
    Annotation,
    AnnotationEvent,
    AnnotationStatus,
    AnnotatorTally,
    Assignment,
    Document,
    DocumentLabelCount,
    DocumentState,
    Label,
    LabelTally,
    Project,
    Span,
    SubmissionTally,
)
from annotations.selectors.annotations import contents_of, id_batches
from annotations.selectors.exports import agreed_layer
from annotations.work_time import history_seconds

SUBMITTED = AnnotationStatus.SUBMITTED
SKIPPED = AnnotationStatus.SKIPPED
TALLY_COLUMNS = ("in_progress", "submitted", "skipped")


# --- (document, annotator) pairs and the members' tallies --------------------------------


def pair_state(assigned: bool, status: str | None) -> str | None:
    """Which tally column one annotator's standing on one document counts in (None: none).

    Submitted and skipped are final; a draft, or an assignment not yet started, is in
    progress.
    """
    if status == SUBMITTED:
        return "submitted"
    if status == SKIPPED:
        return "skipped"
    if status is not None or assigned:
        return "in_progress"
    return None


@dataclass(frozen=True)
class PairMove:
    """One (document, annotator) pair before and after a write."""

    annotator_id: int
    before: str | None
    after: str | None
    assigned: int = 0  # +1: an assignment was made, -1: one was removed


@dataclass
class _Moves:
    by_annotator: dict[int, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))

    def add(self, move: PairMove) -> None:
        counts = self.by_annotator[move.annotator_id]
        if move.before != move.after:
            if move.before:
                counts[move.before] -= 1
            if move.after:
                counts[move.after] += 1
        counts["assigned"] += move.assigned


def pairs_move(project_id: int, moves: Iterable[PairMove]) -> None:
    """Move the members' tallies by these pairs' changes: one UPDATE per member moved.

    Increments commute, so concurrent writers never lose each other's counts.
    """
    total = _Moves()
    for move in moves:
        total.add(move)
    changed = {
        annotator: counts
        for annotator, counts in total.by_annotator.items()
        if any(counts.values())
    }
    if not changed:
        return
    AnnotatorTally.objects.bulk_create(
        [AnnotatorTally(project_id=project_id, annotator_id=a) for a in sorted(changed)],
        ignore_conflicts=True,
    )
    for annotator in sorted(changed):
        counts = changed[annotator]
        AnnotatorTally.objects.filter(project_id=project_id, annotator_id=annotator).update(
            **{column: F(column) + n for column, n in counts.items() if n}
        )


def annotation_status_moved(
    annotation: Annotation, *, status_before: str | None, assigned: bool | None = None
) -> None:
    """An annotator's annotation was created (`status_before` None) or changed status."""
    if annotation.is_gold or annotation.annotator_id is None:
        return
    if assigned is None:
        assigned = Assignment.objects.filter(
            document_id=annotation.document_id, annotator_id=annotation.annotator_id
        ).exists()
    move = PairMove(
        annotation.annotator_id,
        pair_state(assigned, status_before),
        pair_state(assigned, annotation.status),
    )
    pairs_move(annotation.project_id, [move])  # type: ignore[arg-type]


def assignments_moved(
    project_id: int, pairs: Iterable[tuple[int, int]], *, assigned: bool
) -> list[PairMove]:
    """(document, annotator) pairs that just gained (`assigned`) or lost an assignment:
    their moves, with each annotator's annotation status read in one query."""
    pairs = list(pairs)
    if not pairs:
        return []
    documents = {document for document, _ in pairs}
    statuses = {
        (document, annotator): status
        for document, annotator, status in Annotation.objects.filter(
            document_id__in=documents, is_gold=False
        ).values_list("document_id", "annotator_id", "status")
    }
    moves = [
        PairMove(
            annotator,
            pair_state(not assigned, statuses.get((document, annotator))),
            pair_state(assigned, statuses.get((document, annotator))),
            1 if assigned else -1,
        )
        for document, annotator in pairs
    ]
    pairs_move(project_id, moves)
    return moves


# --- submissions and agreement per day ---------------------------------------------------


def submissions_move(project_id: int, moves: Iterable[tuple[int, datetime | None, int]]) -> None:
    """Move the per-day submission tallies: `(annotator, submitted_at, +1 or -1)`."""
    total: Counter[tuple[int, Any]] = Counter()
    for annotator, at, n in moves:
        if at is not None:
            total[annotator, timezone.localdate(at)] += n
    # In (day, annotator) order, for inserts and updates alike: no two writers wait on
    # each other's rows in opposite orders.
    moved = sorted((key for key, n in total.items() if n), key=lambda key: (key[1], key[0]))
    if not moved:
        return
    SubmissionTally.objects.bulk_create(
        [SubmissionTally(project_id=project_id, annotator_id=a, day=d) for a, d in moved],
        ignore_conflicts=True,
    )
    for annotator, day in moved:
        SubmissionTally.objects.filter(
            project_id=project_id, day=day, annotator_id=annotator
        ).update(submitted=F("submitted") + total[annotator, day])


def submission_moved(annotation: Annotation, *, submitted_before: datetime | None) -> None:
    """An annotator's annotation was submitted, unsubmitted or submitted again."""
    if annotation.is_gold or submitted_before == annotation.submitted_at:
        return
    assert annotation.annotator_id is not None
    submissions_move(
        annotation.project_id,  # type: ignore[arg-type]
        [
            (annotation.annotator_id, submitted_before, -1),
            (annotation.annotator_id, annotation.submitted_at, 1),
        ],
    )


def agreements_move(
    project_id: int, moves: Iterable[tuple[datetime | None, float | None, int]]
) -> None:
    """Move the per-day agreement tallies: `(last_submitted_at, agreement, +1 or -1)`."""
    documents: Counter[Any] = Counter()
    micros: Counter[Any] = Counter()
    for at, agreement, n in moves:
        if at is not None and agreement is not None:
            day = timezone.localdate(at)
            documents[day] += n
            micros[day] += n * round(agreement * AgreementTally.MICROS)
    moved = sorted(day for day in documents.keys() | micros.keys() if documents[day] or micros[day])
    if not moved:
        return
    AgreementTally.objects.bulk_create(
        [AgreementTally(project_id=project_id, day=day) for day in moved], ignore_conflicts=True
    )
    for day in moved:
        AgreementTally.objects.filter(project_id=project_id, day=day).update(
            documents=F("documents") + documents[day],
            agreement_micros=F("agreement_micros") + micros[day],
        )


# --- documents ---------------------------------------------------------------------------


@dataclass
class _Derived:
    state: str = DocumentState.NEW
    submitted_count: int = 0
    disputed: bool = False
    agreement: float | None = None
    last_submitted_at: datetime | None = None
    label_spans: dict[int, int] = field(default_factory=dict)

    def columns(self) -> tuple[Any, ...]:
        return (
            self.state,
            self.submitted_count,
            self.disputed,
            self.agreement,
            self.last_submitted_at,
        )


STATE_COLUMNS = ("state", "submitted_count", "disputed", "agreement", "last_submitted_at")


def _derive(
    annotations: list[tuple[Any, ...]],
    contents: Mapping[int, Any],
    assigned: bool,
    span_label_ids: Mapping[str, int],
    is_check: bool = False,
) -> _Derived:
    """One document's derived columns from its annotation rows
    `(pk, is_gold, status, submitted_at, document_labels, annotator username)`.

    A hidden gold check's submissions are counted and dated, but enter neither agreement,
    disputes nor the label counts (`services.checks`)."""
    derived = _Derived()
    gold = next((row for row in annotations if row[1]), None)
    submitted = sorted(
        (row for row in annotations if not row[1] and row[2] == SUBMITTED),
        key=lambda row: row[5] or "",
    )
    derived.submitted_count = len(submitted)
    layers = []
    for pk, _, _, submitted_at, document_labels, _ in submitted:
        if submitted_at and (
            derived.last_submitted_at is None or submitted_at > derived.last_submitted_at
        ):
            derived.last_submitted_at = submitted_at
        if is_check:
            continue
        content = contents.get(pk)
        spans = content.spans if content else []
        layers.append(
            {
                "spans": spans,
                "relations": content.relations if content else [],
                "document_labels": document_labels or {},
            }
        )
        for span in spans:
            label_id = span_label_ids[span["label"]]
            derived.label_spans[label_id] = derived.label_spans.get(label_id, 0) + 1
    if len(layers) >= 2:
        derived.disputed = agreed_layer(layers) is None
        derived.agreement = document_span_f1(layers)
    if gold is not None:
        derived.state = DocumentState.REVIEWED if gold[2] == SUBMITTED else DocumentState.GOLD
    elif derived.disputed:
        derived.state = DocumentState.DISPUTED
    elif submitted:
        derived.state = DocumentState.ANNOTATED
    elif annotations or assigned:
        derived.state = DocumentState.IN_PROGRESS
    return derived


def documents_refresh(
    project_id: int, document_ids: Collection[int], *, created: bool = False
) -> None:
    """Recompute the derived columns and label counts of these documents of a project, and
    move the label tallies by the difference.

    The documents' row locks are taken first (in id order), so two writers of one document
    derive from each other's committed work. `created`: the caller's transaction has just
    created these documents (an import), so nobody else can hold them and nothing derived
    is stored yet: no locks, nothing to compare with. About twelve queries per 10,000
    documents (`ID_BATCH`) whatever they hold, eight for created ones, plus one per label
    whose tally moves.
    """
    labels = list(Label.objects.filter(project_id=project_id).values_list("pk", "kind", "name"))
    names = {pk: name for pk, _, name in labels}
    span_label_ids = {name: pk for pk, kind, name in labels if kind == "span"}
    for batch in id_batches(sorted(set(document_ids))):
        _refresh_batch(project_id, batch, names, span_label_ids, created=created)


NEW_COLUMNS = _Derived().columns()


def _refresh_batch(
    project_id: int,
    batch: list[int],
    names: Mapping[int, str],
    span_label_ids: Mapping[str, int],
    *,
    created: bool,
) -> None:
    checks: set[int] = set()
    if created:
        current = dict.fromkeys(batch, NEW_COLUMNS)
    else:
        documents = Document.objects.select_for_update().filter(pk__in=batch).order_by("pk")
        current = {}
        for pk, check_since, *columns in documents.values_list("pk", "check_since", *STATE_COLUMNS):
            current[pk] = tuple(columns)
            if check_since is not None:
                checks.add(pk)
    rows = Annotation.objects.filter(document_id__in=current).order_by("document_id", "pk")
    by_document: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
    for document_id, *row in rows.values_list(
        "document_id",
        "pk",
        "is_gold",
        "status",
        "submitted_at",
        "document_labels",
        "annotator__username",
    ):
        by_document[document_id].append(tuple(row))
    assigned = (
        set()
        if created
        else set(
            Assignment.objects.filter(document_id__in=current).values_list("document_id", flat=True)
        )
    )
    submitted_pks = [
        row[0]
        for document_id, rows_ in by_document.items()
        if document_id not in checks
        for row in rows_
        if not row[1] and row[2] == SUBMITTED
    ]
    contents = contents_of(submitted_pks, names)
    derived = {
        pk: _derive(by_document.get(pk, []), contents, pk in assigned, span_label_ids, pk in checks)
        for pk in current
    }
    _write_columns(current, derived)
    _write_label_counts(derived, created=created)
    _move_agreements(project_id, current, derived)


def _move_agreements(
    project_id: int, current: Mapping[int, tuple[Any, ...]], derived: Mapping[int, _Derived]
) -> None:
    """Agreement figures leave the day of the old latest submission and join the new one."""
    moves = []
    for pk, d in derived.items():
        old_agreement, old_at = current[pk][3], current[pk][4]
        if (old_agreement, old_at) != (d.agreement, d.last_submitted_at):
            moves += [(old_at, old_agreement, -1), (d.last_submitted_at, d.agreement, 1)]
    agreements_move(project_id, moves)


def _write_columns(current: Mapping[int, tuple[Any, ...]], derived: Mapping[int, _Derived]) -> None:
    changed = [
        Document(pk=pk, **dict(zip(STATE_COLUMNS, d.columns(), strict=True)))
        for pk, d in derived.items()
        if tuple(current[pk]) != d.columns()
    ]
    if len(changed) == 1:
        one = changed[0]
        Document.objects.filter(pk=one.pk).update(
            **{column: getattr(one, column) for column in STATE_COLUMNS}
        )
    elif changed:
        Document.objects.bulk_update(changed, STATE_COLUMNS, batch_size=1000)


def _write_label_counts(derived: Mapping[int, _Derived], *, created: bool) -> None:
    """Replace the documents' label counts where they changed; move the label tallies."""
    before: dict[int, dict[int, int]] = defaultdict(dict)
    if not created:
        for document_id, label_id, n in DocumentLabelCount.objects.filter(
            document_id__in=derived
        ).values_list("document_id", "label_id", "spans"):
            before[document_id][label_id] = n
    changed = [pk for pk, d in derived.items() if before.get(pk, {}) != d.label_spans]
    if not changed:
        return
    if not created:
        DocumentLabelCount.objects.filter(document_id__in=changed).delete()
    DocumentLabelCount.objects.bulk_create(
        DocumentLabelCount(document_id=pk, label_id=label, spans=n)
        for pk in changed
        for label, n in derived[pk].label_spans.items()
    )
    spans: Counter[int] = Counter()
    documents: Counter[int] = Counter()
    for pk in changed:
        old, new = before.get(pk, {}), derived[pk].label_spans
        for label in old.keys() | new.keys():
            spans[label] += new.get(label, 0) - old.get(label, 0)
            documents[label] += (label in new) - (label in old)
    labels_move(spans, documents)


def labels_move(spans: Mapping[int, int], documents: Mapping[int, int]) -> None:
    """Move the label tallies: one UPDATE per label moved, in label id order."""
    moved = sorted(
        label
        for label in spans.keys() | documents.keys()
        if spans.get(label) or documents.get(label)
    )
    if not moved:
        return
    LabelTally.objects.bulk_create(
        [LabelTally(label_id=label) for label in moved], ignore_conflicts=True
    )
    for label in moved:
        LabelTally.objects.filter(label_id=label).update(
            spans=F("spans") + spans.get(label, 0),
            documents=F("documents") + documents.get(label, 0),
        )


def document_started(document_id: int) -> None:
    """A document was just handed out or worked on: `new` becomes `in_progress` (one UPDATE;
    any other state already says more)."""
    Document.objects.filter(pk=document_id, state=DocumentState.NEW).update(
        state=DocumentState.IN_PROGRESS
    )


def documents_started(document_ids: Collection[int]) -> None:
    """`document_started` for many documents: one UPDATE."""
    if document_ids:
        Document.objects.filter(pk__in=document_ids, state=DocumentState.NEW).update(
            state=DocumentState.IN_PROGRESS
        )


def documents_leaving(project_id: int, document_ids: Collection[int]) -> None:
    """These documents are about to be deleted: take their pairs and labels out of the
    tallies (the rows themselves go with the documents)."""
    annotations = Annotation.objects.filter(document_id__in=document_ids, is_gold=False)
    statuses: dict[tuple[int, int], str] = {}
    submissions = []
    for document, annotator, status, submitted_at in annotations.values_list(
        "document_id", "annotator_id", "status", "submitted_at"
    ):
        statuses[document, annotator] = status
        submissions.append((annotator, submitted_at, -1))
    submissions_move(project_id, submissions)
    agreements_move(
        project_id,
        [
            (at, agreement, -1)
            for at, agreement in Document.objects.filter(pk__in=document_ids).values_list(
                "last_submitted_at", "agreement"
            )
        ],
    )
    assigned = set(
        Assignment.objects.filter(document_id__in=document_ids).values_list(
            "document_id", "annotator_id"
        )
    )
    moves = [
        PairMove(
            pair[1], pair_state(pair in assigned, statuses.get(pair)), None, -int(pair in assigned)
        )
        for pair in statuses.keys() | assigned
    ]
    pairs_move(project_id, moves)
    spans: Counter[int] = Counter()
    documents: Counter[int] = Counter()
    for label, n in DocumentLabelCount.objects.filter(document_id__in=document_ids).values_list(
        "label_id", "spans"
    ):
        spans[label] -= n
        documents[label] -= 1
    labels_move(spans, documents)


# --- rebuilding from scratch -------------------------------------------------------------


@transaction.atomic
def recount(project_id: int) -> None:
    """Rebuild every derived figure of the project from its rows: annotations' project, span
    counts, submitted times (kept where known) and event seconds, the documents' columns and
    label counts, and the label and member tallies.

    Reads and writes named columns only, so the migration that first fills them can run it.
    """
    Project.objects.select_for_update().filter(pk=project_id).values_list("pk").first()
    _recount_annotations(project_id)
    LabelTally.objects.filter(label__project_id=project_id).delete()
    DocumentLabelCount.objects.filter(document__project_id=project_id).delete()
    AgreementTally.objects.filter(project_id=project_id).delete()
    documents = Document.objects.filter(project_id=project_id)
    documents.update(
        state=DocumentState.NEW,
        submitted_count=0,
        disputed=False,
        agreement=None,
        last_submitted_at=None,
    )
    documents_refresh(project_id, list(documents.order_by("pk").values_list("pk", flat=True)))
    _recount_tallies(project_id)


def _recount_annotations(project_id: int) -> None:
    annotations = Annotation.objects.filter(document__project_id=project_id)
    spans = (
        Span.objects.filter(annotation=OuterRef("pk"))
        .order_by()
        .values("annotation")
        .annotate(n=Count("pk"))
        .values("n")
    )
    annotations.update(
        project_id=project_id,
        span_count=Coalesce(Subquery(spans), 0),
        # Submissions from before this column existed: their last write is the clock.
        submitted_at=Case(
            When(status=SUBMITTED, then=Coalesce("submitted_at", "updated_at")),
            default=None,
        ),
    )
    annotators = dict(annotations.values_list("pk", "annotator_id"))
    events = (
        AnnotationEvent.objects.filter(annotation__document__project_id=project_id)
        .order_by("annotation_id", "version", "pk")
        .values_list("annotation_id", "created_at", "actor_id")
    )
    timed = []
    for pk, group in groupby(events.iterator(), key=lambda row: row[0]):
        annotator = annotators.get(pk)
        seconds = None
        if annotator is not None:
            seconds = history_seconds(((at, actor) for _, at, actor in group), annotator)
        timed.append(Annotation(pk=pk, event_seconds=seconds))
    Annotation.objects.bulk_update(timed, ["event_seconds"], batch_size=1000)


def _recount_tallies(project_id: int) -> None:
    AnnotatorTally.objects.filter(project_id=project_id).delete()
    SubmissionTally.objects.filter(project_id=project_id).delete()
    submitted = Annotation.objects.filter(
        project_id=project_id, is_gold=False, status=SUBMITTED
    ).values_list("annotator_id", "submitted_at")
    submissions_move(project_id, ((a, at, 1) for a, at in submitted.iterator()))
    statuses = {
        (document, annotator): status
        for document, annotator, status in Annotation.objects.filter(
            project_id=project_id, is_gold=False
        ).values_list("document_id", "annotator_id", "status")
    }
    assigned = set(
        Assignment.objects.filter(document__project_id=project_id).values_list(
            "document_id", "annotator_id"
        )
    )
    moves = [
        PairMove(
            pair[1], None, pair_state(pair in assigned, statuses.get(pair)), int(pair in assigned)
        )
        for pair in statuses.keys() | assigned
    ]
    pairs_move(project_id, moves)
