"""Single sign-on with an OpenID Connect provider (DECISIONS.md 58), on mozilla-django-oidc.

The library does the authorization code flow (state, nonce, PKCE, the token request, the
ID token's signature against the provider's keys, the userinfo request). This module adds
what it leaves to the site:

- the provider's endpoints from its discovery document (`OIDC_ISSUER`), looked up when a
  sign-in first needs them, never while loading a signed-in user for a request, so an
  unreachable provider stops new sign-ins only;
- the ID token's issuer and audience (the library checks neither);
- accounts matched by the provider's `sub` (stable where an email or a name may change),
  made on first sign-in from the claims (`services.sso.sso_sign_in`);
- the end of the provider's session at logout (RP-initiated logout).
"""

from __future__ import annotations

import logging
import threading
from typing import Any
from urllib.parse import urlencode, urlsplit

import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import View
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

from annotations.language import PreferencesBackend
from annotations.services.sso import SsoRefused, sso_sign_in

log = logging.getLogger(__name__)

BACKEND = "annotations.sso.SsoBackend"
PASSWORD_BACKEND = "annotations.language.PreferencesBackend"
# Where the login page finds why the last sign-in failed.
FAILURE_KEY = "sso_failure"
ENDPOINTS = (
    "authorization_endpoint",
    "token_endpoint",
    "userinfo_endpoint",
    "jwks_uri",
    "end_session_endpoint",
)


class ProviderUnreachable(Exception):
    """The discovery document could not be read (or names another issuer)."""


_discovered: dict[str, dict[str, Any]] = {}
_discovery_lock = threading.Lock()


def _discovery(issuer: str) -> dict[str, Any]:
    """The provider's `/.well-known/openid-configuration`, read once per process."""
    with _discovery_lock:
        if issuer in _discovered:
            return _discovered[issuer]
        url = f"{issuer}/.well-known/openid-configuration"
        try:
            response = requests.get(url, timeout=settings.OIDC_TIMEOUT)
            response.raise_for_status()
            document = response.json()
        except (requests.RequestException, ValueError) as exc:
            raise ProviderUnreachable(f"{url}: {exc}") from exc
        if not isinstance(document, dict) or document.get("issuer") != issuer:
            got = document.get("issuer") if isinstance(document, dict) else None
            raise ProviderUnreachable(f"{url} names the issuer {got!r}, not {issuer!r}")
        _discovered[issuer] = document
        return document


def provider_endpoints() -> dict[str, str]:
    """Each endpoint: as configured (`OIDC_TOKEN_ENDPOINT`, …), else from discovery."""
    configured = settings.OIDC_ENDPOINTS
    if all(configured.get(name) for name in ENDPOINTS):
        return {name: configured[name] for name in ENDPOINTS}
    document = _discovery(settings.OIDC_ISSUER)
    return {name: configured.get(name) or str(document.get(name) or "") for name in ENDPOINTS}


def sso_enabled() -> bool:
    return bool(settings.OIDC_ISSUER)


def password_login_off() -> str:
    """What a password sign-in is told when PASSWORD_LOGIN is off."""
    return _("Signing in with a password is turned off here: sign in with %(provider)s.") % {
        "provider": settings.OIDC_PROVIDER_NAME
    }


class SsoBackend(OIDCAuthenticationBackend):
    """Signs in through the provider; loads a signed-in user as the password backend does."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # The library reads every endpoint here; Django makes a backend to load the user of
        # every request, so they are properties below, read only during a sign-in.
        self.UserModel = get_user_model()

    OIDC_RP_IDP_SIGN_KEY = None

    @property
    def OIDC_RP_CLIENT_ID(self) -> str:
        return settings.OIDC_RP_CLIENT_ID

    @property
    def OIDC_RP_CLIENT_SECRET(self) -> str:
        return settings.OIDC_RP_CLIENT_SECRET

    @property
    def OIDC_RP_SIGN_ALGO(self) -> str:
        return settings.OIDC_RP_SIGN_ALGO

    @property
    def OIDC_OP_TOKEN_ENDPOINT(self) -> str:
        return provider_endpoints()["token_endpoint"]

    @property
    def OIDC_OP_USER_ENDPOINT(self) -> str:
        return provider_endpoints()["userinfo_endpoint"]

    @property
    def OIDC_OP_JWKS_ENDPOINT(self) -> str:
        return provider_endpoints()["jwks_uri"]

    def authenticate(self, request: Any, **kwargs: Any) -> Any:
        # Only the callback view (which passes the nonce) signs in here: a password form
        # posted to a URL with ?code=…&state=… must not start a token request.
        if request is None or "nonce" not in kwargs or not sso_enabled():
            return None
        return super().authenticate(request, **kwargs)

    def verify_token(self, token: str, **kwargs: Any) -> dict[str, Any]:
        """The library checks the signature, expiry and nonce; this adds who issued the
        token and for whom (OpenID Connect Core 3.1.3.7, steps 2 and 3)."""
        payload = super().verify_token(token, **kwargs)
        if payload.get("iss") != settings.OIDC_ISSUER:
            raise SuspiciousOperation(f"ID token issued by {payload.get('iss')!r}")
        audience = payload.get("aud")
        audiences = [audience] if isinstance(audience, str) else list(audience or [])
        if settings.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation(f"ID token for {audiences!r}, not this client")
        return payload

    def get_or_create_user(self, access_token: str, id_token: str, payload: dict) -> Any:
        claims = self.get_userinfo(access_token, id_token, payload)
        if claims.get("sub") != payload.get("sub"):  # Core 5.3.2: must be the same account
            raise SuspiciousOperation("userinfo answered for another subject")
        try:
            return sso_sign_in(issuer=settings.OIDC_ISSUER, claims={**payload, **claims})
        except SsoRefused as refused:
            log.warning("single sign-on refused for sub %r: %s", payload.get("sub"), refused)
            self.request.session[FAILURE_KEY] = refused.detail
            return None

    def get_user(self, user_id: Any) -> Any:
        return PreferencesBackend.get_user(self, user_id)  # type: ignore[arg-type]


def _unreachable(request: HttpRequest) -> HttpResponse:
    """Back to the login page, which says the provider cannot be reached."""
    log.warning("single sign-on: the provider is unreachable", exc_info=True)
    message = _("The sign-in service cannot be reached. Try again in a minute.")
    request.session[FAILURE_KEY] = message
    return HttpResponseRedirect(reverse("ui-login") + "?sso=failed")


class SsoStart(OIDCAuthenticationRequestView):
    """The login page's button: off to the provider with state, nonce and PKCE."""

    def __init__(self, **kwargs: Any) -> None:
        View.__init__(self, **kwargs)  # the endpoint is looked up in get(), not here

    def get(self, request: HttpRequest) -> HttpResponse:
        if not sso_enabled():
            raise Http404
        try:
            self.OIDC_OP_AUTH_ENDPOINT = provider_endpoints()["authorization_endpoint"]
        except ProviderUnreachable:
            return _unreachable(request)
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        return super().get(request)


class SsoCallback(OIDCAuthenticationCallbackView):
    """The provider sends the browser back here with a code; failures land on the login
    page, which says why."""

    @property
    def failure_url(self) -> str:
        return reverse("ui-login") + "?sso=failed"

    def get(self, request: HttpRequest) -> HttpResponse:
        if not sso_enabled():
            raise Http404
        try:
            return super().get(request)
        except (requests.RequestException, ProviderUnreachable):
            return _unreachable(request)


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def allow_provider_logout(response: HttpResponse) -> HttpResponse:
    """A page with the logout form: its Content-Security-Policy lets the form's redirect
    reach the provider's end-session page (`form-action` covers where a submission is
    redirected). Its origin is the issuer's, the configured endpoint's, or the one this
    process discovered: a page never waits on the provider."""
    if not sso_enabled():
        return response
    discovered = _discovered.get(settings.OIDC_ISSUER, {}).get("end_session_endpoint")
    urls = [settings.OIDC_ISSUER, settings.OIDC_ENDPOINTS.get("end_session_endpoint"), discovered]
    # django-csp's per-response addition (what its csp_update decorator sets).
    response._csp_update = {"form-action": sorted({_origin(u) for u in urls if u})}  # type: ignore[attr-defined]
    return response


def provider_logout_url(request: HttpRequest) -> str | None:
    """Where logout sends the browser to end the provider's session too (its
    `end_session_endpoint`, with the ID token as the hint and our login page to come back
    to), or None: not signed in by the provider, or it has no such endpoint."""
    id_token = request.session.get("oidc_id_token")
    if not sso_enabled() or not id_token:
        return None
    try:
        endpoint = provider_endpoints()["end_session_endpoint"]
    except ProviderUnreachable:
        log.warning("single sign-on: no provider logout (unreachable)", exc_info=True)
        return None
    if not endpoint:
        return None
    query = urlencode(
        {
            "id_token_hint": id_token,
            "post_logout_redirect_uri": request.build_absolute_uri(reverse("ui-login")),
            "client_id": settings.OIDC_RP_CLIENT_ID,
        }
    )
    return f"{endpoint}{'&' if '?' in endpoint else '?'}{query}"
