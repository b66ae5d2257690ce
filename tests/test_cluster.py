"""More than one machine: two gunicorn instances on two ports, two Celery workers and the
cluster's one beat, against one PostgreSQL (the test database), one Redis (the test's own
db) and one bucket (moto's server), each process with a DATA_DIR of its own, so nothing is
shared through a local disk or a process's memory.

Interleaved writes from both instances keep every version check (a stale version is a 409,
no acknowledged write is lost or doubled); both workers drain one export queue, every job
done once, its file downloadable from either instance.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from annotations.models import Annotation, AnnotationEvent, ExportJob, ExportStatus
from annotations.services.exports import export_request
from annotations.services.tokens import token_create
from tests import s3 as s3_fixtures
from tests import test_exports_worker as worker_tests
from tests.components import free_port, wait_port
from tests.factories import DocumentFactory
from tests.test_export_records import PER, QUOTE, SPEAKER, annotate
from tests.test_exports_worker import REPO, _database_url, celery_beat, celery_worker, wait_for

s3_server, s3 = s3_fixtures.s3_server, s3_fixtures.s3
broker = worker_tests.broker

pytestmark = pytest.mark.worker
SECRET = "cluster-test-secret-key-" + "k" * 40


@dataclass
class Cluster:
    webs: list[str]
    workers: list[subprocess.Popen]
    logs: Path
    tokens: dict[str, str] = field(default_factory=dict)

    def client(self, instance: int, who: str) -> httpx.Client:
        return httpx.Client(
            base_url=self.webs[instance],
            headers={"Authorization": f"Token {self.tokens[who]}"},
            timeout=60,
        )

    def tail(self) -> str:
        return "\n".join(
            f"--- {p.name}\n{p.read_text(errors='replace')[-2000:]}"
            for p in self.logs.rglob("*.log")
        )


@contextmanager
def gunicorn(tmp_path: Path, name: str, env: dict[str, str]) -> Iterator[str]:
    port = free_port()
    log_path = tmp_path / f"{name}.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "workbench/gunicorn.conf.py",
             "--bind", f"127.0.0.1:{port}", "workbench.wsgi"],
            cwd=REPO, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            env={**os.environ, **env, "DATA_DIR": str(tmp_path / name), "WEB_WORKERS": "2",
                 "WEB_THREADS": "2", "WEB_ACCESS_LOG": "0"},
        )  # fmt: skip
    try:
        wait_port(port, 90)
        yield f"http://127.0.0.1:{port}"
    finally:
        worker_tests.kill_worker(process)


@pytest.fixture
def cluster(cast, transactional_db, broker, s3, tmp_path) -> Iterator[Cluster]:
    env = {
        **s3.env,
        "DATABASE_URL": _database_url(),
        "CELERY_BROKER_URL": broker,
        "CACHE_URL": broker,  # the shared cache (login counts, the sweep's mark)
        "DJANGO_SECRET_KEY": SECRET,
        "EXPORT_SWEEP_SECONDS": "2",
    }
    with ExitStack() as stack:
        webs = [stack.enter_context(gunicorn(tmp_path, f"web-{i}", env)) for i in (1, 2)]
        workers = []
        for i in (1, 2):
            data = tmp_path / f"worker-{i}"
            data.mkdir()
            worker = celery_worker(data, f"worker-{i}", broker, **env, DATA_DIR=str(data / "data"))
            workers.append(stack.enter_context(worker))
        (tmp_path / "beat").mkdir()
        stack.enter_context(celery_beat(tmp_path / "beat", broker, **env))
        found = Cluster(webs, workers, tmp_path)
        for who in ("reviewer", "annotator", "teammate"):
            found.tokens[who] = token_create(user=getattr(cast, who), name="cluster")[1]
        yield found


def test_interleaved_writes_through_two_instances_keep_every_version_check(cast, cluster):
    """Six writers (two annotators, three tabs each on one document of their own, every
    read from one instance and every write to the other, alternating) add spans with
    PATCH and the version they read. Each stale write is a 409 naming the current version;
    in the end each annotation holds exactly the acknowledged spans, its version counts
    them and its history has one event each."""
    text = "Kata " * 400
    documents = [DocumentFactory(project=cast.project, text=text) for _ in range(2)]
    writes_per_writer, tabs = 12, 3
    acknowledged: dict[tuple[str, int], list[str]] = {}
    conflicts = [0]
    lock = threading.Lock()
    failures: list[str] = []

    def writer(who: str, document_id: int, tab: int) -> None:
        rng = random.Random(f"{who}{tab}")
        url = f"/api/projects/{cast.project.pk}/documents/{document_id}/annotations/mine/"
        clients = [cluster.client(0, who), cluster.client(1, who)]
        done = 0
        try:
            while done < writes_per_writer:
                reader, target = clients[(done + tab) % 2], clients[(done + tab + 1) % 2]
                version = reader.get(url).json()["version"]
                time.sleep(rng.random() * 0.02)  # let the other tabs in
                span_id = f"{who}-{tab}-{done}"
                start = 5 * (tab * writes_per_writer + done)
                span = {"id": span_id, "start": start, "end": start + 4, "label": "PER"}
                body = {"version": version, "ops": [{"op": "add_span", "span": span}]}
                answer = target.patch(url, json=body)
                if answer.status_code == 200:
                    assert answer.json()["version"] == version + 1
                    with lock:
                        acknowledged.setdefault((who, document_id), []).append(span_id)
                    done += 1
                elif answer.status_code == 409:
                    problem = answer.json()
                    assert problem["code"] == "version_conflict", problem
                    assert problem["current_version"] > version
                    with lock:
                        conflicts[0] += 1
                else:
                    raise AssertionError(f"{answer.status_code}: {answer.text[:300]}")
        except Exception as exc:  # reported by the main thread
            failures.append(f"{who} tab {tab}: {exc!r}")
        finally:
            for client in clients:
                client.close()

    threads = [
        threading.Thread(target=writer, args=(who, document.pk, tab))
        for who, document in (("annotator", documents[0]), ("teammate", documents[1]))
        for tab in range(tabs)
    ]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    seconds = time.monotonic() - started
    assert not failures, [*failures, cluster.tail()]

    total = tabs * writes_per_writer
    for (who, document_id), span_ids in acknowledged.items():
        row = Annotation.objects.get(document_id=document_id, annotator=getattr(cast, who))
        assert sorted(row.spans.values_list("client_id", flat=True)) == sorted(span_ids)
        assert len(span_ids) == total and row.version == total
        assert AnnotationEvent.objects.filter(annotation=row).count() == total
    # A write naming a version both instances know is stale is refused by either.
    url = f"/api/projects/{cast.project.pk}/documents/{documents[0].pk}/annotations/mine/"
    stale = {"version": total - 1, "ops": [{"op": "delete_span", "id": "annotator-0-0"}]}
    for instance in (0, 1):
        with cluster.client(instance, "annotator") as client:
            assert client.patch(url, json=stale).status_code == 409
    assert conflicts[0] > 0, "the writers never collided: the test proves nothing"
    print(
        f"\ntwo instances: {2 * total} acknowledged writes by 6 writers in {seconds:.1f}s, "
        f"{conflicts[0]} stale-version 409s, none lost"
    )


def test_two_workers_drain_one_export_queue_each_job_once(cast, cluster, s3):
    """Thirty exports requested alternately through both instances, and one whose message
    was lost (beat's sweep sends it), are run by both workers: each job succeeds at its
    first attempt, each has one object in the bucket, and each downloads, with its
    checksum, from the instance that did not take the request."""
    for i in range(5):
        document = DocumentFactory(project=cast.project, external_id=f"c{i}")
        annotate(document, None, spans=[PER, QUOTE], relations=[SPEAKER])
    jobs = 30
    clients = [cluster.client(0, "reviewer"), cluster.client(1, "reviewer")]
    started = time.monotonic()
    requested = []
    for n in range(jobs):
        answer = clients[n % 2].post(
            f"/api/projects/{cast.project.pk}/exports/", json={"format": "jsonl"}
        )
        assert answer.status_code == 202, answer.text
        requested.append(answer.json()["id"])
    # One more whose message was lost (never sent): beat's sweep sends it.
    lost = export_request(
        project=cast.project, requested_by=cast.reviewer, format="jsonl", enqueue=False
    )
    requested.append(lost.pk)
    jobs += 1

    def all_finished() -> bool:
        return (
            not ExportJob.objects.filter(pk__in=requested)
            .exclude(status__in=(ExportStatus.SUCCEEDED, ExportStatus.FAILED))
            .exists()
        )

    wait_for(all_finished, 240, "every export to finish", cluster.workers[0].log_path)
    seconds = time.monotonic() - started
    rows = list(ExportJob.objects.filter(pk__in=requested).order_by("pk"))
    assert [(r.status, r.attempt) for r in rows] == [(ExportStatus.SUCCEEDED, 1)] * jobs, [
        (r.pk, r.status, r.attempt, r.error) for r in rows
    ]
    keys = s3.keys()
    assert len(keys) == jobs and sorted(r.file.name for r in rows) == keys
    by_worker: dict[str, int] = {}
    for row in rows:
        runner = row.worker.split()[1]  # the pool process that ran it
        by_worker[runner] = by_worker.get(runner, 0) + 1
    parents = {worker.pid: set(worker_tests.pool_children(worker)) for worker in cluster.workers}
    per_worker = [
        sum(count for pid, count in by_worker.items() if int(pid) in children)
        for children in parents.values()
    ]
    assert sum(per_worker) == jobs and all(per_worker), (per_worker, by_worker)
    for n, row in enumerate(rows):
        answer = clients[(n + 1) % 2].get(f"/api/exports/{row.pk}/download/")
        assert answer.status_code == 200 and answer.headers["X-Checksum-SHA256"] == row.sha256
    for client in clients:
        client.close()
    print(
        f"\ntwo workers: {jobs} exports in {seconds:.1f}s, each done once "
        f"(worker 1: {per_worker[0]}, worker 2: {per_worker[1]})"
    )
