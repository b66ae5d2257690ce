"""API tokens and the password: make, revoke, change (which revokes)."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from annotations.errors import Invalid
from annotations.models import ApiToken
from annotations.selectors.tokens import key_digest, password_tag

# How stale `last_used_at` may get: a token used all day is written at most this often.
TOUCH_EVERY = timedelta(minutes=5)


@transaction.atomic
def token_create(*, user: User, name: str = "") -> tuple[ApiToken, str]:
    """A new token and its key (the only time the key is known). Past `USER_MAX_TOKENS` the
    least recently used of the user's tokens go."""
    key = secrets.token_hex(20)
    token = ApiToken.objects.create(
        user=user,
        digest=key_digest(key),
        prefix=key[:8],
        name=name,
        password_tag=password_tag(user),
    )
    keep = ApiToken.objects.filter(user=user).order_by(
        Coalesce("last_used_at", "created_at").desc(), "-id"
    )
    extra = list(keep.values_list("pk", flat=True)[settings.USER_MAX_TOKENS :])
    if extra:
        ApiToken.objects.filter(pk__in=extra).delete()
    return token, key


def token_revoke(*, token: ApiToken) -> None:
    token.delete()


def token_touch(*, token: ApiToken) -> None:
    """Note that the token was used (at most every TOUCH_EVERY: reads stay reads)."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= TOUCH_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now


@transaction.atomic
def password_change(*, user: User, old_password: str, new_password: str) -> None:
    """Check the current password, validate the new one, save it and revoke every token.
    Sessions made before end by themselves (Django checks each against the password hash);
    the caller keeps its own with `update_session_auth_hash`."""
    if not user.check_password(old_password):
        raise Invalid({"old_password": [_("This is not your current password.")]})
    try:
        validate_password(new_password, user)
    except ValidationError as exc:
        raise Invalid({"new_password": list(exc.messages)}) from None
    user.set_password(new_password)
    user.save(update_fields=["password"])
    ApiToken.objects.filter(user=user).delete()
