"""Strict readers for settings that come from the environment.

A junk value is an error at start-up, never a silent default: a typo in
`DEBUG=ture` must not quietly run production in a different mode.
"""

import ipaddress
import os
import re
import urllib.parse
from collections.abc import Sequence

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str) -> str:
    """The variable's value; unset or empty means the default (as in `.env.example`)."""
    return os.environ.get(name) or default


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean (use 1/0, true/false)")


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not an integer") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name}={raw!r} must be at least {minimum}")
    return value


def env_choice(name: str, default: str, choices: Sequence[str]) -> str:
    """One of a few words (`FILE_STORAGE=s3`, `LOG_FORMAT=json`), case-folded; unset or
    empty means the default, anything else is an error."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip().lower()
    if value not in choices:
        raise ImproperlyConfigured(f"{name}={raw!r}: use one of {', '.join(choices)}")
    return value


def env_url(name: str, default: str) -> str:
    """An http(s) URL with a host, no credentials in it; unset or empty means the default."""
    raw = (os.environ.get(name) or "").strip()
    if not raw:
        return default
    parts = urllib.parse.urlsplit(raw)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ImproperlyConfigured(f"{name}={raw!r} is not an http(s) URL with a host")
    if parts.username or parts.password:
        raise ImproperlyConfigured(f"{name}: put no credentials in the URL")
    return raw


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_networks(name: str, default: list[str]) -> list[str]:
    """Comma-separated IP networks (`10.0.0.0/8`, `127.0.0.1`); a junk entry is an error."""
    networks = env_list(name, default)
    for item in networks:
        try:
            ipaddress.ip_network(item, strict=False)
        except ValueError:
            message = f"{name}: {item!r} is not an IP network (e.g. 10.0.0.0/8)"
            raise ImproperlyConfigured(message) from None
    return networks


_RATE = re.compile(r"([1-9][0-9]*)/(second|minute|hour|day)")


def env_rate(name: str, default: str) -> str:
    """A rate as DRF's throttles read it: `10/minute` (per second, minute, hour or day)."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    if not _RATE.fullmatch(raw.strip()):
        raise ImproperlyConfigured(
            f"{name}={raw!r} is not a rate (a count per second, minute, hour or day: 10/minute)"
        )
    return raw.strip()
