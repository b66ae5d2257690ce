"""Rebuild the derived state of projects (document states, label counts, tallies) from their
rows: after a restore, a hand edit in the database, or to check nothing has drifted."""

from django.core.management.base import BaseCommand, CommandError

from annotations.models import Project
from annotations.services.work_state import recount


class Command(BaseCommand):
    help = "Rebuild documents' states, label counts and the dashboard's tallies from the rows."

    def add_arguments(self, parser):
        parser.add_argument("project_ids", nargs="*", type=int, help="Default: every project")

    def handle(self, *args, project_ids, **options):
        ids = project_ids or list(Project.objects.order_by("pk").values_list("pk", flat=True))
        missing = set(ids) - set(Project.objects.filter(pk__in=ids).values_list("pk", flat=True))
        if missing:
            raise CommandError(f"no project {', '.join(map(str, sorted(missing)))}")
        for project_id in ids:
            recount(project_id)
            self.stdout.write(f"project {project_id}: recounted")
