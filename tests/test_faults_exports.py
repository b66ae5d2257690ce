"""Exports when a component really fails: Redis stopped, a worker SIGKILLed, the disk full.

Each test starts real Celery workers (as `tests.test_exports_worker` does) against a Redis
server of its own (`tests.components`), so stopping it touches nobody else; the web side is
the API through Django's test client. Marked `faults`: `make test-faults` (and `.ci/run`)
runs them; each takes well under half a minute here.
"""

from __future__ import annotations

import os
import random
import signal
import string
import time

import pytest

from annotations.models import ExportJob
from tests.components import can_mount, redis_server, resize_tmpfs, tmpfs
from tests.conftest import api
from tests.factories import DocumentFactory
from tests.test_export_records import PER, annotate
from tests.test_exports_worker import (
    celery_beat,
    celery_worker,
    downloaded_records,
    gold_corpus,
    job_state,
    kill_worker,
    pool_children,
    wait_for,
    wait_until_finished,
)
from workbench.celery import app

pytestmark = [pytest.mark.faults, pytest.mark.worker]

SWEEP = {"EXPORT_SWEEP_SECONDS": "1"}
SLOW = {"EXPORT_BATCH_SIZE": "1", "EXPORT_TEST_DELAY_SECONDS": "0.2", **SWEEP}


@pytest.fixture
def own_redis(tmp_path, monkeypatch):
    """A Redis of this test's own; the web side's enqueue sends to it."""
    with redis_server(tmp_path / "redis") as server:
        send_task = app.send_task

        def send_to_own_redis(name: str, *args, **kwargs):
            with app.connection_for_write(server.url) as conn:
                return send_task(name, *args, connection=conn, **kwargs)

        monkeypatch.setattr(app, "send_task", send_to_own_redis)
        yield server


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "data" / "media"
    return tmp_path / "data"


def request_export(client, project_id: int) -> dict:
    response = client.post(api(project_id, "exports/"), {"format": "jsonl"}, format="json")
    assert response.status_code == 202, response.content
    return response.json()


def test_redis_stopped_export_is_queued_and_runs_once_redis_is_back(
    cast, transactional_db, own_redis, media, tmp_path
):
    """Redis killed: requesting an export still answers 202 at once, the job stays pending
    (its message could not be sent); once Redis is back, beat's sweep sends it and it
    runs, with no other action."""
    gold_corpus(cast, 5)
    client = cast.client("reviewer")
    with (
        celery_worker(tmp_path, "faults-redis", own_redis.url, **SWEEP) as worker,
        celery_beat(tmp_path, own_redis.url, **SWEEP),
    ):
        own_redis.stop()
        started = time.monotonic()
        job = request_export(client, cast.project.pk)
        answered_in = time.monotonic() - started
        assert answered_in < 10, f"the request waited {answered_in:.1f}s for the broker"
        time.sleep(2.5)  # two sweeps while Redis is away: the job cannot move
        state = job_state(job["id"])
        assert (state.status, state.queued_at) == ("pending", None)
        own_redis.start()
        done = wait_until_finished(client, job["id"], 60, "the export after Redis", worker.log_path)
    assert done["status"] == "succeeded", done["error"]
    assert done["attempt"] == 1 and len(downloaded_records(client, done)) == 5
    print(f"\nRedis down: POST answered 202 in {answered_in:.2f}s; the job ran once it was back")


def _runner(job_id: int) -> int:
    """The pid of the process running the job's current attempt (from its row)."""
    return int(job_state(job_id).worker.split()[1])


@pytest.mark.parametrize("victim", ["worker", "pool-child"])
def test_sigkilled_export_is_taken_over_within_seconds(
    cast, transactional_db, own_redis, media, tmp_path, victim
):
    """SIGKILL mid-export, the stale window at its default 120 s: a whole worker (another
    is alive) or only its pool child. The job is taken over as attempt 2 within seconds (the
    row names the dead process), no file is offered meanwhile, and exactly one zip is
    stored in the end."""
    gold_corpus(cast, 15)
    client = cast.client("reviewer")
    with (
        celery_worker(tmp_path, "faults-a", own_redis.url, **SLOW) as first,
        celery_worker(tmp_path, "faults-b", own_redis.url, **SLOW) as second,
        celery_beat(tmp_path, own_redis.url, **SWEEP),
    ):
        job_id = request_export(client, cast.project.pk)["id"]
        wait_for(lambda: job_state(job_id).progress_done >= 3, 60, "progress", first.log_path)
        runner = _runner(job_id)
        holder = first if runner in pool_children(first) else second
        if victim == "worker":
            kill_worker(holder)
        else:
            os.kill(runner, signal.SIGKILL)
        killed = time.monotonic()
        assert client.get(f"/api/exports/{job_id}/download/").status_code == 404
        wait_for(lambda: job_state(job_id).attempt == 2, 30, "the takeover", holder.log_path)
        took_over_in = time.monotonic() - killed
        log = second.log_path if holder is first else first.log_path
        done = wait_until_finished(client, job_id, 90, "the taken-over export", log)
    assert took_over_in < 15, f"taken over after {took_over_in:.1f}s"
    assert done["status"] == "succeeded", done["error"]
    assert done["attempt"] == 2 and len(downloaded_records(client, done)) == 15
    assert len(list(media.rglob("*.zip"))) == 1
    print(f"\n{victim} SIGKILLed: taken over after {took_over_in:.1f}s (stale window 120 s)")


def incompressible_corpus(cast, n: int, chars: int) -> None:
    rng = random.Random(17)
    for i in range(n):
        text = "".join(rng.choices(string.ascii_letters + string.digits, k=chars))
        document = DocumentFactory(project=cast.project, text=text, external_id=f"big{i:03}")
        annotate(document, None, spans=[PER])


@pytest.mark.skipif(not can_mount(), reason="mounting a tmpfs needs root")
def test_disk_full_fails_the_export_with_the_reason_and_leaves_no_partial_file(
    cast, transactional_db, own_redis, settings, tmp_path
):
    """DATA_DIR on a 256 KiB tmpfs, the export's zip about 400 KiB: the job fails saying
    the disk is full, the partial file is removed; with space back, the next export
    succeeds."""
    incompressible_corpus(cast, 100, 5000)
    client = cast.client("reviewer")
    with tmpfs(tmp_path / "data", "256k") as data:
        settings.MEDIA_ROOT = data / "media"
        with celery_worker(tmp_path, "faults-disk", own_redis.url, **SWEEP) as worker:
            full = request_export(client, cast.project.pk)
            failed = wait_until_finished(client, full["id"], 60, "the export", worker.log_path)
            left = [p for p in (data / "media").rglob("*") if p.is_file()]
            resize_tmpfs(data, "16m")
            again = request_export(client, cast.project.pk)
            done = wait_until_finished(client, again["id"], 60, "the export", worker.log_path)
            stored = [p for p in (data / "media").rglob("*") if p.is_file()]
            records = downloaded_records(client, done)
    assert failed["status"] == "failed" and "No space left" in failed["error"], failed["error"]
    assert failed["download_url"] is None
    assert left == [], f"partial files left: {left}"
    assert client.get(f"/api/exports/{full['id']}/download/").status_code == 404
    assert done["status"] == "succeeded", done["error"]
    assert len(records) == 100 and len(stored) == 1
    assert ExportJob.objects.get(pk=full["id"]).file.name == ""
    print(f"\ndisk full: {failed['error']}")
