"""The model backend and suggestion quality in a real browser.

The admin sets a backend (a real server on 127.0.0.1) on the settings page; the task asks it
about a document and it answers garbage, so the page shows it failing with the reason as
text. A reviewer then reads the quality page, with its figures for the built-in suggester.
"""

import pytest

from annotations.models import SuggestionBackend
from annotations.services.suggestions import suggestions_compute
from tests.conftest import api
from tests.e2e.conftest import login
from tests.e2e.pages import check_page
from tests.factories import DocumentFactory
from tests.model_backend import BackendServer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXT = "Jens Stoltenberg berkata: “Kami siap,” kata dia di markas NATO."


@pytest.fixture
def backend_server(settings):
    settings.SUGGESTION_BACKEND_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    settings.SUGGESTION_BACKEND_TIMEOUT_SECONDS = 2
    with BackendServer() as server:
        yield server


def test_admin_sets_a_backend_and_reads_why_it_fails(cast, live_server, page, backend_server):
    """A private URL is refused beside the field; the test server's URL is saved; after a
    run on garbage the panel says it is failing and shows the reason as text."""
    login(page, live_server, "adam")
    page.goto(f"{live_server.url}/projects/{cast.project.pk}/settings/")
    panel = page.get_by_role("region", name="Model backend")
    panel.get_by_label("Backend URL", exact=False).fill("http://10.1.2.3/predict")
    panel.get_by_role("button", name="Save backend").click()
    panel.locator("#model-backend-url-error").filter(has_text="not a public address").wait_for()
    assert not SuggestionBackend.objects.exists()

    panel.get_by_label("Backend URL", exact=False).fill(backend_server.url("/garbage"))
    panel.get_by_role("button", name="Save backend").click()
    panel.get_by_text("Backend saved.").wait_for()
    panel.get_by_text("Not called yet.").wait_for()

    document = DocumentFactory(project=cast.project, text=TEXT, length=len(TEXT))
    client = cast.client("admin")
    client.post(api(cast.project.pk, f"documents/{document.pk}/suggestions/"), {}, format="json")
    suggestions_compute([document.pk])
    assert backend_server.requests

    page.reload()
    panel = page.get_by_role("region", name="Model backend")
    panel.get_by_text("Failing.").wait_for()
    reason = panel.get_by_role("alert")
    assert "the answer is not JSON" in reason.inner_text()
    assert "1 call, 1 failed." in panel.inner_text()
    check_page(page, "settings-model-backend-failing")


def test_reviewer_reads_the_suggestion_quality(cast, live_server, page):
    """With gold saved and the built-in suggestions computed, the quality page lists the
    quote suggester with its precision, recall and acceptance."""
    document = DocumentFactory(project=cast.project, text=TEXT, length=len(TEXT))
    reviewer = cast.client("reviewer")
    reviewer.get(api(cast.project.pk, f"documents/{document.pk}/suggestions/"))
    suggestions_compute([document.pk])
    quote = (TEXT.index("“"), TEXT.index("”") + 1)
    gold = {
        "version": 0,
        "spans": [
            {"id": "q", "start": quote[0], "end": quote[1], "label": "QUOTE",
             "attributes": {"quote_type": "direct"}},
        ],
    }  # fmt: skip
    assert (
        reviewer.put(
            api(cast.project.pk, f"documents/{document.pk}/gold/"), gold, format="json"
        ).status_code
        == 200
    )

    login(page, live_server, "rita")
    page.goto(f"{live_server.url}/projects/{cast.project.pk}/")
    page.get_by_role("link", name="Suggestion quality").click()
    table = page.get_by_role("table", name="Suggestion quality")
    row = table.get_by_role("row").filter(has=page.get_by_role("rowheader", name="quotes"))
    row.wait_for()
    assert "1, 1 with gold" in row.inner_text()
    check_page(page, "suggestion-quality")
