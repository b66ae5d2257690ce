"""Writing and reading stored files (export zips, uploaded import files) in pieces.

The configured storage is the filesystem under DATA_DIR or an S3-compatible bucket
(`settings.FILE_STORAGE`, DECISIONS.md 54). Either way no process holds a whole file: a file
is written through `stored_file` (a temporary file saved once complete, or an S3 multipart
upload of `S3_PART_BYTES` parts, completed once complete and aborted otherwise) and read
through `open_stored` (the object's body as it arrives). Nothing here knows a local path, so
a worker and a web process on different machines share the files through the bucket.
"""

from __future__ import annotations

import hashlib
import io
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, Any

from django.conf import settings
from django.core.files import File
from django.core.files.storage import Storage, default_storage

CHUNK = 1 << 20


def is_s3(storage: Storage = default_storage) -> bool:
    """True when files go to an S3-compatible bucket (django-storages' S3Storage)."""
    # By name: the S3 backend (and boto3) is imported only when configured. `__class__`,
    # not type(): default_storage is a lazy object, whose __class__ is the backend's.
    return storage.__class__.__module__.startswith("storages.backends.s3")


def is_s3_error(exc: BaseException) -> bool:
    """An error of the bucket or the way to it (boto3's, botocore's, s3transfer's)."""
    return type(exc).__module__.startswith(("botocore", "boto3", "s3transfer"))


def is_storage_error(exc: BaseException) -> bool:
    """An error of the storage itself (a disk full or unwritable, a bucket away or
    refusing), not of the data being written."""
    return isinstance(exc, OSError) or is_s3_error(exc)


class StoredWriter(io.RawIOBase):
    """A write-only, unseekable stream that counts and hashes what passes through it.

    Unseekable on purpose: `zipfile` then writes data descriptors instead of seeking back
    to fill in each member's header, so a zip can go straight into a multipart upload."""

    def __init__(self, sink: Any) -> None:
        self._sink = sink
        self._digest = hashlib.sha256()
        self.size = 0
        self.name = ""  # the stored name, once the file is complete

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        view = memoryview(data).cast("B")
        self._sink.write(view)
        self._digest.update(view)
        self.size += len(view)
        return len(view)

    def tell(self) -> int:
        return self.size

    @property
    def sha256(self) -> str:
        return self._digest.hexdigest()


class _MultipartUpload:
    """One S3 object written part by part: at most one part (`part_bytes`) in memory."""

    def __init__(self, storage: Any, name: str, part_bytes: int, content_type: str) -> None:
        self._object = storage.bucket.Object(_s3_key(storage, name))
        self._content_type = content_type
        self._part_bytes = part_bytes
        self._buffer = bytearray()
        self._parts: list[dict[str, Any]] = []
        self._upload: Any = None

    def write(self, data: memoryview) -> None:
        self._buffer += data
        while len(self._buffer) >= self._part_bytes:
            self._send(bytes(self._buffer[: self._part_bytes]))
            del self._buffer[: self._part_bytes]

    def _send(self, body: bytes) -> None:
        if self._upload is None:
            self._upload = self._object.initiate_multipart_upload(ContentType=self._content_type)
        number = len(self._parts) + 1
        answer = self._upload.Part(number).upload(Body=body)
        self._parts.append({"ETag": answer["ETag"], "PartNumber": number})

    def complete(self) -> None:
        if self._upload is None:  # smaller than one part: one plain PUT
            self._object.put(Body=bytes(self._buffer), ContentType=self._content_type)
            return
        if self._buffer or not self._parts:
            self._send(bytes(self._buffer))
        self._buffer.clear()
        self._upload.complete(MultipartUpload={"Parts": self._parts})

    def abort(self) -> None:
        """Drop the parts sent so far (S3 keeps them, billed, until aborted)."""
        self._buffer.clear()
        if self._upload is not None:
            self._upload.abort()


def _s3_key(storage: Any, name: str) -> str:
    from storages.utils import clean_name

    # The key the storage itself would use for `name` (its `location` prefix, cleaned).
    return str(storage._normalize_name(clean_name(name)))


@contextmanager
def stored_file(
    name: str,
    *,
    content_type: str = "application/octet-stream",
    storage: Storage = default_storage,
) -> Iterator[StoredWriter]:
    """Write a file to storage as `name`: it exists there, whole, only if the block ends
    without an exception; `writer.name` is then the name it was stored under.

    Filesystem: a temporary file (where its disk fills up, the error is ENOSPC), saved
    under `name` at the end. S3: a multipart upload, so nothing touches the local disk;
    an object appears only when the upload completes, and a failed one is aborted."""
    if is_s3(storage):
        upload = _MultipartUpload(storage, name, settings.S3_PART_BYTES, content_type)
        writer = StoredWriter(upload)
        try:
            yield writer
            upload.complete()
        except BaseException:
            upload.abort()
            raise
        writer.name = name
        return
    with tempfile.TemporaryFile() as spool:
        writer = StoredWriter(spool)
        yield writer
        spool.seek(0)
        writer.name = storage.save(name, File(spool))


def open_stored(name: str, *, storage: Storage = default_storage) -> IO[bytes]:
    """A stored file to read from the start, in chunks: an S3 object's body streams as it
    is read (django-storages' own S3File would first copy the whole object into memory)."""
    if is_s3(storage):
        s3: Any = storage
        return s3.bucket.Object(_s3_key(s3, name)).get()["Body"]
    return storage.open(name, "rb")
