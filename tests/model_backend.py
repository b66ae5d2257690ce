"""A small real model backend for tests: `http.server` on 127.0.0.1 in a thread.

Each path behaves one way, so a test names the behaviour in the URL:

- `/good`: every occurrence of a word it knows (`Stoltenberg` → PER, `NATO` → ORG) as a span,
  QUOTE spans in “…” linked to the nearest PER by SPEAKER, and sentiment `neutral`;
- `/slow`: answers well after `SLOW_SECONDS`; `/drip`: sends a byte every 0.3 s for ever;
- `/garbage`: not JSON; `/error`: HTTP 500; `/redirect`: 302 to `/good`;
- `/huge`: a valid answer larger than any limit a test sets (`/huge-stream`: without a
  Content-Length);
- `/past-end`, `/unknown-label`, `/bad-score`, `/bad-relation`, `/not-object`, `/nan`:
  JSON that does not fit the text or the schema.

`requests` lists what it received (path, Host header, decoded body), so a test can tell
whether the server was called at all.
"""

from __future__ import annotations

import contextlib
import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

SLOW_SECONDS = 3.0
KNOWN = {"Stoltenberg": "PER", "NATO": "ORG"}


def good_answer(body: dict[str, Any]) -> dict[str, Any]:
    text = body["document"]["text"]
    spans: list[dict[str, Any]] = []
    for word, label in KNOWN.items():
        for match in re.finditer(rf"\b{word}\b", text):
            spans.append(
                {
                    "id": f"e{match.start()}",
                    "start": match.start(),
                    "end": match.end(),
                    "label": label,
                    "score": 0.9,
                }
            )
    people = [s for s in spans if s["label"] == "PER"]
    relations = []
    for match in re.finditer(r"“[^”]*”", text):
        quote_id = f"q{match.start()}"
        spans.append(
            {
                "id": quote_id,
                "start": match.start(),
                "end": match.end(),
                "label": "QUOTE",
                "attributes": {"quote_type": "direct"},
                "score": 0.75,
            }
        )
        if people:
            nearest = min(people, key=lambda p: abs(p["start"] - match.start()))
            relations.append(
                {"from": quote_id, "to": nearest["id"], "label": "SPEAKER", "score": 0.6}
            )
    return {
        "spans": spans,
        "relations": relations,
        "document_labels": [{"group": "sentiment", "value": "neutral", "score": 0.55}],
    }


BROKEN: dict[str, Any] = {
    "/past-end": lambda n: {"spans": [{"id": "a", "start": 0, "end": n + 1, "label": "PER"}]},
    "/unknown-label": lambda n: {"spans": [{"id": "a", "start": 0, "end": 1, "label": "WHO"}]},
    "/bad-score": lambda n: {
        "spans": [{"id": "a", "start": 0, "end": 1, "label": "PER", "score": 1.5}]
    },
    "/bad-relation": lambda n: {
        "spans": [{"id": "a", "start": 0, "end": 1, "label": "QUOTE"}],
        "relations": [{"from": "a", "to": "nowhere", "label": "SPEAKER"}],
    },
    "/not-object": lambda n: [1, 2, 3],
}


class Handler(BaseHTTPRequestHandler):
    server: BackendServer

    def log_message(self, *args: Any) -> None:  # quiet test output
        pass

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        raw = self.rfile.read(length)
        body = json.loads(raw)
        self.server.requests.append(
            {"path": self.path, "host": self.headers.get("Host"), "body": body}
        )
        path = self.path
        if path == "/good":
            self._json(good_answer(body))
        elif path == "/slow":
            time.sleep(SLOW_SECONDS)
            self._json(good_answer(body))
        elif path == "/drip":
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            try:
                for _ in range(100):
                    self.wfile.write(b" ")
                    self.wfile.flush()
                    time.sleep(0.3)
            except OSError:
                pass
        elif path == "/garbage":
            self._raw(200, b"<html>Model server is warming up</html>", "text/html")
        elif path == "/nan":
            self._raw(200, b'{"spans": [{"id": "a", "start": 0, "end": 1, "label": "PER", '
                           b'"score": NaN}]}')  # fmt: skip
        elif path == "/error":
            self._raw(500, b"Traceback (most recent call last): ...", "text/plain")
        elif path == "/redirect":
            self.send_response(302)
            self.send_header("Location", "/good")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif path == "/huge":
            answer = good_answer(body)
            answer["padding"] = "x" * 2_000_000
            self._json(answer)
        elif path == "/huge-stream":  # no Content-Length: the body ends when the socket closes
            self.send_response(200)
            self.end_headers()
            try:
                for _ in range(100):
                    self.wfile.write(b"[" + b" " * 100_000)
            except OSError:
                pass
        elif path in BROKEN:
            self._json(BROKEN[path](body["document"]["length"]))
        else:
            self._raw(404, b"no such path", "text/plain")

    def _json(self, value: Any) -> None:
        self._raw(200, json.dumps(value).encode())

    def _raw(self, code: int, data: bytes, content_type: str = "application/json") -> None:
        self.send_response(code)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        with contextlib.suppress(OSError):  # the client gave up (a timeout test)
            self.wfile.write(data)


class BackendServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.requests: list[dict[str, Any]] = []
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        return self.server_address[1]

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    def __enter__(self) -> BackendServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.shutdown()
        self.server_close()
        self.thread.join(timeout=5)
