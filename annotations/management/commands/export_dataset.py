"""Export a project's dataset synchronously: the same job and runner as the API, no Celery.

    python manage.py export_dataset PROJECT_ID --format jsonl --scope gold --output out.zip \
        [--split train=0.8,dev=0.1,test=0.1] [--option shape=label --option offset_unit=grapheme]
        [--include-unannotated] [--exclude-flagged] [--labels PER,ORG,QUOTE]
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from annotations.errors import DomainError
from annotations.files import open_stored
from annotations.formats import SCOPES, export_formats
from annotations.models import ExportStatus, Project
from annotations.services.exports import export_request, export_run


def parse_split(text: str | None) -> dict[str, float] | None:
    """`train=0.8,dev=0.1,test=0.1` → {"train": 0.8, ...}; checked by the service."""
    if not text:
        return None
    split: dict[str, float] = {}
    for part in text.split(","):
        name, sep, ratio = part.partition("=")
        try:
            split[name.strip()] = float(ratio)
        except ValueError:
            raise CommandError(f"--split: {part!r} is not name=ratio") from None
        if not sep:
            raise CommandError(f"--split: {part!r} is not name=ratio")
    return split


def parse_options(pairs: list[str]) -> dict[str, str]:
    """`["shape=label"]` → {"shape": "label"}; checked by the service."""
    chosen: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise CommandError(f"--option: {pair!r} is not name=value")
        chosen[name.strip()] = value.strip()
    return chosen


class Command(BaseCommand):
    help = "Export a project's annotations to a zip (data + README.md dataset card)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("project_id", type=int)
        parser.add_argument("--format", required=True, help=", ".join(export_formats()))
        parser.add_argument("--scope", default="gold", help=", ".join(SCOPES))
        parser.add_argument("--output", required=True, help="Path of the zip to write")
        parser.add_argument("--split", help="e.g. train=0.8,dev=0.1,test=0.1")
        parser.add_argument(
            "--option",
            action="append",
            default=[],
            metavar="NAME=VALUE",
            help="an export option of the format (GET /api/formats/), e.g. shape=label",
        )
        parser.add_argument(
            "--include-unannotated",
            action="store_true",
            help="also export documents nobody has annotated yet (scopes gold and all)",
        )
        parser.add_argument(
            "--exclude-flagged", action="store_true", help="leave flagged documents out"
        )
        parser.add_argument(
            "--labels", help="span labels to tag, comma-separated (conll, spacy), e.g. PER,QUOTE"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        project = Project.objects.filter(pk=options["project_id"]).first()
        if project is None:
            raise CommandError(f"No project {options['project_id']}.")
        try:
            job = export_request(
                project=project,
                requested_by=None,
                format=options["format"],
                scope=options["scope"],
                split=parse_split(options["split"]),
                options=_all_options(options),
                enqueue=False,
            )
        except DomainError as exc:
            raise CommandError(_messages(exc)) from None
        export_run(job.pk)
        job.refresh_from_db()
        if job.status != ExportStatus.SUCCEEDED:
            raise CommandError(f"Export {job.pk} {job.status}: {job.error}")
        output = Path(options["output"])
        output.parent.mkdir(parents=True, exist_ok=True)
        # Copy beside the target, then rename: a reader never sees half a zip under its name.
        partial = output.with_name(output.name + ".part")
        with open_stored(job.file.name) as source, partial.open("wb") as target:
            while chunk := source.read(1 << 20):
                target.write(chunk)
        os.replace(partial, output)
        for warning in job.warnings:
            self.stderr.write(f"warning: {warning}")
        self.stdout.write(
            f"export {job.pk}: {job.row_count} documents, {job.size} bytes, "
            f"sha256 {job.sha256} → {output}"
        )


def _all_options(options: dict[str, Any]) -> dict[str, Any]:
    chosen: dict[str, Any] = dict(parse_options(options["option"]))
    if options["include_unannotated"]:
        chosen["include_unannotated"] = True
    if options["exclude_flagged"]:
        chosen["exclude_flagged"] = True
    if options["labels"] is not None:
        chosen["labels"] = [name.strip() for name in options["labels"].split(",") if name.strip()]
    return chosen


def _messages(error: DomainError) -> str:
    """Every field problem on one line, e.g. `split: ratios must sum to 1, not 0.7`."""
    if not error.errors:
        return error.detail
    return "; ".join(f"{path}: {' '.join(messages)}" for path, messages in error.errors.items())
