"""Security headers: every page carries the Content-Security-Policy and holds no inline
script or style; the production settings pass `check --deploy`; errors tell nothing about
which ids exist."""

import os
import re
import subprocess
import sys
from pathlib import Path

from django.test import Client

from tests.conftest import api

REPO = Path(__file__).resolve().parents[1]
POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
INLINE_STYLE = re.compile(r"<style\b|\sstyle=", re.I)


def html_pages(world) -> list[str]:
    """Every page a browser is sent (the SPA's routes all answer its shell)."""
    p, d = world["project"], world["document"]
    return [
        "/",
        "/account/",
        f"/projects/{p}/",
        f"/projects/{p}/documents/{d}/",
        f"/projects/{p}/documents/{d}/review/",
        f"/projects/{p}/agreement/",
        f"/projects/{p}/exports/",
        f"/projects/{p}/settings/",
        f"/projects/{p}/dashboard/",
        "/logout/",
        "/no/such/page/",
        "/api/docs/",
        "/admin/",
        "/admin/annotations/project/",
        f"/admin/annotations/project/{p}/change/",
        f"/admin/annotations/document/{d}/change/",
        "/admin/annotations/label/add/",
    ]


def policy(response) -> dict[str, str]:
    """The Content-Security-Policy header as {directive: sources}."""
    parts = (part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";"))
    return {name: sources for name, sources in parts}


def _assert_policed(response, where: str) -> None:
    assert policy(response) == POLICY, where
    html = response.content.decode()
    assert not INLINE_SCRIPT.search(html), f"{where}: inline script"
    assert not INLINE_STYLE.search(html), f"{where}: inline style"


def test_every_page_has_the_policy_and_no_inline_script_or_style(cast, world):
    """Logged in as a superuser (so the admin opens too), and logged out (the login pages,
    the error pages): each page has the header and not one inline script or style."""
    cast.admin.is_staff = cast.admin.is_superuser = True
    cast.admin.save()
    client = Client()
    client.force_login(cast.admin)
    for path in html_pages(world):
        response = client.get(path)
        assert response.status_code in (200, 404), (path, response.status_code)
        assert response["Content-Type"].startswith("text/html"), path
        _assert_policed(response, path)
    anonymous = Client()
    for path in ("/login/", "/admin/login/", "/no/such/page/"):
        _assert_policed(anonymous.get(path), path)
    for _ in range(31):  # past the address's rate: the 429 page
        response = anonymous.post("/login/", {"username": "x", "password": "y"})
    assert response.status_code == 429
    _assert_policed(response, "429")


def test_api_answers_carry_the_policy_too(cast, world):
    """JSON answers and the docs' start-up script carry the same header."""
    client = cast.client("admin")
    assert policy(client.get(api(world["project"]))) == POLICY
    script = Client().get("/api/docs/?script=")
    assert script["Content-Type"].startswith("application/javascript")
    assert policy(script) == POLICY


PRODUCTION = {
    "DEBUG": "0",
    "DJANGO_SECRET_KEY": "a-long-random-secret-" + "x7Kq" * 12,
    "ALLOWED_HOSTS": "annotate.example.org",
    "SECURE_SSL_REDIRECT": "1",
    "SECURE_COOKIES": "1",
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": "1",
    "SECURE_HSTS_PRELOAD": "1",
    "TRUSTED_PROXIES": "1",
}


def _check_deploy(tmp_path, extra: dict[str, str]) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATA_DIR": str(tmp_path), **extra}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set for the browser tests' event loop
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
    )


def test_check_deploy_is_clean_with_the_production_settings(tmp_path):
    """With secure cookies, HSTS, the SSL redirect and the proxy header set from the
    environment, Django's deployment checklist finds nothing; without them it does."""
    done = _check_deploy(tmp_path, PRODUCTION)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout
    bare = _check_deploy(tmp_path, {"DEBUG": "0"})
    assert bare.returncode != 0
    for warning in ("W004", "W008", "W012", "W016"):
        assert warning in bare.stderr + bare.stdout


def test_production_settings_are_read_strictly(tmp_path):
    """A junk value stops start-up instead of running with a default."""
    done = _check_deploy(tmp_path, {**PRODUCTION, "SECURE_HSTS_SECONDS": "a year"})
    assert done.returncode != 0
    assert "SECURE_HSTS_SECONDS" in done.stderr


def _without_csrf(html: bytes) -> str:
    return re.sub(r'(csrf-token" content|csrfmiddlewaretoken" value)="[^"]*"', "", html.decode())


def test_pages_and_404s_read_the_same_for_a_hidden_and_a_missing_project(cast, world):
    """An outsider's browser gets the same page for a project it may not see as for one
    that does not exist, and the API the same 404 body: ids cannot be probed."""
    client = Client()
    client.force_login(cast.outsider)
    hidden = client.get(f"/projects/{world['project']}/documents/{world['document']}/")
    missing = client.get("/projects/999999/documents/999999/")
    assert hidden.status_code == missing.status_code == 200  # the app's shell, the same
    assert _without_csrf(hidden.content) == _without_csrf(missing.content)
    hidden = client.get(f"/api/projects/{world['project']}/documents/{world['document']}/")
    missing = client.get("/api/projects/999999/documents/999999/")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()
