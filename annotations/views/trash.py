"""The trash: what confirmed deletes took, restorable until its retention ends."""

from __future__ import annotations

from django.http import Http404
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annotations.errors import NON_FIELD, Invalid
from annotations.models import TrashKind
from annotations.services import trash

CONFIRM = OpenApiParameter(
    "confirm",
    OpenApiTypes.BOOL,
    description="Required to delete work: without it a delete that would remove annotations "
    "answers 409 `confirm_required` with `would_delete` (counts of documents, annotations, "
    "spans). What is deleted stays restorable from `/api/trash/` for TRASH_RETENTION_DAYS.",
)


def confirmed(request: Request) -> bool:
    value = request.query_params.get("confirm", "false").lower()
    if value not in ("true", "false", "1", "0"):
        raise Invalid({"confirm": ["must be true or false"]})
    return value in ("true", "1")


class TrashItemSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=TrashKind.choices)
    name = serializers.CharField(help_text="The project's name, document's title or username")
    project = serializers.IntegerField(
        source="project_id", allow_null=True, help_text="Where a document or member belonged"
    )
    counts = serializers.DictField(child=serializers.IntegerField())
    deleted_by = serializers.CharField(source="deleted_by.username", allow_null=True)
    deleted_at = serializers.DateTimeField()
    purge_after = serializers.DateTimeField()


class RestoredSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=TrashKind.choices)
    project = serializers.IntegerField(help_text="The restored project (a new id), or where")
    document = serializers.IntegerField(allow_null=True)
    member = serializers.IntegerField(allow_null=True)


class TrashList(APIView):
    """What you may restore: projects you administered, documents and members of projects
    you administer."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=TrashItemSerializer(many=True))
    def get(self, request: Request) -> Response:
        items = trash.trash_for_user(request.user)
        return Response(TrashItemSerializer(items, many=True).data)


class TrashRestore(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses=RestoredSerializer)
    def post(self, request: Request, pk: int) -> Response:
        if request.data:
            raise Invalid({NON_FIELD: ["a restore takes no body"]})
        # An item you may not restore is one you cannot see: 404, as for other projects.
        mine = {item.pk: item for item in trash.trash_for_user(request.user)}
        item = mine.get(pk)
        if item is None:
            raise Http404
        restored = trash.trash_restore(item=item, actor=request.user)
        return Response(RestoredSerializer(restored).data)


urlpatterns = [
    path("trash/", TrashList.as_view(), name="trash-list"),
    path("trash/<int:pk>/restore/", TrashRestore.as_view(), name="trash-restore"),
]
