"""How well each suggester does in a project (`suggesting.quality` does the maths).

Six queries whatever the project's size: the ready suggestion rows, gold annotations, gold
spans, gold links, submitted annotations and their spans (with provenance), each read once
as plain values.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from annotations.models import (
    Annotation,
    AnnotationStatus,
    Project,
    Relation,
    Span,
    SuggestionSet,
    SuggestionStatus,
)
from annotations.suggesting.quality import Answer, Evidence, SourceQuality, suggestion_quality
from annotations.suggesting.registry import SUGGESTERS

BATCH = 500


def suggestion_quality_of(project: Project) -> list[SourceQuality]:
    answers = _answers(project)
    gold = _gold(project, answers)
    submitted = _submitted(project, answers)
    order = {name: i for i, name in enumerate(SUGGESTERS)}
    evidence = (
        Evidence(
            answers=dict(sorted(by_source.items(), key=lambda kv: order.get(kv[0], len(order)))),
            gold=gold.get(document_id),
            submitted=list(submitted.get(document_id, {}).values()),
        )
        for document_id, by_source in answers.items()
    )
    figures = suggestion_quality(evidence)
    return sorted(figures, key=lambda q: (order.get(q.source, len(order)), q.source))


def _answers(project: Project) -> dict[int, dict[str, Answer]]:
    rows = SuggestionSet.objects.filter(
        document__project=project, status=SuggestionStatus.READY
    ).values_list("document_id", "source", "payload")
    answers: dict[int, dict[str, Answer]] = defaultdict(dict)
    for document_id, source, payload in rows.iterator(chunk_size=BATCH):
        answers[document_id][source] = _answer(payload or {})
    return answers


def _answer(payload: Mapping[str, Any]) -> Answer:
    keys = {s["id"]: (s["start"], s["end"], s["label"]) for s in payload.get("spans", [])}
    links = frozenset(
        (keys[r["from"]], keys[r["to"]], r["label"])
        for r in payload.get("relations", [])
        if r["from"] in keys and r["to"] in keys
    )
    return Answer(frozenset(keys.values()), links)


def _gold(project: Project, answers: Mapping[int, Any]) -> dict[int, Answer]:
    documents = set(
        Annotation.objects.filter(project=project, is_gold=True).values_list(
            "document_id", flat=True
        )
    ) & set(answers)
    spans: dict[int, set] = {d: set() for d in documents}
    keys: dict[int, tuple[int, int, str]] = {}
    rows = Span.objects.filter(annotation__project=project, annotation__is_gold=True).values_list(
        "pk", "annotation__document_id", "start", "end", "label__name"
    )
    for pk, document_id, start, end, label in rows.iterator(chunk_size=BATCH):
        if document_id in spans:
            keys[pk] = (start, end, label)
            spans[document_id].add(keys[pk])
    links: dict[int, set] = {d: set() for d in documents}
    relations = Relation.objects.filter(
        annotation__project=project, annotation__is_gold=True
    ).values_list("annotation__document_id", "source_id", "target_id", "label__name")
    for document_id, source_id, target_id, label in relations.iterator(chunk_size=BATCH):
        if document_id in links and source_id in keys and target_id in keys:
            links[document_id].add((keys[source_id], keys[target_id], label))
    return {d: Answer(frozenset(spans[d]), frozenset(links[d])) for d in documents}


def _submitted(
    project: Project, answers: Mapping[int, Any]
) -> dict[int, dict[int, list[tuple[tuple[int, int, str], str]]]]:
    """Per document, per submitted annotation: its spans' keys and sources."""
    annotations = Annotation.objects.filter(
        project=project, is_gold=False, status=AnnotationStatus.SUBMITTED
    ).values_list("pk", "document_id")
    submitted: dict[int, dict[int, list]] = defaultdict(dict)
    document_of = {}
    for pk, document_id in annotations.iterator(chunk_size=BATCH):
        if document_id in answers:
            submitted[document_id][pk] = []
            document_of[pk] = document_id
    rows = Span.objects.filter(
        annotation__project=project,
        annotation__is_gold=False,
        annotation__status=AnnotationStatus.SUBMITTED,
    ).values_list("annotation_id", "start", "end", "label__name", "source")
    for annotation_id, start, end, label, source in rows.iterator(chunk_size=BATCH):
        if annotation_id in document_of:
            submitted[document_of[annotation_id]][annotation_id].append(
                ((start, end, label), source)
            )
    return submitted
