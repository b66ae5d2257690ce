"""The conversation around the work: comments, flags, sending work back, notices.

Who: every member comments on the document and on their own annotation, flags a document,
and reads the comments meant for them (`services.conversation`); reviewers and admins read
every comment, comment on anyone's annotation and on gold, clear flags, return or accept
an annotation. Authors edit and delete their own comments (admins may delete any); the
author or a reviewer resolves a thread. Notices are each user's own.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annotations.errors import Invalid
from annotations.models import (
    Annotation,
    CommentTarget,
    Document,
    FlagReason,
    Membership,
    Notice,
    NoticeKind,
    ReviewState,
    Role,
)
from annotations.pagination import PageNumberPagination
from annotations.selectors import conversation as reads
from annotations.selectors import review as review_reads
from annotations.selectors.annotations import review_of
from annotations.selectors.review import pseudonyms
from annotations.serializers import ReviewSerializer
from annotations.services import annotating, conversation
from annotations.views.core import ProjectScoped

# --- Shapes -----------------------------------------------------------------------------


class CommentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    author = serializers.CharField(allow_null=True)
    mine = serializers.BooleanField(help_text="Written by the caller")
    text = serializers.CharField(help_text="Plain text: show it as text")
    created_at = serializers.DateTimeField()
    edited_at = serializers.DateTimeField(allow_null=True)
    annotation = serializers.CharField(
        allow_null=True, help_text="Whose annotation (a username), gold, or null: the document"
    )
    span_id = serializers.CharField(allow_null=True)
    thread = serializers.IntegerField(allow_null=True, help_text="The thread's first comment")
    reply_to = serializers.IntegerField(allow_null=True)
    resolved = serializers.BooleanField()
    deleted = serializers.BooleanField()


class CommentRequestSerializer(serializers.Serializer):
    text = serializers.CharField(trim_whitespace=False, max_length=conversation.TEXT_MAX)
    annotation = serializers.CharField(
        required=False,
        allow_null=True,
        max_length=150,
        help_text='"mine", "gold" or a username (reviewers); null or absent: the document',
    )
    span_id = serializers.CharField(
        required=False, allow_null=True, allow_blank=True, max_length=64
    )
    reply_to = serializers.IntegerField(required=False, allow_null=True, min_value=1)


class CommentUpdateSerializer(serializers.Serializer):
    text = serializers.CharField(
        required=False, trim_whitespace=False, max_length=conversation.TEXT_MAX
    )
    resolved = serializers.BooleanField(required=False)


class FlagRequestSerializer(serializers.Serializer):
    reason = serializers.ChoiceField(choices=FlagReason.choices)
    note = serializers.CharField(
        required=False, allow_blank=True, trim_whitespace=False, max_length=conversation.TEXT_MAX
    )


class FlagSerializer(serializers.Serializer):
    reason = serializers.ChoiceField(choices=FlagReason.choices)
    flagged_at = serializers.DateTimeField()
    mine = serializers.BooleanField()
    note = serializers.CharField(required=False, help_text="Reviewers and the flagger")
    flagged_by = serializers.CharField(required=False, allow_null=True)


class FlagAnswerSerializer(serializers.Serializer):
    flag = FlagSerializer(allow_null=True, help_text="null: not flagged")


class ReviewRequestSerializer(serializers.Serializer):
    note = serializers.CharField(
        required=False, allow_blank=True, trim_whitespace=False, max_length=conversation.TEXT_MAX
    )


class ReviewAnswerSerializer(serializers.Serializer):
    annotator = serializers.CharField()
    status = serializers.CharField()
    version = serializers.IntegerField()
    review = ReviewSerializer()


class NoticeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=NoticeKind.choices)
    project = serializers.IntegerField(source="project_id")
    project_name = serializers.CharField(source="project.name")
    document = serializers.IntegerField(source="document_id")
    document_title = serializers.SerializerMethodField()
    comment = serializers.IntegerField(source="comment_id", allow_null=True)
    actor = serializers.CharField(source="actor.username", allow_null=True, default=None)
    text = serializers.CharField(help_text="An excerpt: the comment, the note or the reason")
    created_at = serializers.DateTimeField()
    read = serializers.SerializerMethodField()

    def get_document_title(self, notice: Any) -> str:
        return notice.document.title or notice.document.external_id

    def get_read(self, notice: Any) -> bool:
        return notice.read_at is not None


class NoticeReadSerializer(serializers.Serializer):
    ids = serializers.ListField(
        # Bounded like the ids column (bigint): a larger number is a 400, not a database error.
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1),
        required=False,
        max_length=1000,
        help_text="The notices opened; absent: all of mine",
    )


class UnreadSerializer(serializers.Serializer):
    unread = serializers.IntegerField()
    marked = serializers.IntegerField(required=False)


# --- Helpers ----------------------------------------------------------------------------


class DocumentScoped(ProjectScoped):
    @property
    def reviewer(self) -> bool:
        return conversation.is_reviewer(self.role)

    def get_document(self, doc_id: int) -> Document:
        return get_object_or_404(
            self.project.documents.select_related("project").defer("text"), pk=doc_id
        )

    def member_named(self, name: str, document: Document) -> User:
        """A member by username, or by the pseudonym the anonymized review shows."""
        membership = (
            Membership.objects.filter(project=self.project, user__username=name)
            .select_related("user")
            .first()
        )
        if membership is not None:
            return membership.user
        if self.project.anonymize_review:
            usernames = Annotation.objects.filter(document=document, is_gold=False).values_list(
                "annotator__username", flat=True
            )
            real = {
                alias: user
                for user, alias in pseudonyms(f"review:{document.pk}", usernames).items()
            }
            if name in real:
                return (
                    Membership.objects.select_related("user")
                    .get(project=self.project, user__username=real[name])
                    .user
                )
        raise Invalid(
            {"annotation": [_("“%(name)s” is not a member of this project") % {"name": name}]}
        )


# --- Comments ---------------------------------------------------------------------------


class CommentList(DocumentScoped, APIView):
    """A document's comments the caller may read; POST one (or a reply)."""

    @extend_schema(responses=CommentSerializer(many=True))
    def get(self, request: Request, project_id: int, doc_id: int) -> Response:
        document = self.get_document(doc_id)
        rows = reads.document_comments(
            project=self.project, document=document, viewer=request.user, reviewer=self.reviewer
        )
        return Response(CommentSerializer(rows, many=True).data)

    @extend_schema(request=CommentRequestSerializer, responses={201: CommentSerializer})
    def post(self, request: Request, project_id: int, doc_id: int) -> Response:
        document = self.get_document(doc_id)
        data = CommentRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        given = data.validated_data
        reply_to = None
        if given.get("reply_to") is not None:
            reply_to = reads.readable_comment(
                document, given["reply_to"], request.user, self.reviewer
            )
            if reply_to is None:
                raise Invalid({"reply_to": [_("no such comment on this document")]})
        comment = conversation.comment_create(
            document=document,
            author=request.user,
            role=self.role,
            text=given["text"],
            target=self._target(given.get("annotation"), document),
            span_id=given.get("span_id") or "",
            reply_to=reply_to,
        )
        row = reads.comment_row(comment, request.user, {})
        return Response(CommentSerializer(row).data, status=status.HTTP_201_CREATED)

    def _target(self, name: str | None, document: Document) -> conversation.Target:
        if name is None:
            return conversation.Target(CommentTarget.DOCUMENT)
        if name == "mine" or name == self.request.user.get_username():
            return conversation.Target(CommentTarget.ANNOTATION, self.request.user)
        if not self.reviewer:
            raise PermissionDenied(_("Only a reviewer may comment on gold or on another's work."))
        if name == "gold":
            return conversation.Target(CommentTarget.GOLD)
        return conversation.Target(CommentTarget.ANNOTATION, self.member_named(name, document))


class CommentDetail(DocumentScoped, APIView):
    """One comment: read it, change its words (its author) or resolve its thread (its
    author or a reviewer), delete it (its author or an admin)."""

    def get_comment(self, doc_id: int, pk: int):
        document = self.get_document(doc_id)
        comment = reads.readable_comment(document, pk, self.request.user, self.reviewer)
        if comment is None:
            raise Http404("No such comment.")
        return comment

    @extend_schema(responses=CommentSerializer)
    def get(self, request: Request, project_id: int, doc_id: int, pk: int) -> Response:
        row = reads.comment_row(self.get_comment(doc_id, pk), request.user, {})
        return Response(CommentSerializer(row).data)

    @extend_schema(request=CommentUpdateSerializer, responses=CommentSerializer)
    def patch(self, request: Request, project_id: int, doc_id: int, pk: int) -> Response:
        comment = self.get_comment(doc_id, pk)
        data = CommentUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        mine = comment.author_id == request.user.pk
        if "text" in data.validated_data and not mine:
            raise PermissionDenied(_("Only its author may change a comment's words."))
        if "resolved" in data.validated_data and not (mine or self.reviewer):
            raise PermissionDenied(_("Only its author or a reviewer may resolve a thread."))
        comment = conversation.comment_update(
            comment=comment,
            actor=request.user,
            text=data.validated_data.get("text"),
            resolved=data.validated_data.get("resolved"),
        )
        return Response(CommentSerializer(reads.comment_row(comment, request.user, {})).data)

    @extend_schema(responses={204: None})
    def delete(self, request: Request, project_id: int, doc_id: int, pk: int) -> Response:
        comment = self.get_comment(doc_id, pk)
        if comment.author_id != request.user.pk:
            self.require(Role.ADMIN, "delete another's comment")
        conversation.comment_delete(comment=comment)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- Flags ------------------------------------------------------------------------------


class Flag(DocumentScoped, APIView):
    """A document's flag: read it ({"flag": null}: none), flag it (any member), clear it
    (reviewers)."""

    @extend_schema(responses=FlagAnswerSerializer)
    def get(self, request: Request, project_id: int, doc_id: int) -> Response:
        document = self.get_document(doc_id)
        return Response({"flag": reads.flag_of(document, request.user, self.reviewer)})

    @extend_schema(request=FlagRequestSerializer, responses={201: FlagSerializer})
    def post(self, request: Request, project_id: int, doc_id: int) -> Response:
        document = self.get_document(doc_id)
        data = FlagRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        conversation.flag_set(
            document=document,
            actor=request.user,
            role=self.role,
            reason=data.validated_data["reason"],
            note=data.validated_data.get("note", ""),
        )
        flag = reads.flag_of(document, request.user, self.reviewer)
        return Response(flag, status=status.HTTP_201_CREATED)

    @extend_schema(responses={204: None})
    def delete(self, request: Request, project_id: int, doc_id: int) -> Response:
        self.require(Role.REVIEWER, "clear a flag")
        if not conversation.flag_clear(document=self.get_document(doc_id)):
            raise Http404("This document has no flag.")
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- Return, accept ---------------------------------------------------------------------


class ReviewVerdict(DocumentScoped, APIView):
    """Reviewers: send an annotator's submitted annotation back (return) or accept it."""

    state = ReviewState.RETURNED

    @extend_schema(request=ReviewRequestSerializer, responses=ReviewAnswerSerializer)
    def post(self, request: Request, project_id: int, doc_id: int, username: str) -> Response:
        self.require(Role.REVIEWER, "review annotations")
        document = self.get_document(doc_id)
        data = ReviewRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        annotator = self.member_named(username, document)
        annotation = Annotation.objects.filter(
            document=document, annotator=annotator, is_gold=False
        ).first()
        if annotation is None:
            raise Http404("No such annotation.")
        annotation = annotating.annotation_review(
            annotation=annotation,
            actor=request.user,
            state=self.state,
            note=data.validated_data.get("note", ""),
        )
        return Response(
            {
                "annotator": username,
                "status": annotation.status,
                "version": annotation.version,
                "review": review_of(annotation),
            }
        )


class ReturnAnnotation(ReviewVerdict):
    state = ReviewState.RETURNED


class AcceptAnnotation(ReviewVerdict):
    state = ReviewState.ACCEPTED


class ComparedSpanSerializer(serializers.Serializer):
    id = serializers.CharField()
    start = serializers.IntegerField()
    end = serializers.IntegerField()
    label = serializers.CharField()
    verdict = serializers.ChoiceField(choices=["match", "label", "extent", "extra"])
    gold_label = serializers.CharField(required=False)
    gold_start = serializers.IntegerField(required=False)
    gold_end = serializers.IntegerField(required=False)


class ComparisonSerializer(serializers.Serializer):
    gold_version = serializers.IntegerField(
        allow_null=True, help_text="null: no gold yet, or nothing of mine submitted"
    )
    spans = ComparedSpanSerializer(many=True)
    missed = serializers.IntegerField(help_text="Gold spans none of mine explains")


class MyComparison(DocumentScoped, APIView):
    """What changed for me: my submitted spans against gold (annotators when the project's
    `annotators_see_gold_after_review` allows it; reviewers and admins always)."""

    @extend_schema(responses=ComparisonSerializer)
    def get(self, request: Request, project_id: int, doc_id: int) -> Response:
        if not (self.reviewer or self.project.annotators_see_gold_after_review):
            raise PermissionDenied(_("This project does not show gold to annotators."))
        document = self.get_document(doc_id)
        if document.check_since is not None and not self.reviewer:
            # A hidden gold check answers as a document without gold: its gold is never shown.
            return Response(review_reads.NOTHING_COMPARED)
        return Response(review_reads.my_comparison(document, request.user))


# --- Notices ----------------------------------------------------------------------------


class NoticeList(generics.GenericAPIView):
    """My notices, newest first, with how many are unread."""

    pagination_class = PageNumberPagination
    serializer_class = NoticeSerializer
    queryset = Notice.objects.none()  # for the schema: the notices are read below

    @extend_schema(responses=NoticeSerializer(many=True))
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(reads.notices_for(request.user))
        response = self.get_paginated_response(NoticeSerializer(page, many=True).data)
        response.data["unread"] = reads.unread_count(request.user)
        return response


class NoticeRead(APIView):
    """Mark my notices read (the ones named, or all)."""

    @extend_schema(request=NoticeReadSerializer, responses=UnreadSerializer)
    def post(self, request: Request) -> Response:
        data = NoticeReadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        marked = conversation.notices_mark_read(
            user=request.user, ids=data.validated_data.get("ids")
        )
        return Response({"unread": reads.unread_count(request.user), "marked": marked})


P = "projects/<int:project_id>/"
D = P + "documents/<int:doc_id>/"

urlpatterns = [
    path(D + "comments/", CommentList.as_view(), name="comment-list"),
    path(D + "comments/<int:pk>/", CommentDetail.as_view(), name="comment-detail"),
    path(D + "flag/", Flag.as_view(), name="document-flag"),
    path(
        D + "annotations/<str:username>/return/",
        ReturnAnnotation.as_view(),
        name="annotation-return",
    ),
    path(
        D + "annotations/<str:username>/accept/",
        AcceptAnnotation.as_view(),
        name="annotation-accept",
    ),
    path(D + "annotations/mine/compared/", MyComparison.as_view(), name="my-annotation-compared"),
    path("notices/", NoticeList.as_view(), name="notice-list"),
    path("notices/read/", NoticeRead.as_view(), name="notice-read"),
]
