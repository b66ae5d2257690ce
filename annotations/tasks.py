"""Celery tasks: thin wrappers that pass a job id to a service. The job row is the truth.

Tasks have explicit names; services enqueue by name (`export_lease.EXPORT_TASK`), so nothing
imports this module but Celery's autodiscovery.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from celery import shared_task
from celery.signals import worker_ready
from django.conf import settings
from django.db import connection

from annotations.services.export_diff import DIFF_TASK, diff_run
from annotations.services.export_lease import EXPORT_TASK, export_recover, export_sweep
from annotations.services.exports import export_run
from annotations.services.suggestions import (
    SUGGESTIONS_TASK,
    suggestions_compute,
    suggestions_recover,
)
from annotations.services.trash import trash_purge

log = logging.getLogger(__name__)


@shared_task(
    name=EXPORT_TASK, bind=True, ignore_result=True, acks_late=True, reject_on_worker_lost=True
)
def export_run_task(self: Any, job_id: int) -> None:
    """Run an export job; if another run is alive, look again once it would be stale."""
    claim = export_run(job_id)
    if claim.retry_in is not None:
        raise self.retry(countdown=claim.retry_in, max_retries=None)


@shared_task(name=DIFF_TASK, ignore_result=True, acks_late=True)
def export_diff_task(diff_id: int) -> None:
    """Compute a pending diff between two exports (the row says which)."""
    diff_run(diff_id)


@shared_task(name=SUGGESTIONS_TASK, ignore_result=True, acks_late=True)
def suggestions_compute_task(document_ids: list[int]) -> None:
    """Compute the pending suggestions of these documents (the rows say which)."""
    suggestions_compute(document_ids)


@shared_task(name="annotations.trash_purge", ignore_result=True)
def trash_purge_task() -> None:
    """Delete what the trash has kept past TRASH_RETENTION_DAYS (scheduled by Celery beat)."""
    purged = trash_purge()
    if purged:
        log.info("trash: purged %d items", purged)


@worker_ready.connect
def start_export_sweep(**_: Any) -> None:
    """At worker start, re-queue unfinished jobs (a job whose worker was killed outright
    need not wait for the broker to redeliver its message), then sweep every
    EXPORT_SWEEP_SECONDS for as long as the worker lives (`export_sweep`).
    Pending suggestions are queued again too (`suggestions_recover`).

    The sweep is a thread of the worker's main process, not a task: it must run while
    every pool process is busy or the broker is away, and it needs no beat scheduler."""
    _guarded(export_recover, "re-queue unfinished exports")
    _guarded(suggestions_recover, "re-queue pending suggestions")
    threading.Thread(target=_sweep_forever, name="export-sweep", daemon=True).start()


def _sweep_forever() -> None:
    while True:
        time.sleep(settings.EXPORT_SWEEP_SECONDS)
        _guarded(export_sweep, "sweep export jobs")


def _guarded(step: Callable[[], Any], what: str) -> None:
    """Run one step of the sweep on a fresh connection; log, never raise (the next tick
    tries again: the database or broker may be back)."""
    try:
        result = step()
    except Exception:
        log.exception("could not %s", what)
    else:
        if any(result.values() if isinstance(result, dict) else result):
            log.info("%s: %s", what, result)
    finally:
        connection.close()
