"""The Celery app. Tasks receive ids only; the database rows are the truth."""

import os

from celery import Celery, bootsteps
from celery.signals import task_postrun
from click import Option

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "workbench.settings")

app = Celery("workbench")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


class BeatThread(bootsteps.StartStopStep):
    """`celery worker --beat-thread`: Celery beat in the worker's own process, as a thread.

    `scripts/serve` on the embedded default runs one worker, so this is still one beat per
    cluster (DECISIONS 59), without a process of its own holding a second copy of Django
    (DECISIONS 73). Celery's `-B` would fork one: a process again, orphaned if the worker
    is killed outright."""

    label = "BeatThread"
    conditional = True

    def __init__(self, worker, beat_thread: bool = False, **kwargs):
        self.enabled = bool(beat_thread)
        super().__init__(worker, **kwargs)

    def create(self, worker):
        from celery.beat import EmbeddedService

        return EmbeddedService(
            worker.app,
            thread=True,
            schedule_filename=worker.schedule_filename,
            scheduler_cls=worker.scheduler,
        )


app.user_options["worker"].add(
    Option(["--beat-thread"], is_flag=True, default=False, help="Run Celery beat in a thread.")
)
app.steps["worker"].add(BeatThread)


@task_postrun.connect
def _release_memory(**_: object) -> None:
    """A task (an export, an import's suggestions) may have freed a lot: give it back."""
    from workbench.memory import release_memory

    release_memory()
