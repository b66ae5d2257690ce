"""Backup round trip: `project_dump` then `project_load` of a project of N documents.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python bench/bench_archive.py \
        [10000] [--annotators 2]

Each N gets a project filled server-side by `bench_export.fill` (gold with 10 spans and a
link per document, plus K annotators' submitted copies), then `manage.py project_dump` and
`manage.py project_load` run as child processes (as an operator runs them), each timed, with
its peak RSS. The loaded project's rows are counted against the original's, table by table,
and both projects are removed after. Target: linear time, memory flat in N (both stream).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "workbench.settings")


# Runs the command in a grandchild and prints that one's peak RSS: each command's own figure,
# not the largest of every child this script ever waited for.
WRAP = (
    "import resource, subprocess, sys; r = subprocess.run(sys.argv[1:]); "
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr); "
    "sys.exit(r.returncode)"
)


def run(*args: str) -> tuple[float, float, str]:
    """Seconds, peak RSS (MB) and output of one `manage.py` command in a child process."""
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", WRAP, sys.executable, "manage.py", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{done.stderr[-2000:]}")
    peak_kib = int(done.stderr.strip().splitlines()[-1])
    return seconds, peak_kib / 1024, done.stdout.strip()


def counts(project_id: int) -> dict[str, int]:
    from annotations.project_archive.graph import tables

    return {
        t.name: t.model._base_manager.filter(**{t.project_path: project_id}).count()
        for t in tables()
    }


def bench(n: int, annotators: int) -> None:
    from bench_export import fill

    from annotations.models import Annotation, Project

    project_id = fill(n, annotators)
    with tempfile.TemporaryDirectory() as tmp:
        archive = Path(tmp) / "project.zip"
        dump_s, dump_mb, _ = run("project_dump", str(project_id), "--output", str(archive))
        load_s, load_mb, out = run("project_load", str(archive))
        size_mb = archive.stat().st_size / 1e6
    loaded_id = int(out.split("restored project ")[1].split()[0])
    original, loaded = counts(project_id), counts(loaded_id)
    same = original == loaded
    spans = original.get("annotations.span", 0)
    print(
        f"{n:>7} documents {spans:>9} spans | dump {dump_s:6.1f} s {dump_mb:6.0f} MB | "
        f"load {load_s:6.1f} s {load_mb:6.0f} MB | archive {size_mb:6.1f} MB | "
        f"rows equal: {same}"
    )
    if not same:
        for name in sorted(original):
            if original[name] != loaded.get(name):
                print(f"   {name}: {original[name]} vs {loaded.get(name)}")
    for pk in (project_id, loaded_id):
        Annotation.objects.filter(project_id=pk).delete()
        Project.objects.filter(pk=pk).delete()


def main(argv: list[str]) -> None:
    import django
    from bench_export import ensure_database

    annotators = 2
    if "--annotators" in argv:
        annotators = int(argv[argv.index("--annotators") + 1])
        del argv[argv.index("--annotators") : argv.index("--annotators") + 2]
    sizes = [int(x) for x in (argv[0] if argv else "10000").split(",")]
    ensure_database()
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    print(f"project_dump / project_load round trip, {annotators} annotators + gold per document")
    for n in sizes:
        bench(n, annotators)


if __name__ == "__main__":
    main(sys.argv[1:])
