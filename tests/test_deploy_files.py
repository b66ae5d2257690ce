"""The compose file and the gunicorn settings: what a deployment starts, checked as files."""

from __future__ import annotations

import os
import runpy
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent


def test_every_compose_service_is_started_again_when_it_dies():
    """`restart: unless-stopped` on every long-running service (a killed gunicorn master, an
    OOM kill); the migration runs once, before web, worker and beat; they start gunicorn and
    Celery as `scripts/serve` does."""
    compose = yaml.safe_load((REPO / "docker-compose.yml").read_text())
    services = compose["services"]
    assert set(services) == {
        "db", "redis", "migrate", "web", "proxy", "worker", "suggestions", "beat"
    }  # fmt: skip
    assert {name: s.get("restart") for name, s in services.items()} == {
        **dict.fromkeys(services, "unless-stopped"),
        "migrate": "no",
    }
    assert "gunicorn" in services["web"]["command"]
    assert "workbench/gunicorn.conf.py" in services["web"]["command"]
    assert "migrate" in " ".join(services["migrate"]["command"])
    # The web service is healthy when /readyz says so (the worker answers Celery's ping).
    assert "http://127.0.0.1:8000/readyz" in " ".join(services["web"]["healthcheck"]["test"])
    for name in ("web", "worker", "suggestions", "beat"):
        assert services[name]["depends_on"]["migrate"] == {
            "condition": "service_completed_successfully"
        }


def test_compose_scales_web_and_worker_and_keeps_one_beat():
    """Web and worker take a replica count; beat is one; every app service shares the
    database, the broker and a Redis cache (no state in one process); the proxy sends
    requests to the web service by name, resolved again as replicas come and go."""
    compose = yaml.safe_load((REPO / "docker-compose.yml").read_text())
    services = compose["services"]
    assert services["web"]["deploy"]["replicas"] == "${WEB_REPLICAS:-1}"
    assert services["worker"]["deploy"]["replicas"] == "${WORKER_REPLICAS:-1}"
    assert services["suggestions"]["deploy"]["replicas"] == "${SUGGESTIONS_REPLICAS:-1}"
    assert services["beat"]["deploy"]["replicas"] == 1
    assert "beat" in services["beat"]["command"]
    for name in ("migrate", "web", "worker", "suggestions", "beat"):
        env = services[name]["environment"]
        assert env["CACHE_URL"].startswith("redis://redis:") and "@db:" in env["DATABASE_URL"]
    assert "ports" not in services["web"]  # replicas cannot share a host port: the proxy has it
    nginx = (REPO / "deploy" / "nginx.conf").read_text()
    assert "resolver 127.0.0.11" in nginx and "set $web http://web:8000;" in nginx


def _queues(command: list[str]) -> set[str]:
    return set(command[command.index("-Q") + 1].split(","))


def test_exports_and_suggestions_have_workers_of_their_own():
    """`scripts/serve` and the compose file each start one worker on `exports` and another on
    `suggestions` (DECISIONS 69): together every declared queue, neither on the other's; the
    suggestion task is routed to `suggestions`, every other task to `exports`."""
    from django.conf import settings

    from annotations.services.suggestions import SUGGESTIONS_TASK
    from workbench.celery import app

    declared = {queue.name for queue in settings.CELERY_TASK_QUEUES}
    assert declared == {"exports", "suggestions"}
    compose = yaml.safe_load((REPO / "docker-compose.yml").read_text())["services"]
    serve = (REPO / "scripts" / "serve").read_text().replace("\\\n", " ")
    serve_workers = [
        line.split()
        for line in serve.splitlines()
        if " worker " in line and not line.lstrip().startswith("#")
    ]
    workers = [compose["worker"]["command"], compose["suggestions"]["command"]]
    assert [_queues(command) for command in workers] == [{"exports"}, {"suggestions"}]
    # scripts/serve starts the export worker one of two ways (DECISIONS 73), then suggestions.
    assert [_queues(command) for command in serve_workers] == [
        {"exports"},
        {"exports"},
        {"suggestions"},
    ]
    route = app.amqp.router.route
    assert route({}, SUGGESTIONS_TASK, (), {})["queue"].name == "suggestions"
    for task in ("annotations.export_run", "annotations.export_diff", "annotations.export_sweep",
                 "annotations.trash_purge"):  # fmt: skip
        assert route({}, task, (), {})["queue"].name == "exports"


@pytest.mark.skipif(not shutil.which("docker-compose"), reason="docker-compose is not installed")
def test_compose_file_is_valid(tmp_path):
    """`docker-compose config -q` accepts it with a .env made from .env.example, with the
    default replica counts and with more."""
    env = (
        (REPO / ".env.example").read_text().replace("POSTGRES_PASSWORD=\n", "POSTGRES_PASSWORD=x\n")
    )
    for replicas in ("", "WEB_REPLICAS=3\nWORKER_REPLICAS=2\n"):
        (tmp_path / ".env").write_text(env + replicas)
        result = subprocess.run(
            ["docker-compose", "--project-directory", str(tmp_path), "-f",
             str(REPO / "docker-compose.yml"), "config", "-q"],
            capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("database", "cpus", "expected"),
    [("sqlite:///x", 8, (1, 4)), ("postgres://db/x", 2, (3, 2)), ("postgres://db/x", 8, (9, 2))],
)
def test_gunicorn_worker_model(monkeypatch, database, cpus, expected):
    """gthread; on PostgreSQL one process per core and one more, two threads each; on SQLite
    one process of four threads (DECISIONS 73); keep-alive past a person's pause between
    autosaves."""
    monkeypatch.setenv("DATABASE_URL", database)
    monkeypatch.delenv("WEB_WORKERS", raising=False)
    monkeypatch.delenv("WEB_THREADS", raising=False)
    monkeypatch.setattr(os, "cpu_count", lambda: cpus)
    conf = runpy.run_path(str(REPO / "workbench" / "gunicorn.conf.py"))
    assert (conf["workers"], conf["threads"]) == expected
    assert conf["worker_class"] == "gthread" and conf["keepalive"] == 65
    monkeypatch.setenv("WEB_WORKERS", "5")
    assert runpy.run_path(str(REPO / "workbench" / "gunicorn.conf.py"))["workers"] == 5
