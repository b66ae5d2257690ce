"""Which tables hold a project's work, how each reaches its project, and in what order they
are written back.

Derived from the models, not listed by hand: a model added later that reaches `Project`
through foreign keys is archived with no change here. What is deliberately left out is named
below with the reason, and a test fails when a model of the app is in neither set.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from graphlib import TopologicalSorter

from django.apps import apps
from django.conf import settings
from django.db import models

from annotations.models import Document, Project

APP = "annotations"

# Rebuilt from the archived rows by `work_state.recount` after a load, so never archived:
# a restored project's counts cannot disagree with its rows.
DERIVED = frozenset(
    {"annotatortally", "documentlabelcount", "labeltally", "submissiontally", "agreementtally"}
)
# A person's, not a project's (preferences, API tokens, how an account was made, the single
# sign-on identity), or a secret
# that must not travel to another instance (invitation links): never archived.
PERSONAL = frozenset({"userpreferences", "apitoken", "accountorigin", "invitation", "ssoidentity"})
# Not the work itself: a deleted project's trash is the archive.
OWN = frozenset({"trashitem"})
LEFT_OUT = DERIVED | PERSONAL | OWN


@dataclass(frozen=True)
class Table:
    """One archived model: how its rows are found from a project or a document, and its
    foreign keys by kind (to users, to other archived tables, to itself)."""

    model: type[models.Model]
    project_path: str
    document_path: str | None
    user_fks: tuple[models.ForeignKey, ...]
    table_fks: tuple[models.ForeignKey, ...]
    self_fks: tuple[models.ForeignKey, ...]

    @property
    def name(self) -> str:
        return self.model._meta.label_lower


def _foreign_keys(model: type[models.Model]) -> list[models.ForeignKey]:
    return [f for f in model._meta.concrete_fields if isinstance(f, models.ForeignKey)]


def _path_to(model: type[models.Model], root: type[models.Model]) -> str | None:
    """The shortest lookup from `model` to `root` through non-nullable foreign keys."""
    if model is root:
        return "pk"
    frontier: list[tuple[type[models.Model], str]] = [(model, "")]
    seen = {model}
    while frontier:
        nxt = []
        for current, path in frontier:
            for fk in _foreign_keys(current):
                target = fk.related_model
                if fk.null or target in seen or target._meta.app_label != APP:
                    continue
                lookup = f"{path}__{fk.name}" if path else fk.name
                if target is root:
                    return lookup
                seen.add(target)
                nxt.append((target, lookup))
        frontier = nxt
    return None


def _is_user(model: type[models.Model]) -> bool:
    return model._meta.label == settings.AUTH_USER_MODEL


@cache
def tables() -> tuple[Table, ...]:
    """Every archived table, parents before children (so ids can be mapped on the way in)."""
    found: dict[type[models.Model], Table] = {}
    for model in apps.get_app_config(APP).get_models():
        if model._meta.model_name in LEFT_OUT:
            continue
        path = _path_to(model, Project)
        if path is None:
            continue
        fks = _foreign_keys(model)
        found[model] = Table(
            model=model,
            project_path=path,
            document_path=_path_to(model, Document),
            user_fks=tuple(f for f in fks if _is_user(f.related_model)),
            table_fks=tuple(
                f for f in fks if f.related_model is not model and not _is_user(f.related_model)
            ),
            self_fks=tuple(f for f in fks if f.related_model is model),
        )
    order = TopologicalSorter(
        {
            model: {f.related_model for f in table.table_fks if f.related_model in found}
            for model, table in found.items()
        }
    )
    return tuple(found[model] for model in order.static_order())


def unplaced() -> list[str]:
    """Models of the app that are neither archived nor deliberately left out."""
    archived = {table.model for table in tables()}
    return sorted(
        str(model._meta.model_name)
        for model in apps.get_app_config(APP).get_models()
        if model not in archived and model._meta.model_name not in LEFT_OUT
    )
