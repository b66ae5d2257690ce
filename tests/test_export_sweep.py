"""The export sweep, the dead-runner check and the give-back after an outage (no worker:
the services are called as beat's sweep task and the export task call them)."""

from __future__ import annotations

import subprocess
import sys
import time
from datetime import timedelta

import pytest
from django.db import OperationalError
from django.utils import timezone

from annotations.models import ExportJob
from annotations.services import export_lease, exports
from annotations.services.export_lease import (
    export_claim,
    export_release,
    export_sweep,
    process_gone,
    process_identity,
)
from annotations.services.exports import export_run
from tests.test_exports_worker import gold_corpus, make_job
from workbench.celery import app


@pytest.fixture
def sent(monkeypatch) -> list[int]:
    """Job ids sent to the broker (none is really sent)."""
    ids: list[int] = []
    monkeypatch.setattr(app, "send_task", lambda name, args: ids.extend(args))
    return ids


def ago(seconds: float):
    return timezone.now() - timedelta(seconds=seconds)


def dead_process() -> str:
    """The identity a process of this host had before it exited."""
    child = subprocess.run(
        [sys.executable, "-c", "import os, socket; print(os.getpid())"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    host, _, ticks = process_identity().split()
    return f"{host} {child.stdout.strip()} {ticks}"


def test_process_gone_only_for_a_dead_process_of_this_host():
    """This process is alive; an exited one is gone; a pid whose start time differs is a
    new process (gone); another host's or an empty name cannot be judged here."""
    me = process_identity()
    host, pid, ticks = me.split()
    assert not process_gone(me)
    assert process_gone(dead_process())
    assert process_gone(f"{host} {pid} {int(ticks) + 1}")
    assert not process_gone(f"elsewhere {pid} {ticks}")
    assert not process_gone("")


def test_claim_takes_over_at_once_when_the_runner_is_gone(cast):
    """A fresh heartbeat does not protect a run whose process has exited."""
    job = make_job(cast, status="running", attempt=1, heartbeat_at=ago(1), worker=dead_process())
    assert export_claim(job.pk).attempt == 2
    job.refresh_from_db()
    assert job.worker == process_identity()
    alive = make_job(cast, status="running", attempt=1, heartbeat_at=ago(1), worker=job.worker)
    assert export_claim(alive.pk).attempt is None


def test_sweep_sends_jobs_whose_message_may_be_lost(cast, sent, settings):
    """Sent: a pending job never queued (the broker was down) or queued a window ago; a
    stale run with attempts left. Left alone: a pending job queued just now, a live run,
    a stale run already sent since it last beat, finished jobs."""
    window = settings.EXPORT_STALE_SECONDS
    never = make_job(cast)
    long_ago = make_job(cast, queued_at=ago(window + 5))
    make_job(cast, queued_at=ago(1))
    make_job(cast, status="running", attempt=1, heartbeat_at=ago(1), queued_at=ago(5))
    stale = make_job(cast, status="running", attempt=1, heartbeat_at=ago(window + 1))
    make_job(cast, status="running", attempt=1, heartbeat_at=ago(window + 9), queued_at=ago(5))
    dead = make_job(
        cast, status="running", attempt=1, heartbeat_at=ago(1), queued_at=ago(30),
        worker=dead_process(),
    )  # fmt: skip
    make_job(cast, status="succeeded")
    assert export_sweep() == {"sent": [never.pk, long_ago.pk, stale.pk, dead.pk], "failed": []}
    assert sent == [never.pk, long_ago.pk, stale.pk, dead.pk]
    assert ExportJob.objects.get(pk=never.pk).queued_at is not None
    sent.clear()
    assert export_sweep() == {"sent": [], "failed": []}  # once a window


def test_sweep_fails_a_dead_run_out_of_attempts(cast, sent, settings):
    job = make_job(
        cast, status="running", attempt=settings.EXPORT_MAX_ATTEMPTS, heartbeat_at=ago(1),
        worker=dead_process(),
    )  # fmt: skip
    assert export_sweep() == {"sent": [], "failed": [job.pk]}
    job.refresh_from_db()
    assert job.status == "failed" and "worker running it stopped" in job.error


def test_released_job_runs_again_then_fails_with_the_last_reason(cast, settings):
    """Given back after an outage it is pending with the reason, the next claim runs it as
    the next attempt; out of attempts, it fails saying what happened last."""
    job = make_job(cast)
    assert export_claim(job.pk).attempt == 1
    assert export_release(job.pk, 1, "the database was unavailable")
    job.refresh_from_db()
    assert (job.status, job.worker, job.queued_at) == ("pending", "", None)
    assert job.error == "Interrupted, will be retried: the database was unavailable"
    assert not export_release(job.pk, 1, "again")  # not running: nothing to give back
    settings.EXPORT_MAX_ATTEMPTS = 2
    assert export_claim(job.pk).attempt == 2
    assert export_release(job.pk, 2, "the database was unavailable")
    assert export_claim(job.pk).attempt is None
    job.refresh_from_db()
    assert job.status == "failed"
    assert job.error.startswith("Export failed after 2 attempt(s). Last: Interrupted")


def test_run_cut_by_a_database_outage_is_given_back_and_sent_again(
    cast, sent, settings, monkeypatch, tmp_path
):
    """An OperationalError mid-run (the database went away): the job goes back to pending
    with the reason and is sent again; no file is left."""
    settings.MEDIA_ROOT = tmp_path
    settings.EXPORT_BATCH_SIZE = 1
    gold_corpus(cast, 3)
    job = make_job(cast)
    beat = export_lease.heartbeat_for

    def cut_after_first_batch(job_id: int, attempt: int):
        inner = beat(job_id, attempt)

        def beat_or_fail(done: int, total: int) -> None:
            if done >= 1:
                raise OperationalError("server closed the connection unexpectedly")
            inner(done, total)

        return beat_or_fail

    monkeypatch.setattr(exports, "heartbeat_for", cut_after_first_batch)
    export_run(job.pk)
    job.refresh_from_db()
    assert (job.status, job.attempt, job.file.name) == ("pending", 1, "")
    assert "server closed the connection" in job.error
    assert sent == [job.pk] and not list(tmp_path.rglob("*.zip"))
    monkeypatch.setattr(exports, "heartbeat_for", beat)
    export_run(job.pk)
    job.refresh_from_db()
    assert (job.status, job.attempt, job.row_count) == ("succeeded", 2, 3)


# --- beat ----------------------------------------------------------------------------------


def test_beat_sends_the_export_sweep_at_its_interval(settings):
    """Beat's schedule names the sweep task, which a worker has, every EXPORT_SWEEP_SECONDS;
    a message not taken within one interval expires (the next one is on its way)."""
    from annotations import tasks

    entry = settings.CELERY_BEAT_SCHEDULE["export-sweep"]
    assert entry["task"] == export_lease.EXPORT_SWEEP_TASK == tasks.export_sweep_task.name
    assert entry["schedule"] == entry["options"]["expires"] == settings.EXPORT_SWEEP_SECONDS
    assert export_lease.EXPORT_SWEEP_TASK in app.tasks


def test_two_sweeps_at_once_run_one(transactional_db, settings, monkeypatch):
    """Two deliveries of the sweep in the same half interval (two beats, or a backlog taken by
    two workers) sweep once, marked in the shared cache (here the database table); the next
    interval's sweep runs again."""
    from annotations import tasks
    from workbench.settings import _cache

    settings.CACHES = {"default": _cache("")}
    settings.EXPORT_SWEEP_SECONDS = 2
    runs: list[int] = []
    monkeypatch.setattr(tasks, "export_sweep", lambda: runs.append(1) or {})
    tasks.export_sweep_task()
    tasks.export_sweep_task()
    assert runs == [1]
    time.sleep(2.1)  # the mark's 1 s, and the database cache keeps whole seconds
    tasks.export_sweep_task()
    assert runs == [1, 1]
