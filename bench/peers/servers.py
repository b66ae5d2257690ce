"""Start and stop the workbench, doccano and Label Studio on 127.0.0.1, on SQLite or PostgreSQL.

Each server gets a fresh database cloned from a template that was migrated once and
holds the admin user (PostgreSQL: `CREATE DATABASE … TEMPLATE`; SQLite: a file copy), so a
run measures the same empty state every time and never waits for migrations. Every
database this module touches is named `peers_*`; nothing else on the shared server is read
or written. Each server's processes run in a process group of their own, which is how
they are found for memory and how they are stopped.
"""

from __future__ import annotations

import contextlib
import hashlib
import http.client
import multiprocessing
import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

from paths import HOST, POSTGRES, REDIS_URL, ROOT, RUNS, TEMPLATES, VENVS, credentials

CHECKOUT = hashlib.sha1(str(ROOT).encode()).hexdigest()[:8]

PORTS = {"workbench": 18180, "doccano": 18181, "label-studio": 18182}
# Other harnesses (the interop, the attribution round trip) run beside the benchmark: their
# own ports, files, databases.
INSTANCES = {"bench": 0, "interop": 10, "attribution": 20}
# Variables of the caller's own workbench that must not leak into a harness server.
CALLER_VARIABLES = ("DATABASE_URL", "CELERY_BROKER_URL", "DATA_DIR", "DJANGO_SETTINGS_MODULE")


def pg_admin(sql: str, *params: object) -> list[tuple]:
    import psycopg

    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as conn:
        cursor = conn.execute(sql, params or None)
        return cursor.fetchall() if cursor.description else []


def pg_database_exists(name: str) -> bool:
    return bool(pg_admin("SELECT 1 FROM pg_database WHERE datname = %s", name))


def pg_recreate(name: str, template: str | None = None) -> None:
    assert name.startswith("peers_"), name  # never anyone else's database
    pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    clause = f' TEMPLATE "{template}"' if template else ""
    pg_admin(f'CREATE DATABASE "{name}"{clause}')


def group_pids(pgid: int) -> list[int]:
    """Every live process whose process group is `pgid`."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[2]) == pgid and fields[0] != "Z":
            found.append(int(entry.name))
    return sorted(found)


def process_name(pid: int) -> str:
    try:
        argv = (Path("/proc") / str(pid) / "cmdline").read_bytes().split(b"\0")
    except OSError:
        return "?"
    words = [Path(a.decode(errors="replace")).name for a in argv if a][:4]
    return " ".join(words)


def port_free(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex((HOST, port)) != 0


class Server:
    """One tool on one database. Subclasses say how to migrate, start and authenticate."""

    tool = ""
    version = ""

    def __init__(self, database: str, instance: str = "bench"):
        assert database in ("sqlite", "postgres")
        self.database = database
        self.instance = instance
        self.port = PORTS[self.tool] + INSTANCES[instance]
        self.run_dir = RUNS / f"{instance}-{self.tool}-{database}"
        self.groups: list[tuple[str, subprocess.Popen]] = []
        self.creds = credentials()

    # -- naming ---------------------------------------------------------------------------
    @property
    def label(self) -> str:
        return f"{self.tool} ({'PostgreSQL' if self.database == 'postgres' else 'SQLite'})"

    # Databases are named per checkout: two checkouts on one PostgreSQL each keep their own
    # credentials (var/peers/credentials.json), and a template built by one would refuse the
    # other's login.
    @property
    def pg_template(self) -> str:
        return f"peers_{self.tool.replace('-', '')}_{CHECKOUT}_template"

    @property
    def pg_name(self) -> str:
        suffix = "" if self.instance == "bench" else "_" + self.instance
        return f"peers_{self.tool.replace('-', '')}_{CHECKOUT}{suffix}"

    @property
    def base_url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def installed(self) -> bool:
        return True

    # -- subclass hooks -------------------------------------------------------------------
    def environment(self, sqlite_path: Path) -> dict[str, str]:
        raise NotImplementedError

    def build_template(self, env: dict[str, str]) -> None:
        """Migrate the database named by `env` and create the admin user in it."""
        raise NotImplementedError

    def commands(self) -> list[tuple[str, list[str]]]:
        raise NotImplementedError

    def stamp(self) -> str:
        return self.version

    # -- databases ------------------------------------------------------------------------
    def _template_paths(self) -> tuple[Path, Path]:
        name = f"{self.tool}-{self.database}"
        return TEMPLATES / f"{name}.sqlite3", TEMPLATES / f"{name}.stamp"

    def _ensure_template(self) -> None:
        sqlite_path, stamp_path = self._template_paths()
        current = stamp_path.exists() and stamp_path.read_text() == self.stamp()
        if current and (self.database == "sqlite" or pg_database_exists(self.pg_template)):
            return
        TEMPLATES.mkdir(parents=True, exist_ok=True)
        self.run_dir.mkdir(parents=True, exist_ok=True)
        for stale in sqlite_path.parent.glob(sqlite_path.name + "*"):
            stale.unlink()
        if self.database == "postgres":
            pg_recreate(self.pg_template)
        template_env = self.environment(sqlite_path)
        if self.database == "postgres":
            template_env = self._point_at(template_env, self.pg_template)
        self.build_template(template_env)
        stamp_path.write_text(self.stamp())

    def _point_at(self, env: dict[str, str], database: str) -> dict[str, str]:
        """The same environment, naming another PostgreSQL database (subclasses know where)."""
        return {k: v.replace(self.pg_name, database) for k, v in env.items()}

    def fresh_database(self) -> None:
        self._ensure_template()
        if self.run_dir.exists():
            shutil.rmtree(self.run_dir)
        self.sqlite_path.parent.mkdir(parents=True)
        if self.database == "postgres":
            pg_recreate(self.pg_name, template=self.pg_template)
        else:
            shutil.copyfile(self._template_paths()[0], self.sqlite_path)

    @property
    def sqlite_path(self) -> Path:
        return self.run_dir / "data" / "db.sqlite3"

    # -- processes ------------------------------------------------------------------------
    def base_env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in CALLER_VARIABLES}
        env.pop("VIRTUAL_ENV", None)
        return env

    def start(self, timeout: float = 240) -> float:
        """Fresh database, start every process, wait until HTTP answers; returns seconds."""
        if not port_free(self.port):
            raise RuntimeError(f"port {self.port} on {HOST} is busy: is a harness run still up?")
        self.fresh_database()
        env = self.environment(self.sqlite_path)
        started = time.perf_counter()
        for name, argv in self.commands():
            log = open(self.run_dir / f"{name}.log", "wb")  # noqa: SIM115 (kept for the child)
            process = subprocess.Popen(
                argv,
                cwd=self.cwd(),
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
            self.groups.append((name, process))
        self._wait_ready(timeout)
        return time.perf_counter() - started

    def cwd(self) -> Path:
        return self.run_dir

    def _wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for name, process in self.groups:
                if process.poll() is not None:
                    tail = (self.run_dir / f"{name}.log").read_text(errors="replace")[-3000:]
                    self.stop()
                    raise RuntimeError(f"{self.label}: {name} exited early:\n{tail}")
            try:
                conn = http.client.HTTPConnection(HOST, self.port, timeout=5)
                conn.request("GET", self.ready_path())
                status = conn.getresponse().status
                conn.close()
                if status < 500 and self.worker_ready():
                    return
            except OSError:
                pass
            time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"{self.label} did not answer on port {self.port} in {timeout:.0f} s")

    def ready_path(self) -> str:
        return "/"

    def worker_ready(self) -> bool:
        return True

    def processes(self) -> dict[int, str]:
        """pid → a short name for every process of this server (all its process groups)."""
        found = {}
        for name, process in self.groups:
            for pid in group_pids(process.pid):
                found[pid] = f"{name}: {process_name(pid)}"
        return found

    def stop(self, timeout: float = 20) -> None:
        for _name, process in self.groups:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        for _name, process in self.groups:
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(max(0.1, deadline - time.monotonic()))
            # Children (gunicorn or Celery workers) may outlive their parent for a moment.
            while group_pids(process.pid) and time.monotonic() < deadline:
                time.sleep(0.2)
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
        self.groups = []

    def run_once(self, argv: list[str], env: dict[str, str]) -> None:
        result = subprocess.run(
            argv, cwd=self.cwd(), env=env, capture_output=True, text=True, check=False
        )
        if result.returncode != 0:
            raise RuntimeError(
                f"{self.label}: {' '.join(argv[:3])} failed:\n"
                + (result.stdout + result.stderr)[-3000:]
            )


class Workbench(Server):
    """Ours, started the way `scripts/serve` does: gunicorn (2 workers x 4 threads), the export
    worker and the suggestions worker (DECISIONS 69)."""

    tool = "workbench"
    version = "worktree"
    python = ROOT / ".venv" / "bin"

    def stamp(self) -> str:
        digest = hashlib.sha1()
        for path in sorted((ROOT / "annotations" / "migrations").glob("*.py")):
            digest.update(path.name.encode() + path.read_bytes())
        return digest.hexdigest()

    def cwd(self) -> Path:
        return ROOT

    def environment(self, sqlite_path: Path) -> dict[str, str]:
        env = self.base_env()
        data_dir = sqlite_path.parent
        env.update(
            DATA_DIR=str(data_dir), DEBUG="0", DJANGO_SECRET_KEY="peers-harness-loopback-only"
        )
        if self.database == "postgres":
            env["DATABASE_URL"] = f"{POSTGRES}/{self.pg_name}"
            env["CELERY_BROKER_URL"] = REDIS_URL
        else:
            env["DATABASE_URL"] = f"sqlite:///{sqlite_path}"
        return env

    def build_template(self, env: dict[str, str]) -> None:
        manage = [str(self.python / "python"), "manage.py"]
        Path(env["DATA_DIR"]).mkdir(parents=True, exist_ok=True)
        self.run_once([*manage, "migrate", "--no-input", "-v", "0"], env)
        env = {**env, "DJANGO_SUPERUSER_PASSWORD": self.creds["password"]}
        self.run_once(
            [
                *manage,
                "createsuperuser",
                "--no-input",
                "--username",
                self.creds["username"],
                "--email",
                self.creds["email"],
            ],
            env,
        )

    def commands(self) -> list[tuple[str, list[str]]]:
        bin_ = self.python
        return [
            (
                "worker",
                [
                    str(bin_ / "celery"),
                    "-A",
                    "workbench",
                    "worker",
                    "-Q",
                    "exports",
                    "-n",
                    "exports@%h",
                    "--concurrency=1",
                    "-l",
                    "info",
                ],
            ),
            (
                "suggestions",
                [
                    str(bin_ / "celery"),
                    "-A",
                    "workbench",
                    "worker",
                    "-Q",
                    "suggestions",
                    "-n",
                    "suggestions@%h",
                    "--pool=threads",
                    "--concurrency=1",
                    "-l",
                    "info",
                ],
            ),
            (
                "web",
                [
                    str(bin_ / "gunicorn"),
                    "workbench.wsgi",
                    "--bind",
                    f"{HOST}:{self.port}",
                    "--workers",
                    "2",
                    "--threads",
                    "4",
                ],
            ),
        ]

    def ready_path(self) -> str:
        return "/api/projects/"

    def worker_ready(self) -> bool:
        return b"ready." in (self.run_dir / "worker.log").read_bytes()

    def manage(self, *args: str) -> subprocess.CompletedProcess:
        """Run a management command against this server's database (used by the interop)."""
        env = self.environment(self.sqlite_path)
        return subprocess.run(
            [str(self.python / "python"), "manage.py", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )


def _site_packages(venv: Path) -> Path:
    found = sorted(venv.glob("lib/python3*/site-packages"))
    return found[0] if found else venv / "lib" / "site-packages"


class Doccano(Server):
    """doccano's `webserver` (gunicorn, its default worker count) and `task` (Celery) commands.

    `doccano webserver` binds 0.0.0.0 with no option to change it, so the harness runs the
    same gunicorn application (`config.wsgi` in doccano's backend directory, the same
    settings module and environment its CLI sets) bound to 127.0.0.1. The queue is
    doccano's default: SQLAlchemy on its own database.
    """

    tool = "doccano"
    version = "1.8.4"

    @property
    def venv(self) -> Path:
        return VENVS["doccano"]

    def installed(self) -> bool:
        return (self.venv / "bin" / "doccano").exists()

    def backend_dir(self) -> Path:
        return _site_packages(self.venv) / "backend"

    def environment(self, sqlite_path: Path) -> dict[str, str]:
        env = self.base_env()
        home = sqlite_path.parent
        env.update(
            DOCCANO_HOME=str(home),
            STANDALONE="True",
            DJANGO_SETTINGS_MODULE="config.settings.production",
            MEDIA_ROOT=str(home / "media"),
            SECRET_KEY="peers-harness-loopback-only",
            DEBUG="False",
        )
        if self.database == "postgres":
            # doccano asks for SSL unless the URL names an sslmode.
            env["DATABASE_URL"] = f"{POSTGRES}/{self.pg_name}?sslmode=disable"
        else:
            env["DATABASE_URL"] = f"sqlite:///{sqlite_path}"
        return env

    def build_template(self, env: dict[str, str]) -> None:
        Path(env["DOCCANO_HOME"]).mkdir(parents=True, exist_ok=True)
        doccano = str(self.venv / "bin" / "doccano")
        self.run_once([doccano, "init"], env)
        self.run_once(
            [
                doccano,
                "createuser",
                "--username",
                self.creds["username"],
                "--password",
                self.creds["password"],
                "--email",
                self.creds["email"],
            ],
            env,
        )

    def commands(self) -> list[tuple[str, list[str]]]:
        bin_ = self.venv / "bin"
        workers = multiprocessing.cpu_count() * 2 + 1  # `doccano webserver`'s default
        return [
            ("worker", [str(bin_ / "doccano"), "task", "--concurrency", "2"]),
            (
                "web",
                [
                    str(bin_ / "gunicorn"),
                    "--chdir",
                    str(self.backend_dir()),
                    "--bind",
                    f"{HOST}:{self.port}",
                    "--workers",
                    str(workers),
                    "--capture-output",
                    "config.wsgi",
                ],
            ),
        ]

    def ready_path(self) -> str:
        return "/v1/me"

    def worker_ready(self) -> bool:
        return b"ready." in (self.run_dir / "worker.log").read_bytes()


class LabelStudio(Server):
    """`label-studio start` (Django's threaded server, one process), as its CLI ships it."""

    tool = "label-studio"
    version = "1.23.2"

    @property
    def venv(self) -> Path:
        return VENVS["label-studio"]

    def installed(self) -> bool:
        return (self.venv / "bin" / "label-studio").exists()

    def environment(self, sqlite_path: Path) -> dict[str, str]:
        env = self.base_env()
        env.update(
            LABEL_STUDIO_BASE_DATA_DIR=str(sqlite_path.parent),
            # Nothing leaves the machine: no error reporting, version check or analytics.
            SENTRY_DSN="",
            FRONTEND_SENTRY_DSN="",
            LATEST_VERSION_CHECK="false",
            COLLECT_ANALYTICS="false",
            LOG_LEVEL="WARNING",
            LABEL_STUDIO_DISABLE_SIGNUP_WITHOUT_LINK="true",
        )
        if self.database == "postgres":
            env.update(
                DJANGO_DB="default",
                POSTGRE_NAME=self.pg_name,
                POSTGRE_USER="postgres",
                POSTGRE_PASSWORD="",
                POSTGRE_HOST=HOST,
                POSTGRE_PORT="5432",
            )
        else:
            env.update(DJANGO_DB="sqlite", DATABASE_NAME=str(sqlite_path))
        return env

    def _argv(self) -> list[str]:
        return [
            str(self.venv / "bin" / "label-studio"),
            "start",
            "--no-browser",
            "--internal-host",
            HOST,
            "--port",
            str(self.port),
            "--data-dir",
            str(self.run_dir / "data"),
            "--username",
            self.creds["email"],
            "--password",
            self.creds["password"],
            "--user-token",
            self.creds["label_studio_token"],
            "--enable-legacy-api-token",
        ]

    def build_template(self, env: dict[str, str]) -> None:
        """`start` migrates and creates the user and organisation; stop it once it answers."""
        Path(env["LABEL_STUDIO_BASE_DATA_DIR"]).mkdir(parents=True, exist_ok=True)
        self.run_dir.mkdir(parents=True, exist_ok=True)
        argv = self._argv()
        argv[argv.index("--data-dir") + 1] = env["LABEL_STUDIO_BASE_DATA_DIR"]
        self.groups = []
        log = open(self.run_dir / "template.log", "wb")  # noqa: SIM115
        process = subprocess.Popen(
            argv, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        self.groups.append(("template", process))
        try:
            self._wait_ready(600)
        finally:
            self.stop()

    def commands(self) -> list[tuple[str, list[str]]]:
        return [("web", self._argv())]

    def ready_path(self) -> str:
        return "/api/projects/"


TOOLS = {"workbench": Workbench, "doccano": Doccano, "label-studio": LabelStudio}
