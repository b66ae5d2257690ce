"""Reads of annotations, and the one reader of their spans and relations.

How spans and relations are read (learnt on PostgreSQL with big projects; written once, here,
and followed by every caller through `ContentReader`):

- **By annotation id**, `annotation_id IN (…)` in batches of `ID_BATCH` ids: an index lookup
  per id whatever the planner's statistics say. The join through document to project,
  planned on statistics older than a bulk import, went nested-loop and took 15 s for 2,000
  documents.
- **Relations without joining spans**: their two ends are named from the spans just read
  (the few ends not among them are looked up by primary key in one query). Joining the span
  table twice made PostgreSQL spend milliseconds planning on often-rewritten annotations.
- **Label names from the project's label map**, never joined: joins here made PostgreSQL pick
  plans that scanned the whole relation table.
- **Attributes as text**, decoded only when not empty: most spans have none, and a JSON
  decode per span was a tenth of an export's time on a million spans.
- **Provenance only when there is one**: a span accepted from a suggestion carries `source`
  and `score`; a person's span carries neither (absent means manual), so exports, history
  and answers of hand-made annotations stay as they were. Likewise `fragments` (only on an
  interrupted span) and `chain` (only on a chain's mention).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import User
from django.db.models import Q, QuerySet, TextField
from django.db.models.functions import Cast

from annotations.attribution import chains_of, pieces, pieces_overlap
from annotations.models import Annotation, Document, Label, Relation, Span

ID_BATCH = 10_000  # well under SQLite's 32,766 bound variables
EMPTY_JSON = frozenset({None, "", "{}", "null"})
# The span columns the content reader reads, in its order (`selectors.editor` follows it).
SPAN_VALUES = (
    "pk",
    "annotation_id",
    "client_id",
    "start",
    "end",
    "label_id",
    Cast("attributes", output_field=TextField()),
    "source",
    "score",
    Cast("fragments", output_field=TextField()),
    "chain",
)


def label_names(project_id: int) -> dict[int, str]:
    """Label name by primary key: the map the content reader names labels with."""
    return dict(Label.objects.filter(project_id=project_id).values_list("pk", "name"))


def id_batches(ids: list[int]) -> Iterator[list[int]]:
    for at in range(0, len(ids), ID_BATCH):
        yield ids[at : at + ID_BATCH]


@dataclass
class Content:
    """One annotation's spans and relations as the API shows them (ids are client ids)."""

    spans: list[dict[str, Any]] = field(default_factory=list)
    relations: list[dict[str, Any]] = field(default_factory=list)
    span_pks: dict[str, int] = field(default_factory=dict)
    relation_pks: dict[str, int] = field(default_factory=dict)
    # The label of every span a relation read links, by span id.
    end_labels: dict[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict[str, list[dict[str, Any]]]:
        return {"spans": self.spans, "relations": self.relations}


class ContentReader:
    """Spans, then relations, into one `Content` per annotation (see the module docstring).

    Spans come in text order, relations in creation order. Two queries, and a third only for
    relations whose ends are not among the spans read.
    """

    def __init__(self, label_names: Mapping[int, str]):
        self.label_names = label_names
        self.contents: defaultdict[int, Content] = defaultdict(Content)
        self._ends: dict[int, tuple[str, str]] = {}  # span pk -> (client id, label)

    def spans(self, spans: QuerySet[Span]) -> ContentReader:
        return self.span_rows(
            spans.order_by("annotation_id", "start", "end", "pk").values_list(*SPAN_VALUES)
        )

    def span_rows(self, rows: Iterable[Any]) -> ContentReader:
        """Span rows in `SPAN_VALUES` order (attributes and fragments as JSON text)."""
        for (
            pk,
            annotation_id,
            client_id,
            start,
            end,
            label_id,
            attributes,
            source,
            score,
            fragments,
            chain,
        ) in rows:
            label = self.label_names[label_id]
            self._ends[pk] = (client_id, label)
            content = self.contents[annotation_id]
            content.span_pks[client_id] = pk
            span = {
                "id": client_id,
                "start": start,
                "end": end,
                "label": label,
                "attributes": json.loads(attributes) if attributes not in EMPTY_JSON else {},
            }
            if source:
                span["source"] = source
                span["score"] = score
            if fragments not in EMPTY_JSON:
                span["fragments"] = json.loads(fragments)
            if chain:
                span["chain"] = chain
            content.spans.append(span)
        return self

    def relations(self, relations: QuerySet[Relation]) -> ContentReader:
        return self.relation_rows(
            list(
                relations.order_by("annotation_id", "pk").values_list(
                    "pk", "annotation_id", "client_id", "source_id", "target_id", "label_id"
                )
            )
        )

    def relation_rows(self, rows: list[Any]) -> ContentReader:
        """Relation rows: pk, annotation id, client id, source pk, target pk, label id."""
        unread = {end for row in rows for end in row[3:5]} - self._ends.keys()
        if unread:
            ends = Span.objects.filter(pk__in=unread).values_list("pk", "client_id", "label_id")
            for pk, client_id, label_id in ends:
                self._ends[pk] = (client_id, self.label_names[label_id])
        for pk, annotation_id, client_id, source, target, label_id in rows:
            (source_id, source_label), (target_id, target_label) = (
                self._ends[source],
                self._ends[target],
            )
            content = self.contents[annotation_id]
            content.relation_pks[client_id] = pk
            content.end_labels[source_id] = source_label
            content.end_labels[target_id] = target_label
            content.relations.append(
                {
                    "id": client_id,
                    "from": source_id,
                    "to": target_id,
                    "label": self.label_names[label_id],
                }
            )
        return self


def contents_of(annotation_ids: Iterable[int], names: Mapping[int, str]) -> dict[int, Content]:
    """Spans and relations of many annotations: two queries per `ID_BATCH` annotations."""
    reader = ContentReader(names)
    for ids in id_batches(list(annotation_ids)):
        reader.spans(Span.objects.filter(annotation_id__in=ids))
        reader.relations(Relation.objects.filter(annotation_id__in=ids))
    return reader.contents


def spans_and_relations(annotation: Annotation, names: Mapping[int, str]) -> dict[str, list]:
    """The spans and relations of one annotation, as the API shows them."""
    return contents_of([annotation.pk], names)[annotation.pk].as_dict()


def annotation_of(document: Document, annotator: User | None) -> Annotation | None:
    """The annotator's annotation of the document (annotator None: the gold one)."""
    rows = Annotation.objects.filter(document=document).select_related("review_by")
    rows = rows.filter(is_gold=True) if annotator is None else rows.filter(annotator=annotator)
    return rows.first()


def review_of(annotation: Annotation) -> dict[str, Any] | None:
    """A reviewer's verdict on the annotation as the API shows it, or None (no verdict yet).
    Reads the reviewer's name: join `review_by` to spare the query."""
    if not annotation.review_state:
        return None
    by = annotation.review_by
    return {
        "state": annotation.review_state,
        "note": annotation.review_note,
        "by": by.get_username() if by else None,
        "at": annotation.review_at,
    }


def document_text(document_id: int) -> str:
    """A document's text, for what the editor's reads defer it for (one query)."""
    return Document.objects.values_list("text", flat=True).get(pk=document_id)


def chains_with_names(
    spans: list[dict[str, Any]], names: Mapping[str, str], text: str | None, document_id: int
) -> list[dict[str, Any]]:
    """The chains of spans (`attribution.chains_of`); the text is read (one query) only
    when a span is in a chain and the caller has none."""
    if not any(s.get("chain") for s in spans):
        return []
    return chains_of(spans, names, document_text(document_id) if text is None else text)


def annotation_detail(
    annotation: Annotation | None, project_id: int, *, text: str | None = None
) -> dict[str, Any]:
    """An annotation as the API shows it (an empty draft at version 0 before any save).

    A service that has just written the content leaves it on the instance as `content`, so
    its answer needs no second read; otherwise labels, spans and relations (three queries),
    and the text when a span is in a chain (its canonical name; one more).
    """
    if annotation is None:
        return {
            "status": "draft",
            "version": 0,
            "spans": [],
            "relations": [],
            "chains": [],
            "document_labels": {},
            "review": None,
            "active_seconds": None,
        }
    content = getattr(annotation, "content", None) or spans_and_relations(
        annotation, label_names(project_id)
    )
    chains = chains_with_names(
        content["spans"], annotation.chain_names, text, annotation.document_id
    )
    return {
        "status": annotation.status,
        "version": annotation.version,
        "document_labels": annotation.document_labels,
        **content,
        "chains": chains,
        "review": review_of(annotation),
        "active_seconds": annotation.active_seconds,
    }


def annotations_of_document(document: Document, *, include_gold: bool = False) -> list[dict]:
    """Every annotator's annotation of a document (annotators by name, then gold).

    Four queries: annotations with their annotators, labels, spans, relations (and the
    text when a span is in a chain).
    """
    rows = Annotation.objects.filter(document=document).select_related("annotator", "review_by")
    if not include_gold:
        rows = rows.filter(is_gold=False)
    annotations = list(rows.order_by("is_gold", "annotator__username"))
    contents = contents_of([a.pk for a in annotations], label_names(document.project_id))
    text: str | None = None
    if any(s.get("chain") for c in contents.values() for s in c.spans):
        text = document_text(document.pk)
    return [
        {
            "annotator": a.annotator.username if a.annotator else None,
            "is_gold": a.is_gold,
            "status": a.status,
            "version": a.version,
            "updated_at": a.updated_at,
            "document_labels": a.document_labels,
            **contents[a.pk].as_dict(),
            "chains": chains_with_names(contents[a.pk].spans, a.chain_names, text, document.pk),
            "review": review_of(a),
            "active_seconds": a.active_seconds,
        }
        for a in annotations
    ]


def patch_snapshot(
    annotation: Annotation,
    *,
    span_ids: set[str],
    relation_ids: set[str],
    linked_span_ids: set[str],
    names: Mapping[int, str],
    chain_ids: set[str] | None = None,
    span_rows: list[Any] | None = None,
) -> Content:
    """What a PATCH batch touches, as stored: the spans it names, the relations it names, and
    every relation linking one of `linked_span_ids` (spans it may relabel or delete).

    Two queries (a third for relation ends outside the spans named), whatever the size of
    the annotation. Chains it deletes (`chain_ids`) bring all their mentions. `span_rows`:
    the named spans already read with the annotation's lock (`editor.locked_with_spans`).
    """
    named = (
        Q(client_id__in=span_ids) | Q(chain__in=chain_ids)
        if chain_ids
        else Q(client_id__in=span_ids)
    )
    reader = ContentReader(names)
    if span_rows is not None and not chain_ids:
        reader.span_rows(sorted(span_rows, key=lambda row: (row[3], row[4], row[0])))
    else:
        reader.spans(annotation.spans.filter(named))
    content = reader.contents[annotation.pk]
    linked = [pk for sid, pk in content.span_pks.items() if sid in linked_span_ids]
    wanted = Q(client_id__in=relation_ids) | Q(source_id__in=linked) | Q(target_id__in=linked)
    if relation_ids or linked:
        reader.relations(annotation.relations.filter(wanted))
    return content


def overlapping_span(
    annotation: Annotation, placed: list[dict[str, Any]], *, besides: set[str]
) -> tuple[str, str] | None:
    """(placed span id, stored span id) of a stored span other than `besides` with a piece
    overlapping a piece of a `placed` span, or None. One query (for the stored spans whose
    extent meets a placed piece; their pieces are compared here)."""
    extents = [piece for span in placed for piece in pieces(span)]
    if not extents:
        return None
    overlaps = Q()
    for start, end in extents:
        overlaps |= Q(start__lt=end, end__gt=start)
    rows = (
        annotation.spans.filter(overlaps)
        .exclude(client_id__in=besides)
        .values_list("client_id", "start", "end", "fragments")
    )
    for client_id, start, end, fragments in rows:
        stored = {"start": start, "end": end, "fragments": fragments}
        for span in placed:
            if pieces_overlap(span, stored):
                return span["id"], client_id
    return None
