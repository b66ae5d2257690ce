"""The hot paths of issue 9, in-process: CPU per request, queries per request, and the
durable-commit floor on the same database, so a change is judged by figures that a shared
machine's load does not move (process time, query counts, ratios from one run).

    .venv/bin/python bench/bench_hot.py [--requests 300] [--articles 2000] [--profile patch]

Measures, through the whole Django stack (middleware, token auth, DRF; the test client,
so no socket):
- one span per request: the editor's autosave, a PATCH of one `add_span` naming its version;
- reading a document and its annotation (50 spans): the two GETs the editor sends;
- an upload of 2,000 articles of ~2,000 characters (JSONL);
- the floor: a one-row INSERT + COMMIT through Django's own connection (the durable work a
  write must do at least; `bench/peers/floors.py` measures it with the bare driver).
Targets (issue 9): PATCH p50 within 1 ms of the floor; read p95 < 6 ms; import <= 0.076 s.
`--profile NAME` prints a cProfile of that line (patch, read, import).
"""

import argparse
import cProfile
import json
import os
import pstats
import random
import time

from _setup import client_for, percentile, setup_django

setup_django()

from bench_api import annotation_body, article  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from annotations.models import Project  # noqa: E402
from annotations.services.projects import project_create  # noqa: E402


def run(name: str, call, repeat: int, profile: str | None) -> None:
    """Wall p50/p95, CPU per call and queries per call of `call(i)` over `repeat` calls."""
    call(-1)  # warm: first-request imports and caches are not the steady state
    with CaptureQueriesContext(connection) as queries:
        call(-2)
    count = len(queries.captured_queries)  # now: the next request empties the log
    samples = []
    profiler = cProfile.Profile() if profile == name else None
    cpu = time.process_time()
    for i in range(repeat):
        started = time.perf_counter()
        if profiler:
            profiler.enable()
        call(i)
        if profiler:
            profiler.disable()
        samples.append((time.perf_counter() - started) * 1000)
    cpu_ms = (time.process_time() - cpu) * 1000 / repeat
    print(
        f"{name:<8} p50 {percentile(samples, 0.5):6.2f} ms  p95 {percentile(samples, 0.95):6.2f} ms"
        f"  cpu {cpu_ms:5.2f} ms/req  queries {count}  n={repeat}"
    )
    if profiler:
        order = os.environ.get("BENCH_SORT", "cumulative")
        pstats.Stats(profiler).sort_stats(order).print_stats(45)


def floor(repeat: int) -> None:
    """One durable write per request on Django's connection: INSERT one row, COMMIT."""
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS bench_tick (n integer)")
    samples = []
    cpu = time.process_time()
    for i in range(repeat):
        started = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("INSERT INTO bench_tick VALUES (%s)", [i])
        samples.append((time.perf_counter() - started) * 1000)
    cpu_ms = (time.process_time() - cpu) * 1000 / repeat
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE bench_tick")
    print(
        f"{'floor':<8} p50 {percentile(samples, 0.5):6.2f} ms"
        f"  p95 {percentile(samples, 0.95):6.2f} ms  cpu {cpu_ms:5.2f} ms/req"
        f"  (one-row INSERT + COMMIT, {connection.vendor})"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--profile", choices=["patch", "read", "import"])
    args = parser.parse_args()
    client, user = client_for("bench-admin")
    Project.objects.filter(name="bench-hot").delete()
    project = project_create(creator=user, preset="news", name="bench-hot")
    rng = random.Random(1)
    try:
        payloads = [
            "\n".join(
                json.dumps({"external_id": f"a{n}-{i}", "title": f"A {i}", "text": article(rng)})
                for i in range(args.articles)
            ).encode()
            for n in range(3)
        ]

        def upload(i: int) -> None:
            body = SimpleUploadedFile("articles.jsonl", payloads[i % 3 if i >= 0 else i + 3])
            url = f"/api/projects/{project.pk}/documents/upload/"
            response = client.post(url, {"file": body}, format="multipart")
            assert response.status_code == 201, response.content[:300]

        floor(args.requests)
        run("import", upload, 1, args.profile)
        doc = project.documents.order_by("pk").first()
        assert doc is not None
        base = f"/api/projects/{project.pk}/documents/{doc.pk}/"
        mine = base + "annotations/mine/"
        state = {"version": client.put(mine, annotation_body(0, 2000, 0), format="json").json()}
        state["version"] = state["version"]["version"]

        def patch(i: int) -> None:
            at = 1500 + (i + 2) % 480
            span = {"id": f"w{i + 2}", "start": at, "end": at + 1, "label": "PER"}
            ops = [{"op": "add_span", "span": span}]
            response = client.patch(mine, {"version": state["version"], "ops": ops}, format="json")
            assert response.status_code == 200, response.content[:300]
            state["version"] = response.json()["version"]

        other = project.documents.order_by("pk")[1]
        base2 = f"/api/projects/{project.pk}/documents/{other.pk}/"
        assert client.put(base2 + "annotations/mine/", annotation_body(0, 2000, 0), format="json")

        def read(i: int) -> None:
            assert client.get(base2).status_code == 200
            assert client.get(base2 + "annotations/mine/").status_code == 200

        run("patch", patch, args.requests, args.profile)
        run("read", read, args.requests, args.profile)
    finally:
        project.delete()


if __name__ == "__main__":
    main()
