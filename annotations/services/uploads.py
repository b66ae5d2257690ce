"""Uploaded import files, kept in the file storage beside what they imported.

The file is stored before a reader sees it (a reader may consume or close the upload) under a
folder of its own, and removed again if the import stores nothing; the `Upload` row is written
in the import's transaction, so a kept file and its documents come and go together.
"""

from __future__ import annotations

import logging
import uuid
from pathlib import PurePath
from typing import IO

from django.contrib.auth.models import User
from django.core.files.storage import default_storage
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from annotations.errors import StorageUnavailable
from annotations.files import CHUNK, StoredWriter, is_storage_error, stored_file
from annotations.models import Project, Upload

log = logging.getLogger(__name__)


def upload_store(*, project: Project, raw: IO[bytes], name: str) -> StoredWriter:
    """Copy the upload into storage as `uploads/<project>/<random>/<name>`, then rewind it.
    A storage that is away or full is a 503: nothing is imported."""
    try:
        safe = get_valid_filename(PurePath(name).name)
    except Exception:  # Django refuses names that clean to nothing ("..", "")
        safe = "upload"
    raw.seek(0)
    try:
        with stored_file(f"uploads/{project.pk}/{uuid.uuid4().hex}/{safe}") as out:
            while chunk := raw.read(CHUNK):
                out.write(chunk)
    except Exception as exc:
        if not is_storage_error(exc):
            raise
        log.warning("upload %r: the file storage did not take it: %s", name, exc)
        message = _(
            "The file storage is unavailable for a moment. Nothing was imported; try again shortly."
        )
        raise StorageUnavailable(message) from exc
    raw.seek(0)
    return out


def upload_record(
    *, project: Project, actor: User, name: str, format: str, kept: StoredWriter, documents: int
) -> Upload:
    return Upload.objects.create(
        project=project,
        uploaded_by=actor,
        name=name[:255],
        format=format,
        size=kept.size,
        sha256=kept.sha256,
        documents=documents,
        file=kept.name,
    )


def upload_discard(kept: StoredWriter) -> None:
    """Remove a kept file whose import stored nothing. Never raises: the import's own error
    is the one to answer with."""
    try:
        default_storage.delete(kept.name)
    except Exception:
        log.warning("could not remove %s", kept.name, exc_info=True)
