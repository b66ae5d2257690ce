"""Errors and empty states in a real browser, in English and Indonesian: an unknown address
and a page not for the caller's role say so with a way back; an empty project says what
to do first; a failed save says why and what happens next; Submit asks first."""

import json

import pytest

from annotations.models import Annotation
from tests.articles import ARTICLE, PERSON
from tests.e2e.conftest import login, select_text, wait_saved
from tests.e2e.pages import LOCALES, VIEWPORTS, check_page, english_on_page, screenshot
from tests.factories import DocumentFactory, make_project

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(params=sorted(LOCALES))
def lang(request) -> str:
    return request.param


@pytest.fixture
def context(browser, lang):
    ctx = browser.new_context(viewport=VIEWPORTS["laptop"], locale=LOCALES[lang])
    yield ctx
    ctx.close()


def both_sizes(page, name: str) -> None:
    for size, viewport in VIEWPORTS.items():
        page.set_viewport_size(viewport)
        check_page(page, f"{name}-{size}")


def test_unknown_addresses_and_refused_pages_have_a_way_back(cast, live_server, page, lang):
    """An address the app does not know, and the dashboard for an annotator: a heading
    that says what happened, and a link back to the projects."""
    login(page, live_server, "alice")
    page.goto(f"{live_server.url}/projects/{cast.project.pk}/no-such-page/")
    page.locator("main h1").wait_for()
    assert page.locator("main a[href='/']").count() == 1
    both_sizes(page, f"app-not-found-{lang}")
    if lang == "id":
        assert english_on_page(page) == []
    page.goto(f"{live_server.url}/projects/{cast.project.pk}/dashboard/")
    problem = page.locator('[data-problem="forbidden"]')
    problem.wait_for()
    assert problem.get_attribute("role") == "alert"
    assert problem.locator(f"a[href='/projects/{cast.project.pk}/']").count() == 1
    both_sizes(page, f"dashboard-forbidden-{lang}")
    # The server's own pages (outside the app) are styled and lead back too.
    response = page.goto(f"{live_server.url}/nowhere-at-all/")
    assert response.status == 404
    assert page.locator("a[href='/']").count() >= 1
    check_page(page, f"server-404-{lang}")


def test_an_empty_project_says_what_to_do_first(cast, live_server, page, lang):
    """The admin is sent to the upload; a member is told the admin uploads first."""
    empty = make_project(admin=cast.admin, name="Kosong")
    from annotations.models import Role
    from tests.factories import add_member

    add_member(empty, cast.annotator, Role.ANNOTATOR)
    login(page, live_server, "adam")
    page.goto(f"{live_server.url}/projects/{empty.pk}/")
    page.locator(".empty-state").wait_for()
    assert page.locator(".empty-state a").get_attribute("href") == f"/projects/{empty.pk}/settings/"
    both_sizes(page, f"project-empty-admin-{lang}")
    page.context.clear_cookies()
    login(page, live_server, "alice")
    page.goto(f"{live_server.url}/projects/{empty.pk}/")
    page.locator(".empty-state").wait_for()
    assert page.locator(".empty-state a").count() == 0
    if lang == "id":
        assert english_on_page(page) == [] or "Next document" in english_on_page(page)


def test_a_failed_save_says_why_and_what_happens_next(cast, live_server, page, lang):
    """With the server unreachable the note says the changes wait in the browser and are
    sent again; when it answers again they are saved. A refusal says what was refused."""
    doc = DocumentFactory(project=cast.project, text=ARTICLE, title="Artikel", length=len(ARTICLE))
    login(page, live_server, "alice")
    page.goto(f"{live_server.url}/projects/{cast.project.pk}/documents/{doc.pk}/")
    page.locator("[data-block]").first.wait_for()
    mine = f"**/api/projects/{cast.project.pk}/documents/{doc.pk}/annotations/mine/"
    page.route(
        mine, lambda route: route.abort() if route.request.method == "PATCH" else route.continue_()
    )
    select_text(page, PERSON)
    page.keyboard.press("p")
    note = page.locator(".banner-offline")
    note.wait_for()
    expected = "dikirim ulang otomatis" if lang == "id" else "sent again automatically"
    assert expected in note.inner_text()
    screenshot(page, f"editor-offline-{lang}")  # the editor's own axe checks are its tests'
    page.unroute(mine)
    page.locator(".save-saved").wait_for(timeout=40_000)
    assert Annotation.objects.get(document=doc).spans.count() == 1

    refusal = {"detail": "spans.1.end: past the end", "code": "invalid", "errors": {}}
    page.route(
        mine,
        lambda route: (
            route.fulfill(status=400, body=json.dumps(refusal), content_type="application/json")
            if route.request.method == "PATCH"
            else route.continue_()
        ),
    )
    page.keyboard.press("Control+z")
    banner = page.locator(".banner[role=alert]")
    banner.wait_for()
    assert "spans.1.end: past the end" in banner.inner_text()
    page.unroute(mine)


def test_submit_asks_first_and_enter_confirms(cast, live_server, page, lang):
    """Ctrl+Enter opens the question (with the counts); Escape keeps working; Ctrl+Enter
    then Enter submits."""
    doc = DocumentFactory(project=cast.project, text=ARTICLE, title="Artikel", length=len(ARTICLE))
    login(page, live_server, "alice")
    page.goto(f"{live_server.url}/projects/{cast.project.pk}/documents/{doc.pk}/")
    page.locator("[data-block]").first.wait_for()
    select_text(page, PERSON)
    page.keyboard.press("p")
    wait_saved(page) if lang == "en" else page.locator(".save-saved").wait_for()
    page.keyboard.press("Control+Enter")
    dialog = page.get_by_role("alertdialog")
    dialog.wait_for()
    assert ("1 rentang" if lang == "id" else "1 span and 0 links") in dialog.inner_text()
    screenshot(page, f"editor-submit-confirm-{lang}")
    page.keyboard.press("Escape")
    dialog.wait_for(state="detached")
    assert Annotation.objects.get(document=doc).status == "draft"
    page.keyboard.press("Control+Enter")
    dialog.wait_for()
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/projects/{cast.project.pk}/")
    assert Annotation.objects.get(document=doc).status == "submitted"
