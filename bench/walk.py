"""Walk a request through our own code: which files it crosses and how it hops.

Traces two requests made the way the browser and a script make them (the HTTP
API through Django's test client) and records every call between two of our
modules (annotations/, workbench/):

- a one-span autosave: PATCH annotations/mine/ with one add_span op;
- an export: POST exports/ and the task it enqueues, run in this process.

For each it prints the files crossed, the distinct file-to-file steps and any
back-and-forth (A calls B and B calls A) between two modules. Nothing here
asserts: the figures are for reading and for comparing two commits.

    DATABASE_URL=sqlite:////tmp/walk.sqlite3 .venv/bin/python bench/walk.py
"""

import os
import sys
from collections.abc import Callable
from pathlib import Path
from types import FrameType

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import ROOT, client_for, setup_django

OURS = tuple(str(ROOT / top) + os.sep for top in ("annotations", "workbench"))
SKIP = (os.sep + "migrations" + os.sep,)


def _ours(filename: str) -> str | None:
    if filename.startswith(OURS) and not any(part in filename for part in SKIP):
        return os.path.relpath(filename, ROOT)
    return None


def trace(action: Callable[[], object]) -> tuple[list[str], list[tuple[str, str]]]:
    """Run `action`; return the files of ours it entered (in order) and the cross-file steps."""
    files: list[str] = []
    steps: list[tuple[str, str]] = []

    def profile(frame: FrameType, event: str, _arg: object) -> None:
        if event != "call":
            return
        callee = _ours(frame.f_code.co_filename)
        if callee is None:
            return
        if callee not in files:
            files.append(callee)
        caller = frame.f_back
        # The nearest caller of ours: Django and DRF frames in between do not count as a file.
        while caller is not None and _ours(caller.f_code.co_filename) is None:
            caller = caller.f_back
        origin = _ours(caller.f_code.co_filename) if caller is not None else None
        if origin is not None and origin != callee and (origin, callee) not in steps:
            steps.append((origin, callee))

    sys.setprofile(profile)
    try:
        action()
    finally:
        sys.setprofile(None)
    return files, steps


def report(title: str, files: list[str], steps: list[tuple[str, str]]) -> None:
    pairs = set(steps)
    back_and_forth = sorted({tuple(sorted(s)) for s in pairs if (s[1], s[0]) in pairs})
    print(f"\n## {title}: {len(files)} files, {len(steps)} distinct steps")
    for name in files:
        print(f"  {name}")
    print("  steps:")
    for origin, callee in steps:
        print(f"    {origin} -> {callee}")
    print(f"  back-and-forth pairs: {len(back_and_forth)}")
    for a, b in back_and_forth:
        print(f"    {a} <-> {b}")


def main() -> None:
    os.environ.setdefault("CELERY_BROKER_URL", "memory://")
    setup_django()
    from django.conf import settings

    import annotations.tasks  # noqa: F401  (registers the export task, as the worker does)
    from annotations.models import ExportJob
    from workbench.celery import app

    # The export task runs here, in this process, so its walk is traced too.
    app.conf.task_always_eager = True
    settings.CELERY_TASK_ALWAYS_EAGER = True

    client, _user = client_for("walker")
    new_project = {"name": "Walk", "preset": "news"}
    project = client.post("/api/projects/", new_project, format="json").json()
    base = f"/api/projects/{project['id']}"
    labels = client.get(f"{base}/labels/").json()
    label = next(x for x in (labels.get("results", labels)) if x.get("kind", "span") == "span")
    text = "Jens Stoltenberg berbicara di Brussel."
    client.post(f"{base}/documents/", [{"text": text}], format="json")
    doc = client.get(f"{base}/documents/").json()["results"][0]
    mine = f"{base}/documents/{doc['id']}/annotations/mine/"
    version = client.get(mine).json().get("version", 0)
    op = {"op": "add_span", "span": {"id": "s1", "start": 0, "end": 16, "label": label["name"]}}
    # Warm imports and caches so the walk shows the request, not first-time set-up.
    client.patch(mine, {"version": version, "ops": [op]}, format="json")
    version = client.get(mine).json()["version"]
    op2 = {"op": "add_span", "span": {**op["span"], "id": "s2", "start": 29, "end": 36}}

    def autosave() -> None:
        answer = client.patch(mine, {"version": version, "ops": [op2]}, format="json")
        assert answer.status_code == 200, answer.content

    def export() -> None:
        answer = client.post(f"{base}/exports/", {"format": "jsonl", "scope": "all"}, format="json")
        assert answer.status_code in (201, 202), answer.content
        job = ExportJob.objects.latest("id")
        if job.status == "pending":  # enqueued by name (not eager): run it here
            names = [n for n in app.tasks if n.startswith("annotations") and "export" in n]
            task = app.tasks[names[0]]
            task.run(job.id)
        job.refresh_from_db()
        assert job.status in ("done", "succeeded"), job.status

    client.post(f"{base}/exports/", {"format": "jsonl", "scope": "all"}, format="json")
    report("one-span autosave (PATCH annotations/mine/)", *trace(autosave))
    report("export request and run (POST exports/ + task)", *trace(export))


if __name__ == "__main__":
    main()
