"""Exports: request a job, and run a delivery of it: claim → write → record.

The lease (who may run the job, heartbeats, stale runs, recovery) is `export_lease`; the zip
and its dataset card are written by the pure `formats.write_package`; what goes in them is read
by `selectors.exports`. The zip streams into the file storage (`files.stored_file`: a
temporary file saved once complete, or an S3 multipart upload completed once complete) under a
per-attempt name, hashed as it goes; the row names it only after that, so a partial file is
never offered for download.
"""

from __future__ import annotations

import errno
import json
import logging
import re
import tomllib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from typing import Any, BinaryIO, cast

from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.storage import default_storage
from django.db import DatabaseError, InterfaceError, OperationalError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from annotations.agreement import agreement_summary
from annotations.errors import Invalid
from annotations.files import StoredWriter, is_s3_error, stored_file
from annotations.formats import FORMATS, SCOPES, CardContext, export_formats, write_package
from annotations.formats.base import (
    LABELS_OPTION,
    UNANNOTATED_SCOPES,
    label_groups,
    language,
    split_order,
)
from annotations.models import ExportJob, ExportStatus, Project
from annotations.selectors.exports import (
    Batch,
    agreement_sample,
    documents_in_scope,
    multi_annotated,
    project_schema,
    record_batches,
    submitted_annotators,
)
from annotations.services.document_tokens import tokens_attached
from annotations.services.export_diff import (
    diff_compute,
    diff_store,
    entries_discard,
    entries_keep,
    entries_write,
)
from annotations.services.export_lease import (
    Claim,
    ExportSuperseded,
    Heartbeat,
    export_claim,
    export_enqueue,
    export_release,
    heartbeat_for,
)

log = logging.getLogger(__name__)

SPLIT_NAME = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
MAX_SPLITS = 10


@cache
def tool_version() -> str:
    try:
        with open(settings.BASE_DIR / "pyproject.toml", "rb") as handle:
            return str(tomllib.load(handle)["project"]["version"])
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return "unknown"


# --- request -----------------------------------------------------------------------------


def validate_split(value: Any) -> dict[str, float] | None:
    """Split ratios by name: non-negative numbers summing to 1; None or {} for no split."""
    if value is None or value == {}:
        return None
    if not isinstance(value, dict) or len(value) > MAX_SPLITS:
        raise Invalid(
            {"split": [f'an object of at most {MAX_SPLITS} ratios, e.g. {{"train": 0.8, ...}}']}
        )
    for name, ratio in value.items():
        if not SPLIT_NAME.match(name):
            raise Invalid({"split": [f"split name {name!r}: use 1-32 of A-Z a-z 0-9 _ -"]})
        if isinstance(ratio, bool) or not isinstance(ratio, int | float) or ratio < 0:
            raise Invalid({"split": [f"{name}: ratio must be a non-negative number"]})
    if abs(sum(value.values()) - 1) > 1e-6:
        raise Invalid({"split": [f"ratios must sum to 1, not {sum(value.values()):g}"]})
    return ordered_split(value)


def ordered_split(value: Mapping[str, float]) -> dict[str, float]:
    """Ratios in a fixed order (train, dev, validation, test, then by name).

    `assign_split` maps hash ranges in the order given; fixing the order means the
    same ratios assign the same split however a client (or jsonb) orders the keys.
    """
    return {name: float(value[name]) for name in sorted(value, key=split_order)}


def _choice(field_name: str, value: Any, allowed: Iterable[str]) -> str:
    allowed = sorted(allowed)
    if value not in allowed:
        raise Invalid(
            {field_name: [f"unknown {field_name} {value!r}; allowed: {', '.join(allowed)}"]}
        )
    return value


# Options every format takes; a format's own are on its spec (`FormatSpec.options`).
# exclude_flagged: leave flagged documents out; include_unannotated: also export the
# documents the scope would skip for having no annotation yet (scopes gold and all).
EXPORT_OPTIONS = {"exclude_flagged": bool, "include_unannotated": bool}


def validate_options(
    format: str,
    value: Any,
    *,
    scope: str = "gold",
    span_labels: Sequence[str] | None = None,
) -> dict[str, Any]:
    """`{"exclude_flagged": true}`, `{"include_unannotated": true}` and the format's own
    options (its spec's `options`, with their defaults filled in; `labels` for a format
    with a span label choice, checked against the project's `span_labels`): known names
    with values they take, or a 400."""
    spec = FORMATS[format]
    if value is None:
        value = {}
    if not isinstance(value, dict):
        raise Invalid({"options": [_("must be an object, e.g. %(example)s") % _example(spec)]})
    declared = {option.name: option for option in spec.options}
    chosen_labels: list[str] | None = None
    for name, given in value.items():
        option = declared.get(name)
        if name in EXPORT_OPTIONS:
            if not isinstance(given, EXPORT_OPTIONS[name]):
                raise Invalid({f"options.{name}": [_("must be true or false")]})
            if name == "include_unannotated" and given and scope not in UNANNOTATED_SCOPES:
                message = _("applies to scopes %(scopes)s, not %(scope)s")
                scopes = ", ".join(UNANNOTATED_SCOPES)
                raise Invalid({f"options.{name}": [message % {"scopes": scopes, "scope": scope}]})
        elif name == LABELS_OPTION and spec.span_label_choice:
            chosen_labels = _chosen_labels(given, span_labels)
        elif option is None:
            allowed = ", ".join(
                [*EXPORT_OPTIONS, *([LABELS_OPTION] if spec.span_label_choice else []), *declared]
            )
            message = _("%(format)s takes no option “%(name)s”; its options: %(allowed)s")
            raise Invalid(
                {
                    f"options.{name}": [
                        message % {"format": format, "name": name, "allowed": allowed}
                    ]
                }
            )
        elif given not in option.choices:
            message = _("unknown value %(value)s; allowed: %(allowed)s")
            allowed = ", ".join(option.choices)
            raise Invalid(
                {f"options.{name}": [message % {"value": repr(given), "allowed": allowed}]}
            )
    general = {name: given for name, given in value.items() if name in EXPORT_OPTIONS}
    chosen = {**general, **spec.with_defaults(value)}
    if chosen_labels is not None:
        chosen[LABELS_OPTION] = chosen_labels  # in the project's order, not the request's
    return chosen


def _chosen_labels(given: Any, span_labels: Sequence[str] | None) -> list[str]:
    """A non-empty list of the project's span label names, in the project's order."""
    known = list(span_labels or ())
    if not isinstance(given, list) or not given or not all(isinstance(name, str) for name in given):
        message = _("a non-empty list of span label names, e.g. %(example)s")
        raise Invalid({f"options.{LABELS_OPTION}": [message % {"example": json.dumps(known[:2])}]})
    unknown = [name for name in given if name not in known]
    if unknown:
        message = _("not a span label of this project: %(names)s; its span labels: %(known)s")
        raise Invalid(
            {
                f"options.{LABELS_OPTION}": [
                    message % {"names": ", ".join(unknown), "known": ", ".join(known)}
                ]
            }
        )
    return [name for name in known if name in set(given)]


def _example(spec: Any) -> dict[str, str]:
    example: dict[str, Any] = {"exclude_flagged": True}
    example.update({option.name: option.default for option in spec.options})
    return {"example": json.dumps(example)}


def export_request(
    *,
    project: Project,
    requested_by: User | None,
    format: str,
    scope: str = "gold",
    split: Any = None,
    options: Any = None,
    documents: Sequence[int] | None = None,
    enqueue: bool = True,
) -> ExportJob:
    """Create a pending export job and, once the transaction commits, queue it.
    `documents`: export only these (ids of the project's documents, as the documents
    table's bulk action resolved them); None: every document in scope."""
    format = _choice("format", format, export_formats())
    scope = _choice("scope", scope, SCOPES)
    span_labels = None
    if FORMATS[format].span_label_choice:
        span_labels = label_groups(project.labels.order_by("position", "pk")).spans
    job = ExportJob.objects.create(
        project=project,
        requested_by=requested_by,
        format=format,
        scope=scope,
        split=validate_split(split),
        options=validate_options(format, options, scope=scope, span_labels=span_labels),
        documents=sorted(set(documents)) if documents is not None else None,
    )
    if enqueue:
        transaction.on_commit(lambda: export_enqueue(job.pk))
    return job


# --- run -----------------------------------------------------------------------------------


def export_run(job_id: int) -> Claim:
    """Run one delivery of a job: claim → write → record. Returns the claim, so the task
    knows whether to look again later. Never raises for a failed export: the row says why.

    A database outage mid-run gives the job back (`export_release`) to run again as the
    next attempt; any other error fails it with the reason. Either way the attempt's files
    are removed: no partial file stays on disk or is offered."""
    claim = export_claim(job_id)
    if claim.attempt is None:
        return claim
    attempt = claim.attempt
    job = ExportJob.objects.select_related("project").get(pk=job_id)
    directory = f"exports/{job.project_id}/{job.pk}-{attempt}"
    changes = Changes(job, attempt)
    try:
        name = f"{directory}/{export_file_name(job)}"
        with stored_file(name, content_type="application/zip") as out:
            written = export_write(
                project=job.project,
                format=job.format,
                scope=job.scope,
                split=job.split,
                options=job.options,
                selection=job.documents,
                out=cast(BinaryIO, out),
                heartbeat=heartbeat_for(job_id, attempt),
                manifest=lambda records: entries_write(job_id, attempt, records),
                changes=changes,
            )
        _record_success(job, attempt, out, written, changes)
    except ExportSuperseded:
        log.warning(
            "export %s attempt %s: taken over by another delivery; stopped", job_id, attempt
        )
        _discard(directory)
        entries_discard(job_id, attempt)
    except (OperationalError, InterfaceError) as exc:
        log.warning("export %s attempt %s: database unavailable: %s", job_id, attempt, exc)
        _discard_unless_recorded(job_id, directory)
        if export_release(job_id, attempt, f"the database was unavailable ({exc})".strip()):
            entries_discard(job_id, attempt)
            export_enqueue(job_id)
    except Exception as exc:
        log.exception("export %s attempt %s failed", job_id, attempt)
        _discard(directory)
        entries_discard(job_id, attempt)
        ExportJob.objects.filter(pk=job_id, attempt=attempt, status=ExportStatus.RUNNING).update(
            status=ExportStatus.FAILED,
            finished_at=timezone.now(),
            error=failure_reason(exc)[:2000],
        )
    return claim


class Changes:
    """The card's "changes since" facts: the diff of this attempt's manifest against the
    previous version, computed once, when the writer asks (every record is written by
    then), and kept for the job row's stored diff."""

    def __init__(self, job: ExportJob, attempt: int) -> None:
        self.job_id, self.attempt = job.pk, attempt
        self.previous = previous_version(job)
        self.result: dict[str, Any] | None = None

    def __call__(self) -> dict[str, Any] | None:
        if self.previous is None or not self.previous.has_manifest:
            return None
        if self.result is None:
            self.result = diff_compute(self.job_id, self.attempt, self.previous)
        return {"version": self.previous.version, **self.result}

    def against(self, previous: ExportJob | None) -> dict[str, Any] | None:
        """The computed diff, if it was against `previous`."""
        return self.result if previous is not None and previous == self.previous else None


def failure_reason(exc: BaseException) -> str:
    """What the job's `error` says: plain words for a full disk or a file storage that
    refused the file, else the exception."""
    if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
        return (
            "No space left on the disk while writing the export file; its partial file was "
            "removed. Free some space under DATA_DIR (or the temporary directory) and request "
            f"the export again. ({exc})"
        )
    if is_s3_error(exc):
        return (
            "The file storage (S3_BUCKET) did not take the export file; its partial upload was "
            "aborted. Check that the bucket is reachable and writable with the configured "
            f"credentials, then request the export again. ({type(exc).__name__}: {exc})"
        )
    return f"{type(exc).__name__}: {exc}"


def _discard(directory: str) -> None:
    """Remove an attempt's files (a partial zip left by a failed save, or a whole one that
    could not be recorded). Never raises: the job's outcome matters more (and a storage
    that is away now may be what failed the export)."""
    try:
        _, files = default_storage.listdir(directory)
    except (FileNotFoundError, NotADirectoryError):
        return
    except Exception:
        log.warning("could not list %s", directory, exc_info=True)
        return
    for name in files:
        try:
            default_storage.delete(f"{directory}/{name}")
        except Exception:
            log.warning("could not remove %s/%s", directory, name, exc_info=True)


def _discard_unless_recorded(job_id: int, directory: str) -> None:
    """After an outage mid-record the row may still have been marked succeeded (the commit
    reached the server, its answer did not reach us): keep the file it names."""
    try:
        recorded = ExportJob.objects.filter(
            pk=job_id, status=ExportStatus.SUCCEEDED, file__startswith=f"{directory}/"
        ).exists()
    except DatabaseError:
        recorded = False  # the release will not match either: the sweep retries
    if not recorded:
        _discard(directory)


@dataclass
class Written:
    row_count: int
    warnings: list[str] = field(default_factory=list)


def _beat_nothing(done: int, total: int) -> None:
    """A heartbeat for writes with no job row to keep alive."""


def export_write(
    *,
    project: Project,
    format: str,
    scope: str,
    split: Mapping[str, float] | None,
    out: BinaryIO,
    options: Mapping[str, Any] | None = None,
    heartbeat: Heartbeat = _beat_nothing,
    exported_at: datetime | None = None,
    selection: Sequence[int] | None = None,
    manifest: Callable[[list[dict[str, Any]]], None] | None = None,
    changes: Callable[[], Mapping[str, Any] | None] | None = None,
) -> Written:
    """Write the export zip to `out`, calling `heartbeat(done, total)` after each batch;
    with a `selection`, of those documents only (progress counts the selection).
    `manifest` is given each batch's records before they are written; `changes` gives the
    card's "changes since" facts once every record is written."""
    spec = FORMATS[format]
    schema = project_schema(project)
    split = ordered_split(split) if split else None
    exclude_flagged = bool((options or {}).get("exclude_flagged"))
    unannotated = bool((options or {}).get("include_unannotated"))
    total = (
        len(selection)
        if selection is not None
        else documents_in_scope(
            project, scope, exclude_flagged=exclude_flagged, include_unannotated=unannotated
        ).count()
    )
    left_out = None
    if exclude_flagged:
        in_scope = documents_in_scope(project, scope, include_unannotated=unannotated)
        left_out = in_scope.filter(flag__isnull=False).count()
    heartbeat(0, total)
    warnings: list[str] = []
    card = CardContext(
        exported_at=exported_at or timezone.now(),
        tool_version=tool_version(),
        scope=scope,
        agreement=_agreement(project, schema, warnings, lambda: heartbeat(0, total)),
        annotators=submitted_annotators(project),
        flagged_left_out=left_out,
        changes=changes,
        unannotated_included=unannotated,
    )
    batches = record_batches(
        project,
        scope,
        split=split,
        batch_size=settings.EXPORT_BATCH_SIZE,
        exclude_flagged=exclude_flagged,
        include_unannotated=unannotated,
        selection=selection,
    )
    if spec.stored_tokens:
        batches = tokens_attached(batches, language(schema))
    result = write_package(
        out,
        spec,
        schema,
        card,
        _beating(batches, heartbeat, total, manifest),
        spec.with_defaults(options),
    )
    warnings.extend(result.warnings)
    if result.warning_count > len(result.warnings):
        warnings.append(f"… and {result.warning_count - len(result.warnings)} more warning(s)")
    return Written(row_count=result.records, warnings=warnings)


def _beating(
    batches: Iterator[Batch],
    heartbeat: Heartbeat,
    total: int,
    manifest: Callable[[list[dict[str, Any]]], None] | None = None,
) -> Iterator[list]:
    """Each batch's records (given to `manifest` first); once the writer has taken a batch,
    a heartbeat with the count."""
    done = 0
    for batch in batches:
        if manifest is not None:
            manifest(batch.records)
        yield batch.records
        done += batch.scanned
        heartbeat(done, total)


def _agreement(
    project: Project, schema: Mapping[str, Any], warnings: list[str], beat: Callable[[], None]
) -> dict[str, Any] | None:
    """Headline agreement figures for the card, over documents with 2+ submitted annotations
    (the first EXPORT_AGREEMENT_MAX_DOCUMENTS of them, in import order, on big projects:
    agreement costs about 2 ms a document, and the card needs a figure, not a census).

    Supplementary: if the computation fails the export goes on, with a warning.
    """
    limit = settings.EXPORT_AGREEMENT_MAX_DOCUMENTS

    def documents() -> Iterator[Any]:  # DocumentAnnotations
        for n, document in enumerate(agreement_sample(project, limit=limit), start=1):
            if n % settings.EXPORT_BATCH_SIZE == 0:
                beat()
            yield document

    try:
        arguments = label_groups(schema["labels"]).agreement_arguments()
        summary = agreement_summary(documents(), **arguments)
    except ExportSuperseded:
        raise
    except Exception as exc:
        log.exception("agreement for project %s failed", project.pk)
        warnings.append(f"agreement figures omitted from the card: {type(exc).__name__}: {exc}")
        return None
    if not summary["documents"]:
        return None
    compared = summary["documents"]
    if compared >= limit:
        compared = f"{compared} of {multi_annotated(project).count()} (the first, by import order)"
    spans, relations = summary["spans"]["overall"], summary["relations"]["overall"]
    figures: dict[str, Any] = {
        "documents compared (2+ submitted annotations)": compared,
        "span F1, exact match (micro)": _round(spans["f1_exact_micro"]),
        "span F1, overlap match (micro)": _round(spans["f1_overlap_micro"]),
        "span unitizing alpha": _round(spans["unitizing_alpha"]),
        "relation F1 (micro)": _round(relations["f1_micro"]),
    }
    for group, values in summary["document_labels"]["per_group"].items():
        figures[f"document label {group}: Krippendorff alpha"] = _round(
            values["krippendorff_alpha"]
        )
    return figures


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


# --- record --------------------------------------------------------------------------------


def export_file_name(job: ExportJob) -> str:
    """The download name: what, how and which job, e.g. `tribun-jsonl-gold-12.zip`."""
    return f"{slugify(job.project.name) or 'project'}-{job.format}-{job.scope}-{job.pk}.zip"


def _record_success(
    job: ExportJob,
    attempt: int,
    out: StoredWriter,
    written: Written,
    changes: Changes | None = None,
) -> None:
    """Point the row at the stored zip (stored whole before this: `stored_file`); with the
    row, keep this attempt's manifest and the diff against the previous version."""
    now = timezone.now()
    with transaction.atomic():
        # Versions are numbered in the order exports succeed: the project row's lock makes
        # two exports finishing at once take 1 and 2, never both 1.
        Project.objects.select_for_update().only("pk").get(pk=job.project_id)
        previous = previous_version(job)
        recorded = ExportJob.objects.filter(
            pk=job.pk, attempt=attempt, status=ExportStatus.RUNNING
        ).update(
            status=ExportStatus.SUCCEEDED,
            file=out.name,
            size=out.size,
            sha256=out.sha256,
            row_count=written.row_count,
            warnings=written.warnings,
            progress_done=F("progress_total"),
            heartbeat_at=now,
            finished_at=now,
            version=_next_version(job.project_id),
            previous=previous,
            has_manifest=True,
        )
        if recorded:
            entries_keep(job.pk, attempt)
            # the card's diff is stored if it was against the version recorded as previous
            diffed = changes.against(previous) if changes is not None else None
            if previous is not None and diffed is not None:
                diff_store(job.pk, previous, diffed)
    if not recorded:
        raise ExportSuperseded(job.pk)  # the caller removes the file


def _next_version(project_id: int) -> int:
    latest = ExportJob.objects.filter(project_id=project_id).aggregate(v=Max("version"))["v"]
    return (latest or 0) + 1


def previous_version(job: ExportJob) -> ExportJob | None:
    """The latest succeeded export of the job's project with its format, scope and split
    (the version this one follows), or None."""
    same = ExportJob.objects.filter(
        project_id=job.project_id,
        format=job.format,
        scope=job.scope,
        status=ExportStatus.SUCCEEDED,
        version__isnull=False,
    ).exclude(pk=job.pk)
    same = same.filter(split__isnull=True) if not job.split else same.filter(split=job.split)
    return same.order_by("-version").first()
