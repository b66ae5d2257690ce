"""Single sign-on settings are read strictly: a half configuration stops the start-up with
a sentence naming what is missing, never a server that cannot sign anyone in."""

from __future__ import annotations

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SSO = {"OIDC_ISSUER": "https://id.example.org", "OIDC_CLIENT_ID": "wb", "OIDC_CLIENT_SECRET": "s"}


def _start(env: dict[str, str]) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("OIDC_")}
    environment.pop("PASSWORD_LOGIN", None)
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.AUTHENTICATION_BACKENDS, settings.PASSWORD_LOGIN)"
    )
    return subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120,
        env={**environment, "DJANGO_SETTINGS_MODULE": "workbench.settings", **env},
    )  # fmt: skip


def test_half_a_single_sign_on_configuration_stops_the_start():
    """Without a client secret, with scopes lacking `openid`, with password login off and
    no provider, or a junk PASSWORD_LOGIN: ImproperlyConfigured naming the setting. A full
    configuration adds the provider's backend beside the password one."""
    cases = {
        "secret": ({**SSO, "OIDC_CLIENT_SECRET": ""}, "set OIDC_CLIENT_ID and OIDC_CLIENT_SECRET"),
        "scopes": ({**SSO, "OIDC_SCOPES": "email profile"}, "must include openid"),
        "nobody": ({"PASSWORD_LOGIN": "false"}, "PASSWORD_LOGIN=false needs single sign-on"),
        "junk": ({**SSO, "PASSWORD_LOGIN": "nope"}, "is not a boolean"),
        "full": ({**SSO, "PASSWORD_LOGIN": "false"}, None),
    }
    with ThreadPoolExecutor(len(cases)) as pool:
        results = dict(zip(cases, pool.map(_start, [e for e, _ in cases.values()]), strict=True))
    for name, (_env, message) in cases.items():
        result = results[name]
        if message is None:
            assert result.returncode == 0, result.stderr[-2000:]
            assert "annotations.sso.SsoBackend" in result.stdout and "False" in result.stdout
        else:
            assert result.returncode != 0, (name, result.stdout)
            assert "ImproperlyConfigured" in result.stderr and message in result.stderr, (
                name,
                result.stderr[-1500:],
            )
