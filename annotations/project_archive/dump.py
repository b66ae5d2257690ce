"""Writes one archive of a project (or of one document) with everything needed to restore it.

The archive is a zip: `manifest.json` (format, the schema it was written at, the root, and a
sha256 and row count per file) and one JSON-lines file per table, rows in primary-key order,
every concrete column by its attribute name (foreign keys as the ids of this instance; the
loader maps them). People are written once, in `users.jsonl`, by username: an instance
restoring the archive matches them to its own accounts. Rows are streamed table by table, so
memory stays bounded by a batch, not by the project.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import IO, Any
from uuid import UUID

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.models import Q
from django.utils import timezone

from annotations.models import Document, ExportStatus, Project
from annotations.project_archive.graph import APP, Table, tables

FORMAT = "workbench.project-archive"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
USERS = "users.jsonl"
USER_FIELDS = ("id", "username", "email", "first_name", "last_name", "is_active")
BATCH = 2000

# Rows a restore must not bring back as they were: an export that was queued or running has
# no worker behind it on the other side (it would run again, or look stuck forever).
_DONE = [ExportStatus.SUCCEEDED, ExportStatus.FAILED]
ROW_FILTERS: dict[str, Q] = {
    "annotations.exportjob": Q(status__in=_DONE),
    # a running export's manifest rows and diffs go with it
    "annotations.exportentry": Q(export__status__in=_DONE),
    "annotations.exportdiff": Q(export__status__in=_DONE, against__status__in=_DONE),
}


def _json_default(value: Any) -> Any:
    # Full precision: DjangoJSONEncoder cuts datetimes to milliseconds, and history order
    # and "what changed since" compare microseconds.
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal | UUID):
        return str(value)
    raise TypeError(f"cannot archive a {type(value).__name__}")


def line(row: dict[str, Any]) -> bytes:
    return (json.dumps(row, default=_json_default, ensure_ascii=False) + "\n").encode()


def schema_leaf() -> str:
    """The newest migration of the app this instance's code has, e.g. `0017_trash`."""
    leaves = MigrationLoader(connection, ignore_no_migrations=True).graph.leaf_nodes(APP)
    return max(name for _, name in leaves)


@dataclass
class DumpResult:
    rows: dict[str, int] = field(default_factory=dict)
    users: int = 0


def archive_write(
    out: IO[bytes], *, project: Project, document: Document | None = None
) -> DumpResult:
    """Write the archive of `project`, or of only `document` of it, to the binary file `out`."""
    result = DumpResult()
    files: dict[str, dict[str, Any]] = {}
    user_ids: set[int] = set()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for table in tables():
            if document is not None and table.document_path is None:
                continue
            name = f"tables/{table.name}.jsonl"
            rows = _rows(table, project=project, document=document, users=user_ids)
            files[name] = _write_member(archive, name, rows)
            result.rows[table.name] = files[name]["rows"]
        files[USERS] = _write_member(archive, USERS, _users(user_ids))
        result.users = files[USERS]["rows"]
        manifest: dict[str, Any] = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "schema": {APP: schema_leaf()},
            "created_at": timezone.now().isoformat(),
            "root": _root(project, document),
            "files": files,
        }
        if document is not None:
            # The labels stay with the project: the loader finds them again by id or name.
            labels = project.labels.values_list("pk", "kind", "name")
            manifest["labels"] = {pk: [kind, name] for pk, kind, name in labels}
        archive.writestr(MANIFEST, json.dumps(manifest, indent=2, ensure_ascii=False))
    return result


def _root(project: Project, document: Document | None) -> dict[str, Any]:
    if document is None:
        return {"kind": "project", "id": project.pk, "name": project.name}
    return {
        "kind": "document",
        "id": document.pk,
        "external_id": document.external_id,
        "project": project.pk,
        "project_name": project.name,
    }


def _write_member(
    archive: zipfile.ZipFile, name: str, rows: Iterator[dict[str, Any]]
) -> dict[str, Any]:
    digest = hashlib.sha256()
    count = 0
    with archive.open(name, "w", force_zip64=True) as member:
        for row in rows:
            data = line(row)
            digest.update(data)
            member.write(data)
            count += 1
    return {"sha256": digest.hexdigest(), "rows": count}


def _rows(
    table: Table, *, project: Project, document: Document | None, users: set[int]
) -> Iterator[dict[str, Any]]:
    columns = [f.attname for f in table.model._meta.concrete_fields]
    user_columns = [f.attname for f in table.user_fks]
    if document is not None:
        assert table.document_path is not None
        rows = table.model._base_manager.filter(**{table.document_path: document.pk})
    else:
        rows = table.model._base_manager.filter(**{table.project_path: project.pk})
    if table.name in ROW_FILTERS:
        rows = rows.filter(ROW_FILTERS[table.name])
    for row in rows.order_by("pk").values(*columns).iterator(chunk_size=BATCH):
        for column in user_columns:
            if row[column] is not None:
                users.add(row[column])
        yield row


def _users(ids: set[int]) -> Iterator[dict[str, Any]]:
    people = get_user_model()._base_manager.filter(pk__in=ids).order_by("pk")
    yield from people.values(*USER_FIELDS).iterator(chunk_size=BATCH)
