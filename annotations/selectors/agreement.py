"""The project's agreement: `annotations.agreement` over every submitted annotation."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from annotations import agreement
from annotations.formats.base import label_groups
from annotations.models import Annotation, AnnotationStatus, Document, Project
from annotations.selectors.annotations import contents_of, id_batches
from annotations.selectors.review import pseudonyms

SUBMITTED = AnnotationStatus.SUBMITTED
# Submitted work, without work on hidden gold checks (`services.checks`).
AGREED_WORK = Q(is_gold=False, status=SUBMITTED, document__check_since=None)


def agreement_input(
    project: Project, label_names: dict[int, str], names: dict[str, str] | None = None
) -> tuple[list[agreement.DocumentAnnotations], dict[int, str]]:
    """Every submitted annotation as `agreement` documents (annotators renamed by `names`),
    and the documents' titles.

    Three flat queries (annotations, spans, relations) up to 10,000 submitted annotations,
    then a span and a relation query per 10,000 more (`ContentReader`); and the texts of the
    documents where two versions attribute quotes (speakers are compared by name).
    """
    annotations = (
        Annotation.objects.filter(AGREED_WORK, document__project=project)
        .order_by("document_id", "pk")
        .values_list(
            "pk",
            "document_id",
            "annotator__username",
            "document_labels",
            "document__length",
            "document__title",
            "chain_names",
        )
    )
    rows = list(annotations)
    contents = contents_of([row[0] for row in rows], label_names)
    texts = _attributing_texts(rows, contents)
    documents: dict[int, agreement.DocumentAnnotations] = {}
    titles: dict[int, str] = {}
    for pk, document_id, username, document_labels, length, title, chain_names in rows:
        titles[document_id] = title
        document = documents.setdefault(
            document_id, {"id": document_id, "length": length, "annotations": {}}
        )
        if document_id in texts:
            document["text"] = texts[document_id]
        name = names.get(username, username) if names else username
        content = contents[pk]
        document["annotations"][name] = {  # type: ignore[index]
            "spans": content.spans,
            "relations": content.relations,
            "document_labels": document_labels,
            "chain_names": chain_names,
        }
    return list(documents.values()), titles


def _attributing_texts(rows: list[tuple], contents: dict) -> dict[int, str]:
    """Texts of the documents where at least two versions link a quote to its speaker."""
    attributing: dict[int, int] = {}
    for pk, document_id, *_ in rows:
        if any(r["label"] == "SPEAKER" for r in contents[pk].relations):
            attributing[document_id] = attributing.get(document_id, 0) + 1
    wanted = [document_id for document_id, n in attributing.items() if n >= 2]
    texts: dict[int, str] = {}
    for ids in id_batches(wanted):
        texts.update(Document.objects.filter(pk__in=ids).values_list("pk", "text"))
    return texts


def _by_agreement(row: dict[str, Any]) -> tuple[bool, float, int]:
    """Least agreement first; documents with no figure (one annotator) last."""
    value = row["span_f1_overlap"]
    return value is None, value if value is not None else 0.0, row["id"]


def project_agreement(*, project: Project, order: str = "id") -> dict[str, Any]:
    """`agreement.agreement_summary` over every submitted annotation of the project.

    `order="agreement"` lists the documents least agreed on first (by mean
    pairwise overlap span F1), which is where a reviewer should start.
    """
    names = None
    if project.anonymize_review:
        usernames = Annotation.objects.filter(AGREED_WORK, document__project=project).values_list(
            "annotator__username", flat=True
        )
        names = pseudonyms(f"agreement:{project.pk}", usernames.distinct())
    labels = list(project.labels.values("pk", "kind", "name", "group", "multiple"))
    label_names = {label["pk"]: label["name"] for label in labels}
    documents, titles = agreement_input(project, label_names, names)
    arguments = label_groups(labels).agreement_arguments()
    summary = agreement.agreement_summary(documents, **arguments)
    for row in summary["per_document"]:
        row["title"] = titles.get(row["id"], "")
    if order == "agreement":
        summary["per_document"].sort(key=_by_agreement)
    summary["anonymized"] = project.anonymize_review
    return summary
