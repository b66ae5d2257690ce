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
    """`restart: unless-stopped` on db, redis, web and worker (a killed gunicorn master, an
    OOM kill); web and worker start gunicorn and Celery as `scripts/serve` does."""
    compose = yaml.safe_load((REPO / "docker-compose.yml").read_text())
    services = compose["services"]
    assert set(services) == {"db", "redis", "web", "worker"}
    assert {name: s.get("restart") for name, s in services.items()} == dict.fromkeys(
        services, "unless-stopped"
    )
    assert "gunicorn -c workbench/gunicorn.conf.py" in services["web"]["command"]
    # The web service is healthy when /readyz says so (the worker answers Celery's ping).
    assert "http://127.0.0.1:8000/readyz" in " ".join(services["web"]["healthcheck"]["test"])


@pytest.mark.skipif(not shutil.which("docker-compose"), reason="docker-compose is not installed")
def test_compose_file_is_valid(tmp_path):
    """`docker-compose config -q` accepts it with a .env made from .env.example."""
    env = (
        (REPO / ".env.example").read_text().replace("POSTGRES_PASSWORD=\n", "POSTGRES_PASSWORD=x\n")
    )
    (tmp_path / ".env").write_text(env)
    result = subprocess.run(
        ["docker-compose", "--project-directory", str(tmp_path), "-f",
         str(REPO / "docker-compose.yml"), "config", "-q"],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("database", "cpus", "expected"),
    [("sqlite:///x", 8, (2, 4)), ("postgres://db/x", 2, (3, 2)), ("postgres://db/x", 8, (9, 2))],
)
def test_gunicorn_worker_model(monkeypatch, database, cpus, expected):
    """gthread; on PostgreSQL one process per core and one more, two threads each; on SQLite
    two processes of four threads; keep-alive past a person's pause between autosaves."""
    monkeypatch.setenv("DATABASE_URL", database)
    monkeypatch.delenv("WEB_WORKERS", raising=False)
    monkeypatch.delenv("WEB_THREADS", raising=False)
    monkeypatch.setattr(os, "cpu_count", lambda: cpus)
    conf = runpy.run_path(str(REPO / "workbench" / "gunicorn.conf.py"))
    assert (conf["workers"], conf["threads"]) == expected
    assert conf["worker_class"] == "gthread" and conf["keepalive"] == 65
    monkeypatch.setenv("WEB_WORKERS", "5")
    assert runpy.run_path(str(REPO / "workbench" / "gunicorn.conf.py"))["workers"] == 5
