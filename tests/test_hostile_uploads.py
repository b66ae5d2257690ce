"""Hostile uploads: archives are limited by what they inflate to, their member count and their
members' paths, checked as they stream; documents by length; projects and accounts by quotas.
Every archive here is built by the test, byte by byte where a header has to lie."""

import io
import json
import stat
import struct
import time
import tracemalloc
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from annotations.models import Document, Project
from annotations.services.documents import documents_upload
from tests.conftest import api, error_body

MB = 1024 * 1024


def _zip(members: dict[str, bytes] | None = None, *, infos=()) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in (members or {}).items():
            archive.writestr(name, data)
        for info, data in infos:
            archive.writestr(info, data)
    return buffer.getvalue()


def _bomb(inflated_mb: int, *, members: int = 1) -> bytes:
    """`members` members of zeros inflating to `inflated_mb` MB in all (ratio about 1000:1),
    written a megabyte at a time so the test never holds the inflated bytes."""
    buffer = io.BytesIO()
    zero = b"0" * MB
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for number in range(members):
            with archive.open(f"bomb-{number}.txt", "w") as member:
                for _ in range(inflated_mb // members):
                    member.write(zero)
    return buffer.getvalue()


def _upload(cast, name: str, content: bytes, who: str = "admin", **fields):
    file = SimpleUploadedFile(name, content)
    return cast.client(who).post(
        api(cast.project.pk, "documents/upload/"), {"file": file, **fields}, format="multipart"
    )


def _peak_import(cast, name: str, content: bytes) -> tuple[Exception | None, int]:
    """Run the upload service on `content` under tracemalloc: (the error, peak bytes)."""
    raw = io.BytesIO(content)
    tracemalloc.start()
    tracemalloc.reset_peak()
    error = None
    try:
        documents_upload(
            project=cast.project, raw=raw, name=name, format=None, offset_unit=None,
            actor=cast.admin,
        )  # fmt: skip
    except Exception as exc:
        error = exc
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return error, peak


def test_a_zip_bomb_is_refused_at_the_member_limit_with_bounded_memory(cast):
    """A 200 KB zip inflating to 200 MB (ratio ~1000:1) is refused with 413 once the member
    passes its limit; memory stays near the limit, not the bomb."""
    bomb = _bomb(200)
    assert len(bomb) < 400 * 1024
    response = _upload(cast, "bomb.zip", bomb)
    body = error_body(response, 413, "payload_too_large")
    assert body["errors"] == {"bomb-0.txt": ["inflates to over 4,000,000 bytes"]}
    assert body["detail"] == "bomb-0.txt: inflates to over 4,000,000 bytes"
    error, peak = _peak_import(cast, "bomb.zip", bomb)
    assert type(error).__name__ == "PayloadTooLarge"
    assert peak < 16 * MB, f"peak {peak / MB:.1f} MB"
    assert Document.objects.count() == 0


def test_many_members_under_the_member_limit_stop_at_the_archive_limit(cast, settings):
    """Members each under the per-member limit still may not inflate past the upload limit in
    all: refused with 413 at the limit, memory bounded by it."""
    settings.UPLOAD_MAX_BYTES = 12 * MB
    bomb = _bomb(30, members=10)  # ten 3 MB members
    response = _upload(cast, "bombs.zip", bomb)
    body = error_body(response, 413, "payload_too_large")
    assert body["errors"] == {"file": ["the archive inflates to over 12,582,912 bytes"]}
    error, peak = _peak_import(cast, "bombs.zip", bomb)
    assert type(error).__name__ == "PayloadTooLarge"
    assert peak < 40 * MB, f"peak {peak / MB:.1f} MB"
    assert Document.objects.count() == 0


def test_an_archive_with_too_many_members_is_refused_before_its_directory_is_parsed(cast, settings):
    """Over ARCHIVE_MAX_MEMBERS members: 413 from the end record's count, before zipfile makes
    an object per member."""
    settings.ARCHIVE_MAX_MEMBERS = 1000
    many = _zip({f"d{n}.txt": b"x" for n in range(5000)})
    body = error_body(_upload(cast, "many.zip", many), 413, "payload_too_large")
    assert "at most 1,000 are read" in body["errors"]["file"][0]
    error, peak = _peak_import(cast, "many.zip", many)
    assert type(error).__name__ == "PayloadTooLarge"
    assert peak < 4 * MB, f"peak {peak / MB:.1f} MB"  # 5,000 ZipInfo objects would not fit


def _understate_members(data: bytes, members: int) -> bytes:
    """The zip with its end record claiming `members` entries (the directory is unchanged)."""
    at = data.rindex(b"PK\x05\x06")
    fields = list(struct.unpack_from("<4s4H2LH", data, at))
    fields[3] = fields[4] = members
    return data[:at] + struct.pack("<4s4H2LH", *fields) + data[at + 22 :]


def test_an_end_record_that_understates_the_members_is_not_trusted(cast, settings):
    """A zip whose end record claims 10 members while its directory holds 5,000 is counted by
    its directory entries: 413."""
    settings.ARCHIVE_MAX_MEMBERS = 1000
    lying = _understate_members(_zip({f"d{n}.txt": b"x" for n in range(5000)}), 10)
    body = error_body(_upload(cast, "lying.zip", lying), 413, "payload_too_large")
    assert "5,000 members" in body["errors"]["file"][0]


def _with_file_size(data: bytes, name: str, size: int) -> bytes:
    """The zip with `name`'s uncompressed size in its local and central headers set to
    `size` (a header that lies about what the member inflates to)."""
    out = bytearray(data)
    encoded = name.encode()
    for signature, size_at, name_at in ((b"PK\x03\x04", 22, 30), (b"PK\x01\x02", 24, 46)):
        start = 0
        while (at := out.find(signature, start)) >= 0:
            if out[at + name_at : at + name_at + len(encoded)] == encoded:
                struct.pack_into("<L", out, at + size_at, size)
            start = at + 4
    return bytes(out)


def test_a_header_that_understates_the_inflated_size_is_not_trusted(cast):
    """A member whose headers claim 10 bytes but whose data inflates to 50 MB is read only as
    far as the claim, then refused as damaged (its checksum fails); nothing is stored."""
    lying = _with_file_size(_bomb(50), "bomb-0.txt", 10)
    body = error_body(_upload(cast, "lying.zip", lying), 400, "import_failed")
    assert "damaged member 'bomb-0.txt'" in body["detail"]
    assert Document.objects.count() == 0


def test_a_header_that_overstates_the_size_changes_nothing(cast):
    """A member claiming 4 GB that holds a short text imports as the short text: the claim is
    never used to allocate."""
    data = _with_file_size(_zip({"short.txt": b"Teks pendek.", "short.ann": b""}), "short.txt",
                           0xFFFFFFF0)  # fmt: skip
    response = _upload(cast, "short.zip", data)
    assert response.status_code in (201, 400), response.content
    if response.status_code == 400:  # zipfile notices the short data: damaged, nothing stored
        assert "damaged member" in response.json()["detail"]
        assert Document.objects.count() == 0
    else:
        assert Document.objects.get().text == "Teks pendek."


def _info(name: str, **attributes) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    for key, value in attributes.items():
        setattr(info, key, value)
    return info


@pytest.mark.parametrize(
    ("member", "what"),
    [
        (_info("../escape.txt"), "a path with '..'"),
        (_info("docs/../../escape.txt"), "a path with '..'"),
        (_info("..\\escape.txt"), "a path with '..'"),
        (_info("/etc/passwd.txt"), "an absolute path"),
        (_info("C:\\Windows\\win.txt"), "an absolute path"),
        (
            _info("link.txt", create_system=3, external_attr=(stat.S_IFLNK | 0o777) << 16),
            "a symbolic link",
        ),
    ],
    ids=["dotdot", "nested-dotdot", "backslash-dotdot", "absolute", "drive", "symlink"],
)
def test_unsafe_member_paths_are_refused(cast, member, what):
    """`..`, absolute paths (POSIX and Windows) and symbolic links: a 400 naming the member,
    and nothing stored (even the safe members beside it)."""
    data = _zip({"fine.txt": b"Baik.", "fine.ann": b""}, infos=[(member, b"Teks.")])
    body = error_body(_upload(cast, "unsafe.zip", data), 400, "import_failed")
    assert body["errors"] == {"file": [f"member {member.filename!r} is {what}; nothing was read"]}
    assert Document.objects.count() == 0


def _encrypted(data: bytes, name: str) -> bytes:
    """The zip with `name` flagged as encrypted in its local and central headers."""
    out = bytearray(data)
    encoded = name.encode()
    for signature, flags_at, name_at in ((b"PK\x03\x04", 6, 30), (b"PK\x01\x02", 8, 46)):
        at = out.find(signature)
        while at >= 0:
            if out[at + name_at : at + name_at + len(encoded)] == encoded:
                out[at + flags_at] |= 0x1
            at = out.find(signature, at + 4)
    return bytes(out)


def test_an_encrypted_member_is_refused(cast):
    """zipfile would ask for a password (a RuntimeError, a 500): refused as unreadable."""
    data = _encrypted(_zip({"fine.txt": b"Baik.", "secret.txt": b"Rahasia."}), "secret.txt")
    body = error_body(_upload(cast, "secret.zip", data), 400, "import_failed")
    assert body["errors"] == {"file": ["member 'secret.txt' is encrypted; nothing was read"]}


def test_a_safe_brat_zip_still_imports(cast):
    """The limits leave an ordinary brat zip alone."""
    data = _zip(
        {"a.txt": b"Jens Stoltenberg berkata.", "a.ann": b"T1\tPER 0 16\tJens Stoltenberg\n"}
    )
    response = _upload(cast, "brat.zip", data)
    assert response.status_code == 201, response.content
    assert Document.objects.get().text == "Jens Stoltenberg berkata."


def test_a_document_longer_than_the_limit_is_refused_in_every_way_in(cast, settings):
    """DOCUMENT_MAX_CHARS holds for a .txt, a JSONL line, a brat member, a JSON body and a
    PATCH of the text: 413 naming where, nothing stored."""
    settings.DOCUMENT_MAX_CHARS = 1000
    long = "a" * 1001
    cases = [
        ("long.txt", long.encode(), "lines.1.text"),
        ("long.jsonl", f'{{"text": "ok"}}\n{{"text": "{long}"}}\n'.encode(), "lines.2.text"),
        ("long.zip", _zip({"a.txt": b"ok", "b.txt": long.encode()}), "lines.2.text"),
    ]
    for name, content, where in cases:
        body = error_body(_upload(cast, name, content), 413, "payload_too_large")
        assert list(body["errors"]) == [where], name
        assert "over the 1,000-character limit" in body["detail"]
    admin = cast.client("admin")
    response = admin.post(api(cast.project.pk, "documents/"), {"text": long}, format="json")
    assert list(error_body(response, 413, "payload_too_large")["errors"]) == ["text"]
    document = Document.objects.create(project=cast.project, text="ok", external_id="d", length=2)
    response = admin.patch(
        api(cast.project.pk, f"documents/{document.pk}/"), {"text": long}, format="json"
    )
    assert list(error_body(response, 413, "payload_too_large")["errors"]) == ["text"]
    assert Document.objects.count() == 1


def test_millions_of_tiny_documents_are_refused_at_the_quota_without_reading_on(cast, settings):
    """3 million one-letter documents (42 MB of JSONL): 413 at the project's quota, after
    reading little more than the quota's worth of lines; nothing stored, memory bounded."""
    settings.PROJECT_MAX_DOCUMENTS = 1000
    Document.objects.create(project=cast.project, text="Sudah ada.", external_id="old", length=10)
    tiny = b'{"text": "a"}\n' * 3_000_000
    raw = io.BytesIO(tiny)
    started = time.perf_counter()
    tracemalloc.start()
    try:
        with pytest.raises(Exception) as caught:
            documents_upload(
                project=cast.project, raw=raw, name="tiny.jsonl", format=None, offset_unit=None,
                actor=cast.admin,
            )  # fmt: skip
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    elapsed = time.perf_counter() - started
    error = caught.value
    assert type(error).__name__ == "PayloadTooLarge"
    assert error.errors == {
        "lines.1000": ["the project would pass its quota of 1,000 documents (it has 1); "
                       "nothing was imported"]
    }  # fmt: skip
    assert raw.tell() < len(tiny) // 100, "read on past the quota"
    assert peak < 16 * MB, f"peak {peak / MB:.1f} MB"
    assert elapsed < 10, f"{elapsed:.1f} s"
    assert Document.objects.count() == 1


def test_the_quota_answer_through_the_api(cast, settings):
    """The same refusal through the upload endpoint and a JSON array: 413 naming the record
    past the quota."""
    settings.PROJECT_MAX_DOCUMENTS = 3
    client = cast.client("admin")
    body = error_body(_upload(cast, "four.jsonl", b'{"text": "a"}\n' * 4), 413,
                      "payload_too_large")  # fmt: skip
    assert list(body["errors"]) == ["lines.4"]
    assert body["detail"].startswith("line 4: the project would pass its quota of 3 documents")
    response = client.post(api(cast.project.pk, "documents/"), [{"text": "a"}] * 4, format="json")
    assert list(error_body(response, 413, "payload_too_large")["errors"]) == ["3"]
    assert Document.objects.count() == 0
    response = client.post(api(cast.project.pk, "documents/"), [{"text": "a"}] * 3, format="json")
    assert response.status_code == 201


def test_a_json_body_of_millions_of_objects_is_refused_before_it_is_parsed(cast):
    """3 million tiny documents as one JSON array (39 MB): 413 before parsing (parsed, they
    would take gigabytes)."""
    body = b"[" + b",".join([b'{"text":"a"}'] * 3_000_000) + b"]"
    started = time.perf_counter()
    response = cast.client("admin").generic(
        "POST", api(cast.project.pk, "documents/"), body, content_type="application/json"
    )
    elapsed = time.perf_counter() - started
    detail = error_body(response, 413, "payload_too_large")["detail"]
    assert "over 200,000 objects and arrays" in detail
    assert elapsed < 5, f"{elapsed:.1f} s"
    assert Document.objects.count() == 0


def test_a_json_body_over_the_upload_limit_is_refused_unread(cast, settings):
    """A JSON body past UPLOAD_MAX_BYTES is refused with 413, even on the token endpoint that
    anyone may call."""
    settings.UPLOAD_MAX_BYTES = 1000
    big = json.dumps({"username": "x" * 2000, "password": "y"})
    response = cast.client(None).generic(
        "POST", "/api/auth/token/", big, content_type="application/json"
    )
    assert "over the 1,000-byte limit" in error_body(response, 413, "payload_too_large")["detail"]


def test_a_file_is_stopped_as_it_arrives_past_the_limit_on_any_endpoint(cast, settings):
    """Any endpoint parses multipart bodies; a file in one is stopped at UPLOAD_MAX_BYTES as
    it streams in (Django keeps no limit on files), not written to disk whole: 413."""
    settings.UPLOAD_MAX_BYTES = 10_000
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10**9  # only the files' own limit is at work
    file = SimpleUploadedFile("big.txt", b"a" * 20_000)
    response = cast.client("admin").post(
        api(cast.project.pk, "documents/"), {"text": "x", "file": file}, format="multipart"
    )
    detail = error_body(response, 413, "payload_too_large")["detail"]
    assert "big.txt is over the 10,000-byte limit" in detail


def test_an_account_may_create_projects_up_to_its_quota(cast, settings):
    """USER_MAX_PROJECTS: one more project is a 400 that says why; superusers are not
    limited; deleting one frees a place."""
    settings.USER_MAX_PROJECTS = 2
    client = cast.client("teammate")
    for name in ("One", "Two"):
        assert client.post("/api/projects/", {"name": name}, format="json").status_code == 201
    response = client.post("/api/projects/", {"name": "Three"}, format="json")
    body = error_body(response, 400, "invalid")
    assert body["errors"] == {
        "non_field_errors": [
            "you have created 2 projects, the most one account may; delete one or ask an "
            "administrator"
        ]
    }
    Project.objects.filter(created_by=cast.teammate, name="One").delete()
    assert client.post("/api/projects/", {"name": "Three"}, format="json").status_code == 201
    cast.teammate.is_superuser = True
    cast.teammate.save()
    assert client.post("/api/projects/", {"name": "Four"}, format="json").status_code == 201
