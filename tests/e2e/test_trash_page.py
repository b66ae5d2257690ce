"""Deleting safely in a real browser: the screens say what a delete takes away before it
happens, and the trash brings it back.

An admin removes a member with work (asked twice: the second time with their counts),
deletes two documents from the documents table, deletes the project from its settings (the
counts first), then restores the project from the trash page. The ORM confirms each step.
"""

import pytest

from annotations.models import Document, Membership, Project, TrashItem
from tests.e2e.conftest import login
from tests.e2e.pages import check_page
from tests.factories import DocumentFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SPAN = {"id": "s1", "start": 0, "end": 4, "label": "PER"}


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _work(cast, document) -> None:
    path = f"/api/projects/{cast.project.pk}/documents/{document.pk}/annotations/mine/"
    body = {"version": 0, "spans": [SPAN], "status": "submitted"}
    assert cast.client("annotator").put(path, body, format="json").status_code == 200


def test_an_admin_deletes_with_the_counts_shown_and_restores_from_the_trash(
    cast, live_server, page, media
):
    docs = [DocumentFactory(project=cast.project, title=f"Berita {i}") for i in range(3)]
    _work(cast, docs[0])
    login(page, live_server, "adam")

    # A member with work: the first confirmation, then their work in numbers.
    page.goto(f"{live_server.url}/projects/{cast.project.pk}/people/")
    page.get_by_role("button", name="Remove alice…").click()
    page.get_by_role("button", name="Remove alice", exact=True).click()
    dialog = page.get_by_role("alertdialog", name="alice has work in this project")
    dialog.get_by_text("alice has 1 document, 1 annotation, 1 span here.").wait_for()
    check_page(page, "trash-member-with-work")
    dialog.get_by_role("button", name="Remove alice anyway").click()
    page.get_by_text("alice was removed.").wait_for()
    assert not Membership.objects.filter(project=cast.project, user=cast.annotator).exists()

    # Two documents from the table, one of them annotated: asked once, both in the trash.
    page.goto(f"{live_server.url}/projects/{cast.project.pk}/documents/")
    for doc in docs[:2]:
        page.locator(f'tr[data-document="{doc.pk}"] input[type=checkbox]').check()
    page.get_by_role("button", name="Delete…").click()
    dialog = page.get_by_role("alertdialog", name="Delete 2 documents?")
    dialog.get_by_role("button", name="Delete 2 documents").click()
    page.get_by_text("2 documents deleted; they are in the trash.").wait_for()
    assert list(Document.objects.filter(project=cast.project)) == [docs[2]]

    # The project: the counts come first, the delete only once confirmed.
    page.goto(f"{live_server.url}/projects/{cast.project.pk}/settings/")
    page.get_by_role("button", name="Delete project…").click()
    dialog = page.get_by_role("alertdialog", name="Delete Tribun?")
    dialog.get_by_text("This deletes 1 document.").wait_for()
    assert Project.objects.filter(pk=cast.project.pk).exists()
    dialog.get_by_role("button", name="Delete", exact=True).click()
    page.wait_for_url(f"{live_server.url}/trash/")
    assert not Project.objects.filter(pk=cast.project.pk).exists()

    table = page.locator("table.docs")
    table.get_by_text("Project: Tribun").wait_for()
    check_page(page, "trash-page")
    assert TrashItem.objects.count() == 4  # the member, two documents, the project
    page.get_by_role("button", name="Restore Tribun").click()
    page.wait_for_url(f"{live_server.url}/projects/*/")
    restored = Project.objects.get(name="Tribun")
    assert restored.documents.count() == 1


def test_the_trash_page_in_indonesian_on_a_phone(cast, live_server, browser, media):
    """The trash in Bahasa Indonesia at 390 px: labels translated, axe clean."""
    document = DocumentFactory(project=cast.project, title="Berita satu")
    _work(cast, document)
    admin = cast.client("admin")
    path = f"/api/projects/{cast.project.pk}/documents/{document.pk}/?confirm=true"
    assert admin.delete(path).status_code == 204
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="id-ID")
    page = context.new_page()
    try:
        login(page, live_server, "adam")
        page.goto(f"{live_server.url}/trash/")
        page.get_by_role("heading", name="Tempat sampah").wait_for()
        page.get_by_text("Dokumen: Berita satu").wait_for()
        page.get_by_role("button", name="Pulihkan Berita satu").wait_for()
        check_page(page, "trash-page-id-phone")
        page.get_by_role("button", name="Pulihkan Berita satu").click()
        page.get_by_text("Berita satu sudah dipulihkan.").wait_for()
        assert Document.objects.filter(project=cast.project, title="Berita satu").exists()
    finally:
        context.close()
