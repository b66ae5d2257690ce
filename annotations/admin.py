"""The Django admin, for staff. Writes that the API guards go through the same services
here, or are read-only: annotated text keeps its offsets, and an annotation edit bumps the
version and leaves a history event."""

from typing import Any

from django import forms
from django.contrib import admin

from annotations import models
from annotations.selectors.projects import document_is_annotated
from annotations.services.annotating import annotation_admin_edit
from annotations.services.documents import document_delete, document_update
from annotations.validation import LabelSet, document_label_errors


class MembershipInline(admin.TabularInline):
    model = models.Membership
    extra = 0
    raw_id_fields = ["user"]


class LabelInline(admin.TabularInline):
    model = models.Label
    extra = 0


@admin.register(models.Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["name", "language", "annotators_per_document", "created_at"]
    search_fields = ["name", "description"]
    list_filter = ["language"]
    inlines = [MembershipInline, LabelInline]


@admin.register(models.Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "project", "role"]
    list_filter = ["role", "project"]
    search_fields = ["user__username", "project__name"]
    raw_id_fields = ["user"]


@admin.register(models.Label)
class LabelAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "group", "hotkey", "project"]
    list_filter = ["kind", "project"]
    search_fields = ["name"]


@admin.register(models.Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["external_id", "title", "project", "length", "created_at"]
    list_filter = ["project"]
    search_fields = ["external_id", "title"]
    # What services.work_state derives is shown, never edited.
    readonly_fields = [
        "length",
        "created_at",
        "state",
        "submitted_count",
        "disputed",
        "agreement",
        "last_submitted_at",
    ]

    def get_readonly_fields(self, request: Any, obj: Any = None) -> Any:
        """A document stays in its project; once annotated, its text is read-only too, since
        its offsets are in use (as in the API)."""
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            fields.append("project")
            if document_is_annotated(obj):
                fields.append("text")
        return fields

    def save_model(self, request: Any, obj: Any, form: Any, change: bool) -> None:
        if not change:
            obj.length = len(obj.text)
            super().save_model(request, obj, form, change)
            return
        changed = {name: form.cleaned_data[name] for name in form.changed_data}
        document_update(document=models.Document.objects.get(pk=obj.pk), fields=changed)

    def delete_model(self, request: Any, obj: Any) -> None:
        document_delete(document=obj)  # takes its work out of the tallies

    def delete_queryset(self, request: Any, queryset: Any) -> None:
        for document in queryset:
            document_delete(document=document)


class AnnotationAdminForm(forms.ModelForm):
    class Meta:
        model = models.Annotation
        fields = ["status", "document_labels"]

    def clean_document_labels(self) -> Any:
        value = self.cleaned_data["document_labels"]
        labels = LabelSet.from_rows(self.instance.document.project.labels.all())
        problems = document_label_errors(value, labels)
        if problems:
            raise forms.ValidationError(
                [f"{group}: {' '.join(messages)}" for group, messages in problems.items()]
            )
        return value


@admin.register(models.Annotation)
class AnnotationAdmin(admin.ModelAdmin):
    """Status and document labels may be corrected here; spans and relations only through
    the API (their ids and offsets are the editor's). Saving goes through the service."""

    form = AnnotationAdminForm
    list_display = ["document", "annotator", "is_gold", "status", "version", "updated_at"]
    list_filter = ["status", "is_gold", "document__project"]
    search_fields = ["annotator__username", "document__external_id"]
    readonly_fields = [
        "document",
        "annotator",
        "is_gold",
        "version",
        "updated_by",
        "created_at",
        "updated_at",
        "submitted_at",
        "span_count",
        "event_seconds",
        "review_state",
        "review_note",
        "review_by",
        "review_at",
    ]

    def has_add_permission(self, request: Any) -> bool:
        return False  # annotations are made by annotating, through the API or an import

    def save_model(self, request: Any, obj: Any, form: Any, change: bool) -> None:
        saved = annotation_admin_edit(
            annotation=obj,
            actor=request.user,
            status=obj.status,
            document_labels=obj.document_labels,
        )
        obj.version = saved.version


@admin.register(models.AnnotationEvent)
class AnnotationEventAdmin(admin.ModelAdmin):
    """Read-only audit trail."""

    list_display = ["annotation", "actor", "action", "version", "created_at"]
    list_filter = ["action"]
    search_fields = ["actor__username"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(models.Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["document", "annotator", "assigned_by", "created_at"]
    list_filter = ["document__project"]
    raw_id_fields = ["document", "annotator", "assigned_by"]


@admin.register(models.ExportJob)
class ExportJobAdmin(admin.ModelAdmin):
    list_display = ["id", "project", "format", "scope", "status", "row_count", "created_at"]
    list_filter = ["status", "format", "project"]
    readonly_fields = [f.name for f in models.ExportJob._meta.fields]


@admin.register(models.UserPreferences)
class UserPreferencesAdmin(admin.ModelAdmin):
    list_display = ["user", "language"]
    list_filter = ["language"]
    search_fields = ["user__username"]
    raw_id_fields = ["user"]


@admin.register(models.ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are seen and revoked (deleted) here; they are made only by their owner, whose
    key is never stored."""

    list_display = ["user", "name", "prefix", "created_at", "last_used_at"]
    search_fields = ["user__username", "name", "prefix"]
    fields = readonly_fields = ["user", "name", "prefix", "created_at", "last_used_at"]

    def has_add_permission(self, request):
        return False


class DerivedAdmin(admin.ModelAdmin):
    """Derived figures (`services.work_state`): shown, never edited by hand (a recount,
    `manage.py recount_work_state`, rebuilds them)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(models.AnnotatorTally)
class AnnotatorTallyAdmin(DerivedAdmin):
    list_display = ["project", "annotator", "assigned", "in_progress", "submitted", "skipped"]
    list_filter = ["project"]
    search_fields = ["annotator__username"]


@admin.register(models.LabelTally)
class LabelTallyAdmin(DerivedAdmin):
    list_display = ["label", "spans", "documents"]
    search_fields = ["label__name"]


@admin.register(models.DocumentLabelCount)
class DocumentLabelCountAdmin(DerivedAdmin):
    list_display = ["document", "label", "spans"]
    search_fields = ["label__name", "document__external_id"]


@admin.register(models.SubmissionTally)
class SubmissionTallyAdmin(DerivedAdmin):
    list_display = ["project", "annotator", "day", "submitted"]
    list_filter = ["project"]
    search_fields = ["annotator__username"]


@admin.register(models.AgreementTally)
class AgreementTallyAdmin(DerivedAdmin):
    list_display = ["project", "day", "documents", "agreement_micros"]
    list_filter = ["project"]
    search_fields = ["day"]


@admin.register(models.SuggestionSet)
class SuggestionSetAdmin(DerivedAdmin):
    """Computed by the suggestion task (`services.suggestions`); a POST on the document's
    suggestions recomputes them."""

    list_display = ["document", "source", "status", "computed_at"]
    list_filter = ["status", "source", "document__project"]
    raw_id_fields = ["document"]


class ShownAdmin(admin.ModelAdmin):
    """Written through the API's services (audience, notices); here they are read, and
    removed when they must go (a comment that should not have been written)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(models.Comment)
class CommentAdmin(ShownAdmin):
    list_display = ["id", "document", "author", "target", "audience", "resolved", "created_at"]
    list_filter = ["target", "audience", "resolved", "project"]
    search_fields = ["text", "author__username"]


@admin.register(models.DocumentFlag)
class DocumentFlagAdmin(ShownAdmin):
    list_display = ["document", "reason", "flagged_by", "flagged_at"]
    list_filter = ["reason", "project"]
    search_fields = ["note", "document__external_id"]


@admin.register(models.Notice)
class NoticeAdmin(ShownAdmin):
    list_display = ["recipient", "kind", "document", "actor", "created_at", "read_at"]
    list_filter = ["kind"]
    search_fields = ["recipient__username", "text"]


@admin.register(models.SuggestionBackend)
class SuggestionBackendAdmin(admin.ModelAdmin):
    """Shown here; the URL is set through the API, which checks which hosts it may name
    (the call checks again, so a URL written any other way is still refused)."""

    list_display = ["project", "url", "enabled", "status", "calls", "failures", "checked_at"]
    list_filter = ["status", "enabled"]
    readonly_fields = [
        f.name for f in models.SuggestionBackend._meta.fields if f.name not in ("enabled",)
    ]

    def has_add_permission(self, request):
        return False


@admin.register(models.Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """Read-only: a link is made in the app (its token is never stored, only its hash)."""

    list_display = ["user", "project", "created_by", "created_at", "expires_at", "used_at"]
    list_filter = ["project"]
    search_fields = ["user__username"]
    readonly_fields = [f.name for f in models.Invitation._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(models.AccountOrigin)
class AccountOriginAdmin(admin.ModelAdmin):
    list_display = ["user", "created_by", "project", "created_at"]
    search_fields = ["user__username", "created_by__username"]
    readonly_fields = [f.name for f in models.AccountOrigin._meta.fields]

    def has_add_permission(self, request):
        return False
