"""The team dashboard and the documents table at 100,000 documents and 10 annotators: server
time through the whole Django stack (token auth, middleware, view, serializer, JSON), on the
database DATABASE_URL names (PostgreSQL: the target is about it).

    .venv/bin/python bench/bench_team.py [--documents 100000] [--annotators 10] [--runs 15]

Target (issue 11): the dashboard and the first page of the documents table, with any filter
or sort, in < 200 ms server time, in a number of queries that does not grow with the data.
Printed per request: median and p95 of `--runs` calls, the queries of one call, the rows.

The seed is written in bulk (documents, annotations with their span counts, times and
submission instants, spans, assignments), then the derived state is made by the same code
the writers use (`work_state.documents_refresh` as an import does, and the tallies'
recount): 70% of documents have two annotators (85% submitted, 10% drafts, 5% skips) over
the last 30 days, with three spans each; a tenth of the pairs disagree. The project is
deleted at the end (`--keep` keeps it for another run, found again by its name).
"""

import argparse
import random
import statistics
import time
from datetime import timedelta

from _setup import client_for, setup_django

setup_django()

from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from annotations.models import (  # noqa: E402
    Annotation,
    AnnotationStatus,
    Assignment,
    Document,
    Membership,
    Project,
    Role,
    Span,
)
from annotations.services import work_state  # noqa: E402
from annotations.services.projects import project_create  # noqa: E402

WORDS = [
    "pemerintah",
    "kota",
    "jakarta",
    "presiden",
    "menteri",
    "banjir",
    "pemilu",
    "partai",
    "rakyat",
    "harga",
    "beras",
    "pasar",
    "saham",
    "bank",
    "rupiah",
    "sekolah",
    "guru",
    "rumah",
    "sakit",
    "dokter",
    "polisi",
    "jalan",
    "tol",
    "kereta",
    "bandara",
    "pelabuhan",
    "nelayan",
    "petani",
    "hujan",
    "gempa",
    "gunung",
    "laut",
    "pantai",
    "desa",
    "warga",
    "kata",
    "menurut",
    "dia",
    "mereka",
    "kami",
    "tahun",
    "bulan",
    "hari",
    "ini",
    "kemarin",
    "besok",
]
RARE = "stoltenberg"
LABELS = ("PER", "ORG", "LOC", "QUOTE")
BATCH = 5000


def text_of(rng: random.Random, n: int) -> str:
    words = [rng.choice(WORDS) for _ in range(60)]
    if n % 1000 == 0:
        words[10] = RARE
    return " ".join(words).capitalize() + "."


def seed(name: str, documents: int, annotators: int) -> Project:
    """Everything in bulk, then the derived state from the writers' own code."""
    rng = random.Random(11)
    _, admin = client_for("bench-team-admin")
    project = project_create(creator=admin, preset="news", name=name, language="id")
    project.annotators_per_document = 2
    project.save()
    users = [client_for(f"bench-team-a{i:02d}")[1] for i in range(annotators)]
    Membership.objects.bulk_create(
        [Membership(project=project, user=u, role=Role.ANNOTATOR) for u in users],
        ignore_conflicts=True,
    )
    labels = dict(project.labels.filter(kind="span").values_list("name", "pk"))
    now = timezone.now()
    started = time.perf_counter()
    for start in range(0, documents, BATCH):
        Document.objects.bulk_create(
            Document(
                project=project,
                text=(text := text_of(rng, n)),
                title=f"{rng.choice(WORDS).capitalize()} {rng.choice(WORDS)} {n}",
                external_id=f"bench-{n}",
                length=len(text),
            )
            for n in range(start, min(documents, start + BATCH))
        )
    ids = list(project.documents.order_by("pk").values_list("pk", flat=True))
    for chunk_start in range(0, len(ids), BATCH):
        chunk = ids[chunk_start : chunk_start + BATCH]
        notes, assignments, plans = [], [], []
        for pk in chunk:
            if rng.random() >= 0.7:
                continue
            first = rng.randrange(annotators)
            for who in (users[first], users[(first + 1) % annotators]):
                roll = rng.random()
                status = (
                    AnnotationStatus.SUBMITTED
                    if roll < 0.85
                    else AnnotationStatus.DRAFT
                    if roll < 0.95
                    else AnnotationStatus.SKIPPED
                )
                at = now - timedelta(days=rng.uniform(0, 30))
                submitted = status == AnnotationStatus.SUBMITTED
                notes.append(
                    Annotation(
                        document_id=pk,
                        project=project,
                        annotator=who,
                        status=status,
                        span_count=3,
                        submitted_at=at if submitted else None,
                        event_seconds=rng.uniform(30, 900) if submitted else None,
                    )
                )
                assignments.append(Assignment(document_id=pk, annotator=who))
                plans.append(rng.random() < 0.1)  # this one disagrees
        Annotation.objects.bulk_create(notes, batch_size=BATCH)
        Assignment.objects.bulk_create(assignments, batch_size=BATCH)
        spans = []
        for note, differs in zip(notes, plans, strict=True):
            for k, label in enumerate(("PER", "LOC", "QUOTE")):
                offset = 40 * k + (5 if differs and k == 2 else 0)
                spans.append(
                    Span(
                        annotation=note,
                        client_id=f"s{k}",
                        start=offset,
                        end=offset + 12,
                        label_id=labels[label],
                    )
                )
        Span.objects.bulk_create(spans, batch_size=BATCH)
    written = time.perf_counter() - started
    with transaction.atomic():
        work_state.documents_refresh(project.pk, ids, created=True)
        work_state._recount_tallies(project.pk)
    derived = time.perf_counter() - started - written
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # as autovacuum would after a bulk load
    print(
        f"seed: {documents:,} documents, {Annotation.objects.filter(project=project).count():,}"
        f" annotations, {Span.objects.filter(annotation__project=project).count():,} spans"
        f" written in {written:.1f} s; derived state in {derived:.1f} s"
    )
    return project


def measure(client, url: str, runs: int) -> tuple[float, float, int, int]:
    client.get(url)  # warm
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code, response.content[:300])
    with CaptureQueriesContext(connection) as queries:
        body = client.get(url).json()
    rows = body.get("count", body.get("documents", {}).get("total", 0))
    p95 = sorted(times)[max(0, int(0.95 * len(times)) - 1)]
    return statistics.median(times), p95, len(queries), rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--documents", type=int, default=100_000)
    parser.add_argument("--annotators", type=int, default=10)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--keep", action="store_true", help="keep the project for another run")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit("bench_team measures PostgreSQL: set DATABASE_URL=postgres://…")
    name = f"bench-team-{args.documents}-{args.annotators}"
    project = Project.objects.filter(name=name).first()
    if project is None:
        project = seed(name, args.documents, args.annotators)
    else:
        print(f"seed: reusing project {name!r} (kept by --keep)")
    reviewer, user = client_for("bench-team-reviewer")
    Membership.objects.get_or_create(project=project, user=user, defaults={"role": Role.REVIEWER})
    base = f"/api/projects/{project.pk}/"
    one = "bench-team-a03"
    cases = [
        ("dashboard, last 30 days", "dashboard/"),
        ("dashboard, a year by week", "dashboard/?bucket=week&after=" + _days_ago(364)),
        ("table, first page", "documents/"),
        ("table, state=disputed", "documents/?state=disputed"),
        ("table, state=new", "documents/?state=new"),
        ("table, annotator", f"documents/?annotator={one}"),
        ("table, annotator submitted", f"documents/?annotator={one}&annotator_status=submitted"),
        ("table, label=QUOTE", "documents/?label=QUOTE"),
        ("table, disagreement", "documents/?disagreement=true"),
        ("table, words (common)", "documents/?q=banjir"),
        ("table, words (rare)", f"documents/?q={RARE}"),
        ("table, by agreement", "documents/?ordering=agreement"),
        ("table, by title", "documents/?ordering=title"),
        ("table, by latest submission", "documents/?ordering=-last_submitted_at"),
        ("table, state+label+sort", "documents/?state=annotated&label=PER&ordering=-agreement"),
    ]
    last = max(1, (project.documents.count() + 49) // 50)
    cases += [
        (f"table, page {last // 2:,} (middle)", f"documents/?page={last // 2}"),
        (f"table, page {last:,} (last)", f"documents/?page={last}"),
        (f"table, page {last // 2:,} by title", f"documents/?page={last // 2}&ordering=title"),
    ]
    print(f"{'request':34} {'median ms':>10} {'p95 ms':>8} {'queries':>8} {'rows':>9}")
    worst = 0.0
    for label, suffix in cases:
        median, p95, queries, rows = measure(reviewer, base + suffix, args.runs)
        worst = max(worst, median)
        print(f"{label:34} {median:10.1f} {p95:8.1f} {queries:8d} {rows:9,}")
    print(f"slowest median: {worst:.1f} ms (target < 200 ms)")
    if not args.keep:
        started = time.perf_counter()
        _delete(project)
        print(f"project deleted in {time.perf_counter() - started:.1f} s")


def _delete(project: Project) -> None:
    """Table by table (the ORM's delete would load every span to cascade)."""
    with connection.cursor() as cursor:
        for sql in (
            "DELETE FROM annotations_span s USING annotations_annotation a"
            " WHERE s.annotation_id = a.id AND a.project_id = %s",
            "DELETE FROM annotations_assignment s USING annotations_document d"
            " WHERE s.document_id = d.id AND d.project_id = %s",
            "DELETE FROM annotations_documentlabelcount s USING annotations_document d"
            " WHERE s.document_id = d.id AND d.project_id = %s",
            "DELETE FROM annotations_annotation WHERE project_id = %s",
        ):
            cursor.execute(sql, [project.pk])
    project.delete()


def _days_ago(days: int) -> str:
    return (timezone.localdate() - timedelta(days=days)).isoformat()


if __name__ == "__main__":
    main()
