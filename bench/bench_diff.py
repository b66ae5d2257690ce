"""Dataset diff benchmark: two versions of N gold documents (10 spans, 1 relation each),
the second with 1% of documents changed (a span relabelled, one moved, one removed), 0.5%
removed and 0.5% added; then the diff between them.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python bench/bench_diff.py \
        [10000,100000]

Each export (jsonl, gold) runs in a fresh child process, as in bench_export.py: the second
one writes its manifest and computes the diff against the first for its card, which is the
work a worker does. The diff alone (`diff_compute`) then runs in one more child, so its time
and peak RSS (`ru_maxrss`) are its own. Prints, per N: both exports' seconds and peak RSS,
the diff's seconds and peak RSS, and its counts (checked against what was changed).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_export as base


def change(project_id: int, n: int) -> dict[str, int]:
    """Edit the gold of every 100th document, delete every 200th (offset 50) and add n/200
    new ones; returns how many of each."""
    from django.db import connection, transaction

    from annotations.models import Annotation, AnnotationEvent, Document, Relation, Span

    doc, ann, span = Document._meta.db_table, Annotation._meta.db_table, Span._meta.db_table
    other_label = "LOC"
    with transaction.atomic(), connection.cursor() as cur:
        mine = f"""SELECT a.id FROM {ann} a JOIN {doc} d ON d.id = a.document_id
                   WHERE d.project_id = %s AND a.is_gold AND d.external_id IN (
                     SELECT 'bench-' || g FROM generate_series(100, %s, 100) AS g)"""
        cur.execute(
            f"""UPDATE {span} SET label_id = (SELECT id FROM annotations_label
                WHERE project_id = %s AND name = %s)
                WHERE client_id = 's2' AND annotation_id IN ({mine})""",
            [project_id, other_label, project_id, n],
        )
        cur.execute(
            f"""UPDATE {span} SET start = start + 3, "end" = "end" + 3
                WHERE client_id = 's3' AND annotation_id IN ({mine})""",
            [project_id, n],
        )
        cur.execute(
            f"DELETE FROM {span} WHERE client_id = 's4' AND annotation_id IN ({mine})",
            [project_id, n],
        )
        changed = n // 100
        gone = f"""SELECT a.id FROM {ann} a JOIN {doc} d ON d.id = a.document_id
                   WHERE d.project_id = %s AND a.is_gold AND d.external_id IN (
                     SELECT 'bench-' || g FROM generate_series(50, %s, 200) AS g)"""
        for model in (Relation, Span, AnnotationEvent):
            table = model._meta.db_table
            cur.execute(f"DELETE FROM {table} WHERE annotation_id IN ({gone})", [project_id, n])
        cur.execute(f"DELETE FROM {ann} WHERE id IN ({gone})", [project_id, n])
        removed = cur.rowcount
        added = n // 200
        cur.execute(
            f"""INSERT INTO {doc} (project_id, text, title, external_id, meta, length, created_at)
            SELECT %s, %s || g, 'Article ' || g, 'bench-new-' || g, '{{}}', %s, now()
            FROM generate_series(1, %s) AS g""",
            [project_id, base.PARAGRAPH, len(base.PARAGRAPH) + 1, added],
        )
        cur.execute(
            f"""INSERT INTO {ann} (document_id, project_id, is_gold, status, version,
                                   document_labels, created_at, updated_at)
            SELECT id, project_id, true, 'submitted', 1, '{{}}', now(), now() FROM {doc}
            WHERE project_id = %s AND external_id LIKE 'bench-new-%%'""",
            [project_id],
        )
    return {"changed": changed, "removed": removed, "added": added}


def export(project_id: int) -> tuple[int, dict]:
    from annotations.models import Project
    from annotations.services.exports import export_request

    job = export_request(
        project=Project.objects.get(pk=project_id),
        requested_by=None,
        format="jsonl",
        scope="gold",
        enqueue=False,
    )
    return job.pk, _child("--export-job", job.pk)


def _child(flag: str, *args: int) -> dict:
    child = subprocess.run(
        [sys.executable, __file__, flag, *map(str, args)],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ},
    )
    result = json.loads(child.stdout.strip().splitlines()[-1])
    if result.get("status", "succeeded") != "succeeded":
        raise SystemExit(f"failed: {result}")
    return result


def diff_child(new_id: int, old_id: int) -> None:
    base.setup_django()
    from annotations.models import ExportJob
    from annotations.services.export_diff import diff_compute

    new, old = ExportJob.objects.get(pk=new_id), ExportJob.objects.get(pk=old_id)
    baseline = base.peak_rss_mb()
    started = time.perf_counter()
    result = diff_compute(new.pk, new.attempt, old)
    seconds = time.perf_counter() - started
    counts = {k: len(v) for k, v in result["documents"].items()}
    print(
        json.dumps(
            {
                "seconds": seconds,
                "baseline_rss_mb": baseline,
                "peak_rss_mb": base.peak_rss_mb(),
                "documents": counts,
                "spans": result["spans"],
            }
        )
    )


def bench(n: int) -> None:
    project_id = base.fill(n)
    try:
        first_id, first = export(project_id)
        expected = change(project_id, n)
        second_id, second = export(project_id)
        diff = _child("--diff", second_id, first_id)
        if diff["documents"] != expected:
            raise SystemExit(f"diff counts {diff['documents']} != changes made {expected}")
        print(
            f"docs={n:>7} export1={first['seconds']:6.1f}s/{first['peak_rss_mb']:.0f}MB "
            f"export2+diff={second['seconds']:6.1f}s/{second['peak_rss_mb']:.0f}MB "
            f"diff={diff['seconds']:6.2f}s peak_rss={diff['peak_rss_mb']:.0f}MB "
            f"(after django.setup {diff['baseline_rss_mb']:.0f}MB) "
            f"documents={diff['documents']} spans={diff['spans']}",
            flush=True,
        )
    finally:
        base.clean(project_id)


def main(argv: list[str]) -> None:
    if argv[:1] == ["--export-job"]:
        base.export_child(int(argv[1]))
        return
    if argv[:1] == ["--diff"]:
        diff_child(int(argv[1]), int(argv[2]))
        return
    if "DATABASE_URL" not in os.environ:
        raise SystemExit("set DATABASE_URL (a database of its own, e.g. .../bench)")
    sizes = [int(x) for x in (argv[0] if argv else "10000,100000").split(",")]
    base.ensure_database()
    scratch = None
    if "DATA_DIR" not in os.environ:
        scratch = tempfile.mkdtemp(prefix="bench-diff-")
        os.environ["DATA_DIR"] = scratch
    try:
        base.setup_django()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        for n in sizes:
            bench(n)
    finally:
        if scratch:
            shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main(sys.argv[1:])
