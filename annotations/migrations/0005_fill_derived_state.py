"""Existing projects get their derived state (a migration of its own: on PostgreSQL, data
changes and the schema changes around them cannot share a transaction)."""

from django.db import migrations


def fill_derived_state(apps, schema_editor):
    """Give existing projects their derived state (services.work_state.recount).

    Runs today's service code, which is fine while no later migration changes the tables
    it reads; on an empty database it does nothing.
    """
    Project = apps.get_model("annotations", "Project")
    if not Project.objects.exists():
        return
    from annotations.services.work_state import recount

    for project_id in Project.objects.order_by("pk").values_list("pk", flat=True):
        recount(project_id)


class Migration(migrations.Migration):
    dependencies = [("annotations", "0004_team_screens")]

    operations = [migrations.RunPython(fill_derived_state, migrations.RunPython.noop)]
