"""Agreement over quote attribution (DECISIONS 46): whom quotes are attributed to, and the
speaker chains.

- **Speakers**: two annotators' QUOTEs are paired by the overlap matching (whole quotes,
  fragment by fragment); a pair agrees when both quotes resolve to the same speaker name
  (`attribution.resolved_speaker`: the speaker's chain's canonical name, else its text),
  compared case- and space-insensitively. P/R/F1 count the quotes with a resolved speaker on
  each side, as relation agreement counts links.
- **Chains**: each annotator's chains are a clustering of mentions (a mention is its pieces'
  offsets, so mentions match by extent, as in the CoNLL scorer); the pair's clusterings,
  pooled over their shared documents (mentions keyed by document, which equals the scorer's
  sum over documents), are scored with MUC, B³, CEAF-e and their CoNLL average
  (`coreference`).
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from typing import Any

from annotations.agreement.coreference import coreference_agreement
from annotations.agreement.matching import PRF, overlap_matches, parse_spans
from annotations.attribution import (
    QUOTE,
    canonical_names,
    links_from,
    names_of,
    pieces,
    resolved_speaker,
)


def normal_name(name: str | None) -> str | None:
    return " ".join(name.split()).casefold() if name else None


def speakers_by_quote(annotation: Mapping[str, Any], text: str) -> dict[str, str]:
    """Quote span id → its resolved speaker (normalised), for quotes that have one."""
    spans = annotation.get("spans") or []
    by_id = {s["id"]: s for s in spans}
    canon = canonical_names(spans, names_of(annotation), text)
    out = {}
    for quote, speaker in links_from(annotation.get("relations") or [], "SPEAKER").items():
        if quote in by_id and by_id[quote]["label"] == QUOTE and speaker in by_id:
            name = normal_name(resolved_speaker(by_id[speaker], canon, text))
            if name:
                out[quote] = name
    return out


def speaker_prf(reference: Mapping[str, Any], candidate: Mapping[str, Any], text: str) -> PRF:
    """Quotes attributed alike: overlap-matched QUOTEs with the same resolved speaker."""
    a = [s for s in parse_spans(reference) if s.label == QUOTE]
    b = [s for s in parse_spans(candidate) if s.label == QUOTE]
    mine, theirs = speakers_by_quote(reference, text), speakers_by_quote(candidate, text)
    hits = sum(
        1
        for i, j in overlap_matches(a, b)
        if a[i].id in mine and mine[a[i].id] == theirs.get(b[j].id)
    )
    return PRF(hits, len(mine), len(theirs))


def chain_clusters(annotation: Mapping[str, Any], document: Hashable) -> list[set[Hashable]]:
    """The annotation's chains as sets of mentions keyed by document and pieces."""
    clusters: dict[str, set[Hashable]] = {}
    for span in annotation.get("spans") or ():
        if span.get("chain"):
            clusters.setdefault(span["chain"], set()).add((document, tuple(pieces(span))))
    return list(clusters.values())


@dataclass
class AttributionPair:
    """One annotator pair's attribution figures, gathered over their shared documents."""

    speakers: PRF = field(default_factory=PRF)
    key: list[set[Hashable]] = field(default_factory=list)
    response: list[set[Hashable]] = field(default_factory=list)

    def add(
        self, reference: Mapping[str, Any], candidate: Mapping[str, Any], document: Any
    ) -> PRF | None:
        """Fold a document in; its speaker PRF, or None without its text."""
        self.key.extend(chain_clusters(reference, document["id"]))
        self.response.extend(chain_clusters(candidate, document["id"]))
        text = document.get("text")
        if text is None:
            return None
        prf = speaker_prf(reference, candidate, text)
        self.speakers += prf
        return prf

    def chains(self) -> dict[str, Any] | None:
        if not self.key and not self.response:
            return None
        return coreference_agreement(self.key, self.response)
