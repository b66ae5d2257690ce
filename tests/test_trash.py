"""Deleting safely: a DELETE that would take work away answers 409 with what would be lost
until it is sent with `?confirm=true`; what it took stays restorable from the trash until
TRASH_RETENTION_DAYS have passed, then a periodic task purges it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from annotations.models import Annotation, Document, Membership, Project, TrashItem
from annotations.services.trash import trash_purge
from tests.conftest import api, error_body
from tests.factories import DocumentFactory
from tests.project_world import busy_project, snapshot

pytestmark = pytest.mark.usefixtures("media")


@pytest.fixture
def busy(cast):
    return busy_project(cast)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_deleting_a_project_asks_first_and_says_what_would_be_lost(cast, busy):
    """Without confirm: 409 `confirm_required` with the counts, and nothing is deleted."""
    client = cast.client("admin")
    response = client.delete(api(cast.project.pk))
    body = error_body_with_counts(response)
    annotations = Annotation.objects.filter(project=cast.project)
    assert body["would_delete"] == {
        "documents": 3,
        "annotations": annotations.count(),
        "spans": sum(a.span_count for a in annotations),
    }
    assert body["would_delete"]["annotations"] == 3  # alice, bob, gold
    assert "?confirm=true" in body["detail"]
    assert Project.objects.filter(pk=cast.project.pk).exists()


def error_body_with_counts(response) -> dict:
    body = response.json()
    assert response.status_code == 409, body
    assert body["code"] == "confirm_required"
    assert set(body) == {"detail", "code", "errors", "would_delete"}
    return body


def test_a_deleted_project_is_restored_from_the_trash_as_it_was(cast, busy):
    """Confirmed: gone (404); its admins see it in the trash, others do not; restored, it
    holds the same documents, annotations, history and members."""
    before = snapshot(cast.project)
    admin = cast.client("admin")
    assert admin.delete(api(cast.project.pk) + "?confirm=true").status_code == 204
    assert admin.get(api(cast.project.pk)).status_code == 404
    trash = admin.get("/api/trash/").json()
    assert [(t["kind"], t["name"], t["deleted_by"]) for t in trash] == [
        ("project", "Tribun", "adam")
    ]
    assert trash[0]["counts"]["documents"] == 3
    for other in ("reviewer", "annotator", "outsider"):
        assert cast.client(other).get("/api/trash/").json() == []
        restore = cast.client(other).post(f"/api/trash/{trash[0]['id']}/restore/")
        assert restore.status_code == 404
    restored = admin.post(f"/api/trash/{trash[0]['id']}/restore/")
    assert restored.status_code == 200, restored.content
    project = Project.objects.get(pk=restored.json()["project"])
    after = snapshot(project)
    before["exports"] = [e for e in before["exports"] if e[1] != "running"]
    assert after == before
    assert admin.get(api(project.pk)).status_code == 200
    again = admin.post(f"/api/trash/{trash[0]['id']}/restore/")
    assert again.status_code == 404  # restored items leave the trash
    assert admin.get("/api/trash/").json() == []


def test_a_document_without_work_is_deleted_at_once(cast):
    document = DocumentFactory(project=cast.project)
    response = cast.client("admin").delete(api(cast.project.pk, f"documents/{document.pk}/"))
    assert response.status_code == 204
    assert not Document.objects.filter(pk=document.pk).exists()


def test_a_deleted_document_comes_back_with_its_work_and_counts(cast, busy):
    """An annotated document asks first; restored, it is back in its project with its
    annotations, and the project's derived state (document state, submitted count) again."""
    admin = cast.client("admin")
    doc = busy[0]
    path = api(cast.project.pk, f"documents/{doc.pk}/")
    body = error_body_with_counts(admin.delete(path))
    assert body["would_delete"] == {"documents": 1, "annotations": 3, "spans": 5}
    before = snapshot(cast.project)["documents"]["a0"]
    assert admin.delete(path + "?confirm=true").status_code == 204
    assert "a0" not in snapshot(cast.project)["documents"]
    (item,) = admin.get("/api/trash/").json()
    assert (item["kind"], item["project"]) == ("document", cast.project.pk)
    restored = admin.post(f"/api/trash/{item['id']}/restore/").json()
    assert restored["project"] == cast.project.pk
    assert snapshot(cast.project)["documents"]["a0"] == before
    listed = admin.get(api(cast.project.pk, "documents/")).json()
    assert restored["document"] in [d["id"] for d in listed["results"]]


def test_removing_a_member_with_work_asks_first_and_keeps_the_work(cast, busy):
    admin = cast.client("admin")
    member = Membership.objects.get(project=cast.project, user=cast.annotator)
    path = api(cast.project.pk, f"members/{member.pk}/")
    body = error_body_with_counts(admin.delete(path))
    assert body["would_delete"] == {"documents": 1, "annotations": 1, "spans": 2}
    assert admin.delete(path + "?confirm=true").status_code == 204
    assert not Membership.objects.filter(pk=member.pk).exists()
    assert Annotation.objects.filter(annotator=cast.annotator).count() == 1  # the work stays
    (item,) = admin.get("/api/trash/").json()
    assert (item["kind"], item["name"]) == ("member", "alice")
    restored = admin.post(f"/api/trash/{item['id']}/restore/").json()
    back = Membership.objects.get(pk=restored["member"])
    assert (back.user, back.role) == (cast.annotator, "annotator")


def test_a_member_without_work_is_removed_at_once_and_not_kept(cast):
    member = Membership.objects.get(project=cast.project, user=cast.teammate)
    response = cast.client("admin").delete(api(cast.project.pk, f"members/{member.pk}/"))
    assert response.status_code == 204
    assert not TrashItem.objects.exists()


def test_confirm_must_be_a_boolean(cast):
    response = cast.client("admin").delete(api(cast.project.pk) + "?confirm=perhaps")
    assert error_body(response, 400, "invalid")["errors"] == {"confirm": ["must be true or false"]}
    assert Project.objects.filter(pk=cast.project.pk).exists()


def test_the_purge_deletes_what_is_past_its_retention_with_its_archive(cast, busy, settings):
    """The periodic task leaves an item inside its retention alone, and deletes an older one
    with its archive file."""
    settings.TRASH_RETENTION_DAYS = 30
    cast.client("admin").delete(api(cast.project.pk) + "?confirm=true")
    item = TrashItem.objects.get()
    path = item.archive.path
    assert trash_purge() == {"purged": 0}  # within its retention: kept
    assert TrashItem.objects.filter(pk=item.pk).exists()
    assert trash_purge(now=timezone.now() + timedelta(days=31)) == {"purged": 1}
    assert not TrashItem.objects.exists()
    import os

    assert not os.path.exists(path)


def test_a_document_whose_label_was_deleted_since_is_refused_clearly(cast, busy):
    """The archive refers to a label the project no longer has: 400 naming it, nothing
    restored, the item stays in the trash."""
    admin = cast.client("admin")
    doc = busy[0]
    admin.delete(api(cast.project.pk, f"documents/{doc.pk}/") + "?confirm=true")
    # Other work used QUOTE too: remove it, then the label, so the label can go.
    Annotation.objects.filter(project=cast.project).delete()
    cast.project.labels.filter(kind="relation").delete()
    cast.project.labels.filter(name="QUOTE").delete()
    (item,) = admin.get("/api/trash/").json()
    response = admin.post(f"/api/trash/{item['id']}/restore/")
    body = error_body(response, 400, "archive_refused")
    assert "neither in the archive nor in the project" in body["detail"]
    assert not Document.objects.filter(external_id="a0").exists()
    assert len(admin.get("/api/trash/").json()) == 1
