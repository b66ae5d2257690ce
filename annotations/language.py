"""The language a request is answered in: the user's saved choice, else the browser's.

Django's `LocaleMiddleware` picks the browser's language (the switcher's cookie, then
`Accept-Language`, then `LANGUAGE_CODE`); once the user is known, a saved choice
(`UserPreferences.language`) wins. Session users are known in `UserLanguageMiddleware`,
token users when DRF authenticates them. Both load the preferences in the same query as the
user, so the language costs no query of its own.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import trans_real
from rest_framework import authentication, exceptions

from annotations.models import UserPreferences

SUPPORTED = tuple(code for code, _ in settings.LANGUAGES)


def saved_language(user: Any) -> str:
    """The user's saved interface language, or "" (follow the browser)."""
    if not getattr(user, "is_authenticated", False):
        return ""
    try:
        preferences = user.preferences
    except UserPreferences.DoesNotExist:
        return ""
    return preferences.language if preferences.language in SUPPORTED else ""


def browser_language(request: HttpRequest) -> str:
    """The first language of Accept-Language we speak, else `LANGUAGE_CODE`."""
    header = request.META.get("HTTP_ACCEPT_LANGUAGE", "")
    for tag, _quality in trans_real.parse_accept_lang_header(header):
        if tag == "*":
            break
        try:
            return translation.get_supported_language_variant(tag)
        except LookupError:
            continue
    return settings.LANGUAGE_CODE


def activate_for(request: HttpRequest, user: Any) -> None:
    """Answer this request in the user's saved language, if they saved one."""
    language = saved_language(user)
    if language:
        translation.activate(language)
        request.LANGUAGE_CODE = language  # type: ignore[attr-defined]


class UserLanguageMiddleware:
    """After `AuthenticationMiddleware`: a logged-in user's saved language wins."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.COOKIES.get(settings.SESSION_COOKIE_NAME):
            activate_for(request, request.user)
        return self.get_response(request)


class PreferencesBackend(ModelBackend):
    """The model backend, loading the user's preferences with the user; it checks no
    password when PASSWORD_LOGIN is off (single sign-on only, annotations/sso.py)."""

    def authenticate(
        self, request: Any, username: Any = None, password: Any = None, **kw: Any
    ) -> Any:
        if not settings.PASSWORD_LOGIN:
            return None
        return super().authenticate(request, username=username, password=password, **kw)

    def get_user(self, user_id: Any) -> Any:
        users = get_user_model()._default_manager.select_related("preferences")
        try:
            user = users.get(pk=user_id)
        except get_user_model().DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None


class TokenAuthentication(authentication.TokenAuthentication):
    """API tokens (`ApiToken`: kept as digests, ended by a password change), answering in
    the token user's saved language."""

    def authenticate(self, request: Any) -> tuple[Any, Any] | None:
        result = super().authenticate(request)
        if result is not None:
            activate_for(request._request, result[0])
        return result

    def authenticate_credentials(self, key: str) -> tuple[Any, Any]:
        from annotations.selectors.tokens import token_for_key
        from annotations.services.tokens import token_touch

        token = token_for_key(key)
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        token_touch(token=token)
        return token.user, token
