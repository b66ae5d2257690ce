"""Login throttling: the login form, the admin's and `POST /api/auth/token/` count attempts
per username and per client address in the shared cache (DECISIONS.md 36).

DRF's `SimpleRateThrottle` keeps each key's attempt times in Django's cache; the cache is a
database table (or Redis), so every gunicorn worker and thread counts the same attempts.
Every attempt counts, right or wrong: a person logs in a few times a day, a guesser
hundreds of times a minute.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import ngettext
from rest_framework.exceptions import Throttled
from rest_framework.throttling import SimpleRateThrottle


def too_many_attempts(wait: int) -> str:
    return ngettext(
        "Too many login attempts. Try again in %(wait)d second.",
        "Too many login attempts. Try again in %(wait)d seconds.",
        wait,
    ) % {"wait": wait}


class LoginThrottled(Throttled):
    """A 429 `throttled` with Retry-After (DRF adds the header from `wait`), in words."""

    def __init__(self, wait: int):
        super().__init__(detail=too_many_attempts(wait))
        self.wait = wait


class _LoginThrottle(SimpleRateThrottle):
    setting = ""

    def get_rate(self) -> str:
        # Read on each use (not at import, as DRF's rates are), so settings apply as set.
        return getattr(settings, self.setting)

    def key(self, ident: str) -> str:
        return self.cache_format % {"scope": self.scope, "ident": ident}


class LoginAddressThrottle(_LoginThrottle):
    """Attempts from one client address (behind `TRUSTED_PROXIES` proxies: the address the
    nearest trusted proxy saw)."""

    scope = "login_address"
    setting = "LOGIN_RATE_PER_ADDRESS"

    def get_cache_key(self, request: Any, view: Any) -> str:
        return self.key(self.get_ident(request))


class LoginUserThrottle(_LoginThrottle):
    """Attempts at one username, from anywhere (case-folded, hashed: a key of any length)."""

    scope = "login_user"
    setting = "LOGIN_RATE_PER_USER"

    def get_cache_key(self, request: Any, view: Any) -> str | None:
        username = attempted_username(request)
        if not username:
            return None  # nothing to guess at: the form refuses it
        return self.key(hashlib.sha256(username.casefold().encode()).hexdigest())


def attempted_username(request: Any) -> str:
    """The username a login names, else the logged-in user's (a password change)."""
    data = getattr(request, "data", None)
    if data is None:  # a Django request: the login form
        data = request.POST
    value = data.get("username", "") if hasattr(data, "get") else ""
    if not value:
        user = getattr(request, "user", None)
        value = user.get_username() if user is not None and user.is_authenticated else ""
    return value if isinstance(value, str) else ""


def login_wait(request: Any) -> int | None:
    """Count this login attempt; if it is one too many (for its address or its username),
    the seconds to wait before the next one may be made, else None."""
    waits = []
    for throttle in (LoginAddressThrottle(), LoginUserThrottle()):
        if not throttle.allow_request(request, None):
            waits.append(throttle.wait() or 1)
    return math.ceil(max(waits)) if waits else None


def login_throttled(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A login form view whose POSTs are counted: one too many gets the 429 page."""

    @wraps(view)
    def throttled(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method == "POST":
            wait = login_wait(request)
            if wait is not None:
                context = {"message": too_many_attempts(wait)}
                response = render(request, "429.html", context, status=429)
                response["Retry-After"] = str(wait)
                return response
        return view(request, *args, **kwargs)

    return throttled
