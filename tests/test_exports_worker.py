"""The export job's lifecycle: claims, takeovers, give-ups, and real Celery workers.

Tests marked `worker` start `celery -A workbench worker` as a subprocess against
Redis (a db of their own among 5-15, emptied before and after) and pytest-django's
test database, so they need `transactional_db` (the worker must see committed rows).
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import signal
import subprocess
import sys
import threading
import time
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from annotations.models import ExportJob
from annotations.services import exports
from annotations.services.export_lease import EXPORT_TASK, export_claim, export_recover
from annotations.services.exports import export_run
from tests.conftest import api
from tests.factories import DocumentFactory
from tests.test_export_records import PER, QUOTE, SPEAKER, TEXT, annotate
from workbench.celery import app

REPO = Path(__file__).resolve().parent.parent
REDIS = os.environ.get("EXPORT_TEST_REDIS_URL", "redis://127.0.0.1:6379")
# Redis dbs the worker tests may take, one per concurrent test run (see `broker`).
REDIS_DBS = range(5, 16)
LOCK = "exports-worker-test-lock"


def make_job(cast, **fields) -> ExportJob:
    return ExportJob.objects.create(project=cast.project, format="jsonl", **fields)


def gold_corpus(cast, n: int) -> None:
    for i in range(n):
        doc = DocumentFactory(project=cast.project, text=TEXT, external_id=f"w{i:03}")
        annotate(doc, None, spans=[PER, QUOTE], relations=[SPEAKER])


# --- claims ----------------------------------------------------------------------------------


def test_claim_takes_a_pending_job_once(cast):
    """The first delivery claims attempt 1; a second one, while the first is alive, runs
    nothing and is told when to look again."""
    job = make_job(cast)
    assert export_claim(job.pk).attempt == 1
    again = export_claim(job.pk)
    assert again.attempt is None and 0 < again.retry_in <= 121
    job.refresh_from_db()
    assert (job.status, job.attempt) == ("running", 1) and job.heartbeat_at is not None


def test_claim_takes_over_a_stale_run(cast, settings):
    """A running job whose heartbeat is older than EXPORT_STALE_SECONDS goes to the next
    attempt, its progress reset."""
    stale = timezone.now() - timedelta(seconds=settings.EXPORT_STALE_SECONDS + 1)
    job = make_job(cast, status="running", attempt=1, heartbeat_at=stale, progress_done=7)
    assert export_claim(job.pk).attempt == 2
    job.refresh_from_db()
    assert job.attempt == 2 and job.progress_done == 0 and job.heartbeat_at > stale


@pytest.mark.parametrize("status", ["succeeded", "failed"])
def test_claim_leaves_finished_jobs_alone(cast, status):
    """A redelivered message for a finished job does nothing and asks for no retry."""
    job = make_job(cast, status=status, attempt=1)
    claim = export_claim(job.pk)
    assert claim.attempt is None and claim.retry_in is None
    assert export_claim(987654).attempt is None


def test_stale_run_out_of_attempts_is_failed_with_a_reason(cast, settings):
    """After the last allowed attempt dies, the job is failed, saying why, not retried."""
    stale = timezone.now() - timedelta(seconds=settings.EXPORT_STALE_SECONDS + 1)
    job = make_job(cast, status="running", attempt=settings.EXPORT_MAX_ATTEMPTS, heartbeat_at=stale)
    assert export_claim(job.pk).attempt is None
    job.refresh_from_db()
    assert job.status == "failed" and job.finished_at is not None
    assert "abandoned after 3 attempt(s)" in job.error


def test_reading_a_dead_job_fails_it(cast, settings):
    """GET of a job that is stale with no attempts left shows it failed, not running."""
    stale = timezone.now() - timedelta(seconds=settings.EXPORT_STALE_SECONDS + 1)
    job = make_job(cast, status="running", attempt=3, heartbeat_at=stale)
    body = cast.client("reviewer").get(f"/api/exports/{job.pk}/").json()
    assert body["status"] == "failed" and "stopped" in body["error"]
    fresh = make_job(cast, status="running", attempt=3, heartbeat_at=timezone.now())
    body = cast.client("reviewer").get(f"/api/exports/{fresh.pk}/").json()
    assert (body["status"], body["stale"]) == ("running", False)


def test_stale_job_with_attempts_left_is_flagged_until_taken_over(cast, settings):
    """A dead run with attempts left stays running, flagged stale, for the next worker."""
    stale = timezone.now() - timedelta(seconds=settings.EXPORT_STALE_SECONDS + 1)
    job = make_job(cast, status="running", attempt=1, heartbeat_at=stale)
    body = cast.client("reviewer").get(f"/api/exports/{job.pk}/").json()
    assert (body["status"], body["stale"]) == ("running", True)


def test_concurrent_deliveries_claim_exactly_once(cast, transactional_db):
    """Eight deliveries racing for one pending job: exactly one claims it."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite's in-memory test database refuses concurrent writers")
    job = make_job(cast)
    attempts: list[int | None] = []
    barrier = threading.Barrier(8)

    def deliver() -> None:
        try:
            barrier.wait(timeout=10)
            attempts.append(export_claim(job.pk).attempt)
        finally:
            connection.close()

    threads = [threading.Thread(target=deliver) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(attempts, key=lambda a: a or 0) == [None] * 7 + [1]


def test_superseded_run_stops_without_recording(cast, settings, monkeypatch, tmp_path):
    """If another delivery takes the job over mid-run, the old run stops at its next
    heartbeat and records nothing; the row stays the new attempt's."""
    settings.MEDIA_ROOT = tmp_path
    settings.EXPORT_BATCH_SIZE = 1
    gold_corpus(cast, 3)
    job = make_job(cast)
    real = exports.record_batches

    def taken_over_after_first_batch(*args, **kwargs) -> Iterator:
        for n, batch in enumerate(real(*args, **kwargs)):
            if n == 1:
                ExportJob.objects.filter(pk=job.pk).update(attempt=2, heartbeat_at=timezone.now())
            yield batch

    monkeypatch.setattr(exports, "record_batches", taken_over_after_first_batch)
    assert export_run(job.pk).attempt == 1
    job.refresh_from_db()
    assert (job.status, job.attempt, job.file.name, job.error) == ("running", 2, "", "")
    assert not list(tmp_path.rglob("*.zip"))


def test_recover_requeues_unfinished_jobs(cast, monkeypatch):
    """At worker start every pending or running job is queued again (the claim makes
    the extra deliveries harmless); finished jobs are not."""
    sent: list[int] = []

    def send_task(name: str, args: list) -> None:
        assert name == EXPORT_TASK == "annotations.export_run"
        sent.extend(args)

    monkeypatch.setattr(app, "send_task", send_task)
    pending, running = make_job(cast), make_job(cast, status="running", attempt=1)
    make_job(cast, status="succeeded")
    make_job(cast, status="failed")
    assert export_recover() == [pending.pk, running.pk] == sent


def test_task_retries_while_another_run_is_alive(cast, monkeypatch):
    """The task asks Celery to look again when the job is held by a live run."""
    from celery.exceptions import Retry

    from annotations.tasks import export_run_task

    job = make_job(cast, status="running", attempt=1, heartbeat_at=timezone.now())
    monkeypatch.setattr(export_run_task, "retry", lambda **kw: Retry(when=kw["countdown"]))
    with pytest.raises(Retry):
        export_run_task.run(job.pk)
    make_job(cast)  # a pending job simply runs
    assert export_run_task.run(ExportJob.objects.latest("pk").pk) is None


# --- real workers ----------------------------------------------------------------------------


@pytest.fixture
def broker() -> Iterator[str]:
    """A Redis db of this test's own, emptied before and after.

    Two test runs at once (teammates share the machine) must not share a queue: a worker
    of one run would take the other's messages and find no such job in its database. Each
    run takes the first db in 5-15 whose lock it can set, and keeps it for the test.
    """
    import redis

    for db in REDIS_DBS:
        client = redis.Redis.from_url(f"{REDIS}/{db}")
        if client.set(LOCK, os.getpid(), nx=True, ex=600):
            break
        client.close()
    else:
        pytest.fail(f"every Redis db in {REDIS_DBS} is taken by other worker test runs")
    try:
        for key in client.scan_iter():
            if key != LOCK.encode():
                client.delete(key)  # a killed worker leaves its unacknowledged message
        yield f"{REDIS}/{db}"
    finally:
        client.flushdb()
        client.close()


@pytest.fixture
def send_to_test_broker(monkeypatch, broker):
    """Point the web side's enqueue at the test broker (the app read its URL at start)."""
    send_task = app.send_task

    def send_to_broker(name: str, *args, **kwargs):
        with app.connection_for_write(broker) as conn:
            return send_task(name, *args, connection=conn, **kwargs)

    monkeypatch.setattr(app, "send_task", send_to_broker)


def _database_url() -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@contextmanager
def celery_worker(
    tmp_path: Path, name: str, broker: str, *options: str, **env: str
) -> Iterator[subprocess.Popen]:
    """A real worker process (and its pool child) in a session of its own; killed on exit.
    `options` go to `celery worker` (e.g. "-Q", "exports"; without -Q it takes every queue).

    With EXPORT_TEST_DELAY_SECONDS or SUGGESTIONS_TEST_DELAY_SECONDS in `env` it runs
    `tests.slow_worker`, whose exports pause after each batch and suggestions before each
    row (the hooks live in test code only)."""
    slow = {"EXPORT_TEST_DELAY_SECONDS", "SUGGESTIONS_TEST_DELAY_SECONDS"} & set(env)
    app = "tests.slow_worker" if slow else "workbench"
    log_path = tmp_path / f"{name}.log"
    environment = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "CELERY_BROKER_URL": broker,
        "DATA_DIR": str(tmp_path / "data"),
        "DB_CONN_MAX_AGE": "0",
        **env,
    }
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", app, "worker", "--concurrency=1",
             "-l", "info", "-n", f"{name}@%h", "--without-gossip", "--without-mingle",
             "--without-heartbeat", *options],
            cwd=REPO, env=environment, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
    try:
        wait_for(lambda: b"ready." in log_path.read_bytes(), 60, f"{name} to start", log_path)
        process.log_path = log_path  # type: ignore[attr-defined]
        yield process
    finally:
        kill_worker(process)


@contextmanager
def celery_beat(tmp_path: Path, broker: str, **env: str) -> Iterator[subprocess.Popen]:
    """A real `celery beat` process (the cluster's one), sending the periodic tasks of
    settings.CELERY_BEAT_SCHEDULE to `broker`; killed on exit."""
    log_path = tmp_path / "beat.log"
    environment = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "CELERY_BROKER_URL": broker,
        "DATA_DIR": str(tmp_path / "data"),
        **env,
    }
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "workbench", "beat", "-l", "info"],
            cwd=REPO, env=environment, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
    try:
        wait_for(lambda: b"beat: Starting" in log_path.read_bytes(), 60, "beat", log_path)
        process.log_path = log_path  # type: ignore[attr-defined]
        yield process
    finally:
        kill_worker(process)


def kill_worker(process: subprocess.Popen) -> None:
    """SIGKILL the worker's whole process group (parent and pool child), then reap it."""
    with suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)


def pool_children(process: subprocess.Popen) -> list[int]:
    path = Path(f"/proc/{process.pid}/task/{process.pid}/children")
    return [int(pid) for pid in path.read_text().split()]


def wait_for(check: Callable[[], object], seconds: float, what: str, log: Path | None = None):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(0.2)
    tail = log.read_text(errors="replace")[-3000:] if log else ""
    raise AssertionError(f"timed out after {seconds}s waiting for {what}\n{tail}")


def wait_until_finished(client, job_id: int, seconds: float, what: str, log: Path) -> dict:
    """Poll the job through the API until it succeeded or failed; its JSON."""

    def finished() -> dict | None:
        body = client.get(f"/api/exports/{job_id}/").json()
        return body if body["status"] in ("succeeded", "failed") else None

    return wait_for(finished, seconds, what, log)


def job_state(job_id: int) -> ExportJob:
    return ExportJob.objects.get(pk=job_id)


def downloaded_records(client, job: dict) -> list[dict]:
    response = client.get(f"/api/exports/{job['id']}/download/")
    assert response.status_code == 200
    data = b"".join(response.streaming_content)
    assert hashlib.sha256(data).hexdigest() == job["sha256"]
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert sorted(archive.namelist()) == ["README.md", "documents.jsonl"]
        return [json.loads(line) for line in archive.read("documents.jsonl").splitlines()]


@pytest.mark.worker
def test_real_worker_runs_an_export_requested_through_the_api(
    cast, transactional_db, send_to_test_broker, broker, settings, tmp_path
):
    """POST → a Celery worker process claims and writes it → GET says succeeded → the zip
    downloads with every gold document."""
    settings.MEDIA_ROOT = tmp_path / "data" / "media"
    gold_corpus(cast, 5)
    client = cast.client("reviewer")
    with celery_worker(tmp_path, "exports-a", broker) as worker:
        response = client.post(api(cast.project.pk, "exports/"), {"format": "jsonl"}, format="json")
        assert response.status_code == 202
        job = wait_until_finished(
            client, response.json()["id"], 120, "the export to finish", worker.log_path
        )
    assert job["status"] == "succeeded", job["error"]
    assert job["attempt"] == 1 and job["row_count"] == 5
    assert job["progress"] == {"done": 5, "total": 5}
    records = downloaded_records(client, job)
    assert [r["external_id"] for r in records] == [f"w{i:03}" for i in range(5)]
    assert records[0]["relations"] == [SPEAKER]


def serve_worker_options(queue: str) -> list[str]:
    """The `celery worker` options `scripts/serve` (`make run`) gives the worker of `queue`,
    less its name, log level and concurrency (the fixture sets those)."""
    serve = (REPO / "scripts" / "serve").read_text().replace("\\\n", " ")
    for line in serve.splitlines():
        words = line.split()
        if "worker" in words and "-Q" in words and words[words.index("-Q") + 1] == queue:
            options = words[words.index("worker", words.index("-A")) + 1 : words.index("&")]
            for flag in ("-n", "-l"):
                del options[options.index(flag) : options.index(flag) + 2]
            return [o for o in options if not o.startswith("--concurrency")]
    raise AssertionError(f"scripts/serve starts no worker on {queue}")


@pytest.mark.worker
def test_an_export_finishes_while_suggestions_run_and_wait(
    cast, transactional_db, send_to_test_broker, broker, settings, tmp_path
):
    """With the workers `make run` starts (DECISIONS 69), an export requested while one
    suggestions task runs (each row held 60 s) and another waits finishes in seconds;
    both suggestions are still pending then."""
    from annotations.models import SuggestionSet

    settings.MEDIA_ROOT = tmp_path / "data" / "media"
    gold_corpus(cast, 3)
    first, second = cast.project.documents.order_by("pk").values_list("pk", flat=True)[:2]
    annotator = cast.client("annotator")
    slow = {"SUGGESTIONS_TEST_DELAY_SECONDS": "60"}
    exports_options = serve_worker_options("exports")
    suggestions_options = serve_worker_options("suggestions")
    assert "exports" not in suggestions_options and "suggestions" not in exports_options
    with (
        celery_worker(tmp_path, "exports", broker, *exports_options, **slow) as exporter,
        celery_worker(tmp_path, "suggester", broker, *suggestions_options, **slow) as suggester,
    ):
        for doc in (first, second):
            path = api(cast.project.pk, f"documents/{doc}/suggestions/")
            assert annotator.post(path, {}, format="json").status_code == 202
        wait_for(
            lambda: b"annotations.suggestions_compute[" in suggester.log_path.read_bytes(),
            30, "the suggestions task to start", suggester.log_path,
        )  # fmt: skip
        client = cast.client("reviewer")
        asked = time.monotonic()
        response = client.post(api(cast.project.pk, "exports/"), {"format": "jsonl"}, format="json")
        assert response.status_code == 202
        job = wait_until_finished(
            client, response.json()["id"], 40, "the export beside suggestions", exporter.log_path
        )
        took = time.monotonic() - asked
        pending = SuggestionSet.objects.filter(document__in=[first, second], status="pending")
        still = set(pending.values_list("document_id", flat=True))
    assert job["status"] == "succeeded", job["error"]
    assert job["row_count"] == 3 and took < 40
    assert still == {first, second}
    print(f"\nexport beside a running suggestions task: {took:.2f}s from request to done")


SLOW = {"EXPORT_BATCH_SIZE": "1", "EXPORT_TEST_DELAY_SECONDS": "0.25", "EXPORT_STALE_SECONDS": "3"}


@pytest.mark.worker
def test_killed_worker_job_is_finished_by_the_next_worker(
    cast, transactional_db, send_to_test_broker, broker, settings, tmp_path
):
    """SIGKILL a worker mid-export: the job is left running with no file; a new worker
    re-queues it at start, takes it over once stale, and finishes it as attempt 2."""
    settings.MEDIA_ROOT = tmp_path / "data" / "media"
    gold_corpus(cast, 24)
    client = cast.client("reviewer")
    with celery_worker(tmp_path, "exports-doomed", broker, **SLOW) as doomed:
        job_id = client.post(
            api(cast.project.pk, "exports/"), {"format": "jsonl"}, format="json"
        ).json()["id"]
        wait_for(lambda: job_state(job_id).progress_done >= 4, 60, "progress", doomed.log_path)
        kill_worker(doomed)
    dead = job_state(job_id)
    assert (dead.status, dead.attempt, dead.file.name) == ("running", 1, "")
    assert 4 <= dead.progress_done < 24
    assert not list((tmp_path / "data").rglob("*.zip"))
    with celery_worker(tmp_path, "exports-rescue", broker, **SLOW) as rescue:
        job = wait_until_finished(
            client, job_id, 90, "the rescue worker to finish the export", rescue.log_path
        )
    assert job["status"] == "succeeded", job["error"]
    assert job["attempt"] == 2 and job["row_count"] == 24
    assert len(downloaded_records(client, job)) == 24
    assert len(list((tmp_path / "data").rglob("*.zip"))) == 1


@pytest.mark.worker
def test_killed_pool_child_message_is_redelivered_and_finished(
    cast, transactional_db, send_to_test_broker, broker, settings, tmp_path
):
    """SIGKILL only the pool child running the export: with acks_late and
    reject_on_worker_lost the message goes back to the queue, and the same worker takes
    the stale job over and finishes it."""
    settings.MEDIA_ROOT = tmp_path / "data" / "media"
    gold_corpus(cast, 16)
    client = cast.client("reviewer")
    with celery_worker(tmp_path, "exports-b", broker, **SLOW) as worker:
        job_id = client.post(
            api(cast.project.pk, "exports/"), {"format": "jsonl"}, format="json"
        ).json()["id"]
        wait_for(lambda: job_state(job_id).progress_done >= 3, 60, "progress", worker.log_path)
        for child in pool_children(worker):
            os.kill(child, signal.SIGKILL)
        job = wait_until_finished(
            client, job_id, 90, "the redelivered export to finish", worker.log_path
        )
    assert job["status"] == "succeeded", job["error"]
    assert job["attempt"] == 2 and job["row_count"] == 16
    assert len(downloaded_records(client, job)) == 16
