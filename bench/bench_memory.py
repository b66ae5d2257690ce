"""Memory of what `make run` starts (`scripts/serve`) on the embedded default: idle, then
after an upload of ~40 MB of articles, per process, RSS and PSS (`peers/memory.py`).

    .venv/bin/python bench/bench_memory.py [--upload-mb 40] [--port 18199]

A fresh SQLite database and data directory under a temporary directory; the server on
127.0.0.1 only; stopped at the end. Target (issue 9): web + worker <= 170 MB PSS idle, and
no lasting growth after the upload (measured 10 s after its answer).
"""

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench" / "peers"))

from memory import snapshot  # noqa: E402


def descendants(pid: int) -> dict[int, str]:
    """The process tree under `pid` (itself included), each with its command line."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(parent, []).append(int(entry.name))
    tree, todo = {}, [pid]
    while todo:
        current = todo.pop()
        try:
            command = (Path("/proc") / str(current) / "cmdline").read_bytes()
        except OSError:
            continue
        tree[current] = command.replace(b"\0", b" ").decode(errors="replace").strip()[:90]
        todo.extend(children.get(current, []))
    return tree


def show(title: str, pid: int) -> float:
    """Print each process's RSS and PSS; return the total PSS of the Python processes."""
    processes = {p: c for p, c in descendants(pid).items() if "python" in c or ".venv" in c}
    shot = snapshot(processes)
    print(
        f"{title}: {len(shot.per_process)} processes, PSS {shot.pss:.0f} MB, RSS {shot.rss:.0f} MB"
    )
    for _pid, (name, rss, pss) in sorted(shot.per_process.items()):
        print(f"    PSS {pss:6.1f}  RSS {rss:6.1f}  {name}")
    return shot.pss


def request(port: int, path: str, body: bytes | None = None, headers=None, method=None):
    req = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}", data=body, headers=headers or {}, method=method
    )
    with urllib.request.urlopen(req, timeout=600) as answer:
        return json.loads(answer.read() or b"null")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--upload-mb", type=float, default=40)
    parser.add_argument("--port", type=int, default=18199)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-memory-"))
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DATABASE_URL", "CELERY_BROKER_URL", "DATA_DIR", "WEB_WORKERS")
    }
    env.update(DATA_DIR=str(work), PORT=str(args.port), HOST="127.0.0.1", WEB_ACCESS_LOG="0")
    env["DJANGO_SETTINGS_MODULE"] = "workbench.settings"
    python = str(ROOT / ".venv" / "bin" / "python")
    subprocess.run([python, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    make_user = (
        "from django.contrib.auth.models import User;"
        "from annotations.services.tokens import token_create;"
        "u = User.objects.create_superuser('bench', 'b@example.org', 'bench-pass-1');"
        "print(token_create(user=u, name='bench')[1])"
    )
    token = (
        subprocess.run(
            [python, "manage.py", "shell", "-c", make_user],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    log = (work / "serve.log").open("w")
    server = subprocess.Popen(
        ["scripts/serve"], cwd=ROOT, env=env, stdout=log, stderr=log, start_new_session=True
    )
    try:
        for _ in range(120):
            try:
                request(args.port, "/healthz")
                break
            except OSError:
                time.sleep(0.5)
        time.sleep(8)  # workers booted, beat's first tick done
        idle = show("idle", server.pid)
        auth = {"Authorization": f"Token {token}", "Content-Type": "application/json"}
        make = json.dumps({"name": "m", "preset": "news"}).encode()
        project = request(args.port, "/api/projects/", make, auth)["id"]
        rng = random.Random(1)
        words = ["Jakarta", "mengatakan", "pemerintah", "akan", "kata", "dia", "tahun", "ini"]
        lines, size, i = [], 0, 0
        while size < args.upload_mb * 1e6:
            text = " ".join(rng.choice(words) for _ in range(280))
            line = json.dumps({"external_id": f"m{i}", "title": f"A {i}", "text": text})
            lines.append(line)
            size += len(line) + 1
            i += 1
        boundary = "benchmemoryboundary"
        body = (
            (
                f"--{boundary}\r\nContent-Disposition: form-data; name=file; filename=a.jsonl\r\n"
                "Content-Type: application/octet-stream\r\n\r\n"
            ).encode()
            + "\n".join(lines).encode()
            + f"\r\n--{boundary}--\r\n".encode()
        )
        del lines
        headers = {
            "Authorization": f"Token {token}",
            "Content-Type": f"multipart/form-data; boundary={boundary}",
        }
        figures = [idle]
        for attempt in (1, 2):
            # The second upload goes to a project of its own (the first's ids are taken).
            if attempt == 2:
                project = request(args.port, "/api/projects/", make, auth)["id"]
            started = time.perf_counter()
            url = f"/api/projects/{project}/documents/upload/"
            answer = request(args.port, url, body, headers)
            seconds = time.perf_counter() - started
            print(
                f"upload {attempt}: {len(body) / 1e6:.1f} MB, {answer['created']} documents,"
                f" {seconds:.1f} s"
            )
            time.sleep(10)
            figures.append(show(f"10 s after upload {attempt}", server.pid))
        print(
            f"PSS idle {figures[0]:.0f} MB; after the first upload {figures[1]:.0f} MB, after the "
            f"second {figures[2]:.0f} MB (the second added {figures[2] - figures[1]:+.0f} MB)"
        )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)


if __name__ == "__main__":
    main()
