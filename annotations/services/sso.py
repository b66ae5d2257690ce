"""Single sign-on accounts: the provider's claims become one of our users, and its groups
claim (`OIDC_GROUPS_CLAIM`) their project roles (DECISIONS.md 58).

Groups that give a role read `<prefix>:<project id>:<role>` (`workbench:12:reviewer`;
the prefix is `OIDC_GROUPS_PREFIX`); any other group is someone else's and is ignored.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from annotations.models import Membership, Project, Role, SsoIdentity

log = logging.getLogger(__name__)

# A group naming two roles in one project gives the stronger.
_STRENGTH: dict[str, int] = {Role.ANNOTATOR: 1, Role.REVIEWER: 2, Role.ADMIN: 3}


class SsoRefused(Exception):
    """The provider vouched for someone we cannot sign in; `detail` says why, for them."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


def _text(claims: Mapping[str, Any], name: str, limit: int) -> str:
    value = claims.get(name)
    return value.strip()[:limit] if isinstance(value, str) else ""


def roles_from_groups(groups: Any, prefix: str) -> dict[int, str]:
    """`{project id: role}` from a groups claim (a list of strings, or one string)."""
    if isinstance(groups, str):
        groups = [groups]
    if not isinstance(groups, list):
        return {}
    pattern = re.compile(rf"{re.escape(prefix)}:([1-9][0-9]{{0,17}}):({'|'.join(Role.values)})")
    roles: dict[int, str] = {}
    for group in groups:
        match = pattern.fullmatch(group) if isinstance(group, str) else None
        if match is None:
            continue
        project, role = int(match[1]), match[2]
        current = roles.get(project)
        if current is None or _STRENGTH[role] > _STRENGTH[current]:
            roles[project] = role
    return roles


@transaction.atomic
def sso_sign_in(*, issuer: str, claims: Mapping[str, Any]) -> User:
    """The account for these claims: the one linked to (issuer, sub), else a new one named
    by the username claim (or an existing account of that name and the same verified
    email, linked now); its email and name follow the claims; project roles follow the
    groups claim when one is configured and present."""
    subject = _text(claims, "sub", 255)
    if not subject:
        raise SsoRefused(_("The sign-in service did not say who you are."))
    identity = (
        SsoIdentity.objects.select_for_update()
        .select_related("user")
        .filter(issuer=issuer, subject=subject)
        .first()
    )
    if identity is None:
        identity = SsoIdentity.objects.create(
            user=_account_for(claims), issuer=issuer, subject=subject
        )
    user = identity.user
    _update_profile(user, claims)
    if settings.OIDC_GROUPS_CLAIM and settings.OIDC_GROUPS_CLAIM in claims:
        _sync_roles(identity, claims[settings.OIDC_GROUPS_CLAIM])
    identity.last_login_at = timezone.now()
    identity.save(update_fields=["granted_roles", "last_login_at"])
    return user


def _account_for(claims: Mapping[str, Any]) -> User:
    users = get_user_model().objects
    username = _text(claims, settings.OIDC_USERNAME_CLAIM, 151)
    try:
        UnicodeUsernameValidator()(username)
        if not username or len(username) > 150:
            raise ValidationError("length")
    except ValidationError:
        raise SsoRefused(
            _("The sign-in service gave no usable username (claim “%(claim)s”).")
            % {"claim": settings.OIDC_USERNAME_CLAIM}
        ) from None
    existing = users.select_for_update().filter(username__iexact=username).first()
    if existing is None:
        user = users.create_user(username=username, email=_text(claims, "email", 254))
        user.set_unusable_password()
        user.save(update_fields=["password"])
        return user
    email = _text(claims, "email", 254)
    linkable = (
        claims.get("email_verified") is True
        and email
        and existing.email.casefold() == email.casefold()
        and not SsoIdentity.objects.filter(user=existing).exists()
    )
    if not linkable:
        raise SsoRefused(
            _(
                "An account called “%(name)s” already exists here and could not be matched "
                "to yours (its email differs or is not verified): ask an administrator."
            )
            % {"name": username}
        )
    return existing


def _update_profile(user: User, claims: Mapping[str, Any]) -> None:
    given = _text(claims, "given_name", 150)
    family = _text(claims, "family_name", 150)
    if not given and not family:
        given = _text(claims, "name", 150)
    changed = {}
    email = _text(claims, "email", 254)
    for field, value in (("email", email), ("first_name", given), ("last_name", family)):
        if value and getattr(user, field) != value:
            setattr(user, field, value)
            changed[field] = value
    if changed:
        user.save(update_fields=list(changed))


def _sync_roles(identity: SsoIdentity, groups: Any) -> None:
    """Roles the claim names are given (or changed to); roles it gave at an earlier sign-in
    and names no more are taken back, unless someone changed that membership in the app
    since. Memberships the claim never gave are left alone."""
    wanted = roles_from_groups(groups, settings.OIDC_GROUPS_PREFIX)
    existing = {p.pk for p in Project.objects.filter(pk__in=wanted)}
    for missing in sorted(set(wanted) - existing):
        log.warning("single sign-on: group names project %s, which does not exist", missing)
        del wanted[missing]
    user = identity.user
    memberships = {
        m.project_id: m
        for m in Membership.objects.select_for_update().filter(
            user=user, project_id__in=set(wanted) | {int(p) for p in identity.granted_roles}
        )
    }
    for project_id, role in wanted.items():
        membership = memberships.get(project_id)
        if membership is None:
            Membership.objects.create(user=user, project_id=project_id, role=role)
        elif membership.role != role:
            membership.role = role
            membership.save(update_fields=["role"])
    for key, granted in identity.granted_roles.items():
        membership = memberships.get(int(key))
        if int(key) not in wanted and membership is not None and membership.role == granted:
            membership.delete()
    identity.granted_roles = {str(project): role for project, role in sorted(wanted.items())}
