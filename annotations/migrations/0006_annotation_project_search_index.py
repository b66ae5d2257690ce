"""Every annotation now names its project; the documents table's full-text index."""

import django.db.models.deletion
from django.db import migrations, models

# PostgreSQL only (SQLite searches with LIKE). The expression must be the one the documents
# table queries with, so both come from `selectors.documents.search_index`.
SEARCH_INDEX = "document_search"


def add_search_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from annotations.selectors.documents import search_index

    schema_editor.add_index(apps.get_model("annotations", "Document"), search_index())


def drop_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f'DROP INDEX IF EXISTS "{SEARCH_INDEX}"')


class Migration(migrations.Migration):
    dependencies = [("annotations", "0005_fill_derived_state")]

    operations = [
        migrations.AlterField(
            model_name="annotation",
            name="project",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="annotations.project",
            ),
        ),
        migrations.RunPython(add_search_index, drop_search_index),
    ]
