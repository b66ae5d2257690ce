"""Writes to projects, their labels and their members."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction

from annotations.errors import NON_FIELD, Invalid
from annotations.models import Label, Membership, Project, Role
from annotations.presets import PRESET_SETTINGS, PRESETS


@transaction.atomic
def project_create(*, creator: User, preset: str | None = None, **fields: Any) -> Project:
    """Create a project; its creator becomes its admin. `preset` adds a label set."""
    if preset is not None and preset not in PRESETS:
        raise Invalid({"preset": [f"unknown preset {preset!r}; try {sorted(PRESETS)}"]})
    _check_project_quota(creator)
    fields = {**PRESET_SETTINGS.get(preset or "", {}), **fields}
    project = Project.objects.create(created_by=creator, **fields)
    Membership.objects.create(project=project, user=creator, role=Role.ADMIN)
    if preset:
        Label.objects.bulk_create(
            Label(project=project, position=i, **spec) for i, spec in enumerate(PRESETS[preset])
        )
    return project


def _check_project_quota(creator: User) -> None:
    """Anyone may start a project, so each account may start at most USER_MAX_PROJECTS
    (superusers: any number). The creator's row is locked so two requests cannot both fit."""
    if creator.is_superuser:
        return
    get_user_model().objects.select_for_update().filter(pk=creator.pk).first()
    quota = settings.USER_MAX_PROJECTS
    if Project.objects.filter(created_by=creator).count() >= quota:
        message = (
            f"you have created {quota:,} projects, the most one account may; "
            "delete one or ask an administrator"
        )
        raise Invalid({NON_FIELD: [message]})


def _label_rules(project: Project, fields: dict[str, Any], instance: Label | None) -> None:
    """Checks across labels that one row's field validation cannot see."""
    kind = fields.get("kind", instance.kind if instance else None)
    if kind == "document" and not fields.get("group", instance.group if instance else ""):
        raise Invalid({"group": ["document labels need a group (e.g. 'sentiment')"]})
    if kind == "relation":
        span_names = set(project.labels.filter(kind="span").values_list("name", flat=True))
        for key in ("source_labels", "target_labels"):
            unknown = set(fields.get(key, [])) - span_names
            if unknown:
                raise Invalid({key: [f"not span labels here: {sorted(unknown)}"]})


def label_save(*, project: Project, fields: dict[str, Any], instance: Label | None = None) -> Label:
    """Create or update a label; a taken name or hotkey is a 400, not an IntegrityError."""
    _label_rules(project, fields, instance)
    label = instance or Label(project=project)
    for key, value in fields.items():
        setattr(label, key, value)
    try:
        with transaction.atomic():
            label.save()
    except IntegrityError:
        clash = project.labels.exclude(pk=label.pk)
        if label.hotkey and clash.filter(hotkey=label.hotkey).exists():
            raise Invalid({"hotkey": [f"hotkey {label.hotkey!r} is taken"]}) from None
        raise Invalid({"name": [f"a {label.kind} label {label.name!r} exists"]}) from None
    return label


def label_delete(*, label: Label) -> None:
    if label.spans.exists() or label.relations.exists():
        raise Invalid({NON_FIELD: [f"label {label.name!r} is in use; it cannot be deleted"]})
    label.delete()


def _keep_an_admin(membership: Membership, *, key: str) -> None:
    """Refuse to take the project's last admin away (demoted or removed).

    The project's admin memberships are locked (in primary-key order, so concurrent writers
    take them in the same order) and counted under the lock: two admins demoting each other
    at once are serialised, and the second sees that only one admin is left. SQLite's
    IMMEDIATE transactions serialise the whole write instead.
    """
    admins = list(
        Membership.objects.select_for_update()
        .filter(project_id=membership.project_id, role=Role.ADMIN)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if admins == [membership.pk]:
        raise Invalid({key: ["a project keeps at least one admin"]})


@transaction.atomic
def membership_set(*, project: Project, username: str, role: str) -> Membership:
    """Add a user to a project, or change their role (never demoting the last admin)."""
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise Invalid({"username": [f"no user {username!r}"]})
    membership = Membership.objects.select_for_update().filter(project=project, user=user).first()
    if membership is None:
        return Membership.objects.create(project=project, user=user, role=role)
    return membership_update(membership=membership, role=role)


@transaction.atomic
def membership_update(*, membership: Membership, role: str) -> Membership:
    if role != Role.ADMIN:
        _keep_an_admin(membership, key="role")
    membership.role = role
    membership.save(update_fields=["role"])
    return membership


@transaction.atomic
def membership_delete(*, membership: Membership) -> None:
    _keep_an_admin(membership, key=NON_FIELD)
    membership.delete()
