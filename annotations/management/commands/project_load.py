"""Restore a project archive written by `project_dump`, as a new project of this instance:

    python manage.py project_load project-7.zip

All or nothing: a damaged, truncated or incompatible archive is refused with the reason and
stores nothing. People are matched to this instance's accounts by username; the missing
ones are created without a password (invite them, or let them sign in with single sign-on).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from annotations.errors import DomainError
from annotations.project_archive.load import archive_read


class Command(BaseCommand):
    help = "Restore a project from an archive written by project_dump."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive")

    def handle(self, *args: Any, archive: str, **options: Any) -> None:
        path = Path(archive)
        if not path.is_file():
            raise CommandError(f"{archive}: no such file")
        try:
            with path.open("rb") as source:
                result = archive_read(source)
        except DomainError as error:
            raise CommandError(f"{archive}: {error.detail} Nothing was stored.") from None
        rows = sum(result.rows.values())
        self.stdout.write(
            f"restored project {result.project.pk} “{result.project.name}”: {rows} rows; "
            f"people matched: {len(result.users_matched)}, created without a password: "
            f"{', '.join(result.users_created) or 'none'}"
        )
