"""Sending work back in a real browser: the reviewer returns Alice's annotation with a note,
Alice sees the notice, gets the document first from the queue, reads the note in the editor,
talks about a span in the comments beside it (shown as text, a click jumps to the span) and
resubmits; the reviewer sees it come back.

Alice's first submission is written through the service layer; everything after goes
through Chromium.
"""

import pytest

from annotations.models import Comment
from tests.articles import ARTICLE, PERSON
from tests.e2e.conftest import PASSWORD, login
from tests.e2e.pages import screenshot
from tests.factories import DocumentFactory
from tests.test_export_records import annotate

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HOSTILE = '<img src=x onerror="window.pwned=1"> is this a person?'


def annotation_of(page, live_server, doc, who: str) -> dict:
    url = f"{live_server.url}/api/projects/{doc.project_id}/documents/{doc.pk}/annotations/"
    response = page.request.get(url)
    assert response.ok, response.text()
    return next(a for a in response.json() if a["annotator"] == who)


@pytest.fixture
def submitted(cast):
    """Two documents; Alice submitted the second one, with the person as PER."""
    DocumentFactory(project=cast.project, text=ARTICLE, title="Belum", length=len(ARTICLE))
    doc = DocumentFactory(
        project=cast.project, text=ARTICLE, title="Bus listrik Semarang", length=len(ARTICLE)
    )
    start = ARTICLE.index(PERSON)
    span = {"id": "p1", "start": start, "end": start + len(PERSON), "label": "ORG"}
    annotate(doc, cast.annotator, spans=[span])
    return doc


def test_return_notice_queue_first_comment_and_resubmit(
    cast, live_server, browser, page, submitted
):
    """Return → notice → queue first → note in the editor → comment → resubmit → resubmitted."""
    doc = submitted
    login(page, live_server, "rita")
    page.goto(f"{live_server.url}/projects/{doc.project_id}/documents/{doc.pk}/review/")
    version = page.get_by_role("article", name="Version of alice")
    version.get_by_role("button", name="Return to alice for correction").click()
    version.get_by_label("What to correct").fill("The person is PER, not ORG.")
    version.get_by_role("button", name="Return", exact=True).click()
    version.get_by_text("returned", exact=True).first.wait_for()
    assert annotation_of(page, live_server, doc, "alice")["status"] == "draft"

    alice_context = browser.new_context(viewport={"width": 1400, "height": 900})
    alice = alice_context.new_page()
    alice.set_default_timeout(20_000)
    errors: list[str] = []
    alice.on("pageerror", lambda exc: errors.append(str(exc)))
    alice.goto(f"{live_server.url}/login/")
    alice.get_by_label("Username").fill("alice")
    alice.get_by_label("Password").fill(PASSWORD)
    alice.get_by_role("button", name="Log in").click()
    alice.wait_for_url(f"{live_server.url}/")

    notices = alice.get_by_role("button", name="Notices, 1 unread")
    notices.wait_for()
    notices.click()
    listed = alice.get_by_role("region", name="Notices")
    assert "returned your annotation for correction" in listed.inner_text()
    assert "The person is PER, not ORG." in listed.inner_text()
    alice.get_by_role("button", name="Notices, 0 unread").wait_for()
    notices = alice.get_by_role("button", name="Notices, 0 unread")
    notices.click()  # close

    alice.goto(f"{live_server.url}/projects/{doc.project_id}/")
    alice.get_by_role("button", name="Next document").click()
    alice.wait_for_url(f"**/projects/{doc.project_id}/documents/{doc.pk}/")  # returned first
    banner = alice.get_by_role("alert").filter(has_text="Returned for correction by rita")
    banner.wait_for()
    assert "The person is PER, not ORG." in banner.inner_text()
    screenshot(alice, "editor-returned")

    # a comment on her span, with markup that must stay text
    alice.locator("[data-block]").first.wait_for()
    span_item = alice.locator("button.span-item[data-span-id='p1']")
    span_item.click()  # the span list selects it
    comments = alice.get_by_role("region", name="Comments")
    comments.get_by_label("New comment").fill(HOSTILE)
    comments.get_by_role("button", name="Send comment").click()
    thread = comments.locator("[data-span-id='p1']")
    thread.wait_for()
    assert HOSTILE in thread.inner_text()
    assert comments.locator("img").count() == 0
    assert alice.evaluate("window.pwned") is None
    assert Comment.objects.get().span_id == "p1"
    # from the comment back to its span, and from the span to its comments
    alice.keyboard.press("Escape")
    alice.locator("button.span-item[aria-pressed='true']").wait_for(state="detached")
    thread.get_by_role("button", name=f"On “{PERSON}”").click()
    alice.locator("button.span-item[data-span-id='p1'][aria-pressed='true']").wait_for()
    assert "current" in (thread.get_attribute("class") or "")
    screenshot(alice, "editor-comment-on-span")

    banner.get_by_role("button", name="Resubmit").click()
    alice.get_by_role("alertdialog").wait_for()  # Submit asks first; Enter confirms
    alice.keyboard.press("Enter")
    alice.wait_for_url(lambda url: f"/documents/{doc.pk}/" not in url)  # on to the next one
    alice_context.close()
    assert not errors, errors

    came_back = annotation_of(page, live_server, doc, "alice")
    assert came_back["status"] == "submitted"
    assert came_back["review"]["state"] == "resubmitted"
    page.reload()
    version = page.get_by_role("article", name="Version of alice")
    version.get_by_text("resubmitted", exact=True).first.wait_for()
    # the reviewer reads Alice's comment, as text
    page.get_by_role("region", name="Comments").get_by_text(HOSTILE).wait_for()
    screenshot(page, "review-returned-resubmitted")
