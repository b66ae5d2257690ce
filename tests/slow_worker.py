"""The Celery app for worker tests that need slow work: `celery -A tests.slow_worker`.

With EXPORT_TEST_DELAY_SECONDS each export batch takes that much longer, so a test can watch
progress and SIGKILL the worker half-way. With SUGGESTIONS_TEST_DELAY_SECONDS each suggestion
row takes that much longer, so a test can hold a suggestions task running. Test code only:
production code has no such hook.
"""

import os
import time
from collections.abc import Iterator
from typing import Any

from celery.signals import worker_process_init, worker_ready

from workbench.celery import app

__all__ = ["app"]


@worker_process_init.connect
def _slow_exports(**_: Any) -> None:
    """In each pool process (Django is set up by then): pause after every batch read."""
    if "EXPORT_TEST_DELAY_SECONDS" not in os.environ:
        return
    from annotations.services import exports

    delay = float(os.environ["EXPORT_TEST_DELAY_SECONDS"])
    read_batches = exports.record_batches

    def slow_batches(*args: Any, **kwargs: Any) -> Iterator[Any]:
        for batch in read_batches(*args, **kwargs):
            yield batch
            time.sleep(delay)

    exports.record_batches = slow_batches  # type: ignore[assignment]


@worker_ready.connect
def _slow_suggestions(**_: Any) -> None:
    """In the worker's process (a `--pool=threads` worker runs its tasks there): pause
    before each suggestion row is computed."""
    if "SUGGESTIONS_TEST_DELAY_SECONDS" not in os.environ:
        return
    from annotations.services import suggestions

    delay = float(os.environ["SUGGESTIONS_TEST_DELAY_SECONDS"])
    compute = suggestions._compute_row

    def slow_compute(*args: Any, **kwargs: Any) -> None:
        time.sleep(delay)
        compute(*args, **kwargs)

    suggestions._compute_row = slow_compute  # type: ignore[assignment]
