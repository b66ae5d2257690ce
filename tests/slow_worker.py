"""The Celery app for worker tests that kill a worker mid-export: `celery -A tests.slow_worker`.

Each export batch takes EXPORT_TEST_DELAY_SECONDS longer, so a test can watch progress and
SIGKILL the worker half-way. Test code only: production code has no such hook.
"""

import os
import time
from collections.abc import Iterator
from typing import Any

from celery.signals import worker_process_init

from workbench.celery import app

__all__ = ["app"]


@worker_process_init.connect
def _slow_exports(**_: Any) -> None:
    """In each pool process (Django is set up by then): pause after every batch read."""
    from annotations.services import exports

    delay = float(os.environ["EXPORT_TEST_DELAY_SECONDS"])
    read_batches = exports.record_batches

    def slow_batches(*args: Any, **kwargs: Any) -> Iterator[Any]:
        for batch in read_batches(*args, **kwargs):
            yield batch
            time.sleep(delay)

    exports.record_batches = slow_batches  # type: ignore[assignment]
