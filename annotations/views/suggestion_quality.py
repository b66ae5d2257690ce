"""Whether suggestions help: per suggester, precision and recall against gold and the
annotators' acceptance (reviewers and admins; annotators 403, non-members 404)."""

from __future__ import annotations

from typing import Any

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annotations.models import Role
from annotations.selectors.suggestion_quality import suggestion_quality_of
from annotations.suggesting.quality import Match, SourceQuality
from annotations.suggesting.registry import SUGGESTERS
from annotations.views.core import ProjectScoped


class MatchSerializer(serializers.Serializer):
    suggested = serializers.IntegerField(help_text="On documents with gold")
    correct = serializers.IntegerField(help_text="Same offsets and label as a gold item")
    gold = serializers.IntegerField(help_text="Gold items of the labels the source proposes")
    precision = serializers.FloatField(allow_null=True, help_text="correct / suggested")
    recall = serializers.FloatField(allow_null=True, help_text="correct / gold")
    f1 = serializers.FloatField(allow_null=True)


class LabelMatchSerializer(MatchSerializer):
    label = serializers.CharField()


class AcceptanceSerializer(serializers.Serializer):
    shown = serializers.IntegerField(help_text="Suggestions shown, summed over submissions")
    accepted = serializers.IntegerField(help_text="Submitted spans whose provenance is it")
    edited = serializers.IntegerField(help_text="Accepted, then moved or relabelled")
    not_accepted = serializers.IntegerField(help_text="Shown, and rejected or ignored")
    rate = serializers.FloatField(allow_null=True, help_text="accepted / shown")


class SourceQualitySerializer(serializers.Serializer):
    source = serializers.CharField()
    title = serializers.CharField()
    documents = serializers.IntegerField(help_text="With this source's ready suggestions")
    compared = serializers.IntegerField(help_text="Of which have gold")
    spans = MatchSerializer()
    links = MatchSerializer()
    span_labels = LabelMatchSerializer(many=True)
    link_labels = LabelMatchSerializer(many=True)
    acceptance = AcceptanceSerializer()


class SuggestionQualitySerializer(serializers.Serializer):
    sources = SourceQualitySerializer(many=True)


def _match(match: Match, **more: Any) -> dict[str, Any]:
    return {
        **more,
        "suggested": match.suggested,
        "correct": match.correct,
        "gold": match.gold,
        "precision": match.precision,
        "recall": match.recall,
        "f1": match.f1,
    }


def _source(quality: SourceQuality) -> dict[str, Any]:
    spec = SUGGESTERS.get(quality.source)
    return {
        "source": quality.source,
        "title": spec.title if spec else quality.source,
        "documents": quality.documents,
        "compared": quality.compared,
        "spans": _match(quality.spans),
        "links": _match(quality.links),
        "span_labels": [_match(m, label=k) for k, m in quality.span_labels.items()],
        "link_labels": [_match(m, label=k) for k, m in quality.link_labels.items()],
        "acceptance": {
            "shown": quality.shown,
            "accepted": quality.accepted,
            "edited": quality.edited,
            "not_accepted": max(0, quality.shown - quality.accepted),
            "rate": quality.acceptance,
        },
    }


class SuggestionQuality(ProjectScoped, APIView):
    """Reviewers and admins: per suggester, precision and recall of its spans and links
    against gold (exact match, labels it proposes), and how many of its suggestions
    annotators kept in their submitted work (span provenance)."""

    @extend_schema(responses=SuggestionQualitySerializer)
    def get(self, request: Request, project_id: int) -> Response:
        self.require(Role.REVIEWER, "see how well suggestions do")
        figures = suggestion_quality_of(self.project)
        return Response({"sources": [_source(q) for q in figures]})


P = "projects/<int:project_id>/"
urlpatterns = [
    path(P + "suggestions/quality/", SuggestionQuality.as_view(), name="suggestion-quality"),
]
