"""Prometheus metrics (DECISIONS.md 56): what this process measured, and what the database
says about the whole installation.

Request latency is measured where it happens, in each gunicorn worker process. gunicorn
runs several (workbench/gunicorn.conf.py), so prometheus_client's multi-process mode is on
there: each process writes its samples to files in PROMETHEUS_MULTIPROC_DIR and a scrape,
answered by any one process, adds them all up. Without that variable (runserver, tests)
the process's own registry is read.

Exports and annotators are read from the rows at scrape time (the job row is the truth,
and a worker on another machine has no registry here): queue depth, jobs finished by
format and status with their durations, people who saved work in the last five minutes.
Every web replica reports the same installation-wide figures: take `max` across
instances, never `sum`.
"""

from __future__ import annotations

import ipaddress
import logging
import os
from collections.abc import Iterable, Iterator
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError
from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, Sum
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Histogram,
    generate_latest,
)
from prometheus_client.core import (
    CounterMetricFamily,
    GaugeMetricFamily,
    HistogramMetricFamily,
    Metric,
)
from prometheus_client.multiprocess import MultiProcessCollector
from rest_framework.throttling import BaseThrottle

log = logging.getLogger(__name__)

REQUEST_LATENCY = Histogram(
    "workbench_http_request_duration_seconds",
    "Time from the request reaching Django to its response, by route (the URL pattern), "
    "method and status code.",
    ["route", "method", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)

# How long an export took, from its claim to its record (seconds).
EXPORT_BUCKETS = (1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600)
# Someone who saved annotation work this recently counts as active.
ACTIVE_WINDOW = timedelta(minutes=5)
_METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}


def method_label(method: str | None) -> str:
    """Any other method is `other`: a label value per invented verb would grow forever."""
    return method if method in _METHODS else "other"


def route_label(request: HttpRequest) -> str:
    """The URL pattern that answered (`api/projects/<int:pk>/documents/`), never the path
    with its ids; the probe's name for /healthz, /readyz and /metrics; `unmatched` for a
    404 of the resolver."""
    probe = getattr(request, "probe", None)
    if probe:
        return probe
    match = getattr(request, "resolver_match", None)
    return match.route if match is not None and match.route else "unmatched"


class InstallationCollector:
    """Figures from the database, computed at each scrape (three queries)."""

    def collect(self) -> Iterator[Metric]:
        up = GaugeMetricFamily(
            "workbench_metrics_database_up",
            "1 when the database answered this scrape's queries, else 0 (and the export "
            "and annotator figures are missing).",
        )
        try:
            families = [*_export_families(), _active_annotators()]
        except DatabaseError:
            log.warning("metrics: the database did not answer", exc_info=True)
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        yield from families


def _export_families() -> Iterable[Metric]:
    from annotations.models import ExportJob, ExportStatus

    by_status = dict(
        ExportJob.objects.values_list("status").annotate(n=Count("id")).values_list("status", "n")
    )
    queued = GaugeMetricFamily(
        "workbench_export_queue_depth", "Export jobs requested and not yet started."
    )
    queued.add_metric([], by_status.get(ExportStatus.PENDING, 0))
    running = GaugeMetricFamily("workbench_exports_running", "Export jobs being written now.")
    running.add_metric([], by_status.get(ExportStatus.RUNNING, 0))
    yield queued
    yield running

    finished = CounterMetricFamily(
        "workbench_export_jobs",
        "Export jobs finished, by format and status (succeeded or failed).",
        labels=["format", "status"],
    )
    durations = HistogramMetricFamily(
        "workbench_export_duration_seconds",
        "Seconds from an export's start to its end, by format and status.",
        labels=["format", "status"],
    )
    for row in _finished_exports():
        labels = [row["format"], row["status"]]
        finished.add_metric(labels, row["n"])
        buckets = [(str(float(le)), row[f"le_{i}"]) for i, le in enumerate(EXPORT_BUCKETS)]
        buckets.append(("+Inf", row["timed"]))
        seconds = row["seconds"].total_seconds() if row["seconds"] else 0.0
        durations.add_metric(labels, buckets, seconds)
    yield finished
    yield durations


def _finished_exports() -> Iterable[dict]:
    from annotations.models import ExportJob, ExportStatus

    took = ExpressionWrapper(F("finished_at") - F("started_at"), output_field=DurationField())
    timed = Q(started_at__isnull=False, finished_at__isnull=False)
    bounds = {
        f"le_{i}": Count("id", filter=timed & Q(took__lte=timedelta(seconds=le)))
        for i, le in enumerate(EXPORT_BUCKETS)
    }
    return (
        ExportJob.objects.filter(status__in=[ExportStatus.SUCCEEDED, ExportStatus.FAILED])
        .alias(took=took)
        .values("format", "status")
        .annotate(
            n=Count("id"),
            timed=Count("id", filter=timed),
            seconds=Sum("took", filter=timed),
            **bounds,
        )
        .order_by("format", "status")
    )


def _active_annotators() -> Metric:
    from annotations.models import AnnotationEvent

    since = timezone.now() - ACTIVE_WINDOW
    count = (
        AnnotationEvent.objects.filter(
            created_at__gte=since, action__in=["put", "patch"], annotation__is_gold=False
        )
        .values("actor")
        .distinct()
        .count()
    )
    gauge = GaugeMetricFamily(
        "workbench_active_annotators",
        "People who saved annotation work (not gold) in the last five minutes.",
    )
    gauge.add_metric([], count)
    return gauge


class _Scrape:
    """This process's registry (or every gunicorn process's files) and the database's."""

    def __init__(self) -> None:
        if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
            measured = CollectorRegistry()
            MultiProcessCollector(measured)
        else:
            measured = REGISTRY
        self.parts = [measured, InstallationCollector()]

    def collect(self) -> Iterator[Metric]:
        for part in self.parts:
            yield from part.collect()


def address_allowed(request: HttpRequest) -> bool:
    """The client's address (the nearest trusted proxy's view, as the login throttle reads
    it) is inside METRICS_ALLOWED_IPS."""
    raw = BaseThrottle().get_ident(request)
    try:
        address = ipaddress.ip_address(raw.strip())
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return any(
        address in ipaddress.ip_network(net, strict=False) for net in settings.METRICS_ALLOWED_IPS
    )


def metrics_view(request: HttpRequest) -> HttpResponse:
    if not address_allowed(request):
        return HttpResponse(
            "403 Forbidden: this address may not read the metrics (METRICS_ALLOWED_IPS).\n",
            status=403,
            content_type="text/plain; charset=utf-8",
        )
    body = generate_latest(_Scrape())  # type: ignore[arg-type]
    return HttpResponse(body, content_type=CONTENT_TYPE_LATEST)
