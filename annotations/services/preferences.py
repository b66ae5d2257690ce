"""Writes to a user's own preferences."""

from __future__ import annotations

from django.contrib.auth.models import User

from annotations.models import UserPreferences


def preferences_update(*, user: User, language: str) -> UserPreferences:
    """Save the user's interface language ("" follows the browser again)."""
    preferences, _ = UserPreferences.objects.update_or_create(
        user=user, defaults={"language": language}
    )
    return preferences
