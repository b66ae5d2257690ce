"""Exports: request a job, run it (claim → write → record), recover jobs whose worker died.

The `ExportJob` row is the truth. A run owns the row through its attempt number:
it claims the row with a conditional UPDATE that names the attempt it read
(pending, or running with a stale heartbeat → running, attempt + 1), and every
later write (progress, heartbeat, result) is conditional on that attempt. A
second delivery of the same message therefore either does nothing or, once the
first run has gone quiet for EXPORT_STALE_SECONDS, takes over; the run it
replaced stops at its next heartbeat.

Every export is one zip: the zipped formats (brat, hf, spacy) are zips with
their own README.md; the single-file formats are put in a zip as
``documents.<ext>`` beside the README.md dataset card (and, for Label Studio,
the labeling config). The zip is written to a temporary file and saved to
default storage only once complete; the row names it only after that, so a
partial file is never offered for download.
"""

from __future__ import annotations

import hashlib
import logging
import re
import tempfile
import tomllib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cache
from typing import IO, Any, BinaryIO

from django.conf import settings
from django.contrib.auth.models import User
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.text import slugify

from annotations.errors import Invalid
from annotations.export_records import (
    SCOPES,
    Batch,
    agreement_documents,
    documents_in_scope,
    export_schema,
    multi_annotated,
    record_batches,
)
from annotations.formats import FORMATS, CardContext, export_formats, write_package
from annotations.formats.base import split_order
from annotations.models import Annotation, AnnotationStatus, ExportJob, ExportStatus, Project

log = logging.getLogger(__name__)

DATA_NAME = "documents"
SPLIT_NAME = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
MAX_SPLITS = 10
CHUNK = 1 << 20


class ExportSuperseded(Exception):
    """Another delivery took the job over; this run must stop without writing."""


def agreement_sample_size() -> int:
    """Documents the card's agreement figures are computed over, at most: agreement costs
    about 2 ms a document, and the card needs a figure, not a census."""
    return getattr(settings, "EXPORT_AGREEMENT_MAX_DOCUMENTS", 2000)


def max_attempts() -> int:
    """Runs a job may start before a dead worker's job is failed rather than retried."""
    return getattr(settings, "EXPORT_MAX_ATTEMPTS", 3)


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


def export_request(
    *,
    project: Project,
    requested_by: User | None,
    format: str,
    scope: str = "gold",
    split: Any = None,
    enqueue: bool = True,
) -> ExportJob:
    """Create a pending export job and, once the transaction commits, queue it."""
    job = ExportJob.objects.create(
        project=project,
        requested_by=requested_by,
        format=_choice("format", format, export_formats()),
        scope=_choice("scope", scope, SCOPES),
        split=validate_split(split),
    )
    if enqueue:
        transaction.on_commit(lambda: export_enqueue(job.pk))
    return job


def export_enqueue(job_id: int) -> None:
    """Send the job id to the workers. A broker outage leaves the job pending, not lost:
    every worker re-queues unfinished jobs when it starts (`export_recover`)."""
    from annotations.tasks import export_run_task

    try:
        export_run_task.delay(job_id)
    except Exception:
        log.exception("export %s: could not queue it; it stays pending", job_id)


# --- claim ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Claim:
    """What a delivery may do: run as `attempt`, check again in `retry_in` seconds, or stop."""

    attempt: int | None = None
    retry_in: float | None = None


def _stale_before(now: datetime) -> datetime:
    return now - timedelta(seconds=settings.EXPORT_STALE_SECONDS)


def _claimable() -> Q:
    return Q(status=ExportStatus.PENDING) | Q(
        Q(heartbeat_at__isnull=True) | Q(heartbeat_at__lt=_stale_before(timezone.now())),
        status=ExportStatus.RUNNING,
    )


def export_claim(job_id: int) -> Claim:
    """Take the job for this delivery (see the module docstring), conditional on the
    attempt read so that of two concurrent deliveries exactly one wins."""
    seen = ExportJob.objects.filter(pk=job_id).values("status", "attempt", "heartbeat_at").first()
    if seen is None or seen["status"] in (ExportStatus.SUCCEEDED, ExportStatus.FAILED):
        return Claim()
    now = timezone.now()
    stale_before = _stale_before(now)
    if seen["status"] == ExportStatus.RUNNING:
        beat = seen["heartbeat_at"]
        if beat is not None and beat >= stale_before:
            # Alive (or only just died): look again when it would count as stale.
            return Claim(retry_in=max(1.0, (beat - stale_before).total_seconds() + 1))
        if seen["attempt"] >= max_attempts():
            export_give_up(job_id)
            return Claim()
    attempt = seen["attempt"] + 1
    claimed = ExportJob.objects.filter(_claimable(), pk=job_id, attempt=seen["attempt"]).update(
        status=ExportStatus.RUNNING,
        attempt=attempt,
        heartbeat_at=now,
        started_at=Coalesce("started_at", now),
        progress_done=0,
        error="",
    )
    return Claim(attempt=attempt) if claimed else Claim(retry_in=1.0)


def export_give_up(job_id: int) -> bool:
    """Fail a running job whose heartbeat is stale after its last allowed attempt."""
    now = timezone.now()
    job = ExportJob.objects.filter(pk=job_id).values("attempt", "heartbeat_at").first()
    if job is None:
        return False
    last = job["heartbeat_at"].isoformat() if job["heartbeat_at"] else "never"
    return bool(
        ExportJob.objects.filter(
            Q(heartbeat_at__isnull=True) | Q(heartbeat_at__lt=_stale_before(now)),
            pk=job_id,
            status=ExportStatus.RUNNING,
            attempt=job["attempt"],
            attempt__gte=max_attempts(),
        ).update(
            status=ExportStatus.FAILED,
            finished_at=now,
            error=(
                f"Export abandoned after {job['attempt']} attempt(s): the worker running it "
                f"stopped (last heartbeat {last}). Request the export again; if it fails the "
                "same way, the worker may be running out of memory."
            ),
        )
    )


def export_is_stale(job: ExportJob) -> bool:
    """Running without a heartbeat for EXPORT_STALE_SECONDS: its worker is probably gone."""
    return job.status == ExportStatus.RUNNING and (
        job.heartbeat_at is None or job.heartbeat_at < _stale_before(timezone.now())
    )


def export_refresh(job: ExportJob) -> ExportJob:
    """For readers of a job: a running job that is stale with no attempts left is failed now
    rather than shown as running forever."""
    if export_is_stale(job) and job.attempt >= max_attempts() and export_give_up(job.pk):
        job.refresh_from_db()
    return job


def export_recover() -> list[int]:
    """Re-queue every unfinished job (run at worker start).

    A worker killed outright leaves its message unacknowledged in the broker until the
    broker's visibility timeout; this puts the job back in reach at once. Extra
    deliveries are harmless: the claim lets one run at a time, and a delivery that
    finds a live run checks again later.
    """
    ids = list(
        ExportJob.objects.filter(status__in=[ExportStatus.PENDING, ExportStatus.RUNNING])
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for job_id in ids:
        export_enqueue(job_id)
    return ids


# --- write ---------------------------------------------------------------------------------


@dataclass
class Written:
    row_count: int
    warnings: list[str] = field(default_factory=list)


Heartbeat = Callable[[int, int], None]


def _beat_nothing(done: int, total: int) -> None:
    """A heartbeat for writes with no job row to keep alive."""


def export_write(
    *,
    project: Project,
    format: str,
    scope: str,
    split: Mapping[str, float] | None,
    out: BinaryIO,
    heartbeat: Heartbeat = _beat_nothing,
    exported_at: datetime | None = None,
) -> Written:
    """Write the export zip to `out`, calling `heartbeat(done, total)` after each batch."""
    spec = FORMATS[format]
    schema = export_schema(project)
    split = ordered_split(split) if split else None
    total = documents_in_scope(project, scope).count()
    heartbeat(0, total)
    warnings: list[str] = []
    agreement = _agreement(project, schema, warnings, lambda: heartbeat(0, total))
    card = CardContext(
        exported_at=exported_at or timezone.now(),
        tool_version=tool_version(),
        scope=scope,
        agreement=agreement,
        annotators=_annotators(project),
    )
    batches = record_batches(project, scope, split=split, batch_size=settings.EXPORT_BATCH_SIZE)
    result = write_package(out, spec, schema, card, _beating(batches, heartbeat, total))
    warnings.extend(result.warnings)
    if result.warning_count > len(result.warnings):
        warnings.append(f"… and {result.warning_count - len(result.warnings)} more warning(s)")
    return Written(row_count=result.records, warnings=warnings)


def _beating(batches: Iterator[Batch], heartbeat: Heartbeat, total: int) -> Iterator[list]:
    """Each batch's records; once the writer has taken a batch, a heartbeat with the count."""
    done = 0
    for batch in batches:
        yield batch.records
        done += batch.scanned
        heartbeat(done, total)


def _annotators(project: Project) -> tuple[str, ...]:
    names = (
        Annotation.objects.filter(
            document__project=project, is_gold=False, status=AnnotationStatus.SUBMITTED
        )
        .order_by("annotator__username")
        .values_list("annotator__username", flat=True)
        .distinct()
    )
    return tuple(names)


def _agreement(
    project: Project, schema: Mapping[str, Any], warnings: list[str], beat: Callable[[], None]
) -> dict[str, Any] | None:
    """Headline agreement figures for the card, over documents with 2+ submitted annotations
    (the first `agreement_sample_size()` of them, in import order, on big projects).

    Supplementary: if the computation fails the export goes on, with a warning.
    """
    from annotations.agreement import agreement_summary

    labels = schema["labels"]
    groups: dict[str, list[str]] = {}
    for label in labels:
        if label["kind"] == "document":
            groups.setdefault(label["group"] or "label", []).append(label["name"])

    def documents() -> Iterator[Any]:  # DocumentAnnotations
        sample = agreement_documents(project, limit=agreement_sample_size())
        for n, document in enumerate(sample, start=1):
            if n % settings.EXPORT_BATCH_SIZE == 0:
                beat()
            yield document

    try:
        summary = agreement_summary(
            documents(),
            span_labels=[lab["name"] for lab in labels if lab["kind"] == "span"],
            relation_labels=[lab["name"] for lab in labels if lab["kind"] == "relation"],
            document_groups=groups,
        )
    except ExportSuperseded:
        raise
    except Exception as exc:
        log.exception("agreement for project %s failed", project.pk)
        warnings.append(f"agreement figures omitted from the card: {type(exc).__name__}: {exc}")
        return None
    if not summary["documents"]:
        return None
    compared = summary["documents"]
    if compared >= agreement_sample_size():
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


# --- run -----------------------------------------------------------------------------------


def export_file_name(job: ExportJob) -> str:
    """The download name: what, how and which job, e.g. `tribun-jsonl-gold-12.zip`."""
    return f"{slugify(job.project.name) or 'project'}-{job.format}-{job.scope}-{job.pk}.zip"


def _heartbeat(job_id: int, attempt: int) -> Heartbeat:
    def beat(done: int, total: int) -> None:
        moved = ExportJob.objects.filter(
            pk=job_id, attempt=attempt, status=ExportStatus.RUNNING
        ).update(progress_done=done, progress_total=total, heartbeat_at=timezone.now())
        if not moved:
            raise ExportSuperseded(job_id)

    return beat


def export_run(job_id: int) -> Claim:
    """Run one delivery of a job: claim → write → record. Returns the claim, so the task
    knows whether to look again later. Never raises for a failed export: the row says why."""
    claim = export_claim(job_id)
    if claim.attempt is None:
        return claim
    attempt = claim.attempt
    job = ExportJob.objects.select_related("project").get(pk=job_id)
    try:
        with tempfile.TemporaryFile() as out:
            written = export_write(
                project=job.project,
                format=job.format,
                scope=job.scope,
                split=job.split,
                out=out,
                heartbeat=_heartbeat(job_id, attempt),
            )
            _record_success(job, attempt, out, written)
    except ExportSuperseded:
        log.warning(
            "export %s attempt %s: taken over by another delivery; stopped", job_id, attempt
        )
    except Exception as exc:
        log.exception("export %s attempt %s failed", job_id, attempt)
        ExportJob.objects.filter(pk=job_id, attempt=attempt, status=ExportStatus.RUNNING).update(
            status=ExportStatus.FAILED,
            finished_at=timezone.now(),
            error=f"{type(exc).__name__}: {exc}"[:2000],
        )
    return claim


def _digest(handle: IO[bytes]) -> tuple[int, str]:
    handle.seek(0)
    digest, size = hashlib.sha256(), 0
    while chunk := handle.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
    handle.seek(0)
    return size, digest.hexdigest()


def _record_success(job: ExportJob, attempt: int, out: IO[bytes], written: Written) -> None:
    """Save the finished zip under its name, then point the row at it (in that order)."""
    size, sha256 = _digest(out)
    directory = f"exports/{job.project_id}/{job.pk}-{attempt}"
    name = default_storage.save(f"{directory}/{export_file_name(job)}", File(out))
    now = timezone.now()
    recorded = ExportJob.objects.filter(
        pk=job.pk, attempt=attempt, status=ExportStatus.RUNNING
    ).update(
        status=ExportStatus.SUCCEEDED,
        file=name,
        size=size,
        sha256=sha256,
        row_count=written.row_count,
        warnings=written.warnings,
        progress_done=F("progress_total"),
        heartbeat_at=now,
        finished_at=now,
    )
    if not recorded:
        default_storage.delete(name)
        raise ExportSuperseded(job.pk)
