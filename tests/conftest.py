"""The cast: an annotator, a teammate, a reviewer, an admin, and an outsider who
administers another project. Every permission test includes the outsider."""

import hashlib
from dataclasses import dataclass

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from annotations.models import (
    Assignment,
    CommentTarget,
    DocumentFlag,
    ExportJob,
    ExportStatus,
    Project,
    Role,
    Upload,
)
from annotations.services.conversation import Target, comment_create
from annotations.services.people import account_create
from annotations.services.tokens import token_create
from annotations.services.trash import document_trash
from tests.factories import DocumentFactory, UserFactory, add_member, make_project


@dataclass
class Cast:
    project: Project
    other_project: Project
    admin: object
    reviewer: object
    annotator: object
    teammate: object
    outsider: object

    def client(self, who: str | None):
        """An API client logged in as a cast member (None: anonymous)."""
        # Imported here so tests that need no Django (tests/formats) can run without it.
        from rest_framework.test import APIClient

        client = APIClient()
        if who is not None:
            client.force_authenticate(getattr(self, who))
        return client


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """Hashing passwords properly is slow by design; tests need no such protection."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_cache(settings, request):
    """Each test counts login attempts from zero, in memory (the configured database cache
    outlives a test's transaction once a live server commits); tests of the throttle itself
    use the real cache (`database_cache`)."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": request.node.nodeid,
        }
    }


@pytest.fixture(autouse=True)
def _files_in_tmp(settings, tmp_path):
    """Files a test stores (uploads kept, exports) go to its own folder, not DATA_DIR."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def cast(db) -> Cast:
    admin = UserFactory(username="adam")
    reviewer = UserFactory(username="rita")
    annotator = UserFactory(username="alice")
    teammate = UserFactory(username="bob")
    outsider = UserFactory(username="oscar")
    project = make_project(admin=admin, name="Tribun", language="id")
    add_member(project, reviewer, Role.REVIEWER)
    add_member(project, annotator, Role.ANNOTATOR)
    add_member(project, teammate, Role.ANNOTATOR)
    other = make_project(admin=outsider, name="Elsewhere")
    return Cast(project, other, admin, reviewer, annotator, teammate, outsider)


@pytest.fixture
def document(cast):
    return DocumentFactory(project=cast.project)


@pytest.fixture
def world(cast, settings, tmp_path):
    """The project with a bit of everything: a document bob annotated (submitted) and was
    assigned, alice commented on and bob flagged, an unused label, a finished export, a
    user who could be added."""
    settings.MEDIA_ROOT = tmp_path
    cast.project.annotators_per_document = 3  # the queue has room for every caller
    cast.project.save()
    UserFactory(username="carol")
    document = DocumentFactory(project=cast.project)
    client = cast.client("teammate")
    mine = f"/api/projects/{cast.project.pk}/documents/{document.pk}/annotations/mine/"
    body = {"version": 0, "spans": [{"id": "s1", "start": 0, "end": 4, "label": "PER"}]}
    assert client.put(mine, {**body, "status": "submitted"}, format="json").status_code == 200
    job = ExportJob.objects.create(
        project=cast.project, format="jsonl", status=ExportStatus.SUCCEEDED, size=2
    )
    job.file.save("export.zip", ContentFile(b"PK"))
    upload = Upload.objects.create(
        project=cast.project, uploaded_by=cast.admin, name="docs.txt", format="txt", size=5,
        sha256=hashlib.sha256(b"Halo.").hexdigest(), documents=1,
    )  # fmt: skip
    upload.file.save("docs.txt", ContentFile(b"Halo."))
    comment = comment_create(
        document=document,
        author=cast.annotator,
        role=Role.ANNOTATOR,
        text="Is this a quote?",
        target=Target(CommentTarget.DOCUMENT),
    )
    DocumentFlag.objects.create(
        document=document,
        project=cast.project,
        reason="duplicate",
        flagged_by=cast.teammate,
        flagged_at=timezone.now(),
    )
    token, _key = token_create(user=cast.admin, name="adam's script")
    invited = account_create(
        project=cast.project,
        creator=cast.admin,
        username="ivy",
        email="",
        role=Role.ANNOTATOR,
        method="invitation",
    ).membership
    gone = DocumentFactory(project=cast.project, external_id="deleted")
    trashed = document_trash(document=gone, actor=cast.admin, confirm=True)
    return {
        "project": cast.project.pk,
        "trash": trashed.pk,
        "document": document.pk,
        "label": cast.project.labels.get(name="MISC").pk,
        "member": cast.project.memberships.get(user=cast.teammate).pk,
        "assignment": Assignment.objects.create(document=document, annotator=cast.teammate).pk,
        "job": job.pk,
        "upload": upload.pk,
        "comment": comment.pk,
        "annotator": "bob",
        "token": token.pk,
        "invited": invited.pk,
        "label_order": list(cast.project.labels.order_by("-position").values_list("pk", flat=True)),
    }


def fill(value, ids):
    """A request template with the world's ids put in (`"{document}"` → 12)."""
    if isinstance(value, str):
        if isinstance(ids.get(value.strip("{}")), list):
            return ids[value.strip("{}")]  # a list of ids (`"{label_order}"`)
        filled = value.format(**ids)
        return int(filled) if value.startswith("{") and filled.isdigit() else filled
    if isinstance(value, dict):
        return {key: fill(item, ids) for key, item in value.items()}
    if isinstance(value, list):
        return [fill(item, ids) for item in value]
    return value


def api(project_id: int, suffix: str = "") -> str:
    return f"/api/projects/{project_id}/{suffix}"


def error_body(response, status: int, code: str) -> dict:
    """The response's error body, checked against the one shape every API error has
    (`detail` sentence, `code`, `errors` by dotted path); `current_version` only on 409s
    of code `version_conflict`."""
    assert response.status_code == status, (response.status_code, response.content[:500])
    body = response.json()
    assert body["code"] == code, body
    assert isinstance(body["detail"], str) and body["detail"], body
    errors = body["errors"]
    assert isinstance(errors, dict), body
    for path, messages in errors.items():
        assert isinstance(path, str) and path, body
        assert messages and all(isinstance(m, str) for m in messages), body
    assert ("current_version" in body) == (code == "version_conflict"), body
    assert ("would_delete" in body) == (code == "confirm_required"), body
    extra = set(body) - {"detail", "code", "errors", "current_version", "warnings", "would_delete"}
    assert not extra, f"field errors or other keys at the top level: {extra}"
    return body
