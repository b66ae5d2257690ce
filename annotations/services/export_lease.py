"""The export lease: which delivery of a job's message may run it, and for how long.

The `ExportJob` row is the truth (DECISIONS.md 3, 9). A delivery claims the row by
compare-and-swap: it reads status, attempt and heartbeat, decides in Python (`is_stale`, the
one stale predicate), and updates the row only if those three are still what it read. So of
two concurrent deliveries exactly one wins, and a delivery never takes over a run that has
beaten since it looked. The winner's attempt number then guards every later write
(`heartbeat_for`, the result); a run whose attempt is no longer current stops at its next beat.

Messages carry the job id only and go to the task by name (`EXPORT_TASK`), so this module
needs no import of the tasks (and the tasks none of the service's internals).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models.functions import Coalesce
from django.utils import timezone

from annotations.models import ExportJob, ExportStatus
from workbench.celery import app

log = logging.getLogger(__name__)

EXPORT_TASK = "annotations.export_run"
FINISHED = (ExportStatus.SUCCEEDED, ExportStatus.FAILED)

Heartbeat = Callable[[int, int], None]


class ExportSuperseded(Exception):
    """Another delivery took the job over; this run must stop without writing."""


@dataclass(frozen=True)
class Claim:
    """What a delivery may do: run as `attempt`, check again in `retry_in` seconds, or stop."""

    attempt: int | None = None
    retry_in: float | None = None


def is_stale(status: str, heartbeat_at: datetime | None, now: datetime) -> bool:
    """Running without a heartbeat for EXPORT_STALE_SECONDS: its worker is probably gone."""
    if status != ExportStatus.RUNNING:
        return False
    return heartbeat_at is None or heartbeat_at < now - stale_after()


def stale_after() -> timedelta:
    return timedelta(seconds=settings.EXPORT_STALE_SECONDS)


def export_enqueue(job_id: int) -> None:
    """Send the job id to the workers. A broker outage leaves the job pending, not lost:
    every worker re-queues unfinished jobs when it starts (`export_recover`)."""
    try:
        app.send_task(EXPORT_TASK, args=[job_id])
    except Exception:
        log.exception("export %s: could not queue it; it stays pending", job_id)


def export_claim(job_id: int) -> Claim:
    """Take the job for this delivery if it is pending, or running with a stale heartbeat
    (then as the next attempt); fail it if it is stale with no attempts left."""
    row = ExportJob.objects.filter(pk=job_id).values("status", "attempt", "heartbeat_at").first()
    if row is None or row["status"] in FINISHED:
        return Claim()
    seen: dict[str, Any] = dict(row)
    now = timezone.now()
    beat = seen["heartbeat_at"]
    if seen["status"] == ExportStatus.RUNNING and not is_stale(seen["status"], beat, now):
        # Alive (or only just died): look again when it would count as stale.
        wait = beat + stale_after() - now
        return Claim(retry_in=max(1.0, wait.total_seconds() + 1))
    if seen["status"] == ExportStatus.RUNNING and seen["attempt"] >= settings.EXPORT_MAX_ATTEMPTS:
        _give_up(job_id, seen, now)
        return Claim()
    attempt = seen["attempt"] + 1
    claimed = ExportJob.objects.filter(pk=job_id, **seen).update(
        status=ExportStatus.RUNNING,
        attempt=attempt,
        heartbeat_at=now,
        started_at=Coalesce("started_at", now),
        progress_done=0,
        error="",
    )
    return Claim(attempt=attempt) if claimed else Claim(retry_in=1.0)


def _give_up(job_id: int, seen: dict[str, Any], now: datetime) -> bool:
    """Fail a stale running job after its last allowed attempt, if it is still as seen."""
    last = seen["heartbeat_at"].isoformat() if seen["heartbeat_at"] else "never"
    return bool(
        ExportJob.objects.filter(pk=job_id, **seen).update(
            status=ExportStatus.FAILED,
            finished_at=now,
            error=(
                f"Export abandoned after {seen['attempt']} attempt(s): the worker running it "
                f"stopped (last heartbeat {last}). Request the export again; if it fails the "
                "same way, the worker may be running out of memory."
            ),
        )
    )


def heartbeat_for(job_id: int, attempt: int) -> Heartbeat:
    """`beat(done, total)`: record progress and that the run is alive, or raise
    ExportSuperseded once another attempt owns the job."""

    def beat(done: int, total: int) -> None:
        moved = ExportJob.objects.filter(
            pk=job_id, attempt=attempt, status=ExportStatus.RUNNING
        ).update(progress_done=done, progress_total=total, heartbeat_at=timezone.now())
        if not moved:
            raise ExportSuperseded(job_id)

    return beat


def export_is_stale(job: ExportJob) -> bool:
    return is_stale(job.status, job.heartbeat_at, timezone.now())


def export_refresh(job: ExportJob) -> ExportJob:
    """For readers of a job: a running job that is stale with no attempts left is failed now
    rather than shown as running forever."""
    if export_is_stale(job) and job.attempt >= settings.EXPORT_MAX_ATTEMPTS:
        seen = {"status": job.status, "attempt": job.attempt, "heartbeat_at": job.heartbeat_at}
        if _give_up(job.pk, seen, timezone.now()):
            job.refresh_from_db()
    return job


def export_recover() -> list[int]:
    """Re-queue every unfinished job (run at worker start).

    A worker killed outright leaves its message unacknowledged in the broker until the
    broker's visibility timeout; this puts the job back in reach at once. Extra
    deliveries are harmless: the claim lets one run at a time, and a delivery that
    finds a live run checks again later.
    """
    ids = list(
        ExportJob.objects.exclude(status__in=FINISHED).order_by("pk").values_list("pk", flat=True)
    )
    for job_id in ids:
        export_enqueue(job_id)
    return ids
