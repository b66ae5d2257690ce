"""Tokenisation and entity choice shared by the token-based formats (CoNLL, spaCy).

Offsets become token spans only when they fall exactly on token boundaries; a span that does not
is never moved to the nearest tokens. It is skipped and reported, naming document and span.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from .base import Record, Schema, Tally, language, span_labels, span_ref

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

# Quotes are clause-length spans around the entities they contain: as entities they would swallow
# the names inside them, so token-level entity formats leave them out unless asked for.
NON_ENTITY_LABELS = frozenset({"QUOTE"})


@lru_cache(maxsize=8)
def pipeline(lang: str) -> Language:
    """A blank (rule-based, no model download) tokenizer plus sentencizer, once per process.

    Building one takes seconds (Indonesian loads ~16k tokenizer exceptions), hence the cache.
    Its vocabulary keeps every token string it has seen, so a long-lived worker grows towards
    the corpus vocabulary; bound it with the worker's max-tasks-per-child if that matters.
    """
    import spacy

    try:
        nlp = spacy.blank(lang)
    except (ImportError, KeyError, ValueError):
        nlp = spacy.blank("xx")
    nlp.add_pipe("sentencizer")
    return nlp


def pipeline_for(schema: Schema, tally: Tally) -> Language:
    nlp = pipeline(language(schema))
    if nlp.lang != language(schema):
        tally.warn(f"spaCy has no tokenizer for {language(schema)!r}; used the multi-language one")
    return nlp


def entity_labels(schema: Schema, labels: Collection[str] | None) -> frozenset[str]:
    if labels is not None:
        return frozenset(labels)
    return frozenset(span_labels(schema)) - NON_ENTITY_LABELS


def non_overlapping(
    record: Record, spans: Iterable[dict[str, Any]], tally: Tally
) -> list[dict[str, Any]]:
    """Keep spans that do not overlap, preferring the earlier, then the longer; report the rest."""
    kept: list[dict[str, Any]] = []
    end = -1
    for span in sorted(spans, key=lambda s: (s["start"], s["start"] - s["end"])):
        if span["start"] >= end:
            kept.append(span)
            end = span["end"]
        else:
            tally.warn(f"{span_ref(record, span)}: overlaps {kept[-1]['id']!r}; left out")
    return kept


def token_span(doc: Doc, record: Record, span: dict[str, Any], tally: Tally) -> Any:
    """The spaCy span for ``span``, or None (reported) when it is not on token boundaries."""
    result = doc.char_span(span["start"], span["end"], label=span["label"], alignment_mode="strict")
    if result is None:
        tally.warn(f"{span_ref(record, span)}: not on token boundaries; skipped")
    return result
