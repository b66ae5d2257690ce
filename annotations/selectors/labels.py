"""A project's labels with the work that uses each: the labels screen says how many spans a
rename or a delete touches before it asks."""

from __future__ import annotations

import json
from collections.abc import Iterable

from django.db.models import Count, Q
from django.db.models.fields.json import KT
from django.db.models.lookups import Contains, Exact

from annotations.models import Annotation, Label, LabelKind, Project, Relation, Span


def chooses(label: Label) -> Q:
    """Annotations whose document labels choose `label` (a group's value, or one of its
    values when the group is multiple-choice). Works on PostgreSQL and SQLite alike: the
    key's text is compared, and a list's JSON text is searched for the quoted name."""
    text = KT(f"document_labels__{label.group}") if "__" not in label.group else None
    if text is None:  # a group named with "__" cannot be a key path: match nothing
        return Q(pk__in=[])
    if label.multiple:
        return Q(Contains(text, json.dumps(label.name)))
    return Q(Exact(text, label.name))


def label_usage(project: Project, labels: Iterable[Label]) -> dict[int, dict[str, int]]:
    """Label id → `spans` and `relations` that use it, and `annotations` (gold included)
    holding one of them or choosing it as a document label. Three queries at most."""
    labels = list(labels)
    usage = {label.pk: {"spans": 0, "relations": 0, "annotations": 0} for label in labels}
    ids = [label.pk for label in labels if label.kind != LabelKind.DOCUMENT]
    for model, key in ((Span, "spans"), (Relation, "relations")):
        rows = (
            model.objects.filter(label_id__in=ids)
            .values("label_id")
            .annotate(n=Count("pk"), annotations=Count("annotation_id", distinct=True))
            .order_by()
        )
        for row in rows:
            usage[row["label_id"]][key] = row["n"]
            usage[row["label_id"]]["annotations"] += row["annotations"]
    documents = [label for label in labels if label.kind == LabelKind.DOCUMENT]
    if documents:
        counts = Annotation.objects.filter(project=project).aggregate(
            **{f"l{label.pk}": Count("pk", filter=chooses(label)) for label in documents}
        )
        for label in documents:
            usage[label.pk]["annotations"] = counts[f"l{label.pk}"]
    return usage
