"""`/healthz`, `/readyz`, `/metrics` and the JSON logs with their request id, through HTTP.

In-process (Django's test client) for what one process answers; real gunicorn servers on
free ports for what only a deployment shows: a wrong database, broker or storage URL
(given to that server alone: the shared PostgreSQL and Redis are never stopped),
prometheus_client's multi-process mode across gunicorn's worker processes, and the JSON
lines gunicorn and Django write. Metrics are read with prometheus_client's own parser.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager, suppress
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from django.db import connection
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from annotations.models import ExportJob
from annotations.services.exports import export_run
from tests.components import free_port
from tests.conftest import api
from tests.factories import DocumentFactory

REPO = Path(__file__).resolve().parent.parent
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))


def samples(text: str) -> dict[tuple[str, tuple], float]:
    """Every sample of a scrape: (name, sorted labels) → value."""
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def value(scrape: dict, name: str, **labels: str) -> float:
    return scrape.get((name, tuple(sorted(labels.items()))), 0.0)


def scrape(client) -> dict:
    response = client.get("/metrics")
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("text/plain; version=")
    return samples(response.content.decode())


# --- one process -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_healthz_answers_without_the_database_whatever_the_host(
    client, settings, django_assert_num_queries
):
    """200 `{"status": "ok"}` with no query, to a Host header ALLOWED_HOSTS does not list
    and over plain HTTP with SECURE_SSL_REDIRECT on (a probe knows the server by its IP)."""
    settings.ALLOWED_HOSTS = ["annotate.example.org"]
    settings.SECURE_SSL_REDIRECT = True
    with django_assert_num_queries(0):
        response = client.get("/healthz", HTTP_HOST="10.0.0.7:8000")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response["Cache-Control"] == "no-store"
    # Everything else still gets the host check and the redirect.
    assert client.get("/login/", HTTP_HOST="10.0.0.7:8000").status_code == 400
    assert client.post("/healthz").status_code == 405


@pytest.mark.django_db
def test_readyz_is_ready_when_every_part_answers(client):
    """The test's PostgreSQL, Redis and storage are up and migrated: 200 and each part ok."""
    response = client.get("/readyz/")
    assert response.status_code == 200, response.content
    assert response.json() == {
        "status": "ready",
        "failed": [],
        "checks": dict.fromkeys(["database", "migrations", "broker", "storage"], "ok"),
    }


@pytest.mark.django_db
def test_metrics_are_refused_to_an_address_not_configured(client, settings):
    """Loopback by default; any other address gets 403, and so does a forged
    X-Forwarded-For (no trusted proxy); a listed network is let in."""
    assert client.get("/metrics").status_code == 200  # the test client is 127.0.0.1
    outside = {"REMOTE_ADDR": "203.0.113.9"}
    refused = client.get("/metrics", **outside)
    assert refused.status_code == 403
    assert b"METRICS_ALLOWED_IPS" in refused.content and b"workbench_" not in refused.content
    forged = client.get("/metrics", HTTP_X_FORWARDED_FOR="127.0.0.1", **outside)
    assert forged.status_code == 403
    settings.METRICS_ALLOWED_IPS = ["203.0.113.0/24"]
    assert client.get("/metrics", **outside).status_code == 200
    assert client.get("/metrics").status_code == 403


def test_request_latency_is_counted_by_route(cast, client):
    """Each request adds one observation under its URL pattern (not its ids), method and
    status; a refused one under its own status."""
    client.force_login(cast.annotator)
    route = "api/projects/<int:project_id>/"
    ok = {"route": route, "method": "GET", "status": "200"}
    before = scrape(client)
    for _ in range(3):
        assert client.get(api(cast.project.pk)).status_code == 200
    assert client.get(api(cast.other_project.pk)).status_code in (403, 404)
    after = scrape(client)
    count = "workbench_http_request_duration_seconds_count"
    assert value(after, count, **ok) - value(before, count, **ok) == 3
    refused = sum(
        value(after, count, route=route, method="GET", status=s)
        - value(before, count, route=route, method="GET", status=s)
        for s in ("403", "404")
    )
    assert refused == 1
    # No label holds an id: every route label is a pattern or a probe's name.
    routes = {dict(labels).get("route") for (name, labels) in after if name == count}
    assert not any(str(cast.project.pk) in r for r in routes if r), routes
    # An observation lands in the buckets: +Inf holds all of them.
    inf = value(after, "workbench_http_request_duration_seconds_bucket", le="+Inf", **ok)
    assert inf == value(after, count, **ok)


def test_export_and_annotator_metrics_follow_the_rows(cast, client, settings, tmp_path):
    """Queue depth counts a requested export until it runs; a finished one is counted by
    format and status with its duration; a failed one as failed; someone saving work is an
    active annotator for five minutes."""
    settings.MEDIA_ROOT = tmp_path
    requester = cast.client("reviewer")
    before = scrape(client)
    assert value(before, "workbench_export_queue_depth") == 0
    response = requester.post(api(cast.project.pk, "exports/"), {"format": "jsonl"}, format="json")
    assert response.status_code == 202, response.content
    job_id = response.json()["id"]
    assert value(scrape(client), "workbench_export_queue_depth") == 1

    export_run(job_id)  # what the worker's task does
    broken = ExportJob.objects.create(project=cast.project, format="no-such-format")
    export_run(broken.pk)
    job = ExportJob.objects.get(pk=job_id)
    assert job.status == "succeeded" and broken.__class__.objects.get(pk=broken.pk).status == (
        "failed"
    )
    # A longer run, its times set as a worker would have: 90 s lands in the 120 s bucket.
    started = timezone.now() - timedelta(seconds=100)
    ExportJob.objects.create(
        project=cast.project,
        format="jsonl",
        status="succeeded",
        started_at=started,
        finished_at=started + timedelta(seconds=90),
    )
    after = scrape(client)
    assert value(after, "workbench_export_queue_depth") == 0
    ok = {"format": "jsonl", "status": "succeeded"}
    assert value(after, "workbench_export_jobs_total", **ok) == 2
    assert value(after, "workbench_export_jobs_total", format="no-such-format", status="failed")
    assert value(after, "workbench_export_duration_seconds_count", **ok) == 2
    took = (job.finished_at - job.started_at).total_seconds()
    assert value(after, "workbench_export_duration_seconds_sum", **ok) == pytest.approx(
        took + 90, abs=0.01
    )
    assert value(after, "workbench_export_duration_seconds_bucket", le="60.0", **ok) == (
        1 if took <= 60 else 0
    )
    assert value(after, "workbench_export_duration_seconds_bucket", le="120.0", **ok) == 2

    assert value(after, "workbench_active_annotators") == 0
    document = DocumentFactory(project=cast.project, text="Kata Budi di Jakarta.")
    mine = api(cast.project.pk, f"documents/{document.pk}/annotations/mine/")
    for who in ("annotator", "teammate"):
        body = {"version": 0, "spans": [{"id": "s1", "start": 5, "end": 9, "label": "PER"}]}
        response = cast.client(who).put(mine, body, format="json")
        assert response.status_code == 200, response.content
    assert value(scrape(client), "workbench_active_annotators") == 2
    # Six minutes later, one of them saved again.
    from annotations.models import AnnotationEvent

    AnnotationEvent.objects.update(created_at=timezone.now() - timedelta(minutes=6))
    patch = {"version": 1, "ops": [{"op": "delete_span", "id": "s1"}]}
    response = cast.client("annotator").patch(mine, patch, format="json")
    assert response.status_code == 200, response.content
    assert value(scrape(client), "workbench_active_annotators") == 1


@pytest.mark.django_db
def test_request_id_is_taken_or_made_and_echoed(client):
    """A well-formed incoming X-Request-ID is echoed; none or a malformed one (spaces,
    a forged log line) is replaced by a fresh 32-hex id."""
    given = client.get("/login/", HTTP_X_REQUEST_ID="lb-7f3a.42")
    assert given["X-Request-ID"] == "lb-7f3a.42"
    made = [client.get("/login/")["X-Request-ID"] for _ in range(2)]
    made.append(client.get("/login/", HTTP_X_REQUEST_ID='x" injected\nline')["X-Request-ID"])
    assert all(len(m) == 32 and int(m, 16) >= 0 for m in made)
    assert len(set(made)) == 3
    assert client.get("/healthz", HTTP_X_REQUEST_ID="probe-1")["X-Request-ID"] == "probe-1"


# --- real gunicorn servers -------------------------------------------------------------------


def _database_url() -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class Server:
    def __init__(self, process: subprocess.Popen, port: int, log: Path) -> None:
        self.process, self.url, self.log = process, f"http://127.0.0.1:{port}", log

    def lines(self) -> list[str]:
        return [line for line in self.log.read_text().splitlines() if line.strip()]


def _start(tmp_path: Path, name: str, **env: str) -> Server:
    port = free_port()
    log = tmp_path / f"{name}.log"
    environment = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "DATA_DIR": str(tmp_path / name),
        "DB_CONN_MAX_AGE": "0",
        "PORT": str(port),
        "WEB_WORKERS": "1",
        "WEB_THREADS": "2",
        **env,
    }
    environment.pop("PROMETHEUS_MULTIPROC_DIR", None)
    with log.open("wb") as out:
        process = subprocess.Popen(
            [GUNICORN, "-c", "workbench/gunicorn.conf.py", "workbench.wsgi"],
            cwd=REPO, env=environment, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
    return Server(process, port, log)


def _wait_healthy(server: Server, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            break
        with suppress(httpx.HTTPError):
            if httpx.get(f"{server.url}/healthz", timeout=2).status_code == 200:
                return
        time.sleep(0.3)
    raise AssertionError(f"gunicorn did not answer /healthz\n{server.log.read_text()[-3000:]}")


def _stop(server: Server) -> None:
    with suppress(ProcessLookupError):
        os.killpg(server.process.pid, signal.SIGTERM)
    try:
        server.process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(server.process.pid, signal.SIGKILL)
        server.process.wait(timeout=30)


@contextmanager
def gunicorns(tmp_path: Path, **configs: dict[str, str]) -> Iterator[dict[str, Server]]:
    """Start every named server at once (each imports Django for seconds), wait for all."""
    with ExitStack() as stack:
        servers = {}
        for name, env in configs.items():
            servers[name] = _start(tmp_path, name, **env)
            stack.callback(_stop, servers[name])
        for server in servers.values():
            _wait_healthy(server)
        yield servers


def _closed_port() -> int:
    return free_port()  # bound and released: nothing listens there


@pytest.mark.django_db(transaction=True)
def test_readyz_names_the_part_that_is_not_ready(tmp_path):
    """Each server is given one wrong setting: /readyz answers 503 naming that part (and
    only it) while /healthz still answers 200; the failure is logged with its reason."""
    closed = _closed_port()
    configs = {
        "database": {"DATABASE_URL": f"postgres://postgres@127.0.0.1:{closed}/nowhere"},
        "broker": {"CELERY_BROKER_URL": f"redis://127.0.0.1:{closed}/0"},
        # A bucket on a port nobody listens on (filesystem storage has no setting of its own
        # to point elsewhere: it is DATA_DIR's media/).
        "storage": {
            "FILE_STORAGE": "s3",
            "S3_BUCKET": "exports",
            "S3_ENDPOINT_URL": f"http://127.0.0.1:{closed}",
            "S3_ACCESS_KEY_ID": "test",
            "S3_SECRET_ACCESS_KEY": "test",
            "S3_ADDRESSING_STYLE": "path",
        },
        # A database that answers but was never migrated.
        "migrations": {"DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}"},
    }
    expected_failed = {
        "database": ["database", "migrations"],
        "broker": ["broker"],
        "storage": ["storage"],
        "migrations": ["migrations"],
    }
    with gunicorns(tmp_path, **configs) as servers:
        for name, server in servers.items():
            response = httpx.get(f"{server.url}/readyz", timeout=20)
            assert response.status_code == 503, (name, response.text)
            body = response.json()
            assert body["status"] == "unavailable"
            assert body["failed"] == expected_failed[name], (name, body)
            for part, state in body["checks"].items():
                assert (state == "ok") == (part not in expected_failed[name]), (name, body)
            assert httpx.get(f"{server.url}/healthz", timeout=5).status_code == 200
        database = servers["database"]
        assert "unreachable (OperationalError)" in httpx.get(f"{database.url}/readyz").text
        unmigrated = httpx.get(f"{servers['migrations'].url}/readyz").text
        assert "not applied (contenttypes.0001_initial" in unmigrated
        assert "readyz: broker is unreachable" in servers["broker"].log.read_text()


@pytest.mark.django_db(transaction=True)
def test_metrics_add_up_every_gunicorn_worker_process_and_logs_are_json(tmp_path):
    """Two gunicorn worker processes answer 40 requests between them; every scrape, whoever
    answers it, counts all 40 (multi-process mode). With LOG_FORMAT=json every line the
    server writes is a JSON object; each request's line carries its request id, route,
    status and process."""
    env = {"WEB_WORKERS": "2", "WEB_THREADS": "1", "LOG_FORMAT": "json"}
    with gunicorns(tmp_path, web=env) as servers:
        server = servers["web"]

        def fetch(i: int) -> httpx.Response:
            # A connection per request, so the kernel hands them to either process.
            return httpx.get(f"{server.url}/login/", headers={"X-Request-ID": f"t-{i}"})

        with ThreadPoolExecutor(8) as pool:
            responses = list(pool.map(fetch, range(40)))
        assert [r.status_code for r in responses] == [200] * 40
        assert [r.headers["X-Request-ID"] for r in responses] == [f"t-{i}" for i in range(40)]
        labels = {"route": "login/", "method": "GET", "status": "200"}
        counts = set()
        for _ in range(6):
            text = httpx.get(f"{server.url}/metrics").text
            counts.add(
                value(samples(text), "workbench_http_request_duration_seconds_count", **labels)
            )
        assert counts == {40.0}
        lines = server.lines()

    records = [json.loads(line) for line in lines]  # every line, gunicorn's own included
    assert all(isinstance(r, dict) and r.get("message") is not None for r in records)
    assert any(
        r["logger"] == "gunicorn.error" and "Booting worker" in r["message"] for r in records
    )
    requests = {r["request_id"]: r for r in records if r["logger"] == "workbench.request"}
    assert set(requests) == {f"t-{i}" for i in range(40)}
    line = requests["t-7"]
    assert (line["method"], line["path"], line["route"], line["status"]) == (
        "GET", "/login/", "login/", 200,
    )  # fmt: skip
    assert line["level"] == "INFO" and line["duration_ms"] >= 0
    # Both worker processes served some of them (and both were counted above).
    assert len({r["process"] for r in requests.values()}) == 2, requests


@pytest.mark.django_db(transaction=True)
def test_log_lines_written_during_a_request_carry_its_id(tmp_path):
    """A warning logged while serving a request (readyz finding the broker down) is a JSON
    line with the request's id and the exception."""
    closed = _closed_port()
    env = {"CELERY_BROKER_URL": f"redis://127.0.0.1:{closed}/0", "LOG_FORMAT": "json"}
    with gunicorns(tmp_path, web=env) as servers:
        server = servers["web"]
        response = httpx.get(f"{server.url}/readyz", headers={"X-Request-ID": "probe-42"})
        assert response.status_code == 503
        assert response.headers["X-Request-ID"] == "probe-42"
        time.sleep(0.5)
        records = [json.loads(line) for line in server.lines()]
    warning = next(r for r in records if r["logger"] == "workbench.health")
    assert warning["request_id"] == "probe-42" and warning["level"] == "WARNING"
    assert "broker is unreachable" in warning["message"]
    assert "exc_info" in warning
