"""The dataset card (README.md) that travels with every export."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from .base import CardContext, Schema, WriteResult, split_order


def dataset_card(
    schema: Schema,
    result: WriteResult,
    card: CardContext,
    *,
    files: Mapping[str, str] | None = None,
    front_matter: str = "",
) -> str:
    """README.md text: project, labels, guidelines, counts, agreement, provenance, checksums.

    ``files`` maps file name to sha256 (computed by whoever wrote them); ``front_matter`` is
    YAML (without the ``---`` fences) for hosts that read it, e.g. the Hugging Face Hub.
    """
    project = schema.get("project") or {}
    parts = [f"---\n{front_matter}---\n\n" if front_matter else ""]
    parts.append(f"# {project.get('name') or 'Dataset'}\n\n")
    if project.get("description"):
        parts.append(f"{project['description']}\n\n")
    parts.append(_export_section(result, card, project))
    if card.format_guide:
        parts.append(f"## Using this export\n\n{card.format_guide}\n\n")
    parts.append(_labels_section(schema))
    parts.append(_counts_section(result))
    parts.append(_changes_section(card.changes() if card.changes else None))
    parts.append(_agreement_section(card.agreement))
    parts.append(_annotators_section(card.annotators))
    if files:
        rows = [f"| `{name}` | `{digest}` |" for name, digest in sorted(files.items())]
        parts.append("## Files\n\n| File | SHA-256 |\n|---|---|\n" + "\n".join(rows) + "\n\n")
    if result.warning_count:
        count = result.warning_count
        parts.append(f"## Warnings\n\n{count} warning(s) during export; see the export job.\n\n")
    guidelines = (project.get("guidelines") or "").strip()
    if guidelines:
        parts.append(f"## Guidelines\n\n{guidelines}\n")
    return "".join(parts)


def _export_section(result: WriteResult, card: CardContext, project: Mapping[str, Any]) -> str:
    return (
        "## Export\n\n"
        f"- Format: `{result.format}`\n"
        f"- Exported at: {card.exported_at.isoformat()}\n"
        f"- Tool version: {card.tool_version}\n"
        f"- Scope: {card.scope}"
        + (" (and every document without annotations)" if card.unannotated_included else "")
        + "\n"
        f"- Language: {project.get('language') or 'unknown'}\n"
        f"- Documents: {result.records}\n"
        + (
            f"- Flagged documents left out: {card.flagged_left_out}\n"
            if card.flagged_left_out is not None
            else ""
        )
        + "- Offsets: Unicode code points into `text` exactly as stored (no normalisation, "
        "CRLF kept), end exclusive, as Python slices them\n"
        f"- Offsets in this format: {card.format_note}\n"
        + (f"- Values in this format: {card.format_caveat}\n" if card.format_caveat else "")
        + "\n"
    )


def _labels_section(schema: Schema) -> str:
    rows = []
    for lab in schema.get("labels", ()):
        extra = ""
        if lab.get("attributes"):
            extra = "; ".join(f"{k}: {', '.join(v)}" for k, v in lab["attributes"].items())
        if lab.get("kind") == "relation":
            sources = "|".join(lab.get("source_labels") or ["any"])
            extra = f"{sources} → {'|'.join(lab.get('target_labels') or ['any'])}"
        if lab.get("kind") == "document":
            group = lab.get("group") or "label"
            extra = f"group {group}" + (", multiple" if lab.get("multiple") else "")
        rows.append(
            f"| {lab.get('kind')} | `{lab['name']}` | {_cell(lab.get('description'))} "
            f"| {_cell(extra)} |"
        )
    table = "| Kind | Label | Description | Details |\n|---|---|---|---|\n" + "\n".join(rows)
    return f"## Labels\n\n{table}\n\n"


def _counts_section(result: WriteResult) -> str:
    splits = sorted(result.split_counts, key=split_order)
    head = "| | " + " | ".join(splits) + " |\n|---|" + "---|" * len(splits) + "\n"
    lines = ["| documents | " + " | ".join(str(result.split_counts[s]) for s in splits) + " |"]
    for counts in (result.span_label_counts, result.document_label_counts):
        names = sorted({name for per_split in counts.values() for name in per_split})
        for name in names:
            cells = " | ".join(str(counts.get(s, {}).get(name, 0)) for s in splits)
            lines.append(f"| `{name}` | {cells} |")
    return (
        "## Counts\n\nGold layer, per split: documents, spans per label, documents per "
        f"document label.\n\n{head}"
        + "\n".join(lines)
        + f"\n\nRelations: {result.relation_count}\n\n"
    )


def _agreement_section(agreement: Mapping[str, Any] | None) -> str:
    if not agreement:
        return "## Agreement\n\nNot computed for this export.\n\n"
    rows = [f"| {name} | {_cell(json.dumps(value))} |" for name, value in agreement.items()]
    return "## Agreement\n\n| Measure | Value |\n|---|---|\n" + "\n".join(rows) + "\n\n"


def _annotators_section(annotators: tuple[str, ...]) -> str:
    if not annotators:
        return ""
    return "## Annotators\n\n" + "".join(f"- {name}\n" for name in annotators) + "\n"


def _cell(value: Any) -> str:
    return str(value or "").replace("|", "\\|").replace("\n", " ")


CARD_LISTED = 20


def _changes_section(changes: Mapping[str, Any] | None) -> str:
    """The diff against the previous version, in a few lines (the API has it all)."""
    if not changes:
        return ""
    docs, spans, relations = changes["documents"], changes["spans"], changes["relations"]
    lines = [
        f"## Changes since version {changes.get('version')} (export {changes['against']})\n",
        f"- Documents: {len(docs['added'])} added, {len(docs['removed'])} removed, "
        f"{len(docs['changed'])} changed",
        f"- Spans: {spans['added']} added, {spans['removed']} removed, "
        f"{spans['relabelled']} relabelled, {spans['moved']} moved",
        f"- Relations: {relations['added']} added, {relations['removed']} removed",
        f"- Document labels changed in {changes['document_labels']['changed']} document(s)",
    ]
    for what in ("added", "removed", "changed"):
        ids = docs[what]
        if ids:
            shown = ", ".join(f"`{i}`" for i in ids[:CARD_LISTED])
            more = f" and {len(ids) - CARD_LISTED} more" if len(ids) > CARD_LISTED else ""
            lines.append(f"- {what.capitalize()}: {shown}{more}")
    if changes["by_label"]:
        lines.append("\n| Label | Added | Removed |\n|---|---|---|")
        lines += [
            f"| `{label}` | {c['added']} | {c['removed']} |"
            for label, c in changes["by_label"].items()
        ]
    return "\n".join(lines) + "\n\n"
