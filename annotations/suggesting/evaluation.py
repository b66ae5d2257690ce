"""Scoring quote suggestions against hand-annotated gold (the corpus in tests/data/quotes/).

Gold is a native JSONL record: QUOTE spans (one per fragment, `quote_type` attribute), PER/ORG
speaker spans, SPEAKER relations quote → speaker, and `meta.coref` {mention id: antecedent id}.
Predictions are `SuggestedQuote`s and their API-shaped suggestions (adapter.py).

- Quote spans, exact: the same offsets. Lenient: the same offsets once quotation marks,
  punctuation and spaces at either end are stripped from both. Overlap (indirect quotes,
  whose boundaries are fuzzy): one-to-one pairs that share at least one character.
- Speaker links, one per quote fragment: a predicted fragment paired with a gold one (lenient,
  else overlap) whose resolved speaker is the same person as gold's resolved speaker (follow
  `meta.coref` from the gold mention): the spans overlap, or both are names with the same last
  word ("Stoltenberg" = "Jens Stoltenberg"). A pronoun resolved to the right person is right.
- Accept only: the share of gold spans (and SPEAKER links) that a suggestion matches exactly,
  label and `quote_type` included, so the annotator only presses Enter. Mentions that refer to
  another span (`meta.coref`: "dia", "-nya") are left out: today's API has no coreference and
  links the quote to the antecedent instead (issue 13 adds chains). A gold link counts when
  a suggested relation joins the exact quote span to the exact gold speaker mention or to its
  exact resolved antecedent (today's API links to the antecedent).

Precision is matched / predicted and recall matched / gold, each 0 when its denominator is 0;
F1 is their harmonic mean (0 when both are 0). Counts add up over documents (micro average).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .text import QUOTE_MARKS
from .types import Offsets, SuggestedQuote


@dataclass
class Counts:
    matched: int = 0
    predicted: int = 0
    gold: int = 0

    def __iadd__(self, other: Counts) -> Counts:
        self.matched += other.matched
        self.predicted += other.predicted
        self.gold += other.gold
        return self

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(frozen=True)
class GoldQuote:
    fragment: Offsets
    quote_type: str
    speaker: Offsets | None
    resolved: Offsets | None  # the speaker after following meta.coref


@dataclass(frozen=True)
class PredictedQuote:
    fragment: Offsets
    quote_type: str
    resolved: Offsets | None


def strip_span(text: str, span: Offsets) -> Offsets:
    """The span without quotation marks, punctuation or spaces at either end."""
    start, end = span
    while start < end and _strippable(text[start]):
        start += 1
    while end > start and _strippable(text[end - 1]):
        end -= 1
    return start, end


def _strippable(char: str) -> bool:
    return char.isspace() or char in QUOTE_MARKS or unicodedata.category(char).startswith("P")


def same_speaker(text: str, a: Offsets, b: Offsets) -> bool:
    """Overlapping spans, or two names ending in the same word."""
    if a[0] < b[1] and b[0] < a[1]:
        return True
    last_a, last_b = _last_word(text, a), _last_word(text, b)
    return (
        bool(last_a and last_b)
        and last_a[0].isupper()
        and last_a.casefold() == (last_b.casefold())
        and last_b[0].isupper()
    )


def _last_word(text: str, span: Offsets) -> str:
    words = text[span[0] : span[1]].split()
    return words[-1].strip(".,") if words else ""


def gold_quotes(record: Mapping[str, Any]) -> list[GoldQuote]:
    spans = {s["id"]: s for s in record.get("spans", [])}
    coref: dict[str, str] = dict(record.get("meta", {}).get("coref", {}))
    speaker_of = {
        r["from"]: r["to"] for r in record.get("relations", []) if r["label"] == "SPEAKER"
    }
    quotes = []
    for span in spans.values():
        if span["label"] != "QUOTE":
            continue
        speaker_id = speaker_of.get(span["id"])
        resolved_id = speaker_id
        seen: set[str] = set()
        while resolved_id in coref and resolved_id not in seen:
            seen.add(resolved_id)
            resolved_id = coref[resolved_id]
        quotes.append(
            GoldQuote(
                fragment=(span["start"], span["end"]),
                quote_type=span["attributes"]["quote_type"],
                speaker=_offsets(spans.get(speaker_id or "")),
                resolved=_offsets(spans.get(resolved_id or "")),
            )
        )
    return sorted(quotes, key=lambda q: q.fragment)


def _offsets(span: Mapping[str, Any] | None) -> Offsets | None:
    return (span["start"], span["end"]) if span else None


def predicted_quotes(quotes: Iterable[SuggestedQuote]) -> list[PredictedQuote]:
    found = []
    for quote in quotes:
        who = quote.resolved_speaker
        resolved = (who.start, who.end) if who else None
        for fragment in quote.fragments:
            found.append(PredictedQuote(fragment, quote.quote_type, resolved))
    return found


def span_counts(
    text: str, gold: Sequence[Offsets], predicted: Sequence[Offsets]
) -> dict[str, Counts]:
    """Exact, lenient and overlap matches of two span lists."""
    exact = len(set(gold) & set(predicted))
    lenient = len({strip_span(text, s) for s in gold} & {strip_span(text, s) for s in predicted})
    overlap = len(_overlap_pairs(gold, predicted))
    return {
        name: Counts(matched, len(predicted), len(gold))
        for name, matched in (("exact", exact), ("lenient", lenient), ("overlap", overlap))
    }


def _overlap_pairs(gold: Sequence[Offsets], predicted: Sequence[Offsets]) -> list[tuple[int, int]]:
    """One-to-one pairs (gold index, predicted index) of overlapping spans, in text order."""
    pairs = []
    used: set[int] = set()
    for g, (gs, ge) in sorted(enumerate(gold), key=lambda item: item[1]):
        for p, (ps, pe) in sorted(enumerate(predicted), key=lambda item: item[1]):
            if p not in used and ps < ge and gs < pe:
                pairs.append((g, p))
                used.add(p)
                break
    return pairs


def link_counts(
    text: str, gold: Sequence[GoldQuote], predicted: Sequence[PredictedQuote]
) -> Counts:
    """Speaker links: one per fragment with a speaker, paired leniently, then by overlap."""
    gold_links = [q for q in gold if q.resolved is not None]
    predicted_links = [q for q in predicted if q.resolved is not None]
    pairs: dict[int, int] = {}
    stripped = {strip_span(text, q.fragment): i for i, q in enumerate(gold_links)}
    for p, quote in enumerate(predicted_links):
        g = stripped.get(strip_span(text, quote.fragment))
        if g is not None and g not in pairs.values():
            pairs[p] = g
    rest_gold = [i for i in range(len(gold_links)) if i not in pairs.values()]
    rest_predicted = [i for i in range(len(predicted_links)) if i not in pairs]
    for g, p in _overlap_pairs(
        [gold_links[i].fragment for i in rest_gold],
        [predicted_links[i].fragment for i in rest_predicted],
    ):
        pairs[rest_predicted[p]] = rest_gold[g]
    matched = 0
    for p, g in pairs.items():
        gold_who, predicted_who = gold_links[g].resolved, predicted_links[p].resolved
        if gold_who and predicted_who and same_speaker(text, gold_who, predicted_who):
            matched += 1
    return Counts(matched, len(predicted_links), len(gold_links))


def accept_counts(record: Mapping[str, Any], suggestions: Mapping[str, Any]) -> dict[str, Counts]:
    """Gold spans and links a suggestion matches exactly (see the module docstring)."""
    suggested = {_key(s): s["id"] for s in suggestions["spans"]}
    counts = {"spans": Counts(), "cues": Counts(), "links": Counts()}
    coref = record.get("meta", {}).get("coref", {})
    for span in record.get("spans", []):
        if span["id"] in coref:
            continue  # "dia", "-nya": today's API links the quote to the antecedent instead
        bucket = "cues" if span["label"] == "CUE" else "spans"
        counts[bucket].gold += 1
        counts[bucket].matched += _key(span) in suggested
    by_offsets = {(s["start"], s["end"]): s["id"] for s in suggestions["spans"]}
    suggested_links = {
        (r["from"], r["to"]) for r in suggestions["relations"] if r["label"] == "SPEAKER"
    }
    spans = {s["id"]: s for s in record.get("spans", [])}
    for relation in record.get("relations", []):
        if relation["label"] != "SPEAKER":
            continue
        counts["links"].gold += 1
        quote_id = by_offsets.get(_span_offsets(spans[relation["from"]]))
        targets = [relation["to"]] + ([coref[relation["to"]]] if relation["to"] in coref else [])
        target_ids = {by_offsets.get(_span_offsets(spans[t])) for t in targets}
        counts["links"].matched += any((quote_id, t) in suggested_links for t in target_ids)
    return counts


def _span_offsets(span: Mapping[str, Any]) -> Offsets:
    return span["start"], span["end"]


def _key(span: Mapping[str, Any]) -> tuple[int, int, str, str]:
    return (
        span["start"],
        span["end"],
        span["label"],
        span.get("attributes", {}).get("quote_type", ""),
    )


def score_document(
    record: Mapping[str, Any], quotes: Sequence[SuggestedQuote], suggestions: Mapping[str, Any]
) -> dict[str, Counts]:
    """Every figure of the benchmark for one document."""
    text = record["text"]
    gold = gold_quotes(record)
    predicted = predicted_quotes(quotes)
    scores: dict[str, Counts] = {}
    for kind in ("direct", "indirect"):
        spans = span_counts(
            text,
            [q.fragment for q in gold if q.quote_type == kind],
            [q.fragment for q in predicted if q.quote_type == kind],
        )
        for name, counts in spans.items():
            scores[f"{kind} {name}"] = counts
    scores["speaker links"] = link_counts(text, gold, predicted)
    scores["speaker links, direct"] = link_counts(
        text,
        [q for q in gold if q.quote_type == "direct"],
        [q for q in predicted if q.quote_type == "direct"],
    )
    for name, counts in accept_counts(record, suggestions).items():
        scores[f"accept only: {name}"] = counts
    return scores
