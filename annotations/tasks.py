"""Celery tasks: thin wrappers that pass a job id to a service. The job row is the truth.

Tasks have explicit names; services enqueue by name (`export_lease.EXPORT_TASK`), so nothing
imports this module but Celery's autodiscovery.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from typing import Any

from celery import shared_task
from celery.signals import worker_ready
from django.conf import settings
from django.core.cache import cache
from django.db import connection

from annotations.services.export_diff import DIFF_TASK, diff_run
from annotations.services.export_lease import (
    EXPORT_SWEEP_TASK,
    EXPORT_TASK,
    export_recover,
    export_sweep,
)
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


@shared_task(name=EXPORT_SWEEP_TASK, ignore_result=True, acks_late=False)
def export_sweep_task() -> None:
    """Celery beat's periodic sweep of export jobs (`export_sweep`), once per cluster."""
    _once_per_window("export-sweep", settings.EXPORT_SWEEP_SECONDS, export_sweep)


@shared_task(name="annotations.trash_purge", ignore_result=True, acks_late=False)
def trash_purge_task() -> None:
    """Celery beat's purge of what the trash kept past TRASH_RETENTION_DAYS, once per
    cluster (DECISIONS 44)."""
    _once_per_window("trash-purge", settings.TRASH_PURGE_SECONDS, trash_purge)


@worker_ready.connect
def recover_at_start(**_: Any) -> None:
    """At worker start, re-queue unfinished jobs (a job whose worker was killed outright
    need not wait for the broker to redeliver its message, nor for the next sweep) and
    pending suggestions. Once, not periodically: the periodic sweep is beat's
    (`export_sweep_task`); sending twice is harmless (the claim)."""
    _guarded(export_recover, "re-queue unfinished exports")
    _guarded(suggestions_recover, "re-queue pending suggestions")


def _once_per_window(name: str, seconds: int, step: Callable[[], Any]) -> None:
    """Run `step` unless another process ran it in the last half interval: two beats
    (a second one started by mistake) or a backlog of beat's messages delivered to two
    workers at once still sweep once. The mark lives in the shared cache (DECISIONS.md 36)."""
    if cache.add(f"periodic:{name}", os.getpid(), timeout=max(1, seconds // 2)):
        _guarded(step, name.replace("-", " "))
    else:
        log.info("%s: another process ran it just now; skipped", name)


def _guarded(step: Callable[[], Any], what: str) -> None:
    """Run one step on a fresh connection; log, never raise (the next tick tries again:
    the database or broker may be back)."""
    try:
        result = step()
    except Exception:
        log.exception("could not %s", what)
    else:
        if any(result.values() if isinstance(result, dict) else result):
            log.info("%s: %s", what, result)
    finally:
        connection.close()
