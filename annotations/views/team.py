"""The reviewers' screens: the team dashboard, bulk actions on documents, and the history of
the project's work.

Who: reviewers and admins read the dashboard and run bulk exports; admins assign and reset;
the history shows annotators only their own work. Non-members get 404 (`ProjectScoped`).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annotations.errors import Invalid
from annotations.models import Role
from annotations.selectors import dashboard as dashboard_reads
from annotations.views.core import ProjectScoped

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


P = "projects/<int:project_id>/"

urlpatterns = [
    path(P + "dashboard/", Dashboard.as_view(), name="dashboard"),
]
