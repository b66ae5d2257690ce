"""Physical floors: what the same work costs with nothing but the database or Python.

- PostgreSQL `COPY` of the same 2,000 article rows (the import floor);
- a bare script serialising the same rows, with their spans, to JSONL (the export floor);
- one durable transaction per request on each database (the single-write floor): on
  PostgreSQL a one-row INSERT + COMMIT through psycopg (an empty transaction writes no
  WAL, so it would not be durable work), on SQLite the same in WAL mode, at our setting
  (`synchronous=NORMAL`) and fully synced (`FULL`).
"""

from __future__ import annotations

import json
import sqlite3
import statistics
import time

from paths import POSTGRES, RUNS
from servers import pg_recreate
from workload import Article

DATABASE = "peers_floor"


def percentiles(samples: list[float]) -> dict[str, float]:
    """p50, p95, p99 and mean of latency samples (the benchmark's one definition)."""
    ordered = sorted(samples)

    def at(share: float) -> float:
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))]

    return {"p50": at(0.5), "p95": at(0.95), "p99": at(0.99), "mean": statistics.fmean(ordered)}


def copy_articles(items: list[Article]) -> float:
    import psycopg

    pg_recreate(DATABASE)
    with psycopg.connect(f"{POSTGRES}/{DATABASE}") as conn:
        conn.execute("CREATE TABLE document (external_id text, title text, text text)")
        conn.commit()
        started = time.perf_counter()
        with (
            conn.cursor() as cursor,
            cursor.copy("COPY document (external_id, title, text) FROM STDIN") as copy,
        ):
            for a in items:
                copy.write_row((a.external_id, a.title, a.text))
        conn.commit()
        return time.perf_counter() - started


def serialise_jsonl(items: list[Article]) -> float:
    RUNS.mkdir(parents=True, exist_ok=True)
    path = RUNS / "floor.jsonl"
    started = time.perf_counter()
    with path.open("w", encoding="utf-8") as out:
        for a in items:
            record = {
                "external_id": a.external_id,
                "title": a.title,
                "text": a.text,
                "spans": [
                    {"id": f"s{i}", "start": s, "end": e, "label": label}
                    for i, (s, e, label) in enumerate(a.spans)
                ],
                "relations": [{"id": "r0", "from": "s3", "to": "s4", "label": "SPEAKER"}],
                "document_labels": {"sentiment": a.sentiment},
            }
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    seconds = time.perf_counter() - started
    path.unlink()
    return seconds


def postgres_commit(requests: int) -> dict[str, float]:
    import psycopg

    with psycopg.connect(f"{POSTGRES}/{DATABASE}") as conn:
        conn.execute("CREATE TABLE IF NOT EXISTS tick (n int)")
        conn.commit()
        samples = []
        for i in range(requests):
            started = time.perf_counter()
            conn.execute("INSERT INTO tick VALUES (%s)", [i])
            conn.commit()
            samples.append((time.perf_counter() - started) * 1000)
    return percentiles(samples)


def sqlite_commit(requests: int, synchronous: str) -> dict[str, float]:
    path = RUNS / f"floor-{synchronous.lower()}.sqlite3"
    for stale in RUNS.glob(path.name + "*"):
        stale.unlink()
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute(f"PRAGMA synchronous={synchronous}")
    conn.execute("CREATE TABLE tick (n int)")
    samples = []
    for i in range(requests):
        started = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT INTO tick VALUES (?)", [i])
        conn.execute("COMMIT")
        samples.append((time.perf_counter() - started) * 1000)
    conn.close()
    return percentiles(samples)


def measure(items: list[Article], requests: int = 300) -> dict[str, object]:
    return {
        "copy_s": copy_articles(items),
        "serialise_s": serialise_jsonl(items),
        "pg_commit_ms": postgres_commit(requests),
        "sqlite_normal_ms": sqlite_commit(requests, "NORMAL"),
        "sqlite_full_ms": sqlite_commit(requests, "FULL"),
    }
