"""The labels page in a real browser: add, re-key, recolour, rename (asking first when work
uses the label), reorder and delete labels, edit a link's allowed ends and a document label
group; a hotkey clash refused in words; in Indonesian at phone and laptop sizes, axe clean
(tags pick black or white text for contrast). The ORM confirms what the page reported."""

import pytest

from tests.e2e.conftest import login
from tests.e2e.pages import LOCALES, VIEWPORTS, check_page, english_on_page
from tests.factories import DocumentFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def open_labels(page, live_server, project_id: int) -> None:
    page.goto(f"{live_server.url}/projects/{project_id}/labels/")
    page.get_by_role("heading", name="Span labels").wait_for()


def row(page, name: str):
    return page.locator(f'li[data-label="{name}"]')


def put_span(cast, document) -> None:
    url = f"/api/projects/{cast.project.pk}/documents/{document.pk}/annotations/mine/"
    body = {"version": 0, "spans": [{"id": "s1", "start": 0, "end": 16, "label": "PER"}]}
    assert cast.client("annotator").put(url, body, format="json").status_code == 200


def test_admin_adds_rekeys_and_recolours_a_span_label(cast, live_server, page):
    """A clashing hotkey is refused beside its field; the label is saved with its attribute."""
    login(page, live_server, "adam")
    page.goto(f"{live_server.url}/projects/{cast.project.pk}/settings/")
    page.get_by_role("link", name="Labels").click()
    page.get_by_role("heading", name="Span labels").wait_for()
    page.get_by_role("button", name="Add a span label").click()
    form = page.get_by_role("form", name="New label")
    form.get_by_label("Name").fill("DATE")
    form.get_by_label("Hotkey").fill("p")
    form.get_by_role("button", name="Save label").click()
    form.get_by_text("hotkey “p” is taken by PER").wait_for()
    assert form.get_by_label("Hotkey").get_attribute("aria-invalid") == "true"
    form.get_by_label("Hotkey").fill("?")
    form.get_by_role("button", name="Save label").click()
    form.get_by_text("one of the editor's own keys").wait_for()
    form.get_by_label("Hotkey").fill("d")
    form.get_by_label("Colour").fill("#ffd700")
    form.get_by_role("button", name="Add an attribute").click()
    form.get_by_label("Attribute", exact=True).fill("precision")
    form.get_by_label("Allowed values (comma-separated)").fill("day, month, year")
    form.get_by_role("button", name="Save label").click()
    page.get_by_text("DATE saved.").wait_for()
    date = cast.project.labels.get(name="DATE")
    assert (date.hotkey, date.color) == ("d", "#ffd700")
    assert date.attributes == {"precision": ["day", "month", "year"]}
    # Gold is light: its tag's text is black, dark blue's white (WCAG AA either way).
    tag = row(page, "DATE").locator(".label-tag")
    assert tag.evaluate("el => getComputedStyle(el).color") == "rgb(0, 0, 0)"
    check_page(page, "labels-added")


def test_a_rename_in_use_asks_first_and_a_delete_in_use_is_refused(cast, live_server, page):
    put_span(cast, DocumentFactory(project=cast.project))
    login(page, live_server, "adam")
    open_labels(page, live_server, cast.project.pk)
    assert "1 span" in row(page, "PER").inner_text()

    row(page, "PER").get_by_role("button", name="Edit PER").click()
    form = page.get_by_role("form", name="Edit PER")
    form.get_by_label("Name").fill("PERSON")
    form.get_by_role("button", name="Save label").click()
    question = page.get_by_role("alertdialog", name="Rename a label in use?")
    question.get_by_text("PER is in use (1 span)").wait_for()
    assert cast.project.labels.filter(name="PER").exists()  # nothing sent yet
    question.get_by_role("button", name="Rename to PERSON").click()
    page.get_by_text("PERSON saved.").wait_for()
    assert cast.project.labels.get(name="SPEAKER").target_labels == ["PERSON", "ORG"]

    row(page, "PERSON").get_by_role("button", name="Delete PERSON").click()
    page.get_by_text("PERSON is in use (1 span), so it cannot be deleted").wait_for()
    assert cast.project.labels.filter(name="PERSON").exists()

    row(page, "MISC").get_by_role("button", name="Delete MISC").click()
    page.get_by_role("button", name="Delete MISC", exact=True).last.click()
    page.get_by_text("MISC was deleted.").wait_for()
    assert not cast.project.labels.filter(name="MISC").exists()


def test_reorder_ends_and_document_groups(cast, live_server, page):
    login(page, live_server, "adam")
    open_labels(page, live_server, cast.project.pk)
    before = list(cast.project.labels.filter(kind="span").values_list("name", flat=True))
    assert before[:2] == ["PER", "ORG"]
    row(page, "ORG").get_by_role("button", name="Move ORG up").click()
    page.get_by_text("ORG moved.").wait_for()
    after = list(cast.project.labels.filter(kind="span").values_list("name", flat=True))
    assert after[:2] == ["ORG", "PER"]

    row(page, "SPEAKER").get_by_role("button", name="Edit SPEAKER").click()
    form = page.get_by_role("form", name="Edit SPEAKER")
    form.get_by_role("group", name="To (span labels)").get_by_label("LOC").check()
    form.get_by_role("button", name="Save label").click()
    page.get_by_text("SPEAKER saved.").wait_for()
    assert set(cast.project.labels.get(name="SPEAKER").target_labels) == {"PER", "ORG", "LOC"}

    page.get_by_role("button", name="Add a value to sentiment").click()
    form = page.get_by_role("form", name="New label")
    form.get_by_label("Value").fill("mixed")
    form.get_by_role("button", name="Save label").click()
    page.get_by_text("mixed saved.").wait_for()
    mixed = cast.project.labels.get(name="mixed")
    assert (mixed.kind, mixed.group) == ("document", "sentiment")


@pytest.mark.parametrize("size", ["phone", "laptop"])
def test_labels_page_in_indonesian_at_both_sizes(cast, live_server, browser, size):
    context = browser.new_context(viewport=VIEWPORTS[size], locale=LOCALES["id"])
    page = context.new_page()
    try:
        login(page, live_server, "adam")
        page.goto(f"{live_server.url}/projects/{cast.project.pk}/labels/")
        page.get_by_role("heading", name="Label rentang").wait_for()
        assert english_on_page(page) == []
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        check_page(page, f"labels-{size}-id")
    finally:
        context.close()


def test_a_custom_label_reads_its_own_texts_until_given_them_per_language(
    cast, live_server, page, browser
):
    """A label made without translations shows its own name and description in every
    language; once the admin types an Indonesian title and description in its form, the
    Indonesian editor shows those (the English one still its own), and the API stores them
    as the label's `translations`."""
    made = cast.client("admin").post(
        f"/api/projects/{cast.project.pk}/labels/",
        {
            "kind": "span",
            "name": "ECON",
            "color": "#1f77b4",
            "hotkey": "x",
            "description": "Economy figures",
        },
        format="json",
    )
    assert made.status_code == 201, made.content
    doc = DocumentFactory(project=cast.project, text="Ekonomi naik 5%.", length=16)
    editor = f"{live_server.url}/projects/{cast.project.pk}/documents/{doc.pk}/"

    def palette_tip(a_page) -> str | None:
        a_page.goto(editor)
        button = a_page.get_by_role("toolbar").get_by_role("button", name="ECON", exact=True)
        return button.get_attribute("title")

    indonesian = browser.new_context(locale=LOCALES["id"])
    try:
        in_id = indonesian.new_page()
        login(in_id, live_server, "adam")
        assert palette_tip(in_id) == "Economy figures (x)"

        login(page, live_server, "adam")
        open_labels(page, live_server, cast.project.pk)
        page.get_by_role("button", name="Edit ECON").click()
        form = page.get_by_role("form", name="Edit ECON")
        form.get_by_label("Title (Bahasa Indonesia)").fill("Ekonomi")
        form.get_by_label("Description (Bahasa Indonesia)").fill("Angka ekonomi")
        form.get_by_role("button", name="Save label").click()
        page.get_by_text("ECON saved.").wait_for()
        label = cast.project.labels.get(name="ECON")
        assert label.translations == {"id": {"title": "Ekonomi", "description": "Angka ekonomi"}}
        assert label.description == "Economy figures"

        assert palette_tip(in_id) == "Ekonomi: Angka ekonomi (x)"
        assert palette_tip(page) == "Economy figures (x)"
    finally:
        indonesian.close()
