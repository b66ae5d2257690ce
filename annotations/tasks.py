"""Celery tasks: thin wrappers that pass a job id to a service. The job row is the truth.

Tasks have explicit names; services enqueue by name (`export_lease.EXPORT_TASK`), so nothing
imports this module but Celery's autodiscovery.
"""

from __future__ import annotations

import logging
from typing import Any

from celery import shared_task
from celery.signals import worker_ready

from annotations.services.export_lease import EXPORT_TASK, export_recover
from annotations.services.exports import export_run
from annotations.services.suggestions import SUGGESTIONS_TASK, suggestions_compute

log = logging.getLogger(__name__)


@shared_task(
    name=EXPORT_TASK, bind=True, ignore_result=True, acks_late=True, reject_on_worker_lost=True
)
def export_run_task(self: Any, job_id: int) -> None:
    """Run an export job; if another run is alive, look again once it would be stale."""
    claim = export_run(job_id)
    if claim.retry_in is not None:
        raise self.retry(countdown=claim.retry_in, max_retries=None)


@shared_task(name=SUGGESTIONS_TASK, ignore_result=True, acks_late=True)
def suggestions_compute_task(document_ids: list[int]) -> None:
    """Compute the pending suggestions of these documents (the rows say which)."""
    suggestions_compute(document_ids)


@worker_ready.connect
def recover_exports(**_: Any) -> None:
    """At worker start, re-queue unfinished jobs, so a job whose worker was killed
    outright does not wait for the broker to redeliver its message."""
    try:
        ids = export_recover()
    except Exception:
        log.exception("could not re-queue unfinished exports")
        return
    if ids:
        log.info("re-queued unfinished export jobs: %s", ids)
