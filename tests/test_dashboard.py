"""The team dashboard: every figure checked against the documents table it links to, and
against an independent computation from the raw rows (events, spans, the agreement API)."""

import itertools
import statistics
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta

import pytest
from django.utils import timezone

from annotations.models import Annotation, AnnotationEvent, AnnotationStatus, Span
from tests.conftest import api, error_body
from tests.factories import DocumentFactory

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday
PERIOD = "after=2026-03-01&before=2026-03-10"
PER = {"start": 0, "end": 16, "label": "PER"}  # "Jens Stoltenberg"
LOC = {"start": 51, "end": 58, "label": "LOC"}  # "Brussel"
QUOTE = {"start": 26, "end": 37, "label": "QUOTE"}


class Clock:
    """`timezone.now` for the test: every write happens when the test says."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now

    def at(self, day: int, seconds: float) -> None:
        self.now = START + timedelta(days=day, seconds=seconds)


@pytest.fixture
def clock(monkeypatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr(timezone, "now", clock)
    return clock


def work(cast, clock, who, document, day, steps, status="submitted"):
    """`who` adds spans at the given seconds after 09:00 on `day`, then finishes."""
    client = cast.client(who)
    mine = api(cast.project.pk, f"documents/{document.pk}/annotations/mine/")
    version = 0
    for n, (seconds, span) in enumerate(steps):
        clock.at(day, seconds)
        ops = [{"op": "add_span", "span": {**span, "id": f"s{n}"}}]
        response = client.patch(mine, {"version": version, "ops": ops}, format="json")
        assert response.status_code == 200, response.content
        version = response.json()["version"]
    clock.at(day, steps[-1][0] + 20)
    ops = [{"op": "set_status", "status": status}]
    assert client.patch(mine, {"version": version, "ops": ops}, format="json").status_code == 200


@pytest.fixture
def seeded(cast, clock):
    """Two annotators over two days: a disputed document, an agreed one, a skip, a draft,
    an explicit assignment, and a gold version."""
    cast.project.annotators_per_document = 2
    cast.project.save()
    docs = [DocumentFactory(project=cast.project) for _ in range(6)]
    # alice on doc 0: gaps of 40 and 60 s, an idle 600 s (left out), 20 s to submit: 120 s
    work(
        cast,
        clock,
        "annotator",
        docs[0],
        0,
        [(0, PER), (40, QUOTE), (100, LOC), (700, {**LOC, "start": 52})],
    )
    work(cast, clock, "teammate", docs[0], 0, [(1000, PER), (1090, QUOTE)])
    work(cast, clock, "annotator", docs[1], 1, [(0, PER), (200, LOC)])
    work(cast, clock, "teammate", docs[1], 1, [(300, PER), (310, LOC)])
    work(cast, clock, "teammate", docs[2], 1, [(400, QUOTE)])
    work(cast, clock, "annotator", docs[3], 1, [(500, PER)], status="skipped")
    work(cast, clock, "teammate", docs[4], 1, [(600, PER), (900, LOC)], status="draft")
    clock.at(2, 0)
    admin = cast.client("admin")
    body = {"document": docs[5].pk, "annotator": "alice"}
    assert admin.post(api(cast.project.pk, "assignments/"), body, format="json").status_code == 201
    gold = api(cast.project.pk, f"documents/{docs[1].pk}/gold/")
    spans = [{**PER, "id": "g1"}]
    assert (
        cast.client("reviewer").put(gold, {"version": 0, "spans": spans}, format="json").status_code
        == 200
    )
    return docs


def dashboard(cast, query=PERIOD):
    response = cast.client("reviewer").get(api(cast.project.pk, f"dashboard/?{query}"))
    assert response.status_code == 200, response.content
    return response.json()


def table_count(cast, query: str) -> int:
    response = cast.client("reviewer").get(api(cast.project.pk, f"documents/?{query}"))
    assert response.status_code == 200, response.content
    return response.json()["count"]


def test_each_progress_figure_is_the_count_of_the_documents_it_links_to(cast, seeded):
    """Per member and column, and per state: the figure equals the filtered table's count."""
    figures = dashboard(cast)
    members = {row["username"]: row for row in figures["annotators"]}
    assert set(members) == {"alice", "bob"}
    assert members["alice"] | {} == members["alice"]
    expected = {
        "alice": {"assigned": 1, "in_progress": 1, "submitted": 2, "skipped": 1},
        "bob": {"assigned": 0, "in_progress": 1, "submitted": 3, "skipped": 0},
    }
    for name, counts in expected.items():
        assert {k: members[name][k] for k in counts} == counts
        for column in counts:
            linked = table_count(cast, f"annotator={name}&annotator_status={column}")
            assert members[name][column] == linked, (name, column)
    by_state = figures["documents"]["by_state"]
    assert by_state == {
        "new": 0,
        "in_progress": 3,  # a skip, a draft, an assignment
        "annotated": 1,  # doc 2, bob only: 1 of 2
        "disputed": 1,  # doc 0
        "gold": 1,  # doc 1, gold not marked final
        "reviewed": 0,
    }
    assert figures["documents"]["total"] == 6
    for state, n in by_state.items():
        assert table_count(cast, f"state={state}") == n


def test_label_figures_match_the_spans_and_the_table(cast, seeded):
    """Spans per label over submitted work, counted from the span rows; documents from the
    label filter."""
    labels = {row["name"]: row for row in dashboard(cast)["labels"]}
    submitted = Span.objects.filter(
        annotation__status=AnnotationStatus.SUBMITTED, annotation__is_gold=False
    )
    for name, row in labels.items():
        assert row["spans"] == submitted.filter(label__name=name).count(), name
        assert row["documents"] == table_count(cast, f"label={name}"), name
    assert labels["PER"] == {**labels["PER"], "spans": 4, "documents": 2}


def test_label_rows_carry_the_labels_texts(cast, seeded):
    """Each label row carries the label's `translations`, so the chart's legend can show its
    title in the reader's language."""
    rows = dashboard(cast)["labels"]
    stored = {label.name: label.translations for label in cast.project.labels.filter(kind="span")}
    assert {row["name"]: row["translations"] for row in rows} == stored
    assert (
        next(row for row in rows if row["name"] == "PER")["translations"]["id"]["title"] == "Orang"
    )


def test_time_medians_match_the_raw_history(cast, seeded):
    """Seconds per document and per span: the median over each annotator's submitted
    annotations of the gaps between their own consecutive saves, idle gaps (> 5 min) out,
    computed here from the events themselves."""
    seconds: dict[str, list[float]] = defaultdict(list)
    per_span: dict[str, list[float]] = defaultdict(list)
    for annotation in Annotation.objects.filter(is_gold=False, status=AnnotationStatus.SUBMITTED):
        events = list(AnnotationEvent.objects.filter(annotation=annotation).order_by("version"))
        gaps = [
            (b.created_at - a.created_at).total_seconds()
            for a, b in itertools.pairwise(events)
            if a.actor_id == b.actor_id == annotation.annotator_id
        ]
        if not gaps:
            continue
        total = sum(gap for gap in gaps if gap <= 300)
        seconds[annotation.annotator.username].append(total)
        per_span[annotation.annotator.username].append(total / annotation.spans.count())
    figures = dashboard(cast)
    members = {row["username"]: row for row in figures["annotators"]}
    assert seconds["alice"] == [pytest.approx(120, abs=0.01), pytest.approx(220, abs=0.01)]
    for name in ("alice", "bob"):
        assert members[name]["timed"] == len(seconds[name])
        assert members[name]["seconds_per_document"] == pytest.approx(
            statistics.median(seconds[name]), abs=0.01
        )
        assert members[name]["seconds_per_span"] == pytest.approx(
            statistics.median(per_span[name]), abs=0.01
        )
    every = [s for values in seconds.values() for s in values]
    every_span = [s for values in per_span.values() for s in values]
    assert figures["team"]["timed"] == len(every)
    assert figures["team"]["seconds_per_document"] == pytest.approx(
        statistics.median(every), abs=0.01
    )
    assert figures["team"]["seconds_per_span"] == pytest.approx(
        statistics.median(every_span), abs=0.01
    )


def test_time_medians_equal_the_hand_worked_values(cast, seeded):
    """The seed's times worked by hand: alice 40 + 60 + (600 away) + 20 = 120 s over 4 spans
    and 200 + 20 = 220 s over 2; bob 90 + 20 = 110 s over 2, 10 + 20 = 30 s over 2 and 20 s
    over 1. Medians: alice 170 s and (30, 110) → 70 s a span; bob 30 s and (55, 15, 20) →
    20 s; the team (120, 220, 110, 30, 20) → 110 s and (30, 110, 55, 15, 20) → 30 s."""
    figures = dashboard(cast)
    members = {row["username"]: row for row in figures["annotators"]}
    got = {
        name: (row["timed"], row["seconds_per_document"], row["seconds_per_span"])
        for name, row in members.items()
    }
    assert got == {"alice": (2, 170.0, 70.0), "bob": (3, 30.0, 20.0)}
    team = figures["team"]
    assert (team["timed"], team["seconds_per_document"], team["seconds_per_span"]) == (
        5,
        110.0,
        30.0,
    )


def test_throughput_and_agreement_per_day_match_the_rows_and_the_agreement_api(cast, seeded):
    """Submissions per day and annotator (each the count of the documents it links to), and
    per day of the latest submission the mean of the agreement API's per-document span F1."""
    figures = dashboard(cast)
    days = [row["start"] for row in figures["throughput"]]
    assert days[0] == "2026-03-01" and days[-1] == "2026-03-10" and len(days) == 10
    for row in figures["throughput"]:
        day = date.fromisoformat(row["start"])
        raw = Annotation.objects.filter(
            is_gold=False, status="submitted", submitted_at__date=day
        ).count()
        assert row["total"] == raw
        for name, n in row["by_annotator"].items():
            query = f"annotator={name}&submitted_after={day}&submitted_before={day}"
            assert n == table_count(cast, query)
    assert {r["start"]: r["by_annotator"] for r in figures["throughput"] if r["total"]} == {
        "2026-03-02": {"alice": 1, "bob": 1},
        "2026-03-03": {"alice": 1, "bob": 2},
    }
    per_document = cast.client("reviewer").get(api(cast.project.pk, "agreement/")).json()
    f1 = {row["id"]: row["span_f1_overlap"] for row in per_document["per_document"]}
    latest = defaultdict(list)
    for document_id, at in Annotation.objects.filter(is_gold=False, status="submitted").values_list(
        "document_id", "submitted_at"
    ):
        latest[document_id].append(at)
    by_day = defaultdict(list)
    for document_id, value in f1.items():
        if value is not None:
            by_day[max(latest[document_id]).date().isoformat()].append(value)
    for row in figures["agreement"]:
        expected = by_day.get(row["start"], [])
        assert row["documents"] == len(expected)
        if expected:
            assert row["span_f1"] == pytest.approx(statistics.fmean(expected))
        query = (
            f"compared=true&last_submitted_after={row['start']}&last_submitted_before={row['end']}"
        )
        assert row["documents"] == table_count(cast, query)
    assert sum(row["documents"] for row in figures["agreement"]) == 2


def test_weeks_sum_their_days(cast, seeded):
    """With weekly buckets, each week holds its days' submissions and starts on a Monday."""
    weekly = dashboard(cast, "after=2026-02-23&before=2026-03-15&bucket=week")
    assert [row["start"] for row in weekly["throughput"]] == [
        "2026-02-23",
        "2026-03-02",
        "2026-03-09",
    ]
    assert [row["total"] for row in weekly["throughput"]] == [0, 5, 0]
    assert weekly["agreement"][1]["documents"] == 2


def test_the_period_is_checked(cast):
    """A reversed or too long period, a junk date or bucket: 400 naming the parameter."""
    client = cast.client("reviewer")
    for query, where in (
        ("after=2026-03-10&before=2026-03-01", "after"),
        ("after=2000-01-01&before=2026-03-01", "after"),
        ("after=yesterday", "after"),
        ("bucket=month", "bucket"),
    ):
        body = error_body(client.get(api(cast.project.pk, f"dashboard/?{query}")), 400, "invalid")
        assert where in body["errors"], (query, body)


def test_the_default_period_is_the_last_30_days_by_day(cast, clock):
    """Without parameters: the 30 days up to today, in days."""
    figures = dashboard(cast, "")
    assert figures["period"] == {"after": "2026-02-01", "before": "2026-03-02", "bucket": "day"}
    assert len(figures["throughput"]) == 30


@pytest.mark.parametrize(("who", "code"), [("annotator", 403), ("outsider", 404), (None, 403)])
def test_the_dashboard_is_for_reviewers_and_admins(cast, who, code):
    """Annotators are refused; outsiders do not learn the project exists."""
    assert cast.client(who).get(api(cast.project.pk, "dashboard/")).status_code == code
    assert cast.client("admin").get(api(cast.project.pk, "dashboard/")).status_code == 200


def test_the_dashboard_costs_the_same_queries_for_any_size(cast, clock, django_assert_num_queries):
    """Nine queries with 2 documents or 40, whoever did the work."""
    from django.db import connection

    for n in (2, 40):
        docs = [DocumentFactory(project=cast.project) for _ in range(n)]
        for i, document in enumerate(docs):
            who = "annotator" if i % 2 else "teammate"
            work(cast, clock, who, document, i % 5, [(0, PER), (30, LOC)])
        queries = 9 if connection.vendor == "postgresql" else 8
        # project and role; member tallies; memberships; documents by state; time medians
        # per annotator; the team's (PostgreSQL; SQLite reads the period's rows once);
        # submissions per day; labels with their tallies; agreement per day
        with django_assert_num_queries(queries):
            dashboard(cast)
