"""The request id, the latency histogram and (LOG_FORMAT=json) one log line per request."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.core.signals import request_finished
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.utils.functional import empty

from workbench.logs import request_id_from, request_id_var
from workbench.metrics import REQUEST_LATENCY, method_label, route_label

request_log = logging.getLogger("workbench.request")


class RequestObservability:
    """Outermost: it times everything inside, errors included (Django turns an exception
    into a response before it gets here)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = request_id_from(request.headers.get("X-Request-ID"))
        # Kept until the response is closed (`_forget_request_id`): Django logs a 4xx or
        # 5xx ("Not Found: …") after the middleware has returned.
        request_id_var.set(request_id)
        started = time.perf_counter()
        response = self.get_response(request)
        seconds = time.perf_counter() - started
        route = route_label(request)
        method = method_label(request.method)
        REQUEST_LATENCY.labels(route, method, str(response.status_code)).observe(seconds)
        response["X-Request-ID"] = request_id
        if settings.LOG_FORMAT == "json":
            _log_request(request, response, route, seconds)
        return response


@receiver(request_finished)
def _forget_request_id(**_: object) -> None:
    """Lines written between requests (a worker booting) carry no request's id."""
    request_id_var.set("")


def _log_request(request: HttpRequest, response: HttpResponse, route: str, seconds: float) -> None:
    # Only a user already loaded (by the session or DRF): logging must cost no query.
    user = getattr(request, "user", None)
    user = getattr(user, "_wrapped", user)
    if user is empty:
        user = None
    # Probes come every few seconds: their lines are for debugging only.
    level = logging.DEBUG if getattr(request, "probe", None) else logging.INFO
    request_log.log(
        level,
        "%s %s %s",
        request.method,
        request.path,
        response.status_code,
        extra={
            "method": request.method,
            "path": request.path,
            "route": route,
            "status": response.status_code,
            "duration_ms": round(seconds * 1000, 2),
            "user": user.get_username() if user is not None and user.is_authenticated else None,
        },
    )
