"""Annotator quality (issue 12): accuracy on hidden gold checks, drift, agreement and time.

Reviewers and admins read every annotator's figures; an annotator reads only their own
(one entry, whatever they ask); non-members get 404 (`ProjectScoped`).
"""

from __future__ import annotations

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annotations.models import Role
from annotations.permissions import RANK
from annotations.selectors.quality import project_quality
from annotations.views.core import ProjectScoped


class AccuracySerializer(serializers.Serializer):
    span_f1 = serializers.FloatField(allow_null=True, help_text="Exact match against gold")
    span_f1_overlap = serializers.FloatField(allow_null=True, help_text="Overlap match")
    link_f1 = serializers.FloatField(
        allow_null=True, help_text="Ends overlap-matched to gold's, same label"
    )
    document_labels = serializers.FloatField(
        allow_null=True, help_text="Share of groups (set in gold or by them) chosen as gold"
    )


class DriftWindowSerializer(serializers.Serializer):
    checks = serializers.IntegerField()
    first_at = serializers.DateTimeField()
    last_at = serializers.DateTimeField()
    span_f1 = serializers.FloatField(allow_null=True)


class AnnotatorQualitySerializer(serializers.Serializer):
    username = serializers.CharField()
    documents = serializers.IntegerField(help_text="Ordinary documents submitted")
    checks = serializers.IntegerField(help_text="Hidden gold checks submitted")
    accuracy = AccuracySerializer(help_text="Against the checks' gold; null before a check")
    agreement = serializers.FloatField(
        allow_null=True,
        help_text="Mean agreement (pairwise overlap span F1) of their documents done by others",
    )
    drift = DriftWindowSerializer(many=True, help_text="Exact span F1 per window, oldest first")
    drifting = serializers.BooleanField(
        help_text="The newest window is more than drift_margin below the earlier ones' mean"
    )
    active_seconds_median = serializers.FloatField(allow_null=True)
    seconds_per_span_median = serializers.FloatField(allow_null=True)


class QualitySerializer(serializers.Serializer):
    drift_window = serializers.IntegerField(help_text="Checks per drift window")
    drift_windows = serializers.IntegerField(help_text="Windows shown, the newest last")
    drift_margin = serializers.FloatField()
    annotators = AnnotatorQualitySerializer(many=True)


class Quality(ProjectScoped, APIView):
    """Each annotator's documents, checks, accuracy against the checks' gold, drift,
    agreement with the others and time (an annotator: their own figures only)."""

    @extend_schema(responses=QualitySerializer)
    def get(self, request: Request, project_id: int) -> Response:
        reviewer = RANK[Role(self.role)] >= RANK[Role.REVIEWER]
        figures = project_quality(self.project, only=None if reviewer else request.user)
        return Response(QualitySerializer(figures).data)


P = "projects/<int:project_id>/"
urlpatterns = [path(P + "quality/", Quality.as_view(), name="annotator-quality")]
