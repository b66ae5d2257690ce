"""The export lease: which delivery of a job's message may run it, and for how long.

The `ExportJob` row is the truth (DECISIONS.md 3, 9). A delivery claims the row by
compare-and-swap: it reads status, attempt and heartbeat, decides in Python (`is_stale`, the
one stale predicate), and updates the row only if those three are still what it read. So of
two concurrent deliveries exactly one wins, and a delivery never takes over a run that has
beaten since it looked. The winner's attempt number then guards every later write
(`heartbeat_for`, the result); a run whose attempt is no longer current stops at its next beat.

A run is over when its heartbeat is older than EXPORT_STALE_SECONDS, or at once when the
row names its process (`worker`: host, pid, start time) and that process is gone from this
host: a SIGKILLed worker is taken over in seconds, not after the whole window. Celery beat
has a worker sweep the table every EXPORT_SWEEP_SECONDS (`export_sweep`, once per cluster),
so a job whose message was lost (broker down, worker killed) or whose run died is sent
again, or failed with the reason, while beat and any worker are alive.

Messages carry the job id only and go to the task by name (`EXPORT_TASK`), so this module
needs no import of the tasks (and the tasks none of the service's internals).
"""

from __future__ import annotations

import logging
import os
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import DatabaseError
from django.db.models.functions import Coalesce
from django.utils import timezone
from kombu.exceptions import KombuError

from annotations.models import ExportJob, ExportStatus
from workbench.celery import app

log = logging.getLogger(__name__)

EXPORT_TASK = "annotations.export_run"
# Sent by Celery beat every EXPORT_SWEEP_SECONDS (settings.CELERY_BEAT_SCHEDULE).
EXPORT_SWEEP_TASK = "annotations.export_sweep"
FINISHED = (ExportStatus.SUCCEEDED, ExportStatus.FAILED)

Heartbeat = Callable[[int, int], None]


class ExportSuperseded(Exception):
    """Another delivery took the job over; this run must stop without writing."""


@dataclass(frozen=True)
class Claim:
    """What a delivery may do: run as `attempt`, check again in `retry_in` seconds, or stop."""

    attempt: int | None = None
    retry_in: float | None = None


def is_stale(status: str, heartbeat_at: datetime | None, now: datetime, worker: str = "") -> bool:
    """Running without a heartbeat for EXPORT_STALE_SECONDS, or run by a process of this
    host that has exited: its worker is gone."""
    if status != ExportStatus.RUNNING:
        return False
    return heartbeat_at is None or heartbeat_at < now - stale_after() or process_gone(worker)


def stale_after() -> timedelta:
    return timedelta(seconds=settings.EXPORT_STALE_SECONDS)


# --- who runs a job ------------------------------------------------------------------------


def _start_ticks(pid: int) -> str | None:
    """A process's start time (clock ticks since boot) from /proc, or None if it is gone
    or there is no /proc. With the pid it names one process even after the pid is reused."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            # The command name (field 2) may hold spaces and parentheses: split after it.
            return stat.read().rsplit(b")", 1)[1].split()[19].decode()
    except (OSError, IndexError):
        return None


def process_identity() -> str:
    """This process, as the row records its runner: `host pid start-ticks`."""
    return f"{socket.gethostname()} {os.getpid()} {_start_ticks(os.getpid()) or '-'}"


def process_gone(worker: str) -> bool:
    """True only when `worker` names a process of this host that no longer runs. A process
    of another host (or an empty name) is judged by its heartbeat alone."""
    host, _, rest = worker.partition(" ")
    pid_text, _, ticks = rest.partition(" ")
    if host != socket.gethostname() or not pid_text.isdigit():
        return False
    pid = int(pid_text)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        pass  # alive, another user's
    now_ticks = _start_ticks(pid)
    return ticks not in ("", "-") and now_ticks is not None and now_ticks != ticks


# --- sending -------------------------------------------------------------------------------


def export_enqueue(job_id: int) -> bool:
    """Send the job id to the workers and note when. A broker outage leaves the job
    pending, not lost: the next sweep of a live worker sends it again (`export_sweep`)."""
    try:
        app.send_task(EXPORT_TASK, args=[job_id])
    except KombuError as exc:  # the broker is away: say so once a try, no traceback
        log.warning("export %s: could not queue it (%s); it stays pending", job_id, exc)
        return False
    except Exception:
        log.exception("export %s: could not queue it; it stays pending", job_id)
        return False
    ExportJob.objects.filter(pk=job_id).update(queued_at=timezone.now())
    return True


LEASE_FIELDS = ("status", "attempt", "heartbeat_at", "worker")


def export_claim(job_id: int) -> Claim:
    """Take the job for this delivery if it is pending, or running but stale (then as the
    next attempt); fail it if it is stale, or was given back, with no attempts left."""
    row = ExportJob.objects.filter(pk=job_id).values(*LEASE_FIELDS).first()
    if row is None or row["status"] in FINISHED:
        return Claim()
    seen: dict[str, Any] = dict(row)
    now = timezone.now()
    running = seen["status"] == ExportStatus.RUNNING
    if running and not is_stale(seen["status"], seen["heartbeat_at"], now, seen["worker"]):
        # Alive (or only just died elsewhere): look again when it would count as stale.
        wait = seen["heartbeat_at"] + stale_after() - now
        return Claim(retry_in=max(1.0, wait.total_seconds() + 1))
    if seen["attempt"] >= settings.EXPORT_MAX_ATTEMPTS:
        _give_up(job_id, seen, now)
        return Claim()
    attempt = seen["attempt"] + 1
    claimed = ExportJob.objects.filter(pk=job_id, **seen).update(
        status=ExportStatus.RUNNING,
        attempt=attempt,
        heartbeat_at=now,
        worker=process_identity(),
        started_at=Coalesce("started_at", now),
        progress_done=0,
        error="",
    )
    return Claim(attempt=attempt) if claimed else Claim(retry_in=1.0)


def _give_up(job_id: int, seen: dict[str, Any], now: datetime) -> bool:
    """Fail a job out of attempts, if it is still as seen: a stale run (its worker died) or
    one given back after an outage (its `error` says which)."""
    if seen["status"] == ExportStatus.RUNNING:
        last = seen["heartbeat_at"].isoformat() if seen["heartbeat_at"] else "never"
        reason = (
            f"Export abandoned after {seen['attempt']} attempt(s): the worker running it "
            f"stopped (last heartbeat {last}). Request the export again; if it fails the "
            "same way, the worker may be running out of memory."
        )
    else:
        last_error = ExportJob.objects.filter(pk=job_id).values_list("error", flat=True).first()
        reason = f"Export failed after {seen['attempt']} attempt(s). Last: {last_error or '?'}"
    return bool(
        ExportJob.objects.filter(pk=job_id, **seen).update(
            status=ExportStatus.FAILED, finished_at=now, error=reason
        )
    )


def export_release(job_id: int, attempt: int, reason: str) -> bool:
    """Give a run's job back as pending after an outage interrupted it (the database went
    away mid-run), so the next delivery starts it again as the next attempt. Waits for the
    database for at most EXPORT_STALE_SECONDS; past that the sweep takes the stale run over.
    True if the job was given back."""
    from django.db import connection

    deadline = time.monotonic() + stale_after().total_seconds()
    pause = 0.5
    while True:
        try:
            return bool(
                ExportJob.objects.filter(
                    pk=job_id, attempt=attempt, status=ExportStatus.RUNNING
                ).update(
                    status=ExportStatus.PENDING,
                    heartbeat_at=None,
                    worker="",
                    queued_at=None,
                    error=f"Interrupted, will be retried: {reason}"[:2000],
                )
            )
        except DatabaseError:
            if time.monotonic() + pause > deadline:
                log.warning("export %s: database still unreachable; the sweep will retry", job_id)
                return False
            time.sleep(pause)
            if not connection.in_atomic_block:
                connection.close()  # the next try connects afresh
            pause = min(pause * 2, 5.0)


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
    return is_stale(job.status, job.heartbeat_at, timezone.now(), job.worker)


def export_refresh(job: ExportJob) -> ExportJob:
    """For readers of a job: a running job that is stale with no attempts left is failed now
    rather than shown as running forever."""
    if export_is_stale(job) and job.attempt >= settings.EXPORT_MAX_ATTEMPTS:
        seen = {field: getattr(job, field) for field in LEASE_FIELDS}
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


def export_sweep() -> dict[str, list[int]]:
    """Beat's periodic sweep, every EXPORT_SWEEP_SECONDS: no unfinished job is left without
    a way on.

    - a stale run with no attempts left is failed, with the reason;
    - a stale run with attempts left, or a pending job, is sent again unless it was sent
      since it last showed life (or, pending, within EXPORT_STALE_SECONDS): its message may
      be lost (the broker was down or restarted empty, the worker holding it was killed).
    Extra deliveries are harmless (the claim); `queued_at` keeps them to one per window.
    """
    now = timezone.now()
    window = now - stale_after()
    done: dict[str, list[int]] = {"failed": [], "sent": []}
    rows = ExportJob.objects.exclude(status__in=FINISHED).order_by("pk")
    for row in rows.values("pk", "queued_at", *LEASE_FIELDS):
        job_id, queued = row.pop("pk"), row.pop("queued_at")
        running = row["status"] == ExportStatus.RUNNING
        if running and not is_stale(row["status"], row["heartbeat_at"], now, row["worker"]):
            continue
        if running and row["attempt"] >= settings.EXPORT_MAX_ATTEMPTS:
            if _give_up(job_id, row, now):
                done["failed"].append(job_id)
            continue
        last_life = row["heartbeat_at"] if running else None
        if queued is not None and queued > window and (last_life is None or queued > last_life):
            continue
        if export_enqueue(job_id):
            done["sent"].append(job_id)
    return done
