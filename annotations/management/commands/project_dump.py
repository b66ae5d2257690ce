"""Write one archive with everything of a project, to restore it on another instance:

    python manage.py project_dump PROJECT_ID [--output project-7.zip]

Settings, labels, members (by username), documents, every annotation version with its spans
and relations, gold, history, assignments, comments, flags, suggestions and export metadata
(not the export files: exports are made again from the restored data). `project_load`
restores it.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from annotations.models import Project
from annotations.project_archive.dump import archive_write


class Command(BaseCommand):
    help = "Write a project's archive (a zip) for project_load."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("project_id", type=int)
        parser.add_argument("--output", "-o", help="Default: project-<id>.zip here")

    def handle(self, *args: Any, project_id: int, output: str | None, **options: Any) -> None:
        project = Project.objects.filter(pk=project_id).first()
        if project is None:
            raise CommandError(f"no project {project_id}")
        target = Path(output or f"project-{project_id}.zip").resolve()
        # Written beside the target and renamed: a dump that dies never leaves a file that
        # looks whole.
        handle, partial = tempfile.mkstemp(dir=target.parent, suffix=".partial")
        try:
            with os.fdopen(handle, "wb") as out:
                result = archive_write(out, project=project)
            os.replace(partial, target)
        except BaseException:
            Path(partial).unlink(missing_ok=True)
            raise
        rows = sum(result.rows.values())
        self.stdout.write(
            f"{target}: project {project_id} “{project.name}”, {rows} rows in "
            f"{len(result.rows)} tables, {result.users} people"
        )
