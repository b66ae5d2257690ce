"""gunicorn's settings, the one place for the web server's worker model (DECISIONS.md 33):
`scripts/serve` (so `make run`), the Dockerfile and the compose file all start
`gunicorn -c workbench/gunicorn.conf.py workbench.wsgi`.

gthread workers: a browser's autosaves reuse one kept-alive connection and a slow client
holds a thread, not a process. On PostgreSQL, one process per core and one more (a process
waiting on the database leaves its core to another), two threads each; on SQLite (one
writer at a time, a laptop's memory) two processes of four threads. Measured with
`bench/bench_load.py` (bench/README.md). Each figure can be set from the environment.
"""

import os

from workbench.env import env_int, env_str

_embedded = env_str("DATABASE_URL", "sqlite://").startswith("sqlite")

bind = f"{env_str('HOST', '127.0.0.1')}:{env_int('PORT', 8000, minimum=1)}"
worker_class = "gthread"
workers = env_int("WEB_WORKERS", 2 if _embedded else (os.cpu_count() or 1) + 1, minimum=1)
threads = env_int("WEB_THREADS", 4 if _embedded else 2, minimum=1)
# Longer than a person's pause between autosaves and than a proxy's idle timeout (60 s in
# nginx), so the server never closes a connection just as the client reuses it (gunicorn's
# 2 s default made about one autosave in 300 fail at a person's pace).
keepalive = env_int("WEB_KEEPALIVE_SECONDS", 65, minimum=1)
accesslog = "-" if env_str("WEB_ACCESS_LOG", "1") != "0" else None
