"""`GET /api/formats/`: the registry as the browser reads it (contract 2 of issue 8)."""

from django.core.files.uploadedfile import SimpleUploadedFile

from annotations.formats import FORMATS
from tests.conftest import api, error_body


def test_formats_lists_every_format_with_what_it_exports_and_imports(cast):
    """Each format once, in registry order, with its export scopes and upload suffixes."""
    response = cast.client("annotator").get("/api/formats/")
    assert response.status_code == 200
    body = response.json()
    assert [f["name"] for f in body] == list(FORMATS)
    by_name = {f["name"]: f for f in body}
    assert by_name["jsonl"] == {
        "name": "jsonl",
        "title": "Native JSONL",
        "offset_unit": "code_point",
        "offset_note": "Offsets are Unicode code points into the text as stored, end exclusive.",
        "export": {
            "scopes": ["gold", "all", "agreed"],
            "options": [],
            "unannotated_scopes": ["gold", "all"],
            "span_labels": False,
        },
        "import": {
            "suffixes": [".jsonl", ".txt", ".csv"],
            "offset_units": [],
            "detects_unit": False,
        },
    }
    assert by_name["doccano"]["offset_unit"] == "utf16"
    assert by_name["doccano"]["import"] == {
        "suffixes": [".jsonl"],
        "offset_units": ["utf16", "code_point", "grapheme"],
        "detects_unit": True,
    }
    options = by_name["doccano"]["export"]["options"]
    assert [(o["name"], o["choices"], o["default"]) for o in options] == [
        ("shape", ["relation", "label"], "relation"),
        ("offset_unit", ["utf16", "code_point", "grapheme"], "utf16"),
    ]
    assert by_name["csv"]["import"] is None and by_name["csv"]["export"] is not None
    assert {f["name"] for f in body if f["import"]} == {
        "jsonl",
        "doccano",
        "label-studio",
        "brat",
        "conll",
    }
    assert all(f["title"] and f["offset_note"] for f in body)


def test_formats_are_what_exports_and_uploads_accept(cast):
    """Every listed export format can be requested; a name the list lacks is refused, and so
    is an upload in a format the list gives no import for."""
    client = cast.client("admin")
    for entry in client.get("/api/formats/").json():
        response = client.post(
            api(cast.project.pk, "exports/"), {"format": entry["name"]}, format="json"
        )
        assert response.status_code == (202 if entry["export"] else 400), entry["name"]
    refused = client.post(api(cast.project.pk, "exports/"), {"format": "xml"}, format="json")
    assert list(error_body(refused, 400, "invalid")["errors"]) == ["format"]
    upload = SimpleUploadedFile("x.csv", b"text\nHalo.\n")
    response = client.post(
        api(cast.project.pk, "documents/upload/"),
        {"file": upload, "format": "csv"},
        format="multipart",
    )
    errors = error_body(response, 400, "import_failed")["errors"]
    assert list(errors) == ["format"]
    assert "jsonl, doccano, label-studio, conll, brat, native" in errors["format"][0]


def test_native_stays_an_upload_alias_of_jsonl(cast):
    """Scripts that send format=native keep working."""
    upload = SimpleUploadedFile("x.txt", b"Satu dokumen.")
    response = cast.client("admin").post(
        api(cast.project.pk, "documents/upload/"),
        {"file": upload, "format": "native"},
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["created"] == 1


def test_formats_are_documented_in_the_schema(cast):
    """The schema describes the list, with `import` and `export` nullable objects."""
    schema = cast.client("annotator").get("/api/schema/?format=json").json()
    assert "/api/formats/" in schema["paths"]
    fields = schema["components"]["schemas"]["Format"]["properties"]
    assert {"name", "title", "offset_unit", "offset_note", "export", "import"} <= set(fields)
