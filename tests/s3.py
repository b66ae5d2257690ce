"""A real S3-compatible server for the tests: moto's server mode, on a free port of this host.

`s3_server` starts it once per session (a thread of the test process, answering HTTP as any
S3 endpoint does); `s3` gives a test a bucket of its own and points the app's storage at it,
with `s3.env` for a worker or web process started by the test (the same variables a
deployment sets, so the settings are read as in production).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

ACCESS_KEY = "workbench-test-key"
SECRET_KEY = "workbench-test-secret"  # moto accepts any pair
REGION = "eu-west-1"
PART_BYTES = 5 * 1024 * 1024  # S3's smallest multipart part


@dataclass
class S3:
    endpoint: str
    bucket: str
    client: Any

    @property
    def env(self) -> dict[str, str]:
        return {
            "FILE_STORAGE": "s3",
            "S3_BUCKET": self.bucket,
            "S3_ENDPOINT_URL": self.endpoint,
            "S3_REGION": REGION,
            "S3_ACCESS_KEY_ID": ACCESS_KEY,
            "S3_SECRET_ACCESS_KEY": SECRET_KEY,
            "S3_ADDRESSING_STYLE": "path",
            "S3_PART_BYTES": str(PART_BYTES),
        }

    def keys(self) -> list[str]:
        listed = self.client.list_objects_v2(Bucket=self.bucket)
        return sorted(item["Key"] for item in listed.get("Contents", []))

    def unfinished_uploads(self) -> list[str]:
        listed = self.client.list_multipart_uploads(Bucket=self.bucket)
        return [upload["Key"] for upload in listed.get("Uploads", [])]


@pytest.fixture(scope="session")
def s3_server() -> Iterator[str]:
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


@pytest.fixture
def s3(s3_server, settings, monkeypatch) -> Iterator[S3]:
    """A fresh private bucket, and this process's default storage in it, configured from
    the same variables a deployment sets (read by the settings module's own reader)."""
    import boto3

    from workbench import settings as configured

    client = boto3.client(
        "s3",
        endpoint_url=s3_server,
        region_name=REGION,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
    )
    bucket = f"workbench-{uuid.uuid4().hex[:12]}"
    client.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": REGION})
    found = S3(s3_server, bucket, client)
    for name, value in found.env.items():
        monkeypatch.setenv(name, value)
    settings.FILE_STORAGE = "s3"
    settings.S3_PART_BYTES = PART_BYTES
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": configured._s3_options(),
        },
    }
    yield found
