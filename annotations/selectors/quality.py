"""Annotator quality (issue 12): each annotator's work, their accuracy on hidden gold checks,
its drift, their agreement with the others, and their time.

- `documents`: their submitted annotations of ordinary documents (checks are counted apart).
- `checks`: their submitted annotations of check documents made since the document became a
  check (`Document.check_since`; earlier work may have made the gold).
- `accuracy` against each check's gold, micro-averaged over their checks: span F1 with exact
  and with overlap matching (`annotations.agreement`'s matching, gold as the reference), link
  F1 (a link is right when both its ends overlap-match gold's and the label is the same),
  and document labels (the share of groups, set in gold or by them, where their value is
  gold's). Each is null before the first check, or with nothing of that kind to compare.
- `drift`: exact span F1 per window of `DRIFT_WINDOW` consecutive checks, over their last
  `DRIFT_WINDOWS` windows (oldest first; windows are counted back from the newest check, so
  the newest is full and the oldest may be short). `drifting`: the newest window's figure is
  more than `DRIFT_MARGIN` below the mean of the earlier ones.
- `agreement`: the mean, over the ordinary documents they submitted that have an agreement
  figure, of that figure (the documents' stored mean pairwise overlap span F1, computed by
  `annotations.agreement.document_span_f1` as work is submitted, DECISIONS 23).
- `active_seconds_median`, `seconds_per_span_median`: medians over all their submitted
  annotations of the seconds each took (`dashboard.TIME`: the editor's active time, else the
  history's), and of those seconds per span (annotations with spans).

Queries, whatever the project's size: members; figures per annotator; the checks' annotations
and their gold; labels, spans and relations of those (`contents_of`, one more pair per 10,000
check annotations). The check figures read only check documents' work.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.contrib.auth.models import User
from django.db import connection
from django.db.models import Avg, Count, F, FloatField, Q
from django.db.models.functions import Cast

from annotations.agreement import PRF, exact_matches, overlap_matches, parse_spans
from annotations.agreement.matching import _relation_prf as relation_prf
from annotations.models import Annotation, AnnotationStatus, Membership, Project, Role
from annotations.selectors.annotations import contents_of, label_names
from annotations.selectors.dashboard import TIME, Median

DRIFT_WINDOW = 5
DRIFT_WINDOWS = 4
DRIFT_MARGIN = 0.10

SUBMITTED = AnnotationStatus.SUBMITTED


@dataclass
class Tally:
    """Counts behind the accuracy figures of some checks."""

    exact: PRF = field(default_factory=PRF)
    overlap: PRF = field(default_factory=PRF)
    links: PRF = field(default_factory=PRF)
    labels_right: int = 0
    labels_compared: int = 0
    checks: int = 0

    @classmethod
    def of(cls, gold: Mapping[str, Any], theirs: Mapping[str, Any]) -> Tally:
        """One check: `theirs` against `gold` (each parsed and matched once)."""
        reference, candidate = parse_spans(gold), parse_spans(theirs)
        sizes = (len(reference), len(candidate))
        overlapping = overlap_matches(reference, candidate)
        links = relation_prf(gold, theirs, reference, candidate, overlapping).values()
        right, compared = label_matches(gold["document_labels"], theirs["document_labels"])
        return cls(
            PRF(len(exact_matches(reference, candidate)), *sizes),
            PRF(len(overlapping), *sizes),
            sum(links, PRF()),
            right,
            compared,
            1,
        )

    def __add__(self, other: Tally) -> Tally:
        return Tally(
            self.exact + other.exact,
            self.overlap + other.overlap,
            self.links + other.links,
            self.labels_right + other.labels_right,
            self.labels_compared + other.labels_compared,
            self.checks + other.checks,
        )

    def figures(self) -> dict[str, float | None]:
        return {
            "span_f1": self.exact.f1,
            "span_f1_overlap": self.overlap.f1,
            "link_f1": self.links.f1,
            "document_labels": self.labels_right / self.labels_compared
            if self.labels_compared
            else None,
        }


def _value(value: Any) -> Any:
    if value in (None, "", []):
        return None
    return tuple(sorted(value)) if isinstance(value, list) else value


def label_matches(gold: Mapping[str, Any], theirs: Mapping[str, Any]) -> tuple[int, int]:
    """(groups where their value is gold's, groups set in either): a multi-choice group
    is right when the same set of values is chosen."""
    groups = {g for g, v in gold.items() if _value(v) is not None}
    groups |= {g for g, v in theirs.items() if _value(v) is not None}
    right = sum(_value(gold.get(g)) == _value(theirs.get(g)) for g in groups)
    return right, len(groups)


def drift(checks: Sequence[tuple[datetime, Tally]]) -> list:
    """Exact span F1 per window of consecutive checks `(submitted_at, its tally)` in
    submission order: the last `DRIFT_WINDOWS` windows of `DRIFT_WINDOW`, oldest first."""
    recent = list(checks)[-DRIFT_WINDOW * DRIFT_WINDOWS :]
    windows = []
    end = len(recent)
    while end > 0:
        start = max(0, end - DRIFT_WINDOW)
        tally = sum((one for _, one in recent[start:end]), Tally())
        windows.append(
            {
                "checks": tally.checks,
                "first_at": recent[start][0],
                "last_at": recent[end - 1][0],
                "span_f1": tally.exact.f1,
            }
        )
        end = start
    return windows[::-1]


def is_drifting(windows: Sequence[Mapping[str, Any]]) -> bool:
    """The newest window more than `DRIFT_MARGIN` below the mean of the earlier ones."""
    if len(windows) < 2 or windows[-1]["span_f1"] is None:
        return False
    earlier = [w["span_f1"] for w in windows[:-1] if w["span_f1"] is not None]
    return bool(earlier) and statistics.fmean(earlier) - windows[-1]["span_f1"] > DRIFT_MARGIN


def _people(project: Project, only: User | None) -> dict[int, str]:
    """Annotators of the project, and anyone else with submitted work, by id (name order)."""
    members = Membership.objects.filter(project=project)
    if only is not None:
        members = members.filter(user=only)
    people = {
        pk: name
        for pk, name, role in members.values_list("user_id", "user__username", "role")
        if role == Role.ANNOTATOR
    }
    return people


def _work_figures(project: Project, only: User | None) -> dict[int, dict[str, Any]]:
    """Per annotator: documents, agreement and time medians, in one grouped query (SQLite
    reads the rows and takes the medians here)."""
    submitted = Annotation.objects.filter(project=project, is_gold=False, status=SUBMITTED)
    if only is not None:
        submitted = submitted.filter(annotator=only)
    ordinary = Q(document__check_since=None)
    seconds = TIME
    per_span = Cast(seconds, FloatField()) / F("span_count")
    if connection.vendor == "postgresql":
        rows = (
            submitted.order_by()
            .values("annotator_id", "annotator__username")
            .annotate(
                documents=Count("pk", filter=ordinary),
                agreement=Avg("document__agreement", filter=ordinary),
                seconds=Median(seconds),
                per_span=Median(per_span, filter=Q(span_count__gt=0)),
            )
        )
        return {row["annotator_id"]: dict(row) for row in rows}
    figures: dict[int, dict[str, Any]] = {}
    values = submitted.annotate(seconds_=seconds).values_list(
        "annotator_id",
        "annotator__username",
        "document__check_since",
        "document__agreement",
        "seconds_",
        "span_count",
    )
    lists: dict[int, tuple[list, list, list]] = defaultdict(lambda: ([], [], []))
    for annotator, name, check_since, agreement, took, spans in values:
        row = figures.setdefault(
            annotator, {"annotator__username": name, "documents": 0, "agreement": None}
        )
        agreements, times, per_spans = lists[annotator]
        if check_since is None:
            row["documents"] += 1
            if agreement is not None:
                agreements.append(agreement)
        if took is not None:
            times.append(took)
            if spans:
                per_spans.append(took / spans)
    for annotator, (agreements, times, per_spans) in lists.items():
        row = figures[annotator]
        row["agreement"] = statistics.fmean(agreements) if agreements else None
        row["seconds"] = statistics.median(times) if times else None
        row["per_span"] = statistics.median(per_spans) if per_spans else None
    return figures


def _check_tallies(project: Project, only: User | None) -> dict[int, list]:
    """Per annotator, their checks in submission order as `(submitted_at, tally)`."""
    checks = Annotation.objects.filter(
        project=project,
        is_gold=False,
        status=SUBMITTED,
        document__check_since__isnull=False,
        created_at__gte=F("document__check_since"),
    )
    if only is not None:
        checks = checks.filter(annotator=only)
    theirs = list(
        checks.order_by("annotator_id", "submitted_at", "pk").values_list(
            "pk", "annotator_id", "document_id", "submitted_at", "document_labels"
        )
    )
    gold = {
        document_id: (pk, labels)
        for pk, document_id, labels in Annotation.objects.filter(
            project=project, is_gold=True, document__check_since__isnull=False
        ).values_list("pk", "document_id", "document_labels")
    }
    done = {row[2] for row in theirs}
    pks = [row[0] for row in theirs] + [pk for d, (pk, _) in gold.items() if d in done]
    contents = contents_of(pks, label_names(project.pk)) if pks else {}

    def layer(pk: int, labels: Any) -> dict[str, Any]:
        content = contents.get(pk)
        return {
            "spans": content.spans if content else [],
            "relations": content.relations if content else [],
            "document_labels": labels or {},
        }

    by_annotator: dict[int, list] = defaultdict(list)
    for pk, annotator, document_id, submitted_at, labels in theirs:
        if document_id in gold:
            one = Tally.of(layer(*gold[document_id]), layer(pk, labels))
            by_annotator[annotator].append((submitted_at, one))
    return by_annotator


def project_quality(project: Project, *, only: User | None = None) -> dict[str, Any]:
    """Every annotator's figures (`only`: that person's alone), in name order."""
    people = _people(project, only)
    work = _work_figures(project, only)
    checks = _check_tallies(project, only)
    for pk, row in work.items():
        people.setdefault(pk, row["annotator__username"])
    rows = []
    for pk, username in sorted(people.items(), key=lambda item: item[1]):
        figures = work.get(pk, {})
        done = checks.get(pk, [])
        tally = sum((one for _, one in done), Tally())
        windows = drift(done)
        rows.append(
            {
                "username": username,
                "documents": figures.get("documents", 0),
                "checks": len(done),
                "accuracy": tally.figures(),
                "agreement": figures.get("agreement"),
                "drift": windows,
                "drifting": is_drifting(windows),
                "active_seconds_median": figures.get("seconds"),
                "seconds_per_span_median": figures.get("per_span"),
            }
        )
    return {
        "drift_window": DRIFT_WINDOW,
        "drift_windows": DRIFT_WINDOWS,
        "drift_margin": DRIFT_MARGIN,
        "annotators": rows,
    }
