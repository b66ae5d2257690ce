"""Whose work an upload's layers are: foreign annotators, labels and layers mapped to ours.

Readers give each foreign layer as they find it: doccano a file's one layer as the record's
own (gold) layer, Label Studio every annotation under ``annotations`` with the names it goes
by (``_names``: our own ``annotator``, else ``completed_by``'s id, then its email) and its
``_ground_truth`` mark. ``assign_layers`` turns them into native records for the importer:

- ``as`` ``annotations`` (the default): each annotation is its author's version (the author
  through ``annotator_map``, else a member of the same name); a ground-truth annotation is the
  gold layer as well. A single-layer file is the version of the member it is named after
  (``annotator_map`` keyed by the file's name); doccano files are so by default (doccano
  names each member's file after them), falling back to gold with a warning.
- ``as`` ``gold``: the ground-truth annotation, else a task's only one, is the gold layer;
  nothing else is imported.
- ``as`` ``suggestions``: every layer (gold, annotations, Label Studio's predictions with
  their scores) becomes the document's suggestions (``_suggestions``, source
  ``IMPORT_SOURCE``); no version or gold is made.
- ``annotators`` (``Layering.unmapped``) for a foreign annotator who maps to no member (by
  ``annotator_map``, username or email): ``map`` refuses, ``create`` names a new member (the
  importer makes the account), ``suggestions`` makes their layer the document's suggestions;
  ``Layering.report`` records who was mapped, created or suggested for the upload's answer.
- ``label_map`` renames span and relation labels, document label groups and values, and span
  attribute names before anything is checked.

Pure code: the importer checks the result like any native record.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from .base import FormatError, Record

LAYERS = ("annotations", "gold", "suggestions")
# The suggestion source an upload's layers are stored under (`as=suggestions`).
IMPORT_SOURCE = "import"
# What a layer holds; `chains` (ids and names) travel with the spans that name them, so a
# layer moved, chosen as gold or updated in place keeps its chains' names.
CONTENT = ("spans", "relations", "document_labels", "chains")


class LayerProblem(FormatError):
    """A layer that cannot become ours; ``code`` and ``params`` let the importer word it.

    Codes: ``unmapped`` (``found``: every foreign annotator, ``unmapped``: those that map to
    no member), ``owner_unknown`` (``owner``: the doccano file's user), ``duplicate_author``
    (``member``, ``document``), ``gold_ambiguous`` (``document``, ``count``).
    """

    def __init__(self, code: str, message: str, **params: Any) -> None:
        self.code = code
        self.params = params
        super().__init__(message, field=params.pop("field", None), line=params.pop("line", None))


@dataclass(frozen=True)
class Layering:
    """What the upload said about its layers (the `as`, `annotator_map`, `label_map` fields)."""

    layer: str | None = None  # one of LAYERS; None: the format's default
    annotators: Mapping[str, str] = field(default_factory=dict)
    labels: Mapping[str, str] = field(default_factory=dict)
    # Our members' usernames, asked for only when a name must be looked up (one query).
    members: Callable[[], frozenset[str]] = frozenset
    owner: str | None = None  # whose file this is: its name without the suffix
    # The format's files are one person's each, named after them (doccano's export), so by
    # default a file is its owner's version; elsewhere only as=annotations says so.
    owner_by_default: bool = False
    # Our members' usernames by lower-cased email (asked for only when a name has an @).
    emails: Callable[[], Mapping[str, str]] = dict
    # What to do with an annotator who maps to no member (the upload's `annotators`):
    # "map" refuses the file, "create" names a new member (the importer makes the account),
    # "suggestions" makes their work the document's suggestions.
    unmapped: str = "map"
    # Filled while reading: foreign name -> member, and who will be created or suggested.
    report: dict[str, Any] = field(
        default_factory=lambda: {"mapped": {}, "created": [], "suggestions": []}
    )

    def member(self, names: Iterable[str]) -> str | None:
        """Our username for a foreign annotator known by ``names``: mapped, else a member of
        the same name, else the member with that email."""
        names = [n for n in names if n]
        for name in names:
            if name in self.annotators:
                return self.annotators[name]
        members = self.members()
        found = next((name for name in names if name in members), None)
        if found is None and any("@" in name for name in names):
            emails = self.emails()
            found = next((emails[n.lower()] for n in names if n.lower() in emails), None)
        return found


def new_member_name(names: Iterable[str]) -> str:
    """The username a new account for a foreign annotator gets (`annotators=create`): its
    first name that is not a bare number (Label Studio's user ids), in the characters a
    username may hold."""
    names = [n for n in names if n]
    chosen = next((n for n in names if not n.isdigit()), None)
    if chosen is None:
        chosen = f"annotator-{names[0]}" if names else "annotator"
    return _USERNAME_UNSAFE.sub("_", chosen)[:150]


_USERNAME_UNSAFE = re.compile(r"[^\w.@+-]")


def unmapped(annotators: Mapping[str, tuple[str, ...]], layering: Layering) -> list[str]:
    """The foreign annotators (by first name) that map to no member."""
    return [key for key, names in annotators.items() if layering.member(names) is None]


def assign_layers(
    records: Iterable[Record], layering: Layering, warnings: list[str]
) -> Iterator[Record]:
    """The records with their layers made ours (see the module docstring)."""
    counts = {"gold_from_file": 0, "not_imported": 0, "predictions": 0}
    used: set[str] = set()
    for record in records:
        rename_labels(record, layering.labels, used)
        predictions = record.pop("_predictions", None) or []
        if layering.layer == "suggestions":
            _as_suggestions(record, predictions)
            yield record
            continue
        counts["predictions"] += len(predictions)
        if record.get("annotations") and any("_names" in a for a in record["annotations"]):
            _foreign_annotations(record, layering, counts)
        elif _has_content(record) and (
            layering.layer == "annotations"
            or (layering.layer is None and layering.owner_by_default)
        ):
            _owned_file(record, layering, counts)
        yield record
    _report(counts, layering, used, warnings)


def _report(
    counts: dict[str, int], layering: Layering, used: set[str], warnings: list[str]
) -> None:
    if counts["gold_from_file"]:
        warnings.append(
            f"{counts['gold_from_file']} document(s) imported as gold: the file is named "
            f"{layering.owner!r} and no member is called so (doccano names each member's file "
            "after them); send annotator_map to make it a member's version, or as=gold"
        )
    if counts["not_imported"]:
        warnings.append(
            f"{counts['not_imported']} annotation(s) not imported: as=gold keeps only the "
            "ground-truth annotation (or a task's only one)"
        )
    if counts["predictions"]:
        warnings.append(
            f"{counts['predictions']} prediction(s) not imported: send as=suggestions to "
            "import them (with the file's annotations) as suggestions"
        )
    unused = sorted(set(layering.labels) - used)
    if unused:
        warnings.append(f"label_map entries that matched nothing: {', '.join(unused)}")


def _as_suggestions(record: Record, predictions: list[dict[str, Any]]) -> None:
    """Every layer of the record (gold, annotations, predictions) as its suggestions."""
    layers = [record] if _has_content(record) else []
    layers += [a for a in record.pop("annotations", None) or () if not a.get("_ground_truth")]
    layers += predictions
    record["_suggestions"] = suggestion_payload(layers)
    record.update(spans=[], relations=[], document_labels={})


def _has_content(record: Record) -> bool:
    return any(record.get(key) for key in CONTENT)


def _owned_file(record: Record, layering: Layering, counts: dict[str, int]) -> None:
    """A single-layer file (doccano): the version of the member it belongs to."""
    owner = layering.member([layering.owner or ""])
    if owner is None and layering.unmapped == "create" and layering.owner:
        owner = new_member_name([layering.owner])
        if owner not in layering.report["created"]:
            layering.report["created"].append(owner)
    if owner is None:
        if layering.layer == "annotations":
            raise LayerProblem(
                "owner_unknown",
                f"the file is {layering.owner!r}'s and no member is called so",
                owner=layering.owner or "",
                field="annotator_map",
            )
        counts["gold_from_file"] += 1
        return
    layer = {key: record.pop(key) for key in CONTENT if key in record}
    record.update(spans=[], relations=[], document_labels={})
    record["annotations"] = [{"annotator": owner, "status": "submitted", **layer}]


def _foreign_annotations(record: Record, layering: Layering, counts: dict[str, int]) -> None:
    """Authored annotations (Label Studio): versions of their mapped authors, or, as=gold, the
    gold layer when the task has no ground truth and one annotation."""
    annotations = record.pop("annotations")
    if layering.layer == "gold":
        if _has_content(record):  # the reader took the ground truth as gold
            counts["not_imported"] += sum(not a.get("_ground_truth") for a in annotations)
        elif len(annotations) > 1:
            raise LayerProblem(
                "gold_ambiguous",
                f"document {record['external_id']!r}: {len(annotations)} annotations and none "
                "marked ground truth; as=gold needs one",
                document=record["external_id"],
                count=len(annotations),
            )
        elif annotations:
            record.update({key: annotations[0].get(key) or _empty(key) for key in CONTENT})
        return
    versions, authors, suggested = [], set(), []
    for annotation in annotations:
        names = annotation.pop("_names", ())
        annotation.pop("_ground_truth", None)
        if not names:
            continue  # no author: a gold layer only (our own Label Studio export's)
        member = layering.member(names)
        report = layering.report
        if member is None and layering.unmapped == "create":
            member = new_member_name(names)
            if member not in report["created"]:
                report["created"].append(member)
        elif member is None and layering.unmapped == "suggestions":
            suggested.append(annotation)
            if names[0] not in report["suggestions"]:
                report["suggestions"].append(names[0])
            continue
        elif member is None:  # checked before reading (`unmapped`); a guard for callers
            raise LayerProblem(
                "unmapped", "unmapped annotator", found=list(names), unmapped=list(names)
            )
        else:
            report["mapped"].setdefault(names[0], member)
        if member in authors:
            raise LayerProblem(
                "duplicate_author",
                f"document {record['external_id']!r}: two annotations map to {member!r}",
                member=member,
                document=record["external_id"],
            )
        authors.add(member)
        versions.append({**annotation, "annotator": member})
    record["annotations"] = versions
    if suggested:
        record["_suggestions"] = suggestion_payload(suggested)


def _empty(key: str) -> Any:
    return {} if key == "document_labels" else []


def rename_labels(record: Record, labels: Mapping[str, str], used: set[str]) -> None:
    """Apply ``label_map`` to every layer of the record, noting the keys that matched."""
    if not labels:
        return

    def rename(name: Any) -> Any:
        if isinstance(name, str) and name in labels:
            used.add(name)
            return labels[name]
        return name

    for layer in [record, *(record.get("annotations") or ())]:
        for span in layer.get("spans") or ():
            span["label"] = rename(span.get("label"))
            attributes = span.get("attributes") or {}
            span["attributes"] = {rename(k): v for k, v in attributes.items()}
        for relation in layer.get("relations") or ():
            relation["label"] = rename(relation.get("label"))
        groups = layer.get("document_labels") or {}
        layer["document_labels"] = {
            rename(group): [rename(v) for v in value] if isinstance(value, list) else rename(value)
            for group, value in groups.items()
        }


def suggestion_payload(layers: list[dict[str, Any]]) -> dict[str, Any]:
    """Several layers as one suggestion answer: each span once (the first layer's, by offsets
    and label), ids made unique per layer, relations following their spans, each document
    label group from the first layer that has it; a layer's `score` (a prediction's) on its
    items, else 1."""
    spans: dict[tuple[int, int, str], dict[str, Any]] = {}
    relations: list[dict[str, Any]] = []
    labels: dict[str, Any] = {}
    for number, layer in enumerate(layers):
        score = layer.get("score")
        score = float(score) if isinstance(score, int | float) and 0 <= score <= 1 else 1.0
        ids: dict[str, str] = {}
        for span in layer.get("spans") or ():
            key = (span["start"], span["end"], span["label"])
            if key not in spans:
                spans[key] = {**span, "id": f"{number}-{span['id']}", "score": score}
            ids[span["id"]] = spans[key]["id"]
        seen = {(r["from"], r["to"], r["label"]) for r in relations}
        for relation in layer.get("relations") or ():
            ends = ids.get(relation["from"]), ids.get(relation["to"])
            key = (ends[0], ends[1], relation["label"])
            if None not in ends and key not in seen:
                relations.append(
                    {
                        "id": f"{number}-{relation.get('id') or len(relations) + 1}",
                        "from": ends[0],
                        "to": ends[1],
                        "label": relation["label"],
                        "score": score,
                    }
                )
                seen.add(key)
        for group, value in (layer.get("document_labels") or {}).items():
            labels.setdefault(group, value)
    return {"spans": list(spans.values()), "relations": relations, "document_labels": labels}
