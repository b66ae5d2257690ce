"""Reads of comments, flags and notices, filtered by who may read them (the audience each
comment was given when written: `services.conversation`)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

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
    Project,
)
from annotations.selectors.review import pseudonyms


def readable(viewer: User, reviewer: bool) -> Q:
    """The comments the viewer may read (reviewers and admins: all)."""
    if reviewer:
        return Q()
    return Q(audience=CommentAudience.ALL) | Q(audience=CommentAudience.OWNER, owner=viewer)


def _names(project: Project, document: Document, reviewer: bool) -> dict[str, str]:
    """The pseudonyms the document's review shows, when the project anonymizes it."""
    if not (project.anonymize_review and reviewer):
        return {}
    usernames = Annotation.objects.filter(document=document, is_gold=False).values_list(
        "annotator__username", flat=True
    )
    return pseudonyms(f"review:{document.pk}", usernames)


def document_comments(
    *, project: Project, document: Document, viewer: User, reviewer: bool
) -> list[dict[str, Any]]:
    """The document's comments the viewer may read, oldest first (threads are one level:
    `thread` names the first comment). One query (two with anonymized review)."""
    rows = (
        Comment.objects.filter(document=document)
        .filter(readable(viewer, reviewer))
        .select_related("author", "annotator")
        .order_by("created_at", "pk")
    )
    names = _names(project, document, reviewer)
    return [comment_row(comment, viewer, names) for comment in rows]


def comment_row(comment: Comment, viewer: User, names: dict[str, str]) -> dict[str, Any]:
    author = comment.author.get_username() if comment.author else None
    if comment.target == CommentTarget.ANNOTATION:
        assert comment.annotator is not None
        whose = comment.annotator.get_username()
        annotation: str | None = names.get(whose, whose)
    else:
        annotation = "gold" if comment.target == CommentTarget.GOLD else None
    return {
        "id": comment.pk,
        "author": names.get(author, author) if author else None,
        "mine": comment.author_id == viewer.pk,
        "text": comment.text,
        "created_at": comment.created_at,
        "edited_at": comment.edited_at,
        "annotation": annotation,
        "span_id": comment.span_id or None,
        "thread": comment.thread_id,
        "reply_to": comment.reply_to_id,
        "resolved": comment.resolved,
        "deleted": comment.deleted,
    }


def readable_comment(document: Document, pk: int, viewer: User, reviewer: bool) -> Comment | None:
    return (
        Comment.objects.filter(document=document, pk=pk)
        .filter(readable(viewer, reviewer))
        .select_related("author", "annotator", "thread")
        .first()
    )


def with_comment_counts(
    documents: QuerySet[Document], viewer: User, reviewer: bool
) -> QuerySet[Document]:
    """Each document's comments and open threads the viewer may read, and its flag's reason,
    as columns of the page query (no query of their own)."""
    visible = Comment.objects.filter(readable(viewer, reviewer), document=OuterRef("pk"))

    def count(comments: QuerySet[Comment]) -> Coalesce:
        n = comments.order_by().values("document").annotate(n=Count("pk")).values("n")[:1]
        return Coalesce(Subquery(n, output_field=IntegerField()), 0)

    flag = DocumentFlag.objects.filter(document=OuterRef("pk")).values("reason")[:1]
    return documents.annotate(
        comment_count=count(visible.filter(deleted=False)),
        open_threads=count(visible.filter(thread__isnull=True, resolved=False)),
        flag_reason=Subquery(flag),
    )


def flagged(value: bool) -> Q:
    return Q(flag__isnull=not value)


def broken() -> Q:
    """Documents flagged as broken text: the queue passes them over."""
    return Q(flag__reason=FlagReason.BROKEN_TEXT)


def flag_of(document: Document, viewer: User, reviewer: bool) -> dict[str, Any] | None:
    """The document's flag as the API shows it: who flagged it and their note only to
    reviewers and to the one who flagged it (who, not where review is anonymized)."""
    flag = DocumentFlag.objects.filter(document=document).select_related("flagged_by").first()
    if flag is None:
        return None
    row: dict[str, Any] = {"reason": flag.reason, "flagged_at": flag.flagged_at}
    mine = flag.flagged_by_id == viewer.pk
    row["mine"] = mine
    if reviewer or mine:
        row["note"] = flag.note
        by = flag.flagged_by if mine or not document.project.anonymize_review else None
        row["flagged_by"] = by.get_username() if by is not None else None
    return row


def notices_for(user: User) -> QuerySet[Notice]:
    """The user's notices in projects they still belong to, newest first; the page query
    joins everything a row shows."""
    notices = Notice.objects.filter(recipient=user)
    if not user.is_superuser:
        notices = notices.filter(
            Exists(Membership.objects.filter(project=OuterRef("project_id"), user=user))
        )
    return notices.select_related("actor", "document", "project").order_by("-created_at", "-pk")


def unread_count(user: User) -> int:
    return notices_for(user).filter(read_at__isnull=True).count()
