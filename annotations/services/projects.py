"""Writes to projects, their labels and their members."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from annotations.errors import NON_FIELD, Invalid
from annotations.models import Annotation, Label, LabelKind, Membership, Project, Role
from annotations.presets import PRESET_SETTINGS, PRESETS
from annotations.selectors import labels as label_reads


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


# --- Labels -------------------------------------------------------------------------------

# Keys the editor keeps for itself (frontend/src/ui/keys.ts `RESERVED_HOTKEYS`; a test checks
# the two lists agree): a label hotkey among them would never fire.
RESERVED_HOTKEYS = frozenset("?/[]WARJUC")


def _label_rules(project: Project, fields: dict[str, Any], instance: Label | None) -> None:
    """Checks across labels that one row's field validation cannot see."""
    kind = fields.get("kind", instance.kind if instance else None)
    if kind == "document" and not fields.get("group", instance.group if instance else ""):
        raise Invalid({"group": [_("document labels need a group (e.g. “sentiment”)")]})
    if kind == "relation":
        span_names = set(project.labels.filter(kind="span").values_list("name", flat=True))
        for key in ("source_labels", "target_labels"):
            unknown = sorted(set(fields.get(key, [])) - span_names)
            if unknown:
                message = _("not span labels here: %(names)s") % {"names": ", ".join(unknown)}
                raise Invalid({key: [message]})


def _hotkey_rules(project: Project, fields: dict[str, Any], instance: Label | None) -> None:
    """A hotkey is one key no other label and none of the editor's own keys use."""
    key = fields.get("hotkey")
    if not key:
        return
    if key in RESERVED_HOTKEYS or key.isspace():
        message = _("“%(key)s” is one of the editor's own keys; choose another") % {"key": key}
        raise Invalid({"hotkey": [message]})
    others = project.labels.filter(hotkey=key)
    if instance is not None:
        others = others.exclude(pk=instance.pk)
    clash = others.first()
    if clash is not None:
        message = _("hotkey “%(key)s” is taken by %(label)s") % {"key": key, "label": clash.name}
        raise Invalid({"hotkey": [message]})


def _in_use_rules(label: Label, fields: dict[str, Any]) -> None:
    """What a label's work would not survive: another kind, or (a document label) another
    group or choice rule, while annotations use it."""
    changes = [
        key
        for key in ("kind", "group", "multiple")
        if key in fields and fields[key] != getattr(label, key)
    ]
    if not changes:
        return
    used = label_reads.label_usage(label.project, [label])[label.pk]
    if used["annotations"]:
        message = ngettext(
            "%(name)s is used in %(count)s annotation: its %(field)s cannot change",
            "%(name)s is used in %(count)s annotations: its %(field)s cannot change",
            used["annotations"],
        ) % {"name": label.name, "count": used["annotations"], "field": changes[0]}
        raise Invalid({changes[0]: [message]})


@transaction.atomic
def label_save(*, project: Project, fields: dict[str, Any], instance: Label | None = None) -> Label:
    """Create or update a label; a taken name or hotkey is a 400, not an IntegrityError.

    A rename carries the work along: spans and links refer to the label by key already; the
    relation labels' allowed ends and the annotations' document labels name it, so they are
    rewritten in the same transaction."""
    _label_rules(project, fields, instance)
    _hotkey_rules(project, fields, instance)
    old_name = instance.name if instance is not None else None
    if instance is not None:
        _in_use_rules(instance, fields)
    label = instance or Label(project=project)
    for key, value in fields.items():
        setattr(label, key, value)
    try:
        with transaction.atomic():
            label.save()
    except IntegrityError:
        clash = project.labels.exclude(pk=label.pk)
        if label.hotkey and clash.filter(hotkey=label.hotkey).exists():
            message = _("hotkey “%(key)s” is taken") % {"key": label.hotkey}
            raise Invalid({"hotkey": [message]}) from None
        message = _("a %(kind)s label “%(name)s” exists") % {"kind": label.kind, "name": label.name}
        raise Invalid({"name": [message]}) from None
    if old_name is not None and old_name != label.name:
        _rename_references(label, old_name)
    return label


def _rename_references(label: Label, old_name: str) -> None:
    if label.kind == LabelKind.SPAN:
        relations = list(label.project.labels.filter(kind=LabelKind.RELATION))
        for relation in relations:
            for key in ("source_labels", "target_labels"):
                names = getattr(relation, key)
                setattr(relation, key, [label.name if n == old_name else n for n in names])
        Label.objects.bulk_update(relations, ["source_labels", "target_labels"])
    elif label.kind == LabelKind.DOCUMENT:
        was = Label(project=label.project, kind=label.kind, group=label.group, name=old_name)
        was.multiple = label.multiple
        chosen = Annotation.objects.filter(project=label.project).filter(label_reads.chooses(was))
        batch = []
        for annotation in chosen.only("pk", "document_labels").iterator(chunk_size=1000):
            value = annotation.document_labels.get(label.group)
            if isinstance(value, list):
                value = [label.name if v == old_name else v for v in value]
            elif value == old_name:
                value = label.name
            annotation.document_labels = {**annotation.document_labels, label.group: value}
            batch.append(annotation)
        Annotation.objects.bulk_update(batch, ["document_labels"], batch_size=1000)


@transaction.atomic
def label_delete(*, label: Label) -> None:
    """Delete a label no work uses (spans, links, document labels) and no relation label
    names as an allowed end."""
    used = label_reads.label_usage(label.project, [label])[label.pk]
    count = used["spans"] + used["relations"] or used["annotations"]
    if count:
        message = ngettext(
            "%(name)s is in use (%(count)s span, link or document label); relabel it before "
            "deleting the label",
            "%(name)s is in use (%(count)s spans, links or document labels); relabel them "
            "before deleting the label",
            count,
        ) % {"name": label.name, "count": count}
        raise Invalid({NON_FIELD: [message]})
    if label.kind == LabelKind.SPAN:
        naming = [
            relation.name
            for relation in label.project.labels.filter(kind=LabelKind.RELATION)
            if label.name in relation.source_labels + relation.target_labels
        ]
        if naming:
            message = _("%(relations)s allow %(name)s at one end; change that first") % {
                "relations": ", ".join(naming),
                "name": label.name,
            }
            raise Invalid({NON_FIELD: [message]})
    label.delete()


@transaction.atomic
def labels_reorder(*, project: Project, ids: list[int]) -> list[Label]:
    """Put the project's labels in the order given (every label once)."""
    labels = {label.pk: label for label in project.labels.select_for_update()}
    if sorted(ids) != sorted(labels):
        raise Invalid({"ids": [_("list every label of the project once, in the new order")]})
    ordered = [labels[pk] for pk in ids]
    for position, label in enumerate(ordered):
        label.position = position
    Label.objects.bulk_update(ordered, ["position"])
    return ordered


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
        raise Invalid({key: [_("a project keeps at least one admin")]})


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
