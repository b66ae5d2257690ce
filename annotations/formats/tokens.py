"""Tokenisation and entity choice shared by the token-based formats (CoNLL, spaCy).

Offsets become token spans only when they fall exactly on token boundaries; a span that does not
is never moved to the nearest tokens. It is skipped and reported, naming document and span.
"""

from __future__ import annotations

import hashlib
import re
import sys
from array import array
from bisect import bisect_left
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib.metadata import version
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


# --- stored tokens: tokenise a text once, map spans to its tokens at every export -------------

# The record key under which an export hands a writer the text's stored tokens (a
# `TokenTable`); a writer without it tokenises the text itself. Never written to a file.
TOKENS = "_tokens"
_FORMAT = 1  # layout of `TokenTable.to_bytes`; part of the tokenizer key


@cache
def tokenizer_key(lang: str) -> str:
    """What made a stored token table: spaCy's version, the language asked for and the layout.

    A table made under another key is stale (spaCy's rules change between versions) and is
    made again. Read from the package metadata, so checking it never imports spaCy.
    """
    return f"spacy {version('spacy')} {lang} sentencizer v{_FORMAT}"


def text_digest(text: str) -> bytes:
    """16 bytes that change when the text does: a stored table is for this text only."""
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


@dataclass(frozen=True)
class TokenTable:
    """A text's tokens as code-point offsets (``starts[i]``, ``ends[i]``, whitespace tokens
    included, as spaCy makes them), the indices of the tokens that start a sentence and of
    the whitespace tokens; ``lang`` is the tokenizer's language (``xx`` when spaCy had none
    for the one asked); ``plain``: no other token holds whitespace (always, with spaCy's
    rules; the writers check instead of trusting it)."""

    starts: Sequence[int]
    ends: Sequence[int]
    sentence_starts: Sequence[int]
    spaces: Sequence[int]
    lang: str
    plain: bool = True

    def to_bytes(self) -> bytes:
        """Little-endian uint32: the three counts and the flag, then starts, ends, sentence
        starts and whitespace tokens; then the language (ASCII). About 8 bytes a token: a
        2,000-character article takes ~3 kB."""
        counts = [len(self.starts), len(self.sentence_starts), len(self.spaces), self.plain]
        numbers = array("I", [*counts, *self.starts, *self.ends])
        numbers.extend(self.sentence_starts)
        numbers.extend(self.spaces)
        if sys.byteorder != "little":
            numbers.byteswap()
        return numbers.tobytes() + self.lang.encode("ascii")

    @classmethod
    def from_bytes(cls, data: bytes | memoryview) -> TokenTable:
        numbers = array("I")
        size = numbers.itemsize
        numbers.frombytes(data[: 4 * size])
        if sys.byteorder != "little":
            numbers.byteswap()
        n, m, k, plain = numbers
        end = (4 + 2 * n + m + k) * size
        numbers = array("I")
        numbers.frombytes(data[4 * size : end])
        if sys.byteorder != "little":
            numbers.byteswap()
        lang = bytes(data[end:]).decode("ascii")
        ends, sentences = 2 * n, 2 * n + m
        return cls(
            numbers[:n],
            numbers[n:ends],
            numbers[ends:sentences],
            numbers[sentences:],
            lang,
            bool(plain),
        )


_WHITESPACE = re.compile(r"\s")


def tokenize(texts: Iterable[str], lang: str) -> list[TokenTable]:
    """Token tables of the texts, with the same tokenizer and sentencizer the writers use."""
    nlp = pipeline(lang)
    tables = []
    for doc in nlp.pipe(texts, batch_size=256):
        spaces = array("I", [token.i for token in doc if token.is_space])
        plain = not any(_WHITESPACE.search(t.text) for t in doc if not t.is_space)
        tables.append(
            TokenTable(
                starts=array("I", [token.idx for token in doc]),
                ends=array("I", [token.idx + len(token) for token in doc]),
                sentence_starts=array("I", [sent.start for sent in doc.sents]),
                spaces=spaces,
                lang=nlp.lang or lang,
                plain=plain,
            )
        )
    return tables


def table_span(
    table: TokenTable, record: Record, span: dict[str, Any], tally: Tally
) -> range | None:
    """The token indices of ``span``, aligned as ``token_span`` aligns (strictly: it starts
    where a token starts and ends where one ends), or None (reported)."""
    first = bisect_left(table.starts, span["start"])
    last = bisect_left(table.ends, span["end"])
    if (
        first == len(table.starts)
        or table.starts[first] != span["start"]
        or last == len(table.ends)
        or table.ends[last] != span["end"]
        or last < first
    ):
        tally.warn(f"{span_ref(record, span)}: not on token boundaries; skipped")
        return None
    return range(first, last + 1)
