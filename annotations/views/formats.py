"""The format registry, for the browser's export and upload menus (any signed-in user)."""

from __future__ import annotations

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annotations.formats import FORMATS
from annotations.serializers import FormatSerializer


class FormatList(APIView):
    """Every format, in menu order: what it exports and what uploads it takes."""

    @extend_schema(responses=FormatSerializer(many=True))
    def get(self, request: Request) -> Response:
        return Response(FormatSerializer(FORMATS.values(), many=True).data)


urlpatterns = [path("formats/", FormatList.as_view(), name="format-list")]
