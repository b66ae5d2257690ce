"""The history screens in a real browser: a document's changes as readable lines (spans
quoted from the text), and one person's work across documents; axe clean on a phone."""

import pytest

from tests.e2e.conftest import login
from tests.e2e.pages import VIEWPORTS, check_page
from tests.factories import DocumentFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_document_and_person_history_read_as_lines(cast, live_server, browser):
    doc = DocumentFactory(project=cast.project)
    url = f"/api/projects/{cast.project.pk}/documents/{doc.pk}/annotations/mine/"
    client = cast.client("annotator")
    span = {"id": "p1", "start": 0, "end": 16, "label": "PER"}
    assert client.put(url, {"version": 0, "spans": [span]}, format="json").status_code == 200
    relabel = {"version": 1, "ops": [{"op": "update_span", "id": "p1", "label": "ORG"},
                                     {"op": "set_status", "status": "submitted"}]}  # fmt: skip
    assert client.patch(url, relabel, format="json").status_code == 200
    context = browser.new_context(viewport=VIEWPORTS["phone"])
    page = context.new_page()
    try:
        login(page, live_server, "rita")
        page.goto(f"{live_server.url}/projects/{cast.project.pk}/documents/{doc.pk}/review/")
        page.get_by_role("link", name="History").click()
        events = page.get_by_role("list", name="Changes")
        events.get_by_text("ORG “Jens Stoltenberg”: PER → ORG").wait_for()
        events.get_by_text("status: draft → submitted").wait_for()
        events.get_by_text("PER “Jens Stoltenberg”").first.wait_for()
        assert page.get_by_text("2 changes, newest first").is_visible()
        check_page(page, "history-document-phone")

        page.goto(f"{live_server.url}/projects/{cast.project.pk}/history/?annotator=alice")
        page.get_by_role("heading", name="History of alice").wait_for()
        page.get_by_role("link", name=doc.title).first.wait_for()
        events.get_by_text("ORG “Jens Stoltenberg”: PER → ORG").wait_for()
        check_page(page, "history-person-phone")
    finally:
        context.close()
