"""Team workflow API: queue, assignments, progress, review, gold, agreement, history.

Who: every member uses the queue and reads their own history; reviewers (and
admins) review, write gold, read agreement and everyone's history; admins
assign and watch progress. Non-members get 404 (`ProjectScoped`).
"""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annotations.errors import Invalid
from annotations.models import AnnotationEvent, Assignment, Role
from annotations.pagination import PageNumberPagination
from annotations.selectors import agreement, review
from annotations.selectors import workflow as workflow_reads
from annotations.serializers import DocumentSerializer
from annotations.services import workflow
from annotations.views.core import AnnotationEndpoint, ProjectScoped

# --- Shapes -----------------------------------------------------------------------------


class AssignmentSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    document = serializers.IntegerField(source="document_id")
    document_title = serializers.CharField(source="document.title", read_only=True)
    annotator = serializers.CharField(source="annotator.username")
    assigned_by = serializers.CharField(
        source="assigned_by.username", read_only=True, allow_null=True, default=None
    )
    status = serializers.CharField(
        read_only=True, allow_null=True, default=None, help_text="The assignee's annotation"
    )
    created_at = serializers.DateTimeField(read_only=True)


class AssignmentRequestSerializer(serializers.Serializer):
    document = serializers.IntegerField()
    annotator = serializers.CharField(help_text="Username of a project member")


class ReassignSerializer(serializers.Serializer):
    annotator = serializers.CharField(help_text="Username of the new assignee")


class ProgressRowSerializer(serializers.Serializer):
    annotator = serializers.CharField()
    role = serializers.CharField()
    assigned = serializers.IntegerField()
    draft = serializers.IntegerField()
    submitted = serializers.IntegerField()
    skipped = serializers.IntegerField()


class EventSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    annotator = serializers.CharField(allow_null=True, help_text="Whose annotation; null: gold")
    is_gold = serializers.BooleanField()
    actor = serializers.CharField(allow_null=True)
    version = serializers.IntegerField()
    action = serializers.CharField()
    changes = serializers.JSONField()
    created_at = serializers.DateTimeField()


# --- Queue and assignments --------------------------------------------------------------


class QueueNext(ProjectScoped, APIView):
    """The caller's next document; the same one until they submit or skip it."""

    @extend_schema(responses={200: DocumentSerializer, 204: None})
    def get(self, request: Request, project_id: int) -> Response:
        document = workflow.queue_next(project=self.project, annotator=request.user)
        if document is None:
            return Response(status=status.HTTP_204_NO_CONTENT)
        return Response(DocumentSerializer(document).data)


class AssignmentList(ProjectScoped, generics.ListAPIView):
    """Admins: list assignments (filter ?annotator=username&document=id) or assign one."""

    serializer_class = AssignmentSerializer

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        self.require(Role.ADMIN, "manage assignments")

    @extend_schema(
        parameters=[
            OpenApiParameter("annotator", str, required=False),
            OpenApiParameter("document", int, required=False),
        ]
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        if self.for_schema:
            return Assignment.objects.none()
        document = self.request.query_params.get("document")
        if document is not None and not document.isdigit():
            raise Invalid({"document": ["must be a document id"]})
        return workflow_reads.assignments_for_project(
            self.project,
            annotator=self.request.query_params.get("annotator"),
            document=int(document) if document else None,
        )

    @extend_schema(request=AssignmentRequestSerializer, responses={201: AssignmentSerializer})
    def post(self, request: Request, project_id: int) -> Response:
        data = AssignmentRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        assignment, created = workflow.assignment_create(
            project=self.project,
            document_id=data.validated_data["document"],
            username=data.validated_data["annotator"],
            assigned_by=request.user,
        )
        return Response(
            AssignmentSerializer(assignment).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class AssignmentDetail(ProjectScoped, APIView):
    """Admins: read, reassign (PATCH {"annotator": username}) or remove one assignment."""

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        self.require(Role.ADMIN, "manage assignments")

    def get_assignment(self, pk: int) -> Assignment:
        return get_object_or_404(workflow_reads.assignments_for_project(self.project), pk=pk)

    @extend_schema(responses=AssignmentSerializer)
    def get(self, request: Request, project_id: int, pk: int) -> Response:
        return Response(AssignmentSerializer(self.get_assignment(pk)).data)

    @extend_schema(request=ReassignSerializer, responses=AssignmentSerializer)
    def patch(self, request: Request, project_id: int, pk: int) -> Response:
        data = ReassignSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        assignment = workflow.assignment_reassign(
            assignment=self.get_assignment(pk),
            username=data.validated_data["annotator"],
            assigned_by=request.user,
        )
        return Response(AssignmentSerializer(self.get_assignment(assignment.pk)).data)

    @extend_schema(responses={204: None})
    def delete(self, request: Request, project_id: int, pk: int) -> Response:
        workflow.assignment_delete(assignment=self.get_assignment(pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


class Progress(ProjectScoped, APIView):
    """Admins: per annotator, documents assigned and annotations by status."""

    @extend_schema(responses=ProgressRowSerializer(many=True))
    def get(self, request: Request, project_id: int) -> Response:
        self.require(Role.ADMIN, "see annotators' progress")
        return Response(workflow_reads.annotator_progress(self.project))


# --- Review, gold, agreement, history ---------------------------------------------------


class DocumentReview(ProjectScoped, APIView):
    """Reviewers: every version, per-item status, merge proposal, gold, agreement."""

    @extend_schema(responses=dict)
    def get(self, request: Request, project_id: int, doc_id: int) -> Response:
        self.require(Role.REVIEWER, "review documents")
        document = get_object_or_404(self.project.documents, pk=doc_id)
        return Response(review.document_review(project=self.project, document=document))


class Gold(AnnotationEndpoint):
    """The document's gold annotation: same shape and version rules as an annotation."""

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        self.require(Role.REVIEWER, "read or write gold")

    def annotator(self):
        return None

    def check_write(self) -> None:
        self.require(Role.REVIEWER, "write gold")


class Agreement(ProjectScoped, APIView):
    """Reviewers: agreement over every submitted annotation of the project."""

    @extend_schema(
        parameters=[OpenApiParameter("order", enum=["id", "agreement"], required=False)],
        responses=dict,
    )
    def get(self, request: Request, project_id: int) -> Response:
        self.require(Role.REVIEWER, "see agreement")
        order = request.query_params.get("order", "id")
        if order not in ("id", "agreement"):
            raise Invalid({"order": ["must be 'id' or 'agreement'"]})
        return Response(agreement.project_agreement(project=self.project, order=order))


class History(ProjectScoped, generics.GenericAPIView):
    """A document's edit history; annotators see only their own annotation's."""

    pagination_class = PageNumberPagination
    serializer_class = EventSerializer
    queryset = AnnotationEvent.objects.none()  # for the schema: the events are read below

    @extend_schema(responses=EventSerializer(many=True))
    def get(self, request: Request, project_id: int, doc_id: int) -> Response:
        document = get_object_or_404(self.project.documents.defer("text"), pk=doc_id)
        sees_all = self.role != Role.ANNOTATOR
        events = review.document_history(document=document, viewer=request.user, sees_all=sees_all)
        names = review.history_names(self.project, document, sees_all)
        page = self.paginate_queryset(events)
        return self.get_paginated_response(
            EventSerializer([self._row(event, names) for event in page], many=True).data
        )

    @staticmethod
    def _row(event, names: dict[str, str]) -> dict[str, Any]:
        owner = event.annotation.annotator
        owner_name = owner.get_username() if owner else None
        actor = event.actor.get_username() if event.actor else None
        return {
            "id": event.pk,
            "annotator": names.get(owner_name, owner_name) if owner_name else None,
            "is_gold": event.annotation.is_gold,
            "actor": names.get(actor, actor) if actor else None,
            "version": event.version,
            "action": event.action,
            "changes": event.changes,
            "created_at": event.created_at,
        }


P = "projects/<int:project_id>/"
D = P + "documents/<int:doc_id>/"

urlpatterns = [
    path(P + "queue/next/", QueueNext.as_view(), name="queue-next"),
    path(P + "assignments/", AssignmentList.as_view(), name="assignment-list"),
    path(P + "assignments/<int:pk>/", AssignmentDetail.as_view(), name="assignment-detail"),
    path(P + "progress/", Progress.as_view(), name="progress"),
    path(P + "agreement/", Agreement.as_view(), name="agreement"),
    path(D + "review/", DocumentReview.as_view(), name="document-review"),
    path(D + "gold/", Gold.as_view(), name="document-gold"),
    path(D + "history/", History.as_view(), name="document-history"),
]
