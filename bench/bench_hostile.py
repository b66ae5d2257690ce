"""Hostile uploads at the shipped limits: how fast each is refused and how much memory the
refusal costs, in-process through the full stack (multipart parsing, token auth, DRF, the
importer, the database named by DATABASE_URL).

    .venv/bin/python bench/bench_hostile.py [--tiny 3000000] [--bomb-mb 300]

Prints one line per case: status, seconds, and how far the process's peak resident memory
rose during the request (VmHWM from /proc, reset before each case through clear_refs; the
upload's own bytes are made before). Targets (issue 17): every case a 4xx, the resident peak a
small multiple of the limits, never of what the upload inflates to. The tiny-documents upload
is refused at the project's document quota: its time is that of importing up to the quota.
"""

import argparse
import io
import re
import time
import zipfile
from pathlib import Path

from _setup import client_for, setup_django

setup_django()

from django.conf import settings  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402

from annotations.models import Project  # noqa: E402
from annotations.services.projects import project_create  # noqa: E402

MB = 1024 * 1024


def bomb(inflated_mb: int) -> bytes:
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive,
        archive.open("bomb.txt", "w") as member,
    ):
        for _ in range(inflated_mb):
            member.write(b"0" * MB)
    return buffer.getvalue()


def _status_kb(field: str) -> int:
    text = Path("/proc/self/status").read_text()
    return int(re.search(rf"^{field}:\s+(\d+) kB", text, re.M).group(1))  # type: ignore[union-attr]


def measure(label: str, send) -> None:
    Path("/proc/self/clear_refs").write_text("5")  # VmHWM := VmRSS
    before = _status_kb("VmRSS")
    started = time.perf_counter()
    response = send()
    elapsed = time.perf_counter() - started
    rise = (_status_kb("VmHWM") - before) / 1024
    detail = response.json().get("detail", "") if response.status_code >= 400 else ""
    print(f"{label}: {response.status_code} in {elapsed:.2f} s, resident peak +{rise:.0f} MB")
    print(f"    {detail[:110]}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tiny", type=int, default=3_000_000)
    parser.add_argument("--bomb-mb", type=int, default=300)
    args = parser.parse_args()
    client, user = client_for("bench-hostile")
    Project.objects.filter(name="bench-hostile").delete()
    project = project_create(creator=user, name="bench-hostile")
    upload = f"/api/projects/{project.pk}/documents/upload/"
    print(
        f"limits: UPLOAD_MAX_BYTES={settings.UPLOAD_MAX_BYTES:,} "
        f"DOCUMENT_MAX_CHARS={settings.DOCUMENT_MAX_CHARS:,} "
        f"ARCHIVE_MAX_MEMBERS={settings.ARCHIVE_MAX_MEMBERS:,} "
        f"PROJECT_MAX_DOCUMENTS={settings.PROJECT_MAX_DOCUMENTS:,}"
    )

    tiny = b'{"text": "a"}\n' * args.tiny
    measure(
        f"{args.tiny:,} tiny documents as JSONL ({len(tiny) / MB:.0f} MB)",
        lambda: client.post(
            upload, {"file": SimpleUploadedFile("tiny.jsonl", tiny)}, format="multipart"
        ),
    )
    array = b"[" + b",".join([b'{"text":"a"}'] * args.tiny) + b"]"
    measure(
        f"{args.tiny:,} tiny documents as a JSON array ({len(array) / MB:.0f} MB)",
        lambda: client.generic(
            "POST", f"/api/projects/{project.pk}/documents/", array,
            content_type="application/json",
        ),
    )  # fmt: skip
    data = bomb(args.bomb_mb)
    measure(
        f"zip bomb {len(data) / 1024:.0f} KiB inflating to {args.bomb_mb} MB",
        lambda: client.post(
            upload, {"file": SimpleUploadedFile("bomb.zip", data)}, format="multipart"
        ),
    )
    print(f"documents stored: {project.documents.count()}")
    project.delete()


if __name__ == "__main__":
    main()
