"""The annotator quality report (`GET /api/projects/{id}/quality/`, issue 12) at 10,000 and
100,000 documents: server time through the whole Django stack, queries, and peak memory.

    .venv/bin/python bench/bench_quality.py [--documents 10000 100000] [--annotators 10]
                                            [--checks 200] [--runs 10] [--keep]

The seed is `bench_team.py`'s (70% of documents with two annotators, three spans each, the
derived state by the writers' code), plus `--checks` of its documents made hidden gold
checks (gold of three spans and a SPEAKER link), each done by every annotator (one in four
with a span moved, a tenth with the link left out), with editor-reported active seconds on
every submission. Printed per size: median and p95 of `--runs` calls, the queries of one
call, and the Python heap's peak during one call (tracemalloc: what the request allocates,
rows and figures included; the process's RSS is dominated by the seed, so it is not shown).

Target: constant queries; well under a second at 100,000 documents.
"""

import argparse
import random
import statistics
import time
import tracemalloc
from datetime import timedelta

from _setup import client_for, setup_django

setup_django()

from bench_team import _delete, seed  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from annotations.models import (  # noqa: E402
    Annotation,
    AnnotationStatus,
    Document,
    Membership,
    Project,
    Relation,
    Role,
    Span,
)
from annotations.services import work_state  # noqa: E402


def add_checks(project: Project, checks: int, rng: random.Random) -> None:
    """Gold on `checks` documents nobody annotated, made checks; every annotator does each."""
    labels = dict(project.labels.values_list("name", "pk"))
    annotators = list(
        Membership.objects.filter(project=project, role=Role.ANNOTATOR).values_list(
            "user_id", flat=True
        )
    )
    chosen = list(
        project.documents.filter(state="new").order_by("pk").values_list("pk", flat=True)[:checks]
    )
    now = timezone.now()
    rows = [
        Annotation(document_id=pk, project=project, is_gold=True, status="submitted", version=1)
        for pk in chosen
    ]
    done_at = now + timedelta(seconds=1)
    for pk in chosen:
        for who in annotators:
            rows.append(
                Annotation(
                    document_id=pk,
                    project=project,
                    annotator_id=who,
                    status=AnnotationStatus.SUBMITTED,
                    version=1,
                    span_count=3,
                    submitted_at=done_at,
                    active_seconds=rng.uniform(60, 600),
                )
            )
    Annotation.objects.bulk_create(rows, batch_size=5000)
    # The checks date from before the work on them (`Document.check_since`; the rows'
    # `created_at` is the time of the insert, after `now`).
    Document.objects.filter(pk__in=chosen).update(check_since=now)
    spans, relations = [], []
    for note in rows:
        moved = not note.is_gold and rng.random() < 0.25
        ends = {}
        for k, label in enumerate(("PER", "LOC", "QUOTE")):
            offset = 40 * k + (3 if moved and k == 1 else 0)
            ends[label] = Span(
                annotation=note,
                client_id=f"s{k}",
                start=offset,
                end=offset + 12,
                label_id=labels[label],
            )
            spans.append(ends[label])
        if note.is_gold or rng.random() >= 0.1:
            relations.append((note, ends["QUOTE"], ends["PER"]))
    Span.objects.bulk_create(spans, batch_size=5000)
    Relation.objects.bulk_create(
        [
            Relation(
                annotation=note,
                client_id="r1",
                source=source,
                target=target,
                label_id=labels["SPEAKER"],
            )
            for note, source, target in relations
        ],
        batch_size=5000,
    )
    with transaction.atomic():
        work_state.documents_refresh(project.pk, chosen)
        work_state._recount_tallies(project.pk)


def delete(project: Project) -> None:
    """Links first (the database has no cascade from spans), then as `bench_team` does."""
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM annotations_relation r USING annotations_annotation a"
            " WHERE r.annotation_id = a.id AND a.project_id = %s",
            [project.pk],
        )
    _delete(project)


def measure(client, url: str, runs: int) -> dict:
    client.get(url)  # warm
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code, response.content[:300])
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        body = client.get(url).json()
    tracemalloc.start()
    client.get(url)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "median": statistics.median(times),
        "p95": sorted(times)[max(0, int(0.95 * len(times)) - 1)],
        "queries": len(queries),
        "heap_mb": peak / 2**20,
        "annotators": len(body["annotators"]),
        "checks": sum(row["checks"] for row in body["annotators"]),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--documents", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--annotators", type=int, default=10)
    parser.add_argument("--checks", type=int, default=200)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--keep", action="store_true", help="keep the projects for another run")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit("bench_quality measures PostgreSQL: set DATABASE_URL=postgres://…")
    print(
        f"{'documents':>10} {'checks done':>11} {'median ms':>10} {'p95 ms':>8} {'queries':>8}"
        f" {'heap peak MB':>13}"
    )
    for documents in args.documents:
        name = f"bench-quality-{documents}-{args.annotators}-{args.checks}"
        project = Project.objects.filter(name=name).first()
        if project is None:
            project = seed(name, documents, args.annotators)
            add_checks(project, args.checks, random.Random(12))
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
        reviewer, user = client_for("bench-quality-reviewer")
        Membership.objects.get_or_create(
            project=project, user=user, defaults={"role": Role.REVIEWER}
        )
        figures = measure(reviewer, f"/api/projects/{project.pk}/quality/", args.runs)
        print(
            f"{documents:10,} {figures['checks']:11,} {figures['median']:10.1f}"
            f" {figures['p95']:8.1f} {figures['queries']:8d} {figures['heap_mb']:13.1f}"
        )
        if not args.keep:
            delete(project)


if __name__ == "__main__":
    main()
