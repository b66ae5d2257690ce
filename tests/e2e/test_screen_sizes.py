"""The editor and the review page at a phone's 390 x 844 and a laptop's 1024 x 768: the
article readable (no sideways scrolling, a measure wider than a few words), the editor's
panel in a drawer on the phone, the toolbar the same height while saving, axe clean; each
screen kept as a screenshot."""

import pytest

from tests.articles import ARTICLE, PERSON
from tests.e2e.conftest import login, my_annotation, select_text, text_box, wait_saved
from tests.e2e.pages import VIEWPORTS, check_page, screenshot
from tests.e2e.test_review_flow import two_versions  # noqa: F401 - a fixture
from tests.factories import DocumentFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Wider than this, a column holds a readable line (about 60 characters at 16 px serif);
# the review page used to leave the gold 264 px at 1024.
READABLE_PX = 480


def sized(browser, size: str):
    context = browser.new_context(viewport=VIEWPORTS[size])
    page = context.new_page()
    page.set_default_timeout(20_000)
    return context, page


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def width_of(page, selector: str) -> float:
    return page.locator(selector).first.bounding_box()["width"]


def article(cast):
    return DocumentFactory(
        project=cast.project, text=ARTICLE, title="Bus listrik", length=len(ARTICLE)
    )


def open_doc(page, live_server, doc) -> None:
    page.goto(f"{live_server.url}/projects/{doc.project_id}/documents/{doc.pk}/")
    page.locator("[data-block]").first.wait_for()


def test_editor_on_a_phone_reads_and_keeps_its_panel_in_a_drawer(cast, live_server, browser):
    doc = DocumentFactory(
        project=cast.project, text=ARTICLE, title="Bus listrik", length=len(ARTICLE)
    )
    context, page = sized(browser, "phone")
    try:
        login(page, live_server, "alice")
        open_doc(page, live_server, doc)
        assert no_sideways_scroll(page)
        assert width_of(page, "article.article") >= 340
        spans = page.get_by_role("heading", name="Spans", exact=False)
        assert not spans.is_visible()  # the drawer is closed
        check_page(page, "editor-phone")
        select_text(page, PERSON)
        page.get_by_role("button", name="PER", exact=True).click()
        wait_saved(page)
        toggle = page.get_by_role("button", name="Annotation panel")
        toggle.click()
        assert toggle.get_attribute("aria-expanded") == "true"
        page.locator("#annotation-panel .chip").filter(has_text="PER").first.wait_for()
        check_page(page, "editor-phone-drawer")
        page.locator("#annotation-panel").get_by_role("button", name="Close").click()
        # visibility: hidden once the drawer has slid away: Playwright counts it as hidden
        page.locator("#annotation-panel .chip").first.wait_for(state="hidden")
    finally:
        context.close()


@pytest.mark.parametrize("size", ["phone", "laptop"])
def test_the_toolbar_keeps_its_height_while_saving(cast, live_server, browser, size):
    """A slow save shows "Saving…" without moving the text below the toolbar."""
    doc = DocumentFactory(
        project=cast.project, text=ARTICLE, title="Bus listrik", length=len(ARTICLE)
    )
    context, page = sized(browser, size)
    try:
        login(page, live_server, "alice")
        open_doc(page, live_server, doc)
        toolbar = page.get_by_role("toolbar", name="Document actions")
        before = toolbar.bounding_box()["height"]
        article_top = page.locator("article.article").bounding_box()["y"]

        def slow(route):
            page.wait_for_timeout(1500)
            route.continue_()

        page.route(
            "**/annotations/mine/",
            lambda route: slow(route) if route.request.method == "PATCH" else route.continue_(),
        )
        select_text(page, PERSON)
        page.keyboard.press("p")
        page.get_by_text("Saving…").wait_for()
        during = toolbar.bounding_box()["height"]
        assert page.locator("article.article").bounding_box()["y"] == article_top
        wait_saved(page)
        after = toolbar.bounding_box()["height"]
        assert before == during == after
    finally:
        context.close()


@pytest.mark.parametrize("size", ["laptop", "phone"])
def test_review_page_keeps_a_readable_gold_column(cast, live_server, browser, size, two_versions):  # noqa: F811
    context, page = sized(browser, size)
    try:
        login(page, live_server, "rita")
        page.goto(
            f"{live_server.url}/projects/{cast.project.pk}/documents/{two_versions.pk}/review/"
        )
        page.locator(".rv-gold [data-block]").first.wait_for()
        assert no_sideways_scroll(page)
        gold = width_of(page, ".rv-gold article.article")
        assert gold >= (READABLE_PX if size == "laptop" else 340), gold
        for version in page.locator(".rv-version").all():
            assert version.bounding_box()["width"] >= (READABLE_PX if size == "laptop" else 340)
        check_page(page, f"review-{size}")
    finally:
        context.close()


def test_editor_at_1024_with_guidelines_open_keeps_the_article(cast, live_server, browser):
    cast.project.guidelines = "# Tag people\n\nOnly *named* people."
    cast.project.save()
    doc = DocumentFactory(
        project=cast.project, text=ARTICLE, title="Bus listrik", length=len(ARTICLE)
    )
    context, page = sized(browser, "laptop")
    try:
        login(page, live_server, "alice")
        open_doc(page, live_server, doc)
        page.get_by_role("button", name="Guidelines").click()
        page.get_by_role("complementary", name="Guidelines").get_by_text("Tag people").wait_for()
        assert width_of(page, "article.article") >= READABLE_PX
        assert no_sideways_scroll(page)
        check_page(page, "editor-laptop-guidelines")
    finally:
        context.close()


def wait_until(page, condition, tries: int = 50) -> None:
    """Polls `condition` (page.wait_for_function would need eval, which the CSP refuses)."""
    for _ in range(tries):
        if condition():
            return
        page.wait_for_timeout(100)
    raise AssertionError("the condition never held")


def focused_in(page, selector: str) -> bool:
    return page.evaluate(f"!!document.activeElement?.closest({selector!r})")


def check_drawer(page, toggle_name: str, panel: str, content: str, shot: str) -> None:
    """A drawer's whole life on a phone: shut at first; its toolbar button opens it with
    focus inside; Escape shuts it and gives focus back; the button again, then its close
    button, shut it too."""
    toggle = page.get_by_role("button", name=toggle_name, exact=True)
    inside = page.locator(f"{panel} {content}").first
    assert not inside.is_visible()
    assert toggle.get_attribute("aria-expanded") == "false"
    toggle.click()
    inside.wait_for()
    assert toggle.get_attribute("aria-expanded") == "true"
    wait_until(page, lambda: focused_in(page, panel))
    check_page(page, shot)
    page.keyboard.press("Escape")
    inside.wait_for(state="hidden")
    assert toggle.get_attribute("aria-expanded") == "false"
    assert page.evaluate("document.activeElement?.getAttribute('aria-controls')") == panel[1:]
    toggle.click()
    inside.wait_for()
    page.locator(panel).get_by_role("button", name="Close").click()
    inside.wait_for(state="hidden")
    assert focused_in(page, "[aria-controls]")


def test_review_on_a_phone_keeps_its_panels_in_drawers(cast, live_server, browser, two_versions):  # noqa: F811
    """At 390 px the gold's panel and the merge proposal are drawers: the gold's text has
    the width, and each panel opens from the toolbar and shuts with Escape or Close."""
    context, page = sized(browser, "phone")
    try:
        login(page, live_server, "rita")
        page.goto(
            f"{live_server.url}/projects/{cast.project.pk}/documents/{two_versions.pk}/review/"
        )
        page.locator(".rv-gold [data-block]").first.wait_for()
        assert no_sideways_scroll(page)
        assert width_of(page, ".rv-gold article.article") >= 340
        check_drawer(page, "Gold panel", "#gold-panel", "p.hint", "review-phone-gold-drawer")
        check_drawer(
            page, "Merge proposal", "#merge-proposal", ".rv-items", "review-phone-proposal-drawer"
        )
        # A drawer's controls work: accept every agreed item from inside it.
        page.get_by_role("button", name="Merge proposal", exact=True).click()
        page.locator("#merge-proposal").get_by_role("button", name="Accept all agreed").click()
        page.locator("#merge-proposal .rv-held").first.wait_for()
    finally:
        context.close()


def test_editor_drawer_shuts_with_escape_and_gives_focus_back(cast, live_server, browser):
    doc = article(cast)
    context, page = sized(browser, "phone")
    try:
        login(page, live_server, "alice")
        open_doc(page, live_server, doc)
        check_drawer(
            page, "Annotation panel", "#annotation-panel", ".list-section", "editor-phone-escape"
        )
    finally:
        context.close()


def test_a_finger_selects_words_and_labels_them(cast, live_server, browser):
    """On a touch phone: tap the first word, tap the last, tap PER; the span covers exactly
    the words tapped (DECISIONS.md 63). A tap on the span afterwards selects it."""
    doc = article(cast)
    context = browser.new_context(viewport=VIEWPORTS["phone"], has_touch=True, is_mobile=True)
    page = context.new_page()
    page.set_default_timeout(20_000)
    try:
        login(page, live_server, "alice")
        open_doc(page, live_server, doc)
        first = text_box(page, "Rina")
        page.touchscreen.tap((first["x1"] + first["x2"]) / 2, first["y1"])
        assert page.evaluate("getSelection().toString()") == "Rina"
        last = text_box(page, "Wulandari")
        page.touchscreen.tap((last["x1"] + last["x2"]) / 2, last["y1"])
        assert page.evaluate("getSelection().toString()") == PERSON
        button = page.get_by_role("button", name="PER", exact=True).bounding_box()
        page.touchscreen.tap(button["x"] + button["width"] / 2, button["y"] + button["height"] / 2)
        wait_saved(page)
        spans = my_annotation(page, live_server, cast.project.pk, doc.pk)["spans"]
        start = ARTICLE.index(PERSON)
        assert [(s["start"], s["end"], s["label"]) for s in spans] == [
            (start, start + len(PERSON), "PER")
        ]
        screenshot(page, "editor-phone-touch-span")
        # A tap on the new span selects it (the panel shows it once opened).
        box = text_box(page, "Wulandari")
        page.touchscreen.tap((box["x1"] + box["x2"]) / 2, box["y1"])
        page.get_by_role("button", name="Annotation panel").click()
        page.locator("#annotation-panel .details .quote-text").filter(has_text=PERSON).wait_for()
    finally:
        context.close()
