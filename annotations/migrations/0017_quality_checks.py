"""Hidden gold checks, the check rate, and the editor's active time (issue 12).

On PostgreSQL the dashboard's covering index of submitted annotations (0015) also carries
`active_seconds`, so the time medians, which now prefer it, stay an index-only scan.
"""

from django.conf import settings
from django.db import migrations, models

TIMES = """
CREATE INDEX annotation_submitted_times ON annotations_annotation
    (project_id, annotator_id, submitted_at) INCLUDE (id, event_seconds, {more}span_count)
    WHERE NOT is_gold AND status = 'submitted'
"""


def _times_index(schema_editor, more: str) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute('DROP INDEX IF EXISTS "annotation_submitted_times"')
    schema_editor.execute(TIMES.format(more=more))


def with_active_seconds(apps, schema_editor):
    _times_index(schema_editor, "active_seconds, ")


def without_active_seconds(apps, schema_editor):
    _times_index(schema_editor, "")


class Migration(migrations.Migration):
    dependencies = [
        ("annotations", "0016_people"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="annotation",
            name="active_seconds",
            field=models.FloatField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="document",
            name="check_since",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="project",
            name="check_rate",
            field=models.FloatField(db_default=0.0, default=0.0),
        ),
        migrations.AddIndex(
            model_name="document",
            index=models.Index(
                condition=models.Q(("check_since__isnull", False)),
                fields=["project", "id"],
                name="document_check",
            ),
        ),
        migrations.AddConstraint(
            model_name="project",
            constraint=models.CheckConstraint(
                condition=models.Q(("check_rate__gte", 0), ("check_rate__lte", 1)),
                name="project_check_rate_range",
            ),
        ),
        migrations.RunPython(with_active_seconds, without_active_seconds),
    ]
