"""The project settings page in a real browser: upload documents, manage members.

The admin uploads a two-document .jsonl through the page, then a malformed one whose
error names its line, then adds a member; the ORM confirms what the page reported.
"""

import pytest

from annotations.models import Document
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
    page.get_by_role("link", name="Settings").click()
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
