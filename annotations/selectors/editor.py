"""The editor's hot reads, in as few round trips as the database allows.

The editor sends one request per autosave and two to open a document; each used to cost a
query per thing it needed (the project with the caller's role, the document, the labels,
the annotation, its spans, its relations). Here the things one request always needs come
back in one statement, the rows it reads many of as one JSON array built by the database
(`json_agg` on PostgreSQL, `json_group_array` on SQLite) and decoded once:

- `document_target`: the document (text deferred unless asked for), its project and the
  caller's role, and the project's labels as a `LabelSet`; None when any is missing, so the
  caller falls back to the usual reads and their 404s;
- `annotation_read`: the annotation with its spans and relations (`content`, as
  `annotation_detail` answers it);
- `LockedSpans`: the spans a PATCH names, read in the statement that locks the annotation.

The rows keep the column order `ContentReader` reads (attributes and fragments as text), so
there is still one reader of spans and relations.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, User
from django.db import connection
from django.db.models import OuterRef, Subquery, TextField
from django.db.models.expressions import RawSQL

from annotations.models import Annotation, Document, Label, Membership, Project, Role
from annotations.selectors.annotations import ContentReader
from annotations.validation import LabelSet

LABEL_FIELDS = (  # what `LabelSet.from_rows` reads
    "id",
    "kind",
    "name",
    "attributes",
    "source_labels",
    "target_labels",
    "group",
    "multiple",
)


def _array(columns: list[str], table: str, where: str) -> str:
    """A subquery: the rows of `table` matching `where` as one JSON array of arrays (text)."""
    if connection.vendor == "postgresql":
        return (
            f"(SELECT COALESCE(json_agg(json_build_array({', '.join(columns)})), '[]')::text"
            f" FROM {table} WHERE {where})"
        )
    return f"(SELECT json_group_array(json_array({', '.join(columns)})) FROM {table} WHERE {where})"


def _as_text(column: str) -> str:
    """A JSON column as its text, the form `ContentReader` decodes."""
    return f"{column}::text" if connection.vendor == "postgresql" else column


def _as_json(column: str) -> str:
    """A JSON column as JSON inside the array (SQLite keeps it as text otherwise)."""
    return column if connection.vendor == "postgresql" else f"json({column})"


def _labels_sql() -> str:
    table = Label._meta.db_table
    columns = [f'l."{c}"' for c in LABEL_FIELDS]
    for at, name in enumerate(LABEL_FIELDS):
        if name in ("attributes", "source_labels", "target_labels"):
            columns[at] = _as_json(columns[at])
    where = f'l.project_id = "{Document._meta.db_table}"."project_id"'
    return _array(columns, f'"{table}" l', where)


@dataclass
class Target:
    document: Document
    project: Project
    role: str
    labels: LabelSet | None


def document_target(
    user: AbstractBaseUser | AnonymousUser,
    project_id: int,
    document_id: int,
    *,
    text: bool = False,
    labels: bool = True,
) -> Target | None:
    """The document of the project with the project, the caller's role and (`labels`) the
    labels, in one query; None if the caller is no member (or either is missing)."""
    if not user.is_authenticated:
        return None
    role = Membership.objects.filter(project=OuterRef("project_id"), user=user.pk).values("role")
    rows = Document.objects.select_related("project").annotate(role=Subquery(role[:1]))
    if labels:
        rows = rows.annotate(label_rows=RawSQL(_labels_sql(), [], output_field=TextField()))
    if not text:
        rows = rows.defer("text")
    document = rows.filter(project_id=project_id, pk=document_id).first()
    if document is None:
        return None
    granted = Role.ADMIN if getattr(user, "is_superuser", False) else document.role  # type: ignore[attr-defined]
    if granted is None:
        return None
    project = document.project
    project.role = granted  # type: ignore[attr-defined]
    if not labels:
        return Target(document, project, granted, None)
    # Plain rows, not models: a model instance per label cost a tenth of this read.
    label_rows = [
        SimpleNamespace(**dict(zip(LABEL_FIELDS, row, strict=True)))
        for row in json.loads(document.label_rows)  # type: ignore[attr-defined]
    ]
    return Target(document, project, granted, LabelSet.from_rows(label_rows))


SPAN_COLUMNS = (
    "id",
    "annotation_id",
    "client_id",
    "start",
    "end",
    "label_id",
    "attributes",
    "source",
    "score",
    "fragments",
    "chain",
)
RELATION_COLUMNS = ("id", "annotation_id", "client_id", "source_id", "target_id", "label_id")


def _spans_sql(client_ids: int | None = None) -> str:
    """The annotation's spans (with `client_ids` placeholders: those with one of the ids)."""
    columns = [f's."{c}"' for c in SPAN_COLUMNS]
    columns[6], columns[9] = _as_text(columns[6]), _as_text(columns[9])
    where = f's.annotation_id = "{Annotation._meta.db_table}"."id"'
    if client_ids is not None:
        where += f" AND s.client_id IN ({', '.join(['%s'] * client_ids)})"
    return _array(columns, '"annotations_span" s', where)


def _relations_sql() -> str:
    columns = [f'r."{c}"' for c in RELATION_COLUMNS]
    where = f'r.annotation_id = "{Annotation._meta.db_table}"."id"'
    return _array(columns, '"annotations_relation" r', where)


def _whose(document: Document, annotator: User | None):
    rows = Annotation.objects.filter(document=document)
    return rows.filter(is_gold=True) if annotator is None else rows.filter(annotator=annotator)


def annotation_read(
    document: Document, annotator: User | None, names: dict[int, str]
) -> Annotation | None:
    """The annotator's annotation (None: gold) with `content` (its spans in text order and
    relations in creation order), in one query; None if there is none."""
    annotation = (
        _whose(document, annotator)
        .select_related("review_by")
        .annotate(
            span_rows=RawSQL(_spans_sql(), [], output_field=TextField()),
            relation_rows=RawSQL(_relations_sql(), [], output_field=TextField()),
        )
        .first()
    )
    if annotation is None:
        return None
    reader = ContentReader(names)
    spans = json.loads(annotation.span_rows)  # type: ignore[attr-defined]
    spans.sort(key=lambda row: (row[3], row[4], row[0]))  # start, end, pk
    reader.span_rows(spans)
    relations = json.loads(annotation.relation_rows)  # type: ignore[attr-defined]
    relations.sort(key=lambda row: row[0])
    reader.relation_rows(relations)
    annotation.content = reader.contents[annotation.pk].as_dict()  # type: ignore[attr-defined]
    return annotation


def locked_with_spans(
    document: Document, annotator: User | None, client_ids: set[str]
) -> tuple[Annotation | None, list[Any]]:
    """The annotation row locked for this transaction, with the rows of its spans named
    `client_ids` (the `ContentReader` columns), in one query."""
    ids = sorted(client_ids)
    span_sql = _spans_sql(len(ids)) if ids else "'[]'"
    rows = _whose(document, annotator).select_for_update()
    annotation = rows.annotate(span_rows=RawSQL(span_sql, ids, output_field=TextField())).first()
    if annotation is None:
        return None, []
    return annotation, json.loads(annotation.span_rows)  # type: ignore[attr-defined]
