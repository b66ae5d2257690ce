"""A project's HTTP model backend: admins set its URL and read how its calls went.

Only admins may see or change it (the URL may name a host of the newsroom's own network);
other members get 403, non-members 404. The shapes the server sends the backend and expects
back are in the schema as `SuggestionBackendRequest` and `SuggestionBackendAnswer` (the
`model-backend` callback of the PUT), so a team can write a backend in any language.
"""

from __future__ import annotations

from django.urls import path
from drf_spectacular.utils import OpenApiCallback, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annotations.models import BackendStatus, Role, SuggestionBackend
from annotations.services import suggestion_backend as backends
from annotations.suggesting.backend import MAX_ID, MAX_ITEMS, PROTOCOL
from annotations.views.core import ProjectScoped

SCORE_HELP = "From 0 to 1; 1 when left out."


class SuggestionBackendSerializer(serializers.Serializer):
    url = serializers.CharField(
        max_length=2000,
        allow_null=True,
        help_text="http(s) URL the server POSTs each document to; public hosts only, unless "
        "the server's SUGGESTION_BACKEND_ALLOWED_NETWORKS lists the address. null: none set.",
    )
    enabled = serializers.BooleanField(default=True)
    status = serializers.ChoiceField(
        choices=BackendStatus.choices,
        read_only=True,
        help_text="How the latest call went (unused: none yet since the URL was set)",
    )
    error = serializers.CharField(
        read_only=True, help_text="The latest failure's reason (kept after later successes)"
    )
    failed_at = serializers.DateTimeField(read_only=True, allow_null=True)
    checked_at = serializers.DateTimeField(read_only=True, allow_null=True)
    calls = serializers.IntegerField(read_only=True)
    failures = serializers.IntegerField(read_only=True)


class SuggestionBackendWriteSerializer(serializers.Serializer):
    url = serializers.CharField(max_length=2000, allow_blank=True, trim_whitespace=True)
    enabled = serializers.BooleanField(default=True)


# --- What the server sends and expects back (documentation of the callback) ---------------


class OneName(serializers.Serializer):
    """One component name in the schema whichever way the shape travels."""

    one_schema_name = True


class ModelBackendSpanLabelSerializer(OneName):
    name = serializers.CharField()
    attributes = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Attribute name → allowed values",
    )


class ModelBackendRelationLabelSerializer(OneName):
    name = serializers.CharField()
    source_labels = serializers.ListField(child=serializers.CharField(), help_text="[]: any")
    target_labels = serializers.ListField(child=serializers.CharField(), help_text="[]: any")


class ModelBackendDocumentGroupSerializer(OneName):
    group = serializers.CharField()
    values = serializers.ListField(child=serializers.CharField())
    multiple = serializers.BooleanField()


class ModelBackendLabelsSerializer(OneName):
    spans = ModelBackendSpanLabelSerializer(many=True)
    relations = ModelBackendRelationLabelSerializer(many=True)
    document = ModelBackendDocumentGroupSerializer(many=True)


class ModelBackendDocumentSerializer(OneName):
    id = serializers.IntegerField()
    external_id = serializers.CharField()
    title = serializers.CharField(allow_blank=True)
    language = serializers.CharField(help_text="The project's language (BCP-47)")
    text = serializers.CharField(help_text="Exactly as stored; offsets count its code points")
    length = serializers.IntegerField(help_text="Code points")


class ModelBackendRequestSerializer(OneName):
    protocol = serializers.IntegerField(help_text=f"{PROTOCOL}")
    offsets = serializers.ChoiceField(choices=["code_point"])
    document = ModelBackendDocumentSerializer()
    labels = ModelBackendLabelsSerializer()


class ModelBackendSpanSerializer(OneName):
    id = serializers.CharField(
        max_length=MAX_ID, help_text="Unique in the answer; relations use it"
    )
    start = serializers.IntegerField(min_value=0, help_text="Code point offset")
    end = serializers.IntegerField(help_text="Exclusive; at most the text's length")
    label = serializers.CharField(help_text="A span label of the project")
    attributes = serializers.DictField(required=False, help_text="Allowed values only")
    score = serializers.FloatField(required=False, min_value=0, max_value=1, help_text=SCORE_HELP)


class ModelBackendRelationSerializer(OneName):
    def get_fields(self):  # `from` is a Python keyword
        fields = super().get_fields()
        fields["from"] = serializers.CharField(help_text="A span id of this answer")
        fields["to"] = serializers.CharField(help_text="A span id of this answer")
        fields["label"] = serializers.CharField(help_text="A relation label of the project")
        fields["score"] = serializers.FloatField(
            required=False, min_value=0, max_value=1, help_text=SCORE_HELP
        )
        return fields


class ModelBackendDocumentLabelSerializer(OneName):
    group = serializers.CharField()
    value = serializers.CharField()
    score = serializers.FloatField(required=False, min_value=0, max_value=1, help_text=SCORE_HELP)


class ModelBackendAnswerSerializer(OneName):
    spans = ModelBackendSpanSerializer(many=True, required=False, help_text=f"At most {MAX_ITEMS}")
    relations = ModelBackendRelationSerializer(
        many=True, required=False, help_text=f"At most {MAX_ITEMS}"
    )
    document_labels = ModelBackendDocumentLabelSerializer(
        many=True, required=False, help_text="Several entries for a multiple-choice group"
    )


MODEL_BACKEND_CALLBACK = OpenApiCallback(
    name="model-backend",
    path="{$request.body#/url}",
    decorator=extend_schema(
        summary="What the server POSTs to the backend for each document",
        description=(
            "Sent by the suggestion task (never while an annotator waits). The answer must be "
            "200 with a JSON object; any other status, a redirect, a timeout "
            "(SUGGESTION_BACKEND_TIMEOUT_SECONDS), an answer over "
            "SUGGESTION_BACKEND_MAX_BYTES, or one item that does not fit the text or the "
            "label schema makes the call fail as a whole, with the reason shown to the "
            "project's admins (GET …/suggestions/backend/)."
        ),
        request=ModelBackendRequestSerializer,
        responses={200: ModelBackendAnswerSerializer},
    ),
)


def _shown(backend: SuggestionBackend | None) -> dict:
    if backend is None:
        return {
            "url": None,
            "enabled": False,
            "status": BackendStatus.UNUSED,
            "error": "",
            "failed_at": None,
            "checked_at": None,
            "calls": 0,
            "failures": 0,
        }
    return SuggestionBackendSerializer(backend).data


class SuggestionBackendDetail(ProjectScoped, APIView):
    """Admins: the project's model backend (GET, PUT, DELETE)."""

    @extend_schema(responses=SuggestionBackendSerializer)
    def get(self, request: Request, project_id: int) -> Response:
        self.require(Role.ADMIN, "see the project's model backend")
        return Response(_shown(SuggestionBackend.objects.filter(project=self.project).first()))

    @extend_schema(
        request=SuggestionBackendWriteSerializer,
        responses=SuggestionBackendSerializer,
        callbacks=[MODEL_BACKEND_CALLBACK],
        description="Set the backend's URL (an empty one removes it). A new URL starts a "
        "fresh record of calls.",
    )
    def put(self, request: Request, project_id: int) -> Response:
        self.require(Role.ADMIN, "set the project's model backend")
        data = SuggestionBackendWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        if not data.validated_data["url"]:
            backends.suggestion_backend_delete(project=self.project)
            return Response(_shown(None))
        backend = backends.suggestion_backend_save(
            project=self.project,
            url=data.validated_data["url"],
            enabled=data.validated_data["enabled"],
            by=request.user,
        )
        return Response(_shown(backend))

    @extend_schema(responses={204: OpenApiResponse(description="Removed")})
    def delete(self, request: Request, project_id: int) -> Response:
        self.require(Role.ADMIN, "remove the project's model backend")
        backends.suggestion_backend_delete(project=self.project)
        return Response(status=status.HTTP_204_NO_CONTENT)


P = "projects/<int:project_id>/"
urlpatterns = [
    path(
        P + "suggestions/backend/",
        SuggestionBackendDetail.as_view(),
        name="suggestion-backend",
    ),
]
