"""The reviewers' screens: the team dashboard, bulk actions on documents, and the history of
the project's work (a person's, here; a document's is in `workflow`).

Who: reviewers and admins read the dashboard and run bulk exports; admins assign and reset;
the history shows annotators only their own work. Non-members get 404 (`ProjectScoped`).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any, cast

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.http import QueryDict
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annotations.errors import NON_FIELD, Invalid
from annotations.filters import DocumentFilter
from annotations.models import AnnotationEvent, Role
from annotations.pagination import PageNumberPagination
from annotations.selectors import dashboard as dashboard_reads
from annotations.selectors import documents as document_reads
from annotations.selectors import review
from annotations.services import exports, workflow
from annotations.views.core import ProjectScoped
from annotations.views.exports import ExportJobSerializer, ExportRequestSerializer

MAX_PERIOD_DAYS = 3660
DEFAULT_PERIOD_DAYS = 30
# Longer periods are counted in weeks unless a bucket is asked for.
DAILY_UP_TO_DAYS = 62


class PeriodSerializer(serializers.Serializer):
    after = serializers.DateField(required=False, help_text="First day (default: 29 days ago)")
    before = serializers.DateField(required=False, help_text="Last day (default: today)")
    bucket = serializers.ChoiceField(
        choices=["day", "week"],
        required=False,
        help_text=f"Default: day for periods up to {DAILY_UP_TO_DAYS} days, else week",
    )

    def validate(self, attrs: dict[str, Any]) -> dashboard_reads.Period:
        before = attrs.get("before") or timezone.localdate()
        after = attrs.get("after") or before - timedelta(days=DEFAULT_PERIOD_DAYS - 1)
        if after > before:
            raise Invalid({"after": [_("must not be after “before”")]})
        days = (before - after).days + 1
        if days > MAX_PERIOD_DAYS:
            raise Invalid(
                {"after": [_("a period is at most %(days)d days") % {"days": MAX_PERIOD_DAYS}]}
            )
        bucket = attrs.get("bucket") or ("day" if days <= DAILY_UP_TO_DAYS else "week")
        return dashboard_reads.Period(after=after, before=before, bucket=bucket)


class MemberFiguresSerializer(serializers.Serializer):
    username = serializers.CharField()
    role = serializers.CharField(allow_null=True, help_text="null: no longer a member")
    assigned = serializers.IntegerField()
    in_progress = serializers.IntegerField(help_text="Assigned or started, not finished")
    submitted = serializers.IntegerField()
    skipped = serializers.IntegerField()
    timed = serializers.IntegerField(help_text="Submissions in the period that have a time")
    seconds_per_document = serializers.FloatField(allow_null=True, help_text="Median")
    seconds_per_span = serializers.FloatField(allow_null=True, help_text="Median")


class TeamTimeSerializer(serializers.Serializer):
    timed = serializers.IntegerField()
    seconds_per_document = serializers.FloatField(allow_null=True)
    seconds_per_span = serializers.FloatField(allow_null=True)


class BucketSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()


class ThroughputSerializer(BucketSerializer):
    total = serializers.IntegerField()
    by_annotator = serializers.DictField(child=serializers.IntegerField())


class AgreementPointSerializer(BucketSerializer):
    documents = serializers.IntegerField(help_text="Documents compared (2+ submitted)")
    span_f1 = serializers.FloatField(allow_null=True, help_text="Their mean span F1 (overlap)")


class LabelFiguresSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    color = serializers.CharField()
    translations = serializers.DictField(
        help_text="The label's texts per interface language (as on the label)"
    )
    spans = serializers.IntegerField()
    documents = serializers.IntegerField()


class DashboardSerializer(serializers.Serializer):
    period = serializers.DictField()
    time = serializers.DictField(help_text="Where times come from; idle gaps left out")
    documents = serializers.DictField(help_text="total, annotators_per_document, by_state")
    annotators = MemberFiguresSerializer(many=True)
    team = TeamTimeSerializer()
    throughput = ThroughputSerializer(many=True)
    labels = LabelFiguresSerializer(many=True)
    agreement = AgreementPointSerializer(many=True)


class Dashboard(ProjectScoped, APIView):
    """Reviewers: the team's progress, time, throughput, labels and agreement over a period.

    Progress and labels count all the work; time, throughput and agreement the period's
    submissions (by their latest submission).
    """

    @extend_schema(parameters=[PeriodSerializer], responses=DashboardSerializer)
    def get(self, request: Request, project_id: int) -> Response:
        self.require(Role.REVIEWER, "see the team's dashboard")
        period = PeriodSerializer(data=request.query_params)
        period.is_valid(raise_exception=True)
        figures = dashboard_reads.dashboard(self.project, period.validated_data)
        return Response(DashboardSerializer(figures).data, status=status.HTTP_200_OK)


# --- bulk actions on documents (the documents table) --------------------------------------

# Parameters of the table that say how to show documents, not which.
NOT_FILTERS = ("page", "page_size", "ordering")


class SelectionSerializer(serializers.Serializer):
    """Which documents: `documents` (ids), or `filter` (the documents table's query string,
    e.g. `state=disputed&annotator=alice`: every document it matches)."""

    documents = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        required=False,
        allow_empty=False,
        max_length=settings.PROJECT_MAX_DOCUMENTS,
    )
    filter = serializers.CharField(
        required=False, allow_blank=True, max_length=4000, trim_whitespace=False
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if ("documents" in attrs) == ("filter" in attrs):
            raise Invalid({NON_FIELD: [_("send either “documents” or “filter”")]})
        return attrs


class BulkAssignSerializer(SelectionSerializer):
    annotators = serializers.ListField(
        child=serializers.CharField(max_length=150), allow_empty=False, max_length=100
    )


class BulkExportSerializer(SelectionSerializer, ExportRequestSerializer):
    """The selection, and what `POST exports/` takes."""


class BulkAssignResultSerializer(serializers.Serializer):
    documents = serializers.IntegerField()
    assigned = serializers.IntegerField(help_text="Assignments made")
    already = serializers.IntegerField(help_text="Assignments that existed")


class BulkResetResultSerializer(serializers.Serializer):
    documents = serializers.IntegerField()
    unassigned = serializers.IntegerField(help_text="Assignments taken back")


class Bulk(ProjectScoped, APIView):
    """Base of the bulk actions: the selection, resolved to document ids in one query."""

    def selected(self, data: dict[str, Any]) -> list[int]:
        if "documents" in data:
            return sorted(set(data["documents"]))
        query = QueryDict(data["filter"], mutable=True)
        for name in NOT_FILTERS:
            query.pop(name, None)
        documents = document_reads.documents_table(self.project, self.request.user)
        filters = DocumentFilter(data=query, queryset=documents, view=self)
        if not filters.is_valid():
            raise Invalid({f"filter.{k}": v for k, v in filters.errors.items()})
        return list(filters.qs.order_by().values_list("pk", flat=True))


class BulkAssign(Bulk):
    """Admins: give the selected documents to each of these annotators (assigning twice
    is a no-op)."""

    @extend_schema(request=BulkAssignSerializer, responses=BulkAssignResultSerializer)
    def post(self, request: Request, project_id: int) -> Response:
        self.require(Role.ADMIN, "assign documents")
        data = BulkAssignSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        ids = self.selected(data.validated_data)
        made, already = workflow.assignments_bulk_create(
            project=self.project,
            document_ids=ids,
            usernames=data.validated_data["annotators"],
            assigned_by=cast(User, request.user),
        )
        return Response({"documents": len(ids), "assigned": made, "already": already})


class BulkReset(Bulk):
    """Admins: put the selected documents back in the queue (assignments not yet submitted
    are taken back; what anyone wrote stays)."""

    @extend_schema(request=SelectionSerializer, responses=BulkResetResultSerializer)
    def post(self, request: Request, project_id: int) -> Response:
        self.require(Role.ADMIN, "reset documents to the queue")
        data = SelectionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        ids = self.selected(data.validated_data)
        taken = workflow.assignments_reset(project=self.project, document_ids=ids)
        return Response({"documents": len(ids), "unassigned": taken})


class BulkExport(Bulk):
    """Reviewers: export the selected documents (a job, as `POST exports/`)."""

    @extend_schema(request=BulkExportSerializer, responses={202: ExportJobSerializer})
    def post(self, request: Request, project_id: int) -> Response:
        self.require(Role.REVIEWER, "request exports")
        data = BulkExportSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        ids = self.selected(data.validated_data)
        if not ids:
            raise Invalid({"filter": [_("no document matches this filter")]})
        options = {k: v for k, v in data.validated_data.items() if k not in ("documents", "filter")}
        job = exports.export_request(
            project=self.project,
            requested_by=cast(User, request.user),
            documents=ids,
            **options,
        )
        body = ExportJobSerializer(job, context={"request": request}).data
        location = request.build_absolute_uri(reverse("export-detail", args=[job.pk]))
        return Response(body, status=status.HTTP_202_ACCEPTED, headers={"Location": location})


class AnnotatorHistoryQuery(serializers.Serializer):
    annotator = serializers.CharField(
        max_length=150, required=False, help_text="A username (default: the caller)"
    )


class PersonEventSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    document = serializers.DictField(help_text="id, title, external_id")
    annotator = serializers.CharField(allow_null=True, help_text="Whose annotation; null: gold")
    is_gold = serializers.BooleanField()
    actor = serializers.CharField(allow_null=True)
    version = serializers.IntegerField()
    action = serializers.CharField()
    changes = serializers.JSONField()
    created_at = serializers.DateTimeField()


class AnnotatorHistory(ProjectScoped, generics.GenericAPIView):
    """One person's work in the project, newest first: the events of their annotations and
    of the gold versions they edited. Everyone sees their own; reviewers and admins anyone's
    (in a project whose review is anonymous, only admins)."""

    pagination_class = PageNumberPagination
    serializer_class = PersonEventSerializer
    queryset = AnnotationEvent.objects.none()  # for the schema: the events are read below

    @extend_schema(parameters=[AnnotatorHistoryQuery], responses=PersonEventSerializer(many=True))
    def get(self, request: Request, project_id: int) -> Response:
        query = AnnotatorHistoryQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        username = query.validated_data.get("annotator") or request.user.get_username()
        if username != request.user.get_username():
            needed = Role.ADMIN if self.project.anonymize_review else Role.REVIEWER
            self.require(needed, "see other people's history")
        person = get_user_model().objects.filter(username=username).first()
        if person is None:
            raise Invalid({"annotator": [_("nobody is called “%(name)s”") % {"name": username}]})
        events = review.annotator_history(project=self.project, person=person)
        page = self.paginate_queryset(events)
        rows = [self._row(event) for event in page]
        return self.get_paginated_response(PersonEventSerializer(rows, many=True).data)

    @staticmethod
    def _row(event) -> dict[str, Any]:
        document = event.annotation.document
        owner = event.annotation.annotator
        return {
            "id": event.pk,
            "document": {
                "id": document.pk,
                "title": document.title,
                "external_id": document.external_id,
            },
            "annotator": owner.get_username() if owner else None,
            "is_gold": event.annotation.is_gold,
            "actor": event.actor.get_username() if event.actor else None,
            "version": event.version,
            "action": event.action,
            "changes": event.changes,
            "created_at": event.created_at,
        }


P = "projects/<int:project_id>/"

urlpatterns = [
    path(P + "dashboard/", Dashboard.as_view(), name="dashboard"),
    path(P + "documents/bulk/assign/", BulkAssign.as_view(), name="documents-bulk-assign"),
    path(P + "documents/bulk/reset/", BulkReset.as_view(), name="documents-bulk-reset"),
    path(P + "documents/bulk/export/", BulkExport.as_view(), name="documents-bulk-export"),
    path(P + "history/", AnnotatorHistory.as_view(), name="annotator-history"),
]
