"""People an admin may look up, and invitation links.

An admin adding a member types a few letters; the suggestions come only from accounts the
admin can already know of (people who share a project with them, accounts they created),
plus an exact username or email match, so no one can list the server's accounts by typing
letters. Superusers see everyone.
"""

from __future__ import annotations

import hashlib

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from annotations.models import AccountOrigin, Invitation, Membership, Project

SUGGESTIONS = 10


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def users_for_admin(*, viewer: User, project: Project, q: str) -> QuerySet:
    """Up to ten accounts matching `q` (in the username, or the start of the email) that
    `viewer` may see, each with its role in `project` (None: not a member). One query."""
    q = q.strip()
    users = get_user_model().objects.filter(is_active=True)
    if not viewer.is_superuser:
        shared = Membership.objects.filter(
            project__in=Membership.objects.filter(user=viewer).values("project")
        ).values("user")
        made = AccountOrigin.objects.filter(created_by=viewer).values("user")
        exact = Q(username__iexact=q) | Q(email__iexact=q)
        users = users.filter(Q(pk__in=shared) | Q(pk__in=made) | exact)
    role = Membership.objects.filter(project=project, user=OuterRef("pk")).values("role")[:1]
    return (
        users.filter(Q(username__icontains=q) | Q(email__istartswith=q))
        .annotate(role=Subquery(role))
        .order_by("username")
        .values("id", "username", "role")[:SUGGESTIONS]
    )


def invitation_open(token: str) -> Invitation | None:
    """The invitation behind a link, if it can still be used."""
    return (
        Invitation.objects.select_related("user", "project")
        .filter(token_hash=token_hash(token), used_at__isnull=True, expires_at__gt=timezone.now())
        .first()
    )


def pending_invitations(project: Project) -> dict[int, object]:
    """Members of `project` who have not set a password yet: user id → the newest open
    invitation's expiry (None if it has lapsed). One query."""
    newest = (
        Invitation.objects.filter(user=OuterRef("user"), used_at__isnull=True)
        .order_by("-expires_at")
        .values("expires_at")[:1]
    )
    rows = (
        Membership.objects.filter(project=project, user__password__startswith="!")
        .annotate(expires_at=Subquery(newest))
        .values_list("user_id", "expires_at")
    )
    now = timezone.now()
    return {user: (at if at and at > now else None) for user, at in rows}
