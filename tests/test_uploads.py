"""Uploaded import files are kept in the file storage (the filesystem, or the bucket of
moto's real server), listed and downloaded by project admins only; a failed import keeps
nothing; a storage that is away refuses the upload with a 503 and imports nothing."""

from __future__ import annotations

import hashlib
import json

from django.core.files.uploadedfile import SimpleUploadedFile

from annotations.models import Document, Upload
from tests import s3 as s3_fixtures
from tests.conftest import api, error_body

s3_server, s3 = s3_fixtures.s3_server, s3_fixtures.s3

LINES = "\n".join(
    json.dumps({"external_id": f"u{i}", "text": f"Berita nomor {i} dari Jakarta."})
    for i in range(3)
).encode()


def upload(client, project_id: int, data: bytes = LINES, name: str = "berita.jsonl"):
    file = SimpleUploadedFile(name, data, "application/octet-stream")
    return client.post(api(project_id, "documents/upload/"), {"file": file}, format="multipart")


def test_an_imported_file_is_kept_listed_and_downloads_as_sent(cast, settings):
    """The file of an import that stored documents is kept under uploads/ with its size,
    checksum, format, uploader and document count; the list shows it and the download
    gives the very bytes."""
    admin = cast.client("admin")
    assert upload(admin, cast.project.pk).status_code == 201
    listed = admin.get(api(cast.project.pk, "uploads/")).json()
    assert listed["count"] == 1
    [row] = listed["results"]
    assert {
        k: row[k] for k in ("name", "format", "size", "sha256", "documents", "uploaded_by")
    } == {
        "name": "berita.jsonl",
        "format": "jsonl",
        "size": len(LINES),
        "sha256": hashlib.sha256(LINES).hexdigest(),
        "documents": 3,
        "uploaded_by": "adam",
    }
    stored = Upload.objects.get()
    assert stored.file.name.startswith(f"uploads/{cast.project.pk}/")
    assert (settings.MEDIA_ROOT / stored.file.name).read_bytes() == LINES
    download = admin.get(row["download_url"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == LINES
    assert download["X-Checksum-SHA256"] == row["sha256"]
    assert 'filename="berita.jsonl"' in download["Content-Disposition"]


def test_a_refused_import_keeps_no_file(cast, settings):
    """A file with a bad line imports nothing and keeps nothing: no row, no file."""
    bad = LINES + b'\n{"external_id": "u9"}'
    response = upload(cast.client("admin"), cast.project.pk, bad)
    error_body(response, 400, "import_failed")
    assert not Upload.objects.exists() and not Document.objects.exists()
    assert not [p for p in (settings.MEDIA_ROOT / "uploads").rglob("*") if p.is_file()]


def test_the_list_is_one_query_a_page(cast, django_assert_num_queries):
    """The uploads list: the count and one page with the uploaders joined, whatever the
    number of uploads (plus the caller's membership)."""
    admin = cast.client("admin")
    for n in range(3):
        assert (
            upload(admin, cast.project.pk, LINES.replace(b'"u', f'"{n}u'.encode())).status_code
            == 201
        )
    # 1 the caller's membership and role, 2 the count, 3 the page with the uploaders
    with django_assert_num_queries(3):
        assert admin.get(api(cast.project.pk, "uploads/")).json()["count"] == 3


def test_an_upload_goes_to_the_bucket_and_only_admins_get_it(cast, s3):
    """With FILE_STORAGE=s3 the kept file is an object in the bucket (private: its ACL
    names only the owner); admins download it through the API, a reviewer gets 403 and
    an outsider 404."""
    admin = cast.client("admin")
    assert upload(admin, cast.project.pk).status_code == 201
    stored = Upload.objects.get()
    assert s3.keys() == [stored.file.name]
    body = s3.client.get_object(Bucket=s3.bucket, Key=stored.file.name)["Body"].read()
    assert body == LINES
    grants = s3.client.get_object_acl(Bucket=s3.bucket, Key=stored.file.name)["Grants"]
    assert [g["Permission"] for g in grants] == ["FULL_CONTROL"]
    url = f"/api/uploads/{stored.pk}/download/"
    assert b"".join(admin.get(url).streaming_content) == LINES
    assert cast.client("reviewer").get(url).status_code == 403
    assert cast.client("outsider").get(url).status_code == 404


def test_a_bucket_that_is_away_refuses_the_upload_and_imports_nothing(cast, s3, settings):
    """The storage cannot take the file: 503 `unavailable`, in words, and no document,
    no row."""
    default = settings.STORAGES["default"]
    options = {**default["OPTIONS"], "endpoint_url": "http://127.0.0.1:9"}
    settings.STORAGES = {**settings.STORAGES, "default": {**default, "OPTIONS": options}}
    response = upload(cast.client("admin"), cast.project.pk)
    body = error_body(response, 503, "unavailable")
    assert body["detail"].startswith("The file storage is unavailable for a moment.")
    assert not Upload.objects.exists() and not Document.objects.exists()
