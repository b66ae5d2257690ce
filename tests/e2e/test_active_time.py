"""Issue 12 in a real browser: the editor's active time under a fake clock, and the review
page's hidden-check button."""

from __future__ import annotations

import pytest

from annotations.models import Annotation, Document
from tests.e2e.conftest import login, my_annotation, select_text, wait_saved
from tests.e2e.pages import check_page
from tests.factories import DocumentFactory
from tests.test_gold_checks import make_gold

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXT = "Jens Stoltenberg berkata: “Kami siap,” kata dia di Brussel."
MINUTE = 60_000
# What VirtualList does to keep the selected span's row in view; true if it moved.
SCROLL_THE_SPAN_LIST = """() => {
  const list = document.querySelector('.vlist');
  const was = list.scrollTop;
  list.scrollTop = was > 0 ? 0 : list.scrollHeight;
  return list.scrollTop !== was;
}"""


def open_doc(page, live_server, doc) -> None:
    page.goto(f"{live_server.url}/projects/{doc.project_id}/documents/{doc.pk}/")
    page.locator("[data-block]").first.wait_for()


def active_seconds(doc) -> float:
    return Annotation.objects.get(document=doc, is_gold=False).active_seconds or 0.0


def label(page, needle: str, key: str) -> None:
    """Select `needle` with the mouse and label it by its hotkey (activity, then a save)."""
    select_text(page, needle)
    page.keyboard.press(key)


def save_now(page, ms: int = 1000) -> None:
    """Let the autosave's debounce (700 ms of the fake clock) pass, and wait for the save."""
    page.clock.run_for(ms)
    wait_saved(page)


def test_the_editor_reports_active_time_by_its_clock(cast, live_server, page):
    """Under Playwright's fake clock, each save carries the active time since the one before.
    `save_now` lets 1 s pass, the save going out after the debounce's 700 ms, so 0.3 s of
    every `save_now` goes with the next save, and 0.7 s after each edit with its own.

    - one active minute: 0.3 + 60 + 0.7 = 61.0 s;
    - ten idle minutes: only the five after the last keypress count: 300 - 0.7 (already
      sent) + 0.7 (the next edit's debounce) = 300.0 s;
    - blurred for two minutes, then 20 s focused: 0.3 + 0 + 20 + 0.7 = 21.0 s.
    """
    doc = DocumentFactory(project=cast.project, text=TEXT, length=len(TEXT))
    page.clock.install()
    login(page, live_server, "alice")
    open_doc(page, live_server, doc)
    page.clock.pause_at(page.evaluate("Date.now()") + 1000)
    label(page, "Jens", "p")
    save_now(page)
    start = active_seconds(doc)  # whatever passed while the page loaded

    page.keyboard.press("Escape")  # activity
    page.clock.run_for(MINUTE)
    label(page, "Brussel", "l")
    # The span list scrolls to the new span's row by itself, in whichever frame the browser
    # gets to: anywhere in the save's second on a busy machine, and the idle stretch below
    # started there. Scrolled here 0.6 s after the key, as the app does (`.vlist`'s
    # scrollTop), it must not count as activity (DECISIONS 65).
    page.clock.run_for(600)
    assert page.evaluate(SCROLL_THE_SPAN_LIST)
    save_now(page, 400)
    first = active_seconds(doc)
    assert first - start == pytest.approx(61.0, abs=0.15)

    page.clock.run_for(10 * MINUTE)
    label(page, "Kami", "m")
    save_now(page)
    second = active_seconds(doc)
    assert second - first == pytest.approx(300.0, abs=0.15)

    page.evaluate("window.dispatchEvent(new Event('blur'))")
    page.clock.run_for(2 * MINUTE)
    page.evaluate("window.dispatchEvent(new Event('focus'))")
    page.clock.run_for(20_000)
    label(page, "dia", "p")
    save_now(page)
    assert active_seconds(doc) - second == pytest.approx(21.0, abs=0.15)
    assert my_annotation(page, live_server, cast.project.pk, doc.pk)["active_seconds"] == (
        pytest.approx(active_seconds(doc))
    )


def test_an_admin_makes_a_check_on_the_review_page(cast, live_server, page):
    """Without gold the button waits for it; with gold one click makes the document a
    check, and another undoes it."""
    document = DocumentFactory(project=cast.project, text=TEXT, length=len(TEXT))
    login(page, live_server, "adam")
    url = f"{live_server.url}/projects/{cast.project.pk}/documents/{document.pk}/review/"
    page.goto(url)
    region = page.get_by_role("region", name="Hidden gold check")
    button = region.get_by_role("button", name="Make it a hidden check")
    button.wait_for()
    assert button.is_disabled()
    make_gold(cast, document)
    page.reload()
    region.get_by_role("button", name="Make it a hidden check").click()
    region.get_by_text("This document is now a hidden check.").wait_for()
    assert Document.objects.get(pk=document.pk).check_since is not None
    check_page(page, "review-check")
    region.get_by_role("button", name="Stop using it as a check").click()
    region.get_by_text("This document is no longer a check.").wait_for()
    assert Document.objects.get(pk=document.pk).check_since is None
