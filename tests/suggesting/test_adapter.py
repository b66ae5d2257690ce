"""Suggested quotes in the API's spans/relations shape (issue 10's contract)."""

from __future__ import annotations

from annotations.suggesting import QUOTES_SOURCE, quotes_as_suggestions, suggest_quotes

INTERRUPTED = (
    "Prakirawan BMKG Budi Santoso memperingatkan nelayan.\n"
    '"Ketinggian gelombang bisa mencapai empat meter," ujar Budi, '
    '"jadi nelayan sebaiknya tidak melaut dulu."\n'
    '"Perahu kecil bisa terbalik," tambahnya.'
)


def _by_id(suggestions):
    return {s["id"]: s for s in suggestions["spans"]}


def test_spans_and_relations_have_the_contract_fields():
    """Spans: id, start, end, label, attributes, score, source; relations: from, to, label, …"""
    suggestions = quotes_as_suggestions(suggest_quotes(INTERRUPTED, language="id"))
    assert suggestions["spans"] and suggestions["relations"]
    for span in suggestions["spans"]:
        assert set(span) == {"id", "start", "end", "label", "attributes", "score", "source"}
        assert span["source"] == QUOTES_SOURCE and 0 <= span["score"] <= 1
    spans = _by_id(suggestions)
    for relation in suggestions["relations"]:
        assert set(relation) == {"from", "to", "label", "score", "source"}
        assert relation["from"] in spans and relation["to"] in spans


def test_interrupted_quote_gives_two_quote_spans_both_linked_to_the_speaker():
    """Issue 10: '"…," ujar Budi, "…."' → two QUOTE spans, both SPEAKER-linked to Budi."""
    suggestions = quotes_as_suggestions(suggest_quotes(INTERRUPTED, language="id"))
    spans = _by_id(suggestions)
    quotes = [s for s in suggestions["spans"] if s["label"] == "QUOTE"]
    text = INTERRUPTED
    assert [text[q["start"] : q["end"]] for q in quotes] == [
        '"Ketinggian gelombang bisa mencapai empat meter,"',
        '"jadi nelayan sebaiknya tidak melaut dulu."',
        '"Perahu kecil bisa terbalik,"',
    ]
    assert all(q["attributes"] == {"quote_type": "direct"} for q in quotes)
    speaker_of = {r["from"]: spans[r["to"]] for r in suggestions["relations"]}
    named = [text[speaker_of[q["id"]]["start"] : speaker_of[q["id"]]["end"]] for q in quotes]
    # the clitic of "tambahnya" is linked to whom it resolves to: the nearest named speaker
    assert named == ["Budi", "Budi", "Budi"]
    assert speaker_of[quotes[0]["id"]]["label"] == "PER"
    assert speaker_of[quotes[0]["id"]] is speaker_of[quotes[1]["id"]]


def test_one_speaker_span_for_a_speaker_quoted_twice():
    """The same mention linked from several quotes is one span, not duplicates."""
    suggestions = quotes_as_suggestions(suggest_quotes(INTERRUPTED, language="id"))
    people = [s for s in suggestions["spans"] if s["label"] == "PER"]
    assert len(people) == 1


def test_ids_are_stable_and_made_from_offsets():
    """Recomputing gives the same ids; an unrelated edit elsewhere keeps them."""
    first = quotes_as_suggestions(suggest_quotes(INTERRUPTED, language="id"))
    again = quotes_as_suggestions(suggest_quotes(INTERRUPTED, language="id"))
    longer = quotes_as_suggestions(
        suggest_quotes(INTERRUPTED + '\n"Kami siaga," kata Wagiman.', language="id")
    )
    assert first == again
    assert set(_by_id(first)) <= set(_by_id(longer))


def test_cues_only_when_asked():
    """CUE spans and QUOTE→CUE relations appear with with_cues=True only."""
    quotes = suggest_quotes(INTERRUPTED, language="id")
    without = quotes_as_suggestions(quotes)
    with_cues = quotes_as_suggestions(quotes, with_cues=True)
    assert not any(s["label"] == "CUE" for s in without["spans"])
    cues = [s for s in with_cues["spans"] if s["label"] == "CUE"]
    assert [INTERRUPTED[c["start"] : c["end"]] for c in cues] == ["ujar", "tambah"]
    assert sum(r["label"] == "CUE" for r in with_cues["relations"]) == 3


def test_indirect_quotes_carry_their_type():
    """Reported speech becomes a QUOTE span with quote_type indirect."""
    text = "Stoltenberg mengatakan bahwa latihan itu sudah direncanakan jauh hari."
    suggestions = quotes_as_suggestions(suggest_quotes(text, language="id"))
    (quote,) = [s for s in suggestions["spans"] if s["label"] == "QUOTE"]
    assert quote["attributes"] == {"quote_type": "indirect"}
    assert text[quote["start"] : quote["end"]] == "latihan itu sudah direncanakan jauh hari"
