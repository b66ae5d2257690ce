"""Dataset diffs (DECISIONS.md 50): the manifest an export keeps, and what changed between
two versions.

While an export runs, each batch's records become `ExportEntry` rows (one per document:
digest and compact top-level content, `annotations.dataset_diff`) under the run's attempt.
A diff never holds either version in memory: each side is read in keyset batches by row id
and each batch's external ids looked up on the other side (added, removed, or a different
digest: changed); only the contents of those documents are fetched, a batch at a time. The export's
own task diffs it against its previous version before it writes the card (which summarises
the diff) and stores the result; a diff against any other version is computed in the
request when both are small (EXPORT_DIFF_INLINE_DOCUMENTS), else by a Celery task, the
answer being 202 until it is stored.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from annotations.dataset_diff import DiffTally, manifest_entry
from annotations.errors import Invalid, NotFound
from annotations.models import DiffStatus, ExportDiff, ExportEntry, ExportJob, ExportStatus

log = logging.getLogger(__name__)

DIFF_TASK = "annotations.export_diff"


# --- the manifest ---------------------------------------------------------------------------


_ENTRY_COLUMNS = ("export_id", "attempt", "external_id", "digest", "content")


def entries_write(job_id: int, attempt: int, records: Iterable[Mapping[str, Any]]) -> None:
    """One batch of the export's documents, as entries of this attempt: PostgreSQL's COPY,
    else one executemany. Not `bulk_create`: preparing its parameters field by field (and
    psycopg binding 2,500 of them client-side per statement) was most of a manifest's cost,
    a third of a CoNLL export of 20,000 documents."""
    rows = []
    for record in records:
        digest, content = manifest_entry(record)
        rows.append((job_id, attempt, record["external_id"], digest, json.dumps(content)))
    if not rows:
        return
    table = connection.ops.quote_name(ExportEntry._meta.db_table)
    columns = ", ".join(_ENTRY_COLUMNS)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(_ENTRY_COLUMNS))
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)


def entries_keep(job_id: int, attempt: int) -> None:
    """After success: the winning attempt's entries stay, any other attempt's go."""
    ExportEntry.objects.filter(export_id=job_id).exclude(attempt=attempt).delete()


def entries_discard(job_id: int, attempt: int) -> None:
    """After a failed or superseded attempt. Never raises: the job's outcome matters more."""
    try:
        ExportEntry.objects.filter(export_id=job_id, attempt=attempt).delete()
    except Exception:
        log.exception("export %s attempt %s: could not remove its manifest", job_id, attempt)


def _entries(job_id: int, attempt: int) -> QuerySet[ExportEntry]:
    return ExportEntry.objects.filter(export_id=job_id, attempt=attempt)


# --- computing a diff --------------------------------------------------------------------------


def diff_compute(new_id: int, new_attempt: int, old: ExportJob) -> dict[str, Any]:
    """What changed from `old` (a succeeded export) to the entries of export `new_id`'s
    attempt: the issue's shape, documents in the new (or, removed, the old) export's order.

    Each side is read in keyset batches by row id, and each batch's external ids looked up
    on the other side by the unique index (`external_id IN (…)` under the export and
    attempt): linear in the entries whatever the planner's statistics say (a correlated
    NOT EXISTS on a freshly written manifest was planned as a nested loop over both whole
    sides: 20,000 documents took over ten minutes). Contents are read only for the
    documents added, removed or changed."""
    new = _entries(new_id, new_attempt)
    before = _entries(old.pk, old.attempt)
    size = settings.EXPORT_BATCH_SIZE
    tally = DiffTally(old.pk)
    for rows in _batches(new, size):
        ids = [external_id for _pk, external_id, _digest in rows]
        old_digests = dict(before.filter(external_id__in=ids).values_list("external_id", "digest"))
        added = [pk for pk, external_id, _ in rows if external_id not in old_digests]
        changed = [
            pk
            for pk, external_id, digest in rows
            if external_id in old_digests and old_digests[external_id] != digest
        ]
        if not added and not changed:
            continue
        contents = dict(new.filter(pk__in=added + changed).values_list("pk", "content"))
        names = {pk: external_id for pk, external_id, _ in rows}
        old_contents = dict(
            before.filter(external_id__in=[names[pk] for pk in changed]).values_list(
                "external_id", "content"
            )
        )
        for pk in added:
            tally.added(names[pk], contents[pk])
        for pk in changed:
            tally.changed(names[pk], old_contents[names[pk]], contents[pk])
    for rows in _batches(before, size):
        ids = [external_id for _pk, external_id, _digest in rows]
        kept = set(new.filter(external_id__in=ids).values_list("external_id", flat=True))
        removed = [(pk, external_id) for pk, external_id, _ in rows if external_id not in kept]
        if removed:
            contents = dict(
                before.filter(pk__in=[pk for pk, _ in removed]).values_list("pk", "content")
            )
            for pk, external_id in removed:
                tally.removed(external_id, contents[pk])
    return tally.result()


def _batches(entries: QuerySet[ExportEntry], size: int) -> Iterator[list[tuple]]:
    """(pk, external_id, digest) rows in keyset batches by pk."""
    last = 0
    while True:
        rows = list(
            entries.filter(pk__gt=last)
            .order_by("pk")
            .values_list("pk", "external_id", "digest")[:size]
        )
        if not rows:
            return
        last = rows[-1][0]
        yield rows
        if len(rows) < size:
            return


def diff_store(job_id: int, against: ExportJob, result: Mapping[str, Any]) -> None:
    """Store a computed diff (the export's task, for its previous version)."""
    ExportDiff.objects.update_or_create(
        export_id=job_id,
        against=against,
        defaults={
            "status": DiffStatus.READY,
            "result": dict(result),
            "finished_at": timezone.now(),
        },
    )


# --- asking for a diff ---------------------------------------------------------------------


def diff_request(*, job: ExportJob, against: Any) -> tuple[ExportDiff, bool]:
    """The diff of `job` against `against` (an id; None: its previous version): (the row,
    whether it is ready). A small one is computed now; a large one is left to a task."""
    other = _comparable(job, against)
    row, _created = ExportDiff.objects.get_or_create(export=job, against=other)
    if row.status == DiffStatus.READY:
        return row, True
    if job.row_count + other.row_count <= settings.EXPORT_DIFF_INLINE_DOCUMENTS:
        diff_run(row.pk)
        row.refresh_from_db()
        return row, row.status == DiffStatus.READY
    if row.status == DiffStatus.FAILED or _created:
        ExportDiff.objects.filter(pk=row.pk).update(status=DiffStatus.PENDING, error="")
        transaction.on_commit(lambda: diff_enqueue(row.pk))
    return row, False


def _comparable(job: ExportJob, against: Any) -> ExportJob:
    """The export to compare `job` with, or a 400/404 saying why there is none."""
    if job.status != ExportStatus.SUCCEEDED:
        raise Invalid(
            {
                "export": [
                    _("export %(id)s is %(status)s: only a succeeded export can be compared")
                    % {"id": job.pk, "status": job.status}
                ]
            }
        )
    if against in (None, ""):
        if job.previous_id is None:
            raise Invalid(
                {
                    "against": [
                        _(
                            "export %(id)s has no previous version of the same format, scope "
                            "and split; name one with ?against=<export id>"
                        )
                        % {"id": job.pk}
                    ]
                }
            )
        against = job.previous_id
    try:
        other_id = int(against)
    except (TypeError, ValueError):
        other_id = 0
    if not 0 < other_id < 2**63:
        raise Invalid({"against": [_("must be an export id (a whole number)")]})
    other = ExportJob.objects.filter(pk=other_id, project_id=job.project_id).first()
    if other is None:
        raise NotFound(_("No export %(id)s in this project.") % {"id": other_id})
    for export in (job, other):
        if export.status != ExportStatus.SUCCEEDED:
            raise Invalid(
                {
                    "against": [
                        _("export %(id)s is %(status)s: only a succeeded export can be compared")
                        % {"id": export.pk, "status": export.status}
                    ]
                }
            )
        if not export.has_manifest:
            raise Invalid(
                {
                    "against": [
                        _(
                            "export %(id)s was made before exports kept what they "
                            "contained; export again to compare"
                        )
                        % {"id": export.pk}
                    ]
                }
            )
    return other


def diff_enqueue(diff_id: int) -> None:
    from workbench.celery import app

    try:
        app.send_task(DIFF_TASK, args=[diff_id])
    except Exception:
        log.exception("diff %s: could not queue it; the next request queues it again", diff_id)
        ExportDiff.objects.filter(pk=diff_id).update(status=DiffStatus.FAILED, error="not queued")


def diff_run(diff_id: int) -> None:
    """Compute a pending diff and store it; a failure is stored with its reason (the next
    request asks again)."""
    row = ExportDiff.objects.select_related("export", "against").filter(pk=diff_id).first()
    if row is None or row.status == DiffStatus.READY:
        return
    try:
        result = diff_compute(row.export_id, row.export.attempt, row.against)
    except Exception as exc:
        log.exception("diff %s failed", diff_id)
        ExportDiff.objects.filter(pk=diff_id).update(
            status=DiffStatus.FAILED, error=f"{type(exc).__name__}: {exc}"[:2000]
        )
        return
    ExportDiff.objects.filter(pk=diff_id).update(
        status=DiffStatus.READY, result=result, error="", finished_at=timezone.now()
    )
