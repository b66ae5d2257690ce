"""The cast: an annotator, a teammate, a reviewer, an admin, and an outsider who
administers another project. Every permission test includes the outsider."""

from dataclasses import dataclass

import pytest

from annotations.models import Project, Role
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
    extra = set(body) - {"detail", "code", "errors", "current_version", "warnings"}
    assert not extra, f"field errors or other keys at the top level: {extra}"
    return body
