"""The annotation editor in a real browser: select, label, link, persist, conflict, XSS."""

import pytest

from tests.e2e.conftest import (
    SAMPLES,
    click_text,
    login,
    my_annotation,
    select_text,
    text_box,
    wait_saved,
)
from tests.factories import DocumentFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SAMPLE = (SAMPLES / "tribunnews-nato-steadfast-noon.id.txt").read_text(encoding="utf-8")
QUOTE = (
    "Itu akan mengirimkan sinyal yang sangat salah jika kita tiba-tiba sekarang membatalkan "
    "latihan rutin yang sudah lama direncanakan karena perang di Ukraina"
)


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
    doc = make_doc(cast, SAMPLE, "NATO Steadfast Noon")
    login(page, live_server, "alice")
    open_doc(page, live_server, doc)

    select_text(page, "Jens Stoltenberg")
    page.get_by_role("button", name="PER", exact=True).click()
    select_text(page, "Stoltenberg", nth=1)
    page.keyboard.press("p")
    select_text(page, QUOTE)
    page.keyboard.press("q")
    page.get_by_label("quote type").select_option("direct")
    page.get_by_role("button", name="Link speaker").click()
    click_text(page, "Stoltenberg", nth=1)
    page.get_by_role("radio", name="negative").check()
    wait_saved(page)

    page.reload()
    page.locator("[data-block]").first.wait_for()
    annotation = my_annotation(page, live_server, cast.project.pk, doc.pk)
    spans = spans_by_label(annotation)
    jens = SAMPLE.index("Jens Stoltenberg")
    speaker_at = SAMPLE.index("Stoltenberg", SAMPLE.index(QUOTE))
    assert sorted((s["start"], s["end"]) for s in spans["PER"]) == [
        (jens, jens + len("Jens Stoltenberg")),
        (speaker_at, speaker_at + len("Stoltenberg")),
    ]
    [quote] = spans["QUOTE"]
    assert (quote["start"], quote["end"]) == (SAMPLE.index(QUOTE), SAMPLE.index(QUOTE) + len(QUOTE))
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
    assert "SPEAKER: Stoltenberg" in details.inner_text()
    assert page.locator(".wb-link").count() == 1


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
    doc = make_doc(cast, SAMPLE)
    login(page, live_server, "alice")
    open_doc(page, live_server, doc)
    select_text(page, "Jens Stoltenberg")
    page.keyboard.press("p")
    wait_saved(page)

    other = context.new_page()
    open_doc(other, live_server, doc)
    other.get_by_role("radio", name="positive").check()
    wait_saved(other)
    other.close()

    select_text(page, "NATO")
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
    doc = make_doc(cast, SAMPLE)
    login(page, live_server, "alice")
    open_doc(page, live_server, doc)
    other = context.new_page()
    open_doc(other, live_server, doc)
    other.get_by_role("radio", name="positive").check()
    wait_saved(other)
    other.close()

    select_text(page, "Jens Stoltenberg")
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
    doc = make_doc(cast, SAMPLE)
    login(page, live_server, "alice")
    open_doc(page, live_server, doc)
    for name in ["PER", "ORG", "LOC", "EVENT", "MISC", "QUOTE"]:
        assert page.get_by_role("button", name=name, exact=True).count() == 1
    select_text(page, "Jens Stoltenberg")
    page.keyboard.press("p")
    page.keyboard.press("Control+z")
    wait_saved(page)
    assert my_annotation(page, live_server, cast.project.pk, doc.pk)["spans"] == []
    page.keyboard.press("Control+Shift+Z")
    page.keyboard.press("?")
    assert page.get_by_role("dialog", name="Keyboard shortcuts").is_visible()
    page.keyboard.press("Escape")
    page.get_by_role("button", name="Submit", exact=True).click()
    page.wait_for_url(f"{live_server.url}/projects/{cast.project.pk}/")
    annotation = my_annotation(page, live_server, cast.project.pk, doc.pk)
    assert annotation["status"] == "submitted"
    assert [s["label"] for s in annotation["spans"]] == ["PER"]


def test_login_redirects_and_lists_projects(cast, live_server, page):
    """A stable document address asks for login first, then opens the editor."""
    doc = make_doc(cast, SAMPLE, "NATO")
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
    doc = make_doc(cast, SAMPLE)
    login(page, live_server, "alice")
    open_doc(page, live_server, doc)
    page.keyboard.press("/")
    page.keyboard.type("Stoltenberg kepada")
    page.keyboard.press("Enter")
    page.keyboard.press("p")
    page.keyboard.press("Shift+ArrowLeft")  # the span's end back by one character...
    page.keyboard.press("Control+Shift+ArrowLeft")  # ...then by a word: "Stoltenberg"
    page.keyboard.press("/")
    page.keyboard.press("Control+a")
    page.keyboard.type("sangat salah jika")
    page.keyboard.press("Enter")
    page.keyboard.press("q")
    page.keyboard.press("s")
    page.keyboard.press("Enter")
    page.keyboard.press("2")
    wait_saved(page)
    annotation = my_annotation(page, live_server, cast.project.pk, doc.pk)
    spans = spans_by_label(annotation)
    at = SAMPLE.index("Stoltenberg kepada")
    assert [(s["start"], s["end"]) for s in spans["PER"]] == [(at, at + len("Stoltenberg"))]
    q = SAMPLE.index("sangat salah jika")
    assert [(s["start"], s["end"]) for s in spans["QUOTE"]] == [(q, q + len("sangat salah jika"))]
    assert [(r["from"], r["to"]) for r in annotation["relations"]] == [
        (spans["QUOTE"][0]["id"], spans["PER"][0]["id"])
    ]
    assert annotation["document_labels"] == {"sentiment": "neutral"}


def test_skip_by_key_moves_on(cast, live_server, page):
    """Alt+S skips the document, and the next one from the queue opens."""
    first = make_doc(cast, SAMPLE, "First")
    second = make_doc(cast, "Kedua: Jens Stoltenberg di Brussel.", "Second")
    login(page, live_server, "alice")
    open_doc(page, live_server, first)
    page.keyboard.press("Alt+s")
    page.wait_for_url(f"{live_server.url}/projects/{cast.project.pk}/documents/{second.pk}/")
    page.get_by_role("heading", name="Second").wait_for()
    assert my_annotation(page, live_server, cast.project.pk, first.pk)["status"] == "skipped"


def test_resize_a_span_by_dragging_its_edge(cast, live_server, page):
    """Dragging the end handle of the selected span moves its end to a word end."""
    doc = make_doc(cast, SAMPLE)
    login(page, live_server, "alice")
    open_doc(page, live_server, doc)
    select_text(page, "Jens")
    page.keyboard.press("p")
    handle = page.locator(".wb-handle[data-handle=end]").bounding_box()
    target = text_box(page, "Stoltenberg")
    page.mouse.move(handle["x"] + 3, handle["y"] + handle["height"] / 2)
    page.mouse.down()
    page.mouse.move(target["x2"] - 10, target["y2"], steps=5)
    page.mouse.up()
    wait_saved(page)
    [span] = my_annotation(page, live_server, cast.project.pk, doc.pk)["spans"]
    start = SAMPLE.index("Jens Stoltenberg")
    assert (span["start"], span["end"]) == (start, start + len("Jens Stoltenberg"))
