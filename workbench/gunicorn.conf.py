"""gunicorn's settings, the one place for the web server's worker model (DECISIONS.md 33):
`scripts/serve` (so `make run`), the Dockerfile and the compose file all start
`gunicorn -c workbench/gunicorn.conf.py workbench.wsgi`.

gthread workers: a browser's autosaves reuse one kept-alive connection and a slow client
holds a thread, not a process. On PostgreSQL, one process per core and one more (a process
waiting on the database leaves its core to another), two threads each; on SQLite (one
writer at a time, a small server's memory) one process of four threads (DECISIONS 73). Measured with
`bench/bench_load.py` (bench/README.md). Each figure can be set from the environment.
"""

import os

from workbench.env import env_int, env_str

_embedded = env_str("DATABASE_URL", "sqlite://").startswith("sqlite")

bind = f"{env_str('HOST', '127.0.0.1')}:{env_int('PORT', 8000, minimum=1)}"
worker_class = "gthread"
workers = env_int("WEB_WORKERS", 1 if _embedded else (os.cpu_count() or 1) + 1, minimum=1)
threads = env_int("WEB_THREADS", 4 if _embedded else 2, minimum=1)
# Longer than a person's pause between autosaves and than a proxy's idle timeout (60 s in
# nginx), so the server never closes a connection just as the client reuses it (gunicorn's
# 2 s default made about one autosave in 300 fail at a person's pace).
keepalive = env_int("WEB_KEEPALIVE_SECONDS", 65, minimum=1)
accesslog = "-" if env_str("WEB_ACCESS_LOG", "1") != "0" else None

# The request id (workbench/logs.py) on each access line, from the response's header.
access_log_format = (
    '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %({x-request-id}o)s'
)

# LOG_FORMAT=json: gunicorn's own lines as JSON too, and no access log by default (Django
# writes one JSON line per request, with its route and request id; WEB_ACCESS_LOG=1 keeps
# gunicorn's as well).
if env_str("LOG_FORMAT", "text").strip().lower() == "json":
    accesslog = "-" if env_str("WEB_ACCESS_LOG", "0") != "0" else None
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "json": {
                "()": "pythonjsonlogger.json.JsonFormatter",
                "fmt": "%(asctime)s %(levelname)s %(name)s %(process)d %(message)s",
                "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
            }
        },
        "handlers": {
            "console": {"class": "logging.StreamHandler", "formatter": "json"},
            "access": {
                "class": "logging.StreamHandler",
                "formatter": "json",
                "stream": "ext://sys.stdout",
            },
        },
        "loggers": {
            "gunicorn.error": {"level": "INFO", "handlers": ["console"], "propagate": False},
            "gunicorn.access": {"level": "INFO", "handlers": ["access"], "propagate": False},
        },
    }


# Prometheus multi-process mode (workbench/metrics.py): every worker process writes its
# samples under one directory and a scrape adds them up. Set here, in the master, before
# any worker is forked or imports prometheus_client; a directory of this master's own
# unless PROMETHEUS_MULTIPROC_DIR names one (which must then serve this one server only).
def on_starting(server):
    import tempfile
    from pathlib import Path

    configured = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    own = Path(tempfile.gettempdir()) / f"workbench-metrics-{os.getpid()}"
    directory = Path(configured) if configured else own
    directory.mkdir(parents=True, exist_ok=True)
    for stale in directory.glob("*.db"):  # a previous run's samples would add to ours
        stale.unlink()
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(directory)
    server.metrics_dir_made = None if configured else directory


def child_exit(server, worker):
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def on_exit(server):
    import shutil

    if getattr(server, "metrics_dir_made", None):
        shutil.rmtree(server.metrics_dir_made, ignore_errors=True)
