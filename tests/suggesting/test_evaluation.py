"""The benchmark's metrics, checked against values worked out by hand."""

from __future__ import annotations

import pytest

from annotations.suggesting import Mention, SuggestedQuote, quotes_as_suggestions
from annotations.suggesting.evaluation import Counts, same_speaker, score_document, strip_span

TEXT = '"Satu dua tiga," kata Budi. "Empat lima," tambahnya. Ani mengatakan bahwa harga naik tajam.'


def _at(words: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = TEXT.index(words, start + 1)
    return start, start + len(words)


def _mention(words: str, kind: str = "name", nth: int = 0) -> Mention:
    start, end = _at(words, nth)
    return Mention(start, end, "PER", kind)  # type: ignore[arg-type]


def _span(span_id, words, label, quote_type=None):
    start, end = _at(words)
    attributes = {"quote_type": quote_type} if quote_type else {}
    return {"id": span_id, "start": start, "end": end, "label": label, "attributes": attributes}


GOLD = {
    "text": TEXT,
    "meta": {"coref": {"p2": "p1"}},
    "spans": [
        _span("q1", '"Satu dua tiga,"', "QUOTE", "direct"),
        _span("p1", "Budi", "PER"),
        _span("q2", '"Empat lima,"', "QUOTE", "direct"),
        {
            "id": "p2",
            "start": _at("nya")[0],
            "end": _at("nya")[1],
            "label": "PER",
            "attributes": {},
        },
        _span("p3", "Ani", "PER"),
        _span("i1", "harga naik tajam", "QUOTE", "indirect"),
    ],
    "relations": [
        {"id": "r1", "from": "q1", "to": "p1", "label": "SPEAKER"},
        {"id": "r2", "from": "q2", "to": "p2", "label": "SPEAKER"},
        {"id": "r3", "from": "i1", "to": "p3", "label": "SPEAKER"},
    ],
}


def _quote(words, quote_type, speaker=None, antecedent=None):
    return SuggestedQuote((_at(words),), quote_type, None, speaker, antecedent, 0.9, "test")


def _predictions(resolve_clitic: bool = True):
    return [
        _quote('"Satu dua tiga,"', "direct", _mention("Budi")),  # exact
        _quote(
            "Empat lima",
            "direct",
            _mention("nya", "clitic"),  # lenient only
            _mention("Budi") if resolve_clitic else None,
        ),
        _quote("bahwa harga naik tajam", "indirect", _mention("Ani")),  # overlap only
        _quote("kata Budi", "direct"),  # a false positive, no speaker
    ]


def _scores(predictions):
    return score_document(GOLD, predictions, quotes_as_suggestions(predictions))


def test_quote_span_precision_recall_and_f1_by_hand():
    """Direct: 1 of 3 exact (P 1/3, R 1/2, F1 0.4), 2 of 3 lenient (P 2/3, R 1, F1 0.8);
    indirect: none exact or lenient, one by overlap (P = R = F1 = 1)."""
    scores = _scores(_predictions())
    exact, lenient = scores["direct exact"], scores["direct lenient"]
    assert (exact.matched, exact.predicted, exact.gold) == (1, 3, 2)
    assert (exact.precision, exact.recall, exact.f1) == pytest.approx((1 / 3, 1 / 2, 0.4))
    assert (lenient.precision, lenient.recall, lenient.f1) == pytest.approx((2 / 3, 1.0, 0.8))
    assert scores["indirect exact"].f1 == 0 and scores["indirect lenient"].f1 == 0
    overlap = scores["indirect overlap"]
    assert (overlap.precision, overlap.recall, overlap.f1) == (1.0, 1.0, 1.0)


def test_speaker_links_count_a_resolved_pronoun_as_right():
    """All three links right when 'nya' resolves to Budi; 2 of 3 when it stays 'nya'."""
    resolved = _scores(_predictions())["speaker links"]
    assert (resolved.matched, resolved.predicted, resolved.gold) == (3, 3, 3)
    unresolved = _scores(_predictions(resolve_clitic=False))["speaker links"]
    assert (unresolved.matched, unresolved.predicted, unresolved.gold) == (2, 3, 3)
    assert unresolved.f1 == pytest.approx(2 / 3)


def test_accept_only_shares_by_hand():
    """Spans: q1, p1 (Budi) and p3 (Ani) of q1, q2, i1, p1, p3 → 3/5 ('nya' refers to p1 and
    is left out); links: only q1→Budi of three → 1/3."""
    scores = _scores(_predictions())
    spans, links = scores["accept only: spans"], scores["accept only: links"]
    assert (spans.matched, spans.gold) == (3, 5)
    assert (links.matched, links.gold) == (1, 3)


def test_helpers_strip_marks_and_compare_people():
    """strip_span drops marks, punctuation, spaces; same_speaker: overlap or same last name."""
    text = " «“Ya, tentu!”» Jens Stoltenberg dan Stoltenberg, Budi dia"
    assert text[slice(*strip_span(text, (0, 15)))] == "Ya, tentu"
    jens, stoltenberg = (16, 32), (37, 48)
    assert text[slice(*jens)] == "Jens Stoltenberg" and text[slice(*stoltenberg)] == "Stoltenberg"
    assert same_speaker(text, jens, stoltenberg)
    assert not same_speaker(text, stoltenberg, (50, 54))  # Budi
    assert same_speaker(text, (50, 54), (50, 54))


def test_empty_counts_score_zero_not_an_error():
    """No predictions and no gold: precision, recall and F1 are 0, not a ZeroDivisionError."""
    empty = Counts()
    assert (empty.precision, empty.recall, empty.f1) == (0.0, 0.0, 0.0)
    total = Counts(1, 2, 4)
    total += Counts(1, 0, 0)
    assert (total.matched, total.predicted, total.gold) == (2, 2, 4)
