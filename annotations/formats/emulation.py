"""Interrupted spans and speaker chains in formats that have neither (Label Studio, doccano),
emulated with relations as INCEpTION emulates them with links (DECISIONS 67).

Writing: each fragment of an interrupted span is a region of its own, the first keeping the
span's id (so the span's SPEAKER and CUE links leave from it), the others joined to it by a
``FRAGMENT`` relation; each chain is a ``COREF`` relation between consecutive mentions, in
document order. Reading turns them back: a group of regions joined by ``FRAGMENT`` relations
is one span with fragments, and regions joined by ``COREF`` relations are one chain.

The two labels are reserved only where the project does not use them: a project with a
relation label ``FRAGMENT`` (or ``COREF``) of its own reads such relations as ordinary
relations. A ``FRAGMENT`` group that cannot be one span (labels differ, pieces overlap or
touch) is not joined: its relations are skipped and named in a warning, its regions kept.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from annotations.agreement.coreference import clusters_from_links

FRAGMENT = "FRAGMENT"
COREF = "COREF"
RESERVED = (FRAGMENT, COREF)


@dataclass(frozen=True)
class Piece:
    """One region a format writes: a whole span, or one fragment of an interrupted one."""

    span: Mapping[str, Any]
    id: str
    start: int
    end: int
    first: bool  # the span's first piece: it carries the id, the attributes and the chain


def pieces(layer: Mapping[str, Any]) -> tuple[list[Piece], list[dict[str, Any]]]:
    """The layer's spans as regions, and the relations emulating fragments and chains
    (``from``/``to`` are region ids; ``label`` is ``FRAGMENT`` or ``COREF``)."""
    spans = list(layer.get("spans") or ())
    taken = {str(span["id"]) for span in spans}
    out: list[Piece] = []
    links: list[dict[str, Any]] = []
    for span in spans:
        head = str(span["id"])
        extents = span.get("fragments") or [[span["start"], span["end"]]]
        for number, (start, end) in enumerate(extents, start=1):
            region = head if number == 1 else _fresh(f"{head}.{number}", taken)
            out.append(Piece(span, region, start, end, number == 1))
            if number > 1:
                links.append({"from": head, "to": region, "label": FRAGMENT})
    mentions: dict[str, list[str]] = {}
    for span in sorted(spans, key=lambda s: (s["start"], s["end"])):
        if span.get("chain"):
            mentions.setdefault(str(span["chain"]), []).append(str(span["id"]))
    for members in mentions.values():
        links += [{"from": a, "to": b, "label": COREF} for a, b in pairwise(members)]
    return out, links


def _fresh(name: str, taken: set[str]) -> str:
    candidate, n = name, 1
    while candidate in taken:
        n += 1
        candidate = f"{name}-{n}"
    taken.add(candidate)
    return candidate


def reserved_labels(relation_labels: Iterable[str] | None) -> frozenset[str]:
    """The emulation's labels a reader decodes: those the project has no relation label of."""
    return frozenset(RESERVED) - set(relation_labels or ())


def decode(
    layer: dict[str, Any],
    *,
    reserved: frozenset[str],
    doc: str,
    warnings: list[str],
    chain_of: Mapping[str, tuple[str, str]] | None = None,
) -> None:
    """Turn a layer's ``FRAGMENT`` and ``COREF`` relations (those in ``reserved``) into
    fragments and chains, in place. ``chain_of``: region id -> (chain id, chain name) where
    the format carried them (Label Studio's region meta)."""
    joins: list[dict[str, Any]] = []
    corefs: list[dict[str, Any]] = []
    others: list[dict[str, Any]] = []
    for rel in layer.get("relations") or []:
        label = rel["label"] if rel["label"] in reserved else None
        (joins if label == FRAGMENT else corefs if label == COREF else others).append(rel)
    merged = _join_fragments(layer, joins, doc, warnings)
    kept, seen = [], set()
    for rel in others:
        ends = merged.get(rel["from"], rel["from"]), merged.get(rel["to"], rel["to"])
        if ends[0] == ends[1] and rel["from"] != rel["to"]:
            warnings.append(
                f"{doc}: relation {rel.get('id')!r} ({rel['label']}) joins two fragments of "
                "one interrupted span; skipped"
            )
            continue
        if (*ends, rel["label"]) not in seen:
            seen.add((*ends, rel["label"]))
            kept.append({**rel, "from": ends[0], "to": ends[1]})
    layer["relations"] = kept
    links = [(merged.get(r["from"], r["from"]), merged.get(r["to"], r["to"])) for r in corefs]
    chains = {merged.get(k, k): v for k, v in (chain_of or {}).items()}
    _chains(layer, links, chains)


def _join_fragments(
    layer: dict[str, Any], joins: list[dict[str, Any]], doc: str, warnings: list[str]
) -> dict[str, str]:
    """Join each group of regions linked by FRAGMENT relations into its earliest region;
    answer region id -> the id of the span it became part of."""
    spans = {span["id"]: span for span in layer.get("spans") or ()}
    merged: dict[str, str] = {}
    for group in clusters_from_links((), ((r["from"], r["to"]) for r in joins)):
        members = sorted((spans[i] for i in group), key=lambda s: (s["start"], s["end"]))
        problem = _unjoinable(members)
        if problem:
            names = ", ".join(repr(s["id"]) for s in members)
            warnings.append(
                f"{doc}: {FRAGMENT} relation(s) between regions {names} not read as one "
                f"interrupted span ({problem}); skipped, the regions kept apart"
            )
            continue
        head = members[0]
        head["fragments"] = [[s["start"], s["end"]] for s in members]
        head["end"] = members[-1]["end"]
        for other in members[1:]:
            for name, value in (other.get("attributes") or {}).items():
                head.setdefault("attributes", {}).setdefault(name, value)
            merged[other["id"]] = head["id"]
            del spans[other["id"]]
    layer["spans"] = list(spans.values())
    return merged


def _unjoinable(members: list[dict[str, Any]]) -> str | None:
    labels = sorted({s["label"] for s in members})
    if len(labels) > 1:
        return "their labels differ: " + ", ".join(labels)
    if any(s.get("fragments") for s in members):
        return "one of them has fragments already"
    for before, after in pairwise(members):
        if before["end"] >= after["start"]:
            return "they overlap or touch"
    return None


def _chains(
    layer: dict[str, Any],
    links: list[tuple[str, str]],
    named: Mapping[str, tuple[str, str]],
) -> None:
    """Chains from the format's own chain marks (``named``) and COREF links: regions linked
    are one chain, named by the first mark among them, else ``e1``, ``e2``, … unnamed."""
    spans = sorted(layer.get("spans") or (), key=lambda s: (s["start"], s["end"]))
    by_id = {span["id"]: span for span in spans}
    order = {span["id"]: n for n, span in enumerate(spans)}
    marks: dict[str, list[str]] = {}
    for region, (chain_id, _) in named.items():
        if region in by_id:
            marks.setdefault(chain_id, []).append(region)
    edges = [(a, b) for a, b in links if a in by_id and b in by_id]
    edges += [(members[0], other) for members in marks.values() for other in members[1:]]
    groups = clusters_from_links((), edges)
    groups += [{members[0]} for members in marks.values() if len(members) == 1]
    taken = set(marks)
    found: list[tuple[int, str, str, set[str]]] = []
    unnamed = 0
    for group in groups:
        first = min(order[i] for i in group)
        marked = [named[i] for i in sorted(group, key=order.__getitem__) if i in named]
        if marked:
            chain_id = marked[0][0]
            name = next((n for _, n in marked if n), "")
        else:
            unnamed += 1
            chain_id = _fresh(f"e{unnamed}", taken)
            name = ""
        found.append((first, chain_id, name, group))
    chains = []
    for _, chain_id, name, group in sorted(found):
        for region in group:
            by_id[region]["chain"] = chain_id
        chains.append({"id": chain_id, "name": name})
    if chains:
        layer["chains"] = chains
