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
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.conftest import fill

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
    ("GET", "/api/auth/tokens/", None,                        "403 200 200 200 200"),
    ("POST", "/api/auth/tokens/", {"name": "laptop"},         "403 201 201 201 201"),
    ("DELETE", "/api/auth/tokens/{token}/", None,             "403 404 404 404 204"),
    ("GET", "/api/me/", None,                                 "403 200 200 200 200"),
    ("PATCH", "/api/me/", {"language": "id"},                 "403 200 200 200 200"),
    ("POST", "/api/me/password/", {"old_password": "pw-for-tests", "new_password": "n3w-pass"},
                                                              "403 204 204 204 204"),
    ("GET", "/api/projects/", None,                           "403 200 200 200 200"),
    ("POST", "/api/projects/", {"name": "New"},               "403 201 201 201 201"),
    ("GET", P, None,                                          "403 404 200 200 200"),
    ("PATCH", P, {"description": "About"},                    "403 404 403 403 200"),
    ("DELETE", P + "?confirm=true", None,                     "403 404 403 403 204"),
    ("GET", P + "labels/", None,                              "403 404 200 200 200"),
    ("POST", P + "labels/", {"kind": "span", "name": "NEW"},  "403 404 403 403 201"),
    ("GET", P + "labels/{label}/", None,                      "403 404 200 200 200"),
    ("PATCH", P + "labels/{label}/", {"color": "#000000"},    "403 404 403 403 200"),
    ("DELETE", P + "labels/{label}/", None,                   "403 404 403 403 204"),
    ("POST", P + "labels/order/", {"ids": "{label_order}"},   "403 404 403 403 200"),
    ("GET", P + "members/", None,                             "403 404 200 200 200"),
    ("POST", P + "members/", {"username": "carol", "role": "annotator"},
                                                              "403 404 403 403 201"),
    ("GET", P + "members/{member}/", None,                    "403 404 200 200 200"),
    ("PATCH", P + "members/{member}/", {"role": "reviewer"},  "403 404 403 403 200"),
    ("DELETE", P + "members/{member}/?confirm=true", None,    "403 404 403 403 204"),
    ("GET", P + "users/", None,                               "403 404 403 403 200"),
    ("POST", P + "accounts/", {"username": "newbie", "role": "annotator", "method": "password"},
                                                              "403 404 403 403 201"),
    ("POST", P + "members/{invited}/invitation/", None,       "403 404 403 403 201"),
    ("GET", P + "documents/", None,                           "403 404 200 200 200"),
    ("POST", P + "documents/", {"text": "Halo.", "external_id": "new-1"},
                                                              "403 404 403 403 201"),
    ("POST", P + "documents/upload/", "upload",               "403 404 403 403 201"),
    ("GET", D, None,                                          "403 404 200 200 200"),
    ("PATCH", D, {"title": "Renamed"},                        "403 404 403 403 200"),
    ("DELETE", D + "?confirm=true", None,                     "403 404 403 403 204"),
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
    ("GET", P + "dashboard/", None,                           "403 404 403 200 200"),
    ("POST", P + "documents/bulk/assign/", {"documents": ["{document}"], "annotators": ["alice"]},
                                                              "403 404 403 403 200"),
    ("POST", P + "documents/bulk/reset/", {"filter": "state=in_progress"},
                                                              "403 404 403 403 200"),
    ("POST", P + "documents/bulk/export/", {"documents": ["{document}"], "format": "jsonl"},
                                                              "403 404 403 202 202"),
    ("GET", D + "review/", None,                              "403 404 403 200 200"),
    ("GET", D + "gold/", None,                                "403 404 403 200 200"),
    ("PUT", D + "gold/", EMPTY,                               "403 404 403 200 200"),
    ("PATCH", D + "gold/", ONE_OP,                            "403 404 403 200 200"),
    ("GET", P + "history/", None,                             "403 404 200 200 200"),
    ("GET", D + "history/", None,                             "403 404 200 200 200"),
    ("GET", D + "suggestions/", None,                         "403 404 200 200 200"),
    ("POST", D + "suggestions/", {"sources": ["quotes"]},     "403 404 202 202 202"),
    ("GET", P + "exports/", None,                             "403 404 403 200 200"),
    ("POST", P + "exports/", {"format": "jsonl", "scope": "all"},
                                                              "403 404 403 202 202"),
    ("GET", "/api/exports/{job}/", None,                      "403 404 403 200 200"),
    ("GET", "/api/exports/{job}/download/", None,             "403 404 403 200 200"),
    ("GET", P + "uploads/", None,                             "403 404 403 403 200"),
    ("GET", "/api/uploads/{upload}/download/", None,          "403 404 403 403 200"),
    # The world's export is the project's first version: no previous one to compare with.
    ("GET", "/api/exports/{job}/diff/", None,                 "403 404 403 400 400"),
    ("GET", "/api/formats/", None,                            "403 200 200 200 200"),
    ("GET", D + "comments/", None,                            "403 404 200 200 200"),
    ("POST", D + "comments/", {"text": "Hi", "annotation": None},
                                                              "403 404 201 201 201"),
    ("GET", D + "comments/{comment}/", None,                  "403 404 200 200 200"),
    ("PATCH", D + "comments/{comment}/", {"resolved": True},  "403 404 200 200 200"),
    ("DELETE", D + "comments/{comment}/", None,               "403 404 204 403 204"),
    ("GET", D + "flag/", None,                                "403 404 200 200 200"),
    ("POST", D + "flag/", {"reason": "other", "note": "?"},   "403 404 201 201 201"),
    ("DELETE", D + "flag/", None,                             "403 404 403 204 204"),
    ("POST", D + "annotations/{annotator}/return/", {"note": "Fix it"},
                                                              "403 404 403 200 200"),
    ("POST", D + "annotations/{annotator}/accept/", {"note": ""},
                                                              "403 404 403 200 200"),
    ("GET", D + "annotations/mine/compared/", None,           "403 404 403 200 200"),
    ("GET", "/api/notices/", None,                            "403 200 200 200 200"),
    ("POST", "/api/notices/read/", {"ids": [1]},              "403 200 200 200 200"),
    ("GET", P + "suggestions/backend/", None,                 "403 404 403 403 200"),
    ("PUT", P + "suggestions/backend/", {"url": "https://models.example.org/predict"},
                                                              "403 404 403 403 200"),
    ("DELETE", P + "suggestions/backend/", None,              "403 404 403 403 204"),
    ("GET", P + "suggestions/quality/", None,                 "403 404 403 200 200"),
    # The trash: everyone sees what they may restore (the outsider: their own project's).
    ("GET", "/api/trash/", None,                              "403 200 200 200 200"),
    ("POST", "/api/trash/{trash}/restore/", None,             "403 404 404 404 200"),
    # An annotator's answer holds their own figures only (tests/test_quality.py).
    ("GET", P + "quality/", None,                             "403 404 200 200 200"),
]  # fmt: skip


def _cases():
    for method, path, body, codes in MATRIX:
        for role, code in zip(ROLES, codes.split(), strict=True):
            yield pytest.param(method, path, body, role, int(code), id=f"{method} {path} {role}")


@pytest.mark.parametrize(("method", "path", "body", "role", "expected"), list(_cases()))
def test_permission_matrix(cast, world, method, path, body, role, expected):
    """Each role gets exactly the status code in the matrix."""
    client = cast.client(None if role == "anonymous" else role)
    url = path.format(**world)
    if body == "upload":
        upload = SimpleUploadedFile("note.txt", b"Satu dokumen.", "text/plain")
        response = client.post(url, {"file": upload}, format="multipart")
    else:
        response = client.generic(method, url, **_json(fill(body, world)))
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
        "{invited}": "<int:pk>",
        "{assignment}": "<int:pk>",
        "{job}": "<int:job_id>",
        "{comment}": "<int:pk>",
        "{annotator}": "<str:username>",
        "{token}": "<int:token_id>",
        "{trash}": "<int:pk>",
        "{upload}": "<int:upload_id>",
    }
    covered = set()
    for _, path, _, _ in MATRIX:
        for placeholder, converter in normalise.items():
            path = path.replace(placeholder, converter)
        covered.add(path.partition("?")[0].removeprefix("/"))
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
        D + "suggestions/",
        P + "assignments/{assignment}/",
        P + "labels/{label}/",
        P + "members/{member}/",
        D + "comments/",
        D + "comments/{comment}/",
        D + "flag/",
    ],
)
def test_objects_are_not_reachable_through_another_projects_url(cast, world, path):
    """Oscar administers his own project, yet our objects under his project id are 404."""
    url = path.format(**{**world, "project": cast.other_project.pk})
    assert cast.client("outsider").get(url).status_code == 404


OBJECT_PATHS = [
    P,
    D,
    D + "annotations/",
    D + "annotations/mine/",
    D + "review/",
    D + "gold/",
    D + "history/",
    D + "suggestions/",
    P + "assignments/{assignment}/",
    P + "labels/{label}/",
    P + "members/{member}/",
    "/api/exports/{job}/",
    "/api/exports/{job}/download/",
    "/api/uploads/{upload}/download/",
    D + "comments/{comment}/",
    D + "flag/",
]


@pytest.mark.parametrize("path", OBJECT_PATHS)
def test_a_404_does_not_tell_whether_the_id_exists(cast, world, path):
    """An object of a project the caller is not in, and an id that exists nowhere, get the
    same 404 body: ids cannot be probed."""
    missing = dict.fromkeys(world, 999_999)
    ours = cast.client("outsider").get(path.format(**world))
    nowhere = cast.client("outsider").get(path.format(**missing))
    assert ours.status_code == nowhere.status_code == 404
    assert ours.json() == nowhere.json()
    # and through a project the caller administers (only the project id is theirs)
    theirs = {**world, "project": cast.other_project.pk}
    mine_missing = {**missing, "project": cast.other_project.pk}
    ours = cast.client("outsider").get(path.format(**theirs))
    nowhere = cast.client("outsider").get(path.format(**mine_missing))
    if path != P:
        assert ours.status_code == nowhere.status_code == 404
        assert ours.json() == nowhere.json()
