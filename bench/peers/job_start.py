"""How late an export job starts: the median delay from its request to its `started_at`.

    .venv/bin/python bench/peers/job_start.py [--databases sqlite,postgres] [--exports 20]
        [--documents 50]

Starts the workbench as `compare.py` does (gunicorn, the export worker and the suggestions
worker on 127.0.0.1, a fresh database: SQLite with the filesystem queue, PostgreSQL with
Redis), imports a few articles, then requests `--exports` JSONL exports one after another,
each once the previous one finished. The delay of each is the job's `started_at` minus its
`created_at` (both stamped by our processes on one clock): broker pickup and claim, not
the export's own work. Prints the median, p90 and maximum per database; target < 100 ms.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import datetime

from clients import CLIENTS
from servers import TOOLS
from workload import articles


def delays(database: str, exports: int, documents: int) -> list[float]:
    server = TOOLS["workbench"](database)
    server.start()
    try:
        client = CLIENTS["workbench"](server)
        project = client.create_project(f"job-start-{database}")
        client.import_articles(project, articles(documents), annotated=True)
        found = []
        for _ in range(exports):
            job = client.http.json(
                "POST", f"/api/projects/{project}/exports/", {"format": "jsonl"}, expect=(202,)
            )
            while True:
                state = client.http.json("GET", f"/api/exports/{job['id']}/")
                if state["status"] in ("succeeded", "failed"):
                    break
                time.sleep(0.02)
            created = datetime.fromisoformat(state["created_at"])
            began = datetime.fromisoformat(state["started_at"])
            found.append((began - created).total_seconds())
        return found
    finally:
        server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--exports", type=int, default=20)
    parser.add_argument("--documents", type=int, default=50)
    args = parser.parse_args()
    for database in args.databases.split(","):
        found = sorted(delays(database, args.exports, args.documents))
        p90 = found[min(len(found) - 1, int(0.9 * len(found)))]
        median = statistics.median(found)
        print(
            f"{database:8s} job start after request: median {1000 * median:6.1f} ms"
            f"  p90 {1000 * p90:6.1f} ms  max {1000 * found[-1]:6.1f} ms  ({len(found)} exports)",
            flush=True,
        )


if __name__ == "__main__":
    sys.exit(main())
