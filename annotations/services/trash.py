"""Deleting safely: a delete that takes work away must be confirmed, and what it took stays
restorable from the trash until `TRASH_RETENTION_DAYS` have passed (DECISIONS 44).

A project or a document goes to the trash as its archive (`project_archive`): the rows are
really deleted, so no reader anywhere has to skip deleted rows, and a restore is a load. A
membership needs no archive: the member's work is never deleted with it, only their access.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.files import File
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from annotations.errors import ConfirmRequired, Conflict
from annotations.models import (
    Annotation,
    Document,
    Membership,
    Project,
    Role,
    TrashItem,
    TrashKind,
)
from annotations.project_archive.dump import archive_write
from annotations.project_archive.load import archive_read
from annotations.services import documents as document_writes
from annotations.services.projects import membership_delete


def _work(annotations: Any) -> dict[str, int]:
    figures = annotations.aggregate(annotations=Count("pk"), spans=Sum("span_count"))
    return {"annotations": figures["annotations"], "spans": figures["spans"] or 0}


def project_counts(project: Project) -> dict[str, int]:
    documents = Document.objects.filter(project=project).count()
    return {"documents": documents, **_work(Annotation.objects.filter(project=project))}


def document_counts(document: Document) -> dict[str, int]:
    return {"documents": 1, **_work(Annotation.objects.filter(document=document))}


def member_counts(membership: Membership) -> dict[str, int]:
    work = Annotation.objects.filter(project_id=membership.project_id, is_gold=False)
    mine = work.filter(annotator_id=membership.user_id)
    return {"documents": mine.values("document").distinct().count(), **_work(mine)}


def _ask(confirm: bool, counts: dict[str, int], detail: str) -> None:
    if not confirm:
        raise ConfirmRequired(detail, counts)


def _purge_after(now: datetime) -> datetime:
    return now + timedelta(days=settings.TRASH_RETENTION_DAYS)


def _keep_archive(item: TrashItem, *, project: Project, document: Document | None) -> None:
    # Spooled to a temporary file, then handed to the storage: memory stays bounded and a
    # storage other than the disk (S3) gets one upload.
    with tempfile.TemporaryFile() as spool:
        archive_write(spool, project=project, document=document)
        spool.seek(0)
        item.archive.save(f"{item.kind}-{item.pk}.zip", File(spool), save=True)


@transaction.atomic
def project_trash(*, project: Project, actor: User, confirm: bool) -> TrashItem:
    """Delete the project into the trash, once the caller has seen what it holds."""
    counts = project_counts(project)
    detail = _(
        "Deleting “%(name)s” removes %(documents)d documents with %(annotations)d annotations "
        "(%(spans)d spans). Send the request again with ?confirm=true to delete; it stays "
        "restorable from the trash for %(days)d days."
    ) % {**counts, "name": project.name, "days": settings.TRASH_RETENTION_DAYS}
    _ask(confirm, counts, detail)
    admins = list(
        Membership.objects.filter(project=project, role=Role.ADMIN).values_list(
            "user_id", flat=True
        )
    )
    now = timezone.now()
    item = TrashItem.objects.create(
        kind=TrashKind.PROJECT,
        name=project.name,
        counts=counts,
        details={"admins": admins, "project_id": project.pk},
        deleted_by=actor,
        deleted_at=now,
        purge_after=_purge_after(now),
    )
    _keep_archive(item, project=project, document=None)
    project.delete()
    return item


@transaction.atomic
def document_trash(*, document: Document, actor: User, confirm: bool) -> TrashItem:
    """Delete a document into the trash; one nobody has annotated needs no confirmation."""
    counts = document_counts(document)
    if counts["annotations"]:
        detail = _(
            "Deleting “%(name)s” removes %(annotations)d annotations (%(spans)d spans). Send "
            "the request again with ?confirm=true to delete; it stays restorable from the "
            "trash for %(days)d days."
        ) % {**counts, "name": _document_name(document), "days": settings.TRASH_RETENTION_DAYS}
        _ask(confirm, counts, detail)
    now = timezone.now()
    item = TrashItem.objects.create(
        kind=TrashKind.DOCUMENT,
        project=document.project,
        name=_document_name(document),
        counts=counts,
        details={"document_id": document.pk, "external_id": document.external_id},
        deleted_by=actor,
        deleted_at=now,
        purge_after=_purge_after(now),
    )
    _keep_archive(item, project=document.project, document=document)
    document_writes.document_delete(document=document)
    return item


def _document_name(document: Document) -> str:
    return document.title or document.external_id


@transaction.atomic
def member_trash(*, membership: Membership, actor: User, confirm: bool) -> TrashItem | None:
    """Take a member out of the project. Their annotations stay (reviewers still see them,
    gold keeps what came from them); with work, the caller confirms first."""
    counts = member_counts(membership)
    if counts["annotations"]:
        detail = _(
            "%(user)s has %(annotations)d annotations (%(spans)d spans) in this project. "
            "Their work stays, but they lose access to it. Send the request again with "
            "?confirm=true to remove them; they can be restored from the trash for %(days)d "
            "days."
        ) % {**counts, "user": membership.user.username, "days": settings.TRASH_RETENTION_DAYS}
        _ask(confirm, counts, detail)
    now = timezone.now()
    username, role = membership.user.username, membership.role
    membership_delete(membership=membership)
    if not counts["annotations"]:
        return None
    return TrashItem.objects.create(
        kind=TrashKind.MEMBER,
        project_id=membership.project_id,
        name=username,
        counts=counts,
        details={"user_id": membership.user_id, "username": username, "role": role},
        deleted_by=actor,
        deleted_at=now,
        purge_after=_purge_after(now),
    )


# --- reading and restoring -------------------------------------------------------------


def trash_for_user(user: User) -> list[TrashItem]:
    """What `user` may restore: projects they administered, and documents and members of
    projects they administer now; never what was restored or is past its retention.

    The trash is short (what a retention period of deletes holds), so the admins of a deleted
    project are matched here, not by a JSON lookup SQLite cannot do."""
    items = TrashItem.objects.filter(restored_at__isnull=True, purge_after__gt=timezone.now())
    if user.is_superuser:
        return list(items)
    administered = set(
        Membership.objects.filter(user=user, role=Role.ADMIN).values_list("project_id", flat=True)
    )
    return [
        item
        for item in items.filter(Q(kind=TrashKind.PROJECT) | Q(project_id__in=administered))
        if item.kind != TrashKind.PROJECT or user.pk in item.details.get("admins", [])
    ]


@dataclass(frozen=True)
class Restored:
    kind: str
    project: int
    document: int | None = None
    member: int | None = None


@transaction.atomic
def trash_restore(*, item: TrashItem, actor: User) -> Restored:
    item = TrashItem.objects.select_for_update().get(pk=item.pk)
    if item.restored_at is not None:
        raise Conflict(_("This item was restored already."))
    restore = _restore_member if item.kind == TrashKind.MEMBER else _restore_archive
    restored = restore(item)
    item.restored_at = timezone.now()
    item.save(update_fields=["restored_at"])
    return restored


def _restore_archive(item: TrashItem) -> Restored:
    if item.kind == TrashKind.DOCUMENT and item.project_id is None:
        raise Conflict(_("The document's project was deleted too: restore the project first."))
    with item.archive.open("rb") as source:
        result = archive_read(source, into=item.project)
    document = result.document.pk if result.document is not None else None
    return Restored(item.kind, result.project.pk, document=document)


def _restore_member(item: TrashItem) -> Restored:
    if item.project_id is None:
        raise Conflict(_("The member's project was deleted: restore the project instead."))
    user = User.objects.filter(pk=item.details["user_id"]).first()
    if user is None:
        raise Conflict(_("The account %s no longer exists.") % item.details["username"])
    membership, _created = Membership.objects.get_or_create(
        project_id=item.project_id, user=user, defaults={"role": item.details["role"]}
    )
    return Restored(item.kind, item.project_id, member=membership.pk)


def trash_purge(*, now: datetime | None = None) -> dict[str, int]:
    """Delete what is past its retention (and restored items, whose archive is spent),
    with their archives. Run by Celery beat every `TRASH_PURGE_SECONDS`."""
    now = now or timezone.now()
    spent = TrashItem.objects.filter(Q(purge_after__lte=now) | Q(restored_at__isnull=False))
    purged = 0
    for item in spent.iterator():
        if item.archive:
            item.archive.delete(save=False)
        item.delete()
        purged += 1
    return {"purged": purged}
