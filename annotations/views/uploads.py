"""Uploaded import files: the project's list, and one file streamed from storage.

Project admins only: an import file may hold everyone's annotations (a Label Studio export,
a doccano member's file). Non-members get 404, even with an upload's id.
"""

from __future__ import annotations

from django.http import FileResponse, Http404
from django.urls import path, reverse
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.views import APIView

from annotations.files import open_stored
from annotations.models import Role, Upload
from annotations.permissions import project_for, require_role
from annotations.views.core import ProjectScoped

NO_SUCH_UPLOAD = "No such upload."


class StoredUploadSerializer(serializers.ModelSerializer):
    uploaded_by = serializers.CharField(
        source="uploaded_by.username", default=None, allow_null=True
    )
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Upload
        fields = [
            "id",
            "name",
            "format",
            "size",
            "sha256",
            "documents",
            "uploaded_by",
            "created_at",
            "download_url",
        ]

    def get_download_url(self, upload: Upload) -> str:
        url = reverse("upload-download", args=[upload.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url


class ProjectUploads(ProjectScoped, generics.ListAPIView):
    """The files imported into the project (those that stored documents), newest first."""

    serializer_class = StoredUploadSerializer

    def get_queryset(self):
        if self.for_schema:
            return Upload.objects.none()
        self.require(Role.ADMIN, "see uploaded files")
        # One query per page (and the count): the uploader is joined.
        return Upload.objects.filter(project=self.project).select_related("uploaded_by")


class UploadDownload(APIView):
    """The file as it was uploaded, streamed from the file storage after the permission
    check (never a link to the bucket)."""

    @extend_schema(responses={(200, "application/octet-stream"): bytes})
    def get(self, request: Request, upload_id: int) -> FileResponse:
        upload = Upload.objects.filter(pk=upload_id).first()
        if upload is None:
            raise Http404(NO_SUCH_UPLOAD)
        try:
            _project, role = project_for(request.user, upload.project_id)
        except Http404:
            raise Http404(NO_SUCH_UPLOAD) from None  # other projects' ids stay unknown
        require_role(role, Role.ADMIN, "download uploaded files")
        response = FileResponse(
            open_stored(upload.file.name),
            as_attachment=True,
            filename=upload.name or "upload",
            content_type="application/octet-stream",
        )
        response["Content-Length"] = str(upload.size)
        response["X-Checksum-SHA256"] = upload.sha256
        return response


urlpatterns = [
    path("projects/<int:project_id>/uploads/", ProjectUploads.as_view(), name="project-uploads"),
    path("uploads/<int:upload_id>/download/", UploadDownload.as_view(), name="upload-download"),
]
