"""Every page of the workbench through axe-core, at a phone's 390 x 844 and a laptop's
1024 x 768, in Indonesian (id-ID) and English (en-US): no serious or critical violation, a
screenshot of each kept, and on the Indonesian pages none of the English words
tests/e2e/pages.py lists.

One browser context per size and language visits the pages one after another, so the whole
matrix costs four logins rather than fifty.
"""

import re

import pytest

from tests.e2e.conftest import PASSWORD
from tests.e2e.pages import LOCALES, VIEWPORTS, check_page, english_on_page
from tests.e2e.test_review_flow import SPEECH, two_versions  # noqa: F401 - a fixture
from tests.test_export_records import annotate

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# (name, address under the project, what shows once the page has its data)
PROJECT_PAGES = [
    ("project", "", "main table.docs"),
    ("editor", "documents/{doc}/", "[data-block]"),
    ("review", "documents/{doc}/review/", ".rv-gold [data-block]"),
    ("dashboard", "dashboard/", "main table"),
    ("documents", "documents/", "main table"),
    ("people", "people/", "main table"),
    ("labels", "labels/", "ul.label-list"),
    ("history-document", "documents/{doc}/history/", "ol.history li"),
    ("history-person", "history/?annotator=alice", "ol.history li"),
    ("agreement", "agreement/", "main table.figtable"),
    ("exports", "exports/", "form.export-form"),
    ("settings", "settings/", "#project-settings-heading"),
    ("suggestions", "suggestions/", "main h1"),
    ("not-found", "no-such-page/", "main h1"),
]
APP_PAGES = [("projects", "/", "main h1"), ("account", "/account/", "main h1")]
# adam's own draft: a quote with both attributes, so the editor shows them (span list and,
# once selected, the attribute editors) and the review page lists a version with them.
QUOTE_WITH_ATTRIBUTES = {
    **SPEECH,
    "attributes": {"quote_type": "indirect", "sentiment": "positive"},
}


def _ready(page, selector: str) -> None:
    page.locator(selector).first.wait_for()
    page.wait_for_load_state("networkidle")


def _select_quote(page) -> None:
    """Open the quote's details (its attribute editors); on a phone the span list is a
    drawer, opened first."""
    item = page.locator(f'[data-span-id="{SPEECH["id"]}"]')
    if not item.is_visible():
        page.get_by_role("button", name=re.compile("^(Annotation panel|Panel anotasi)$")).click()
    item.click()
    page.locator('select[data-attribute="quote_type"]').wait_for()


def _check(page, name: str, lang: str, failures: list[str]) -> None:
    try:
        check_page(page, name)
    except AssertionError as failed:
        failures.append(str(failed))
    if lang == "id" and (english := english_on_page(page)):
        failures.append(f"{name}: English words on an Indonesian page: {english}")


@pytest.mark.parametrize("lang", sorted(LOCALES))
@pytest.mark.parametrize("size", sorted(VIEWPORTS))
def test_every_page_passes_axe(cast, live_server, browser, two_versions, size, lang):  # noqa: F811
    """Each screen, signed in as the project's admin (who may open all of them), and the
    pages before signing in: axe finds nothing serious or critical."""
    annotate(two_versions, None, spans=[], labels={"sentiment": "neutral"})  # a gold: history
    annotate(two_versions, cast.admin, spans=[QUOTE_WITH_ATTRIBUTES], status="draft")
    failures: list[str] = []
    context = browser.new_context(viewport=VIEWPORTS[size], locale=LOCALES[lang])
    try:
        page = context.new_page()
        page.set_default_timeout(20_000)
        page.goto(f"{live_server.url}/login/")
        page.locator("#id_username").wait_for()
        _check(page, f"all-login-{size}-{lang}", lang, failures)
        response = page.goto(f"{live_server.url}/nowhere-at-all/")
        assert response.status == 404
        _check(page, f"all-server-404-{size}-{lang}", lang, failures)

        page.goto(f"{live_server.url}/login/")
        page.locator("#id_username").fill("adam")
        page.locator("#id_password").fill(PASSWORD)
        page.locator("main form button[type=submit]").click()
        page.wait_for_url(f"{live_server.url}/")
        for name, address, selector in APP_PAGES:
            page.goto(f"{live_server.url}{address}")
            _ready(page, selector)
            _check(page, f"all-{name}-{size}-{lang}", lang, failures)
        base = f"{live_server.url}/projects/{cast.project.pk}/"
        for name, address, selector in PROJECT_PAGES:
            page.goto(base + address.format(doc=two_versions.pk))
            _ready(page, selector)
            if name == "editor":
                _select_quote(page)
            _check(page, f"all-{name}-{size}-{lang}", lang, failures)
        page.goto(f"{live_server.url}/logout/")
        page.locator("main form").wait_for()
        _check(page, f"all-logout-{size}-{lang}", lang, failures)
    finally:
        context.close()
    assert failures == []
