"""Components a fault test can really stop: a Redis server, a PostgreSQL cluster and a small
tmpfs of the test's own, on free loopback ports (never the shared 5432 and 6379).

The fault tests (`-m faults`) and the load script (`bench/load.py`) start them; each is
stopped and removed when its context ends, however the test ends.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_port(port: int, seconds: float, up: bool = True) -> None:
    """Until something listens on 127.0.0.1:port (or, `up=False`, nothing does)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            probe.settimeout(0.5)
            listening = probe.connect_ex(("127.0.0.1", port)) == 0
        if listening == up:
            return
        time.sleep(0.1)
    raise TimeoutError(f"port {port} still {'closed' if up else 'open'} after {seconds}s")


class RedisServer:
    """`redis-server` on a port of its own, no persistence: a restart loses its queue, as a
    real Redis without AOF would."""

    def __init__(self, directory: Path) -> None:
        self.port = free_port()
        self.directory = directory
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        log = (self.directory / "redis.log").open("ab")
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
             "--save", "", "--appendonly", "no", "--dir", str(self.directory)],
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        wait_port(self.port, 20)

    def stop(self) -> None:
        """Kill it outright (SIGKILL): whatever it held is gone."""
        if self.process is not None:
            with suppress(ProcessLookupError):
                self.process.kill()
            self.process.wait(timeout=20)
            self.process = None
            wait_port(self.port, 20, up=False)


@contextmanager
def redis_server(directory: Path) -> Iterator[RedisServer]:
    server = RedisServer(directory)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def _postgres_version() -> str:
    versions = sorted(Path("/usr/lib/postgresql").iterdir(), key=lambda p: int(p.name))
    return versions[-1].name


class PostgresCluster:
    """A PostgreSQL cluster of our own (`pg_createcluster`), trusting loopback connections,
    its data in a temporary directory the postgres user owns (pytest's own are root's
    alone). Restart and stop it at will; it is dropped, data and all, at the end."""

    def __init__(self, name: str) -> None:
        self.version = _postgres_version()
        self.name = name
        self.port = free_port()
        self.directory = Path(tempfile.mkdtemp(prefix=f"{name}-"))

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def _ctl(self, *args: str) -> None:
        subprocess.run(
            ["pg_ctlcluster", "--skip-systemctl-redirect", self.version, self.name, *args],
            check=True, capture_output=True, timeout=60,
        )  # fmt: skip

    def create(self) -> None:
        shutil.chown(self.directory, "postgres", "postgres")
        subprocess.run(
            ["pg_createcluster", self.version, self.name, "-p", str(self.port),
             "-d", str(self.directory / "data"), "--start-conf=manual",
             "-o", "fsync=off",
             "-o", "max_connections=200", "--", "--auth-host=trust", "--auth-local=trust"],
            check=True, capture_output=True, timeout=120,
        )  # fmt: skip
        self.start()

    def start(self) -> None:
        self._ctl("start")
        wait_port(self.port, 30)

    def stop(self) -> None:
        self._ctl("stop", "-m", "fast")

    def restart(self) -> None:
        """`pg_ctlcluster restart -m fast`: every session is cut, then it accepts again."""
        self._ctl("restart", "-m", "fast")
        wait_port(self.port, 30)

    def drop(self) -> None:
        subprocess.run(
            ["pg_dropcluster", "--stop", self.version, self.name],
            capture_output=True, timeout=60,
        )  # fmt: skip
        shutil.rmtree(self.directory, ignore_errors=True)

    def create_database(self, name: str) -> str:
        subprocess.run(
            ["psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-q",
             "-c", f'CREATE DATABASE "{name}"'],
            check=True, capture_output=True, timeout=60,
        )  # fmt: skip
        return self.url(name)


@contextmanager
def postgres_cluster() -> Iterator[PostgresCluster]:
    cluster = PostgresCluster(f"faults{os.getpid()}")
    try:
        cluster.create()
        yield cluster
    finally:
        cluster.drop()


@contextmanager
def tmpfs(path: Path, size: str) -> Iterator[Path]:
    """A tmpfs of `size` (e.g. "1m") mounted at `path` (needs root)."""
    path.mkdir(parents=True, exist_ok=True)
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)], check=True)
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], check=False)


def resize_tmpfs(path: Path, size: str) -> None:
    subprocess.run(["mount", "-o", f"remount,size={size}", str(path)], check=True)


def can_mount() -> bool:
    return os.geteuid() == 0 and shutil.which("mount") is not None
