"""Editor benchmark: drives headless Chromium over the built bench page and prints figures.

Not a timed test: it reports numbers. Build first (npm run build:bench), or run
`npm run bench` in frontend/, which does both. Needs Python Playwright (in the
project venv) and Chromium at /usr/bin/chromium (override with CHROMIUM_PATH).
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import sys
import threading
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

DIST = Path(__file__).resolve().parent / "dist"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]

QUOTE = "Itu akan menjadi sinyal yang salah untuk dikirim,"

LOCATE = """([needle, nth]) => {
  let seen = 0;
  for (const p of document.querySelectorAll('[data-block]')) {
    const t = p.firstChild;
    let i = -1;
    while ((i = t.data.indexOf(needle, i + 1)) >= 0) {
      if (seen++ < nth) continue;
      const r = document.createRange();
      r.setStart(t, i); r.setEnd(t, i + 1);
      const a = r.getBoundingClientRect();
      r.setStart(t, i + needle.length - 1); r.setEnd(t, i + needle.length);
      const b = r.getBoundingClientRect();
      return {x1: a.left + 1, y1: a.top + a.height / 2, x2: b.right - 1, y2: b.top + b.height / 2};
    }
  }
  return null;
}"""

# Time from a key press to the first frame after it has been handled.
LATENCY_PROBE = """() => {
  window.__lat = [];
  document.addEventListener('keydown', (e) => {
    const t0 = performance.now();
    requestAnimationFrame(() => setTimeout(() => window.__lat.push(performance.now() - t0), 0));
  }, true);
}"""


def serve(directory: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(directory))
    handler.log_message = lambda *a, **k: None  # type: ignore[method-assign]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


class Counter:
    """Counts the user's gestures: pointer drags, clicks and key presses."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.drags = self.clicks = self.keys = 0

    def drag(self, needle: str, nth: int = 0) -> None:
        box = self.page.evaluate(LOCATE, [needle, nth])
        assert box, needle
        self.page.mouse.move(box["x1"], box["y1"])
        self.page.mouse.down()
        self.page.mouse.move(box["x2"], box["y2"], steps=4)
        self.page.mouse.up()
        self.drags += 1

    def key(self, key: str) -> None:
        self.page.keyboard.press(key)
        self.keys += 1

    def take(self) -> str:
        parts = [
            f"{n} {what}{'s' if n != 1 else ''}"
            for n, what in ((self.drags, "drag"), (self.clicks, "click"), (self.keys, "key"))
            if n
        ]
        self.drags = self.clicks = self.keys = 0
        return " + ".join(parts)


def ops_seen(page: Page) -> list[dict]:
    page.evaluate("() => new Promise(r => setTimeout(r, 900))")  # let autosave's debounce fire
    return [op for batch in page.evaluate("window.__server.patches") for op in batch]


def interaction_counts(page: Page, base: str) -> dict[str, str]:
    page.goto(f"{base}/index.html?mode=ui")
    page.locator("[data-block]").first.wait_for()
    c = Counter(page)
    results = {}

    c.drag("Jens Stoltenberg")
    c.key("p")
    assert any(o["op"] == "add_span" and o["span"]["label"] == "PER" for o in ops_seen(page))
    results["labelled span (select + hotkey)"] = c.take()

    c.drag("Stoltenberg", 1)
    c.key("p")
    speaker_cost = c.take()
    c.drag(QUOTE)
    c.key("q")
    c.key("s")
    c.key("Enter")
    assert any(o["op"] == "add_relation" for o in ops_seen(page))
    results["quote with its speaker (speaker already labelled)"] = c.take()
    results["  ...plus labelling the speaker first"] = speaker_cost

    c.key("3")
    assert any(o["op"] == "set_document_label" for o in ops_seen(page))
    results["document sentiment"] = c.take()

    c.key("/")
    page.keyboard.type("aliansi akan")
    c.key("Enter")
    c.key("e")
    assert sum(o["op"] == "add_span" for o in ops_seen(page)) == 4
    results["labelled span, keyboard only (/ text Enter hotkey)"] = c.take() + " + typing the text"
    return results


UI_KEYS = ("m", "e", "Delete")


def latency_stats(values: list[float]) -> dict:
    xs = sorted(values)
    return {
        "n": len(xs),
        "p50": round(xs[len(xs) // 2], 1),
        "p95": round(xs[min(len(xs) - 1, int(len(xs) * 0.95))], 1),
    }


def ui_long(page: Page, base: str) -> dict:
    page.goto(f"{base}/index.html?mode=ui-long")
    page.locator(".wb-tag").first.wait_for()
    loaded = page.evaluate(
        "() => ({ready_ms: Math.round(performance.now()), generate_ms: Math.round(window.__genMs)})"
    )
    page.evaluate(LATENCY_PROBE)
    c = Counter(page)
    for i in range(10):
        c.drag("pertahanan", i)
        for key in UI_KEYS:
            c.key(key)
    page.evaluate("() => new Promise(r => setTimeout(r, 300))")
    raw = page.evaluate("window.__lat")
    lat = sorted(raw)
    # The keys were pressed in turn (m, e, Delete), so every third latency is one key's.
    per_key = {name: latency_stats(raw[k::3]) for k, name in enumerate(UI_KEYS)}
    return {
        "page_ready_after_navigation_ms": loaded["ready_ms"],
        "of_which_generating_the_article_ms": loaded["generate_ms"],
        "key_to_next_frame_ms": {
            "n": len(lat),
            "median": round(lat[len(lat) // 2], 1),
            "p95": round(lat[int(len(lat) * 0.95) - 1], 1),
            "max": round(lat[-1], 1),
        },
        "key_to_next_frame_per_key_ms": per_key,
    }


def main() -> int:
    if not (DIST / "index.html").exists():
        print("bench page not built: run `npm run build:bench` in frontend/", file=sys.stderr)
        return 2
    server, base = serve(DIST)
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.goto(f"{base}/index.html?mode=perf")
            page.wait_for_function("window.__bench !== undefined", timeout=600_000)
            perf = page.evaluate("window.__bench")
            print("PROF", page.evaluate("window.__prof"))
            counts = interaction_counts(
                browser.new_page(viewport={"width": 1400, "height": 900}), base
            )
            ui = ui_long(browser.new_page(viewport={"width": 1400, "height": 900}), base)
            browser.close()
    finally:
        server.shutdown()
    if "error" in perf:
        print(perf["error"], file=sys.stderr)
        return 1
    load = os.getloadavg()
    print(f"load average while measuring: {load[0]:.1f} on {os.cpu_count()} CPUs")
    print("== Editor core: long article ==")
    print(json.dumps(perf, indent=2))
    print("== Full UI on the long article (fake API in the page) ==")
    print(json.dumps(ui, indent=2))
    print("== Gestures per task ==")
    for task, cost in counts.items():
        print(f"{task:52} {cost}")
    fr = perf["first_render"]["first_frame_ms"]
    edits = max(perf[k]["p95"] for k in ("add_span_ms", "relabel_span_ms", "delete_span_ms"))
    print(f"\nfirst render {fr} ms (target < 300); one-span edit p95 {edits} ms (target < 16)")
    ghosts = perf["suggestions"]
    worst = max(ghosts[k]["p95"] for k in ("focus_next_ms", "accept_one_ms", "reject_one_ms"))
    frames = ghosts["scroll_with_ghosts_120px_per_frame"]["frame_interval_ms"]["p95"]
    print(
        f"5,000 suggestions: shown in {ghosts['show_ms']} ms, accept/reject/step p95 {worst} ms "
        f"(target < 16), scroll frame p95 {frames} ms, accept all {ghosts['accept_all']['ms']} ms"
    )
    keys = ui["key_to_next_frame_per_key_ms"]
    print(
        "full UI, long article, key press to next frame (target < 16 ms): "
        + ", ".join(f"{k} p50 {v['p50']} p95 {v['p95']}" for k, v in keys.items())
        + f" (load average {load[0]:.1f}, {load[1]:.1f}, {load[2]:.1f} on {os.cpu_count()} CPUs)"
    )
    st = perf["structure"]
    keys = [k for k in st if k.endswith("_ms") and isinstance(st[k], dict)]
    worst = max(st[k]["p95"] for k in keys)
    print(
        f"{st['two_fragment_quotes']} two-fragment quotes and {st['chains']} chains: "
        f"join/split/chain edits p95 up to {worst} ms (target < 16): "
        + ", ".join(f"{k[:-3]} {st[k]['p95']}" for k in keys)
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
