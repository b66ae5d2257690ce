"""Agreement math checked against published examples and reference implementations.

Pure: no database, no Django settings (run with ``-p no:django``).
"""

import itertools
import json
import math
import random
import sys
from pathlib import Path

import krippendorff
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import cohen_kappa_score

# The repository root, so ``annotations`` imports without installing the project.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from annotations.agreement import (
    Span,
    UnitizingTally,
    agreement_summary,
    cohen_kappa,
    fleiss_kappa,
    fleiss_table,
    krippendorff_alpha_nominal,
    overlap_matches,
    pairwise_matrix,
    relation_agreement,
    span_agreement,
    unitizing_alpha,
)


def _spans(*spans):
    """Annotation dict from (start, end, label[, id]) tuples."""
    return {
        "spans": [
            {"id": s[3] if len(s) > 3 else f"s{k}", "start": s[0], "end": s[1], "label": s[2]}
            for k, s in enumerate(spans)
        ]
    }


# --- Cohen's kappa ----------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(8))
def test_cohen_kappa_matches_sklearn(seed):
    """Cohen's kappa equals scikit-learn's on random nominal labels."""
    rng = random.Random(seed)
    categories = ["neg", "neu", "pos"][: rng.randint(2, 3)]
    a = [rng.choice(categories) for _ in range(60)]
    b = [x if rng.random() < 0.6 else rng.choice(categories) for x in a]
    assert cohen_kappa(a, b) == pytest.approx(cohen_kappa_score(a, b), abs=1e-12)


def test_cohen_kappa_leaves_out_missing_items():
    """Items one annotator did not label (None) are left out of kappa."""
    a, b = ["x", "y", None, "x", "y"], ["x", "y", "x", "y", None]
    assert cohen_kappa(a, b) == pytest.approx(cohen_kappa_score(["x", "y", "x"], ["x", "y", "y"]))


def test_cohen_kappa_is_none_when_all_labels_are_identical():
    """With a single category there is no variance: kappa is undefined (None)."""
    assert cohen_kappa(["pos"] * 5, ["pos"] * 5) is None


def test_cohen_kappa_is_none_without_items():
    """No shared items: kappa is None, not an exception."""
    assert cohen_kappa([], []) is None
    assert cohen_kappa([None], ["x"]) is None


# --- Fleiss' kappa ----------------------------------------------------------------------

# Fleiss (1971) via Wikipedia's "Fleiss' kappa" worked example:
# 10 subjects, 14 raters each, 5 categories.
WIKIPEDIA_FLEISS = [
    [0, 0, 0, 0, 14],
    [0, 2, 6, 4, 2],
    [0, 0, 3, 5, 6],
    [0, 3, 9, 2, 0],
    [2, 2, 8, 1, 1],
    [7, 7, 0, 0, 0],
    [3, 2, 6, 3, 0],
    [2, 5, 3, 2, 2],
    [6, 5, 2, 1, 0],
    [0, 2, 2, 3, 7],
]


def test_fleiss_kappa_reproduces_wikipedia_example():
    """The classic 10 x 5 table with 14 raters gives kappa = 0.210."""
    assert round(fleiss_kappa(WIKIPEDIA_FLEISS), 3) == 0.210


def test_fleiss_table_counts_ratings_per_category():
    """Per-item rating lists become a count table; None ratings are not counted."""
    table, categories = fleiss_table([["a", "b", "a"], ["b", None, "b"]], categories=["a", "b"])
    assert categories == ["a", "b"]
    assert table == [[2, 1], [0, 2]]


def test_fleiss_kappa_from_ratings_matches_table():
    """Expanding the Wikipedia table into ratings and back gives the same kappa."""
    ratings = [[c for c, n in enumerate(row) for _ in range(n)] for row in WIKIPEDIA_FLEISS]
    assert fleiss_kappa(fleiss_table(ratings)[0]) == pytest.approx(fleiss_kappa(WIKIPEDIA_FLEISS))


def test_fleiss_kappa_is_none_when_undefined():
    """One category only, or no item rated twice: kappa is None."""
    assert fleiss_kappa([[3, 0], [3, 0]]) is None
    assert fleiss_kappa([[1, 0], [0, 1]]) is None
    assert fleiss_kappa([]) is None


# --- Krippendorff's nominal alpha -------------------------------------------------------

# Krippendorff (2011) "Computing Krippendorff's Alpha-Reliability", section C:
# 4 observers x 12 units, nominal values 1..5, with missing data (None).
KRIPPENDORFF_2011 = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
    [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
]


def test_alpha_nominal_reproduces_krippendorff_2011_example():
    """The 4 coders x 12 units example with missing data gives nominal alpha = 0.743."""
    units = [list(unit) for unit in zip(*KRIPPENDORFF_2011, strict=True)]
    assert round(krippendorff_alpha_nominal(units), 3) == 0.743


def test_alpha_nominal_drops_units_with_a_single_value():
    """Unit 12 (one value) is unpairable: removing it changes nothing."""
    units = [list(unit) for unit in zip(*KRIPPENDORFF_2011, strict=True)]
    assert krippendorff_alpha_nominal(units[:11]) == krippendorff_alpha_nominal(units)


@pytest.mark.parametrize("seed", range(6))
def test_alpha_nominal_matches_krippendorff_package_with_missing_values(seed):
    """Random coder x unit data with NaN gaps: same alpha as `krippendorff.alpha`."""
    rng = np.random.default_rng(seed)
    data = rng.integers(1, 5, size=(4, 40)).astype(float)
    data[rng.random(data.shape) < 0.3] = np.nan
    units = [[None if math.isnan(v) else f"v{int(v)}" for v in unit] for unit in data.T]
    expected = krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")
    assert krippendorff_alpha_nominal(units) == pytest.approx(expected, abs=1e-12)


def test_alpha_nominal_is_none_when_undefined():
    """All values identical, one annotator, or nothing pairable: alpha is None."""
    assert krippendorff_alpha_nominal([["a", "a"], ["a", "a", None]]) is None
    assert krippendorff_alpha_nominal([["a"], ["b"]]) is None
    assert krippendorff_alpha_nominal([]) is None


# --- Span P/R/F1 ------------------------------------------------------------------------


def _f1(a, b, mode):
    return span_agreement(a, b, mode=mode).micro.f1


def test_identical_spans_agree_exactly_and_by_overlap():
    """The same spans give F1 = 1 either way."""
    a = _spans((0, 5, "PER"), (10, 20, "ORG"))
    assert _f1(a, a, "exact") == 1.0
    assert _f1(a, a, "overlap") == 1.0


def test_touching_spans_do_not_overlap():
    """end == start is adjacency, not overlap: no match."""
    a, b = _spans((0, 5, "PER")), _spans((5, 9, "PER"))
    assert _f1(a, b, "exact") == 0.0
    assert _f1(a, b, "overlap") == 0.0


def test_nested_span_matches_by_overlap_only():
    """A span inside another of the same label matches by overlap, not exactly."""
    a, b = _spans((0, 20, "PER")), _spans((5, 10, "PER"))
    assert _f1(a, b, "exact") == 0.0
    assert _f1(a, b, "overlap") == 1.0


def test_partly_overlapping_spans_match_by_overlap_only():
    """Shifted boundaries still count as an overlap match."""
    a, b = _spans((0, 10, "LOC")), _spans((8, 15, "LOC"))
    assert _f1(a, b, "exact") == 0.0
    assert _f1(a, b, "overlap") == 1.0


def test_different_labels_never_match():
    """Same range, different label: no match in either mode."""
    a, b = _spans((0, 10, "PER")), _spans((0, 10, "ORG"))
    assert _f1(a, b, "exact") == 0.0
    assert _f1(a, b, "overlap") == 0.0


def test_overlap_matching_is_one_to_one_by_largest_overlap():
    """A long span overlapping two short ones matches only the one it overlaps most."""
    a = _spans((0, 10, "PER"))
    b = _spans((0, 3, "PER"), (4, 10, "PER"))
    result = span_agreement(a, b, mode="overlap").micro
    assert (result.true_positives, result.reference, result.candidate) == (1, 1, 2)
    assert result.precision == 0.5
    assert result.recall == 1.0


def test_greedy_matching_never_reuses_a_span():
    """Two spans competing for one span: only one pair is counted."""
    a = _spans((0, 10, "PER"), (2, 8, "PER"))
    b = _spans((1, 9, "PER"))
    assert span_agreement(a, b, mode="overlap").micro.true_positives == 1


@pytest.mark.parametrize("seed", range(5))
def test_overlap_matching_equals_naive_greedy_on_random_spans(seed):
    """Nested, touching and long spans: same pairs as trying every pair of spans."""
    rng = random.Random(seed)

    def random_spans():
        starts = [rng.randrange(0, 200) for _ in range(40)]
        return sorted(
            Span(s, s + rng.choice([1, 3, 8, 60]), rng.choice("XY"), f"s{k}")
            for k, s in enumerate(starts)
        )

    a, b = random_spans(), random_spans()
    candidates = sorted(
        (-(min(x.end, y.end) - max(x.start, y.start)), i, j)
        for (i, x), (j, y) in itertools.product(enumerate(a), enumerate(b))
        if x.label == y.label and min(x.end, y.end) > max(x.start, y.start)
    )
    expected, used_a, used_b = [], set(), set()
    for _, i, j in candidates:
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
            expected.append((i, j))
    assert overlap_matches(a, b) == expected


def test_span_agreement_reports_per_label_and_micro():
    """Per-label counts add up to the micro figures; P and R follow the reference."""
    reference = _spans((0, 5, "PER"), (10, 15, "PER"), (20, 30, "ORG"))
    candidate = _spans((0, 5, "PER"), (20, 31, "ORG"), (40, 45, "LOC"))
    result = span_agreement(reference, candidate, mode="exact")
    assert result.per_label["PER"].recall == 0.5
    assert result.per_label["PER"].precision == 1.0
    assert result.per_label["ORG"].f1 == 0.0
    assert result.per_label["LOC"].precision == 0.0
    assert result.per_label["LOC"].recall is None
    micro = result.micro
    assert (micro.true_positives, micro.reference, micro.candidate) == (1, 3, 3)
    assert span_agreement(reference, candidate, mode="overlap").micro.f1 == pytest.approx(2 / 3)


def test_span_agreement_without_spans_is_undefined():
    """Nobody marked anything: F1 is None, not 0 or an exception."""
    empty = {"spans": []}
    assert span_agreement(empty, {}).micro.f1 is None
    assert span_agreement(empty, _spans((0, 1, "PER"))).micro.f1 == 0.0


# --- Relations --------------------------------------------------------------------------


def _quote(person, quote, speaker_of=None, ids=("p", "q")):
    annotation = _spans((*person, "PER", ids[0]), (*quote, "QUOTE", ids[1]))
    annotation["relations"] = [
        {"id": "r1", "from": ids[1], "to": speaker_of or ids[0], "label": "SPEAKER"}
    ]
    return annotation


def test_relation_agrees_when_both_ends_are_matched_spans():
    """SPEAKER links between overlap-matched spans agree, whatever the span ids."""
    a = _quote((0, 10), (20, 40))
    b = _quote((0, 9), (19, 40), ids=("x", "y"))
    assert relation_agreement(a, b).micro.f1 == 1.0


def test_relation_disagrees_when_linked_to_another_speaker():
    """Linking the quote to a different person is a disagreement."""
    a = _quote((0, 10), (20, 40))
    b = _quote((0, 10), (20, 40))
    b["spans"].append({"id": "other", "start": 50, "end": 55, "label": "PER"})
    b["relations"][0]["to"] = "other"
    result = relation_agreement(a, b).per_label["SPEAKER"]
    assert (result.true_positives, result.reference, result.candidate) == (0, 1, 1)


def test_relation_disagrees_when_its_spans_do_not_match():
    """A link whose speaker span has no counterpart cannot agree."""
    a = _quote((0, 10), (20, 40))
    b = _quote((60, 70), (20, 40))
    assert relation_agreement(a, b).micro.f1 == 0.0


# --- Krippendorff's unitizing alpha -----------------------------------------------------


def _naive_unitizing_alpha(length, coders):
    """u-alpha straight from Krippendorff's formula, looping over every section pair."""

    def sections(units):
        result, position = [], 0
        for start, end in sorted(units):
            if start > position:
                result.append((position, start - position, 0))
            result.append((start, end - start, 1))
            position = end
        if position < length:
            result.append((position, length - position, 0))
        return result

    def delta2(g, h):
        (bg, lg, wg), (bh, lh, wh) = g, h
        if wg and wh and -lg < bg - bh < lh:
            return (bg - bh) ** 2 + (bg + lg - bh - lh) ** 2
        if wg and not wh and lh - lg >= bg - bh >= 0:
            return lg**2
        if wh and not wg and lg - lh >= bh - bg >= 0:
            return lh**2
        return 0

    m, big_l = len(coders), length
    cut = [sections(c) for c in coders]
    pairs = itertools.permutations(range(m), 2)
    observed = sum(delta2(g, h) for i, j in pairs for g in cut[i] for h in cut[j])
    observed /= m * (m - 1) * big_l**2
    units = [size for c in cut for (_, size, w) in c if w]
    gaps = [size for c in cut for (_, size, w) in c if not w]
    n = len(units)
    numerator = sum(
        (n - 1) / 3 * (2 * u**3 - 3 * u**2 + u) + u**2 * sum(g - u + 1 for g in gaps if g >= u)
        for u in units
    )
    pairable = m * big_l * (m * big_l - 1) - sum(u * (u - 1) for u in units)
    expected = 2 / big_l * numerator / pairable
    return 1 - observed / expected


def _random_units(rng, length, count):
    """Sorted, non-overlapping (start, end) units on [0, length)."""
    cuts = sorted(rng.sample(range(length + 1), 2 * count))
    return list(zip(cuts[::2], cuts[1::2], strict=True))


def test_unitizing_alpha_is_one_for_perfect_agreement():
    """Identical units from three annotators give u-alpha = 1."""
    units = [(2, 5, "X"), (9, 14, "X")]
    assert unitizing_alpha(20, [units, units, units], "X") == 1.0


def test_unitizing_alpha_is_not_positive_for_systematic_disagreement():
    """One annotator marks the first half, the other the second half: u-alpha <= 0."""
    assert unitizing_alpha(10, [[(0, 5, "X")], [(5, 10, "X")]], "X") <= 0
    assert unitizing_alpha(30, [[(0, 4, "X"), (20, 24, "X")], [(8, 12, "X")]], "X") <= 0


def test_unitizing_alpha_hand_worked_example():
    """L = 10, annotator A marks [2, 6), B marks [3, 6): u-alpha = 19.38 / 23."""
    # Sections, as (begin, length, unit?):
    #   A: (0,2,gap) (2,4,unit) (6,4,gap)     B: (0,3,gap) (3,3,unit) (6,4,gap)
    # Observed: the two units overlap, delta^2 = (2-3)^2 + (6-6)^2 = 1; no unit lies
    #   wholly in the other's gap. Both orders of the pair: 2.  m = 2, L = 10:
    #   D_o = 2 / (2 * 1 * 10^2) = 0.01
    # Expected: N = 2 units, lengths 4 and 3; gaps 2, 4, 3, 4.
    #   l = 4: (N-1)/3 (2*64 - 3*16 + 4) = 84/3 = 28;  gaps >= 4: (4-4+1)*2 = 2 -> 16*2 = 32
    #   l = 3: (N-1)/3 (2*27 - 3*9 + 3)  = 30/3 = 10;  gaps >= 3: 2 + 1 + 2 = 5 -> 9*5 = 45
    #   numerator = 2/L * (28 + 32 + 10 + 45) = 0.2 * 115 = 23
    #   denominator = mL(mL-1) - sum l(l-1) = 20*19 - (12 + 6) = 362
    #   D_e = 23 / 362
    # u-alpha = 1 - 0.01 * 362 / 23 = 1 - 3.62 / 23 = 19.38 / 23 = 0.842609
    alpha = unitizing_alpha(10, [[(2, 6, "X")], [(3, 6, "X")]], "X")
    assert alpha == pytest.approx(19.38 / 23, abs=1e-12)
    assert round(alpha, 6) == 0.842609


def test_unitizing_alpha_reproduces_krippendorff_2004_textbook_example():
    """Content Analysis (2004, p. 254): u-alpha_c = 0.7286, u-alpha_k = 1, overall 0.859."""
    # Continuum [150, 450) shifted to [0, 300); two observers, categories c and k.
    # Reference values as reproduced by DKPro Statistics' Krippendorff2004Test.
    i = [(225, 295, "c"), (370, 400, "c"), (180, 240, "k"), (300, 350, "k")]
    j = [(220, 300, "c"), (355, 375, "c"), (400, 420, "c"), (180, 240, "k"), (300, 350, "k")]
    tally = UnitizingTally()
    tally.add_document(300, [[(s - 150, e - 150, c) for s, e, c in u] for u in (i, j)])
    observed, expected = tally.disagreements("c")
    assert round(observed, 4) == 0.0144
    assert round(expected, 4) == 0.0532
    assert round(tally.alpha("c"), 4) == 0.7286
    assert round(tally.disagreements("k")[1], 4) == 0.0490
    assert tally.alpha("k") == 1.0
    # The book rounds D_o and D_e before dividing (0.859); unrounded it is 0.8587.
    assert round(tally.alpha_overall(), 3) == 0.859


@pytest.mark.parametrize("seed", range(10))
def test_unitizing_alpha_matches_the_formula_section_by_section(seed):
    """The fast implementation equals a naive loop over all section pairs."""
    rng = random.Random(seed)
    length = rng.randint(30, 80)
    coders = [_random_units(rng, length, rng.randint(0, 5)) for _ in range(rng.randint(2, 4))]
    if not any(coders):
        coders[0] = [(1, 4)]
    fast = unitizing_alpha(length, [[(s, e, "X") for s, e in c] for c in coders], "X")
    assert fast == pytest.approx(_naive_unitizing_alpha(length, coders), abs=1e-9)


@pytest.mark.parametrize("seed", range(5))
def test_unitizing_alpha_ignores_annotator_order(seed):
    """Every permutation of the annotators gives the same u-alpha."""
    rng = random.Random(seed)
    coders = [[(s, e, rng.choice("XY")) for s, e in _random_units(rng, 100, 6)] for _ in range(3)]
    values = {
        round(unitizing_alpha(100, list(order)), 12) for order in itertools.permutations(coders)
    }
    assert len(values) == 1


def test_unitizing_alpha_reads_other_labels_as_gaps():
    """A span of another label does not count for this label's u-alpha."""
    same = [(2, 5, "X")]
    assert unitizing_alpha(20, [same, [*same, (8, 12, "Y")]], "X") == 1.0


def test_unitizing_alpha_joins_one_annotators_overlapping_spans():
    """Nested spans of one label by one annotator count as their union."""
    nested = [(2, 10, "X"), (4, 6, "X")]
    assert unitizing_alpha(20, [nested, [(2, 10, "X")]], "X") == 1.0


def test_unitizing_alpha_is_none_when_undefined():
    """One annotator, or no units at all: u-alpha is None."""
    assert unitizing_alpha(10, [[(0, 5, "X")]], "X") is None
    assert unitizing_alpha(10, [[], []], "X") is None
    assert unitizing_alpha(10, [[], []]) is None


def test_unitizing_tally_pools_documents_in_any_order():
    """Pooled u-alpha over documents does not depend on their order."""
    rng = random.Random(3)
    documents = [
        (50, [[(s, e, "X") for s, e in _random_units(rng, 50, 3)] for _ in range(2)])
        for _ in range(6)
    ]
    forward, backward = UnitizingTally(), UnitizingTally()
    for length, units in documents:
        forward.add_document(length, units)
    for length, units in reversed(documents):
        backward.add_document(length, units)
    assert forward.alpha("X") == pytest.approx(backward.alpha("X"), abs=1e-12)


def test_unitizing_tally_sees_label_first_used_in_a_later_document():
    """Earlier documents without the label still count as gaps for it."""
    early, late = UnitizingTally(), UnitizingTally()
    early.add_document(40, [[], []])
    early.add_document(40, [[(2, 6, "X")], [(3, 6, "X")]])
    late.add_document(40, [[(2, 6, "X")], [(3, 6, "X")]])
    late.add_document(40, [[], []])
    assert early.alpha("X") == pytest.approx(late.alpha("X"), abs=1e-12)
    assert early.alpha("X") != unitizing_alpha(40, [[(2, 6, "X")], [(3, 6, "X")]], "X")


# --- Summary ----------------------------------------------------------------------------


def _doc(doc_id, length=100, **annotations):
    return {"id": doc_id, "length": length, "annotations": annotations}


def _labelled(sentiment, *spans):
    annotation = _spans(*spans)
    annotation["document_labels"] = {"sentiment": sentiment}
    return annotation


def test_summary_is_strict_json_for_degenerate_projects():
    """No documents, one annotator, no spans, identical labels: all None, valid JSON."""
    cases = [
        [],
        [_doc(1, alice=_labelled("pos", (0, 5, "PER")))],
        [_doc(1, alice={"spans": []}, bob={"spans": []})],
        [_doc(k, alice=_labelled("pos"), bob=_labelled("pos")) for k in range(3)],
    ]
    for documents in cases:
        summary = agreement_summary(documents, span_labels=["PER"])
        json.dumps(summary, allow_nan=False)
        assert summary["spans"]["overall"]["unitizing_alpha"] is None
        for figures in summary["document_labels"]["per_group"].values():
            assert figures["cohen_kappa"] is None
            assert figures["krippendorff_alpha"] is None


def test_summary_reports_document_label_coefficients():
    """Two annotators: Cohen's, Fleiss' and alpha per group, matching the functions."""
    alice = ["pos", "neg", "neg", "neu", "pos", "neg"]
    bob = ["pos", "neg", "pos", "neu", "pos", "neu"]
    documents = [
        _doc(k, alice=_labelled(a), bob=_labelled(b))
        for k, (a, b) in enumerate(zip(alice, bob, strict=True))
    ]
    figures = agreement_summary(documents)["document_labels"]["per_group"]["sentiment"]
    units = [[a, b] for a, b in zip(alice, bob, strict=True)]
    assert figures["items"] == 6
    assert figures["cohen_kappa"] == pytest.approx(cohen_kappa_score(alice, bob))
    assert figures["fleiss_kappa"] == pytest.approx(fleiss_kappa(fleiss_table(units)[0]))
    assert figures["krippendorff_alpha"] == pytest.approx(krippendorff_alpha_nominal(units))


def test_summary_leaves_cohen_kappa_out_with_three_annotators():
    """Cohen's kappa is for two annotators; with three it is None (see pairwise)."""
    documents = [
        _doc(k, a=_labelled(x), b=_labelled(x), c=_labelled("neu"))
        for k, x in enumerate(["pos", "neg", "pos"])
    ]
    summary = agreement_summary(documents)
    group = summary["document_labels"]["per_group"]["sentiment"]
    assert group["cohen_kappa"] is None
    assert group["fleiss_kappa"] is not None
    kappas = {(p["a"], p["b"]): p["document_label_kappa"]["sentiment"] for p in summary["pairwise"]}
    assert kappas[("a", "b")] == 1.0
    # c always says "neu": chance agreement with a is 0, so kappa is 0, not undefined.
    assert kappas[("a", "c")] == 0.0


def test_summary_expands_multi_choice_groups_into_options():
    """A multi-choice group is judged option by option (yes/no per document)."""
    documents = [
        _doc(
            1,
            a={"document_labels": {"topics": ["eco"]}},
            b={"document_labels": {"topics": ["eco", "pol"]}},
        ),
        _doc(
            2,
            a={"document_labels": {"topics": ["pol"]}},
            b={"document_labels": {"topics": ["pol"]}},
        ),
    ]
    summary = agreement_summary(documents, document_groups={"topics": ["eco", "pol", "art"]})
    # Items (doc, option): eco yes/yes, pol no/yes, art no/no, eco no/no, pol yes/yes, art no/no.
    a = [True, False, False, False, True, False]
    b = [True, True, False, False, True, False]
    topics = summary["document_labels"]["per_group"]["topics"]
    assert topics["items"] == 6
    assert topics["cohen_kappa"] == pytest.approx(cohen_kappa_score(a, b))


def test_summary_reports_spans_relations_and_pairs():
    """Span F1 (exact, overlap) per label and pair, relation F1, u-alpha per label."""
    alice = _quote((0, 10), (20, 40))
    bob = _quote((0, 9), (20, 40), ids=("x", "y"))
    summary = agreement_summary(
        [_doc(1, alice=alice, bob=bob)], span_labels=["PER", "QUOTE", "LOC"]
    )
    spans = summary["spans"]
    assert spans["per_label"]["PER"]["f1_exact"] == 0.0
    assert spans["per_label"]["PER"]["f1_overlap"] == 1.0
    assert spans["per_label"]["QUOTE"]["unitizing_alpha"] == 1.0
    assert spans["per_label"]["LOC"] == {
        "f1_exact": None,
        "f1_overlap": None,
        "unitizing_alpha": None,
    }
    assert spans["overall"]["f1_exact_pairwise_mean"] == 0.5
    assert spans["overall"]["f1_overlap_pairwise_mean"] == 1.0
    assert summary["relations"]["per_label"]["SPEAKER"]["f1"] == 1.0
    assert summary["pairwise"] == pairwise_matrix([_doc(1, alice=alice, bob=bob)])
    assert summary["pairwise"][0]["span_f1_exact"] == 0.5


def test_summary_pairwise_matrix_covers_every_pair_of_annotators():
    """Three annotators give three pairs, each counting the documents they share."""
    same = _spans((0, 5, "PER"))
    documents = [_doc(1, a=same, b=same, c=same), _doc(2, a=same, b=_spans((0, 4, "PER")))]
    pairs = {(p["a"], p["b"]): p for p in pairwise_matrix(documents)}
    assert sorted(pairs) == [("a", "b"), ("a", "c"), ("b", "c")]
    assert pairs[("a", "b")]["documents"] == 2
    assert pairs[("a", "b")]["span_f1_exact"] == 0.5
    assert pairs[("a", "c")]["span_f1_exact"] == 1.0


def test_summary_per_document_agreement_is_mean_over_pairs():
    """Each document gets its mean pairwise F1 so reviewers can sort by it."""
    documents = [
        _doc("d1", a=_spans((0, 5, "PER")), b=_spans((0, 5, "PER")), c=_spans((50, 55, "PER"))),
        _doc("d2", a=_spans((0, 5, "PER")), b=_spans((0, 5, "PER"))),
        _doc("d3", a=_spans((0, 5, "PER"))),
    ]
    rows = {row["id"]: row for row in agreement_summary(documents)["per_document"]}
    assert rows["d1"]["span_f1_overlap"] == pytest.approx(1 / 3)
    assert rows["d2"]["span_f1_overlap"] == 1.0
    assert rows["d3"]["span_f1_overlap"] is None
    assert rows["d3"]["annotators"] == ["a"]


def test_relation_agreement_accepts_integer_span_ids():
    """Span ids given as integers link the same way as string ids."""
    annotation = {
        "spans": [
            {"id": 1, "start": 0, "end": 4, "label": "PER"},
            {"id": 2, "start": 10, "end": 20, "label": "QUOTE"},
        ],
        "relations": [{"from": 2, "to": 1, "label": "SPEAKER"}],
    }
    result = relation_agreement(annotation, annotation)
    assert result.micro.f1 == 1.0


_span = st.tuples(st.integers(0, 30), st.integers(1, 8), st.sampled_from(["PER", "ORG"]))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(_span, max_size=6), min_size=1, max_size=4))
def test_document_span_f1_is_the_summarys_per_document_figure(layers):
    """The documents table's stored agreement equals `agreement_summary`'s per-document
    span_f1_overlap for the same annotations (annotators in name order, as it takes them)."""
    from annotations.agreement import agreement_summary, document_span_f1

    annotations = {
        f"a{i}": {"spans": [{"start": s, "end": s + n, "label": label} for s, n, label in spans]}
        for i, spans in enumerate(layers)
    }
    summary = agreement_summary([{"id": 1, "length": 40, "annotations": annotations}])
    expected = summary["per_document"][0]["span_f1_overlap"] if summary["per_document"] else None
    ordered = [annotations[name] for name in sorted(annotations)]
    assert document_span_f1(ordered) == expected
