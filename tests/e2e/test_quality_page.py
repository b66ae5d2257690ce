"""The annotator quality page in a real browser (issue 12), in English and Indonesian: the
API's figures with charts, axe clean, and an annotator sees only their own figures."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import login
from tests.e2e.pages import LOCALES, VIEWPORTS, check_page, english_on_page
from tests.test_quality import seeded  # noqa: F401 (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(params=sorted(LOCALES))
def lang(request) -> str:
    return request.param


@pytest.fixture
def context(browser, lang):
    ctx = browser.new_context(viewport=VIEWPORTS["laptop"], locale=LOCALES[lang])
    yield ctx
    ctx.close()


def _percent(value: float, lang: str) -> str:
    text = f"{value * 100:.1f}"
    return (text.replace(".", ",") if lang == "id" else text) + "%"


def test_the_quality_page_shows_the_apis_figures(cast, seeded, live_server, page, lang):  # noqa: F811
    """A reviewer reads every annotator's accuracy (alice: 0.6, 0.8, 1.0, 0.5 by hand, see
    tests/test_quality.py), drift and time, as the API gives them, with charts; axe finds
    nothing serious; the Indonesian page has no English left."""
    login(page, live_server, "rita")
    page.goto(f"{live_server.url}/projects/{cast.project.pk}/quality/")
    table = page.locator('table[data-figure="accuracy"]')
    table.wait_for()
    row = table.locator('tr[data-annotator="alice"]')
    cells = {
        column: row.locator(f'td[data-column="{column}"]').inner_text().strip()
        for column in ("checks", "span_f1", "span_f1_overlap", "link_f1", "document_labels")
    }
    assert cells == {
        "checks": "2",
        "span_f1": _percent(0.6, lang),
        "span_f1_overlap": _percent(0.8, lang),
        "link_f1": _percent(1.0, lang),
        "document_labels": _percent(0.5, lang),
    }
    assert table.locator('tr[data-annotator="bob"] td[data-column="span_f1"]').inner_text() == "—"
    page.locator('table[data-figure="drift"] tr[data-annotator="alice"]').wait_for()
    assert page.locator("canvas").count() == 3
    if lang == "id":
        assert english_on_page(page) == []
    check_page(page, f"quality-{lang}")


def test_an_annotator_sees_only_their_own_quality(cast, seeded, live_server, page, lang):  # noqa: F811
    """Alice's page has one row, hers, under "My quality"; bob's has only his."""
    login(page, live_server, "alice")
    page.goto(f"{live_server.url}/projects/{cast.project.pk}/quality/")
    rows = page.locator('table[data-figure="accuracy"] tbody tr')
    rows.first.wait_for()
    assert [rows.nth(i).get_attribute("data-annotator") for i in range(rows.count())] == ["alice"]
    check_page(page, f"quality-own-{lang}")
