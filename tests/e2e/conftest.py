"""Browser fixtures: a built frontend, headless Chromium, and a logged-in page.

Chromium comes from Debian (/usr/bin/chromium); Playwright cannot download
browsers here. The frontend is built once if frontend/dist is missing.
"""

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; Django's ORM calls from
# the same thread are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

REPO = Path(__file__).resolve().parents[2]
FRONTEND = REPO / "frontend"
DIST = FRONTEND / "dist"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PASSWORD = "pw-for-tests"


def _build_frontend() -> None:
    if (DIST / "assets" / "app.js").exists():
        return
    npm = shutil.which("npm")
    if not npm:
        pytest.skip("npm is not installed: cannot build the frontend")
    if not (FRONTEND / "node_modules").exists():
        subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=FRONTEND, check=True)
    subprocess.run([npm, "run", "build"], cwd=FRONTEND, check=True)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Chromium not found at {CHROMIUM}")
    _build_frontend()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(autouse=True)
def _serve_built_frontend(settings) -> None:
    # Settings were read before the build may have created dist/, so point at it now.
    settings.STATICFILES_DIRS = [DIST]


def pytest_terminal_summary(terminalreporter) -> None:
    """List the screenshots the browser tests kept (tests/e2e/pages.py)."""
    from tests.e2e.pages import TAKEN

    if TAKEN:
        terminalreporter.write_sep("-", f"{len(TAKEN)} screenshots in {TAKEN[0].parent}")
        for path in TAKEN:
            terminalreporter.write_line(f"  {path.name}")


@pytest.fixture
def context(browser):
    ctx = browser.new_context(viewport={"width": 1400, "height": 900})
    yield ctx
    ctx.close()


@pytest.fixture
def page(context) -> Iterator:
    page = context.new_page()
    # Generous: CI machines are small and the suite shares them with other work.
    page.set_default_timeout(20_000)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    # Printed output shows up in pytest's report only when the test fails.
    page.on("console", lambda msg: print(f"console.{msg.type}: {msg.text}"))
    page.on(
        "response",
        lambda r: (
            "/api/" in r.url
            and print(
                f"{r.request.method} {r.url} -> {r.status} {(r.request.post_data or '')[:300]}"
            )
        ),
    )
    page.js_errors = errors
    yield page
    assert not errors, f"JavaScript errors: {errors}"


def login(page, live_server, username: str) -> None:
    """Log in through the form (by its fields' ids, so it works in any language)."""
    page.goto(f"{live_server.url}/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/")


# Finds the on-screen box of the nth occurrence of `needle` in the rendered article.
_LOCATE = """([needle, nth]) => {
  let seen = 0;
  for (const p of document.querySelectorAll('[data-block]')) {
    const t = p.firstChild;
    let i = -1;
    while ((i = t.data.indexOf(needle, i + 1)) >= 0) {
      if (seen++ < nth) continue;
      p.scrollIntoView({block: 'center'});
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


def text_box(page, needle: str, nth: int = 0) -> dict:
    """Screen points of the first (x1, y1) and last (x2, y2) characters of `needle`."""
    box = page.evaluate(_LOCATE, [needle, nth])
    assert box, f"{needle!r} is not on the page"
    return box


def select_text(page, needle: str, nth: int = 0) -> None:
    """Drag the mouse across the nth occurrence of `needle`, like a person would."""
    box = text_box(page, needle, nth)
    page.mouse.move(box["x1"], box["y1"])
    page.mouse.down()
    page.mouse.move(box["x2"], box["y2"], steps=4)
    page.mouse.up()


def click_text(page, needle: str, nth: int = 0) -> None:
    box = text_box(page, needle, nth)
    page.mouse.click((box["x1"] + box["x2"]) / 2, box["y1"])


def wait_saved(page) -> None:
    page.get_by_text("All changes saved").wait_for()


def my_annotation(page, live_server, project_id: int, doc_id: int) -> dict:
    url = f"{live_server.url}/api/projects/{project_id}/documents/{doc_id}/annotations/mine/"
    response = page.request.get(url)
    assert response.ok, response.text()
    return response.json()
