"""Single sign-on end to end: Chromium, our live server and a real OpenID provider (the
`oidc-provider` npm package in tests/oidc_provider/, run with node on a free port). Nothing
is mocked: discovery, the authorization request, the provider's sign-in form, the code for
token exchange, the ID token's signature against the provider's keys, userinfo and the
provider's end-session page are all the real thing, over HTTP."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import time
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

from annotations.models import Membership, SsoIdentity
from annotations.sso import BACKEND, ENDPOINTS, PASSWORD_BACKEND
from tests.components import free_port
from tests.e2e.conftest import PASSWORD
from tests.e2e.pages import check_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PROVIDER_DIR = Path(__file__).resolve().parents[1] / "oidc_provider"
CLIENT_ID = "workbench-test"
CLIENT_SECRET = "a-test-secret-known-to-both-sides"
NADIA_PASSWORD = "nadia-at-the-provider"


def _install_provider() -> None:
    """`make test` installs it (npm ci); a bare `pytest` on a fresh clone does it here."""
    if (PROVIDER_DIR / "node_modules" / "oidc-provider").is_dir():
        return
    npm = shutil.which("npm")
    if not npm:
        pytest.skip("npm is not installed: cannot install the test OpenID provider")
    subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=PROVIDER_DIR, check=True)


@dataclass
class Provider:
    issuer: str
    accounts_file: Path
    log: Path

    def set_account(self, login: str, **claims: object) -> None:
        accounts = json.loads(self.accounts_file.read_text())
        accounts[login] = {"password": NADIA_PASSWORD, "claims": claims}
        self.accounts_file.write_text(json.dumps(accounts))


def _nadia(groups: list[str]) -> dict:
    return {
        "preferred_username": "nadia",
        "email": "nadia@newsroom.example",
        "email_verified": True,
        "name": "Nadia Putri",
        "given_name": "Nadia",
        "family_name": "Putri",
        "groups": groups,
    }


@pytest.fixture
def provider(live_server, settings, tmp_path):
    _install_provider()
    node = shutil.which("node")
    if not node:
        pytest.skip("node is not installed: cannot run the test OpenID provider")
    port = free_port()
    accounts = tmp_path / "accounts.json"
    accounts.write_text("{}")
    config = tmp_path / "provider.json"
    config.write_text(
        json.dumps(
            {
                "port": port,
                "accounts": str(accounts),
                "client": {
                    "client_id": CLIENT_ID,
                    "client_secret": CLIENT_SECRET,
                    "redirect_uris": [f"{live_server.url}/sso/callback/"],
                    "post_logout_redirect_uris": [f"{live_server.url}/login/"],
                },
            }
        )
    )
    log = tmp_path / "provider.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [node, "server.mjs", str(config)], cwd=PROVIDER_DIR, stdout=out,
            stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        while b"ready " not in log.read_bytes():
            if process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"the provider did not start\n{log.read_text()}")
            time.sleep(0.1)
        issuer = f"http://127.0.0.1:{port}"
        settings.OIDC_ISSUER = issuer
        settings.OIDC_ENDPOINTS = dict.fromkeys(ENDPOINTS, "")  # all from discovery
        settings.OIDC_RP_CLIENT_ID = CLIENT_ID
        settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
        settings.OIDC_RP_SCOPES = "openid email profile groups"
        settings.OIDC_PROVIDER_NAME = "Newsroom ID"
        settings.OIDC_GROUPS_CLAIM = "groups"
        settings.AUTHENTICATION_BACKENDS = [PASSWORD_BACKEND, BACKEND]
        yield Provider(issuer, accounts, log)
    finally:
        with suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)


def _sign_in_at_provider(page, provider: Provider, password: str = NADIA_PASSWORD) -> None:
    page.wait_for_url(f"{provider.issuer}/interaction/**")
    page.locator("#login").fill("nadia")
    page.locator("#password").fill(password)
    page.locator("#submit").click()


def _sso_login(page, live_server, provider: Provider) -> None:
    page.goto(f"{live_server.url}/login/")
    page.get_by_role("link", name="Sign in with Newsroom ID").click()
    _sign_in_at_provider(page, provider)
    page.wait_for_url(f"{live_server.url}/")


def test_first_sign_in_makes_the_account_from_the_claims_and_the_groups_give_roles(
    cast, live_server, page, provider
):
    """The login page offers the provider; the first sign-in makes `nadia` with her email
    and name, linked to her `sub`, reviewer in the project her group names (the other
    group is another app's and the unknown project is skipped); the app opens on it. At the
    next sign-in her groups changed: the role follows, a project no longer named is taken
    back, a membership an admin gave in the app stays."""
    provider.set_account(
        "nadia",
        **_nadia(
            [f"workbench:{cast.project.pk}:reviewer", "wiki-editors", "workbench:999999:admin"]
        ),
    )
    _sso_login(page, live_server, provider)
    page.get_by_role("link", name="Tribun").wait_for()
    nadia = get_user_model().objects.get(username="nadia")
    assert (nadia.email, nadia.first_name, nadia.last_name) == (
        "nadia@newsroom.example", "Nadia", "Putri",
    )  # fmt: skip
    assert not nadia.has_usable_password()
    identity = SsoIdentity.objects.get(user=nadia)
    assert (identity.issuer, identity.subject) == (provider.issuer, "nadia")
    roles = dict(Membership.objects.filter(user=nadia).values_list("project__name", "role"))
    assert roles == {"Tribun": "reviewer"}
    check_page(page, "sso-signed-in")

    # An admin adds her to another project in the app; her groups change at the provider.
    Membership.objects.create(user=nadia, project=cast.other_project, role="annotator")
    provider.set_account(
        "nadia", **{**_nadia([f"workbench:{cast.project.pk}:admin"]), "family_name": "P."}
    )
    page.context.clear_cookies()
    _sso_login(page, live_server, provider)
    roles = dict(Membership.objects.filter(user=nadia).values_list("project__name", "role"))
    assert roles == {"Tribun": "admin", "Elsewhere": "annotator"}
    nadia.refresh_from_db()
    assert (
        nadia.last_name == "P." and get_user_model().objects.filter(username="nadia").count() == 1
    )

    provider.set_account("nadia", **_nadia([]))
    page.context.clear_cookies()
    _sso_login(page, live_server, provider)
    roles = dict(Membership.objects.filter(user=nadia).values_list("project__name", "role"))
    assert roles == {"Elsewhere": "annotator"}


def test_logout_ends_the_provider_session(cast, live_server, page, provider):
    """Logging out goes through the provider's end-session page and back to our login
    page; signing in again then asks the provider for the password again."""
    provider.set_account("nadia", **_nadia([f"workbench:{cast.project.pk}:annotator"]))
    _sso_login(page, live_server, provider)
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url(f"{provider.issuer}/session/end**")
    page.get_by_role("button", name="Yes, sign me out").click()
    page.wait_for_url(f"{live_server.url}/login/**")
    assert APIClient().get("/api/me/").status_code in (401, 403)
    # Our session is gone, and so is the provider's: its sign-in form comes again.
    page.get_by_role("link", name="Sign in with Newsroom ID").click()
    _sign_in_at_provider(page, provider)
    page.wait_for_url(f"{live_server.url}/")


def test_with_password_login_off_only_the_provider_signs_in(
    cast, live_server, page, provider, settings
):
    """PASSWORD_LOGIN=false: the login page shows only the provider's button (in English
    and Indonesian); the password form and the token endpoint refuse a right password;
    the admin's login sends to the provider's button."""
    settings.PASSWORD_LOGIN = False
    page.goto(f"{live_server.url}/login/")
    page.get_by_role("link", name="Sign in with Newsroom ID").wait_for()
    assert page.locator("#id_password").count() == 0
    check_page(page, "sso-only-login")
    page.context.add_cookies([{"name": "django_language", "value": "id", "url": live_server.url}])
    page.goto(f"{live_server.url}/login/")
    page.get_by_role("link", name="Masuk dengan Newsroom ID").wait_for()

    api = APIClient()
    refused = api.post(
        "/api/auth/token/", {"username": "alice", "password": PASSWORD}, format="json"
    )
    assert refused.status_code == 403, refused.content
    assert refused.json()["code"] == "permission_denied"
    assert "Newsroom ID" in refused.json()["detail"]
    form = api.post("/login/", {"username": "alice", "password": PASSWORD})
    assert form.status_code == 403 and "_auth_user_id" not in api.session
    signed_in = APIClient()
    signed_in.force_authenticate(cast.annotator)
    change = {"old_password": PASSWORD, "new_password": "another-long-one"}
    assert signed_in.post("/api/me/password/", change, format="json").status_code == 403
    admin = api.get("/admin/login/?next=/admin/")
    assert admin.status_code == 302 and admin["Location"].startswith("/login/")

    provider.set_account("nadia", **_nadia([f"workbench:{cast.project.pk}:annotator"]))
    page.get_by_role("link", name="Masuk dengan Newsroom ID").click()
    _sign_in_at_provider(page, provider)
    page.wait_for_url(f"{live_server.url}/")


def test_a_provider_account_that_cannot_be_matched_is_refused_saying_why(
    cast, live_server, page, provider
):
    """`alice` exists here with another email: someone the provider calls `alice` is not
    let into her account; the login page says so and no account or link is made. With the
    same verified email the accounts are linked (her password keeps working)."""
    cast.annotator.email = "alice@newsroom.example"
    cast.annotator.save()
    claims = {**_nadia([]), "preferred_username": "alice", "email": "alice@elsewhere.example"}
    provider.set_account("nadia", **claims)
    page.goto(f"{live_server.url}/login/")
    page.get_by_role("link", name="Sign in with Newsroom ID").click()
    _sign_in_at_provider(page, provider)
    page.wait_for_url(f"{live_server.url}/login/?sso=failed")
    page.get_by_text("An account called “alice” already exists here").wait_for()
    assert not SsoIdentity.objects.exists()
    assert get_user_model().objects.filter(username__iexact="alice").count() == 1

    provider.set_account("nadia", **{**claims, "email": "Alice@newsroom.example"})
    page.get_by_role("link", name="Sign in with Newsroom ID").click()
    page.wait_for_url(f"{live_server.url}/")  # the provider's session is still open
    identity = SsoIdentity.objects.get()
    assert identity.user == cast.annotator and identity.subject == "nadia"
    token = APIClient().post(
        "/api/auth/token/", {"username": "alice", "password": PASSWORD}, format="json"
    )
    assert token.status_code == 200
