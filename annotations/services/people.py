"""Writes about people: adding members by name or email, accounts an admin creates (with a
temporary password or an invitation link), and accepting an invitation.

Secrets are shown once: a temporary password is hashed by Django like any other, and an
invitation keeps only its token's SHA-256 (`Invitation`).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.models import User
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from annotations.errors import NON_FIELD, Invalid
from annotations.models import AccountOrigin, Invitation, Membership, Project
from annotations.selectors.people import invitation_open, token_hash
from annotations.services.projects import membership_update

METHODS = ("password", "invitation")


def user_by_name_or_email(name: str) -> User | None:
    """The account called `name`, else the one account whose email is `name` (any case)."""
    users = get_user_model().objects
    user = users.filter(username=name).first()
    if user is None and "@" in name:
        matches = list(users.filter(email__iexact=name)[:2])
        user = matches[0] if len(matches) == 1 else None
    return user


@transaction.atomic
def member_add(*, project: Project, name: str, role: str) -> Membership:
    """Add the account called `name` (or with that email) to the project, or change the role
    of a member already there (never demoting the last admin)."""
    user = user_by_name_or_email(name.strip())
    if user is None:
        message = _(
            "No account is called “%(name)s” or has that email address. Check the spelling, "
            "or create an account for them."
        ) % {"name": name.strip()}
        raise Invalid({"username": [message]})
    membership = Membership.objects.select_for_update().filter(project=project, user=user).first()
    if membership is None:
        return Membership.objects.create(project=project, user=user, role=role)
    return membership_update(membership=membership, role=role)


@dataclass(frozen=True)
class AccountCreated:
    membership: Membership
    # Exactly one of these: what the admin passes on to the new member, shown once.
    password: str | None = None
    invitation_token: str | None = None
    expires_at: datetime | None = None


def _check_new_account(username: str, email: str) -> None:
    problems: dict[str, list[str]] = {}
    try:
        UnicodeUsernameValidator()(username)
    except ValidationError:
        problems["username"] = [
            _("use letters, digits and @ . + - _ only, without spaces (at most 150)")
        ]
    if not problems and get_user_model().objects.filter(username__iexact=username).exists():
        problems["username"] = [
            _("an account called “%(name)s” exists: add it as a member instead")
            % {"name": username}
        ]
    if email:
        try:
            validate_email(email)
        except ValidationError:
            problems["email"] = [_("“%(email)s” is not an email address") % {"email": email}]
        else:
            if get_user_model().objects.filter(email__iexact=email).exists():
                problems["email"] = [
                    _("an account has this email address: add it as a member instead")
                ]
    if problems:
        raise Invalid(problems)


def _check_account_quota(creator: User) -> None:
    """Anyone may start a project and so administer one: each admin may create at most
    USER_MAX_ACCOUNTS accounts (superusers any number). The creator's row is locked so two
    requests cannot both fit."""
    if creator.is_superuser:
        return
    get_user_model().objects.select_for_update().filter(pk=creator.pk).first()
    quota = settings.USER_MAX_ACCOUNTS
    if AccountOrigin.objects.filter(created_by=creator).count() >= quota:
        message = _(
            "you have created %(quota)s accounts, the most one admin may; ask an administrator"
        ) % {"quota": f"{quota:,}"}
        raise Invalid({NON_FIELD: [message]})


def _invitation_issue(*, user: User, project: Project, creator: User) -> tuple[str, datetime]:
    token = secrets.token_urlsafe(32)
    expires_at = timezone.now() + timedelta(hours=settings.INVITATION_MAX_AGE_HOURS)
    Invitation.objects.create(
        user=user,
        project=project,
        created_by=creator,
        token_hash=token_hash(token),
        expires_at=expires_at,
    )
    return token, expires_at


@transaction.atomic
def account_create(
    *, project: Project, creator: User, username: str, email: str, role: str, method: str
) -> AccountCreated:
    """A new account, made a member of `project` with `role`. `method` "password": it gets a
    random temporary password; "invitation": no password until its holder opens the link."""
    username, email = username.strip(), email.strip()
    _check_new_account(username, email)
    _check_account_quota(creator)
    user = get_user_model()(username=username, email=email)
    password = None
    if method == "password":
        password = secrets.token_urlsafe(12)
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    AccountOrigin.objects.create(user=user, created_by=creator, project=project)
    membership = Membership.objects.create(project=project, user=user, role=role)
    if method == "password":
        return AccountCreated(membership=membership, password=password)
    token, expires_at = _invitation_issue(user=user, project=project, creator=creator)
    return AccountCreated(membership=membership, invitation_token=token, expires_at=expires_at)


@transaction.atomic
def invitation_renew(*, membership: Membership, creator: User) -> tuple[str, datetime]:
    """A fresh link for a member who has not set a password yet; older links stop working."""
    user = membership.user
    if user.has_usable_password():
        raise Invalid(
            {NON_FIELD: [_("%(name)s has set a password already") % {"name": user.username}]}
        )
    Invitation.objects.filter(user=user, used_at__isnull=True).update(used_at=timezone.now())
    return _invitation_issue(user=user, project=membership.project, creator=creator)


@transaction.atomic
def invitation_accept(*, token: str, password: str) -> Invitation:
    """Set the invited account's password and spend the link, once: the conditional update
    lets only one of two simultaneous submissions through."""
    invitation = invitation_open(token)
    if invitation is None:
        raise Invalid({NON_FIELD: [_("This link has expired or has been used already.")]})
    try:
        password_validation.validate_password(password, invitation.user)
    except ValidationError as error:
        raise Invalid({"password": list(error.messages)}) from None
    spent = Invitation.objects.filter(pk=invitation.pk, used_at__isnull=True).update(
        used_at=timezone.now()
    )
    if not spent:
        raise Invalid({NON_FIELD: [_("This link has expired or has been used already.")]})
    invitation.user.set_password(password)
    invitation.user.save(update_fields=["password"])
    return invitation
