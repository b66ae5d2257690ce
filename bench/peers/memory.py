"""Memory of a server's processes from /proc/<pid>/smaps_rollup: RSS and PSS.

RSS counts every shared page in every process (a preforked gunicorn's copy-on-write
pages once per worker); PSS divides each shared page among the processes sharing it,
so the PSS of all a server's processes adds up to what the server really costs.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path


def rollup(pid: int) -> tuple[float, float] | None:
    """(RSS, PSS) in MB, or None when the process is gone."""
    try:
        text = (Path("/proc") / str(pid) / "smaps_rollup").read_text()
    except OSError:
        return None
    values = {}
    for line in text.splitlines():
        key, _, rest = line.partition(":")
        if key in ("Rss", "Pss"):
            values[key] = int(rest.split()[0]) / 1024
    return values.get("Rss", 0.0), values.get("Pss", 0.0)


@dataclass
class Snapshot:
    per_process: dict[int, tuple[str, float, float]] = field(default_factory=dict)

    @property
    def rss(self) -> float:
        return sum(r for _, r, _ in self.per_process.values())

    @property
    def pss(self) -> float:
        return sum(p for _, _, p in self.per_process.values())


def snapshot(processes: dict[int, str]) -> Snapshot:
    shot = Snapshot()
    for pid, name in processes.items():
        values = rollup(pid)
        if values:
            shot.per_process[pid] = (name, *values)
    return shot


class PeakSampler(threading.Thread):
    """Samples a server's processes every `interval` s; keeps each one's and the total's peak."""

    def __init__(self, server, interval: float = 0.25):
        super().__init__(daemon=True)
        self.server = server
        self.interval = interval
        self.peak_total = Snapshot()
        self.peak_each: dict[int, tuple[str, float, float]] = {}
        self._halt = threading.Event()

    def run(self) -> None:
        while not self._halt.wait(self.interval):
            shot = snapshot(self.server.processes())
            if shot.pss > self.peak_total.pss:
                self.peak_total = shot
            for pid, (name, rss, pss) in shot.per_process.items():
                _, old_rss, old_pss = self.peak_each.get(pid, (name, 0.0, 0.0))
                self.peak_each[pid] = (name, max(rss, old_rss), max(pss, old_pss))

    def stop(self) -> None:
        self._halt.set()
        self.join()
