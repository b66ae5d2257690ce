"""No input causes a 500: every write endpoint answers junk with a 4xx that says why."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from annotations.models import Document
from tests.conftest import api, error_body

NASTY_VALUES = [
    None,
    [],
    {},
    "",
    "x" * 300,
    -1,
    10**30,
    1.5,
    True,
    "\u0000",
    "\ud800",
    [[[[[]]]]],
    {"$ne": 1},
]


def _bodies(template: dict) -> list:
    """The template with each field replaced by each nasty value, plus whole-body junk."""
    bodies = [None, [], "text", 12, [None], [template, "x"]]
    for key in template:
        for value in NASTY_VALUES:
            bodies.append({**template, key: value})
    return bodies


SPAN = {"id": "s1", "start": 0, "end": 4, "label": "PER", "attributes": {}}
ANNOTATION = {
    "version": 0,
    "spans": [SPAN],
    "relations": [{"from": "s1", "to": "s1", "label": "SPEAKER"}],
    "document_labels": {"sentiment": "neutral"},
    "status": "draft",
}
PATCH = {"version": 0, "ops": [{"op": "add_span", "span": SPAN}]}
SPAN_OPS = [
    {"op": "add_span", "span": {**SPAN, key: value}} for key in SPAN for value in NASTY_VALUES
]
OTHER_OPS = [
    {"op": op, key: value}
    for op in (
        "update_span",
        "delete_span",
        "delete_relation",
        "set_document_label",
        "set_status",
        "add_relation",
    )
    for key in ("id", "group", "value", "status", "relation", "start", "label")
    for value in NASTY_VALUES
]


def send(client, method: str, path: str, body):
    """Send JSON as a script would: ASCII escapes, so lone surrogates reach the server."""
    return client.generic(method, path, json.dumps(body), content_type="application/json")


UPDATE_OPS = [
    {"op": "update_span", "id": "s1", key: value}
    for key in ("start", "end", "label", "attributes", "extra")
    for value in NASTY_VALUES
]


def _check(response, where: str, body) -> None:
    assert 400 <= response.status_code < 500, (where, body, response.status_code)
    error_body(response, response.status_code, response.json()["code"])


@pytest.mark.parametrize(
    ("suffix", "template"),
    [
        ("", {"name": "p", "language": "en", "annotators_per_document": 2}),
        (
            "labels/",
            {
                "kind": "span",
                "name": "X",
                "color": "#123456",
                "hotkey": "x",
                "attributes": {"a": ["b"]},
                "group": "",
                "source_labels": [],
            },
        ),
        ("members/", {"username": "oscar", "role": "annotator"}),
        ("documents/", {"text": "t", "title": "t", "external_id": "e", "meta": {}}),
    ],
)
def test_junk_bodies_to_project_endpoints_get_4xx(cast, suffix, template):
    """Junk in every field of projects, labels, members and documents is a 4xx, never a 500."""
    client = cast.client("admin")
    path = "/api/projects/" if not suffix else api(cast.project.pk, suffix)
    for body in _bodies(template):
        response = send(client, "POST", path, body)
        if response.status_code in (200, 201):
            continue  # some junk is acceptable input (e.g. a long title)
        _check(response, path, body)


def test_junk_annotations_get_4xx(cast, document):
    """Junk in PUT bodies and PATCH operations is a 4xx, never a 500."""
    client = cast.client("annotator")
    mine = api(cast.project.pk, f"documents/{document.pk}/annotations/mine/")
    for body in _bodies(ANNOTATION):
        response = send(client, "PUT", mine, body)
        if response.status_code == 200:
            client.put(mine, {"version": response.json()["version"], "spans": []}, format="json")
            continue
        _check(response, "PUT", body)
    version = client.get(mine).json()["version"]
    spans = {"version": version, "spans": [SPAN]}
    version = send(client, "PUT", mine, spans).json()["version"]
    for op in SPAN_OPS + OTHER_OPS + UPDATE_OPS:
        response = send(client, "PATCH", mine, {"version": version, "ops": [op]})
        if response.status_code == 200:
            version = response.json()["version"]
            continue
        _check(response, "PATCH", op)
    for body in _bodies(PATCH):
        response = send(client, "PATCH", mine, body)
        if response.status_code != 200:
            _check(response, "PATCH", body)


def test_nul_and_lone_surrogates_are_refused_with_their_place(cast):
    """PostgreSQL cannot store NUL or lone surrogates: a 400 names the field."""
    client = cast.client("admin")
    response = client.post(
        api(cast.project.pk, "documents/"),
        data=json.dumps({"text": "ok", "meta": {"note": "bad\u0000"}}),
        content_type="application/json",
    )
    body = error_body(response, 400, "parse_error")
    assert "meta.note" in body["detail"]
    assert list(body["errors"]) == ["meta.note"]
    lines = b'{"text": "fine"}\n{"text": "half \\ud83d emoji"}\n'
    upload = SimpleUploadedFile("x.jsonl", lines)
    response = client.post(
        api(cast.project.pk, "documents/upload/"), {"file": upload}, format="multipart"
    )
    body = error_body(response, 400, "import_failed")
    assert list(body["errors"]) == ["lines.2.text"]
    assert "surrogate" in body["detail"]
    assert Document.objects.count() == 0


def test_malformed_json_and_wrong_content_type_get_4xx(cast, document):
    """Broken JSON is a 400; an unsupported media type a 415."""
    client = cast.client("annotator")
    mine = api(cast.project.pk, f"documents/{document.pk}/annotations/mine/")
    response = client.put(mine, data='{"version": 0, "spans": [', content_type="application/json")
    error_body(response, 400, "parse_error")
    response = client.put(mine, data="<xml/>", content_type="application/xml")
    error_body(response, 415, "unsupported_media_type")
