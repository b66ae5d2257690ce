"""`scripts/serve` (what `make run` starts) supervises: a SIGKILLed gunicorn master or
export worker is started again by itself, and SIGTERM stops everything. Run on the embedded
defaults (SQLite and the filesystem queue in a DATA_DIR of the test's own). Marked `faults`.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.components import free_port, wait_port

pytestmark = pytest.mark.faults
logging.getLogger("httpx").setLevel(logging.WARNING)

REPO = Path(__file__).resolve().parent.parent


def children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def command(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def descendant(root: int, word: str) -> int | None:
    """The first process under `root` (breadth first) whose command line holds `word`."""
    todo = [root]
    while todo:
        pid = todo.pop(0)
        if pid != root and word in command(pid):
            return pid
        todo.extend(children(pid))
    return None


def running_with(data_dir: Path) -> list[int]:
    """Processes whose environment names this DATA_DIR (so: started by this test)."""
    marker = f"DATA_DIR={data_dir / 'data'}".encode()
    found = []
    for environ in Path("/proc").glob("[0-9]*/environ"):
        try:
            if marker in environ.read_bytes().split(b"\0"):
                found.append(int(environ.parent.name))
        except OSError:
            continue
    return found


def wait_for(check, seconds: float, what: str, log: Path):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if result := check():
            return result
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}\n{log.read_text()[-3000:]}")


def answers(port: int) -> bool:
    try:
        return httpx.get(f"http://127.0.0.1:{port}/api/formats/", timeout=5).status_code < 500
    except httpx.HTTPError:
        return False


@contextlib.contextmanager
def serving(tmp_path: Path, **extra: str):
    """`scripts/serve` on the embedded default (SQLite and the filesystem queue in a DATA_DIR of
    the test's own, one web process and one export worker) until the site answers; at the end
    SIGTERM, then every process must be gone, serve must exit 0 and the port be free."""
    port = free_port()
    left_out = ("DATABASE_URL", "CELERY_BROKER_URL", "WEB_WORKERS", "WORKER_CONCURRENCY")
    env = {
        **{k: v for k, v in os.environ.items() if k not in left_out},
        "DATA_DIR": str(tmp_path / "data"),
        "PORT": str(port),
        "HOST": "127.0.0.1",
        "WEB_ACCESS_LOG": "0",
        **extra,
    }
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=REPO, env=env, check=True)
    log = tmp_path / "serve.log"
    with log.open("wb") as out:
        serve = subprocess.Popen(
            ["scripts/serve"], cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
    try:
        wait_port(port, 60)
        wait_for(lambda: answers(port), 60, "the site", log)
        yield serve, port, log
    finally:
        os.kill(serve.pid, signal.SIGTERM)
        serve.wait(timeout=60)
    wait_for(lambda: not running_with(tmp_path), 30, "every process to stop", log)
    assert serve.returncode == 0, log.read_text()[-3000:]
    wait_port(port, 30, up=False)


def test_serve_starts_a_killed_gunicorn_master_and_worker_again_and_stops_on_sigterm(tmp_path):
    """SIGKILL the gunicorn master: the site answers again within seconds from a new master.
    SIGKILL the export worker: a new one starts. SIGTERM to serve: every process is gone."""
    with serving(tmp_path) as (serve, port, log):
        master = wait_for(lambda: descendant(serve.pid, "gunicorn"), 10, "gunicorn", log)
        worker = wait_for(lambda: descendant(serve.pid, "celery"), 10, "the worker", log)
        os.kill(master, signal.SIGKILL)
        killed = time.monotonic()
        new_master = wait_for(
            lambda: (pid := descendant(serve.pid, "gunicorn")) not in (None, master) and pid,
            30, "a new gunicorn master", log,
        )  # fmt: skip
        wait_for(lambda: answers(port), 30, "the site after the kill", log)
        back_in = time.monotonic() - killed
        os.kill(worker, signal.SIGKILL)
        wait_for(
            lambda: descendant(serve.pid, "celery") not in (None, worker), 30, "a new worker", log
        )
        assert new_master != master and back_in < 20
    print(f"\ngunicorn master SIGKILLed: the site answered again after {back_in:.1f}s")


def python_processes(root: int) -> list[str]:
    """The command lines of every Python process under `root`."""
    found, todo = [], [root]
    while todo:
        pid = todo.pop(0)
        if pid != root and ".venv/bin/" in command(pid) and "python" in command(pid):
            found.append(command(pid))
        todo.extend(children(pid))
    return found


def test_serve_on_the_embedded_default_is_four_processes_with_beat_in_the_export_worker(tmp_path):
    """On SQLite, `make run` is gunicorn's master, one web process, the export worker whose
    beat thread sends the export sweep (every second here), which it runs, and the
    suggestions worker (DECISIONS 69); no beat process, no pool child."""
    with serving(tmp_path, EXPORT_SWEEP_SECONDS="1") as (serve, _port, log):
        swept = "Task annotations.export_sweep"
        wait_for(lambda: swept in log.read_text(errors="replace"), 60, "a sweep run", log)
        processes = python_processes(serve.pid)
        workers = [c for c in processes if "celery" in c]
        assert sum("gunicorn" in c for c in processes) == 2, processes
        exports = [c for c in workers if "-Q exports" in c]
        assert len(exports) == 1 and "--pool solo --beat-thread" in exports[0], processes
        assert len(workers) == 2 and "beat" not in " ".join(set(workers) - set(exports))
        assert len(processes) == 4, processes
