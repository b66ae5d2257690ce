"""Export jobs: request one, follow it, download its zip, list past ones.

Reviewers and admins request exports; annotators get 403. Reading a job (and its
file) needs project membership and the right to see everyone's work (reviewers,
admins, or annotators when the project lets them see each other): an export
holds other people's annotations. Non-members get 404, even with a job's id.
"""

from __future__ import annotations

from typing import Any, cast

from django.contrib.auth.models import User
from django.http import FileResponse, Http404
from django.urls import path, reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annotations.files import open_stored
from annotations.formats import SCOPES, export_formats
from annotations.models import ExportJob, ExportStatus, Role
from annotations.permissions import project_for, require_role, sees_all_annotations
from annotations.services import export_diff, export_lease, exports
from annotations.views.core import ProjectScoped


class ExportRequestSerializer(serializers.Serializer):
    format = serializers.CharField(
        help_text=f"One of: {', '.join(export_formats())} (see GET /api/formats/)"
    )
    scope = serializers.CharField(default="gold", help_text=f"One of: {', '.join(SCOPES)}")
    split = serializers.JSONField(
        required=False,
        allow_null=True,
        help_text='Ratios by split name, summing to 1, e.g. {"train": 0.8, "dev": 0.1, '
        '"test": 0.1}; assigned from each document\'s external_id.',
    )
    options = serializers.JSONField(
        required=False,
        allow_null=True,
        help_text='{"exclude_flagged": true} leaves flagged documents out (the card counts them); '
        '{"include_unannotated": true} (scopes gold and all) exports every document, those '
        "nobody has annotated yet with no annotations; for a format whose "
        '`export.span_labels` is true, {"labels": ["PER", "QUOTE"]} names the span labels to '
        "tag (default: every span label except QUOTE); and the format's own options "
        "(`export.options` of GET /api/formats/), e.g. for doccano "
        '{"shape": "label", "offset_unit": "grapheme"}; defaults filled in.',
    )


class ExportJobSerializer(serializers.ModelSerializer):
    requested_by = serializers.CharField(
        source="requested_by.username", default=None, allow_null=True
    )
    progress = serializers.SerializerMethodField()
    stale = serializers.SerializerMethodField()
    download_url = serializers.SerializerMethodField()
    file_name = serializers.SerializerMethodField()

    class Meta:
        model = ExportJob
        fields = [
            "id",
            "project",
            "format",
            "scope",
            "split",
            "options",
            "status",
            "progress",
            "row_count",
            "size",
            "sha256",
            "version",
            "previous",
            "error",
            "warnings",
            "attempt",
            "stale",
            "requested_by",
            "created_at",
            "started_at",
            "heartbeat_at",
            "finished_at",
            "file_name",
            "download_url",
        ]

    def get_progress(self, job: ExportJob) -> dict[str, Any]:
        """Documents read out of those in scope."""
        return {"done": job.progress_done, "total": job.progress_total}

    def get_stale(self, job: ExportJob) -> bool:
        """Running, but no heartbeat for EXPORT_STALE_SECONDS: its worker has probably died
        and the job waits for a worker to take it over (workers do so when they start)."""
        return export_lease.export_is_stale(job)

    def get_file_name(self, job: ExportJob) -> str | None:
        return exports.export_file_name(job) if job.status == ExportStatus.SUCCEEDED else None

    def get_download_url(self, job: ExportJob) -> str | None:
        if job.status != ExportStatus.SUCCEEDED:
            return None
        url = reverse("export-download", args=[job.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url


class ExportJobListSerializer(ExportJobSerializer):
    """The list leaves out warnings (up to a thousand per job); the job's own page has them."""

    class Meta(ExportJobSerializer.Meta):
        fields = [f for f in ExportJobSerializer.Meta.fields if f != "warnings"]


def _require_reader(project: Any, role: str) -> None:
    if not sees_all_annotations(project, role):
        require_role(role, Role.REVIEWER, "see exports")


class ProjectExports(ProjectScoped, generics.ListAPIView):
    """Past export jobs of the project, newest first; POST requests a new one."""

    serializer_class = ExportJobListSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no request
            return ExportJob.objects.none()
        _require_reader(self.project, self.role)
        # One query per page: the project is known, the requester is joined.
        return (
            ExportJob.objects.filter(project=self.project)
            .select_related("project", "requested_by")
            .defer("warnings")
        )

    @extend_schema(request=ExportRequestSerializer, responses={202: ExportJobSerializer})
    def post(self, request: Request, project_id: int) -> Response:
        self.require(Role.REVIEWER, "request exports")
        data = ExportRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        job = exports.export_request(
            project=self.project,
            requested_by=cast(User, request.user),  # authenticated: IsAuthenticated
            **data.validated_data,
        )
        body = ExportJobSerializer(job, context={"request": request}).data
        location = request.build_absolute_uri(reverse("export-detail", args=[job.pk]))
        return Response(body, status=status.HTTP_202_ACCEPTED, headers={"Location": location})


NO_SUCH_EXPORT = "No such export."


class JobScoped:
    """Resolves `self.job` from the URL: 404 unless the caller may see its project."""

    def get_job(self, request: Request, job_id: int) -> ExportJob:
        job = ExportJob.objects.select_related("project", "requested_by").filter(pk=job_id).first()
        if job is None:
            raise Http404(NO_SUCH_EXPORT)
        try:
            project, role = project_for(request.user, job.project_id)
        except Http404:
            # The answer for an id that does not exist: other projects' ids stay unknown.
            raise Http404(NO_SUCH_EXPORT) from None
        _require_reader(project, role)
        return job


class ExportDetail(JobScoped, APIView):
    """A job's status, progress, result and, once it succeeded, its download URL."""

    @extend_schema(responses=ExportJobSerializer)
    def get(self, request: Request, job_id: int) -> Response:
        job = export_lease.export_refresh(self.get_job(request, job_id))
        return Response(ExportJobSerializer(job, context={"request": request}).data)


class ExportDownload(JobScoped, APIView):
    """The export's zip, streamed from the file storage through this process, only after
    the permission check: the bucket is never public and no link to it is handed out
    (DECISIONS.md 54)."""

    @extend_schema(responses={(200, "application/zip"): bytes})
    def get(self, request: Request, job_id: int) -> FileResponse:
        job = self.get_job(request, job_id)
        if job.status != ExportStatus.SUCCEEDED or not job.file:
            raise Http404(f"Export {job.pk} has no file: it is {job.status}.")
        response = FileResponse(
            open_stored(job.file.name),
            as_attachment=True,
            filename=exports.export_file_name(job),
            content_type="application/zip",
        )
        response["Content-Length"] = str(job.size)
        response["X-Checksum-SHA256"] = job.sha256
        return response


class ExportDiffSerializer(serializers.Serializer):
    """What changed from export `against` to this one (DECISIONS.md 50)."""

    against = serializers.IntegerField()
    documents = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="external ids: added, removed, changed",
    )
    spans = serializers.DictField(
        child=serializers.IntegerField(), help_text="added, removed, relabelled, moved"
    )
    relations = serializers.DictField(child=serializers.IntegerField(), help_text="added, removed")
    document_labels = serializers.DictField(
        child=serializers.IntegerField(), help_text="changed: documents whose labels changed"
    )
    by_label = serializers.DictField(
        child=serializers.DictField(child=serializers.IntegerField()),
        help_text="per span label: added, removed",
    )


class ExportDiffPendingSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=["pending"])
    against = serializers.IntegerField()


class ExportDiffView(JobScoped, APIView):
    """What changed since the previous version (or `?against=<export id>` of the same
    project). A large diff is computed by a worker: 202 until it is ready."""

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "against", int, description="Another succeeded export of the same project"
            )
        ],
        responses={200: ExportDiffSerializer, 202: ExportDiffPendingSerializer},
    )
    def get(self, request: Request, job_id: int) -> Response:
        job = self.get_job(request, job_id)
        diff, ready = export_diff.diff_request(job=job, against=request.query_params.get("against"))
        if ready:
            return Response(diff.result)
        body = {"status": "pending", "against": diff.against_id}
        return Response(body, status=status.HTTP_202_ACCEPTED, headers={"Retry-After": "2"})


urlpatterns = [
    path("projects/<int:project_id>/exports/", ProjectExports.as_view(), name="project-exports"),
    path("exports/<int:job_id>/", ExportDetail.as_view(), name="export-detail"),
    path("exports/<int:job_id>/download/", ExportDownload.as_view(), name="export-download"),
    path("exports/<int:job_id>/diff/", ExportDiffView.as_view(), name="export-diff"),
]
