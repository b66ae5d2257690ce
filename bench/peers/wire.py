"""A small HTTP/1.1 client on http.client: keep-alive or a new connection per request.

requests adds about as much client time per call as a fast server spends answering;
timing the servers, not the client, needs the thinnest client there is.
"""

from __future__ import annotations

import http.client
import json
import time
import uuid
from typing import Any

from paths import HOST


class HttpError(RuntimeError):
    pass


class Http:
    def __init__(self, port: int, headers: dict[str, str], keepalive: bool = True):
        self.port = port
        self.headers = headers
        self.keepalive = keepalive
        self._conn: http.client.HTTPConnection | None = None

    def _connection(self) -> http.client.HTTPConnection:
        if self._conn is None or not self.keepalive:
            if self._conn is not None:
                self._conn.close()
            self._conn = http.client.HTTPConnection(HOST, self.port, timeout=600)
        return self._conn

    def request(
        self, method: str, path: str, body: bytes | None = None, content_type: str | None = None
    ) -> tuple[int, bytes]:
        headers = dict(self.headers)
        if content_type:
            headers["Content-Type"] = content_type
        if not self.keepalive:
            headers["Connection"] = "close"
        for attempt in (1, 2):
            conn = self._connection()
            try:
                conn.request(method, path, body=body, headers=headers)
                response = conn.getresponse()
                data = response.read()
                if response.getheader("Connection", "").lower() == "close" or not self.keepalive:
                    conn.close()
                    self._conn = None
                return response.status, data
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                # A keep-alive connection the server closed while idle: reconnect once.
                conn.close()
                self._conn = None
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def json(
        self, method: str, path: str, payload: Any = None, expect: tuple[int, ...] = (200, 201)
    ) -> Any:
        body = None if payload is None else json.dumps(payload).encode()
        status, data = self.request(method, path, body, "application/json" if body else None)
        if status not in expect:
            raise HttpError(f"{method} {path} → {status}: {data[:500]!r}")
        return json.loads(data) if data else None

    def upload(
        self,
        path: str,
        field: str,
        filename: str,
        content: bytes,
        fields: dict[str, str] | None = None,
        expect: tuple[int, ...] = (200, 201),
    ) -> bytes:
        boundary = uuid.uuid4().hex
        parts = []
        for name, value in (fields or {}).items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                f"{value}\r\n".encode()
            )
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; '
            f'filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n'.encode()
            + content
            + b"\r\n"
        )
        parts.append(f"--{boundary}--\r\n".encode())
        status, data = self.request(
            "POST", path, b"".join(parts), f"multipart/form-data; boundary={boundary}"
        )
        if status not in expect:
            raise HttpError(f"POST {path} → {status}: {data[:500]!r}")
        return data

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None


def poll(check, timeout: float = 600, interval: float = 0.02) -> Any:
    """Call `check` until it returns something truthy; tight interval: it is timed."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(interval)
    raise TimeoutError("job did not finish in time")
