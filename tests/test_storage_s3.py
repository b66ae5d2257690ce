"""Files in an S3-compatible bucket (moto's real server, `tests/s3.py`): exports written by a
real worker in multipart parts, downloaded through the API after its permission check,
never public; a failed export leaves no object and no unfinished upload; the settings are
read strictly."""

from __future__ import annotations

import hashlib
import io
import json
import os
import random
import subprocess
import sys
import urllib.error
import urllib.request
import zipfile

import pytest
from django.core.management import call_command

from annotations.files import open_stored, stored_file
from annotations.models import Annotation, AnnotationStatus, Document, ExportJob, ExportStatus
from annotations.services import exports
from annotations.services.exports import export_request, export_run
from tests import s3 as s3_fixtures
from tests import test_exports_worker as worker_tests
from tests.conftest import api
from tests.s3 import PART_BYTES, REGION
from tests.test_exports_worker import REPO, celery_worker, wait_until_finished

# Fixtures shared with other modules, by assignment (pytest collects them from this module).
s3_server, s3 = s3_fixtures.s3_server, s3_fixtures.s3
broker, send_to_test_broker = worker_tests.broker, worker_tests.send_to_test_broker

WORDS = 12_000  # letters per document: 800 documents make a zip of about 6.2 MB


def random_corpus(cast, n: int, seed: int = 14) -> list[str]:
    """`n` gold documents of random letters (a zip cannot squeeze them much)."""
    rng = random.Random(seed)
    alphabet = "abcdefghijklmnopqrstuvwxyz "
    documents = Document.objects.bulk_create(
        Document(
            project=cast.project,
            external_id=f"r{i:04}",
            text=(text := "".join(rng.choices(alphabet, k=WORDS))),
            length=len(text),
        )
        for i in range(n)
    )
    Annotation.objects.bulk_create(
        Annotation(
            project=cast.project, document=d, is_gold=True, status=AnnotationStatus.SUBMITTED
        )
        for d in documents
    )
    return [d.text for d in documents]


def bucket_bytes(s3, key: str) -> bytes:
    return s3.client.get_object(Bucket=s3.bucket, Key=key)["Body"].read()


@pytest.mark.worker
def test_large_export_by_a_real_worker_goes_to_the_bucket_in_parts_and_downloads(
    cast, transactional_db, send_to_test_broker, broker, s3, settings, tmp_path
):
    """An 800-document export (about 6.2 MB zipped) requested through the API is written by a
    Celery worker process straight into the bucket as a multipart upload (two parts of at
    most 5 MiB: no process held the file), nothing lands on the local disk, and the API's
    download streams the same bytes, whose checksum the job states."""
    settings.MEDIA_ROOT = tmp_path / "data" / "media"
    texts = random_corpus(cast, 800)
    client = cast.client("reviewer")
    with celery_worker(tmp_path, "exports-s3", broker, **s3.env) as worker:
        response = client.post(api(cast.project.pk, "exports/"), {"format": "jsonl"}, format="json")
        assert response.status_code == 202
        job = wait_until_finished(
            client, response.json()["id"], 180, "the export to finish", worker.log_path
        )
    assert job["status"] == "succeeded", job["error"]
    assert job["row_count"] == 800 and job["size"] > 5_000_000

    key = f"exports/{cast.project.pk}/{job['id']}-1/{job['file_name']}"
    assert s3.keys() == [key] and s3.unfinished_uploads() == []
    head = s3.client.head_object(Bucket=s3.bucket, Key=key, PartNumber=1)
    assert head["PartsCount"] == 2 and head["ContentLength"] == PART_BYTES
    assert not (tmp_path / "data" / "media").exists()

    download = client.get(f"/api/exports/{job['id']}/download/")
    assert download.status_code == 200
    assert download["Content-Length"] == str(job["size"])
    data = b"".join(download.streaming_content)
    assert data == bucket_bytes(s3, key)
    assert hashlib.sha256(data).hexdigest() == job["sha256"] == download["X-Checksum-SHA256"]
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        records = [json.loads(line) for line in archive.read("documents.jsonl").splitlines()]
    assert [r["text"] for r in records] == texts


def test_only_readers_of_the_project_get_the_file_and_the_bucket_is_never_public(cast, s3):
    """Outsider 404, annotator 403, anonymous 403, reviewer 200 (the same bytes as the
    object); the object grants nothing beyond its owner, an unsigned GET of it is refused,
    and the bucket has no policy."""
    random_corpus(cast, 3)
    job = export_request(
        project=cast.project, requested_by=cast.admin, format="jsonl", enqueue=False
    )
    export_run(job.pk)
    job.refresh_from_db()
    assert job.status == ExportStatus.SUCCEEDED, job.error
    url = f"/api/exports/{job.pk}/download/"
    statuses = {who: cast.client(who).get(url).status_code for who in
                ("outsider", "annotator", None, "reviewer", "admin")}  # fmt: skip
    assert statuses == {"outsider": 404, "annotator": 403, None: 403, "reviewer": 200, "admin": 200}
    data = b"".join(cast.client("reviewer").get(url).streaming_content)
    assert data == bucket_bytes(s3, job.file.name)

    grants = s3.client.get_object_acl(Bucket=s3.bucket, Key=job.file.name)["Grants"]
    assert [g["Permission"] for g in grants] == ["FULL_CONTROL"]
    assert grants[0]["Grantee"]["Type"] == "CanonicalUser"
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{s3.endpoint}/{s3.bucket}/{job.file.name}", timeout=10)
    assert refused.value.code == 403
    with pytest.raises(s3.client.exceptions.ClientError, match="NoSuchBucketPolicy"):
        s3.client.get_bucket_policy(Bucket=s3.bucket)


def test_a_failed_export_leaves_no_object_and_no_unfinished_upload(cast, s3, monkeypatch):
    """A write that fails after its first part was sent aborts the multipart upload: the
    job says why and the bucket holds nothing, not even the parts."""
    random_corpus(cast, 1)

    def fails_midway(out, *args, **kwargs):
        out.write(os.urandom(PART_BYTES + 1000))  # one part sent, a little buffered
        raise RuntimeError("the writer broke")

    monkeypatch.setattr(exports, "write_package", fails_midway)
    job = export_request(
        project=cast.project, requested_by=cast.admin, format="jsonl", enqueue=False
    )
    export_run(job.pk)
    job.refresh_from_db()
    assert job.status == ExportStatus.FAILED and "the writer broke" in job.error
    assert s3.keys() == [] and s3.unfinished_uploads() == []


def test_an_unreachable_bucket_fails_the_export_in_plain_words(cast, s3, settings):
    """The storage's endpoint is down: the job fails saying the file storage did not take
    the file, and no row names a file."""
    random_corpus(cast, 2)
    options = {**settings.STORAGES["default"]["OPTIONS"], "endpoint_url": "http://127.0.0.1:9"}
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**settings.STORAGES["default"], "OPTIONS": options},
    }
    job = export_request(
        project=cast.project, requested_by=cast.admin, format="jsonl", enqueue=False
    )
    export_run(job.pk)
    job.refresh_from_db()
    assert job.status == ExportStatus.FAILED and not job.file
    assert job.error.startswith("The file storage (S3_BUCKET) did not take the export file")


def test_stored_file_sends_parts_of_the_configured_size(s3):
    """12 MiB written in 1 MiB writes: parts of 5, 5 and 2 MiB, and the object reads back
    whole through `open_stored` with the digest the writer computed."""
    payload = os.urandom(12 * 1024 * 1024)
    with stored_file("exports/x/big.bin") as out:
        for start in range(0, len(payload), 1 << 20):
            out.write(payload[start : start + (1 << 20)])
    assert out.name == "exports/x/big.bin" and out.size == len(payload)
    assert out.sha256 == hashlib.sha256(payload).hexdigest()
    head = s3.client.head_object(Bucket=s3.bucket, Key="exports/x/big.bin", PartNumber=3)
    assert head["PartsCount"] == 3 and head["ContentLength"] == 2 * 1024 * 1024
    with open_stored("exports/x/big.bin") as stream:
        assert stream.read() == payload


def test_export_dataset_command_copies_from_the_bucket(cast, s3, tmp_path):
    """`manage.py export_dataset` runs the export into the bucket and copies it out."""
    random_corpus(cast, 4)
    target = tmp_path / "out.zip"
    call_command(
        "export_dataset", str(cast.project.pk), "--format", "jsonl", "--output", str(target)
    )
    job = ExportJob.objects.get()
    assert target.read_bytes() == bucket_bytes(s3, job.file.name)


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"FILE_STORAGE": "s4"}, "FILE_STORAGE='s4': use one of filesystem, s3"),
        ({"FILE_STORAGE": "s3"}, "FILE_STORAGE=s3 needs S3_BUCKET"),
        ({"S3_ACCESS_KEY_ID": "only-the-id"}, "set both S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY"),
        ({"S3_ENDPOINT_URL": "minio:9000"}, "S3_ENDPOINT_URL='minio:9000' is not an http(s) URL"),
        ({"S3_ADDRESSING_STYLE": "dns"}, "S3_ADDRESSING_STYLE='dns': use one of auto, path"),
        ({"S3_PART_BYTES": "1000"}, "S3_PART_BYTES='1000' must be at least 5242880"),
    ],
)
def test_storage_settings_are_read_strictly(env, message, tmp_path):
    """A junk or incomplete storage setting stops the start with a sentence naming it."""
    base = {"FILE_STORAGE": "s3", "S3_BUCKET": "exports"} if "FILE_STORAGE" not in env else {}
    environment = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("S3_", "FILE_STORAGE"))},
        "DATA_DIR": str(tmp_path),
        **base,
        **env,
    }
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=REPO, env={**environment, "DJANGO_SETTINGS_MODULE": "workbench.settings"},
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode != 0 and message in result.stderr, result.stderr[-2000:]


def test_storage_settings_from_the_environment(tmp_path):
    """Bucket, endpoint, region, credentials, addressing style and prefix reach S3Storage;
    unset, files stay on the filesystem."""
    code = (
        "import django, json; django.setup(); from django.conf import settings; "
        "print(json.dumps(settings.STORAGES['default']))"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("S3_", "FILE_STORAGE"))}

    def storage(**env: str) -> dict:
        result = subprocess.run(
            [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=60,
            env={**clean, "DATA_DIR": str(tmp_path), **env},
        )  # fmt: skip
        assert result.returncode == 0, result.stderr[-2000:]
        return json.loads(result.stdout.strip().splitlines()[-1])

    assert storage() == {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    configured = storage(
        FILE_STORAGE="s3",
        S3_BUCKET="newsroom",
        S3_ENDPOINT_URL="https://s3.example.org",
        S3_REGION=REGION,
        S3_ACCESS_KEY_ID="id",
        S3_SECRET_ACCESS_KEY="secret",
        S3_ADDRESSING_STYLE="path",
        S3_PREFIX="/workbench/",
    )
    assert configured["BACKEND"] == "storages.backends.s3.S3Storage"
    options = configured["OPTIONS"]
    assert {k: options[k] for k in ("bucket_name", "endpoint_url", "region_name", "access_key",
            "secret_key", "addressing_style", "location", "default_acl")} == {
        "bucket_name": "newsroom", "endpoint_url": "https://s3.example.org",
        "region_name": REGION, "access_key": "id", "secret_key": "secret",
        "addressing_style": "path", "location": "workbench", "default_acl": None,
    }  # fmt: skip
