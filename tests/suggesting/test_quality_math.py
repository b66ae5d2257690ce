"""The suggestion quality figures: a hand-worked example, checked again against seqeval's
entity-level precision and recall (an independent scorer) on the same spans as IOB2 tags."""

import pytest
from seqeval.metrics import f1_score, precision_score, recall_score

from annotations.suggesting.quality import Answer, Evidence, suggestion_quality

GOLD_1 = Answer(
    spans=frozenset({(0, 4, "PER"), (10, 14, "ORG"), (20, 30, "QUOTE")}),
    links=frozenset({((20, 30, "QUOTE"), (0, 4, "PER"), "SPEAKER")}),
)
GOLD_2 = Answer(spans=frozenset({(0, 5, "QUOTE"), (6, 9, "PER"), (12, 15, "LOC")}))
QUOTES_1 = Answer(
    spans=frozenset({(20, 30, "QUOTE"), (31, 35, "QUOTE")}),
    links=frozenset(
        {
            ((20, 30, "QUOTE"), (0, 4, "PER"), "SPEAKER"),
            ((31, 35, "QUOTE"), (0, 4, "PER"), "SPEAKER"),
        }
    ),
)
QUOTES_2 = Answer(spans=frozenset({(0, 4, "QUOTE")}))  # one character short
ENTITIES_1 = Answer(spans=frozenset({(0, 4, "PER"), (10, 14, "PER"), (36, 39, "ORG")}))
ENTITIES_2 = Answer(spans=frozenset({(6, 9, "PER")}))
LENGTHS = (40, 20)


def _documents():
    return [
        Evidence(
            answers={"quotes": QUOTES_1, "gold": ENTITIES_1},
            gold=GOLD_1,
            submitted=[
                [((20, 30, "QUOTE"), "quotes"), ((0, 4, "PER"), "gold"), ((10, 14, "ORG"), "")],
                [((20, 31, "QUOTE"), "quotes")],  # accepted, then moved
            ],
        ),
        Evidence(answers={"quotes": QUOTES_2, "gold": ENTITIES_2}, gold=GOLD_2),
        # No gold yet: counts for acceptance and for which labels a source proposes only.
        Evidence(
            answers={"quotes": Answer(), "gold": Answer(spans=frozenset({(1, 3, "LOC")}))},
            gold=None,
        ),
    ]


def by_source():
    return {q.source: q for q in suggestion_quality(_documents())}


def test_precision_and_recall_by_hand():
    """quotes: 1 of 3 suggested QUOTE spans right, 1 of 2 gold QUOTEs found; gold entities:
    PER 2 right of 3 suggested, ORG 0 of 1, and LOC (proposed on a document without gold)
    counts its 1 gold miss; no source is blamed for labels it never proposes."""
    figures = by_source()
    quotes, entities = figures["quotes"], figures["gold"]
    assert (quotes.spans.suggested, quotes.spans.correct, quotes.spans.gold) == (3, 1, 2)
    assert quotes.spans.precision == pytest.approx(1 / 3)
    assert quotes.spans.recall == pytest.approx(1 / 2)
    assert quotes.spans.f1 == pytest.approx(0.4)
    assert list(quotes.span_labels) == ["QUOTE"]
    assert (quotes.documents, quotes.compared) == (3, 2)
    assert (quotes.links.suggested, quotes.links.correct, quotes.links.gold) == (2, 1, 1)
    assert list(entities.span_labels) == ["LOC", "ORG", "PER"]
    per, org, loc = (entities.span_labels[k] for k in ("PER", "ORG", "LOC"))
    assert (per.suggested, per.correct, per.gold) == (3, 2, 2)
    assert (org.suggested, org.correct, org.gold) == (1, 0, 1)
    assert (loc.suggested, loc.correct, loc.gold) == (0, 0, 1)
    assert loc.precision is None and loc.recall == 0
    assert (entities.spans.suggested, entities.spans.correct, entities.spans.gold) == (4, 2, 4)


def _tags(spans, length):
    tags = ["O"] * length
    for start, end, label in sorted(spans):
        assert all(t == "O" for t in tags[start:end]), "seqeval needs spans that do not overlap"
        tags[start] = f"B-{label}"
        for i in range(start + 1, end):
            tags[i] = f"I-{label}"
    return tags


@pytest.mark.parametrize(
    ("source", "answers", "labels"),
    [
        ("quotes", (QUOTES_1, QUOTES_2), {"QUOTE"}),
        ("gold", (ENTITIES_1, ENTITIES_2), {"PER", "ORG", "LOC"}),
    ],
)
def test_span_figures_agree_with_seqeval(source, answers, labels):
    """On the documents with gold, seqeval's micro precision, recall and F1 over the
    source's labels (characters as tokens, IOB2) equal ours."""
    golds = (GOLD_1, GOLD_2)
    y_true = [
        _tags({s for s in g.spans if s[2] in labels}, n)
        for g, n in zip(golds, LENGTHS, strict=True)
    ]
    y_pred = [_tags(a.spans, n) for a, n in zip(answers, LENGTHS, strict=True)]
    ours = by_source()[source].spans
    assert ours.precision == pytest.approx(precision_score(y_true, y_pred))
    assert ours.recall == pytest.approx(recall_score(y_true, y_pred))
    assert ours.f1 == pytest.approx(f1_score(y_true, y_pred))


def test_acceptance_counts_what_annotators_kept():
    """Two submitted annotations were each shown quotes' 2 and gold's 3 suggestions; they
    kept 2 of quotes' (one moved afterwards) and 1 of gold's."""
    figures = by_source()
    quotes, entities = figures["quotes"], figures["gold"]
    assert (quotes.shown, quotes.accepted, quotes.edited) == (4, 2, 1)
    assert quotes.acceptance == pytest.approx(0.5)
    assert (entities.shown, entities.accepted, entities.edited) == (6, 1, 0)
    assert entities.acceptance == pytest.approx(1 / 6)


def test_a_span_two_sources_propose_is_shown_once_as_the_first_sources():
    """The editor merges sources in registry order: the second source's duplicate is not
    shown as its own."""
    both = (0, 4, "QUOTE")
    (quotes, backend) = suggestion_quality(
        [
            Evidence(
                answers={
                    "quotes": Answer(spans=frozenset({both})),
                    "backend": Answer(spans=frozenset({both, (5, 9, "PER")})),
                },
                gold=None,
                submitted=[[(both, "quotes"), ((5, 9, "PER"), "backend")]],
            )
        ]
    )
    assert (quotes.shown, quotes.accepted) == (1, 1)
    assert (backend.shown, backend.accepted, backend.acceptance) == (1, 1, 1.0)


def test_nothing_to_compare_gives_none_not_zero():
    """A source with suggestions but no gold anywhere has no precision or recall (None),
    and no acceptance when nobody submitted."""
    (only,) = suggestion_quality(
        [Evidence(answers={"quotes": Answer(spans=frozenset({(0, 4, "QUOTE")}))}, gold=None)]
    )
    assert only.spans.precision is None and only.spans.recall is None and only.spans.f1 is None
    assert only.acceptance is None
