"""Writes of suggestions: ask for them (rows marked pending, a task queued after commit) and
compute them (the task's body). Never run in a request: opening a document only reads.

A row per document and source (`SuggestionSet`) is the truth. The task gets document ids
only; it computes every pending row of each and writes the result only if the row was not
asked for again meanwhile (`requested_at` as read), so a second delivery or an older task
cannot overwrite a fresher request, and a crash leaves the row pending for the next POST.
"""

from __future__ import annotations

import logging
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from functools import cache, partial
from typing import Any

from django.db import transaction
from django.utils import timezone

from annotations.models import Document, Project, SuggestionSet, SuggestionStatus
from annotations.selectors.suggestions import Learnt, suggester_project
from annotations.suggesting.payload import payload_fit
from annotations.suggesting.registry import (
    SUGGESTERS,
    SuggesterProject,
    SuggestionInput,
    suggesters_for,
)
from workbench.celery import app

log = logging.getLogger(__name__)

SUGGESTIONS_TASK = "annotations.suggestions_compute"
TASK_CHUNK = 50  # documents per task message: small enough to spread over workers
ROW_BATCH = 1_000
MAX_ERROR = 2_000


def suggestions_request(
    *,
    project: Project,
    document_ids: Sequence[int],
    sources: Iterable[str] | None = None,
    on_import: bool = False,
) -> list[str]:
    """Mark the documents' suggestions pending for the project's suggesters (or `sources`
    of them) and queue their computation once the caller's transaction commits. Returns the
    sources asked for. One query per `ROW_BATCH` rows, plus the project's labels."""
    specs = suggesters_for(suggester_project(project))
    if on_import:
        specs = [spec for spec in specs if spec.on_import]
    if sources is not None:
        wanted = set(sources)
        specs = [spec for spec in specs if spec.name in wanted]
    names = [spec.name for spec in specs]
    if not names or not document_ids:
        return names
    now = timezone.now()
    rows = [
        SuggestionSet(document_id=pk, source=name, requested_at=now)
        for pk in document_ids
        for name in names
    ]
    for at in range(0, len(rows), ROW_BATCH):
        SuggestionSet.objects.bulk_create(
            rows[at : at + ROW_BATCH],
            update_conflicts=True,
            unique_fields=["document", "source"],
            update_fields=["status", "requested_at"],
        )
    ids = list(document_ids)
    for at in range(0, len(ids), TASK_CHUNK):
        transaction.on_commit(partial(suggestions_enqueue, ids[at : at + TASK_CHUNK]))
    return names


def suggestions_project_requested(*, project: Project, sources: Iterable[str]) -> None:
    """Ask again for these sources on every document of the project (a setting they follow
    changed), in batches of `ROW_BATCH` documents."""
    ids = list(project.documents.order_by("pk").values_list("pk", flat=True))
    names = list(sources)
    for at in range(0, len(ids), ROW_BATCH):
        suggestions_request(project=project, document_ids=ids[at : at + ROW_BATCH], sources=names)


def suggestions_recover() -> dict[str, int]:
    """Queue again every document with pending suggestions (at worker start: messages lost
    with a broker that restarted empty, or never sent while it was down). A document whose
    rows were computed meanwhile costs its task one query, so sending twice is cheap."""
    ids = list(
        SuggestionSet.objects.filter(status=SuggestionStatus.PENDING)
        .order_by("document_id")
        .values_list("document_id", flat=True)
        .distinct()
    )
    for at in range(0, len(ids), TASK_CHUNK):
        suggestions_enqueue(ids[at : at + TASK_CHUNK])
    return {"documents": len(ids)}


def suggestions_enqueue(document_ids: list[int]) -> None:
    """Send the ids to the workers. A broker outage leaves the rows pending: the next worker
    to start sends them again (`suggestions_recover`), and a POST asks again."""
    try:
        app.send_task(SUGGESTIONS_TASK, args=[document_ids])
    except Exception:
        log.exception("suggestions for %s: could not queue them; they stay pending", document_ids)


def suggestions_compute(document_ids: Iterable[int]) -> None:
    """Compute every pending suggestion row of the documents. Never raises for a suggester's
    failure: its row says why.

    Reads cost the same whatever the number of documents: their pending rows, the documents,
    and once per project its labels, model backend and what its work teaches (`Learnt`, read
    only if a suggester asks); then one UPDATE per row computed, as it is computed."""
    ids = list(document_ids)
    pending: defaultdict[int, list[tuple[int, str, datetime]]] = defaultdict(list)
    rows = SuggestionSet.objects.filter(document_id__in=ids, status=SuggestionStatus.PENDING)
    for document_id, pk, source, requested_at in rows.order_by("pk").values_list(
        "document_id", "pk", "source", "requested_at"
    ):
        pending[document_id].append((pk, source, requested_at))
    if not pending:
        return
    documents = Document.objects.select_related("project").filter(pk__in=list(pending))
    projects: dict[int, tuple[SuggesterProject, Callable[[], Learnt]]] = {}
    by_pk = {document.pk: document for document in documents}
    for document_id in ids:
        document = by_pk.get(document_id)
        if document is None or document_id not in pending:
            continue
        if document.project_id not in projects:
            projects[document.project_id] = (
                suggester_project(document.project),
                cache(partial(Learnt, document.project_id)),
            )
        project, learnt = projects[document.project_id]
        given = SuggestionInput(
            project=project,
            document_id=document.pk,
            text=document.text,
            learnt=partial(_besides, learnt, document.pk),
        )
        for pk, source, requested_at in pending.pop(document_id):
            _compute_row(pk, source, requested_at, given, document.length)


def _besides(learnt: Callable[[], Learnt], document_id: int) -> Sequence[tuple[str, str]]:
    return learnt().besides(document_id)


def _compute_row(
    pk: int, source: str, requested_at: datetime, given: SuggestionInput, length: int
) -> None:
    spec = SUGGESTERS.get(source)
    started = time.monotonic()
    try:
        if spec is None:
            raise LookupError(f"no suggester named {source!r} is installed")
        payload, dropped = payload_fit(
            spec.compute(given), project=given.project, length=length, source=source
        )
    except Exception as exc:  # a suggester's failure is the row's, never the worker's
        log.exception("suggester %s failed on document %s", source, given.document_id)
        _finish(pk, requested_at, status=SuggestionStatus.FAILED, error=_reason(exc))
        return
    if dropped:
        log.info("suggester %s: %s items did not fit the project, dropped", source, dropped)
    _finish(pk, requested_at, status=SuggestionStatus.READY, payload=payload)
    log.debug("suggester %s on %s: %.3fs", source, given.document_id, time.monotonic() - started)


def _finish(
    pk: int, requested_at: datetime, *, status: str, payload: Any = None, error: str = ""
) -> None:
    fields: dict[str, Any] = {"status": status, "error": error, "computed_at": timezone.now()}
    if payload is not None:
        fields["payload"] = payload
    SuggestionSet.objects.filter(pk=pk, requested_at=requested_at).update(**fields)


def _reason(exc: Exception) -> str:
    return f"{type(exc).__name__}: {exc}"[:MAX_ERROR]
