"""Request ids for every log line, and the one log line per request in JSON mode.

A request id comes from the client or the proxy in front (`X-Request-ID`, when it looks
like an id) or is made here; it is echoed in the response's `X-Request-ID` header, put on
every log line written while the request is served, and (LOG_FORMAT=json) on the
request's own line, so one id follows a request from the load balancer to the database
error it met.
"""

from __future__ import annotations

import contextvars
import logging
import re
import uuid

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")

# What an incoming id may be: the characters proxies and tracers use (uuids, hex, dotted
# or dashed ids), short enough to log. Anything else (spaces, quotes, a new line that would
# forge a log line) is replaced by an id of our own.
_ACCEPTED = re.compile(r"[A-Za-z0-9._:@=+/-]{1,128}")


def request_id_from(incoming: str | None) -> str:
    if incoming and _ACCEPTED.fullmatch(incoming):
        return incoming
    return uuid.uuid4().hex


class RequestIdFilter(logging.Filter):
    """Puts the current request's id on each record (`-` outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get() or "-"
        return True
