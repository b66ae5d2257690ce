"""PostgreSQL restarted under a running stack: gunicorn and a Celery worker on a PostgreSQL
cluster and a Redis of this module's own (`tests.components`), driven over HTTP.

- Writes during the restart get either their normal answer or a 503 in the JSON error body
  with Retry-After; the app recovers by itself (no restart of gunicorn); nothing is half
  saved: every acknowledged span is stored once and every version equals its history.
- An export running through the restart is given back and finished as the next attempt
  by itself, and no partial file is ever offered.

Marked `faults` (`make test-faults`); the stack takes about 20 s to start here.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import psycopg
import pytest

from tests.components import (
    PostgresCluster,
    RedisServer,
    free_port,
    postgres_cluster,
    redis_server,
    wait_port,
)

pytestmark = [
    pytest.mark.faults,
    pytest.mark.worker,
    pytest.mark.skipif(
        not (shutil.which("pg_createcluster") and shutil.which("redis-server")),
        reason="needs PostgreSQL's pg_createcluster and redis-server",
    ),
]
logging.getLogger("httpx").setLevel(logging.WARNING)  # no line per request

REPO = Path(__file__).resolve().parent.parent
PASSWORD = "faults-Pa55word"


@dataclass
class Stack:
    cluster: PostgresCluster
    redis: RedisServer
    database: str
    base: str
    data: Path
    logs: Path
    token: str

    def client(self) -> httpx.Client:
        return httpx.Client(
            base_url=self.base, headers={"Authorization": f"Token {self.token}"}, timeout=30
        )

    def sql(self, query: str, *params) -> list[tuple]:
        with psycopg.connect(self.database, autocommit=True) as conn:
            return conn.execute(query, params).fetchall()

    def tail(self) -> str:
        return "\n".join(
            f"--- {p.name}\n{p.read_text(errors='replace')[-2500:]}"
            for p in self.logs.glob("*.log")
        )


def _spawn(command: list[str], env: dict, log: Path) -> subprocess.Popen:
    with log.open("ab") as out:
        return subprocess.Popen(
            command, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip


def _stop(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, 15)
        process.wait(timeout=20)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        os.killpg(process.pid, 9)
        process.wait(timeout=20)


@pytest.fixture(scope="module")
def stack(tmp_path_factory) -> Iterator[Stack]:
    root = tmp_path_factory.mktemp("stack")
    logs = root / "logs"
    logs.mkdir()
    with postgres_cluster() as cluster, redis_server(root / "redis") as redis:
        database = cluster.create_database("faults")
        port = free_port()
        env = {
            **os.environ,
            "DATABASE_URL": database,
            "CELERY_BROKER_URL": redis.url,
            "DATA_DIR": str(root / "data"),
            "DJANGO_SECRET_KEY": "faults-test-secret-key-" + "x" * 40,
            "EXPORT_BATCH_SIZE": "1",
            "EXPORT_TEST_DELAY_SECONDS": "0.3",
            "EXPORT_SWEEP_SECONDS": "1",
            "DJANGO_SUPERUSER_PASSWORD": PASSWORD,
            "PYTHONUNBUFFERED": "1",
        }
        manage = [sys.executable, "manage.py"]
        subprocess.run([*manage, "migrate", "--no-input", "-v0"], cwd=REPO, env=env, check=True)
        subprocess.run(
            [*manage, "createsuperuser", "--no-input", "--username", "chief",
             "--email", "chief@example.org"],
            cwd=REPO, env=env, check=True,
        )  # fmt: skip
        web = _spawn(
            [sys.executable, "-m", "gunicorn", "workbench.wsgi", "--bind", f"127.0.0.1:{port}",
             "--workers", "2", "--threads", "4"],
            env, logs / "gunicorn.log",
        )  # fmt: skip
        worker = _spawn(
            [sys.executable, "-m", "celery", "-A", "tests.slow_worker", "worker",
             "--concurrency=1", "-l", "info", "--without-gossip", "--without-mingle"],
            env, logs / "worker.log",
        )  # fmt: skip
        # The cluster's one beat: the export sweep that sends a job given back again.
        beat = _spawn(
            [sys.executable, "-m", "celery", "-A", "workbench", "beat", "-l", "info"],
            env, logs / "beat.log",
        )  # fmt: skip
        try:
            wait_port(port, 60)
            base = f"http://127.0.0.1:{port}"
            token = httpx.post(
                f"{base}/api/auth/token/",
                json={"username": "chief", "password": PASSWORD},
                timeout=60,  # the first answer waits for a worker to load the app
            ).json()["token"]
            yield Stack(cluster, redis, database, base, root / "data", logs, token)
        finally:
            _stop(web)
            _stop(worker)
            _stop(beat)


def new_project(stack: Stack, name: str, documents: list[dict]) -> int:
    with stack.client() as client:
        project = client.post("/api/projects/", json={"name": name, "preset": "news"}).json()
        lines = "\n".join(json.dumps(d) for d in documents).encode()
        response = client.post(
            f"/api/projects/{project['id']}/documents/upload/",
            files={"file": ("docs.jsonl", lines, "application/octet-stream")},
        )
        assert response.status_code == 201, response.text
    return project["id"]


TEXT = "Jens Stoltenberg berkata di Brussel bahwa aliansi siap. " * 20


def test_writes_during_a_postgres_restart_get_a_json_503_and_nothing_is_half_saved(stack):
    """Eight annotators autosave while PostgreSQL restarts (fast shutdown: every session
    cut). Each answer is 200 or a JSON 503 `unavailable` with Retry-After; within seconds
    of the restart every writer succeeds again; the database then holds exactly the
    acknowledged spans, and each version equals its history."""
    writers = 8
    project = new_project(
        stack, "restart-writes", [{"external_id": f"w{i}", "text": TEXT} for i in range(writers)]
    )
    with stack.client() as client:
        ids = [d["id"] for d in client.get(f"/api/projects/{project}/documents/").json()["results"]]
    acknowledged: dict[int, dict[str, tuple[int, int]]] = {d: {} for d in ids}
    versions = dict.fromkeys(ids, 0)
    answers: list[tuple[float, int, str, str]] = []
    stop = threading.Event()

    def write(doc_id: int) -> None:
        mine = f"/api/projects/{project}/documents/{doc_id}/annotations/mine/"
        with stack.client() as client:
            n = 0
            while not stop.is_set():
                start = (n * 7) % 1000
                span = {"id": f"s{n}", "start": start, "end": start + 5, "label": "PER"}
                body = {"version": versions[doc_id], "ops": [{"op": "add_span", "span": span}]}
                try:
                    response = client.patch(mine, json=body)
                except httpx.HTTPError as exc:
                    answers.append((time.monotonic(), 0, type(exc).__name__, ""))
                    time.sleep(0.2)
                    continue
                kind = response.headers.get("content-type", "")
                answers.append(
                    (time.monotonic(), response.status_code, kind,
                     response.headers.get("retry-after", ""))
                )  # fmt: skip
                if response.status_code == 200:
                    versions[doc_id] = response.json()["version"]
                    acknowledged[doc_id][span["id"]] = (span["start"], span["end"])
                    n += 1
                elif response.status_code == 409:  # the write landed, its answer did not
                    versions[doc_id] = response.json()["current_version"]
                    n += 1
                else:
                    time.sleep(0.2)

    threads = [threading.Thread(target=write, args=(d,)) for d in ids]
    for thread in threads:
        thread.start()
    time.sleep(2)
    restart_began = time.monotonic()
    stack.cluster.restart()
    restarted = time.monotonic()
    time.sleep(6)
    stop.set()
    for thread in threads:
        thread.join(timeout=60)
    during = [a for a in answers if restart_began <= a[0]]
    bad = [a for a in answers if a[1] not in (200, 409, 503)]
    outages = [a for a in answers if a[1] == 503]
    assert not bad, f"answers other than 200/409/503: {bad[:5]}\n{stack.tail()}"
    assert all(a[2].startswith("application/json") and a[3] for a in outages), outages[:3]
    recovered = [a for a in during if a[0] > restarted + 3]
    assert recovered and all(a[1] in (200, 409) for a in recovered), recovered[-5:]
    stored = stack.sql(
        "SELECT a.document_id, s.client_id, s.start, s.end FROM annotations_span s"
        " JOIN annotations_annotation a ON a.id = s.annotation_id"
        " JOIN annotations_document d ON d.id = a.document_id WHERE d.project_id = %s",
        project,
    )
    by_doc: dict[int, dict[str, tuple[int, int]]] = {d: {} for d in ids}
    for doc_id, client_id, start, end in stored:
        assert client_id not in by_doc[doc_id], f"{client_id} stored twice"
        by_doc[doc_id][client_id] = (start, end)
    for doc_id in ids:
        missing = set(acknowledged[doc_id]) - set(by_doc[doc_id])
        assert not missing, f"document {doc_id}: acknowledged but not stored: {missing}"
    histories = stack.sql(
        "SELECT a.id, a.version, count(e.id), coalesce(max(e.version), 0)"
        " FROM annotations_annotation a JOIN annotations_document d ON d.id = a.document_id"
        " LEFT JOIN annotations_annotationevent e ON e.annotation_id = a.id"
        " WHERE d.project_id = %s GROUP BY a.id, a.version",
        project,
    )
    assert histories and all(v == n == top for _, v, n, top in histories), histories
    print(
        f"\nrestart took {restarted - restart_began:.1f}s; {len(answers)} answers, "
        f"{len(outages)} JSON 503s with Retry-After, "
        f"{sum(1 for a in answers if a[1] == 200)} acknowledged"
    )


def test_export_running_through_a_postgres_restart_finishes_by_itself(stack):
    """A slow export (one document a batch, 0.3 s each) is running when PostgreSQL restarts:
    its run is given back and started again as attempt 2, finishes, and its zip downloads
    whole; no other file is left and nothing is offered before."""
    project = new_project(
        stack, "restart-export",
        [{"external_id": f"e{i:02}", "text": TEXT,
          "spans": [{"id": "s1", "start": 0, "end": 16, "label": "PER"}]} for i in range(20)],
    )  # fmt: skip
    with stack.client() as client:
        job = client.post(f"/api/projects/{project}/exports/", json={"format": "jsonl"}).json()
        url = f"/api/exports/{job['id']}/"

        def state() -> dict:
            for _ in range(100):
                try:
                    response = client.get(url)
                    if response.status_code == 200:
                        return response.json()
                except httpx.HTTPError:
                    pass
                time.sleep(0.3)
            raise AssertionError(f"no answer for {url}\n{stack.tail()}")

        deadline = time.monotonic() + 60
        while state()["progress"]["done"] < 3:
            assert time.monotonic() < deadline, stack.tail()
            time.sleep(0.2)
        stack.cluster.restart()
        restarted = time.monotonic()
        seen = []
        while (current := state())["status"] not in ("succeeded", "failed"):
            seen.append((current["status"], current["attempt"]))
            assert client.get(f"{url}download/").status_code == 404
            assert time.monotonic() < restarted + 90, f"{current}\n{stack.tail()}"
            time.sleep(0.3)
        finished_in = time.monotonic() - restarted
        assert current["status"] == "succeeded", f"{current}\n{stack.tail()}"
        assert current["attempt"] == 2 and current["row_count"] == 20
        download = client.get(f"{url}download/")
        assert hashlib.sha256(download.content).hexdigest() == current["sha256"]
    zips = list((stack.data / "media" / "exports" / str(project)).rglob("*"))
    assert [p.name for p in zips if p.is_file()] == [current["file_name"]]
    print(f"\nexport after the restart: {sorted(set(seen))}, finished {finished_in:.1f}s later")
