"""Suggestions in the editor, in Chromium: ghosts apart from spans, accept with Enter and
reject with Backspace, and the API shows the accepted spans with their provenance."""

import pytest

from annotations.services.suggestions import suggestions_compute
from tests.articles import ARTICLE, QUOTE
from tests.e2e.conftest import login, my_annotation, wait_saved
from tests.e2e.pages import screenshot
from tests.factories import DocumentFactory
from workbench.celery import app

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker_at_once(monkeypatch):
    """The suggestion task runs as soon as it is queued, as an idle worker would."""
    monkeypatch.setattr(app, "send_task", lambda name, args: suggestions_compute(*args))


def test_accept_and_reject_suggestions(cast, live_server, page, worker_at_once):
    """Click the suggested quote and press Enter, then its speaker, then Backspace on the
    next: the quote and speaker are stored with their source and score and linked; the
    rejected one is not stored and no longer shown."""
    doc = DocumentFactory(project=cast.project, text=ARTICLE, title="Bus", length=len(ARTICLE))
    start = ARTICLE.index("“" + QUOTE)
    quote_id = f"quotes-q{start}-{ARTICLE.index('”', start) + 1}"
    login(page, live_server, "alice")
    page.goto(f"{live_server.url}/projects/{doc.project_id}/documents/{doc.pk}/")
    ghost = page.locator(f'[data-ghost="{quote_id}"]').first
    ghost.wait_for()
    assert page.locator(".wb-bar").count() == 0  # ghosts are not spans

    suggestions = page.request.get(
        f"{live_server.url}/api/projects/{doc.project_id}/documents/{doc.pk}/suggestions/"
    ).json()
    speaker_id = next(
        r["to"]
        for r in suggestions["relations"]
        if r["from"] == quote_id and r["label"] == "SPEAKER"
    )

    ghost.scroll_into_view_if_needed()
    ghost.click()
    page.get_by_test_id("focused-suggestion").wait_for()
    screenshot(page, "editor-suggestions")
    page.keyboard.press("Enter")
    page.locator(f'[data-span="{quote_id}"]').first.wait_for()
    page.locator(f'[data-ghost="{speaker_id}"]').first.click()
    page.keyboard.press("Enter")
    page.locator(f'[data-span="{speaker_id}"]').first.wait_for()
    rejected = page.locator(".wb-ghost-focused").first.get_attribute("data-ghost")
    assert rejected and rejected not in (quote_id, speaker_id)
    page.keyboard.press("Backspace")
    page.locator(f'[data-ghost="{rejected}"]').wait_for(state="detached")
    wait_saved(page)

    stored = my_annotation(page, live_server, doc.project_id, doc.pk)
    by_id = {s["id"]: s for s in stored["spans"]}
    assert set(by_id) == {quote_id, speaker_id}
    for span_id in (quote_id, speaker_id):
        assert by_id[span_id]["source"] == "quotes"
        assert 0 < by_id[span_id]["score"] <= 1
    quote = by_id[quote_id]
    assert ARTICLE[quote["start"] : quote["end"]] == f"“{QUOTE},”"
    assert quote["attributes"] == {"quote_type": "direct"}
    assert [(r["from"], r["to"], r["label"]) for r in stored["relations"]] == [
        (quote_id, speaker_id, "SPEAKER")
    ]

    page.reload()
    page.locator(f'[data-span="{quote_id}"]').first.wait_for()
    page.locator(".wb-ghost").first.wait_for()
    assert page.locator(f'[data-ghost="{rejected}"]').count() == 0  # stays rejected
