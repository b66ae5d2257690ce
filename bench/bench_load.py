"""Load: 50 annotators through the whole stack (gunicorn, PostgreSQL, Redis), on loopback.

    .venv/bin/python bench/bench_load.py [--mode day|saturation|both] [--seconds 60]
        [--annotators 50] [--documents 3000] [--overlap 2] [--pg-waits]
        [--web-workers N] [--threads N] [--worker-class gthread|sync] [--keep-alive S]

Each simulated annotator works as the editor does: `GET queue/next/` (their next
document), `GET` the document and their annotation, then 10-30 one-span `PATCH` autosaves
naming the version they hold, then a submitting `PATCH`, then the next document.

- `day`: a person's pace: 2-5 s reading, 1-3 s between autosaves.
- `saturation`: no think time; each sends its next request when the last returns.

It starts gunicorn with `workbench/gunicorn.conf.py` (the worker model `scripts/serve` and
the compose file use, unless the options above say otherwise) and a Celery worker on
127.0.0.1 against DATABASE_URL and CELERY_BROKER_URL (default Redis db 0 on localhost),
and stops both at the end. Every loop is bounded: `--seconds` of load (default
BENCH_LOAD_SECONDS, else 60; `BENCH_LOAD_FULL=1` runs 300), at most `--max-requests`, a
30 s timeout per request.

After each mode it checks the database: every acknowledged span is stored exactly once and
nothing else is, every annotation's version equals its history (events 1..version, one per
acknowledged write), and every 204 from the queue came when no document it could give was
left (counted at once, as the annotator got it). `--pg-waits` samples pg_stat_activity
every 0.2 s during the load and prints what active sessions waited on.

Targets (issue 17): day: zero errors, p95 < 100 ms and p99 < 300 ms for every request type;
saturation: zero errors, no request type's p99 above 5x a plain read's, no false 204.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import random
import runpy
import signal
import subprocess
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from _setup import ROOT, percentile, setup_django

setup_django()

import httpx  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection, connections  # noqa: E402
from rest_framework.authtoken.models import Token  # noqa: E402

from annotations.models import (  # noqa: E402
    Annotation,
    AnnotationEvent,
    Document,
    Membership,
    Project,
    Role,
    Span,
)
from annotations.services.projects import project_create  # noqa: E402
from tests.components import free_port, wait_port  # noqa: E402

logging.getLogger("httpx").setLevel(logging.WARNING)  # no line per request

PROJECT = "bench-load"
KINDS = ["queue/next", "GET document", "GET annotation", "PATCH autosave", "PATCH submit"]
LABELS = ["PER", "ORG", "LOC"]
WORDS = "Sekretaris Jenderal NATO Jens Stoltenberg mengatakan aliansi akan latihan di Jakarta"


@dataclass
class Acknowledged:
    """What the server said it stored for one annotator's annotation of one document."""

    spans: dict[str, tuple[int, int, str]] = field(default_factory=dict)
    version: int = 0
    writes: int = 0


@dataclass
class Run:
    mode: str
    project: Project
    deadline: float
    max_requests: int
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: Counter = field(default_factory=Counter)
    acknowledged: dict[tuple[int, int], Acknowledged] = field(default_factory=dict)
    empty_answers: int = 0
    false_empty: list[tuple[str, int]] = field(default_factory=list)
    requests: int = 0
    problems: list[str] = field(default_factory=list)

    def open(self) -> bool:
        return time.monotonic() < self.deadline and self.requests < self.max_requests


# --- the stack ------------------------------------------------------------------------------


def gunicorn_model(args: argparse.Namespace) -> dict:
    """The worker model the run uses: `workbench/gunicorn.conf.py` (what `scripts/serve`
    and the compose file start), with any of it the command line sets instead."""
    conf = runpy.run_path(str(ROOT / "workbench" / "gunicorn.conf.py"))
    given = {
        "workers": args.web_workers,
        "threads": args.threads,
        "worker_class": args.worker_class,
        "keepalive": args.keep_alive,
    }
    return {key: conf[key] if value is None else value for key, value in given.items()}


def start_stack(model: dict, port: int) -> list[subprocess.Popen]:
    """gunicorn and a Celery worker as `scripts/serve` starts them, logs under var/."""
    logs = ROOT / "var" / "bench-load"
    logs.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "DATA_DIR": str(logs / "data"), "PYTHONUNBUFFERED": "1"}
    python = str(ROOT / ".venv" / "bin" / "python")
    web = [python, "-m", "gunicorn", "-c", "workbench/gunicorn.conf.py", "workbench.wsgi"]
    web += ["--bind", f"127.0.0.1:{port}", "--workers", str(model["workers"])]
    web += ["--threads", str(model["threads"]), "--worker-class", model["worker_class"]]
    web += ["--keep-alive", str(model["keepalive"])]
    worker = [python, "-m", "celery", "-A", "workbench", "worker", "--concurrency=1"]
    processes = []
    for name, command in (("gunicorn", web), ("worker", [*worker, "-l", "warning"])):
        with (logs / f"{name}.log").open("wb") as log:
            processes.append(
                subprocess.Popen(
                    command,
                    cwd=ROOT,
                    env=env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            )
    wait_port(port, 60)
    return processes


def stop_stack(processes: list[subprocess.Popen]) -> None:
    for process in processes:
        try:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=20)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(process.pid, signal.SIGKILL)


# --- data -----------------------------------------------------------------------------------


def make_project(documents: int, annotators: int, overlap: int) -> tuple[Project, list[str]]:
    """A fresh project of `documents` ~2,000-character articles and `annotators` members."""
    users = get_user_model().objects
    admin, _ = users.get_or_create(username="bench-load-admin")
    Project.objects.filter(name=PROJECT).delete()
    project = project_create(
        creator=admin, preset="news", name=PROJECT, annotators_per_document=overlap
    )
    rng = random.Random(17)
    words = WORDS.split()
    Document.objects.bulk_create(
        Document(
            project=project,
            external_id=f"load{i:05}",
            title=f"Article {i}",
            text=(text := " ".join(rng.choice(words) for _ in range(260))[:2000]),
            length=len(text),
        )
        for i in range(documents)
    )
    tokens = []
    for i in range(annotators):
        user, _ = users.get_or_create(username=f"bench-load-{i:02}")
        Membership.objects.create(project=project, user=user, role=Role.ANNOTATOR)
        tokens.append(Token.objects.get_or_create(user=user)[0].key)
    return project, tokens


def documents_left_for(project: Project, username: str) -> int:
    """Documents the queue could still give this annotator, decided from the rows alone
    (not from the stored state the queue searches by). No one skips in the run."""
    from annotations.services.workflow import _open_to

    try:
        user = get_user_model().objects.get(username=username)
        return _open_to(project.documents.all(), project, user).count()
    finally:
        connection.close()


# --- one annotator --------------------------------------------------------------------------


async def timed(run: Run, kind: str, call) -> httpx.Response | None:
    started = time.perf_counter()
    run.requests += 1
    try:
        response = await call
    except httpx.HTTPError as exc:
        run.errors[(kind, type(exc).__name__)] += 1
        return None
    run.latencies[kind].append((time.perf_counter() - started) * 1000)
    if response.status_code >= 300 and not (kind == "queue/next" and response.status_code == 204):
        run.errors[(kind, str(response.status_code))] += 1
    return response


async def think(run: Run, rng: random.Random, low: float, high: float) -> None:
    if run.mode == "day":
        await asyncio.sleep(min(rng.uniform(low, high), max(0.0, run.deadline - time.monotonic())))


async def annotator(run: Run, number: int, token: str, base: str) -> None:
    rng = random.Random(number)
    username = f"bench-load-{number:02}"
    project = f"/api/projects/{run.project.pk}"
    headers = {"Authorization": f"Token {token}"}
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    async with httpx.AsyncClient(
        base_url=base, headers=headers, limits=limits, timeout=30
    ) as client:
        await client.get("/api/me/")  # warm: connection, token, worker (not measured)
        await think(run, rng, 0, 3)  # people do not all start in the same second
        while run.open():
            response = await timed(run, "queue/next", client.get(f"{project}/queue/next/"))
            if response is None or response.status_code not in (200, 204):
                continue
            if response.status_code == 204:
                run.empty_answers += 1
                left = await asyncio.to_thread(documents_left_for, run.project, username)
                if left:
                    run.false_empty.append((username, left))
                return
            await work_on(run, rng, client, project, response.json()["id"], number)


async def work_on(run, rng, client, project: str, doc_id: int, number: int) -> None:
    document = f"{project}/documents/{doc_id}/"
    mine = f"{document}annotations/mine/"
    await timed(run, "GET document", client.get(document))
    response = await timed(run, "GET annotation", client.get(mine))
    if response is None or response.status_code != 200:
        return
    state = run.acknowledged.setdefault((number, doc_id), Acknowledged())
    state.version = response.json()["version"]
    await think(run, rng, 2, 5)
    for change in range(rng.randint(10, 30)):
        await think(run, rng, 1, 3)
        if not run.open():
            return
        span_id = f"s{state.version}-{change}"
        span = (change * 40, change * 40 + rng.randint(3, 30), rng.choice(LABELS))
        op = {
            "op": "add_span",
            "span": {"id": span_id, "start": span[0], "end": span[1], "label": span[2]},
        }
        if state.spans and rng.random() < 0.15:  # now and then the annotator removes one
            gone = rng.choice(sorted(state.spans))
            op = {"op": "delete_span", "id": gone}
        body = {"version": state.version, "ops": [op]}
        response = await timed(run, "PATCH autosave", client.patch(mine, json=body))
        if response is None or response.status_code != 200:
            return
        state.version, state.writes = response.json()["version"], state.writes + 1
        if op["op"] == "add_span":
            state.spans[span_id] = span
        else:
            del state.spans[op["id"]]
    body = {"version": state.version, "ops": [{"op": "set_status", "status": "submitted"}]}
    response = await timed(run, "PATCH submit", client.patch(mine, json=body))
    if response is not None and response.status_code == 200:
        state.version, state.writes = response.json()["version"], state.writes + 1


# --- pg_stat_activity -----------------------------------------------------------------------


async def sample_waits(run: Run, waits: Counter, stop: asyncio.Event) -> None:
    """What active sessions of the benchmark database wait on, sampled every 0.2 s."""
    import psycopg

    settings = connections["default"].settings_dict
    with psycopg.connect(
        host=settings["HOST"] or "127.0.0.1",
        port=settings["PORT"] or 5432,
        user=settings["USER"],
        password=settings["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    ) as conn:
        while not stop.is_set():
            rows = conn.execute(
                "SELECT coalesce(wait_event_type || ':' || wait_event, 'CPU'),"
                " left(regexp_replace(query, '\\s+', ' ', 'g'), 60)"
                " FROM pg_stat_activity WHERE datname = %s AND state = 'active'"
                " AND pid <> pg_backend_pid()",
                [settings["NAME"]],
            ).fetchall()
            waits["samples"] += 1
            for wait, query in rows:
                waits[(wait, query)] += 1
            await asyncio.sleep(0.2)


# --- the check ------------------------------------------------------------------------------


def check_stored(run: Run) -> list[str]:
    """Every acknowledged span stored exactly once, nothing else stored, every version
    equal to its history. A list of problems (empty when all is well)."""
    problems: list[str] = []
    annotations = {
        (a.annotator.username, a.document_id): a
        for a in Annotation.objects.filter(
            document__project=run.project, is_gold=False
        ).select_related("annotator")
    }
    events = defaultdict(list)
    for annotation_id, version in AnnotationEvent.objects.filter(
        annotation__document__project=run.project
    ).values_list("annotation_id", "version"):
        events[annotation_id].append(version)
    spans = defaultdict(list)
    for annotation_id, client_id, start, end, label in Span.objects.filter(
        annotation__document__project=run.project
    ).values_list("annotation_id", "client_id", "start", "end", "label__name"):
        spans[annotation_id].append((client_id, (start, end, label)))
    for annotation in annotations.values():
        history = sorted(events[annotation.pk])
        if history != list(range(1, annotation.version + 1)):
            problems.append(
                f"annotation {annotation.pk}: version {annotation.version}, history {history[:5]}…"
            )
    for (number, doc_id), acknowledged in run.acknowledged.items():
        annotation = annotations.get((f"bench-load-{number:02}", doc_id))
        if annotation is None:
            if acknowledged.writes:
                problems.append(f"{number}/{doc_id}: {acknowledged.writes} writes, no row")
            continue
        stored = spans[annotation.pk]
        ids = [client_id for client_id, _ in stored]
        if len(ids) != len(set(ids)):
            problems.append(f"{number}/{doc_id}: a span stored twice")
        if dict(stored) != acknowledged.spans:
            problems.append(f"{number}/{doc_id}: stored spans differ from the acknowledged")
        if annotation.version != acknowledged.version:
            problems.append(
                f"{number}/{doc_id}: version {annotation.version}, "
                f"acknowledged {acknowledged.version}"
            )
    return problems


# --- report ---------------------------------------------------------------------------------


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def report(run: Run, seconds: float, args, before: str, waits: Counter) -> list[str]:
    model = args.model
    print(
        f"\n== {run.mode}: {args.annotators} annotators, {seconds:.0f} s, {args.documents} "
        f"documents (overlap {args.overlap}); gunicorn {model['workers']} x "
        f"{model['threads']} {model['worker_class']}, keep-alive {model['keepalive']} s; "
        f"load average before {before}, after {load_average()}"
    )
    print(
        f"{'request':<16}{'n':>7}{'errors':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'max ms':>9}"
    )
    total = 0
    for kind in KINDS:
        samples = run.latencies.get(kind, [])
        errors = sum(n for (k, _), n in run.errors.items() if k == kind)
        total += len(samples)
        if not samples:
            print(f"{kind:<16}{0:>7}{errors:>8}")
            continue
        figures = [percentile(samples, q) for q in (0.5, 0.95, 0.99)] + [max(samples)]
        print(f"{kind:<16}{len(samples):>7}{errors:>8}" + "".join(f"{v:>9.0f}" for v in figures))
    print(f"{'all':<16}{total:>7}{sum(run.errors.values()):>8}   {total / seconds:.1f} requests/s")
    if run.errors:
        print("errors:", ", ".join(f"{k} {why}: {n}" for (k, why), n in run.errors.most_common()))
    problems = check_stored(run)
    spans = sum(len(a.spans) for a in run.acknowledged.values())
    writes = sum(a.writes for a in run.acknowledged.values())
    verdict = "stored exactly once, versions equal history" if not problems else "PROBLEMS"
    print(
        f"check: {writes} acknowledged writes, {spans} spans in {len(run.acknowledged)} "
        f"annotations: {verdict}"
    )
    for problem in problems[:20]:
        print("  ", problem)
    if run.false_empty:
        problems.append(f"{len(run.false_empty)} false 204s")
    print(
        f"queue: {run.empty_answers} answered 204, {len(run.false_empty)} of them while "
        f"documents were left for the caller {run.false_empty[:5]}"
    )
    if waits:
        samples = waits.pop("samples")
        print(f"pg_stat_activity, {samples} samples: mean active sessions by wait and query")
        for (wait, query), n in waits.most_common(12):
            print(f"  {n / samples:6.2f}  {wait:<28} {query}")
    return problems


async def run_mode(mode: str, args, project: Project, tokens: list[str], base: str) -> Run:
    run = Run(mode, project, time.monotonic() + args.seconds, args.max_requests)
    waits: Counter = Counter()
    stop = asyncio.Event()
    sampler = asyncio.create_task(sample_waits(run, waits, stop)) if args.pg_waits else None
    before, started = load_average(), time.monotonic()
    workers = [annotator(run, i, token, base) for i, token in enumerate(tokens)]
    await asyncio.wait_for(asyncio.gather(*workers), timeout=args.seconds + 60)
    seconds = time.monotonic() - started
    stop.set()
    if sampler:
        await sampler
    run.problems = await asyncio.to_thread(report, run, seconds, args, before, waits)
    return run


def main() -> int:
    full = os.environ.get("BENCH_LOAD_FULL") == "1"
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mode", choices=["day", "saturation", "both"], default="both")
    parser.add_argument(
        "--seconds",
        type=float,
        default=float(os.environ.get("BENCH_LOAD_SECONDS", 300 if full else 60)),
    )
    parser.add_argument("--annotators", type=int, default=50)
    parser.add_argument("--documents", type=int, default=3000)
    parser.add_argument("--overlap", type=int, default=2)
    parser.add_argument("--web-workers", type=int, help="default: workbench/gunicorn.conf.py")
    parser.add_argument("--threads", type=int)
    parser.add_argument("--worker-class", choices=["gthread", "sync"])
    parser.add_argument("--keep-alive", type=int)
    parser.add_argument("--max-requests", type=int, default=500_000)
    parser.add_argument("--pg-waits", action="store_true")
    args = parser.parse_args()
    os.environ.setdefault("CELERY_BROKER_URL", "redis://127.0.0.1:6379/0")
    args.model = gunicorn_model(args)
    port = free_port()
    stack = start_stack(args.model, port)
    failed = False
    try:
        for mode in ["day", "saturation"] if args.mode == "both" else [args.mode]:
            project, tokens = make_project(args.documents, args.annotators, args.overlap)
            run = asyncio.run(run_mode(mode, args, project, tokens, f"http://127.0.0.1:{port}"))
            failed = failed or bool(run.problems)
            project.delete()
    finally:
        stop_stack(stack)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
