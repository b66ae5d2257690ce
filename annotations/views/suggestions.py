"""A document's suggestions (issue 10's contract): read them, or ask for them again.

Who: any member who may open the document reads them and may ask for a recomputation (the
same stored answer for everyone: it holds nobody's unsubmitted work, see
`selectors.suggestions`); why a source failed is shown to reviewers and admins only.
Non-members get 404 (`ProjectScoped`).
"""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annotations.models import Document, Role, SuggestionStatus
from annotations.permissions import RANK
from annotations.selectors.suggestions import suggestions_of
from annotations.services.suggestions import suggestions_request
from annotations.suggesting.registry import SUGGESTERS
from annotations.views.core import ProjectScoped

# --- Shapes -----------------------------------------------------------------------------


class SuggestedSpanSerializer(serializers.Serializer):
    id = serializers.CharField(
        help_text="Stable while the text and the suggester are: recomputing gives the same "
        "id to the same span; starts with the source's name"
    )
    start = serializers.IntegerField(help_text="Unicode code point offset, inclusive")
    end = serializers.IntegerField(help_text="Unicode code point offset, exclusive")
    label = serializers.CharField()
    attributes = serializers.DictField(child=serializers.CharField())
    score = serializers.FloatField(help_text="0 to 1")
    source = serializers.CharField(help_text="The suggester that proposed it")


class SuggestedRelationSerializer(serializers.Serializer):
    to = serializers.CharField(help_text="A span id of the same answer (e.g. the speaker)")
    label = serializers.CharField()
    score = serializers.FloatField()
    source = serializers.CharField()

    def get_fields(self):
        fields = super().get_fields()
        # "from" is a Python keyword: declared through the fields mapping.
        fields["from"] = serializers.CharField(help_text="A span id of the same answer")
        return fields


class SuggestionSourceSerializer(serializers.Serializer):
    source = serializers.CharField()
    status = serializers.ChoiceField(choices=SuggestionStatus.choices)
    computed_at = serializers.DateTimeField(allow_null=True)
    error = serializers.CharField(
        allow_null=True, help_text="Why it failed; reviewers and admins only (else null)"
    )


class SuggestionsSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=SuggestionStatus.choices,
        help_text="pending while any source computes, failed when every source failed",
    )
    spans = SuggestedSpanSerializer(many=True)
    relations = SuggestedRelationSerializer(many=True)
    document_labels = serializers.DictField(child=serializers.JSONField())
    sources = SuggestionSourceSerializer(many=True)


class SuggestionsRequestSerializer(serializers.Serializer):
    sources = serializers.ListField(
        child=serializers.ChoiceField(choices=list(SUGGESTERS)),
        required=False,
        allow_empty=False,
        help_text="Recompute only these sources (default: every source of the project)",
    )


# --- Views --------------------------------------------------------------------------------

EMPTY: dict[str, Any] = {"spans": [], "relations": [], "document_labels": {}, "sources": []}


class DocumentSuggestions(ProjectScoped, APIView):
    """Suggested spans, relations and document labels, merged over the project's suggesters.
    Computed by a worker when documents are imported or on `POST`; reading never computes
    (a document never asked for is asked for now, and answers `pending`)."""

    def get_document(self, doc_id: int) -> Document:
        return get_object_or_404(self.project.documents.defer("text"), pk=doc_id)

    def sees_errors(self) -> bool:
        return RANK[Role(self.role)] >= RANK[Role.REVIEWER]

    def answer(self, document: Document) -> dict[str, Any]:
        """What is stored; a document no suggester applies to has nothing to wait for."""
        stored = suggestions_of(document, sees_errors=self.sees_errors())
        return stored or {"status": SuggestionStatus.READY, **EMPTY}

    @extend_schema(responses=SuggestionsSerializer)
    def get(self, request: Request, project_id: int, doc_id: int) -> Response:
        document = self.get_document(doc_id)
        answer = suggestions_of(document, sees_errors=self.sees_errors())
        if answer is None:
            # Imported before suggestions existed, or its sources were never asked for.
            suggestions_request(project=self.project, document_ids=[document.pk])
            answer = self.answer(document)
        return Response(answer)

    @extend_schema(request=SuggestionsRequestSerializer, responses={202: SuggestionsSerializer})
    def post(self, request: Request, project_id: int, doc_id: int) -> Response:
        data = SuggestionsRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        document = self.get_document(doc_id)
        suggestions_request(
            project=self.project,
            document_ids=[document.pk],
            sources=data.validated_data.get("sources"),
        )
        return Response(self.answer(document), status=status.HTTP_202_ACCEPTED)


D = "projects/<int:project_id>/documents/<int:doc_id>/"
urlpatterns = [
    path(D + "suggestions/", DocumentSuggestions.as_view(), name="document-suggestions"),
]
