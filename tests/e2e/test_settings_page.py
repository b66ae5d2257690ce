"""The project settings page in a real browser: upload documents, manage members.

The admin uploads a two-document .jsonl through the page, then a malformed one whose
error names its line, then adds a member; the ORM confirms what the page reported.
"""

import pytest

from annotations.models import Document, Membership, Role, Span
from tests.e2e.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

GOOD = (
    '{"text": "Jokowi bertemu Prabowo di Jakarta.", "external_id": "up-1"}\n'
    '{"text": "NATO menggelar latihan Steadfast Noon.", "external_id": "up-2"}\n'
)
# Line 2 is not JSON: the whole file is refused and the error names line 2.
BAD = '{"text": "Baris pertama baik-baik saja.", "external_id": "bad-1"}\n{"text": oops}\n'


def open_settings(page, live_server, project_id: int) -> None:
    page.goto(f"{live_server.url}/projects/{project_id}/settings/")
    page.get_by_role("heading", name="Upload documents").wait_for()


def upload(page, tmp_path, name: str, content: str) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    page.get_by_label("File to upload", exact=True).set_input_files(str(path))
    page.get_by_role("button", name="Upload", exact=True).click()


def test_admin_uploads_documents(cast, live_server, page, tmp_path):
    """Two documents imported, then a malformed file refused with its line number."""
    login(page, live_server, "adam")
    page.goto(f"{live_server.url}/projects/{cast.project.pk}/")
    page.get_by_role("link", name="Settings", exact=True).click()
    page.get_by_role("heading", name="Upload documents").wait_for()
    assert page.url.endswith(f"/projects/{cast.project.pk}/settings/")

    upload(page, tmp_path, "two.jsonl", GOOD)
    page.get_by_text("2 documents imported").wait_for()
    assert set(
        Document.objects.filter(project=cast.project).values_list("external_id", flat=True)
    ) == {
        "up-1",
        "up-2",
    }

    upload(page, tmp_path, "broken.jsonl", BAD)
    alert = page.get_by_role("alert")
    alert.get_by_role("listitem").filter(has_text="Line 2: invalid JSON").wait_for()
    assert "Nothing was imported" in alert.inner_text()
    assert page.get_by_text("2 documents imported").count() == 0
    assert Document.objects.filter(project=cast.project).count() == 2
    page.screenshot(path="/tmp/settings-upload.png", full_page=True)


def test_admin_saves_project_settings(cast, live_server, page):
    """A bad threshold is flagged beside its field; good values are saved with PATCH."""
    login(page, live_server, "adam")
    open_settings(page, live_server, cast.project.pk)
    page.get_by_label("Annotators per document").fill("3")
    page.get_by_label("Merge threshold", exact=False).fill("0")
    page.get_by_role("button", name="Save settings").click()
    page.get_by_text("Enter a number above 0 and at most 1.").wait_for()
    assert page.get_by_label("Merge threshold", exact=False).get_attribute("aria-invalid") == "true"
    page.screenshot(path="/tmp/settings-form-error.png", full_page=True)

    page.get_by_label("Merge threshold", exact=False).fill("0.75")
    page.get_by_label("Anonymize annotators in review").check()
    page.get_by_label("Guidelines (Markdown)").fill("# Tag people\n\nOnly *named* people.")
    page.get_by_role("button", name="Save settings").click()
    page.get_by_text("Settings saved.").wait_for()
    cast.project.refresh_from_db()
    assert cast.project.annotators_per_document == 3
    assert cast.project.merge_threshold == 0.75
    assert cast.project.anonymize_review is True
    assert cast.project.guidelines.startswith("# Tag people")


def test_settings_are_for_admins_only(cast, live_server, page):
    """A reviewer sees no Settings link, and the page itself tells them it is not theirs."""
    login(page, live_server, "rita")
    page.goto(f"{live_server.url}/projects/{cast.project.pk}/")
    page.get_by_role("link", name="Exports").wait_for()
    assert page.get_by_role("link", name="Settings").count() == 0
    page.goto(f"{live_server.url}/projects/{cast.project.pk}/settings/")
    page.get_by_text("Only the project's admins can change its settings.").wait_for()
    assert page.get_by_role("heading", name="Upload documents").count() == 0


def test_anyone_starts_a_project_and_lands_on_its_settings(cast, live_server, page):
    """New project from the list: the creator is its admin, with the news labels."""
    from annotations.models import Project

    login(page, live_server, "bob")
    page.get_by_role("button", name="New project").click()
    page.get_by_label("Name").fill("Pemilu 2029")
    page.get_by_label("Language (BCP-47, e.g. id, en)").fill("id")
    page.get_by_role("button", name="Create").click()
    page.get_by_role("heading", name="Upload documents").wait_for()
    project = Project.objects.get(name="Pemilu 2029")
    assert page.url.endswith(f"/projects/{project.pk}/settings/")
    assert Membership.objects.get(project=project, user=cast.teammate).role == Role.ADMIN
    assert set(project.labels.values_list("name", flat=True)) >= {"PER", "QUOTE", "SPEAKER"}


def test_upload_menu_and_guess_come_from_the_registry(cast, live_server, page, tmp_path):
    """The format menu lists the registry's import formats in its order; for every suffix
    the page says the file will be read as the format the server picks; a format that reads
    several offset units offers them, and the upload is read with the unit chosen."""
    from annotations.formats.registry import format_for_upload, import_formats

    login(page, live_server, "adam")
    open_settings(page, live_server, cast.project.pk)
    menu = page.get_by_label("File format")
    menu.locator("option").nth(1).wait_for(state="attached")
    specs = list(import_formats().values())
    shown = menu.locator("option").all_inner_texts()
    assert shown[1:] == [f"{s.title} ({', '.join(s.reading.suffixes)})" for s in specs]

    picker = page.get_by_label("File to upload", exact=True)
    for suffix in sorted({x for s in specs for x in s.reading.suffixes}):
        name = f"docs{suffix}"
        picker.set_input_files({"name": name, "mimeType": "text/plain", "buffer": b"x"})
        title = format_for_upload(None, name).title
        page.get_by_text(f"{name} will be read as {title}.").wait_for()

    [several] = [s for s in specs if len(s.reading.offset_units) > 1]
    menu.select_option(several.name)
    units = page.get_by_label(f"{several.title} offsets count")
    units.select_option("code_point")
    line = '{"text": "😀 Jokowi di Jakarta.", "label": [[2, 8, "PER"]]}\n'
    path = tmp_path / "units.jsonl"
    path.write_text(line, encoding="utf-8")
    picker.set_input_files(str(path))
    page.get_by_role("button", name="Upload", exact=True).click()
    page.get_by_text("1 document imported").wait_for()
    # Read as code points, "Jokowi" is [2, 8); as UTF-16 (the format's own unit) it is not.
    document = Document.objects.get(project=cast.project)
    spans = [(s.start, s.end) for s in Span.objects.filter(annotation__document=document)]
    assert spans == [(2, 8)] and document.text[2:8] == "Jokowi"
