"""`/healthz`, `/readyz` and `/metrics`, answered before anything else runs.

They are asked by machines that know the server by its address, not its public name (a
compose healthcheck on 127.0.0.1, a load balancer on the instance's IP, Prometheus on
ip:port) and over plain HTTP: the probe middleware answers them ahead of the host check
(ALLOWED_HOSTS), the HTTPS redirect and sessions, so a probe never fails on a Host header
or a scheme. Only the request id middleware runs before it (their lines carry an id and
are logged at DEBUG, so a probe every few seconds does not fill the log). `/metrics`
checks the client's address itself (METRICS_ALLOWED_IPS).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, HttpResponse, JsonResponse

from workbench.metrics import metrics_view

log = logging.getLogger(__name__)


class NotReady(Exception):
    """A part is reachable but not ready (migrations not applied)."""


def healthz(request: HttpRequest) -> HttpResponse:
    """The process answers: no database, broker or storage is asked."""
    return JsonResponse({"status": "ok"})


def _database() -> None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        connection.close()  # the next probe connects afresh
        raise


_migrated = False


def _migrations() -> None:
    """Every migration this code knows is applied (once true, remembered: the code, and
    so the migrations it knows, cannot change under a running process)."""
    global _migrated
    if _migrated:
        return
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        names = ", ".join(f"{m.app_label}.{m.name}" for m, _backwards in plan[:3])
        raise NotReady(f"{len(plan)} not applied ({names}{', …' if len(plan) > 3 else ''})")
    _migrated = True


def _broker() -> None:
    from workbench.celery import app

    timeout = settings.READYZ_TIMEOUT_SECONDS
    options = {"socket_connect_timeout": timeout, "socket_timeout": timeout}
    with app.connection_for_write(connect_timeout=timeout, transport_options=options) as conn:
        conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=timeout)


def _storage() -> None:
    """The export storage answers: the filesystem directory is writable, another storage
    (S3) answers a lookup (a HEAD request: reachable, credentials and bucket good)."""
    if isinstance(default_storage, FileSystemStorage):
        location = Path(default_storage.location)
        location.mkdir(parents=True, exist_ok=True)
        if not os.access(location, os.W_OK | os.X_OK):
            raise NotReady(f"{location} is not writable")
        return
    default_storage.exists("readyz-probe")


CHECKS: list[tuple[str, Callable[[], None]]] = [
    ("database", _database),
    ("migrations", _migrations),
    ("broker", _broker),
    ("storage", _storage),
]


def readiness() -> dict[str, str]:
    """Each part's state: `ok`, or why not. Migrations are not asked of a database that
    does not answer."""
    checks: dict[str, str] = {}
    for name, check in CHECKS:
        if name == "migrations" and checks["database"] != "ok":
            checks[name] = "not checked: the database did not answer"
            continue
        try:
            check()
        except NotReady as exc:
            checks[name] = f"not ready: {exc}"
        except Exception as exc:
            log.warning("readyz: %s is unreachable", name, exc_info=True)
            # The exception's kind only: its message may name hosts and users.
            checks[name] = f"unreachable ({type(exc).__name__})"
        else:
            checks[name] = "ok"
    return checks


def readyz(request: HttpRequest) -> HttpResponse:
    checks = readiness()
    failed = [name for name, state in checks.items() if state != "ok"]
    body = {"status": "unavailable" if failed else "ready", "failed": failed, "checks": checks}
    response = JsonResponse(body, status=503 if failed else 200)
    # Each failed part was logged above, with its reason: not Django's line again.
    response._has_been_logged = True  # type: ignore[attr-defined]
    return response


PROBES: dict[str, Callable[[HttpRequest], HttpResponse]] = {
    "/healthz": healthz,
    "/readyz": readyz,
    "/metrics": metrics_view,
}


class ProbeMiddleware:
    """Answers the probe paths (with or without a trailing slash) before the rest of
    MIDDLEWARE."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info.rstrip("/") or "/"
        probe = PROBES.get(path)
        if probe is None:
            return self.get_response(request)
        request.probe = path.lstrip("/")  # type: ignore[attr-defined]  # its metrics label
        if request.method not in ("GET", "HEAD"):
            response = HttpResponse(status=405, content_type="text/plain; charset=utf-8")
            response["Allow"] = "GET, HEAD"
            return response
        response = probe(request)
        response["Cache-Control"] = "no-store"
        return response
