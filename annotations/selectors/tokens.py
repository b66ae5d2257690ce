"""Reads of API tokens."""

from __future__ import annotations

import hashlib

from django.contrib.auth.models import User
from django.db.models import QuerySet

from annotations.models import ApiToken


def key_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def password_tag(user: User) -> str:
    """Changes whenever the password does (its hash has a fresh salt each time)."""
    return hashlib.sha256(f"api-token:{user.password}".encode()).hexdigest()


def token_for_key(key: str) -> ApiToken | None:
    """The live token with this key, with its user and their preferences (one query); None
    if there is none, its user is inactive or changed their password since it was made."""
    token = (
        ApiToken.objects.select_related("user__preferences").filter(digest=key_digest(key)).first()
    )
    if token is None or not token.user.is_active or token.password_tag != password_tag(token.user):
        return None
    return token


def tokens_of(user: User) -> QuerySet[ApiToken]:
    """The user's live tokens, newest first."""
    return ApiToken.objects.filter(user=user, password_tag=password_tag(user)).order_by(
        "-created_at", "-id"
    )
