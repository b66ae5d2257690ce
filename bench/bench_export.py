"""Export benchmark: N gold documents x 10 spans (+1 relation each), exported as jsonl.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python bench/bench_export.py \
        [10000,100000] [--format jsonl] [--scope gold] [--annotators 0] [--repeat 1] [--chars 0]

The database named by DATABASE_URL is created if missing (PostgreSQL) and migrated. For
each N, a dedicated project is filled server-side (INSERT … SELECT generate_series, so
setup costs little time and no client memory), then the export runner (`export_run`,
no Celery) runs in a fresh child process, so its peak RSS (`ru_maxrss`) is the export's
alone and not the setup's. The project, its rows and the export file are removed after.
Prints documents, spans, seconds, peak RSS and file size per N. `--annotators K` also
submits K copies of each gold annotation (spans only), so the export computes agreement
for the card and, with `--scope all`, carries K layers per document. `--repeat R` runs R
exports of the same project, each in a fresh process (CoNLL: the first tokenises and stores
the tokens, the later ones reuse them; `spacy_loaded` says whether the process imported
spaCy). `--chars C` makes each article about C code points (default ~800; the peers
comparison uses ~2,000). Each run prints wall seconds and the child's CPU seconds
(`process_time`: what a shared machine's load does not inflate). `--profile` runs each
export under cProfile and prints its top functions (by own time and by cumulative time).

On SQLite (`DATABASE_URL=sqlite:///var/bench.sqlite3`) the project is filled through the
ORM in bulk (slower to set up, same rows).
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "workbench.settings")

SPANS_PER_DOC = 10
PARAGRAPH = (
    "Jakarta (ANTARA) - Pemerintah menyatakan harga beras di pasar tradisional akan turun "
    "dalam dua pekan ke depan, kata Menteri Perdagangan di Jakarta, Senin. "
) * 5  # ~800 code points: room for 10 spans 60 apart


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def ensure_database() -> None:
    """Create the PostgreSQL database named by DATABASE_URL if it does not exist."""
    import dj_database_url
    import psycopg

    config = dj_database_url.parse(os.environ["DATABASE_URL"])
    if "postgresql" not in config["ENGINE"]:
        return
    conninfo = {
        "host": config["HOST"] or "127.0.0.1",
        "port": config["PORT"] or 5432,
        "user": config["USER"],
        "password": config["PASSWORD"] or None,
    }
    with psycopg.connect(dbname="postgres", autocommit=True, **conninfo) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]]
        ).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{config["NAME"]}"')
            print(f"created database {config['NAME']}", file=sys.stderr)


def setup_django() -> None:
    import django

    django.setup()


def fill(n: int, annotators: int = 0) -> int:
    """A project with n gold documents, 10 spans and 1 relation each, and the same content
    submitted by `annotators` annotators; returns its id."""
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction

    from annotations.models import Annotation, Document, Relation, Span
    from annotations.services.projects import project_create

    user, _ = get_user_model().objects.get_or_create(username="bench-export")
    project = project_create(
        creator=user, preset="news", name=f"bench-export-{n}-{time.time():.0f}"
    )
    labels = list(project.labels.filter(kind="span").values_list("pk", flat=True))
    speaker = project.labels.get(kind="relation", name="SPEAKER").pk
    if connection.vendor != "postgresql":
        if annotators:
            raise SystemExit("--annotators needs PostgreSQL")
        _fill_orm(project, n, labels, speaker)
        return project.pk
    doc, ann = Document._meta.db_table, Annotation._meta.db_table
    span, rel = Span._meta.db_table, Relation._meta.db_table
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute(
            f"""INSERT INTO {doc} (project_id, text, title, external_id, meta, length, created_at)
            SELECT %s, %s || g, 'Article ' || g, 'bench-' || g, '{{"source": "bench"}}',
                   %s + length(g::text), now()
            FROM generate_series(1, %s) AS g""",
            [project.pk, PARAGRAPH, len(PARAGRAPH), n],
        )
        cur.execute(
            f"""INSERT INTO {ann} (document_id, project_id, is_gold, status, version,
                                   document_labels, chain_names, created_at, updated_at)
            SELECT id, project_id, true, 'submitted', 1, '{{"sentiment": "neutral"}}', '{{}}',
                   now(), now()
            FROM {doc} WHERE project_id = %s""",
            [project.pk],
        )
        cur.execute(
            f"""INSERT INTO {span} (annotation_id, client_id, start, "end", label_id, attributes,
                                    chain)
            SELECT a.id, 's' || g, g * 60, g * 60 + 12, (%s::bigint[])[1 + g %% %s], '{{}}', ''
            FROM {ann} a JOIN {doc} d ON d.id = a.document_id
            CROSS JOIN generate_series(0, %s) AS g
            WHERE d.project_id = %s""",
            [labels, len(labels), SPANS_PER_DOC - 1, project.pk],
        )
        cur.execute(
            f"""INSERT INTO {rel} (annotation_id, client_id, source_id, target_id, label_id)
            SELECT s.annotation_id, 'r1', s.id, t.id, %s
            FROM {span} s JOIN {span} t ON t.annotation_id = s.annotation_id
            JOIN {ann} a ON a.id = s.annotation_id JOIN {doc} d ON d.id = a.document_id
            WHERE d.project_id = %s AND s.client_id = 's0' AND t.client_id = 's1'""",
            [speaker, project.pk],
        )
        for k in range(annotators):
            _copy_gold_to(cur, project.pk, f"bench-annotator-{k}")
        cur.execute(f"ANALYZE {doc}; ANALYZE {ann}; ANALYZE {span}; ANALYZE {rel}")
    return project.pk


def _fill_orm(project, n: int, labels: list[int], speaker: int) -> None:
    """The same rows as `fill`'s SQL, written with bulk_create (any database)."""
    from django.db import transaction
    from django.utils import timezone

    from annotations.models import Annotation, Document, Relation, Span

    now = timezone.now()
    step = 2_000
    with transaction.atomic():
        for at in range(1, n + 1, step):
            numbers = range(at, min(n, at + step - 1) + 1)
            docs = Document.objects.bulk_create(
                Document(
                    project=project,
                    text=f"{PARAGRAPH}{g}",
                    title=f"Article {g}",
                    external_id=f"bench-{g}",
                    meta={"source": "bench"},
                    length=len(PARAGRAPH) + len(str(g)),
                    created_at=now,
                )
                for g in numbers
            )
            anns = Annotation.objects.bulk_create(
                Annotation(
                    document_id=doc.pk,
                    project=project,
                    is_gold=True,
                    status="submitted",
                    version=1,
                    document_labels={"sentiment": "neutral"},
                    chain_names={},
                )
                for doc in docs
            )
            spans = Span.objects.bulk_create(
                Span(
                    annotation_id=ann.pk,
                    client_id=f"s{g}",
                    start=g * 60,
                    end=g * 60 + 12,
                    label_id=labels[g % len(labels)],
                    attributes={},
                    chain="",
                )
                for ann in anns
                for g in range(SPANS_PER_DOC)
            )
            Relation.objects.bulk_create(
                Relation(
                    annotation_id=spans[i].annotation_id,
                    client_id="r1",
                    source_id=spans[i].pk,
                    target_id=spans[i + 1].pk,
                    label_id=speaker,
                )
                for i in range(0, len(spans), SPANS_PER_DOC)
            )


def _copy_gold_to(cur, project_id: int, username: str) -> None:
    """Submit a copy of every gold annotation (spans, no relations) as `username`."""
    from django.contrib.auth import get_user_model

    from annotations.models import Annotation, Document, Span

    user, _ = get_user_model().objects.get_or_create(username=username)
    doc, ann, span = Document._meta.db_table, Annotation._meta.db_table, Span._meta.db_table
    cur.execute(
        f"""INSERT INTO {ann} (document_id, project_id, annotator_id, is_gold, status, version,
                               document_labels, chain_names, created_at, updated_at)
        SELECT id, project_id, %s, false, 'submitted', 1, '{{"sentiment": "neutral"}}', '{{}}',
               now(), now()
        FROM {doc} WHERE project_id = %s""",
        [user.pk, project_id],
    )
    cur.execute(
        f"""INSERT INTO {span} (annotation_id, client_id, start, "end", label_id, attributes,
                                chain)
        SELECT mine.id, s.client_id, s.start, s."end", s.label_id, s.attributes, s.chain
        FROM {ann} mine JOIN {doc} d ON d.id = mine.document_id
        JOIN {ann} gold ON gold.document_id = d.id AND gold.is_gold
        JOIN {span} s ON s.annotation_id = gold.id
        WHERE d.project_id = %s AND mine.annotator_id = %s""",
        [project_id, user.pk],
    )


def clean(project_id: int) -> None:
    """Remove the bench project with plain SQL (the ORM would load a million span ids)."""
    from django.core.files.storage import default_storage
    from django.db import connection, transaction

    from annotations.models import (
        Annotation,
        AnnotationEvent,
        Document,
        DocumentTokens,
        ExportJob,
        Project,
        Relation,
        Span,
    )

    for name in ExportJob.objects.filter(project_id=project_id).values_list("file", flat=True):
        if name:
            default_storage.delete(name)
    doc, ann = Document._meta.db_table, Annotation._meta.db_table
    mine = f"SELECT a.id FROM {ann} a JOIN {doc} d ON d.id = a.document_id WHERE d.project_id = %s"
    with transaction.atomic(), connection.cursor() as cur:
        for model in (Relation, Span, AnnotationEvent):
            cur.execute(
                f"DELETE FROM {model._meta.db_table} WHERE annotation_id IN ({mine})", [project_id]
            )
        cur.execute(
            f"DELETE FROM {ann} WHERE document_id IN (SELECT id FROM {doc} WHERE project_id = %s)",
            [project_id],
        )
        cur.execute(
            f"DELETE FROM {DocumentTokens._meta.db_table} WHERE document_id IN "
            f"(SELECT id FROM {doc} WHERE project_id = %s)",
            [project_id],
        )
        cur.execute(f"DELETE FROM {doc} WHERE project_id = %s", [project_id])
    Project.objects.filter(pk=project_id).delete()


def export_child(job_id: int) -> None:
    """Child process: run one export job in-process and report time and peak RSS as JSON."""
    setup_django()
    from annotations.models import ExportJob
    from annotations.services.exports import export_run

    baseline = peak_rss_mb()
    profiler = None
    if os.environ.get("BENCH_EXPORT_PROFILE"):
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    started, cpu = time.perf_counter(), time.process_time()
    export_run(job_id)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    if profiler is not None:
        import pstats

        profiler.disable()
        for order in ("tottime", "cumulative"):
            stats = pstats.Stats(profiler, stream=sys.stderr).strip_dirs().sort_stats(order)
            stats.print_stats(30)
    job = ExportJob.objects.get(pk=job_id)
    print(
        json.dumps(
            {
                "status": job.status,
                "error": job.error,
                "rows": job.row_count,
                "size": job.size,
                "seconds": seconds,
                "cpu_seconds": cpu,
                "baseline_rss_mb": baseline,
                "peak_rss_mb": peak_rss_mb(),
                "spacy_loaded": "spacy" in sys.modules,
            }
        )
    )


def bench(
    n: int, format: str, scope: str, annotators: int, repeat: int = 1, profile: bool = False
) -> None:
    from annotations.models import Project, Span
    from annotations.services.exports import export_request

    t0 = time.perf_counter()
    project_id = fill(n, annotators)
    setup = time.perf_counter() - t0
    try:
        spans = Span.objects.filter(annotation__document__project_id=project_id).count()
        for run in range(1, repeat + 1):
            job = export_request(
                project=Project.objects.get(pk=project_id),
                requested_by=None,
                format=format,
                scope=scope,
                enqueue=False,
            )
            child = subprocess.run(
                [sys.executable, __file__, "--export-job", str(job.pk)],
                capture_output=True,
                text=True,
                check=True,
                env={**os.environ, **({"BENCH_EXPORT_PROFILE": "1"} if profile else {})},
            )
            if profile:
                print(child.stderr, file=sys.stderr)
            result = json.loads(child.stdout.strip().splitlines()[-1])
            if result["status"] != "succeeded":
                raise SystemExit(f"export failed: {result['error']}")
            print(
                f"{format}/{scope} run {run} annotators={annotators} docs={n:>7} "
                f"spans={spans:>8} rows={result['rows']:>7} "
                f"seconds={result['seconds']:6.2f} cpu={result['cpu_seconds']:6.2f} "
                f"peak_rss={result['peak_rss_mb']:6.1f} MB "
                f"(after django.setup {result['baseline_rss_mb']:.1f} MB) "
                f"spacy_loaded={result.get('spacy_loaded')} "
                f"zip={result['size'] / 1e6:.1f} MB  [setup {setup:.1f} s]",
                flush=True,
            )
    finally:
        clean(project_id)


def main(argv: list[str]) -> None:
    if argv[:1] == ["--export-job"]:
        export_child(int(argv[1]))
        return
    if "DATABASE_URL" not in os.environ:
        raise SystemExit("set DATABASE_URL (a database of its own, e.g. .../bench)")
    profile = "--profile" in argv
    if profile:
        argv.remove("--profile")
    options = {
        "--format": "jsonl",
        "--scope": "gold",
        "--annotators": "0",
        "--repeat": "1",
        "--chars": "0",
    }
    for flag in options:
        if flag in argv:
            index = argv.index(flag)
            options[flag] = argv[index + 1]
            del argv[index : index + 2]
    format, scope, annotators = (
        options["--format"],
        options["--scope"],
        int(options["--annotators"]),
    )
    sizes = [int(x) for x in (argv[0] if argv else "10000,100000").split(",")]
    global PARAGRAPH
    chars = int(options["--chars"])
    if chars > len(PARAGRAPH):  # longer articles: the same sentences again (spans stay put)
        PARAGRAPH = (PARAGRAPH * (chars // len(PARAGRAPH) + 1))[:chars]
    ensure_database()
    # Export files go to a scratch DATA_DIR (inherited by the child), removed at the end.
    scratch = None
    if "DATA_DIR" not in os.environ:
        scratch = tempfile.mkdtemp(prefix="bench-export-")
        os.environ["DATA_DIR"] = scratch
    try:
        run_all(sizes, format, scope, annotators, int(options["--repeat"]), profile)
    finally:
        if scratch:
            shutil.rmtree(scratch, ignore_errors=True)


def run_all(
    sizes: list[int], format: str, scope: str, annotators: int, repeat: int, profile: bool
) -> None:
    setup_django()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    for n in sizes:
        bench(n, format, scope, annotators, repeat, profile)


if __name__ == "__main__":
    main(sys.argv[1:])
