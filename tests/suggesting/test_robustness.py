# ruff: noqa: RUF001 -- quotation marks are the point of these inputs
"""Property tests: any text, however odd, gives well-formed suggestions and never an error."""

from __future__ import annotations

from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from annotations.suggesting import quotes_as_suggestions, suggest_quotes

# Pieces that exercise every path: marks of each kind, cues, pronouns, clitics, names,
# titles, punctuation, line breaks (LF, CRLF, CR, U+2028), emoji and combining marks.
PIECES = [
    '"',
    "“",
    "”",
    "„",
    "«",
    "»",
    "'",
    "‘",
    "’",
    " ",
    " ",
    " ",
    ",",
    ".",
    ":",
    "?",
    "(",
    ")",
    "\n",
    "\r\n",
    "\r",
    "\u2028",
    "—",
    "kata",
    "ujarnya",
    "katanya",
    "menurut",
    "Menurutnya",
    "mengatakan",
    "bahwa",
    "said",
    "told",
    "that",
    "according to",
    "he",
    "she",
    "dia",
    "Ia",
    "Budi",
    "Stoltenberg",
    "Dr.",
    "Mr.",
    "Kapolres",
    "Jens",
    "NATO",
    "the",
    "seorang",
    "itu",
    "🇮🇩",
    "👶🏾",
    "e\u0301",
    "Jum'at",
    "don't",
    "JAKARTA, KOMPAS.com - ",
]
texts = st.lists(st.sampled_from(PIECES) | st.text(max_size=3), max_size=120).map("".join)


def _check(text: str, language: str, include_marks: bool) -> None:
    found = suggest_quotes(text, language=language, include_marks=include_marks)
    fragments = []
    for quote in found:
        assert 0.0 <= quote.score <= 1.0
        assert quote.quote_type in ("direct", "indirect") and quote.reason
        for start, end in quote.fragments:
            assert 0 <= start < end <= len(text)
            fragments.append((start, end))
        for span in (quote.cue, quote.speaker, quote.antecedent):
            if span is not None:
                start, end = span if isinstance(span, tuple) else (span.start, span.end)
                assert 0 <= start < end <= len(text)
        if quote.speaker is not None:
            assert not any(
                s < quote.speaker.end and quote.speaker.start < e for s, e in quote.fragments
            )
    fragments.sort()
    for (_, end), (start, _) in pairwise(fragments):
        assert end <= start, "fragments of different quotes never overlap"
    suggestions = quotes_as_suggestions(found, with_cues=True)
    ids = [s["id"] for s in suggestions["spans"]]
    assert len(ids) == len(set(ids))
    for relation in suggestions["relations"]:
        assert relation["from"] in ids and relation["to"] in ids


@settings(max_examples=300, deadline=None, database=None)
@given(texts, st.sampled_from(["id", "en"]), st.booleans())
def test_any_text_gives_well_formed_suggestions(text, language, include_marks):
    """Offsets in bounds, fragments disjoint, scores in [0, 1], relations between known ids."""
    _check(text, language, include_marks)


@settings(max_examples=100, deadline=None, database=None)
@given(st.text(max_size=400), st.sampled_from(["id", "en"]))
def test_arbitrary_unicode_never_raises(text, language):
    """Random Unicode (surrogates excluded by hypothesis' default text strategy) is fine too."""
    _check(text, language, True)


@settings(max_examples=100, deadline=None, database=None)
@given(texts)
def test_the_same_text_gives_the_same_suggestions(text):
    """Deterministic: two runs agree exactly, ids included."""
    first = quotes_as_suggestions(suggest_quotes(text, language="id"))
    second = quotes_as_suggestions(suggest_quotes(text, language="id"))
    assert first == second
