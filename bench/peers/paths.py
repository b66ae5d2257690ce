"""Where the peers harness keeps things: all it writes is under var/peers/ (git-ignored)."""

from __future__ import annotations

import json
import secrets
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
VAR = ROOT / "var" / "peers"
TEMPLATES = VAR / "templates"
RUNS = VAR / "run"

DOCCANO_VERSION = "1.8.4"
LABEL_STUDIO_VERSION = "1.23.2"

VENVS = {
    "doccano": VAR / "doccano-venv",
    "label-studio": VAR / "label-studio-venv",
}

POSTGRES = "postgres://postgres@127.0.0.1:5432"
# The harness's own Redis database (the brief gives the peers harness db 3).
REDIS_URL = "redis://127.0.0.1:6379/3"
HOST = "127.0.0.1"


def credentials() -> dict[str, str]:
    """The admin password and Label Studio token every harness server uses, made once.

    Kept beside the servers' data rather than in the repository: they only guard
    loopback servers this harness starts, but a password in git is a bad habit.
    """
    path = VAR / "credentials.json"
    if path.exists():
        return json.loads(path.read_text())
    VAR.mkdir(parents=True, exist_ok=True)
    values = {
        "username": "peers-admin",
        "email": "peers-admin@example.org",
        "password": secrets.token_urlsafe(18),
        "label_studio_token": secrets.token_hex(20),
    }
    path.write_text(json.dumps(values, indent=2))
    path.chmod(0o600)
    return values
