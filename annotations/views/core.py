"""HTTP views: parse input, check permission, call one service or selector, serialize."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.shortcuts import get_object_or_404
from django.utils import translation
from django.utils.translation import gettext as _
from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema
from rest_framework import exceptions, generics, serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annotations.errors import NON_FIELD, Invalid, PayloadTooLarge
from annotations.filters import DocumentFilter, ProjectFilterBackend
from annotations.formats.reading import json_value
from annotations.language import browser_language, saved_language
from annotations.models import Document, Label, Language, Membership, Project, Role
from annotations.parsers import StrictMultiPartParser
from annotations.permissions import RANK, project_for, require_role, sees_all_annotations
from annotations.selectors import annotations as annotation_reads
from annotations.selectors import conversation as conversation_reads
from annotations.selectors import documents as document_reads
from annotations.selectors import editor as editor_reads
from annotations.selectors import labels as label_reads
from annotations.selectors import people as people_reads
from annotations.selectors import projects as project_reads
from annotations.serializers import (
    AnnotationPatchSerializer,
    AnnotationPutSerializer,
    AnnotationSerializer,
    AnnotatorAnnotationSerializer,
    DocumentAdminSerializer,
    DocumentListSerializer,
    DocumentSerializer,
    DocumentUpdateSerializer,
    ImportResultSerializer,
    LabelSerializer,
    MembershipSerializer,
    ProjectSerializer,
    UploadSerializer,
    VersionSerializer,
)
from annotations.services import (
    annotating,
    documents,
    people,
    preferences,
    projects,
    suggestions,
    tokens,
    trash,
)
from annotations.sso import password_login_off
from annotations.suggesting.registry import QUOTES
from annotations.throttling import LoginThrottled, login_wait
from annotations.validation import LabelSet
from annotations.views.errors import ErrorSerializer
from annotations.views.trash import CONFIRM, confirmed


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)
    name = serializers.CharField(
        max_length=100,
        required=False,
        default="",
        allow_blank=True,
        help_text="What the token is for (shown in the token list).",
    )


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="The key: shown this once, never again.")
    id = serializers.IntegerField(help_text="The token's id in `/api/auth/tokens/`.")


class TokenView(APIView):
    """Exchange a username and password for a new API token (a user keeps at most
    `USER_MAX_TOKENS`: the least recently used go)."""

    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(
        request=TokenRequestSerializer, responses={200: TokenSerializer, 429: ErrorSerializer}
    )
    def post(self, request: Request) -> Response:
        if not settings.PASSWORD_LOGIN:
            raise exceptions.PermissionDenied(password_login_off())
        wait = login_wait(request)
        if wait is not None:
            raise LoginThrottled(wait)
        data = TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        credentials = {key: data.validated_data[key] for key in ("username", "password")}
        user = authenticate(request, **credentials)
        if user is None:
            raise Invalid({NON_FIELD: ["Wrong username or password."]})
        token, key = tokens.token_create(user=user, name=data.validated_data["name"])
        return Response({"token": key, "id": token.pk})


class MeSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    username = serializers.CharField(read_only=True)
    is_superuser = serializers.BooleanField(read_only=True)
    language = serializers.ChoiceField(
        choices=Language.choices,
        allow_null=True,
        help_text="The interface language the user chose; null follows the browser's "
        "Accept-Language.",
    )
    active_language = serializers.CharField(
        read_only=True, help_text="The language this answer was made in."
    )


def _me(user: Any) -> dict[str, Any]:
    return {
        "id": user.pk,
        "username": user.get_username(),
        "is_superuser": user.is_superuser,
        "language": saved_language(user) or None,
        "active_language": translation.get_language(),
    }


class MeView(APIView):
    """Who I am and my preferences; PATCH changes my interface language."""

    @extend_schema(responses=MeSerializer)
    def get(self, request: Request) -> Response:
        return Response(_me(request.user))

    @extend_schema(request=MeSerializer, responses=MeSerializer)
    def patch(self, request: Request) -> Response:
        data = MeSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        if "language" in data.validated_data:
            language = data.validated_data["language"] or ""
            user = request.user
            user.preferences = preferences.preferences_update(user=user, language=language)
            translation.activate(language or browser_language(request))
        response = Response(_me(request.user))
        # The cookie speaks for the browser before login (after logging out): the choice, or
        # none, so Accept-Language decides again.
        if data.validated_data.get("language"):
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME, data.validated_data["language"], samesite="Lax"
            )
        elif "language" in data.validated_data:
            response.delete_cookie(settings.LANGUAGE_COOKIE_NAME, samesite="Lax")
        return response


class ProjectScoped:
    """Resolves `self.project` and `self.role` from the URL; 404 for non-members."""

    request: Request
    kwargs: dict[str, Any]

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)  # type: ignore[misc]
        self.resolve(request, int(kwargs["project_id"]))

    def resolve(self, request: Request, project_id: int) -> None:
        """Set `self.project` and `self.role` (views that need more in the same query
        extend it)."""
        self.project, self.role = project_for(request.user, project_id)

    @property
    def for_schema(self) -> bool:
        """True while drf-spectacular inspects the view (no request, no project)."""
        return getattr(self, "swagger_fake_view", False)

    def require(self, needed: str, action: str) -> None:
        require_role(self.role, needed, action)


class ProjectList(generics.ListCreateAPIView):
    serializer_class = ProjectSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Project.objects.none()
        return project_reads.projects_for_user(self.request.user)

    def perform_create(self, serializer: ProjectSerializer) -> None:
        data = dict(serializer.validated_data)
        serializer.instance = projects.project_create(
            creator=self.request.user, preset=data.pop("preset", None), **data
        )
        serializer.instance.my_role = Role.ADMIN  # type: ignore[attr-defined]


class ProjectDetail(ProjectScoped, generics.RetrieveUpdateDestroyAPIView):
    serializer_class = ProjectSerializer

    def get_object(self):
        return project_reads.projects_for_user(self.request.user).get(pk=self.project.pk)

    def perform_update(self, serializer: ProjectSerializer) -> None:
        self.require(Role.ADMIN, "change the project")
        serializer.validated_data.pop("preset", None)
        marks = serializer.instance.quotes_include_marks
        serializer.save()
        if serializer.instance.quotes_include_marks != marks:
            # The quote suggestions followed the old guideline: every document's again.
            suggestions.suggestions_project_requested(
                project=serializer.instance, sources=[QUOTES.name]
            )

    @extend_schema(parameters=[CONFIRM], responses={204: None})
    def delete(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().delete(request, *args, **kwargs)

    def perform_destroy(self, instance) -> None:
        self.require(Role.ADMIN, "delete the project")
        confirm = confirmed(self.request)
        trash.project_trash(project=instance, actor=self.request.user, confirm=confirm)


class LabelQuerySerializer(serializers.Serializer):
    usage = serializers.BooleanField(
        required=False, default=False, help_text="Also count the work that uses each label"
    )


class LabelList(ProjectScoped, generics.ListCreateAPIView):
    serializer_class = LabelSerializer
    filterset_fields = ["kind"]

    def get_queryset(self):
        if self.for_schema:
            return Label.objects.none()
        return self.project.labels.all()

    @extend_schema(parameters=[LabelQuerySerializer])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        query = LabelQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        assert page is not None  # the list is always paginated
        context = self.get_serializer_context()
        if query.validated_data["usage"]:
            context["usage"] = label_reads.label_usage(self.project, page)
        return self.get_paginated_response(LabelSerializer(page, many=True, context=context).data)

    def perform_create(self, serializer: LabelSerializer) -> None:
        self.require(Role.ADMIN, "add labels")
        serializer.instance = projects.label_save(
            project=self.project, fields=dict(serializer.validated_data)
        )


class LabelDetail(ProjectScoped, generics.RetrieveUpdateDestroyAPIView):
    """One label with the work that uses it; admins change or delete it (a rename carries
    the work along; a label in use cannot be deleted)."""

    serializer_class = LabelSerializer

    def get_queryset(self):
        if self.for_schema:
            return Label.objects.none()
        return self.project.labels.all()

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return Response(self._with_usage(self.get_object()))

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        super().update(request, *args, **kwargs)
        return Response(self._with_usage(self.get_object()))

    def _with_usage(self, label: Label) -> dict[str, Any]:
        usage = label_reads.label_usage(self.project, [label])
        return LabelSerializer(label, context={"usage": usage}).data

    def perform_update(self, serializer: LabelSerializer) -> None:
        self.require(Role.ADMIN, "change labels")
        serializer.instance = projects.label_save(
            project=self.project,
            fields=dict(serializer.validated_data),
            instance=serializer.instance,
        )

    def perform_destroy(self, instance) -> None:
        self.require(Role.ADMIN, "delete labels")
        projects.label_delete(label=instance)


class LabelOrderSerializer(serializers.Serializer):
    ids = serializers.ListField(
        child=serializers.IntegerField(), help_text="Every label's id once, in the new order"
    )


class LabelOrder(ProjectScoped, APIView):
    """Admins: put the project's labels in a new order (the palette's, the exports')."""

    @extend_schema(request=LabelOrderSerializer, responses=LabelSerializer(many=True))
    def post(self, request: Request, project_id: int) -> Response:
        self.require(Role.ADMIN, "reorder labels")
        data = LabelOrderSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        labels = projects.labels_reorder(project=self.project, ids=data.validated_data["ids"])
        return Response(LabelSerializer(labels, many=True).data)


class MemberList(ProjectScoped, generics.ListCreateAPIView):
    """The project's members; admins add one by username or email (`username`), or change
    the role of someone already in."""

    serializer_class = MembershipSerializer

    def get_queryset(self):
        if self.for_schema:
            return Membership.objects.none()
        return self.project.memberships.select_related("user").order_by("pk")

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        if not self.for_schema and self.role == Role.ADMIN:
            context["pending"] = people_reads.pending_invitations(self.project)
        return context

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        self.require(Role.ADMIN, "add members")
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        membership = people.member_add(
            project=self.project,
            name=serializer.validated_data["user"]["username"],
            role=serializer.validated_data["role"],
        )
        data = MembershipSerializer(membership, context=self.get_serializer_context()).data
        return Response(data, status=status.HTTP_201_CREATED)


class MemberDetail(ProjectScoped, generics.RetrieveUpdateDestroyAPIView):
    serializer_class = MembershipSerializer

    def get_queryset(self):
        if self.for_schema:
            return Membership.objects.none()
        return self.project.memberships.select_related("user")

    def perform_update(self, serializer: MembershipSerializer) -> None:
        self.require(Role.ADMIN, "change roles")
        membership = serializer.instance
        username = serializer.validated_data.get("user", {}).get("username")
        if username is not None and username != membership.user.username:
            raise Invalid(
                {"username": [_("a membership's user cannot change: remove it and add the other")]}
            )
        role = serializer.validated_data.get("role", membership.role)
        serializer.instance = projects.membership_update(membership=membership, role=role)

    @extend_schema(parameters=[CONFIRM], responses={204: None})
    def delete(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().delete(request, *args, **kwargs)

    def perform_destroy(self, instance: Membership) -> None:
        self.require(Role.ADMIN, "remove members")
        confirm = confirmed(self.request)
        trash.member_trash(membership=instance, actor=self.request.user, confirm=confirm)


class DocumentList(ProjectScoped, generics.ListCreateAPIView):
    """List documents (no text), filtered, sorted and paged; or create one (an object) or
    many (an array).

    Everyone sees `status` and their own `my_status`; filters and fields that tell about
    other people's work (state, annotator, label, disagreement, agreement, who worked on
    it) are for those who may see it (reviewers, admins, or all when annotators see each
    other): annotators get 403 for those filters, and those fields blank.
    """

    serializer_class = DocumentListSerializer
    filter_backends = [ProjectFilterBackend]
    filterset_class = DocumentFilter
    OPEN_PARAMETERS = frozenset(
        {"page", "page_size", "status", "my_status", "q", "ordering", "flagged"}
    )

    def get_queryset(self):
        if self.for_schema:
            return Document.objects.none()
        reviewer = RANK[Role(self.role)] >= RANK[Role.REVIEWER]
        documents = document_reads.documents_table(
            self.project, self.request.user, masks_checks=not reviewer
        )
        return conversation_reads.with_comment_counts(documents, self.request.user, reviewer)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        sees_all = sees_all_annotations(self.project, self.role)
        if not sees_all:
            hidden = sorted(set(request.query_params) - self.OPEN_PARAMETERS)
            ordering = request.query_params.get("ordering", "").lstrip("-")
            if hidden or ordering in ("agreement", "last_submitted_at"):
                self.require(Role.REVIEWER, "filter by other people's work")
        ids = self.paginate_queryset(
            self.filter_queryset(self.get_queryset()).values_list("pk", flat=True)
        )
        assert ids is not None  # the list is always paginated
        page = document_reads.table_page(self.get_queryset(), list(ids))
        work = document_reads.work_on(self.project, [d.pk for d in page]) if sees_all else {}
        reviewer = RANK[Role(self.role)] >= RANK[Role.REVIEWER]
        context = {"work": work, "sees_all": sees_all, "reviewer": reviewer}
        rows = DocumentListSerializer(page, many=True, context=context)
        return self.get_paginated_response(rows.data)

    @extend_schema(
        request=DocumentSerializer(many=True),
        responses={
            201: PolymorphicProxySerializer(
                component_name="DocumentsCreated",
                serializers=[DocumentSerializer, ImportResultSerializer],
                resource_type_field_name=None,
            )
        },
    )
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        self.require(Role.ADMIN, "add documents")
        payload = request.data
        items = payload if isinstance(payload, list) else [payload]
        if not all(isinstance(item, dict) for item in items):
            raise Invalid({NON_FIELD: ["send a document object or an array of them"]})
        records = [{**item, "_line": i + 1} for i, item in enumerate(items)]
        created = documents.documents_import(
            project=self.project,
            records=records,
            actor=request.user,
            origin="object" if isinstance(payload, dict) else "array",
        )
        if isinstance(payload, dict):
            return Response(DocumentSerializer(created.first).data, status=status.HTTP_201_CREATED)
        body = {"created": len(created.ids), "ids": created.ids, "warnings": []}
        return Response(body, status=status.HTTP_201_CREATED)


def _names_field(data: Any, name: str) -> dict[str, str]:
    """A multipart field holding a JSON object from names to names (`{"2": "alice"}`)."""
    raw = data.get(name)
    if not raw:
        return {}
    try:
        value = json_value(raw) if isinstance(raw, str) else None
    except ValueError:
        value = None
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and isinstance(v, str) and v for k, v in value.items()
    ):
        message = _("must be a JSON object from names to names, e.g. %(example)s")
        raise Invalid({name: [message % {"example": '{"2": "alice"}'}]})
    return value


class DocumentUpload(ProjectScoped, APIView):
    """Import a .txt, .jsonl or .csv file; all of it, or nothing."""

    parser_classes = [StrictMultiPartParser]

    @extend_schema(
        request=UploadSerializer, responses={201: ImportResultSerializer, 413: ErrorSerializer}
    )
    def post(self, request: Request, project_id: int) -> Response:
        self.require(Role.ADMIN, "upload documents")
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
        if declared > settings.UPLOAD_MAX_BYTES:
            raise PayloadTooLarge(f"Upload is over the {settings.UPLOAD_MAX_BYTES}-byte limit.")
        upload = request.FILES.get("file")
        if upload is None:
            raise Invalid({"file": ["required: a multipart field 'file'"]})
        if upload.size > settings.UPLOAD_MAX_BYTES:
            raise PayloadTooLarge(
                f"{upload.name} is over the {settings.UPLOAD_MAX_BYTES}-byte limit."
            )
        created, warnings = documents.documents_upload(
            project=self.project,
            raw=upload,
            name=upload.name or "",
            format=request.data.get("format") or None,
            offset_unit=request.data.get("offset_unit") or None,
            actor=request.user,
            external_id_key=request.data.get("external_id_key") or None,
            layer=request.data.get("as") or None,
            annotator_map=_names_field(request.data, "annotator_map"),
            label_map=_names_field(request.data, "label_map"),
            annotators=request.data.get("annotators") or None,
            duplicates=request.data.get("duplicates") or None,
        )
        body = {
            "created": len(created.ids),
            "ids": created.ids,
            "warnings": warnings,
            "annotators": {
                "mapped": created.mapped,
                "created": created.accounts_created,
                "added": created.members_added,
                "suggestions": created.suggested_from,
            },
            "skipped": created.skipped,
            "updated": created.updated,
        }
        return Response(body, status=status.HTTP_201_CREATED)


class DocumentDetail(ProjectScoped, APIView):
    serializer_class = DocumentSerializer

    def resolve(self, request: Request, project_id: int) -> None:
        # The project, the role and the document in one query (the editor opens with it).
        doc_id = int(self.kwargs["doc_id"])
        target = editor_reads.document_target(
            request.user, project_id, doc_id, text=True, labels=False
        )
        if target is None:  # the usual reads, for their 404s
            super().resolve(request, project_id)
            self.document = get_object_or_404(self.project.documents, pk=doc_id)
            return
        self.document, self.role, self.project = target.document, target.role, target.project

    def get_document(self, doc_id: int) -> Document:
        return self.document

    @extend_schema(responses=DocumentSerializer)
    def get(self, request: Request, project_id: int, doc_id: int) -> Response:
        return Response(DocumentSerializer(self.get_document(doc_id)).data)

    @extend_schema(request=DocumentUpdateSerializer, responses=DocumentAdminSerializer)
    def patch(self, request: Request, project_id: int, doc_id: int) -> Response:
        self.require(Role.ADMIN, "edit documents")
        data = DocumentUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        document = documents.document_update(
            document=self.get_document(doc_id), fields=dict(data.validated_data)
        )
        return Response(DocumentAdminSerializer(document).data)

    @extend_schema(parameters=[CONFIRM], responses={204: None})
    def delete(self, request: Request, project_id: int, doc_id: int) -> Response:
        self.require(Role.ADMIN, "delete documents")
        trash.document_trash(
            document=self.get_document(doc_id), actor=request.user, confirm=confirmed(request)
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class AnnotationEndpoint(ProjectScoped, APIView):
    """Shared GET/PUT/PATCH for one annotation; subclasses say whose.

    The project, the caller's role, the document and the labels come in one query
    (`selectors.editor`): the editor's autosave and read are the busiest requests."""

    labels: LabelSet | None = None

    def annotator(self):  # pragma: no cover - overridden
        raise NotImplementedError

    def check_write(self) -> None:
        """Members may write their own annotation; subclasses narrow it."""

    def resolve(self, request: Request, project_id: int) -> None:
        target = editor_reads.document_target(request.user, project_id, int(self.kwargs["doc_id"]))
        if target is None:  # the usual reads, for their 404s
            super().resolve(request, project_id)
            self.document = get_object_or_404(
                self.project.documents.select_related("project").defer("text"),
                pk=self.kwargs["doc_id"],
            )
            return
        self.document, self.role, self.project = target.document, target.role, target.project
        self.labels = target.labels

    def get_document(self, doc_id: int) -> Document:
        return self.document

    @extend_schema(responses=AnnotationSerializer)
    def get(self, request: Request, project_id: int, doc_id: int) -> Response:
        labels = self.labels or annotating.labelset_for(self.document)
        annotation = editor_reads.annotation_read(self.document, self.annotator(), labels.names())
        return Response(annotation_reads.annotation_detail(annotation, self.project.pk))

    @extend_schema(
        request=AnnotationPutSerializer, responses={200: AnnotationSerializer, 409: ErrorSerializer}
    )
    def put(self, request: Request, project_id: int, doc_id: int) -> Response:
        self.check_write()
        data = AnnotationPutSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        content = dict(data.validated_data)
        active_seconds = content.pop("active_seconds", None)
        annotation = annotating.annotation_replace(
            document=self.get_document(doc_id),
            annotator=self.annotator(),
            actor=request.user,
            data=content,
            expected_version=content.pop("version"),
            active_seconds=active_seconds,
            labels=self.labels,
        )
        return Response(annotation_reads.annotation_detail(annotation, self.project.pk))

    @extend_schema(
        request=AnnotationPatchSerializer, responses={200: VersionSerializer, 409: ErrorSerializer}
    )
    def patch(self, request: Request, project_id: int, doc_id: int) -> Response:
        self.check_write()
        data = AnnotationPatchSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        annotation = annotating.annotation_patch(
            document=self.get_document(doc_id),
            annotator=self.annotator(),
            actor=request.user,
            ops=data.validated_data["ops"],
            expected_version=data.validated_data["version"],
            active_seconds=data.validated_data.get("active_seconds"),
            labels=self.labels,
        )
        return Response({"version": annotation.version, "status": annotation.status})


class MyAnnotation(AnnotationEndpoint):
    """The caller's own annotation of a document."""

    def annotator(self):
        return self.request.user


class DocumentAnnotations(ProjectScoped, APIView):
    """Every annotator's annotation of a document: reviewers and admins (or if allowed)."""

    @extend_schema(responses=AnnotatorAnnotationSerializer(many=True))
    def get(self, request: Request, project_id: int, doc_id: int) -> Response:
        if not sees_all_annotations(self.project, self.role):
            self.require(Role.REVIEWER, "see other annotators' work")
        document = get_object_or_404(self.project.documents.defer("text"), pk=doc_id)
        return Response(annotation_reads.annotations_of_document(document))
