"""Entities from the project's own gold: every further occurrence of a labelled string."""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from annotations.suggesting import GoldEntities, strings_agreed


def _found(lexicon, text, **kwargs):
    return [(text[e.start : e.end], e.label) for e in lexicon.find(text, **kwargs)]


def test_every_further_occurrence_is_proposed_with_its_label():
    """'NATO' labelled ORG once is proposed wherever it occurs again."""
    lexicon = GoldEntities([("NATO", "ORG"), ("Jens Stoltenberg", "PER")])
    text = "Sekjen NATO Jens Stoltenberg berkata. Anggota NATO setuju; NATO-lah yang memimpin."
    assert _found(lexicon, text) == [
        ("NATO", "ORG"),
        ("Jens Stoltenberg", "PER"),
        ("NATO", "ORG"),
        ("NATO", "ORG"),
    ]


def test_word_boundaries_hold_in_every_script():
    """No match inside a longer word: NATOs, Jakartanya, भार in भारी (a combining vowel sign)."""
    lexicon = GoldEntities([("NATO", "ORG"), ("Jakarta", "LOC"), ("भार", "MISC"), ("東京", "LOC")])
    assert _found(lexicon, "NATOs dan Jakartanya, sebelum NATO2 dan 2NATO") == []
    assert _found(lexicon, "भारी बारिश") == []
    assert _found(lexicon, "भार उठाया") == [("भार", "MISC")]
    assert _found(lexicon, "ke 東京 lalu") == [("東京", "LOC")]
    assert _found(lexicon, "(NATO), «Jakarta»") == [("NATO", "ORG"), ("Jakarta", "LOC")]


def test_case_is_exact_except_a_capital_at_a_sentence_start():
    """'Bulog' is not 'BULOG'; 'pemerintah' matches 'Pemerintah' only where a sentence starts."""
    lexicon = GoldEntities([("pemerintah", "ORG"), ("Bulog", "ORG")])
    text = (
        "Pemerintah berjanji. Kata pemerintah, BULOG dan bulog siap, lalu Pemerintah Daerah diam."
    )
    found = [(e.start, text[e.start : e.end]) for e in lexicon.find(text)]
    assert found == [(0, "Pemerintah"), (text.index("pemerintah"), "pemerintah")]


def test_longest_string_wins_and_matches_never_overlap():
    """'Bank Indonesia' over 'Bank' and 'Indonesia'; left to right, no overlaps."""
    lexicon = GoldEntities([("Bank", "ORG"), ("Indonesia", "LOC"), ("Bank Indonesia", "ORG")])
    assert _found(lexicon, "Bank Indonesia dan Bank Mandiri di Indonesia") == [
        ("Bank Indonesia", "ORG"),
        ("Bank", "ORG"),
        ("Indonesia", "LOC"),
    ]


def test_already_annotated_spans_are_skipped():
    """Matches overlapping what the annotator already has are not proposed again."""
    lexicon = GoldEntities([("NATO", "ORG")])
    text = "NATO dan NATO dan NATO"
    assert [e.start for e in lexicon.find(text, skip=[(0, 4), (10, 12)])] == [18]


def test_majority_label_with_its_share_as_score_and_ties_are_dropped():
    """Jakarta LOC 3 times, ORG once → LOC at 0.75; Garuda PER/ORG once each is ambiguous."""
    pairs = [("Jakarta", "LOC")] * 3 + [("Jakarta", "ORG"), ("Garuda", "PER"), ("Garuda", "ORG")]
    lexicon = GoldEntities(pairs)
    (jakarta,) = lexicon.find("di Jakarta dan Garuda")
    assert (jakarta.label, jakarta.score) == ("LOC", 0.75)
    assert "4 times" in jakarta.reason


def test_strings_in_enough_submitted_annotations():
    """A pair counts once per annotation; kept when at least k annotations have it."""
    annotations = [
        [("NATO", "ORG"), ("NATO", "ORG"), ("Budi", "PER")],
        [("NATO", "ORG")],
        [("Budi", "LOC")],
    ]
    assert strings_agreed(annotations, 2) == [("NATO", "ORG")]
    assert strings_agreed(annotations, 1) == [("Budi", "LOC"), ("Budi", "PER"), ("NATO", "ORG")]


def test_empty_and_blank_strings_are_ignored():
    """No gold, or only blank strings: nothing proposed, no error."""
    assert GoldEntities([]).find("apa saja") == []
    assert GoldEntities([(" ", "PER"), ("", "ORG")]).find("apa saja") == []


def _word(char: str) -> bool:
    return char.isalnum() or unicodedata.category(char).startswith("M")


def _reference(strings: list[str], text: str) -> list[tuple[int, int]]:
    """The definition, written plainly: at each position, the longest string that fits there
    with no word character on either side; then continue after it."""
    found, i = [], 0
    while i < len(text):
        if i > 0 and _word(text[i - 1]):
            i += 1
            continue
        fits = [
            s
            for s in strings
            if text.startswith(s, i) and (i + len(s) == len(text) or not _word(text[i + len(s)]))
        ]
        if fits:
            best = max(fits, key=len)
            found.append((i, i + len(best)))
            i += len(best)
        else:
            i += 1
    return found


alphabet = st.sampled_from(list("ab ab-.é\u0301न\u093f"))
strings = st.lists(
    st.text(alphabet, min_size=1, max_size=4).filter(lambda s: any(map(_word, s))),
    min_size=1,
    max_size=8,
    unique=True,
)


@settings(max_examples=300, deadline=None, database=None)
@given(strings, st.text(alphabet, max_size=60))
def test_matches_agree_with_the_plain_definition(words, text):
    """The compiled trie pattern finds exactly what the plain reference scan finds."""
    words = [w for w in words if w.strip() == w and not w[0].islower()] or ["A"]
    lexicon = GoldEntities([(w, "X") for w in words])
    assert [(e.start, e.end) for e in lexicon.find(text)] == _reference(words, text)


def test_ten_thousand_strings_compile_to_one_pattern():
    """10,000 strings are one compiled pattern; matching stays correct at that size."""
    pairs = [(f"Nama{i:05d}", "PER") for i in range(10_000)]
    lexicon = GoldEntities(pairs)
    assert len(lexicon) == 10_000
    text = "Nama00042 bertemu Nama09999 dan Nama1 serta Nama000420."
    assert _found(lexicon, text) == [("Nama00042", "PER"), ("Nama09999", "PER")]
