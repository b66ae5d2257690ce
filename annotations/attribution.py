"""Quote attribution as researchers model it (DECISIONS 46): interrupted spans, speech cues,
speaker chains and the speaker a quote resolves to.

Pure code over the API's plain span and relation dicts, shared by the API, agreement,
review, exports and imports, so every one of them reads a quote, a chain and a speaker the
same way:

- a span's **pieces** are its `fragments` when it has them, else `[(start, end)]`;
- a **chain** is the set of spans naming it in `chain`; its canonical name is the name a
  person gave it, else its longest PER or ORG mention, else its longest mention;
- a QUOTE's **speaker** is the target of its SPEAKER link, its **cue** the target of its CUE
  link, and its **resolved speaker** the speaker's chain's canonical name when the speaker
  is in a chain, else the speaker's own text.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

# How the pieces of an interrupted span read where a person reads them (the API's chain
# names, the quotes table); machine formats carry the offsets instead.
FRAGMENT_JOIN = " … "
NAMED_LABELS = frozenset({"PER", "ORG"})
QUOTE, SPEAKER, CUE = "QUOTE", "SPEAKER", "CUE"

Piece = tuple[int, int]


def pieces(span: Mapping[str, Any]) -> list[Piece]:
    """The span's pieces in text order: its fragments, or its one extent."""
    fragments = span.get("fragments")
    if fragments:
        return [(int(start), int(end)) for start, end in fragments]
    return [(span["start"], span["end"])]


def normal_fragments(value: Any) -> list[list[int]] | None:
    """A valid `fragments` value as stored: None for a one-piece span."""
    return [[int(s), int(e)] for s, e in value] if value else None


def span_text(text: str, span: Mapping[str, Any], join: str = FRAGMENT_JOIN) -> str:
    """What the span covers, its pieces joined by `join`."""
    return join.join(text[start:end] for start, end in pieces(span))


def extras(span: Mapping[str, Any]) -> dict[str, Any]:
    """A valid span's fragments and chain as stored and read back: only when it has them,
    so a one-piece span in no chain reads exactly as it did before either existed."""
    out: dict[str, Any] = {}
    fragments = normal_fragments(span.get("fragments"))
    if fragments:
        out["fragments"] = fragments
    if span.get("chain"):
        out["chain"] = span["chain"]
    return out


def fragment_errors(span: Mapping[str, Any], length: int) -> list[str]:
    """What is wrong with a span's `fragments` (absent, null or [] mean one piece)."""
    value = span.get("fragments")
    if value is None or value == []:
        return []
    if not isinstance(value, list) or len(value) < 2:
        return [
            "must be a list of at least two [start, end] pairs (a one-piece span has none, or null)"
        ]
    previous_end = -1
    for index, pair in enumerate(value):
        if not (
            isinstance(pair, list | tuple)
            and len(pair) == 2
            and all(isinstance(x, int) and not isinstance(x, bool) for x in pair)
        ):
            return [f"fragment {index} must be a [start, end] pair of integers (code points)"]
        start, end = pair
        if start < 0 or end > length or start >= end:
            return [
                f"fragment {index} [{start}, {end}] is not a non-empty range of the text "
                f"({length} code points)"
            ]
        if start <= previous_end:
            return [
                f"fragment {index} [{start}, {end}] must start after the previous one ends "
                f"({previous_end}), with a gap: sorted, apart and not touching"
            ]
        previous_end = end
    first, last = value[0][0], value[-1][1]
    if (span.get("start"), span.get("end")) != (first, last):
        return [
            f"start and end ({span.get('start')}, {span.get('end')}) must be the first "
            f"fragment's start and the last one's end ({first}, {last})"
        ]
    return []


def pieces_overlap(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    """Whether any piece of `a` overlaps a piece of `b` (not their hulls)."""
    return any(s1 < e2 and s2 < e1 for s1, e1 in pieces(a) for s2, e2 in pieces(b))


def chains_of(
    spans: Iterable[Mapping[str, Any]], names: Mapping[str, str], text: str
) -> list[dict[str, Any]]:
    """The annotation's chains in the order of their first mention, each
    `{"id", "name", "canonical"}`."""
    mentions: dict[str, list[Mapping[str, Any]]] = {}
    for span in sorted(spans, key=lambda s: (s["start"], s["end"])):
        if span.get("chain"):
            mentions.setdefault(span["chain"], []).append(span)
    return [
        {"id": cid, "name": names.get(cid, ""), "canonical": canonical(m, names.get(cid), text)}
        for cid, m in mentions.items()
    ]


def canonical(mentions: list[Mapping[str, Any]], name: str | None, text: str) -> str:
    """A chain's name when a person gave one, else its longest PER or ORG mention (else its
    longest), the earliest of equally long ones; mentions in text order."""
    if name:
        return name
    named = [m for m in mentions if m["label"] in NAMED_LABELS] or mentions
    longest = max(named, key=lambda m: sum(e - s for s, e in pieces(m)))  # first of the longest
    return span_text(text, longest)


def names_of(annotation: Mapping[str, Any]) -> dict[str, str]:
    """The chain names an annotation dict carries: stored (`chain_names`) or as the API
    answers them (`chains`)."""
    if annotation.get("chain_names"):
        return dict(annotation["chain_names"])
    return {c["id"]: c["name"] for c in annotation.get("chains") or () if c.get("name")}


def canonical_names(
    spans: Iterable[Mapping[str, Any]], names: Mapping[str, str], text: str
) -> dict[str, str]:
    """Chain id → canonical name."""
    return {c["id"]: c["canonical"] for c in chains_of(spans, names, text)}


def links_from(relations: Iterable[Mapping[str, Any]], label: str) -> dict[str, str]:
    """Source span id → target span id of the links with `label` (the first of several)."""
    out: dict[str, str] = {}
    for relation in relations:
        if relation["label"] == label:
            out.setdefault(relation["from"], relation["to"])
    return out


def resolved_speaker(
    speaker: Mapping[str, Any] | None, canonical_by_chain: Mapping[str, str], text: str
) -> str | None:
    """The name a quote's speaker span resolves to: its chain's canonical name, else its
    own text (None without a speaker)."""
    if speaker is None:
        return None
    chain = speaker.get("chain")
    if chain and chain in canonical_by_chain:
        return canonical_by_chain[chain]
    return span_text(text, speaker)


def quotes_of(
    spans: list[Mapping[str, Any]],
    relations: list[Mapping[str, Any]],
    names: Mapping[str, str],
    text: str,
) -> list[dict[str, Any]]:
    """Each QUOTE with its cue, speaker mention and resolved speaker, in text order:
    `{"quote", "cue", "speaker", "resolved"}` (spans, or None; `resolved` a name)."""
    by_id = {s["id"]: s for s in spans}
    speakers, cues = links_from(relations, SPEAKER), links_from(relations, CUE)
    canon = canonical_names(spans, names, text)
    out = []
    for span in sorted(spans, key=lambda s: (s["start"], s["end"])):
        if span["label"] != QUOTE:
            continue
        speaker = by_id.get(speakers.get(span["id"], ""))
        out.append(
            {
                "quote": span,
                "cue": by_id.get(cues.get(span["id"], "")),
                "speaker": speaker,
                "resolved": resolved_speaker(speaker, canon, text),
            }
        )
    return out
