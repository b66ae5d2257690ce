"""Reads for suggestions: a document's stored suggestions merged over their sources, what a
suggester may know of a project, and the strings it may learn from the project's work.

What may be learnt, and why it reveals nobody's work (`Learnt`): a document's stored
suggestions are the same for every reader (they are computed once, by a task, not per
viewer), so they may only hold what every member who can open the document may see:

- gold of *other* documents (the project's adjudicated truth, which the guidelines teach);
- strings labelled alike in submitted annotations of other documents by at least
  `AGREED_BY` different annotators: a project's shared habit, never one person's work;
- never drafts or skipped work, never anything from the document itself (its own gold or a
  teammate's submitted version there would tell an annotator the answer in a blind project).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import F
from django.db.models.functions import Substr

from annotations.models import (
    AnnotationStatus,
    Document,
    LabelKind,
    Project,
    Span,
    SuggestionSet,
    SuggestionStatus,
)
from annotations.selectors.suggestion_backend import backend_options
from annotations.suggesting.gold_entities import MAX_LENGTH
from annotations.suggesting.registry import SUGGESTERS, SuggesterProject

AGREED_BY = 2


def suggester_project(project: Project) -> SuggesterProject:
    """The project as suggesters see it. Two queries (its labels, its model backend)."""
    spans: dict[str, dict[str, list[str]]] = {}
    relations: dict[str, tuple[frozenset[str], frozenset[str]]] = {}
    rows = list(project.labels.all())
    for label in rows:
        if label.kind == LabelKind.SPAN:
            spans[label.name] = dict(label.attributes or {})
        elif label.kind == LabelKind.RELATION:
            relations[label.name] = (
                frozenset(label.source_labels or []),
                frozenset(label.target_labels or []),
            )
    return SuggesterProject(
        language=project.language,
        quotes_include_marks=project.quotes_include_marks,
        span_labels=spans,
        relation_labels=relations,
        options=backend_options(project, rows),
    )


class Learnt:
    """(string, label) pairs the project's work teaches (see the module docstring), read once
    for every document a task computes: each gold occurrence once, plus pairs agreed by
    `AGREED_BY` annotators, without what a given document itself holds (`besides`). Two
    queries, however many documents ask; a document that holds none of the project's work
    (a new one: the common case) gets the same tuple as every other such document."""

    def __init__(self, project_id: int) -> None:
        rows = (
            Span.objects.filter(annotation__project_id=project_id, end__lte=F("start") + MAX_LENGTH)
            .annotate(
                string=Substr("annotation__document__text", F("start") + 1, F("end") - F("start"))
            )
            .values_list("annotation__document_id", "string", "label__name")
        )
        self._gold: defaultdict[int, list[tuple[str, str]]] = defaultdict(list)
        for document, string, label in rows.filter(annotation__is_gold=True):
            self._gold[document].append((string, label))
        submitted = rows.filter(
            annotation__is_gold=False,
            annotation__status=AnnotationStatus.SUBMITTED,
            annotation__document__check_since=None,  # hidden gold checks teach nothing
        ).values_list(
            "annotation__document_id", "annotation__annotator_id", "string", "label__name"
        )
        # pair -> annotator -> the documents where they gave it
        self._holders: defaultdict[tuple[str, str], defaultdict[int, set[int]]] = defaultdict(
            lambda: defaultdict(set)
        )
        self._pairs_of: defaultdict[int, set[tuple[str, str]]] = defaultdict(set)
        for document, annotator, string, label in submitted:
            self._holders[(string, label)][annotator].add(document)
            self._pairs_of[document].add((string, label))
        self._all_gold = [pair for pairs in self._gold.values() for pair in pairs]
        self._agreed = sorted(p for p, by in self._holders.items() if len(by) >= AGREED_BY)
        self._everything = tuple(self._all_gold + self._agreed)

    def besides(self, document_id: int) -> tuple[tuple[str, str], ...]:
        """What may be proposed on this document: nothing it holds itself."""
        own_gold, own_pairs = self._gold.get(document_id), self._pairs_of.get(document_id)
        if not own_gold and not own_pairs:
            return self._everything
        gold = self._all_gold
        if own_gold:
            gold = [
                pair for doc, pairs in self._gold.items() if doc != document_id for pair in pairs
            ]
        agreed = self._agreed
        if own_pairs:
            lost = {
                pair
                for pair in own_pairs
                if sum(1 for docs in self._holders[pair].values() if docs - {document_id})
                < AGREED_BY
            }
            agreed = [pair for pair in agreed if pair not in lost]
        return (*gold, *agreed)


def _order(source: str) -> tuple[int, str]:
    names = list(SUGGESTERS)
    return (names.index(source) if source in names else len(names), source)


def suggestions_of(document: Document, *, sees_errors: bool) -> dict[str, Any] | None:
    """The document's suggestions over every source, or None when none were ever asked
    for. One query.

    Sources are merged in registry order; a span another source already proposed (same
    offsets and label) is kept once, the first source's, and relations to the dropped one
    point at the kept one. While a source recomputes, its previous result is still shown.
    """
    rows = sorted(
        SuggestionSet.objects.filter(document=document).values(
            "source", "status", "payload", "error", "computed_at"
        ),
        key=lambda row: _order(row["source"]),
    )
    if not rows:
        return None
    spans: list[dict[str, Any]] = []
    relations: list[dict[str, Any]] = []
    labels: dict[str, Any] = {}
    seen: dict[tuple[int, int, str], str] = {}
    for row in rows:
        payload = row["payload"] or {}
        same: dict[str, str] = {}
        for span in payload.get("spans", []):
            key = (span["start"], span["end"], span["label"])
            if key in seen:
                same[span["id"]] = seen[key]
                continue
            seen[key] = span["id"]
            spans.append(span)
        for relation in payload.get("relations", []):
            ends = {end: same.get(relation[end], relation[end]) for end in ("from", "to")}
            relations.append({**relation, **ends})
        for group, value in (payload.get("document_labels") or {}).items():
            labels.setdefault(group, value)
    statuses = {row["status"] for row in rows}
    if SuggestionStatus.PENDING in statuses:
        status = SuggestionStatus.PENDING
    elif statuses == {SuggestionStatus.FAILED}:
        status = SuggestionStatus.FAILED
    else:
        status = SuggestionStatus.READY
    spans.sort(key=lambda s: (s["start"], s["end"], s["id"]))
    return {
        "status": status,
        "spans": spans,
        "relations": relations,
        "document_labels": labels,
        "sources": [
            {
                "source": row["source"],
                "status": row["status"],
                "computed_at": row["computed_at"],
                "error": row["error"] if sees_errors else None,
            }
            for row in rows
        ],
    }
