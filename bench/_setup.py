"""Shared set-up for benchmarks: a database of their own, migrated, and Django ready.

DATABASE_URL names it (default: PostgreSQL database `bench` on localhost, created
if missing). Never point it at data you care about: benchmarks create and delete.
"""

import os
import sys
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/bench"


def _create_postgres_database(url: str) -> None:
    import psycopg

    parts = urlparse(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def setup_django() -> str:
    """Point Django at the benchmark database, migrate it, and return its URL."""
    url = os.environ.setdefault("DATABASE_URL", DEFAULT_URL)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "workbench.settings")
    sys.path.insert(0, str(ROOT))
    if url.startswith("postgres"):
        _create_postgres_database(url)
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    return url


def client_for(username: str):
    """An API client with a token for `username` (created if missing), and the user."""
    from django.contrib.auth import get_user_model
    from rest_framework.test import APIClient

    from annotations.services.tokens import token_create

    user, _ = get_user_model().objects.get_or_create(username=username)
    _token, key = token_create(user=user, name="bench")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client, user


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]
