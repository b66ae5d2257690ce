"""The team dashboard: each member's progress, time per document and per span, throughput,
the label distribution, and agreement over time.

Every figure is read from rows `services.work_state` keeps current (member and label tallies,
the documents' and annotations' derived columns), through indexes, so a project of 100,000
documents costs the same nine queries as one of ten (PostgreSQL; SQLite computes the medians
in Python from the period's rows):

1. members with their tallies, 2. documents by state, 3. time medians per annotator,
4. the team's, 5. submissions per annotator and day, 6. labels with their tallies,
7. agreement per day — plus the project and role (`ProjectScoped`). Weeks are summed here
from the days.

Time comes from one place, `work_times` (and `TIME`, which the quality report shares): the
active time the editor reported with its saves (issue 12), else, for work saved before the
editor reported it (or through the API alone), the gaps in the annotation's history
(`work_time`).
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Literal

from django.db import connection
from django.db.models import Aggregate, Count, F, FloatField, Q, QuerySet
from django.db.models.functions import Coalesce

from annotations.models import (
    AgreementTally,
    Annotation,
    AnnotationStatus,
    AnnotatorTally,
    DocumentState,
    Membership,
    Project,
    Role,
    SubmissionTally,
)
from annotations.selectors.documents import day_range
from annotations.work_time import IDLE_SECONDS

Bucket = Literal["day", "week"]
COUNTS = ("assigned", "in_progress", "submitted", "skipped")
# Where the seconds an annotation took come from (see the module docstring).
TIME_SOURCE = "editor, else events"
TIME = Coalesce("active_seconds", "event_seconds")


@dataclass(frozen=True)
class Period:
    """Inclusive days, counted in buckets of a day or of a week (weeks start on Monday)."""

    after: date
    before: date
    bucket: Bucket

    def bucket_start(self, day: date) -> date:
        return day - timedelta(days=day.weekday()) if self.bucket == "week" else day

    def buckets(self) -> Iterator[tuple[date, date]]:
        """(first day, last day) of every bucket touching the period, in order."""
        step = timedelta(days=7 if self.bucket == "week" else 1)
        start = self.bucket_start(self.after)
        while start <= self.before:
            yield start, start + step - timedelta(days=1)
            start += step


class Median(Aggregate):
    """PostgreSQL's exact median (`percentile_cont`); other databases use `_median_rows`."""

    function = "PERCENTILE_CONT"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


def dashboard(project: Project, period: Period) -> dict[str, Any]:
    members = _members(project)
    return {
        "period": {
            "after": period.after,
            "before": period.before,
            "bucket": period.bucket,
        },
        "time": {"source": TIME_SOURCE, "idle_seconds": IDLE_SECONDS},
        "documents": _documents(project),
        **work_times(project, period, members),
        "throughput": _throughput(
            project, period, {pk: member["username"] for pk, member in members.items()}
        ),
        "labels": _labels(project),
        "agreement": _agreement(project, period),
    }


def _documents(project: Project) -> dict[str, Any]:
    by_state = dict.fromkeys(DocumentState.values, 0)
    rows = project.documents.order_by().values_list("state").annotate(n=Count("pk"))
    for state, n in rows:
        by_state[state] = n
    return {
        "total": sum(by_state.values()),
        "annotators_per_document": project.annotators_per_document,
        "by_state": by_state,
    }


def _members(project: Project) -> dict[int, dict[str, Any]]:
    """Annotators, and anyone else with counted work (members or not any more), by user id,
    in name order. Two queries: tallies, memberships."""
    counted = AnnotatorTally.objects.filter(project=project).values_list(
        "annotator_id", "annotator__username", "assigned", "in_progress", "submitted", "skipped"
    )
    rows: dict[int, dict[str, Any]] = {}
    for user_id, username, *counts in counted:
        rows[user_id] = {
            "username": username,
            "role": None,
            **dict(zip(COUNTS, counts, strict=True)),
        }
    memberships = Membership.objects.filter(project=project).values_list(
        "user_id", "user__username", "role"
    )
    for user_id, username, role in memberships:
        if user_id in rows:
            rows[user_id]["role"] = role
        elif role == Role.ANNOTATOR:
            rows[user_id] = {"username": username, "role": role, **dict.fromkeys(COUNTS, 0)}
    shown = {
        pk: row
        for pk, row in rows.items()
        if row["role"] == Role.ANNOTATOR or any(row[c] for c in COUNTS)
    }
    return dict(sorted(shown.items(), key=lambda item: item[1]["username"]))


def _submitted_in(project: Project, period: Period) -> QuerySet[Annotation]:
    start, end = day_range(period.after, period.before)
    return Annotation.objects.filter(
        project=project,
        is_gold=False,
        status=AnnotationStatus.SUBMITTED,
        submitted_at__gte=start,
        submitted_at__lt=end,
    )


def work_times(
    project: Project, period: Period, members: dict[int, dict[str, Any]]
) -> dict[str, Any]:
    """Members (with their progress) and the team: how many submitted annotations of the
    period have a time, and the median seconds per document and per span."""
    timed = _submitted_in(project, period).filter(
        Q(active_seconds__isnull=False) | Q(event_seconds__isnull=False)
    )
    if connection.vendor == "postgresql":
        per_span = Median(TIME / F("span_count"), filter=Q(span_count__gt=0))
        grouped = (
            timed.order_by()
            .values("annotator_id")
            .annotate(n=Count("pk"), doc=Median(TIME), span=per_span)
            .values_list("annotator_id", "n", "doc", "span")
        )
        figures: dict[int, tuple[int, float | None, float | None]] = {
            annotator: (n, doc, span) for annotator, n, doc, span in grouped
        }
        team = timed.aggregate(n=Count("pk"), doc=Median(TIME), span=per_span)
        team_figures = (team["n"], team["doc"], team["span"])
    else:
        figures, team_figures = _median_rows(timed)
    rows = []
    for user_id, member in members.items():
        n, per_document, per_span_value = figures.get(user_id, (0, None, None))
        rows.append(
            {
                **member,
                "timed": n,
                "seconds_per_document": per_document,
                "seconds_per_span": per_span_value,
            }
        )
    n, per_document, per_span_value = team_figures
    return {
        "annotators": rows,
        "team": {
            "timed": n,
            "seconds_per_document": per_document,
            "seconds_per_span": per_span_value,
        },
    }


def _median_rows(
    timed: QuerySet[Annotation],
) -> tuple[dict[int, tuple[int, float | None, float | None]], tuple[int, Any, Any]]:
    """The medians computed here, for databases without `percentile_cont` (SQLite)."""
    seconds: dict[int, list[float]] = defaultdict(list)
    per_span: dict[int, list[float]] = defaultdict(list)
    rows = timed.annotate(seconds_=TIME).values_list("annotator_id", "seconds_", "span_count")
    for annotator, value, spans in rows:
        seconds[annotator].append(value)
        if spans:
            per_span[annotator].append(value / spans)

    def medians(a: list[float], b: list[float]) -> tuple[int, Any, Any]:
        return (
            len(a),
            statistics.median(a) if a else None,
            statistics.median(b) if b else None,
        )

    every = [v for values in seconds.values() for v in values]
    every_span = [v for values in per_span.values() for v in values]
    figures = {a: medians(seconds[a], per_span.get(a, [])) for a in seconds}
    return figures, medians(every, every_span)


def _throughput(project: Project, period: Period, names: dict[int, str]) -> list[dict[str, Any]]:
    """Submissions per bucket (by their latest submission), in total and per annotator."""
    rows = SubmissionTally.objects.filter(
        project=project, day__gte=period.after, day__lte=period.before, submitted__gt=0
    ).values_list("day", "annotator_id", "submitted")
    by_bucket: dict[date, Counter[str]] = defaultdict(Counter)
    for day, annotator, n in rows:
        by_bucket[period.bucket_start(day)][names.get(annotator, f"#{annotator}")] += n
    return [
        {
            "start": start,
            "end": end,
            "total": sum(by_bucket[start].values()),
            "by_annotator": dict(sorted(by_bucket[start].items())),
        }
        for start, end in period.buckets()
    ]


def _labels(project: Project) -> list[dict[str, Any]]:
    """Span labels in schema order with their spans and documents over submitted work (and
    their `translations`, so a legend can show each label's title in the reader's language)."""
    labels = project.labels.filter(kind="span").values_list(
        "pk", "name", "color", "translations", "tally__spans", "tally__documents"
    )
    return [
        {
            "id": pk,
            "name": name,
            "color": color,
            "translations": translations,
            "spans": spans or 0,
            "documents": docs or 0,
        }
        for pk, name, color, translations, spans, docs in labels.order_by("position", "pk")
    ]


def _agreement(project: Project, period: Period) -> list[dict[str, Any]]:
    """Per bucket of their latest submission, documents compared and their mean span F1."""
    rows = AgreementTally.objects.filter(
        project=project, day__gte=period.after, day__lte=period.before, documents__gt=0
    ).values_list("day", "documents", "agreement_micros")
    documents: Counter[date] = Counter()
    micros: Counter[date] = Counter()
    for day, n, total in rows:
        documents[period.bucket_start(day)] += n
        micros[period.bucket_start(day)] += total
    return [
        {
            "start": start,
            "end": end,
            "documents": documents[start],
            "span_f1": micros[start] / AgreementTally.MICROS / documents[start]
            if documents[start]
            else None,
        }
        for start, end in period.buckets()
    ]
