"""The conversation around the work: comments, flags and the notices they send.

Blindness (DECISIONS.md 28): every comment is given its audience when it is written
(`comment_audience`), and every read filters on it (`selectors.conversation`):

- a comment on an annotator's annotation (or one of its spans) is for that annotator;
- a document-level comment by a reviewer or admin is for everyone; one by an annotator is
  for that annotator (and the reviewers): another annotator's question tells about their
  reading of the text;
- a reply keeps its thread's audience, except in a thread for everyone, where an
  annotator's reply is again theirs alone;
- a comment on gold is for reviewers.

Reviewers and admins read every comment. Notices go only to people who may read what they
point at.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from annotations.errors import Invalid
from annotations.models import (
    Annotation,
    Comment,
    CommentAudience,
    CommentTarget,
    Document,
    DocumentFlag,
    FlagReason,
    Membership,
    Notice,
    NoticeKind,
    Project,
    Role,
    Span,
)

TEXT_MAX = 5_000
EXCERPT = 200


def is_reviewer(role: str) -> bool:
    """Reviewers and admins read every comment (`permissions.RANK` order)."""
    return role in (Role.REVIEWER, Role.ADMIN)


@dataclass(frozen=True)
class Target:
    """What a comment is about: the document, gold, or one annotator's annotation."""

    kind: str
    annotator: User | None = None


def comment_audience(
    *, target: Target, author: User, reviewer: bool, thread: Comment | None
) -> tuple[str, User | None]:
    """(audience, owner) of a new comment; see the module docstring."""
    if thread is not None and thread.audience != CommentAudience.ALL:
        return thread.audience, thread.owner
    if target.kind == CommentTarget.GOLD:
        return CommentAudience.REVIEWERS, None
    if target.kind == CommentTarget.ANNOTATION:
        return CommentAudience.OWNER, target.annotator
    if reviewer:
        return CommentAudience.ALL, None
    return CommentAudience.OWNER, author


def can_read(comment: Comment, user: User, role: str | None) -> bool:
    """The same rule as `selectors.conversation.readable`, for one comment in memory."""
    if role is None:
        return False
    if is_reviewer(role):
        return True
    if comment.audience == CommentAudience.ALL:
        return True
    return comment.audience == CommentAudience.OWNER and comment.owner_id == user.pk


def _clean_text(text: Any) -> str:
    if not isinstance(text, str) or not text.strip():
        raise Invalid({"text": [_("write something")]})
    if len(text) > TEXT_MAX:
        raise Invalid({"text": [_("at most %(n)d characters") % {"n": TEXT_MAX}]})
    return text


def _check_span(document: Document, target: Target, span_id: str) -> None:
    if target.kind == CommentTarget.DOCUMENT:
        raise Invalid({"span_id": [_("a span belongs to an annotation: name the annotation")]})
    annotations = Annotation.objects.filter(document=document)
    if target.kind == CommentTarget.GOLD:
        annotations = annotations.filter(is_gold=True)
    else:
        annotations = annotations.filter(annotator=target.annotator, is_gold=False)
    if not Span.objects.filter(annotation__in=annotations, client_id=span_id).exists():
        raise Invalid({"span_id": [_("no span “%(id)s” in that annotation") % {"id": span_id}]})


def _role_of(project: Project, user: User) -> str | None:
    if user.is_superuser:
        return Role.ADMIN
    return (
        Membership.objects.filter(project=project, user=user).values_list("role", flat=True).first()
    )


def _notify(
    *, recipient: User, kind: str, comment: Comment, role: str | None, anonymous: bool
) -> None:
    """Tell the recipient, if they may read the comment and did not write it (an
    `anonymous` author, an annotator where review is anonymized, is not named to reviewers)."""
    if recipient.pk == comment.author_id or not can_read(comment, recipient, role):
        return
    hidden = anonymous and role is not None and is_reviewer(role)
    Notice.objects.create(
        recipient=recipient,
        project_id=comment.project_id,
        document_id=comment.document_id,
        kind=kind,
        actor_id=None if hidden else comment.author_id,
        comment=comment,
        text=comment.text[:EXCERPT],
    )


@transaction.atomic
def comment_create(
    *,
    document: Document,
    author: User,
    role: str,
    text: Any,
    target: Target,
    span_id: str = "",
    reply_to: Comment | None = None,
) -> Comment:
    """A new comment (a reply when `reply_to` is given: it joins that comment's thread and
    is about what the thread is about), and the notices it sends."""
    text = _clean_text(text)
    thread = None
    if reply_to is not None:
        thread = reply_to.thread or reply_to
        target = Target(thread.target, thread.annotator)
        span_id = thread.span_id
    elif span_id:
        _check_span(document, target, span_id)
    audience, owner = comment_audience(
        target=target, author=author, reviewer=is_reviewer(role), thread=thread
    )
    comment = Comment.objects.create(
        document=document,
        project_id=document.project_id,
        author=author,
        target=target.kind,
        annotator=target.annotator,
        span_id=span_id,
        thread=thread,
        reply_to=reply_to,
        audience=audience,
        owner=owner,
        text=text,
    )
    told: set[int] = set()
    anonymous = document.project.anonymize_review and not is_reviewer(role)
    if reply_to is not None and reply_to.author is not None:
        recipient = reply_to.author
        _notify(
            recipient=recipient,
            kind=NoticeKind.REPLY,
            comment=comment,
            role=_role_of(document.project, recipient),
            anonymous=anonymous,
        )
        told.add(recipient.pk)
    if target.annotator is not None and target.annotator.pk not in told:
        _notify(
            recipient=target.annotator,
            kind=NoticeKind.COMMENT,
            comment=comment,
            role=_role_of(document.project, target.annotator),
            anonymous=anonymous,
        )
    return comment


@transaction.atomic
def comment_update(
    *, comment: Comment, actor: User, text: Any = None, resolved: bool | None = None
) -> Comment:
    """Change a comment's words and/or its thread's resolved mark (who may: the view)."""
    fields = []
    if text is not None:
        if comment.deleted:
            raise Invalid({"text": [_("this comment was deleted")]})
        comment.text = _clean_text(text)
        comment.edited_at = timezone.now()
        fields += ["text", "edited_at"]
    if resolved is not None:
        if comment.thread_id is not None:
            raise Invalid({"resolved": [_("resolve the thread's first comment")]})
        comment.resolved = resolved
        comment.resolved_by = actor if resolved else None
        fields += ["resolved", "resolved_by"]
    if fields:
        comment.save(update_fields=fields)
    return comment


@transaction.atomic
def comment_delete(*, comment: Comment) -> None:
    """Remove a comment; one with replies keeps its place in the thread, without words."""
    if comment.thread_id is None and comment.replies.exists():
        comment.text, comment.deleted = "", True
        comment.save(update_fields=["text", "deleted"])
        return
    comment.delete()


# --- Flags ---------------------------------------------------------------------------------


def _clean_flag(reason: Any, note: Any) -> tuple[str, str]:
    problems: dict[str, list[str]] = {}
    if reason not in FlagReason.values:
        problems["reason"] = [_("must be one of %(values)s") % {"values": ", ".join(FlagReason)}]
    if note is None:
        note = ""
    if not isinstance(note, str):
        problems["note"] = [_("must be text")]
    elif len(note) > TEXT_MAX:
        problems["note"] = [_("at most %(n)d characters") % {"n": TEXT_MAX}]
    if problems:
        raise Invalid(problems)
    return reason, note


@transaction.atomic
def flag_set(*, document: Document, actor: User, role: str, reason: Any, note: Any) -> DocumentFlag:
    """Flag a document (a second flag replaces the first) and tell its reviewers (without
    the annotator's name where review is anonymized)."""
    reason, note = _clean_flag(reason, note)
    flag, _created = DocumentFlag.objects.update_or_create(
        document=document,
        defaults={
            "project_id": document.project_id,
            "reason": reason,
            "note": note,
            "flagged_by": actor,
            "flagged_at": timezone.now(),
        },
    )
    reviewers = Membership.objects.filter(
        project_id=document.project_id, role__in=(Role.REVIEWER, Role.ADMIN)
    ).exclude(user=actor)
    Notice.objects.bulk_create(
        Notice(
            recipient_id=user_id,
            project_id=document.project_id,
            document=document,
            kind=NoticeKind.FLAG,
            actor=None if document.project.anonymize_review and not is_reviewer(role) else actor,
            text=reason,
        )
        for user_id in reviewers.values_list("user_id", flat=True)
    )
    return flag


@transaction.atomic
def flag_clear(*, document: Document) -> bool:
    """Clear a document's flag; False if it had none."""
    deleted, _rows = DocumentFlag.objects.filter(document=document).delete()
    return bool(deleted)


# --- Notices -------------------------------------------------------------------------------


def notice_returned(*, annotation: Annotation, actor: User, note: str) -> None:
    """Tell an annotator their annotation came back for correction."""
    assert annotation.annotator_id is not None
    Notice.objects.create(
        recipient_id=annotation.annotator_id,
        project_id=annotation.project_id,
        document_id=annotation.document_id,
        kind=NoticeKind.RETURNED,
        actor=actor,
        text=note[:EXCERPT],
    )


def notices_mark_read(*, user: User, ids: list[int] | None) -> int:
    """Mark the user's notices read (`ids`, or all of them); how many changed."""
    unread = Notice.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=ids)
    return unread.update(read_at=timezone.now())
