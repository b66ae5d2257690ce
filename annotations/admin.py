from django.contrib import admin

from annotations import models


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
    readonly_fields = ["length", "created_at"]


class SpanInline(admin.TabularInline):
    model = models.Span
    extra = 0
    raw_id_fields = ["label"]


@admin.register(models.Annotation)
class AnnotationAdmin(admin.ModelAdmin):
    list_display = ["document", "annotator", "is_gold", "status", "version", "updated_at"]
    list_filter = ["status", "is_gold", "document__project"]
    search_fields = ["annotator__username", "document__external_id"]
    raw_id_fields = ["document", "annotator", "updated_by"]
    readonly_fields = ["version", "created_at", "updated_at"]


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
