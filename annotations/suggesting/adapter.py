"""Suggested quotes in today's API shape (issue 10's contract):

    {"spans": [{"id", "start", "end", "label", "attributes", "score", "source"}],
     "relations": [{"from", "to", "label", "score", "source"}]}

Each fragment is one QUOTE span with its `quote_type`; an interrupted or multi-paragraph quote
is several QUOTE spans, each linked to the speaker. The SPEAKER relation goes to who said it:
the named antecedent of a pronoun or clitic when it was resolved (today's model has no
coreference), else the mention itself. A speaker mentioned once and quoted several times is one
span. CUE spans and QUOTE→CUE relations are added only when asked (projects with a CUE label).
Ids are made from label and offsets, so recomputing gives the same ids for the same spans.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypedDict

from .types import Mention, SuggestedQuote

SOURCE = "quotes"


class Suggestions(TypedDict):
    spans: list[dict[str, Any]]
    relations: list[dict[str, Any]]


def quotes_as_suggestions(
    quotes: Iterable[SuggestedQuote], *, with_cues: bool = False, source: str = SOURCE
) -> Suggestions:
    spans: dict[str, dict[str, Any]] = {}
    relations: list[dict[str, Any]] = []

    def add(kind: str, start: int, end: int, label: str, score: float, **attributes: str) -> str:
        span_id = f"{source}-{kind}{start}-{end}"
        known = spans.get(span_id)
        if known is None:
            spans[span_id] = {
                "id": span_id,
                "start": start,
                "end": end,
                "label": label,
                "attributes": attributes,
                "score": score,
                "source": source,
            }
        else:
            known["score"] = max(known["score"], score)
        return span_id

    for quote in quotes:
        speaker = _target(quote)
        speaker_id = (
            add("s", speaker.start, speaker.end, speaker.label, quote.score) if speaker else None
        )
        cue_id = (
            add("c", quote.cue[0], quote.cue[1], "CUE", quote.score)
            if with_cues and quote.cue
            else None
        )
        for start, end in quote.fragments:
            quote_id = add("q", start, end, "QUOTE", quote.score, quote_type=quote.quote_type)
            if speaker_id:
                relations.append(_relation(quote_id, speaker_id, "SPEAKER", quote.score, source))
            if cue_id:
                relations.append(_relation(quote_id, cue_id, "CUE", quote.score, source))
    ordered = sorted(spans.values(), key=lambda s: (s["start"], s["end"], s["label"]))
    return {"spans": ordered, "relations": relations}


def _target(quote: SuggestedQuote) -> Mention | None:
    return quote.antecedent or quote.speaker


def _relation(
    source_id: str, target_id: str, label: str, score: float, source: str
) -> dict[str, Any]:
    return {"from": source_id, "to": target_id, "label": label, "score": score, "source": source}
