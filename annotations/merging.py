"""Automatic gold proposal: what enough annotators agree on, plus who said what.

Pure code over plain annotation dicts (no ORM). A reviewer starts from the
proposal and settles the `disputed` items; nothing here decides for them
when the vote is tied.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Any, Literal

from annotations.agreement.coreference import clusters_from_links
from annotations.attribution import (
    QUOTE,
    SPEAKER,
    canonical_names,
    links_from,
    names_of,
    resolved_speaker,
)

Status = Literal["agreed", "majority", "disputed"]
# (start, end, label, fragments): an interrupted quote is one item, matched whole.
SpanKey = tuple[int, int, str, tuple[tuple[int, int], ...]]
RelationKey = tuple[SpanKey, SpanKey, str]

# Tolerates float error in threshold * n (0.7 * 10 is 7.000000000000001).
_EPSILON = 1e-9


@dataclass(frozen=True)
class GoldProposal:
    """The proposed annotation and, per distinct item, who has it and its status."""

    annotation: dict[str, Any]
    spans: list[dict[str, Any]]
    relations: list[dict[str, Any]]
    document_labels: list[dict[str, Any]]
    chains: list[dict[str, Any]]
    speakers: list[dict[str, Any]]

    def as_dict(self) -> dict[str, Any]:
        return {
            "annotation": self.annotation,
            "spans": self.spans,
            "relations": self.relations,
            "document_labels": self.document_labels,
            "chains": self.chains,
            "speakers": self.speakers,
        }


def _passes(count: int, annotators: int, threshold: float) -> bool:
    """Everyone, or a strict majority (of at least two) that also reaches the threshold.

    One of two is never enough, whatever the threshold: a lone mark is the reviewer's call.
    """
    if annotators <= 0 or count <= 0:
        return False
    if count == annotators:
        return True
    return 2 * count > annotators and count >= threshold * annotators - _EPSILON


def _status(count: int, annotators: int, threshold: float) -> Status:
    if annotators and count == annotators:
        return "agreed"
    return "majority" if _passes(count, annotators, threshold) else "disputed"


def _freeze(value: Any) -> Hashable:
    return tuple(value) if isinstance(value, list) else value


def _thaw(value: Hashable) -> Any:
    return list(value) if isinstance(value, tuple) else value


def _winner(votes: Sequence[Hashable], annotators: int, threshold: float) -> Hashable | None:
    """The most common vote if it passes the threshold and is not tied."""
    ranked = Counter(votes).most_common(2)
    if not ranked or (len(ranked) == 2 and ranked[0][1] == ranked[1][1]):
        return None
    value, count = ranked[0]
    return value if _passes(count, annotators, threshold) else None


def _span_key(span: Mapping[str, Any]) -> SpanKey:
    fragments = tuple((int(a), int(b)) for a, b in span.get("fragments") or ())
    return int(span["start"]), int(span["end"]), str(span["label"]), fragments


def _span_dict(key: SpanKey) -> dict[str, Any]:
    out: dict[str, Any] = {"start": key[0], "end": key[1], "label": key[2]}
    if key[3]:
        out["fragments"] = [list(piece) for piece in key[3]]
    return out


def _spans_by_key(
    annotations: Mapping[str, Mapping[str, Any]],
) -> dict[SpanKey, dict[str, Mapping[str, Any]]]:
    """Distinct (start, end, label) -> annotator -> that annotator's span."""
    holders: dict[SpanKey, dict[str, Mapping[str, Any]]] = defaultdict(dict)
    for name in sorted(annotations):
        for span in annotations[name].get("spans") or ():
            holders[_span_key(span)].setdefault(name, span)
    return holders


def _attributes(
    spans: Mapping[str, Mapping[str, Any]], annotators: int, threshold: float
) -> tuple[dict[str, Any], list[str]]:
    """Winning value per attribute, and the attributes left for the reviewer."""
    votes: dict[str, list[Hashable]] = defaultdict(list)
    for span in spans.values():
        for name, value in (span.get("attributes") or {}).items():
            votes[name].append(_freeze(value))
    chosen, disputed = {}, []
    for name in sorted(votes):
        winner = _winner(votes[name], annotators, threshold)
        if winner is None:
            disputed.append(name)
        else:
            chosen[name] = _thaw(winner)
    return chosen, disputed


def _propose_spans(
    annotations: Mapping[str, Mapping[str, Any]], threshold: float
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], dict[SpanKey, str]]:
    """Gold spans (ids g1, g2, ... in text order), status rows, and key -> gold id."""
    n = len(annotations)
    gold: list[dict[str, Any]] = []
    rows: list[dict[str, Any]] = []
    gold_ids: dict[SpanKey, str] = {}
    for key, spans in sorted(_spans_by_key(annotations).items()):
        status = _status(len(spans), n, threshold)
        attributes, disputed = _attributes(spans, n, threshold)
        gold_id = None
        if status != "disputed":
            gold_id = gold_ids[key] = f"g{len(gold_ids) + 1}"
            gold.append({"id": gold_id, **_span_dict(key), "attributes": attributes})
        rows.append(
            {
                **_span_dict(key),
                "annotators": sorted(spans),
                "status": status,
                "gold_id": gold_id,
                "disputed_attributes": disputed,
            }
        )
    return gold, rows, gold_ids


def _relations_by_key(annotations: Mapping[str, Mapping[str, Any]]) -> dict[RelationKey, set[str]]:
    """Distinct links, read through span positions so ids do not matter -> annotators."""
    holders: dict[RelationKey, set[str]] = defaultdict(set)
    for name, annotation in annotations.items():
        keys = {str(s.get("id")): _span_key(s) for s in annotation.get("spans") or ()}
        for relation in annotation.get("relations") or ():
            ends = keys.get(str(relation["from"])), keys.get(str(relation["to"]))
            if ends[0] is not None and ends[1] is not None:
                holders[(ends[0], ends[1], str(relation["label"]))].add(name)
    return holders


def _propose_relations(
    annotations: Mapping[str, Mapping[str, Any]], threshold: float, gold_ids: Mapping[SpanKey, str]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    n = len(annotations)
    gold: list[dict[str, Any]] = []
    rows: list[dict[str, Any]] = []
    for (source, target, label), names in sorted(_relations_by_key(annotations).items()):
        status = _status(len(names), n, threshold)
        # A link that passes has passing ends: every holder also has both spans.
        gold_id = None
        if status != "disputed" and source in gold_ids and target in gold_ids:
            gold_id = f"r{len(gold) + 1}"
            gold.append(
                {"id": gold_id, "from": gold_ids[source], "to": gold_ids[target], "label": label}
            )
        rows.append(
            {
                "from": _span_dict(source),
                "to": _span_dict(target),
                "label": label,
                "annotators": sorted(names),
                "status": status,
                "gold_id": gold_id,
            }
        )
    return gold, rows


def _propose_group(
    answers: Mapping[str, Any], annotators: int, threshold: float
) -> tuple[Any, list[dict[str, Any]]]:
    """One document-label group: (gold value or None, status rows).

    Single choice: the untied majority value. Multi choice (list values): each
    option on its own, kept when enough annotators chose it.
    """
    if not any(isinstance(v, list) for v in answers.values()):
        winner = _winner(list(answers.values()), annotators, threshold)
        by_value: dict[Any, list[str]] = defaultdict(list)
        for name, value in sorted(answers.items()):
            by_value[value].append(name)
        rows = []
        for value, names in sorted(by_value.items(), key=lambda item: repr(item[0])):
            status = _status(len(names), annotators, threshold)
            if status == "majority" and value != winner:
                status = "disputed"  # passes, but tied with another value
            rows.append({"value": value, "annotators": names, "status": status})
        return winner, rows
    by_option: dict[str, list[str]] = defaultdict(list)
    for name, value in sorted(answers.items()):
        for option in value if isinstance(value, list) else [value]:
            by_option[option].append(name)
    rows = [
        {"value": option, "annotators": names, "status": _status(len(names), annotators, threshold)}
        for option, names in sorted(by_option.items())
    ]
    if not _passes(len(answers), annotators, threshold):
        return None, rows
    return [row["value"] for row in rows if row["status"] != "disputed"], rows


def _propose_document_labels(
    annotations: Mapping[str, Mapping[str, Any]], threshold: float
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    answers: dict[str, dict[str, Any]] = defaultdict(dict)
    for name, annotation in annotations.items():
        for group, value in (annotation.get("document_labels") or {}).items():
            if value is not None:
                answers[group][name] = value
    gold: dict[str, Any] = {}
    rows: list[dict[str, Any]] = []
    for group in sorted(answers):
        value, group_rows = _propose_group(answers[group], len(annotations), threshold)
        if value is not None:
            gold[group] = value
        rows.extend({"group": group, **row} for row in group_rows)
    return gold, rows


def propose_gold(
    annotations: Mapping[str, Mapping[str, Any]], threshold: float = 0.5, text: str | None = None
) -> GoldProposal:
    """Propose gold from submitted annotations (annotator name -> annotation dict).

    An item is proposed when everyone has it, or when a strict majority of the submitted
    versions has it (more than half: 2 of 3, 3 of 4, never 1 of 2) and also
    `agreeing >= threshold * n_annotators`: spans by exact (start, end, label), relations
    by the positions of their ends, document labels and span attributes by untied
    majority value. Status per distinct item: `agreed` (everyone), `majority` (passes),
    `disputed` (not). With the document's `text`, each quote also gets a row of the speaker
    each annotator's version resolves it to (`speakers`, DECISIONS 47).
    """
    if not 0.0 <= threshold <= 1.0:
        raise ValueError("threshold is a share of annotators, between 0 and 1")
    spans, span_rows, gold_ids = _propose_spans(annotations, threshold)
    relations, relation_rows = _propose_relations(annotations, threshold, gold_ids)
    labels, label_rows = _propose_document_labels(annotations, threshold)
    chains, chain_rows = _propose_chains(annotations, threshold, gold_ids, spans)
    speaker_rows = [] if text is None else _speaker_rows(annotations, threshold, text)
    return GoldProposal(
        annotation={
            "spans": spans,
            "relations": relations,
            "chains": chains,
            "document_labels": labels,
        },
        spans=span_rows,
        relations=relation_rows,
        document_labels=label_rows,
        chains=chain_rows,
        speakers=speaker_rows,
    )


def _speaker_rows(
    annotations: Mapping[str, Mapping[str, Any]], threshold: float, text: str
) -> list[dict[str, Any]]:
    """Per distinct quote: the name each annotator who marked it resolves its speaker to
    (their chain's canonical name, else the mention's text; None without a speaker), the
    untied majority name, and its status, so two links to different mentions of one person
    read as the agreement they are."""
    n = len(annotations)
    names: dict[SpanKey, dict[str, str | None]] = defaultdict(dict)
    for annotator in sorted(annotations):
        annotation = annotations[annotator]
        spans = annotation.get("spans") or []
        by_id = {s["id"]: s for s in spans}
        canon = canonical_names(spans, names_of(annotation), text)
        speakers = links_from(annotation.get("relations") or [], SPEAKER)
        for span in spans:
            if span["label"] == QUOTE:
                speaker = by_id.get(speakers.get(span["id"], ""))
                names[_span_key(span)][annotator] = resolved_speaker(speaker, canon, text)
    rows = []
    for key, by_annotator in sorted(names.items()):
        votes = [name for name in by_annotator.values() if name]
        winner = _winner(votes, n, threshold)
        count = sum(1 for name in votes if name == winner) if winner else 0
        status = _status(count, n, threshold) if winner else "disputed"
        rows.append(
            {
                "quote": _span_dict(key),
                "speakers": by_annotator,
                "speaker": winner,
                "status": status,
            }
        )
    return rows


# --- Speaker chains ------------------------------------------------------------------------


def _chains_by_annotator(
    annotations: Mapping[str, Mapping[str, Any]],
) -> dict[str, list[tuple[frozenset[SpanKey], str]]]:
    """annotator -> their chains as (mention keys, name given)."""
    out: dict[str, list[tuple[frozenset[SpanKey], str]]] = {}
    for name, annotation in annotations.items():
        members: dict[str, set[SpanKey]] = defaultdict(set)
        for span in annotation.get("spans") or ():
            if span.get("chain"):
                members[span["chain"]].add(_span_key(span))
        names = annotation.get("chain_names") or {
            c["id"]: c.get("name") or "" for c in annotation.get("chains") or ()
        }
        out[name] = [(frozenset(keys), names.get(cid) or "") for cid, keys in members.items()]
    return out


def _propose_chains(
    annotations: Mapping[str, Mapping[str, Any]],
    threshold: float,
    gold_ids: Mapping[SpanKey, str],
    gold_spans: list[dict[str, Any]],
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Gold chains and a status row per distinct chain (its exact set of mentions).

    A pair of mentions is in one gold chain when enough annotators put them in one chain
    (the same rule as any item), and gold chains are what those pairs join, among gold
    spans; a lone mention is a gold chain of one when enough annotators made exactly that
    chain. The gold chain's name is the untied majority of the names its mentions' chains
    were given (blank when none). Chains are numbered c1, c2, … by their first mention.
    """
    n = len(annotations)
    by_annotator = _chains_by_annotator(annotations)
    pair_votes: Counter[tuple[SpanKey, SpanKey]] = Counter()
    chain_votes: dict[frozenset[SpanKey], list[str]] = defaultdict(list)
    for name, chains in by_annotator.items():
        for keys, _ in chains:
            chain_votes[keys].append(name)
            pair_votes.update(combinations(sorted(keys), 2))
    links = [
        pair
        for pair, count in pair_votes.items()
        if _passes(count, n, threshold) and pair[0] in gold_ids and pair[1] in gold_ids
    ]
    groups = [frozenset(g) for g in clusters_from_links([], links)]
    joined = set().union(*groups) if groups else set()
    groups += [
        keys
        for keys, names in chain_votes.items()
        if len(keys) == 1
        and _passes(len(names), n, threshold)
        and next(iter(keys)) in gold_ids
        and not keys & joined
    ]
    groups.sort(key=min)
    by_gold_id = {s["id"]: s for s in gold_spans}
    gold: list[dict[str, Any]] = []
    chain_of: dict[frozenset[SpanKey], str] = {}
    for number, keys in enumerate(groups, start=1):
        chain_id = chain_of[keys] = f"c{number}"
        for key in keys:
            by_gold_id[gold_ids[key]]["chain"] = chain_id
        names = [
            given
            for chains in by_annotator.values()
            for mentions, given in chains
            if given and mentions & keys
        ]
        gold.append({"id": chain_id, "name": _winner(names, len(names), 0.5) or ""})
    rows = [
        {
            "mentions": [_span_dict(key) for key in sorted(keys)],
            "annotators": sorted(names),
            "status": _status(len(names), n, threshold),
            "gold_id": chain_of.get(keys),
        }
        for keys, names in sorted(chain_votes.items(), key=lambda item: sorted(item[0]))
    ]
    return gold, rows
