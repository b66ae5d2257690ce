"""Restores an archive written by `dump`: a project as a new project of this instance, or one
document back into its project.

All or nothing. The whole archive is checked before anything is written (the manifest, every
file's sha256 and row count, the schema it was written at, every table and column it names),
and the rows are then written in one transaction: a damaged, truncated or incompatible
archive stores nothing. Ids are this instance's own: every foreign key is mapped from the
archive's ids as the parent tables are written, so an archive loads beside other projects.
Offsets, versions, history and timestamps are kept as they were.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import IO, Any

from django.contrib.auth import get_user_model
from django.db import connection, models, transaction
from django.db.migrations.loader import MigrationLoader
from django.utils.translation import gettext as _

from annotations.errors import DomainError
from annotations.models import Document, Label, Project
from annotations.project_archive.dump import FORMAT, FORMAT_VERSION, MANIFEST, USERS
from annotations.project_archive.graph import APP, Table, tables
from annotations.services.work_state import recount

BATCH = 1000
# JSON columns that hold ids of other archived rows, mapped like foreign keys.
ID_LISTS: dict[tuple[str, str], type[models.Model]] = {
    ("annotations.exportjob", "documents"): Document,
}


class ArchiveRefused(DomainError):
    """The archive cannot be restored here: damaged, incomplete or from an unknown schema.
    Nothing was stored."""

    code = "archive_refused"


@dataclass
class LoadResult:
    project: Project
    document: Document | None = None
    rows: dict[str, int] = field(default_factory=dict)
    users_matched: list[str] = field(default_factory=list)
    users_created: list[str] = field(default_factory=list)


Ids = dict[type[models.Model], dict[Any, Any]]


def archive_read(source: IO[bytes], *, into: Project | None = None) -> LoadResult:
    """Restore the archive in `source` (a seekable binary file). A project archive becomes a
    new project; a document archive goes back into `into` (its own project by default)."""
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError) as error:
        message = _("This is not a project archive (not a readable zip: %s).")
        raise ArchiveRefused(message % error) from None
    with archive:
        manifest = _manifest(archive)
        _check_files(archive, manifest)
        _check_schema(manifest)
        root = manifest["root"]
        with transaction.atomic():
            return _restore(archive, manifest, root, into)


def _restore(
    archive: zipfile.ZipFile, manifest: dict[str, Any], root: dict[str, Any], into: Project | None
) -> LoadResult:
    ids: Ids = {}
    users, matched, created = _users(archive)
    target: Project | None = None
    if root["kind"] == "document":
        target = into or Project.objects.filter(pk=root["project"]).first()
        if target is None:
            raise ArchiveRefused(
                _("The document's project “%(name)s” no longer exists: restore the project first.")
                % {"name": root.get("project_name", "")}
            )
        ids[Project] = {root["project"]: target.pk}
        ids[Label] = _labels_of(target, manifest.get("labels") or {})
    rows: dict[str, int] = {}
    for table in tables():
        name = f"tables/{table.name}.jsonl"
        if name in manifest["files"]:
            rows[table.name] = _load_table(archive, name, table, ids, users)
    project_id = next(iter(ids[Project].values()))
    recount(project_id)
    project = Project.objects.get(pk=project_id)
    document = None
    if root["kind"] == "document":
        document = Document.objects.get(pk=ids[Document][root["id"]])
    return LoadResult(project, document, rows, matched, created)


def _manifest(archive: zipfile.ZipFile) -> dict[str, Any]:
    try:
        manifest = json.loads(archive.read(MANIFEST))
    except KeyError:
        raise ArchiveRefused(_("This is not a project archive: it has no manifest.json.")) from None
    except (ValueError, zipfile.BadZipFile) as error:
        raise ArchiveRefused(_("The archive's manifest.json is damaged: %s.") % error) from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise ArchiveRefused(_("This is not a project archive: its manifest names no such format."))
    if manifest.get("format_version") != FORMAT_VERSION:
        raise ArchiveRefused(
            _("The archive is format version %(got)s; this instance reads version %(want)s.")
            % {"got": manifest.get("format_version"), "want": FORMAT_VERSION}
        )
    return manifest


def _check_files(archive: zipfile.ZipFile, manifest: dict[str, Any]) -> None:
    """Every listed file present, with its sha256 and row count; nothing written yet."""
    for name, expected in manifest["files"].items():
        digest = hashlib.sha256()
        count = 0
        try:
            with archive.open(name) as member:
                for raw in member:
                    digest.update(raw)
                    count += 1
        except KeyError:
            raise ArchiveRefused(_("The archive is incomplete: %s is missing.") % name) from None
        except (zipfile.BadZipFile, OSError, EOFError) as error:
            message = _("The archive is damaged: %(name)s: %(error)s.")
            raise ArchiveRefused(message % {"name": name, "error": error}) from None
        if digest.hexdigest() != expected.get("sha256") or count != expected.get("rows"):
            raise ArchiveRefused(
                _("The archive is damaged: %s does not match its checksum.") % name
            )


def _check_schema(manifest: dict[str, Any]) -> None:
    """Refuse an archive written by a newer version (a migration this code has never seen);
    an older one loads, its missing columns taking their defaults."""
    written = (manifest.get("schema") or {}).get(APP)
    graph = MigrationLoader(connection, ignore_no_migrations=True).graph
    if (APP, written) not in graph.nodes:
        newest = max(name for _, name in graph.leaf_nodes(APP))
        raise ArchiveRefused(
            _(
                "The archive was written by a newer version of the workbench (schema "
                "%(written)s); this instance is at %(newest)s. Upgrade it, then load again."
            )
            % {"written": written, "newest": newest}
        )
    known = {f"tables/{t.name}.jsonl" for t in tables()} | {USERS}
    unknown = sorted(set(manifest["files"]) - known)
    if unknown:
        raise ArchiveRefused(
            _("The archive holds tables this instance does not know: %s.") % ", ".join(unknown)
        )


def _lines(archive: zipfile.ZipFile, name: str) -> Iterator[dict[str, Any]]:
    with archive.open(name) as member:
        for number, raw in enumerate(member, start=1):
            try:
                yield json.loads(raw)
            except ValueError:
                raise ArchiveRefused(
                    _("The archive is damaged: %(name)s, line %(line)d is not JSON.")
                    % {"name": name, "line": number}
                ) from None


def _users(archive: zipfile.ZipFile) -> tuple[dict[int, int], list[str], list[str]]:
    """Map each archived person to this instance's account of the same username, creating
    the missing ones without a password (an admin invites them or they use single sign-on)."""
    User = get_user_model()
    people = list(_lines(archive, USERS))
    existing = dict(
        User._base_manager.filter(username__in=[p["username"] for p in people]).values_list(
            "username", "pk"
        )
    )
    mapping: dict[int, int] = {}
    matched, created = [], []
    for person in people:
        pk = existing.get(person["username"])
        if pk is None:
            user = User(**{k: v for k, v in person.items() if k != "id"})
            user.set_unusable_password()
            user.save()
            pk = user.pk
            created.append(person["username"])
        else:
            matched.append(person["username"])
        mapping[person["id"]] = pk
    return mapping, matched, created


def _labels_of(project: Project, archived: dict[str, list[str]]) -> dict[int, int]:
    """A document goes back among the project's current labels: by id while the label still
    exists, else by kind and name (renamed back, or recreated); one deleted since is not
    guessed, and the load is refused naming it."""
    current = list(Label.objects.filter(project=project).values_list("pk", "kind", "name"))
    by_pk = {pk for pk, _, _ in current}
    by_name = {(kind, name): pk for pk, kind, name in current}
    mapping = {}
    for old, (kind, name) in archived.items():
        new = int(old) if int(old) in by_pk else by_name.get((kind, name))
        if new is not None:
            mapping[int(old)] = new
    return mapping


def _load_table(
    archive: zipfile.ZipFile, name: str, table: Table, ids: Ids, users: dict[int, int]
) -> int:
    model = table.model
    mapping = ids.setdefault(model, {})
    pk_field = model._meta.pk
    fields = {f.attname: f for f in model._meta.concrete_fields}
    stamped = [
        f.attname
        for f in model._meta.concrete_fields
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]
    deferred: list[tuple[models.Model, dict[str, Any]]] = []
    count = 0
    rows = _lines(archive, name)
    while batch := list(islice(rows, BATCH)):
        objects, olds, stamps = [], [], []
        for row in batch:
            unknown = set(row) - set(fields)
            if unknown:
                raise ArchiveRefused(
                    _("The archive is incompatible: %(table)s has unknown columns %(cols)s.")
                    % {"table": table.name, "cols": ", ".join(sorted(unknown))}
                )
            values, selfs = _mapped(row, table, fields, ids, users, archive_name=name)
            # An own id is this instance's to give; a primary key that is a foreign key
            # (one row per project) was mapped with the other keys.
            old_pk = row[pk_field.attname] if pk_field.is_relation else values.pop(pk_field.attname)
            objects.append(model(**values))
            olds.append(old_pk)
            stamps.append({column: values[column] for column in stamped if column in values})
            if selfs:  # only these are kept to the end of the table: memory follows them
                deferred.append((objects[-1], selfs))
        model._base_manager.bulk_create(objects)
        _restore_stamps(model, objects, stamps)
        for obj, old in zip(objects, olds, strict=True):
            mapping[old] = obj.pk
        count += len(objects)
    _restore_self_links(model, table, deferred, mapping)
    return count


def _mapped(
    row: dict[str, Any],
    table: Table,
    fields: dict[str, models.Field],
    ids: Ids,
    users: dict[int, int],
    *,
    archive_name: str,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The row's values for this instance: users and parents mapped, self links set aside."""
    values = {attname: fields[attname].to_python(value) for attname, value in row.items()}
    for fk in table.user_fks:
        if values.get(fk.attname) is not None:
            values[fk.attname] = users[values[fk.attname]]
    for fk in table.table_fks:
        old = values.get(fk.attname)
        if old is None:
            continue
        known = ids.get(fk.related_model, {})
        new = known.get(old)
        if new is None:
            raise ArchiveRefused(
                _(
                    "The archive cannot be restored here: %(file)s refers to %(model)s %(id)s, "
                    "which is neither in the archive nor in the project."
                )
                % {"file": archive_name, "model": fk.related_model._meta.verbose_name, "id": old}
            )
        values[fk.attname] = new
    for (label, column), target in ID_LISTS.items():
        if label == table.name and values.get(column) is not None:
            known = ids.get(target, {})
            values[column] = [known[v] for v in values[column] if v in known]
    selfs = {fk.attname: values.pop(fk.attname) for fk in table.self_fks if values.get(fk.attname)}
    return values, selfs


def _restore_stamps(
    model: type[models.Model], objects: list[models.Model], stamps: list[dict[str, Any]]
) -> None:
    """`auto_now` columns were set to now on insert: put the archived times back."""
    columns = sorted({column for stamp in stamps for column in stamp})
    if not columns:
        return
    for obj, stamp in zip(objects, stamps, strict=True):
        for column, value in stamp.items():
            setattr(obj, column, value)
    model._base_manager.bulk_update(objects, columns, batch_size=BATCH)


def _restore_self_links(
    model: type[models.Model],
    table: Table,
    deferred: list[tuple[models.Model, dict[str, Any]]],
    mapping: dict[Any, Any],
) -> None:
    """A reply's thread is a row of the same table: linked once every row has its id."""
    linked = []
    for obj, selfs in deferred:
        if selfs:
            for column, old in selfs.items():
                # a link to a row not archived (a running export) is left empty
                setattr(obj, column, mapping.get(old))
            linked.append(obj)
    if linked:
        model._base_manager.bulk_update(
            linked, [fk.attname for fk in table.self_fks], batch_size=BATCH
        )
