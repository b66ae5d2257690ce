"""What an export holds: a project's documents as native records, in keyset batches; the
schema the formats take; the annotators and the agreement sample for the dataset card.

Each batch costs the same four queries however large the corpus: documents
(`pk > last order by pk limit N`), their annotations in scope, and those annotations' spans
and relations (`ContentReader`; plus one query per export for the label names). Rows are
read as flat tuples (`values_list`), never as model instances, and nothing outlives its
batch, so memory is bounded by the batch size rather than by the project.

Scopes (what a document must have to be exported, and what goes top-level):

- ``gold``: documents with a gold annotation; top level = gold.
- ``all``: documents with a gold or at least one submitted annotation; top level =
  gold (empty when none yet); every submitted annotation in ``annotations``.
- ``agreed``: documents without gold whose submitted annotators (at least two)
  agree exactly on spans (start, end, label), relations and document labels;
  top level = the agreed content.

With ``include_unannotated`` (scopes ``gold`` and ``all``) every document of the project is
exported, those the scope would skip with an empty top level (and no ``annotations``): a
corpus to annotate elsewhere, or the full set with what is done so far.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from annotations.attribution import chains_of
from annotations.formats import SCOPES, assign_split
from annotations.formats.base import OFFSET_UNIT
from annotations.models import Annotation, AnnotationStatus, Document, Label, Project
from annotations.selectors.annotations import contents_of, label_names

Record = dict[str, Any]


@dataclass
class Batch:
    """One keyset batch: the records it produced and how many documents it read."""

    records: list[Record] = field(default_factory=list)
    scanned: int = 0
    # The document pk of each record, in the same order.
    ids: list[int] = field(default_factory=list)


def project_schema(project: Project) -> dict[str, Any]:
    """The project and its labels in the shape the format writers and the card expect."""
    labels = project.labels.order_by("position", "pk").values(*Label.SCHEMA_FIELDS)
    return {
        "project": {
            "name": project.name,
            "description": project.description,
            "language": project.language,
            "guidelines": project.guidelines,
        },
        "labels": list(labels),
        "offset_unit": OFFSET_UNIT,
    }


# Annotators' submitted work that exports and the card carry: never work on a hidden gold
# check (`services.checks`), which only the quality report reads.
EXPORTED_WORK = Q(is_gold=False, status=AnnotationStatus.SUBMITTED, document__check_since=None)


def _submitted(document_ref: Any = None) -> QuerySet[Annotation]:
    return Annotation.objects.filter(
        EXPORTED_WORK, document=document_ref if document_ref is not None else OuterRef("pk")
    )


def documents_in_scope(
    project: Project,
    scope: str,
    *,
    exclude_flagged: bool = False,
    include_unannotated: bool = False,
) -> QuerySet[Document]:
    """The project's candidate documents for a scope (``agreed`` is checked per batch),
    without flagged ones if asked; every document with ``include_unannotated``."""
    if scope not in SCOPES:
        raise ValueError(f"unknown scope {scope!r}; allowed: {', '.join(SCOPES)}")
    gold = Exists(Annotation.objects.filter(document=OuterRef("pk"), is_gold=True))
    documents = project.documents.all()
    if exclude_flagged:
        documents = documents.filter(flag__isnull=True)
    if include_unannotated:
        if scope == "agreed":
            raise ValueError("include_unannotated applies to scopes gold and all")
        return documents
    if scope == "gold":
        return documents.filter(gold)
    if scope == "all":
        return documents.filter(gold | Exists(_submitted()))
    # agreed: at least two submitted annotators and no gold yet
    submitted = _submitted().order_by().values("document").annotate(n=Count("pk")).values("n")[:1]
    return documents.filter(~gold).alias(submissions=submitted).filter(submissions__gte=2)


def record_batches(
    project: Project,
    scope: str = "gold",
    *,
    split: Mapping[str, float] | None = None,
    batch_size: int = 500,
    exclude_flagged: bool = False,
    include_unannotated: bool = False,
    selection: Sequence[int] | None = None,
) -> Iterator[Batch]:
    """Native records for the scope (among the `selection`'s ids if there is one), one
    batch at a time, in document pk order."""
    documents = documents_in_scope(
        project, scope, exclude_flagged=exclude_flagged, include_unannotated=include_unannotated
    ).order_by("pk")
    names = label_names(project.pk)
    for rows, scanned in _row_batches(documents, batch_size, selection):
        batch = Batch(scanned=scanned)
        for pk, record in _records(rows, names, scope, split):
            batch.records.append(record)
            batch.ids.append(pk)
        yield batch


ROW = ("pk", "external_id", "title", "text", "meta")


def _row_batches(
    documents: QuerySet[Document], batch_size: int, selection: Sequence[int] | None
) -> Iterator[tuple[list[tuple], int]]:
    """(rows, how many documents were looked at): keyset batches over the documents, or
    a batch's worth of the selection's ids at a time (no 100,000-id IN list)."""
    if selection is not None:
        chosen = sorted(set(selection))
        for start in range(0, len(chosen), batch_size):
            chunk = chosen[start : start + batch_size]
            yield list(documents.filter(pk__in=chunk).values_list(*ROW)), len(chunk)
        return
    last_pk = 0
    while True:
        rows = list(documents.filter(pk__gt=last_pk).values_list(*ROW)[:batch_size])
        if not rows:
            return
        last_pk = rows[-1][0]
        yield rows, len(rows)
        if len(rows) < batch_size:
            return


def _records(
    rows: list[tuple],
    names: Mapping[int, str],
    scope: str,
    split: Mapping[str, float] | None,
) -> Iterator[tuple[int, Record]]:
    layers = _layers([row[0] for row in rows], names, with_submitted=scope != "gold")
    for pk, external_id, title, text, meta in rows:
        gold, submitted = layers.get(pk, (None, []))
        if scope == "agreed":
            gold = agreed_layer(submitted)
            if gold is None:
                continue
        record: Record = {
            "external_id": external_id,
            "title": title,
            "text": text,
            "meta": meta,
            **_content(gold, text),
        }
        if split:
            record["split"] = assign_split(external_id, split)
        if scope == "all":
            record["annotations"] = [
                {
                    "annotator": layer["annotator"],
                    "status": layer["status"],
                    **_content(layer, text),
                    "active_seconds": layer["active_seconds"],
                }
                for layer in submitted
            ]
        yield pk, record


def _content(layer: Mapping[str, Any] | None, text: str) -> dict[str, Any]:
    """A layer as records carry it; `chains` (id, name, canonical) only when it has any, so
    records of work without chains read exactly as before they existed."""
    if layer is None:
        return {"spans": [], "relations": [], "document_labels": {}}
    content = {
        "spans": layer["spans"],
        "relations": layer["relations"],
        "document_labels": layer["document_labels"],
    }
    if any(span.get("chain") for span in layer["spans"]):
        content["chains"] = chains_of(layer["spans"], layer.get("chain_names") or {}, text)
    return content


def _layers(
    document_ids: list[int], names: Mapping[int, str], *, with_submitted: bool
) -> dict[int, tuple[dict | None, list[dict]]]:
    """Gold and submitted layers of the documents, in three queries.

    document pk -> (gold layer or None, submitted layers ordered by annotator name).
    """
    wanted = Q(is_gold=True)
    if with_submitted:
        wanted |= EXPORTED_WORK
    annotations = (
        Annotation.objects.filter(wanted, document_id__in=document_ids)
        .order_by("document_id", "is_gold", "annotator__username")
        .values_list(
            "pk",
            "document_id",
            "is_gold",
            "annotator__username",
            "status",
            "document_labels",
            "chain_names",
            "active_seconds",
        )
    )
    by_pk: dict[int, dict[str, Any]] = {}
    result: dict[int, tuple[dict | None, list[dict]]] = {}
    for (
        pk,
        document_id,
        is_gold,
        username,
        status,
        labels,
        chain_names,
        active_seconds,
    ) in annotations:
        layer: dict[str, Any] = {
            "annotator": username,
            "status": status,
            # The editor's active time on it (issue 12); scope `all` carries it.
            "active_seconds": active_seconds,
            "spans": [],
            "relations": [],
            "document_labels": labels or {},
            "chain_names": chain_names or {},
        }
        by_pk[pk] = layer
        gold, submitted = result.get(document_id, (None, []))
        if is_gold:
            gold = layer
        else:
            submitted.append(layer)
        result[document_id] = (gold, submitted)
    if by_pk:
        for pk, content in contents_of(list(by_pk), names).items():
            by_pk[pk]["spans"] = content.spans
            by_pk[pk]["relations"] = content.relations
    return result


def _signature(layer: Mapping[str, Any]) -> tuple:
    """What "full agreement" compares: span extents, fragments and labels, relations by
    their ends' extents (span ids differ between annotators), the chains as sets of their
    mentions' extents, and document labels."""
    ends = {
        s["id"]: (s["start"], s["end"], s["label"], repr(s.get("fragments") or ()))
        for s in layer["spans"]
    }
    spans = sorted(ends.values())
    relations = sorted(
        (ends.get(r["from"]), ends.get(r["to"]), r["label"]) for r in layer["relations"]
    )
    chains: dict[str, list[tuple]] = defaultdict(list)
    for span in layer["spans"]:
        if span.get("chain"):
            chains[span["chain"]].append(ends[span["id"]])
    partition = sorted(sorted(mentions) for mentions in chains.values())
    labels = {
        group: sorted(value) if isinstance(value, list) else value
        for group, value in layer["document_labels"].items()
        if value not in (None, "", [])
    }
    return (spans, relations, partition, sorted(labels.items()))


def agreed_layer(submitted: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The content all submitted annotators (at least two) agree on exactly, or None.

    The first annotator's spans and relations are kept (their ids); a span attribute is
    kept only where every annotator gave it the same value.
    """
    if len(submitted) < 2:
        return None
    first = submitted[0]
    signature = _signature(first)
    if any(_signature(other) != signature for other in submitted[1:]):
        return None
    attributes_by_extent: dict[tuple, list[dict]] = defaultdict(list)
    for layer in submitted:
        for span in layer["spans"]:
            attributes_by_extent[(span["start"], span["end"], span["label"])].append(
                span["attributes"]
            )
    spans = []
    for span in first["spans"]:
        given = attributes_by_extent[(span["start"], span["end"], span["label"])]
        shared = {k: v for k, v in given[0].items() if all(a.get(k) == v for a in given[1:])}
        spans.append({**span, "attributes": shared})
    return {
        "spans": spans,
        "relations": first["relations"],
        "document_labels": first["document_labels"],
        "chain_names": first.get("chain_names") or {},
    }


def multi_annotated(project: Project) -> QuerySet[Document]:
    """The project's documents with two or more submitted annotations."""
    submitted = _submitted().order_by().values("document").annotate(n=Count("pk")).values("n")[:1]
    return project.documents.alias(submissions=submitted).filter(submissions__gte=2)


def agreement_sample(project: Project, *, limit: int, batch_size: int = 500) -> Iterator[Any]:
    """The first `limit` documents with two or more submitted annotations (in import order),
    in the shape ``annotations.agreement.agreement_summary`` reads; keyset batches, no text."""
    documents = multi_annotated(project).order_by("pk")
    names = label_names(project.pk)
    last_pk, remaining = 0, limit
    while remaining > 0:
        size = min(batch_size, remaining)
        rows = list(
            documents.filter(pk__gt=last_pk).values_list("pk", "external_id", "length")[:size]
        )
        if not rows:
            return
        last_pk = rows[-1][0]
        remaining -= len(rows)
        layers = _layers([row[0] for row in rows], names, with_submitted=True)
        for pk, external_id, length in rows:
            _, submitted_layers = layers.get(pk, (None, []))
            yield {
                "id": external_id,
                "length": length,
                "annotations": {layer["annotator"]: layer for layer in submitted_layers},
            }
        if len(rows) < size:
            return


def submitted_annotators(project: Project) -> tuple[str, ...]:
    """Who submitted annotations in the project, by name: the card lists them."""
    names = (
        Annotation.objects.filter(EXPORTED_WORK, document__project=project)
        .order_by("annotator__username")
        .values_list("annotator__username", flat=True)
        .distinct()
    )
    return tuple(names)
