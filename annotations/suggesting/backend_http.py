"""Calling a project's model backend over HTTP, without letting a project admin point the
server at the newsroom's own network (SSRF; DECISIONS.md 34).

- A backend URL is `http` or `https`, with a host, no user name or password and no fragment
  (`url_problem`, checked when the admin saves it).
- Only public addresses may be called, unless an address is inside one of the networks the
  server's operator lists in `SUGGESTION_BACKEND_ALLOWED_NETWORKS` (e.g. `10.20.0.5/32` for a
  model server on the newsroom network; the tests list `127.0.0.0/8`). Private, loopback,
  link-local (the cloud metadata service at 169.254.169.254), shared, reserved and multicast
  addresses are refused otherwise, also when a name resolves to them.
- The name is resolved at call time, every address it has is checked, and the request goes to
  the checked address (the name travels as `Host` and TLS server name), so a name that
  changes its answer between the check and the connection (DNS rebinding) gains nothing.
- Redirects are not followed, proxies from the environment are not used, the answer is read
  to at most `max_bytes` and the whole call is given up after `timeout` seconds (a read that
  started before the deadline may last one more `timeout`).
"""

from __future__ import annotations

import ipaddress
import json
import socket
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx

from .backend import BackendFailure

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Resolver = Callable[[str, int], Iterable[str]]
MAX_URL = 2000
USER_AGENT = "news-workbench-suggestions/1"


@dataclass(frozen=True)
class AddressPolicy:
    """Which addresses the server may call: public ones, and those in `allowed`."""

    allowed: tuple[Network, ...] = ()

    @classmethod
    def from_setting(cls, networks: Sequence[str]) -> AddressPolicy:
        """Parse CIDRs (`10.0.0.0/8`, `127.0.0.1`); a junk entry raises ValueError."""
        return cls(tuple(ipaddress.ip_network(item.strip(), strict=False) for item in networks))

    def allows(self, address: Address) -> bool:
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
            address = address.ipv4_mapped
        if any(address in network for network in self.allowed):
            return True
        if isinstance(address, ipaddress.IPv6Address) and (address.sixtofour or address.teredo):
            return False  # an IPv4 address hides inside: judge none of these as public
        return address.is_global and not address.is_multicast


def url_problem(url: str, policy: AddressPolicy) -> str | None:
    """What is wrong with a backend URL as written, or None (names are resolved at call time)."""
    if len(url) > MAX_URL:
        return f"must be at most {MAX_URL} characters"
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        return f"is not a valid URL ({error})"
    if parts.scheme not in ("http", "https"):
        return "must start with http:// or https://"
    if not parts.hostname:
        return "must name a host"
    if parts.username is not None or parts.password is not None:
        return "must not hold a user name or password"
    if parts.fragment:
        return "must not have a #fragment"
    if port == 0:
        return "port 0 cannot be called"
    host = parts.hostname
    literal = _literal(host)
    if literal is not None and not policy.allows(literal):
        return _refused(host, literal)
    if literal is None and (host == "localhost" or host.endswith(".localhost")):
        return _refused(host, ipaddress.ip_address("127.0.0.1"))
    return None


def _literal(host: str) -> Address | None:
    """The address a host written as a number stands for, in any form the system's
    resolver reads without DNS (`127.1`, `0x7f000001` and `2130706433` are 127.0.0.1)."""
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, None, flags=socket.AI_NUMERICHOST)
    except (OSError, UnicodeError, ValueError):
        return None
    return ipaddress.ip_address(str(infos[0][4][0]).split("%", 1)[0]) if infos else None


def _refused(host: str, address: Address) -> str:
    where = host if str(address) == host else f"{host} ({address})"
    return (
        f"{where} is not a public address; the server's operator may allow it with "
        "SUGGESTION_BACKEND_ALLOWED_NETWORKS"
    )


def system_resolver(host: str, port: int) -> list[str]:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


def post_json(
    url: str,
    body: Any,
    *,
    policy: AddressPolicy,
    timeout: float,
    max_bytes: int,
    resolve: Resolver = system_resolver,
) -> Any:
    """POST `body` as JSON and return the decoded answer, or raise BackendFailure."""
    if problem := url_problem(url, policy):
        raise BackendFailure(f"the backend URL {problem}")
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    address = _checked_address(host, port, policy, resolve)
    netloc = f"[{address}]" if address.version == 6 else str(address)
    target = parts._replace(netloc=f"{netloc}:{port}").geturl()
    headers = {
        "Host": parts.netloc,
        "Content-Type": "application/json",
        "Accept": "application/json",
        "User-Agent": USER_AGENT,
    }
    extensions = {"sni_hostname": host} if parts.scheme == "https" else {}
    content = json.dumps(body, ensure_ascii=False).encode()
    deadline = time.monotonic() + timeout
    try:
        with (
            httpx.Client(timeout=timeout, follow_redirects=False, trust_env=False) as client,
            client.stream(
                "POST", target, content=content, headers=headers, extensions=extensions
            ) as response,
        ):
            if response.status_code != 200:
                raise BackendFailure(_status_reason(response))
            raw = _read_bounded(response, max_bytes, deadline, timeout)
    except httpx.TimeoutException:
        raise BackendFailure(f"no answer within {timeout:g} s (timed out)") from None
    except httpx.HTTPError as error:
        raise BackendFailure(
            f"could not reach the backend: {error or type(error).__name__}"
        ) from None
    return _decode(raw)


def _checked_address(host: str, port: int, policy: AddressPolicy, resolve: Resolver) -> Address:
    literal = _literal(host)
    if literal is not None:
        return literal  # url_problem checked it
    try:
        found = [ipaddress.ip_address(a.split("%", 1)[0]) for a in resolve(host, port)]
    except (OSError, UnicodeError, ValueError) as error:
        raise BackendFailure(f"could not resolve {host}: {error}") from None
    if not found:
        raise BackendFailure(f"could not resolve {host}")
    for address in found:
        if not policy.allows(address):
            raise BackendFailure(f"the backend URL's host {_refused(host, address)}")
    return found[0]


def _status_reason(response: httpx.Response) -> str:
    if response.is_redirect:
        return f"answered HTTP {response.status_code} (redirects are not followed)"
    return f"answered HTTP {response.status_code} {response.reason_phrase}".rstrip()


def _read_bounded(
    response: httpx.Response, max_bytes: int, deadline: float, timeout: float
) -> bytes:
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise BackendFailure(
            f"the answer is {int(declared)} bytes, more than the {max_bytes} bytes allowed"
        )
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > max_bytes:
            raise BackendFailure(f"the answer is more than the {max_bytes} bytes allowed")
        if time.monotonic() > deadline:
            raise BackendFailure(f"no complete answer within {timeout:g} s (timed out)")
        chunks.append(chunk)
    return b"".join(chunks)


def _decode(raw: bytes) -> Any:
    def refuse_constant(name: str) -> Any:
        raise ValueError(f"{name} is not JSON")

    try:
        return json.loads(raw.decode("utf-8"), parse_constant=refuse_constant)
    except UnicodeDecodeError:
        raise BackendFailure("the answer is not UTF-8 text") from None
    except (ValueError, RecursionError) as error:
        raise BackendFailure(f"the answer is not JSON ({error})") from None
