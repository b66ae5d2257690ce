"""API speed: bulk import, annotation PUT/PATCH/GET latencies, in-process through the full
Django stack (middleware, token auth, DRF, the database named by DATABASE_URL).

    .venv/bin/python bench/bench_api.py [--documents 10000] [--requests 300]

Prints one figure per line. Targets (issue 2): import of 10,000 ~2,000-character
articles < 1.5 s; PUT (50 spans, 10 relations) p95 < 20 ms; PATCH p95 < 10 ms;
GET of a document and its annotation p95 < 10 ms.
"""

import argparse
import json
import random
import time

from _setup import client_for, percentile, setup_django

setup_django()

from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from rest_framework.test import APIClient  # noqa: E402

from annotations.models import Project  # noqa: E402
from annotations.services.projects import project_create  # noqa: E402

WORDS = [
    "Sekretaris",
    "Jenderal",
    "NATO",
    "Jens",
    "Stoltenberg",
    "mengatakan",
    "aliansi",
    "akan",
    "latihan",
    "🇮🇩",
]


def article(rng: random.Random, size: int = 2000) -> str:
    words = []
    while sum(len(w) + 1 for w in words) < size:
        words.append(rng.choice(WORDS))
    return " ".join(words)[:size]


def timed(call, repeat: int) -> list[float]:
    samples = []
    for i in range(repeat):
        started = time.perf_counter()
        call(i)
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def report(name: str, samples: list[float]) -> None:
    print(
        f"{name:<34} p50 {percentile(samples, 0.5):7.2f} ms   "
        f"p95 {percentile(samples, 0.95):7.2f} ms   n={len(samples)}"
    )


def bench_import(client: APIClient, project: Project, count: int) -> list[int]:
    rng = random.Random(1)
    lines = (
        json.dumps({"external_id": f"a{i}", "title": f"Article {i}", "text": article(rng)})
        for i in range(count)
    )
    payload = ("\n".join(lines)).encode()
    upload = SimpleUploadedFile("articles.jsonl", payload)
    started = time.perf_counter()
    response = client.post(
        f"/api/projects/{project.pk}/documents/upload/", {"file": upload}, format="multipart"
    )
    seconds = time.perf_counter() - started
    assert response.status_code == 201, response.content[:300]
    print(
        f"{'import ' + str(count) + ' articles (upload)':<34} {seconds:7.3f} s   "
        f"({len(payload) / 1e6:.1f} MB)"
    )
    return response.json()["ids"]


def annotation_body(version: int, text_length: int, shift: int) -> dict:
    spans = [
        {
            "id": f"s{i}",
            "start": i * 30 + shift,
            "end": i * 30 + shift + 12,
            "label": "QUOTE" if i % 5 == 0 else "PER",
            "attributes": {},
        }
        for i in range(50)
    ]
    relations = [
        {"id": f"r{i}", "from": f"s{i * 5}", "to": f"s{i * 5 + 1}", "label": "SPEAKER"}
        for i in range(10)
    ]
    assert spans[-1]["end"] <= text_length
    return {"version": version, "spans": spans, "relations": relations, "status": "draft"}


def bench_annotation(client: APIClient, project: Project, doc_id: int, repeat: int) -> None:
    mine = f"/api/projects/{project.pk}/documents/{doc_id}/annotations/mine/"
    state = {"version": client.get(mine).json()["version"]}

    def put(i: int) -> None:
        response = client.put(mine, annotation_body(state["version"], 2000, i % 3), format="json")
        assert response.status_code == 200, response.content[:300]
        state["version"] = response.json()["version"]

    def patch(i: int) -> None:
        op = {"op": "update_span", "id": f"s{1 + 5 * (i % 10)}", "label": "ORG" if i % 2 else "PER"}
        response = client.patch(mine, {"version": state["version"], "ops": [op]}, format="json")
        assert response.status_code == 200, response.content[:300]
        state["version"] = response.json()["version"]

    report("PUT 50 spans + 10 relations", timed(put, repeat))
    report("PATCH one span", timed(patch, repeat))
    report("GET annotation (50 spans)", timed(lambda i: client.get(mine), repeat))
    document = f"/api/projects/{project.pk}/documents/{doc_id}/"
    report("GET document (2,000 chars)", timed(lambda i: client.get(document), repeat))


def bench_big_document(client: APIClient, project: Project, repeat: int) -> None:
    """One change to a 5,000-span document must stay one small request."""
    text = "x" * 100_000
    created = client.post(
        f"/api/projects/{project.pk}/documents/",
        {"text": text, "external_id": "big"},
        format="json",
    ).json()
    mine = f"/api/projects/{project.pk}/documents/{created['id']}/annotations/mine/"
    spans = [
        {"id": f"s{i}", "start": i * 20, "end": i * 20 + 10, "label": "PER"} for i in range(5000)
    ]
    started = time.perf_counter()
    response = client.put(mine, {"version": 0, "spans": spans}, format="json")
    print(f"{'PUT 5,000 spans (once)':<34} {(time.perf_counter() - started) * 1000:7.1f} ms")
    state = {"version": response.json()["version"]}

    def patch(i: int) -> None:
        op = {"op": "update_span", "id": f"s{i % 5000}", "label": "ORG" if i % 2 else "PER"}
        response = client.patch(mine, {"version": state["version"], "ops": [op]}, format="json")
        state["version"] = response.json()["version"]

    report("PATCH one span of 5,000", timed(patch, repeat))
    report("GET annotation (5,000 spans)", timed(lambda i: client.get(mine), max(20, repeat // 10)))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--documents", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=300)
    args = parser.parse_args()
    client, user = client_for("bench-admin")
    Project.objects.filter(name="bench-api").delete()
    project = project_create(creator=user, preset="news", name="bench-api")
    try:
        ids = bench_import(client, project, args.documents)
        bench_annotation(client, project, ids[0], args.requests)
        bench_big_document(client, project, args.requests)
    finally:
        project.delete()


if __name__ == "__main__":
    main()
