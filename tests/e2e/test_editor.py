"""The annotation editor in a real browser: select, label, link, persist, conflict, XSS."""

import pytest

from tests.articles import (
    ARTICLE,
    ORG,
    PERSON,
    QUOTE,
    QUOTE_PHRASE,
    SHARED_ARTICLE_PATH,
    SPEAKER_AFTER_QUOTE,
    SURNAME,
    needs_shared_article,
    read_article,
)
from tests.e2e.conftest import (
    click_text,
    login,
    my_annotation,
    select_text,
    text_box,
    wait_saved,
)
from tests.factories import DocumentFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def make_doc(cast, text: str, title: str = "Article"):
    return DocumentFactory(project=cast.project, text=text, title=title, length=len(text))


def open_doc(page, live_server, doc) -> None:
    page.goto(f"{live_server.url}/projects/{doc.project_id}/documents/{doc.pk}/")
    page.locator("[data-block]").first.wait_for()


def spans_by_label(annotation: dict) -> dict[str, list[dict]]:
    found: dict[str, list[dict]] = {}
    for span in annotation["spans"]:
        found.setdefault(span["label"], []).append(span)
    return found


def test_annotate_sample_article_and_reload(cast, live_server, page):
    """PER, a QUOTE with its speaker and the sentiment persist with Python's offsets."""
    doc = make_doc(cast, ARTICLE, "Bus listrik Semarang")
    login(page, live_server, "alice")
    open_doc(page, live_server, doc)

    select_text(page, PERSON)
    page.get_by_role("button", name="PER", exact=True).click()
    select_text(page, SURNAME, nth=1)
    page.keyboard.press("p")
    select_text(page, QUOTE)
    page.keyboard.press("q")
    page.get_by_label("quote type").select_option("direct")
    page.get_by_role("button", name="Link speaker").click()
    click_text(page, SURNAME, nth=1)
    page.get_by_role("radio", name="negative").check()
    wait_saved(page)

    page.reload()
    page.locator("[data-block]").first.wait_for()
    annotation = my_annotation(page, live_server, cast.project.pk, doc.pk)
    spans = spans_by_label(annotation)
    person = ARTICLE.index(PERSON)
    speaker_at = ARTICLE.index(SURNAME, ARTICLE.index(QUOTE))
    assert sorted((s["start"], s["end"]) for s in spans["PER"]) == [
        (person, person + len(PERSON)),
        (speaker_at, speaker_at + len(SURNAME)),
    ]
    [quote] = spans["QUOTE"]
    assert (quote["start"], quote["end"]) == (
        ARTICLE.index(QUOTE),
        ARTICLE.index(QUOTE) + len(QUOTE),
    )
    assert quote["attributes"] == {"quote_type": "direct"}
    [speaker] = [s for s in spans["PER"] if s["start"] == speaker_at]
    assert [(r["from"], r["to"], r["label"]) for r in annotation["relations"]] == [
        (quote["id"], speaker["id"], "SPEAKER")
    ]
    assert annotation["document_labels"] == {"sentiment": "negative"}

    # And the reloaded page shows it all: side panel items, link and sentiment.
    spans_list = page.get_by_role("list", name="Spans")
    assert spans_list.get_by_role("button").count() == 3
    assert page.get_by_role("radio", name="negative").is_checked()
    spans_list.get_by_role("button", name="QUOTE").click()
    details = page.get_by_role("region", name="Selected span")
    assert f"SPEAKER: {SURNAME}" in details.inner_text()
    assert page.locator(".wb-link").count() == 1


def test_an_edit_not_yet_saved_is_restored_after_leaving_the_page(cast, live_server, page):
    """The backup is written off the key press's frame, yet before the page can go."""
    doc = make_doc(cast, ARTICLE, "Bus listrik Semarang")
    login(page, live_server, "alice")
    open_doc(page, live_server, doc)

    # The server never hears of the edit: every save of the annotation fails.
    def refuse_save(route):
        if route.request.method == "GET":
            route.continue_()
        else:
            route.abort()

    page.route("**/annotations/mine/", refuse_save)
    page.on("dialog", lambda dialog: dialog.accept())  # "leave the page with unsaved edits?"
    select_text(page, PERSON)
    page.keyboard.press("p")
    page.reload()  # at once: no save reached the server, only the page's backup has it
    page.locator("[data-block]").first.wait_for()
    page.get_by_text("Restored changes that had not been saved yet.").wait_for()
    page.locator('.wb-tag[data-label="PER"]').first.wait_for()
    page.unroute("**/annotations/mine/")
    page.keyboard.press("Control+s")
    wait_saved(page)
    person = ARTICLE.index(PERSON)
    spans = my_annotation(page, live_server, cast.project.pk, doc.pk)["spans"]
    assert [(s["label"], s["start"], s["end"]) for s in spans] == [
        ("PER", person, person + len(PERSON))
    ]


def test_offsets_after_emoji_and_crlf(cast, live_server, page):
    """A span after emoji, a flag and CRLF is stored at Python's code point index."""
    text = (
        "😀🇮🇩 Breaking 👍🏽\r\n\r\nSekjen NATO Jens Stoltenberg berkata, “Kami siap.”\r\nSelesai."
    )
    doc = make_doc(cast, text)
    login(page, live_server, "alice")
    open_doc(page, live_server, doc)
    select_text(page, "ens Stolt")  # snaps to the whole words
    page.keyboard.press("p")
    select_text(page, "Kami siap.")
    page.keyboard.press("q")
    wait_saved(page)
    page.reload()
    page.locator("[data-block]").first.wait_for()
    spans = spans_by_label(my_annotation(page, live_server, cast.project.pk, doc.pk))
    start = text.index("Jens Stoltenberg")
    assert [(s["start"], s["end"]) for s in spans["PER"]] == [(start, start + 16)]
    q = text.index("Kami siap.")
    assert [(s["start"], s["end"]) for s in spans["QUOTE"]] == [(q, q + len("Kami siap."))]
    assert page.get_by_role("list", name="Spans").get_by_role("button").count() == 2


def test_stale_version_conflict_is_shown(cast, live_server, page, context):
    """A save from another tab makes the next autosave a visible conflict with a choice."""
    doc = make_doc(cast, ARTICLE)
    login(page, live_server, "alice")
    open_doc(page, live_server, doc)
    select_text(page, PERSON)
    page.keyboard.press("p")
    wait_saved(page)

    other = context.new_page()
    open_doc(other, live_server, doc)
    other.get_by_role("radio", name="positive").check()
    wait_saved(other)
    other.close()

    select_text(page, ORG)
    page.keyboard.press("o")
    dialog = page.get_by_role("alertdialog")
    dialog.wait_for()
    assert "changed elsewhere" in dialog.inner_text()
    assert dialog.get_by_role("button", name="Overwrite with mine").is_visible()
    dialog.get_by_role("button", name="Reload theirs").click()
    dialog.wait_for(state="detached")
    assert page.get_by_role("radio", name="positive").is_checked()
    annotation = my_annotation(page, live_server, cast.project.pk, doc.pk)
    assert [s["label"] for s in annotation["spans"]] == ["PER"]
    assert annotation["document_labels"] == {"sentiment": "positive"}


def test_overwrite_with_mine_after_conflict(cast, live_server, page, context):
    """Choosing "Overwrite with mine" saves this tab's annotation over the other one."""
    doc = make_doc(cast, ARTICLE)
    login(page, live_server, "alice")
    open_doc(page, live_server, doc)
    other = context.new_page()
    open_doc(other, live_server, doc)
    other.get_by_role("radio", name="positive").check()
    wait_saved(other)
    other.close()

    select_text(page, PERSON)
    page.keyboard.press("p")
    page.get_by_role("alertdialog").get_by_role("button", name="Overwrite with mine").click()
    wait_saved(page)
    annotation = my_annotation(page, live_server, cast.project.pk, doc.pk)
    assert [s["label"] for s in annotation["spans"]] == ["PER"]
    assert annotation["document_labels"].get("sentiment") in (None, {})


def test_document_text_is_shown_as_text(cast, live_server, page):
    """Markup in a document is displayed as characters and never runs."""
    text = "Before <img src=x onerror=alert(1)> after <script>alert(2)</script> end."
    doc = make_doc(cast, text, title="<b>Title</b>")
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    login(page, live_server, "alice")
    open_doc(page, live_server, doc)
    assert page.get_by_text("<img src=x onerror=alert(1)>", exact=False).is_visible()
    assert page.get_by_role("heading", name="<b>Title</b>").is_visible()
    assert page.locator(".wb-doc img, .wb-doc script").count() == 0
    select_text(page, "<img src=x onerror=alert(1)>")
    page.keyboard.press("m")
    wait_saved(page)
    assert dialogs == []


def test_accessible_names_keyboard_undo_and_submit(cast, live_server, page):
    """Label buttons are named by the label, undo/redo work by key, Submit is named "Submit"."""
    doc = make_doc(cast, ARTICLE)
    login(page, live_server, "alice")
    open_doc(page, live_server, doc)
    for name in ["PER", "ORG", "LOC", "EVENT", "MISC", "QUOTE"]:
        assert page.get_by_role("button", name=name, exact=True).count() == 1
    select_text(page, PERSON)
    page.keyboard.press("p")
    page.keyboard.press("Control+z")
    wait_saved(page)
    assert my_annotation(page, live_server, cast.project.pk, doc.pk)["spans"] == []
    page.keyboard.press("Control+Shift+Z")
    page.keyboard.press("?")
    assert page.get_by_role("dialog", name="Keyboard shortcuts").is_visible()
    page.keyboard.press("Escape")
    page.get_by_role("button", name="Submit", exact=True).click()
    confirm = page.get_by_role("alertdialog", name="Submit this document?")
    assert "1 span and 0 links" in confirm.inner_text()
    confirm.get_by_role("button", name="Submit", exact=True).click()
    page.wait_for_url(f"{live_server.url}/projects/{cast.project.pk}/")
    annotation = my_annotation(page, live_server, cast.project.pk, doc.pk)
    assert annotation["status"] == "submitted"
    assert [s["label"] for s in annotation["spans"]] == ["PER"]


def test_login_redirects_and_lists_projects(cast, live_server, page):
    """A stable document address asks for login first, then opens the editor."""
    doc = make_doc(cast, ARTICLE, "Bus listrik")
    url = f"{live_server.url}/projects/{cast.project.pk}/documents/{doc.pk}/"
    page.goto(url)
    assert "/login/" in page.url
    page.get_by_label("Username").fill("alice")
    page.get_by_label("Password").fill("pw-for-tests")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(url)
    page.locator("[data-block]").first.wait_for()
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Tribun").wait_for()


def test_keyboard_only_span_quote_link_and_sentiment(cast, live_server, page):
    """Find, label, link and set sentiment without touching the mouse."""
    doc = make_doc(cast, ARTICLE)
    login(page, live_server, "alice")
    open_doc(page, live_server, doc)
    page.keyboard.press("/")
    page.keyboard.type(SPEAKER_AFTER_QUOTE)
    page.keyboard.press("Enter")
    page.keyboard.press("p")
    page.keyboard.press("Shift+ArrowLeft")  # the span's end back by one character...
    page.keyboard.press("Control+Shift+ArrowLeft")  # ...then by a word: the surname
    page.keyboard.press("/")
    page.keyboard.press("Control+a")
    page.keyboard.type(QUOTE_PHRASE)
    page.keyboard.press("Enter")
    page.keyboard.press("q")
    page.keyboard.press("s")
    page.keyboard.press("Enter")
    page.keyboard.press("2")
    wait_saved(page)
    annotation = my_annotation(page, live_server, cast.project.pk, doc.pk)
    spans = spans_by_label(annotation)
    at = ARTICLE.index(SPEAKER_AFTER_QUOTE)
    assert [(s["start"], s["end"]) for s in spans["PER"]] == [(at, at + len(SURNAME))]
    q = ARTICLE.index(QUOTE_PHRASE)
    assert [(s["start"], s["end"]) for s in spans["QUOTE"]] == [(q, q + len(QUOTE_PHRASE))]
    assert [(r["from"], r["to"]) for r in annotation["relations"]] == [
        (spans["QUOTE"][0]["id"], spans["PER"][0]["id"])
    ]
    assert annotation["document_labels"] == {"sentiment": "neutral"}


def test_skip_by_key_moves_on(cast, live_server, page):
    """Alt+S skips the document, and the next one from the queue opens."""
    first = make_doc(cast, ARTICLE, "First")
    second = make_doc(cast, "Kedua: Jens Stoltenberg di Brussel.", "Second")
    login(page, live_server, "alice")
    open_doc(page, live_server, first)
    page.keyboard.press("Alt+s")
    page.wait_for_url(f"{live_server.url}/projects/{cast.project.pk}/documents/{second.pk}/")
    page.get_by_role("heading", name="Second").wait_for()
    assert my_annotation(page, live_server, cast.project.pk, first.pk)["status"] == "skipped"


def test_resize_a_span_by_dragging_its_edge(cast, live_server, page):
    """Dragging the end handle of the selected span moves its end to a word end."""
    doc = make_doc(cast, ARTICLE)
    login(page, live_server, "alice")
    open_doc(page, live_server, doc)
    first_name, _ = PERSON.split()
    select_text(page, first_name)
    page.keyboard.press("p")
    handle = page.locator(".wb-handle[data-handle=end]").bounding_box()
    target = text_box(page, SURNAME)
    page.mouse.move(handle["x"] + 3, handle["y"] + handle["height"] / 2)
    page.mouse.down()
    page.mouse.move(target["x2"] - 10, target["y2"], steps=5)
    page.mouse.up()
    wait_saved(page)
    [span] = my_annotation(page, live_server, cast.project.pk, doc.pk)["spans"]
    start = ARTICLE.index(PERSON)
    assert (span["start"], span["end"]) == (start, start + len(PERSON))


@needs_shared_article
def test_shared_sample_article_labels_at_python_offsets(cast, live_server, page):
    """The team's shared Tribunnews sample opens as is; a PER and its quote land at
    Python's offsets."""
    text = read_article(SHARED_ARTICLE_PATH)
    doc = make_doc(cast, text, "Steadfast Noon")
    login(page, live_server, "alice")
    open_doc(page, live_server, doc)
    select_text(page, "Jens Stoltenberg")
    page.keyboard.press("p")
    select_text(page, "Itu akan menjadi sinyal yang salah untuk dikirim")
    page.keyboard.press("q")
    wait_saved(page)
    spans = spans_by_label(my_annotation(page, live_server, cast.project.pk, doc.pk))
    person = text.index("Jens Stoltenberg")
    quote = text.index("Itu akan menjadi sinyal yang salah untuk dikirim")
    assert [(s["start"], s["end"]) for s in spans["PER"]] == [(person, person + 16)]
    assert [(s["start"], s["end"]) for s in spans["QUOTE"]] == [(quote, quote + 48)]
