"""No input causes a 500: every write endpoint answers junk with a 4xx that says why."""

import json
from urllib.parse import urlencode

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

from annotations.formats.reading import MAX_DEPTH
from annotations.models import Document
from annotations.parsers import NUL_MESSAGE
from tests.conftest import api, error_body, fill
from tests.factories import DocumentFactory
from tests.test_permissions_matrix import MATRIX

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


SPAN = {
    "id": "s1",
    "start": 0,
    "end": 4,
    "label": "PER",
    "attributes": {},
    "source": "quotes",
    "score": 0.5,
}
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
                "translations": {"id": {"title": "X", "values": {"b": "B"}}},
            },
        ),
        ("members/", {"username": "oscar", "role": "annotator"}),
        ("documents/{document}/suggestions/", {"sources": ["quotes", "gold"]}),
        (
            "accounts/",
            {
                "username": "nu",
                "email": "nu@example.org",
                "role": "annotator",
                "method": "invitation",
            },
        ),
        ("documents/", {"text": "t", "title": "t", "external_id": "e", "meta": {}}),
        ("documents/bulk/assign/", {"filter": "state=new", "annotators": ["alice"]}),
        ("documents/bulk/assign/", {"documents": [1], "annotators": ["alice"]}),
        ("documents/bulk/reset/", {"filter": "annotator=alice&annotator_status=assigned"}),
        ("documents/bulk/export/", {"filter": "", "format": "jsonl", "scope": "all"}),
    ],
)
def test_junk_bodies_to_project_endpoints_get_4xx(cast, suffix, template):
    """Junk in every field of projects, labels, members, documents and a request for
    suggestions is a 4xx, never a 500."""
    client = cast.client("admin")
    document = DocumentFactory(project=cast.project)
    suffix = suffix.format(document=document.pk)
    path = "/api/projects/" if not suffix else api(cast.project.pk, suffix)
    for body in _bodies(template):
        response = send(client, "POST", path, body)
        if response.status_code in (200, 201, 202):
            continue  # some junk is acceptable input (e.g. a long title)
        _check(response, path, body)


def test_junk_preferences_get_4xx(cast):
    """Junk in PATCH /api/me/ is a 4xx, never a 500."""
    client = cast.client("annotator")
    for body in _bodies({"language": "id"}):
        response = send(client, "PATCH", "/api/me/", body)
        if response.status_code != 200:
            _check(response, "me", body)


def test_junk_model_backend_settings_get_4xx(cast):
    """Junk in PUT …/suggestions/backend/ (URLs included) is a 4xx, never a 500."""
    client = cast.client("admin")
    path = api(cast.project.pk, "suggestions/backend/")
    template = {"url": "https://models.example.org/predict", "enabled": True}
    urls = ["http://[::1", "http://:80/", "http://a:-1/", "http://\u0000/", "javascript:x",
            "http://[fe80::1%25eth0]/", "http://0x7f000001/", "http://017700000001/",
            "http://127.1/", "//models.example.org/", "http://ex ample.org/"]  # fmt: skip
    for body in _bodies(template) + [{**template, "url": url} for url in urls]:
        response = send(client, "PUT", path, body)
        if response.status_code != 200:
            _check(response, "PUT backend", body)


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


# --- Every endpoint: query strings, form bodies, deep nesting, HTML Accept ---------------

# Without the matrix's `?confirm=true`: the junk tests add their own query strings.
ENDPOINTS = [(method, path.partition("?")[0], body) for method, path, body, _ in MATRIX]
QUERY_NAMES = ("page", "page_size", "status", "my_status", "annotator", "document", "order",
               "kind", "format", "q", "usage")  # fmt: skip
QUERY_VALUES = ("\x00", "a\x00b", "", "-1", "0", "x" * 300, "1e999", "9" * 30, "%", "[]", "ü")
ACCEPTS = (
    "text/html",
    "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",  # a browser's
    "application/xml",
    "*/*",
    "application/json; version=9",
    "nonsense",
)
DEEP = "[" * 100_000 + "]" * 100_000


def _deep_value(levels: int = MAX_DEPTH + 1):
    value: list = []
    for _ in range(levels - 1):
        value = [value]
    return value


def _endpoint_id(endpoint) -> str:
    return f"{endpoint[0]} {endpoint[1]}"


def _json_body(body, world) -> dict:
    if body in (None, "upload"):
        return {}
    return {"data": json.dumps(fill(body, world)), "content_type": "application/json"}


@pytest.mark.parametrize(("method", "path", "body"), ENDPOINTS, ids=map(_endpoint_id, ENDPOINTS))
def test_junk_query_strings_get_4xx(cast, world, method, path, body):
    """Every endpoint answers junk (NUL, huge, negative, odd) in any query parameter with a
    success or a 4xx, never a 500."""
    client = cast.client("admin")
    url = path.format(**world)
    for name in QUERY_NAMES:
        for value in QUERY_VALUES:
            query = urlencode({name: value})
            response = client.generic(method, f"{url}?{query}", **_json_body(body, world))
            if response.status_code >= 400:
                _check(response, f"{method} {url}?{query}", None)
    response = client.get(f"{url}?status=new\x00")
    body_ = error_body(response, 400, "invalid")
    assert body_["errors"] == {"status": [NUL_MESSAGE]}


@pytest.mark.parametrize(("method", "path", "body"), ENDPOINTS, ids=map(_endpoint_id, ENDPOINTS))
def test_form_bodies_get_4xx(cast, world, method, path, body):
    """Every endpoint takes its body as a urlencoded or multipart form, with NUL in a field
    or its name, and answers a success or a 4xx; NUL is refused naming the field."""
    if method in ("GET", "DELETE"):
        return
    client = cast.client("admin")
    url = path.format(**world)
    template = fill(body, world) if isinstance(body, dict) else {"file": "x"}
    variants = [template, {**template, "extra\x00": "x"}]
    variants += [{**template, key: f"a\x00{key}"} for key in template]
    for fields in variants:
        flat = {key: json.dumps(v) if isinstance(v, dict | list) else str(v)
                for key, v in fields.items()}  # fmt: skip
        for content_type, data in (
            ("application/x-www-form-urlencoded", urlencode(flat)),
            (MULTIPART_CONTENT, encode_multipart(BOUNDARY, flat)),
        ):
            response = client.generic(method, url, data, content_type=content_type)
            if response.status_code >= 400:
                _check(response, f"{method} {url} {content_type}", fields)
            has_nul = any("\x00" in f"{k}{v}" for k, v in flat.items())
            if has_nul and response.status_code not in (403, 415):
                assert response.status_code == 400, (url, fields, response.content)


@pytest.mark.parametrize(("method", "path", "body"), ENDPOINTS, ids=map(_endpoint_id, ENDPOINTS))
def test_deeply_nested_json_gets_400(cast, world, method, path, body):
    """JSON nested past the parser's depth limit, as the whole body or in any field, is a
    400 parse error (Python's parser would recurse until it fails)."""
    if method in ("GET", "DELETE"):
        return
    client = cast.client("admin")
    url = path.format(**world)
    template = fill(body, world) if isinstance(body, dict) else {}
    bodies = [DEEP] + [json.dumps({**template, key: _deep_value()}) for key in template]
    for raw in bodies:
        response = client.generic(method, url, raw, content_type="application/json")
        if body == "upload":  # multipart only: JSON is an unsupported media type
            error_body(response, 415, "unsupported_media_type")
            continue
        detail = error_body(response, 400, "parse_error")["detail"]
        assert f"nested deeper than {MAX_DEPTH} levels" in detail


@pytest.mark.parametrize(("method", "path", "body"), ENDPOINTS, ids=map(_endpoint_id, ENDPOINTS))
def test_html_and_odd_accept_headers_get_json_or_406(cast, world, method, path, body):
    """A browser (or anything asking for HTML, XML, nonsense) gets JSON or a 406 in the one
    error shape, never a 500 or an HTML page."""
    client = cast.client("admin")
    url = path.format(**world)
    for accept in ACCEPTS:
        if body == "upload":
            upload = SimpleUploadedFile("note.txt", f"Satu {accept}.".encode(), "text/plain")
            response = client.post(url, {"file": upload}, format="multipart", HTTP_ACCEPT=accept)
        else:
            response = client.generic(method, url, HTTP_ACCEPT=accept, **_json_body(body, world))
        assert response.status_code < 500, (accept, response.content[:300])
        if response.status_code >= 400:
            _check(response, f"{method} {url} Accept: {accept}", None)
        elif response.status_code != 204 and "download" not in url:
            assert response["Content-Type"] == "application/json", (accept, response)


@pytest.mark.parametrize(
    ("name", "content", "field"),
    [
        ("deep.jsonl", f'{{"text": "x", "meta": {"[" * 70}{"]" * 70}}}\n'.encode(), "lines.1"),
        ("deeper.jsonl", ('{"text": ' + "[" * 5000 + "]" * 5000 + "}\n").encode(), "lines.1"),
        ("nan.jsonl", b'{"text": "x", "meta": {"score": NaN}}\n', "lines.1"),
        ("deep.json", ("[" * 5000 + "]" * 5000).encode(), "file"),
        ("nul.txt", b"Teks\x00biasa.", "lines.1"),
        ("nul.json", b'[{"data": {"text": "a\\u0000b"}}]', "lines.1.text"),
        ("nul.csv", b"text,title\nok,\x00\n", "lines.2.title"),
    ],
)
def test_hostile_upload_files_get_400(cast, name, content, field):
    """Deeply nested JSON, NaN, and NUL in a file (ours or another tool's) are refused with a
    400 that names the line (or the field); nothing is stored."""
    upload = SimpleUploadedFile(name, content)
    response = cast.client("admin").post(
        api(cast.project.pk, "documents/upload/"), {"file": upload}, format="multipart"
    )
    assert response.status_code == 400, response.content
    body = response.json()
    assert field in body["errors"], body
    assert Document.objects.count() == 0


FILTER_VALUES = ["", "x", "-1", "0", "10" * 20, "true", "%00", "\u00e9", "2026-02-30", "a,b,,c"]
FILTER_PARAMETERS = [
    "status", "my_status", "state", "annotator", "annotator_status", "label", "disagreement",
    "compared", "submitted_after", "submitted_before", "last_submitted_after",
    "last_submitted_before", "q", "ordering", "page", "page_size",
]  # fmt: skip


@pytest.mark.parametrize(
    ("suffix", "parameters"),
    [
        ("documents/", FILTER_PARAMETERS),
        ("dashboard/", ["after", "before", "bucket"]),
    ],
)
def test_junk_query_parameters_get_200_or_4xx(cast, document, suffix, parameters):
    """Every filter of the documents table and the dashboard's period, given junk: an answer
    or a 4xx in the one error shape, never a 500."""
    client = cast.client("reviewer")
    for name in parameters:
        for value in FILTER_VALUES:
            response = client.get(api(cast.project.pk, suffix), {name: value})
            if response.status_code != 200:
                _check(response, f"{suffix}?{name}", value)


@pytest.mark.parametrize(
    ("who", "method", "suffix", "template"),
    [
        ("annotator", "POST", "comments/", {"text": "t", "annotation": "mine", "span_id": "s1",
                                            "reply_to": 1}),
        ("reviewer", "POST", "comments/", {"text": "t", "annotation": "bob", "span_id": "s1"}),
        ("annotator", "PATCH", "comments/{comment}/", {"text": "t", "resolved": True}),
        ("annotator", "POST", "flag/", {"reason": "other", "note": "n"}),
        ("reviewer", "POST", "annotations/bob/return/", {"note": "n"}),
        ("reviewer", "POST", "annotations/bob/accept/", {"note": "n"}),
    ],
)  # fmt: skip
def test_junk_to_the_conversation_gets_4xx(cast, world, who, method, suffix, template):
    """Junk in every field of comments, flags, returns and accepts is a 4xx, never a 500."""
    client = cast.client(who)
    path = api(world["project"], f"documents/{world['document']}/{suffix.format(**world)}")
    for body in _bodies(template):
        response = send(client, method, path, body)
        if response.status_code < 300:
            continue
        _check(response, path, body)


def test_junk_notice_marks_and_export_options_get_4xx(cast, world):
    """Junk ids to mark read, and junk export options, are a 4xx, never a 500."""
    client = cast.client("reviewer")
    for body in _bodies({"ids": [1]}):
        response = send(client, "POST", "/api/notices/read/", body)
        if response.status_code != 200:
            _check(response, "notices", body)
    for body in _bodies({"format": "jsonl", "options": {"exclude_flagged": True}}):
        response = send(client, "POST", api(world["project"], "exports/"), body)
        if response.status_code != 202:
            _check(response, "exports", body)
