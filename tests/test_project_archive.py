"""`project_dump` / `project_load`: one archive with everything of a project, restored on
another instance (a fresh database) with the same offsets, versions and history; a damaged
or incompatible archive is refused and stores nothing."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from annotations.models import Annotation, Document, ExportEntry, ExportStatus, Project, Span
from annotations.project_archive.graph import unplaced
from tests.project_world import busy_project, snapshot

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def busy(cast):
    return busy_project(cast)


def _forget(project: Project) -> None:
    """As if the archive went to another instance: the project and its people are gone."""
    people = list(project.memberships.values_list("user_id", flat=True))
    Annotation.objects.filter(project=project).delete()
    project.delete()
    get_user_model().objects.filter(pk__in=people).exclude(memberships__isnull=False).delete()


def test_every_table_is_archived_or_left_out_on_purpose(db):
    """A new model reaching a project is archived; one that cannot is named as left out."""
    assert unplaced() == []


def test_dump_then_load_restores_the_project_as_it_was(cast, busy, tmp_path):
    """Everything comes back: documents, every annotation version with its history and
    timestamps, gold, comments with their thread, assignments, members and their roles,
    labels; the running export is not brought back as running."""
    before = snapshot(cast.project)
    archive = tmp_path / "tribun.zip"
    out = io.StringIO()
    call_command("project_dump", cast.project.pk, output=str(archive), stdout=out)
    assert "rows" in out.getvalue()
    _forget(cast.project)
    assert not get_user_model().objects.filter(username="bob").exists()

    out = io.StringIO()
    call_command("project_load", str(archive), stdout=out)
    restored = Project.objects.get(name="Tribun")
    after = snapshot(restored)
    before["exports"] = [e for e in before["exports"] if e[1] != ExportStatus.RUNNING]
    assert after == before
    # the finished export's manifest came back with it; the running one's did not
    assert ExportEntry.objects.filter(export__project=restored).count() == 1
    assert "created without a password: " in out.getvalue()
    bob = get_user_model().objects.get(username="bob")
    assert not bob.has_usable_password()
    # The text holds astral characters (a flag); the stored code-point offsets still slice it.
    quote = Span.objects.get(
        annotation__project=restored, annotation__is_gold=True, label__name="QUOTE"
    )
    assert (
        Document.objects.get(pk=quote.annotation.document_id).text[quote.start : quote.end]
        == "Kami siap"
    )


def test_load_beside_the_original_gets_new_ids_and_keeps_accounts(cast, busy, tmp_path):
    """Loaded on the same instance, the archive becomes a second project; people are matched
    to the existing accounts by username, none is created."""
    archive = tmp_path / "tribun.zip"
    call_command("project_dump", cast.project.pk, output=str(archive), stdout=io.StringIO())
    users = get_user_model().objects.count()
    out = io.StringIO()
    call_command("project_load", str(archive), stdout=out)
    copy = Project.objects.exclude(pk=cast.project.pk).get(name="Tribun")
    assert get_user_model().objects.count() == users
    assert snapshot(copy)["documents"] == snapshot(cast.project)["documents"]
    assert set(copy.documents.values_list("pk", flat=True)).isdisjoint(
        cast.project.documents.values_list("pk", flat=True)
    )
    assert "created without a password: none" in out.getvalue()


def _rewrite(archive: Path, target: Path, change) -> None:
    """Copy the archive, letting `change(name, data) -> data` edit each member."""
    with zipfile.ZipFile(archive) as src, zipfile.ZipFile(target, "w") as dst:
        for info in src.infolist():
            dst.writestr(info.filename, change(info.filename, src.read(info.filename)))


def _count() -> tuple[int, int, int]:
    return (Project.objects.count(), Document.objects.count(), Span.objects.count())


def _refused(path: Path, message: str) -> None:
    before = _count()
    with pytest.raises(CommandError) as refused:
        call_command("project_load", str(path), stdout=io.StringIO())
    assert message in str(refused.value), str(refused.value)
    assert "Nothing was stored" in str(refused.value)
    assert _count() == before


@pytest.fixture
def archive(cast, busy, tmp_path) -> Path:
    path = tmp_path / "tribun.zip"
    call_command("project_dump", cast.project.pk, output=str(path), stdout=io.StringIO())
    return path


def test_a_damaged_file_is_refused(archive, tmp_path):
    """One changed byte in a table: refused by its checksum, nothing stored."""
    broken = tmp_path / "broken.zip"

    def flip(name, data):
        return (
            data.replace(b"Kami", b"Kamu") if name == "tables/annotations.document.jsonl" else data
        )

    _rewrite(archive, broken, flip)
    _refused(broken, "annotations.document.jsonl does not match its checksum")


def test_a_truncated_archive_is_refused(archive, tmp_path):
    cut = tmp_path / "cut.zip"
    cut.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    _refused(cut, "not a readable zip")


def test_an_archive_from_a_newer_version_is_refused(archive, tmp_path):
    """A schema this code has never seen: refused, naming both schemas."""
    newer = tmp_path / "newer.zip"

    def future(name, data):
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        manifest["schema"]["annotations"] = "9999_from_the_future"
        return json.dumps(manifest).encode()

    _rewrite(archive, newer, future)
    _refused(newer, "9999_from_the_future")


def test_an_unknown_column_is_refused_midway_and_nothing_stays(archive, tmp_path):
    """A column this instance lacks, in a table loaded after others: the whole load rolls
    back (projects and documents were already inserted when it was found)."""
    odd = tmp_path / "odd.zip"
    edited = {}

    def extra(name, data):
        if name == "tables/annotations.span.jsonl":
            rows = [json.loads(line) | {"colour": "red"} for line in data.splitlines()]
            data = b"".join(json.dumps(r).encode() + b"\n" for r in rows)
            edited[name] = data
        if name == "manifest.json":
            return data  # rewritten below, once the table's new checksum is known
        return data

    _rewrite(archive, odd, extra)
    import hashlib

    with zipfile.ZipFile(odd) as src:
        members = {info.filename: src.read(info.filename) for info in src.infolist()}
    manifest = json.loads(members["manifest.json"])
    data = members["tables/annotations.span.jsonl"]
    manifest["files"]["tables/annotations.span.jsonl"]["sha256"] = hashlib.sha256(data).hexdigest()
    members["manifest.json"] = json.dumps(manifest).encode()
    with zipfile.ZipFile(odd, "w") as dst:
        for name, content in members.items():
            dst.writestr(name, content)
    _refused(odd, "unknown columns colour")


def test_not_an_archive_is_refused(db, tmp_path):
    path = tmp_path / "notes.zip"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("notes.txt", "hello")
    _refused(path, "no manifest.json")


@pytest.mark.django_db(transaction=True)
def test_restores_on_a_fresh_instance_with_identical_exports(cast, busy, tmp_path):
    """The archive loaded by another instance (a fresh SQLite database, its own DATA_DIR,
    migrated from nothing) exports byte-identical JSONL data."""
    archive = tmp_path / "tribun.zip"
    call_command("project_dump", cast.project.pk, output=str(archive), stdout=io.StringIO())
    original = tmp_path / "original.zip"
    call_command(
        "export_dataset",
        cast.project.pk,
        format="jsonl",
        scope="all",
        output=str(original),
        stdout=io.StringIO(),
    )
    fresh = tmp_path / "fresh"
    env = {
        **os.environ,
        "DATA_DIR": str(fresh),
        "DATABASE_URL": f"sqlite:///{fresh / 'db.sqlite3'}",
        "CELERY_BROKER_URL": "filesystem://",
    }

    def manage(*args):
        run = subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
        )
        assert run.returncode == 0, run.stderr[-2000:]
        return run.stdout

    manage("migrate", "--no-input")
    loaded = manage("project_load", str(archive))
    project_id = loaded.split("restored project ")[1].split()[0]
    copy = tmp_path / "copy.zip"
    manage(
        "export_dataset", project_id, "--format", "jsonl", "--scope", "all", "--output", str(copy)
    )
    with zipfile.ZipFile(original) as a, zipfile.ZipFile(copy) as b:
        data = [n for n in a.namelist() if n.endswith(".jsonl")]
        assert data
        for name in data:
            assert a.read(name) == b.read(name), name
