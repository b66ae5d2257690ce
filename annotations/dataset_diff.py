"""What changed between two dataset versions, on plain rows (no ORM): the per-document
manifest an export keeps, and the counts a diff reports (DECISIONS.md 50).

A manifest entry is one document as the diff needs it: a digest of everything the export
wrote for it at the top level (text, title, meta, spans with attributes, relations, document
labels), and the top-level content in compact form, spans as ``[start, end, label]`` and
relations by their ends' extents (span ids are not stable across versions). Annotators'
layers (scope ``all``) are not diffed: the diff is about the dataset's answer key.

Matching within a changed document, after exact matches (same start, end and label) are
set aside: a span with the same extent and another label is *relabelled*; one with the
same label overlapping a left-over one of the other side is *moved*; what is left is
*added* or *removed*. ``by_label`` counts, per label, spans that appear with it (added or
relabelled to it) and spans that leave it (removed or relabelled from it); a move changes
no label's count. Spans and relations of added and removed documents count as added and
removed. A relation is identified by its label and its ends' extents, so a relation whose
end moved is one removed and one added.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Mapping
from typing import Any

Content = dict[str, Any]


def manifest_entry(record: Mapping[str, Any]) -> tuple[str, Content]:
    """(digest, compact content) of a record's top-level layer."""
    spans = record.get("spans") or ()
    ends = {s["id"]: [s["start"], s["end"], s["label"]] for s in spans}
    content: Content = {
        "spans": sorted(ends.values()),
        "relations": sorted(
            [ends[r["from"]], ends[r["to"]], r["label"]]
            for r in record.get("relations") or ()
            if r["from"] in ends and r["to"] in ends
        ),
        "labels": _labels(record.get("document_labels") or {}),
    }
    facts = {
        "text": record.get("text", ""),
        "title": record.get("title", ""),
        "meta": record.get("meta") or {},
        "attributes": sorted(
            [s["start"], s["end"], s["label"], s.get("attributes") or {}] for s in spans
        ),
        **content,
    }
    blob = json.dumps(facts, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:40], content


def _labels(labels: Mapping[str, Any]) -> dict[str, Any]:
    return {
        group: sorted(value) if isinstance(value, list) else value
        for group, value in sorted(labels.items())
        if value not in (None, "", [])
    }


class DiffTally:
    """Accumulates a diff document by document; memory is the lists of external ids and one
    counter per label."""

    def __init__(self, against: int) -> None:
        self.against = against
        self.documents: dict[str, list[str]] = {"added": [], "removed": [], "changed": []}
        self.spans = Counter({"added": 0, "removed": 0, "relabelled": 0, "moved": 0})
        self.relations = Counter({"added": 0, "removed": 0})
        self.labels_changed = 0
        self.by_label: dict[str, Counter[str]] = {}

    def added(self, external_id: str, content: Content) -> None:
        self.documents["added"].append(external_id)
        self._spans([], content["spans"])
        self.relations["added"] += len(content["relations"])

    def removed(self, external_id: str, content: Content) -> None:
        self.documents["removed"].append(external_id)
        self._spans(content["spans"], [])
        self.relations["removed"] += len(content["relations"])

    def changed(self, external_id: str, old: Content, new: Content) -> None:
        self.documents["changed"].append(external_id)
        self._spans(old["spans"], new["spans"])
        old_relations = Counter(_key(r) for r in old["relations"])
        new_relations = Counter(_key(r) for r in new["relations"])
        self.relations["added"] += sum((new_relations - old_relations).values())
        self.relations["removed"] += sum((old_relations - new_relations).values())
        self.labels_changed += old["labels"] != new["labels"]

    def _spans(self, old: list[list[Any]], new: list[list[Any]]) -> None:
        """Match spans (exact, then relabelled, then moved) and count what is left."""
        exact = Counter(map(tuple, old)) & Counter(map(tuple, new))
        left_old = _minus(old, exact)
        left_new = _minus(new, exact)
        for o in list(left_old):
            n = next((n for n in left_new if n[:2] == o[:2] and n[2] != o[2]), None)
            if n is not None:
                left_old.remove(o)
                left_new.remove(n)
                self.spans["relabelled"] += 1
                self._label(o[2], "removed")
                self._label(n[2], "added")
        for o in list(left_old):
            n = next((n for n in left_new if n[2] == o[2] and n[0] < o[1] and o[0] < n[1]), None)
            if n is not None:
                left_old.remove(o)
                left_new.remove(n)
                self.spans["moved"] += 1
        for o in left_old:
            self.spans["removed"] += 1
            self._label(o[2], "removed")
        for n in left_new:
            self.spans["added"] += 1
            self._label(n[2], "added")

    def _label(self, label: str, what: str) -> None:
        self.by_label.setdefault(label, Counter({"added": 0, "removed": 0}))[what] += 1

    def result(self) -> dict[str, Any]:
        return {
            "against": self.against,
            "documents": self.documents,
            "spans": dict(self.spans),
            "relations": dict(self.relations),
            "document_labels": {"changed": self.labels_changed},
            "by_label": {label: dict(c) for label, c in sorted(self.by_label.items())},
        }


def _key(relation: list[Any]) -> tuple:
    return (tuple(relation[0]), tuple(relation[1]), relation[2])


def _minus(spans: list[list[Any]], exact: Counter) -> list[tuple]:
    """The spans not matched exactly (each exact match used once), in start order."""
    used = Counter(exact)
    left = []
    for span in map(tuple, spans):
        if used[span]:
            used[span] -= 1
        else:
            left.append(span)
    return left
