"""Coreference agreement: MUC, B³, CEAF-e and their CoNLL-2012 average.

A clustering is a collection of entities, each a set of mentions (any hashable: a span's
extent, usually). One side is the key (it plays gold for recall), the other the response.
The formulae are those of the reference scorer (Pradhan et al. 2014, "Scoring Coreference
Partitions of Predicted Mentions: A Reference Implementation"); mentions present on one side
only ("twinless") simply share nothing with the other side, as there.

Undefined figures are None, never NaN or a silent 0: MUC is undefined when one side has
only singleton entities (Vilain et al. 1995 count links, and singletons have none); every
metric is undefined when a side is empty.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Iterable
from dataclasses import dataclass

Entity = frozenset[Hashable]
Clustering = Collection[Collection[Hashable]]


@dataclass(frozen=True, slots=True)
class Score:
    recall: float | None
    precision: float | None

    @property
    def f1(self) -> float | None:
        if self.recall is None or self.precision is None:
            return None
        if self.recall + self.precision == 0:
            return 0.0
        return 2 * self.recall * self.precision / (self.recall + self.precision)

    def as_dict(self) -> dict[str, float | None]:
        return {"recall": self.recall, "precision": self.precision, "f1": self.f1}


def _entities(clustering: Clustering) -> list[Entity]:
    entities = [frozenset(entity) for entity in clustering if entity]
    seen: set[Hashable] = set()
    for entity in entities:
        if seen & entity:
            raise ValueError(f"a mention is in two entities: {sorted(map(repr, seen & entity))}")
        seen |= entity
    return entities


def _ratio(numerator: float, denominator: float) -> float | None:
    return numerator / denominator if denominator else None


def _muc_recall(key: list[Entity], response: list[Entity]) -> float | None:
    owner = {mention: n for n, entity in enumerate(response) for mention in entity}
    numerator = denominator = 0
    for entity in key:
        # Parts of the key entity under the response; unmatched mentions are parts alone.
        parts = {owner.get(mention, ("alone", mention)) for mention in entity}
        numerator += len(entity) - len(parts)
        denominator += len(entity) - 1
    return _ratio(numerator, denominator)


def muc(key: Clustering, response: Clustering) -> Score:
    """Link-based MUC (Vilain et al. 1995)."""
    k, r = _entities(key), _entities(response)
    if not k or not r:
        return Score(None, None)
    return Score(_muc_recall(k, r), _muc_recall(r, k))


def _b_cubed_recall(key: list[Entity], response: list[Entity]) -> float | None:
    total = sum(len(entity) for entity in key)
    numerator = sum(len(k & r) ** 2 / len(k) for k in key for r in response if k & r)
    return _ratio(numerator, total)


def b_cubed(key: Clustering, response: Clustering) -> Score:
    """Mention-based B³ (Bagga and Baldwin 1998)."""
    k, r = _entities(key), _entities(response)
    if not k or not r:
        return Score(None, None)
    return Score(_b_cubed_recall(k, r), _b_cubed_recall(r, k))


def ceaf_e(key: Clustering, response: Clustering) -> Score:
    """Entity-based CEAF with the φ4 (Dice) similarity (Luo 2005), optimal alignment."""
    k, r = _entities(key), _entities(response)
    if not k or not r:
        return Score(None, None)
    # Imported here: only coreference agreement needs it, and the web process stays lean.
    from scipy.optimize import linear_sum_assignment

    similarity = [[2 * len(a & b) / (len(a) + len(b)) for b in r] for a in k]
    rows, columns = linear_sum_assignment(similarity, maximize=True)
    total = float(sum(similarity[i][j] for i, j in zip(rows, columns, strict=True)))
    return Score(total / len(k), total / len(r))


def conll_f1(key: Clustering, response: Clustering) -> float | None:
    """The CoNLL-2012 figure: the mean of the MUC, B³ and CEAF-e F1 scores."""
    scores = [metric(key, response).f1 for metric in (muc, b_cubed, ceaf_e)]
    if any(score is None for score in scores):
        return None
    return sum(score for score in scores if score is not None) / 3


def coreference_agreement(key: Clustering, response: Clustering) -> dict[str, object]:
    """Every figure at once, as the agreement summary reports it."""
    return {
        "muc": muc(key, response).as_dict(),
        "b_cubed": b_cubed(key, response).as_dict(),
        "ceaf_e": ceaf_e(key, response).as_dict(),
        "conll_f1": conll_f1(key, response),
    }


def clusters_from_links(mentions: Iterable[Hashable], links: Iterable[tuple]) -> list[set]:
    """Entities from pairwise "same entity" links (a chain drawn as links), via union-find.

    Every mention is in exactly one entity; a mention with no link is a singleton.
    """
    parent: dict[Hashable, Hashable] = {m: m for m in mentions}

    def root(m: Hashable) -> Hashable:
        while parent[m] != m:
            parent[m] = parent[parent[m]]
            m = parent[m]
        return m

    for a, b in links:
        parent.setdefault(a, a)
        parent.setdefault(b, b)
        parent[root(a)] = root(b)
    entities: dict[Hashable, set] = {}
    for m in parent:
        entities.setdefault(root(m), set()).add(m)
    return list(entities.values())
