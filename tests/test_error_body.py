"""Every API error, whoever raises it, answers the one documented body (DECISIONS.md 12)."""

import json

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.conftest import api, error_body

CODES_SEEN_BY_CLIENTS = {
    "invalid",
    "parse_error",
    "import_failed",
    "not_authenticated",
    "permission_denied",
    "not_found",
    "method_not_allowed",
    "not_acceptable",
    "unsupported_media_type",
    "version_conflict",
    "conflict",
    "payload_too_large",
}


def test_each_kind_of_error_has_its_code_and_the_one_shape(cast, document, settings):
    """Framework errors (auth, routing, parsing) and ours (validation, conflicts, imports)
    all answer detail + code + errors."""
    admin, annotator = cast.client("admin"), cast.client("annotator")
    mine = api(cast.project.pk, f"documents/{document.pk}/annotations/mine/")
    seen = set()

    def check(response, status, code):
        seen.add(code)
        return error_body(response, status, code)

    check(cast.client(None).get("/api/projects/"), 403, "not_authenticated")
    check(annotator.patch(api(cast.project.pk), {"name": "x"}, format="json"), 403,
          "permission_denied")  # fmt: skip
    check(cast.client("outsider").get(api(cast.project.pk)), 404, "not_found")
    check(annotator.delete("/api/me/"), 405, "method_not_allowed")
    check(annotator.get("/api/me/", HTTP_ACCEPT="application/xml"), 406, "not_acceptable")
    check(annotator.put(mine, "<x/>", content_type="application/xml"), 415,
          "unsupported_media_type")  # fmt: skip
    check(annotator.put(mine, "{", content_type="application/json"), 400, "parse_error")
    body = check(annotator.put(mine, {"version": "one"}, format="json"), 400, "invalid")
    assert list(body["errors"]) == ["version"]
    assert body["detail"].startswith("version: ")
    annotator.put(mine, {"version": 0, "spans": []}, format="json")
    body = check(annotator.put(mine, {"version": 0, "spans": []}, format="json"), 409,
                 "version_conflict")  # fmt: skip
    assert body["current_version"] == 1
    span = {"id": "s1", "start": 0, "end": 4, "label": "PER"}
    admin.put(mine, {"version": 0, "spans": [span]}, format="json")
    text = api(cast.project.pk, f"documents/{document.pk}/")
    check(admin.patch(text, {"text": "Other."}, format="json"), 409, "conflict")
    upload = api(cast.project.pk, "documents/upload/")
    bad = SimpleUploadedFile("x.jsonl", b'{"text": "ok"}\n{oops\n')
    body = check(admin.post(upload, {"file": bad}, format="multipart"), 400, "import_failed")
    assert list(body["errors"]) == ["lines.2"]
    assert body["detail"].startswith("Nothing was imported: line 2: invalid JSON")
    settings.UPLOAD_MAX_BYTES = 100
    big = SimpleUploadedFile("x.txt", b"x" * 500)
    check(admin.post(upload, {"file": big}, format="multipart"), 413, "payload_too_large")
    assert seen == CODES_SEEN_BY_CLIENTS


def test_an_unknown_api_path_answers_the_error_body(cast):
    """A mistyped API path is a JSON 404 in the same shape, not an HTML page."""
    response = cast.client("annotator").get("/api/projets/")
    assert response["Content-Type"] == "application/json"
    assert "/api/projets/" in error_body(response, 404, "not_found")["detail"]


def test_serializer_errors_are_keyed_by_dotted_paths(cast):
    """Nested field errors from a serializer come out flat: `path.to.field`."""
    response = cast.client("admin").post(
        api(cast.project.pk, "labels/"),
        {"kind": "span", "name": "X", "color": "red", "attributes": {"a": []}},
        format="json",
    )
    errors = error_body(response, 400, "invalid")["errors"]
    assert set(errors) == {"color", "attributes"}
    assert errors["color"] == ["must be a colour like #1f77b4"]


def test_openapi_documents_the_error_component_on_every_operation(cast):
    """The schema has one `Error` component, and every operation's 4xx answers use it."""
    schema = cast.client("annotator").get("/api/schema/?format=json").json()
    error = schema["components"]["schemas"]["Error"]
    assert set(error["required"]) == {"detail", "code", "errors"}
    assert "version_conflict" in json.dumps(schema["components"]["schemas"])
    ref = {"$ref": "#/components/schemas/Error"}
    checked = 0
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            answers = operation["responses"]
            errors = {code: answer for code, answer in answers.items() if code >= "400"}
            assert {"400", "403", "404"} <= set(errors), (method, path)
            for code, answer in errors.items():
                assert answer["content"]["application/json"]["schema"] == ref, (method, path, code)
            checked += 1
    mine = schema["paths"]["/api/projects/{project_id}/documents/{doc_id}/annotations/mine/"]
    assert "409" in mine["patch"]["responses"] and "409" in mine["put"]["responses"]
    assert checked > 40
