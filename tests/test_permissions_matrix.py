"""Every endpoint of the API x every role: the exact status code each gets.

Columns: anonymous, outsider (admin of another project), annotator, reviewer,
admin. Anonymous callers get 403, not 401: the first authentication class is
SessionAuthentication, which sends no WWW-Authenticate challenge, so DRF
answers "not authenticated" with 403. Outsiders get 404 for every object of
the project (its existence is not leaked). Every request body is valid, so a
permitted role gets the success code and a refused one is refused for who it
is, not for what it sent. Each case runs against a fresh world.
"""

import json

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from annotations.models import Assignment, ExportJob, ExportStatus
from tests.factories import DocumentFactory, UserFactory

ROLES = ("anonymous", "outsider", "annotator", "reviewer", "admin")
P = "/api/projects/{project}/"
D = P + "documents/{document}/"
EMPTY = {"version": 0, "spans": []}
SET_LABEL = {"op": "set_document_label", "group": "sentiment", "value": "neutral"}
ONE_OP = {"version": 0, "ops": [SET_LABEL]}

# method, path, body, status codes for: anonymous outsider annotator reviewer admin
MATRIX = [
    ("POST", "/api/auth/token/", {"username": "alice", "password": "pw-for-tests"},
                                                              "200 200 200 200 200"),
    ("GET", "/api/me/", None,                                 "403 200 200 200 200"),
    ("GET", "/api/projects/", None,                           "403 200 200 200 200"),
    ("POST", "/api/projects/", {"name": "New"},               "403 201 201 201 201"),
    ("GET", P, None,                                          "403 404 200 200 200"),
    ("PATCH", P, {"description": "About"},                    "403 404 403 403 200"),
    ("DELETE", P, None,                                       "403 404 403 403 204"),
    ("GET", P + "labels/", None,                              "403 404 200 200 200"),
    ("POST", P + "labels/", {"kind": "span", "name": "NEW"},  "403 404 403 403 201"),
    ("GET", P + "labels/{label}/", None,                      "403 404 200 200 200"),
    ("PATCH", P + "labels/{label}/", {"color": "#000000"},    "403 404 403 403 200"),
    ("DELETE", P + "labels/{label}/", None,                   "403 404 403 403 204"),
    ("GET", P + "members/", None,                             "403 404 200 200 200"),
    ("POST", P + "members/", {"username": "carol", "role": "annotator"},
                                                              "403 404 403 403 201"),
    ("GET", P + "members/{member}/", None,                    "403 404 200 200 200"),
    ("PATCH", P + "members/{member}/", {"role": "reviewer"},  "403 404 403 403 200"),
    ("DELETE", P + "members/{member}/", None,                 "403 404 403 403 204"),
    ("GET", P + "documents/", None,                           "403 404 200 200 200"),
    ("POST", P + "documents/", {"text": "Halo.", "external_id": "new-1"},
                                                              "403 404 403 403 201"),
    ("POST", P + "documents/upload/", "upload",               "403 404 403 403 201"),
    ("GET", D, None,                                          "403 404 200 200 200"),
    ("PATCH", D, {"title": "Renamed"},                        "403 404 403 403 200"),
    ("DELETE", D, None,                                       "403 404 403 403 204"),
    ("GET", D + "annotations/", None,                         "403 404 403 200 200"),
    ("GET", D + "annotations/mine/", None,                    "403 404 200 200 200"),
    ("PUT", D + "annotations/mine/", EMPTY,                   "403 404 200 200 200"),
    ("PATCH", D + "annotations/mine/", ONE_OP,                "403 404 200 200 200"),
    ("GET", P + "queue/next/", None,                          "403 404 200 200 200"),
    ("GET", P + "assignments/", None,                         "403 404 403 403 200"),
    ("POST", P + "assignments/", {"document": "{document}", "annotator": "alice"},
                                                              "403 404 403 403 201"),
    ("GET", P + "assignments/{assignment}/", None,            "403 404 403 403 200"),
    ("PATCH", P + "assignments/{assignment}/", {"annotator": "alice"},
                                                              "403 404 403 403 200"),
    ("DELETE", P + "assignments/{assignment}/", None,         "403 404 403 403 204"),
    ("GET", P + "progress/", None,                            "403 404 403 403 200"),
    ("GET", P + "agreement/", None,                           "403 404 403 200 200"),
    ("GET", D + "review/", None,                              "403 404 403 200 200"),
    ("GET", D + "gold/", None,                                "403 404 403 200 200"),
    ("PUT", D + "gold/", EMPTY,                               "403 404 403 200 200"),
    ("PATCH", D + "gold/", ONE_OP,                            "403 404 403 200 200"),
    ("GET", D + "history/", None,                             "403 404 200 200 200"),
    ("GET", P + "exports/", None,                             "403 404 403 200 200"),
    ("POST", P + "exports/", {"format": "jsonl", "scope": "all"},
                                                              "403 404 403 202 202"),
    ("GET", "/api/exports/{job}/", None,                      "403 404 403 200 200"),
    ("GET", "/api/exports/{job}/download/", None,             "403 404 403 200 200"),
    ("GET", "/api/formats/", None,                            "403 200 200 200 200"),
]  # fmt: skip


def _cases():
    for method, path, body, codes in MATRIX:
        for role, code in zip(ROLES, codes.split(), strict=True):
            yield pytest.param(method, path, body, role, int(code), id=f"{method} {path} {role}")


@pytest.fixture
def world(cast, settings, tmp_path):
    """The project with a bit of everything: a document bob annotated and was assigned,
    an unused label, a finished export, a user who could be added."""
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
    return {
        "project": cast.project.pk,
        "document": document.pk,
        "label": cast.project.labels.get(name="MISC").pk,
        "member": cast.project.memberships.get(user=cast.teammate).pk,
        "assignment": Assignment.objects.create(document=document, annotator=cast.teammate).pk,
        "job": job.pk,
    }


def _fill(value, ids):
    if isinstance(value, str):
        return int(value.format(**ids)) if value.startswith("{") else value.format(**ids)
    if isinstance(value, dict):
        return {key: _fill(item, ids) for key, item in value.items()}
    return value


@pytest.mark.parametrize(("method", "path", "body", "role", "expected"), list(_cases()))
def test_permission_matrix(cast, world, method, path, body, role, expected):
    """Each role gets exactly the status code in the matrix."""
    client = cast.client(None if role == "anonymous" else role)
    url = path.format(**world)
    if body == "upload":
        upload = SimpleUploadedFile("note.txt", b"Satu dokumen.", "text/plain")
        response = client.post(url, {"file": upload}, format="multipart")
    else:
        response = client.generic(method, url, **_json(_fill(body, world)))
    assert response.status_code == expected, getattr(response, "data", response)


def _json(body):
    if body is None:
        return {}
    return {"data": json.dumps(body), "content_type": "application/json"}


def test_every_api_endpoint_is_in_the_matrix():
    """A new endpoint must be added to the matrix (its path is listed here)."""
    from django.urls import get_resolver

    def paths(resolver, prefix=""):
        for pattern in resolver.url_patterns:
            if hasattr(pattern, "url_patterns"):
                yield from paths(pattern, prefix + str(pattern.pattern))
            else:
                yield prefix + str(pattern.pattern)

    api = {p for p in paths(get_resolver()) if p.startswith("api/") and "schema" not in p}
    api -= {"api/docs/"}
    normalise = {
        "{project}": "<int:project_id>",
        "{document}": "<int:doc_id>",
        "{label}": "<int:pk>",
        "{member}": "<int:pk>",
        "{assignment}": "<int:pk>",
        "{job}": "<int:job_id>",
    }
    covered = set()
    for _, path, _, _ in MATRIX:
        for placeholder, converter in normalise.items():
            path = path.replace(placeholder, converter)
        covered.add(path.removeprefix("/"))
    assert api - covered == set()


@pytest.mark.parametrize(
    "path",
    [
        D,
        D + "annotations/",
        D + "annotations/mine/",
        D + "review/",
        D + "gold/",
        D + "history/",
        P + "assignments/{assignment}/",
        P + "labels/{label}/",
        P + "members/{member}/",
    ],
)
def test_objects_are_not_reachable_through_another_projects_url(cast, world, path):
    """Oscar administers his own project, yet our objects under his project id are 404."""
    url = path.format(**{**world, "project": cast.other_project.pk})
    assert cast.client("outsider").get(url).status_code == 404
