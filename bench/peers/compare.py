"""The workbench beside doccano and Label Studio: the same workload, the same run, one table.

    .venv/bin/python bench/peers/compare.py [--tools workbench,doccano,label-studio]
        [--databases postgres,sqlite] [--documents 2000] [--quick] [--json PATH]

Each tool runs on 127.0.0.1 from a fresh database (PostgreSQL database `peers_<tool>` on
the shared server, or SQLite), one tool at a time, and gets: an import of N articles of
~2 kB (text only, then again with 5 spans, a relation and a document label each);
span writes one per request and 50 per request, from 1 and 4 clients, on a kept-alive
connection and on a new connection per request (p50/p95/p99 and spans/s); reads of a
document with its annotations; list pages; JSONL and CoNLL exports timed from the
request to the last byte of the file (the job included), first and repeated; memory of
every process (RSS and PSS) idle after start and at its peak during the workload. The
physical floors (PostgreSQL COPY, a bare serialiser, a durable commit) are measured in
the same run. A tool that is not installed (`make bench-peers` installs the peers) is
skipped with a note. Figures from a shared machine are noisy: read ratios, not digits.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import floors
from clients import CLIENTS, ToolClient
from memory import PeakSampler, snapshot
from paths import VAR
from servers import TOOLS, Server
from wire import Http
from workload import Article, articles, free_slots

TOOL_NAMES = {
    "workbench": "ours",
    "doccano": "doccano 1.8.4",
    "label-studio": "Label Studio 1.23.2",
}
DATABASES = {"postgres": "PostgreSQL", "sqlite": "SQLite"}
BATCH = 50


@dataclass
class Sizes:
    documents: int = 2000
    single_requests: int = 200  # per configuration, split among the clients
    batch_requests: int = 40
    reads: int = 200
    lists: int = 50

    @classmethod
    def quick(cls) -> Sizes:
        return cls(documents=200, single_requests=40, batch_requests=8, reads=40, lists=10)


def run_clients(count: int, work, jobs: int) -> tuple[list[float], float]:
    """Run `jobs` calls of work(client_index, job_index) from `count` threads; latencies (ms)
    and wall seconds."""
    samples: list[list[float]] = [[] for _ in range(count)]
    barrier = threading.Barrier(count + 1)
    errors: list[BaseException] = []

    def client(index: int) -> None:
        barrier.wait()
        try:
            for job in range(index, jobs, count):
                started = time.perf_counter()
                work(index, job)
                samples[index].append((time.perf_counter() - started) * 1000)
        except BaseException as error:  # reported after the join
            errors.append(error)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    if errors:
        raise errors[0]
    return [s for per in samples for s in per], wall


class Workload:
    """The same sequence of calls for every tool; returns figures keyed by table row."""

    def __init__(self, client: ToolClient, items: list[Article], sizes: Sizes):
        self.client = client
        self.items = items
        self.sizes = sizes
        self.figures: dict[str, float] = {}

    def run(self) -> dict[str, float]:
        c = self.client
        project = c.create_project("peers-writes")
        seconds, docs = _timed(lambda: c.import_articles(project, self.items, annotated=False))
        self.figures["import"] = seconds
        annotated = c.create_project("peers-export")
        seconds, annotated_docs = _timed(
            lambda: c.import_articles(annotated, self.items, annotated=True)
        )
        self.figures["import_annotated"] = seconds
        self.single_writes(project, docs)
        if c.batch_writes:
            self.batch_writes(project, docs)
        self.reads(annotated, annotated_docs)
        self.lists(project)
        self.exports(annotated)
        return self.figures

    def single_writes(self, project: int, docs: list[int]) -> None:
        slots = free_slots(min(len(a.text) for a in self.items))
        block = len(docs) // 10
        self._warm(project, docs[9 * block :])
        configs = [(1, True), (4, True), (1, False), (4, False)]
        for number, (clients, keepalive) in enumerate(configs):
            # A few spans per document, as an annotator adds them one by one; each client
            # has documents of its own (no tool is asked to merge concurrent edits here).
            own = docs[number * block : number * block + min(block, 50)]
            per_client = max(1, len(own) // clients)
            written: dict[int, int] = {}
            plan = []
            for job in range(self.sizes.single_requests):
                doc = own[(job % clients) * per_client + (job // clients) % per_client]
                k = written[doc] = written.get(doc, -1) + 1
                plan.append((doc, [(slots[k], slots[k] + 8, "PER")]))
            samples, wall = self._write_plan(project, clients, keepalive, plan)
            key = f"one_{clients}_{'keepalive' if keepalive else 'new'}"
            self._latency(key, samples)
            self.figures[f"{key}_rate"] = len(samples) / wall

    def _write_plan(
        self, project: int, clients: int, keepalive: bool, plan: list[tuple[int, list]]
    ) -> tuple[list[float], float]:
        """Client i sends plan[j] for every j with j % clients == i."""
        https = [self.client.connection(keepalive) for _ in range(clients)]
        try:
            return run_clients(
                clients,
                lambda i, j: self.client.write_spans(https[i], project, *plan[j]),
                len(plan),
            )
        finally:
            for http in https:
                http.close()

    def _warm(self, project: int, docs: list[int]) -> None:
        http = self.client.connection(True)
        slots = free_slots(min(len(a.text) for a in self.items))
        for doc in docs[:10]:
            self.client.write_spans(http, project, doc, [(slots[-1], slots[-1] + 8, "LOC")])
        http.close()

    def batch_writes(self, project: int, docs: list[int]) -> None:
        slots = free_slots(min(len(a.text) for a in self.items))[:BATCH]
        spans = [(s, s + 8, "ORG") for s in slots]
        block = len(docs) // 10
        pools = {1: docs[4 * block : 6 * block], 4: docs[6 * block : 9 * block]}
        for clients, own in pools.items():
            jobs = min(len(own), self.sizes.batch_requests * (2 if clients > 1 else 1))
            plan = [(doc, spans) for doc in own[:jobs]]  # each batch to a fresh document
            samples, wall = self._write_plan(project, clients, True, plan)
            self._latency(f"batch_{clients}", samples)
            self.figures[f"batch_{clients}_rate"] = len(samples) * BATCH / wall

    def reads(self, project: int, docs: list[int]) -> None:
        rng = random.Random(7)
        http = self.client.connection(True)
        chosen = [rng.choice(docs) for _ in range(self.sizes.reads)]
        samples, _ = run_clients(
            1, lambda _i, j: self.client.read(http, project, chosen[j]), len(chosen)
        )
        self._latency("read", samples)

    def lists(self, project: int) -> None:
        http = self.client.connection(True)
        last = max(0, len(self.items) - 50)
        offsets = [0, last // 4, last // 2, last]
        samples, _ = run_clients(
            1,
            lambda _i, j: self.client.list_page(http, project, offsets[j % len(offsets)]),
            self.sizes.lists,
        )
        self._latency("list", samples)

    def exports(self, project: int) -> None:
        kinds = ["jsonl"] + (["conll"] if self.client.conll else [])
        for kind in kinds:
            for attempt in (1, 2):
                seconds, data = _timed(lambda kind=kind: self.client.export(project, kind))
                assert len(data) > 100, data[:200]
                self.figures[f"export_{kind}_{attempt}"] = seconds

    def _latency(self, key: str, samples: list[float]) -> None:
        for name, value in floors.percentiles(samples).items():
            self.figures[f"{key}_{name}"] = value


def _timed(call) -> tuple[float, Any]:
    started = time.perf_counter()
    value = call()
    return time.perf_counter() - started, value


def measure_tool(tool: str, database: str, items: list[Article], sizes: Sizes) -> dict[str, Any]:
    server: Server = TOOLS[tool](database)
    if not server.installed():
        return {"skipped": f"{TOOL_NAMES[tool]} is not installed (make bench-peers installs it)"}
    print(f"  {server.label}: starting", file=sys.stderr, flush=True)
    started = server.start()
    try:
        client = CLIENTS[tool](server)
        # One authenticated request, then let the processes settle before "idle".
        Http(server.port, client.headers).request("GET", "/")
        time.sleep(3)
        idle = snapshot(server.processes())
        sampler = PeakSampler(server)
        sampler.start()
        began = time.perf_counter()
        try:
            figures = Workload(client, items, sizes).run()
        finally:
            sampler.stop()
        print(f"  {server.label}: workload {time.perf_counter() - began:.0f} s", file=sys.stderr)
        figures.update(
            start=started,
            mem_idle_rss=idle.rss,
            mem_idle_pss=idle.pss,
            mem_peak_rss=sampler.peak_total.rss,
            mem_peak_pss=sampler.peak_total.pss,
            processes=len(idle.per_process),
        )
        return {
            "figures": figures,
            "processes": {
                str(pid): {
                    "name": name,
                    "idle_rss": rss,
                    "idle_pss": pss,
                    "peak_rss": sampler.peak_each.get(pid, (name, rss, pss))[1],
                    "peak_pss": sampler.peak_each.get(pid, (name, rss, pss))[2],
                }
                for pid, (name, rss, pss) in idle.per_process.items()
            },
        }
    finally:
        server.stop()


# (key, label, unit, higher is better)
def rows() -> list[tuple[str, str, str, bool]]:
    table = [
        ("start", "start from a fresh database", "s", False),
        ("import", "import N articles (text), incl. job", "s", False),
        ("import_annotated", "import N articles + 5 spans, 1 relation, 1 label each", "s", False),
    ]
    for clients in (1, 4):
        for conn, conn_label in (("keepalive", "keep-alive"), ("new", "new connection")):
            key = f"one_{clients}_{conn}"
            label = f"one span/request, {clients} client{'s' if clients > 1 else ''}, {conn_label}"
            table.append((f"{key}_rate", label, "spans/s", True))
            for p in ("p50", "p95", "p99"):
                table.append((f"{key}_{p}", f"  {p}", "ms", False))
    for clients in (1, 4):
        label = f"{BATCH} spans/request, {clients} client{'s' if clients > 1 else ''}, keep-alive"
        table.append((f"batch_{clients}_rate", label, "spans/s", True))
        for p in ("p50", "p95", "p99"):
            table.append((f"batch_{clients}_{p}", f"  {p}", "ms", False))
    table += [
        ("read_p50", "read a document + its annotations, p50", "ms", False),
        ("read_p95", "  p95", "ms", False),
        ("list_p50", "list 50 documents (pages 1 to last), p50", "ms", False),
        ("list_p95", "  p95", "ms", False),
        ("export_jsonl_1", "export JSONL (LS: JSON), request to file, first", "s", False),
        ("export_jsonl_2", "  repeated", "s", False),
        ("export_conll_1", "export CoNLL, request to file, first", "s", False),
        ("export_conll_2", "  repeated", "s", False),
        ("mem_idle_rss", "memory idle, all processes, RSS", "MB", False),
        ("mem_idle_pss", "memory idle, all processes, PSS", "MB", False),
        ("mem_peak_rss", "memory peak, all processes, RSS", "MB", False),
        ("mem_peak_pss", "memory peak, all processes, PSS", "MB", False),
        ("processes", "processes", "", False),
    ]
    return table


def floor_for(key: str, database: str, floor: dict[str, Any]) -> tuple[float, str] | None:
    if not floor:
        return None
    if key == "import" and database == "postgres":
        return floor["copy_s"], "COPY"
    if key in ("export_jsonl_1", "export_jsonl_2"):
        return floor["serialise_s"], "bare json.dumps"
    if key.startswith("one_1_") and key[-3:] in ("p50", "p95", "p99"):
        commit = floor["pg_commit_ms"] if database == "postgres" else floor["sqlite_full_ms"]
        return commit[key[-3:]], "durable commit"
    return None


def fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "" or unit == "spans/s" or unit == "MB":
        return f"{value:,.0f}"
    if unit == "s":
        return f"{value:.2f}" if value >= 0.1 else f"{value:.3f}"
    return f"{value:.1f}" if value >= 10 else f"{value:.2f}"


def ratio(ours: float | None, other: float | None, higher: bool) -> str:
    """How many times better ours is (>1: ours ahead)."""
    if ours is None or other is None or ours <= 0 or other <= 0:
        return "—"
    value = ours / other if higher else other / ours
    return f"{value:.1f}x" if value < 10 else f"{value:.0f}x"


def print_table(
    results: dict[tuple[str, str], dict], floor: dict[str, Any], documents: int
) -> None:
    peers = ["doccano", "label-studio"]
    header = ["line", "unit", "db", "ours"]
    for peer in peers:
        header += [TOOL_NAMES[peer], "x " + {"doccano": "doccano", "label-studio": "LS"}[peer]]
    header += ["floor", "ours ÷ floor"]
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))

    def value(tool: str, database: str, key: str) -> float | None:
        return results.get((tool, database), {}).get("figures", {}).get(key)

    databases = sorted({db for _, db in results}, key=list(DATABASES).index)
    for key, label, unit, higher in rows():
        for database in databases:
            ours = value("workbench", database, key)
            peer_values = [value(p, database, key) for p in peers]
            floor_value = floor_for(key, database, floor)
            if ours is None and all(v is None for v in peer_values):
                continue
            cells = [
                label.replace("N articles", f"{documents:,} articles"),
                unit,
                DATABASES[database],
                fmt(ours, unit),
            ]
            for other in peer_values:
                cells += [fmt(other, unit), ratio(ours, other, higher) if unit else ""]
            if floor_value:
                above = ours / floor_value[0] if ours and not higher else None
                cells += [
                    f"{fmt(floor_value[0], unit)} ({floor_value[1]})",
                    f"{above:.1f}x" if above else "—",
                ]
            else:
                cells += ["", ""]
            print("| " + " | ".join(cells) + " |")


def print_processes(results: dict[tuple[str, str], dict]) -> None:
    print("\nMemory per process (MB): idle RSS / PSS → peak RSS / PSS")
    for (tool, database), result in results.items():
        if "processes" not in result:
            continue
        print(f"  {TOOL_NAMES[tool]} on {DATABASES[database]}:")
        for info in result["processes"].values():
            print(
                f"    {info['name'][:60]:<60} {info['idle_rss']:6.0f} / {info['idle_pss']:6.0f}"
                f" → {info['peak_rss']:6.0f} / {info['peak_pss']:6.0f}"
            )


def load_average() -> str:
    try:
        with open("/proc/loadavg") as f:
            return " ".join(f.read().split()[:3])
    except OSError:
        return "?"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tools", default="workbench,doccano,label-studio")
    parser.add_argument("--databases", default="postgres,sqlite")
    parser.add_argument("--documents", type=int)
    parser.add_argument("--quick", action="store_true", help="small sizes, for a smoke run")
    parser.add_argument("--json", help="also write every figure to this file")
    args = parser.parse_args()
    sizes = Sizes.quick() if args.quick else Sizes()
    if args.documents:
        sizes.documents = args.documents
    items = articles(sizes.documents)
    began = time.perf_counter()
    print(f"load average before: {load_average()}", file=sys.stderr)
    floor = floors.measure(items)
    results: dict[tuple[str, str], dict] = {}
    notes = []
    for tool in args.tools.split(","):
        for database in args.databases.split(","):
            try:
                result = measure_tool(tool, database, items, sizes)
            except (OSError, RuntimeError) as exc:
                # One server failing (a timeout under load, a crash) must not cost the
                # whole table: its column is left out and the note says why.
                notes.append(f"{TOOL_NAMES[tool]} on {database} failed: {exc!r}")
                continue
            if "skipped" in result:
                notes.append(result["skipped"])
                break
            results[(tool, database)] = result
    print(
        f"\n## Side by side: {sizes.documents:,} articles of ~2,000 code points "
        f"({time.perf_counter() - began:.0f} s, load average after: {load_average()})\n"
    )
    for note in dict.fromkeys(notes):
        print(f"Skipped: {note}.")
    print(
        "x peer = how many times better ours is (>1: ours ahead); ours ÷ floor = how far above "
        "the physical floor.\n"
    )
    print_table(results, floor, sizes.documents)
    print_processes(results)
    print(
        f"\nFloors: COPY {floor['copy_s']:.3f} s; bare JSONL {floor['serialise_s']:.3f} s; "
        f"durable commit p50: PostgreSQL {floor['pg_commit_ms']['p50']:.2f} ms, SQLite WAL "
        f"NORMAL (not durable) {floor['sqlite_normal_ms']['p50']:.3f} ms, "
        f"FULL {floor['sqlite_full_ms']['p50']:.2f} ms"
    )
    path = args.json or str(VAR / "results" / time.strftime("compare-%Y%m%d-%H%M%S.json"))
    out = {f"{tool}/{db}": r for (tool, db), r in results.items()}
    out["floor"] = floor
    out["sizes"] = vars(sizes)
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_text(json.dumps(out, indent=2, default=str))
    print(f"\nEvery figure: {path}")


if __name__ == "__main__":
    main()
