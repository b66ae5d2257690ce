"""Coreference agreement (MUC, B³, CEAF-e, CoNLL) against hand-worked values and against
scorch, a published implementation of the reference scorer's formulae."""

import random

import pytest
from scorch import scores as reference

from annotations.agreement.coreference import (
    b_cubed,
    ceaf_e,
    clusters_from_links,
    conll_f1,
    coreference_agreement,
    muc,
)

# The example of Pradhan et al. (2014), worked by hand below.
KEY = [{"a", "b", "c"}, {"d", "e", "f", "g"}]
RESPONSE = [{"a", "b"}, {"c", "d"}, {"f", "g", "h", "i"}]


def test_muc_counts_links_kept():
    """MUC: key {a,b,c} is cut in 2 parts (1 link kept of 2), {d,e,f,g} in 3 (1 of 3) → R 2/5;
    the response loses links the same way → P 2/5."""
    score = muc(KEY, RESPONSE)
    assert score.recall == pytest.approx(2 / 5)
    assert score.precision == pytest.approx(2 / 5)
    assert score.f1 == pytest.approx(0.4)


def test_b_cubed_averages_over_mentions():
    """B³: R = (4/3 + 1/3 + 1/4 + 4/4) / 7 mentions, P = (2 + 1/2 + 1/2 + 1) / 8 mentions."""
    score = b_cubed(KEY, RESPONSE)
    assert score.recall == pytest.approx((4 / 3 + 1 / 3 + 1 / 4 + 1) / 7)
    assert score.precision == pytest.approx(4 / 8)


def test_ceaf_e_takes_the_best_one_to_one_alignment():
    """CEAF-e: Dice {a,b,c}~{a,b} = 0.8 and {d,e,f,g}~{f,g,h,i} = 0.5 beat the alternative;
    R = 1.3 / 2 key entities, P = 1.3 / 3 response entities."""
    score = ceaf_e(KEY, RESPONSE)
    assert score.recall == pytest.approx(1.3 / 2)
    assert score.precision == pytest.approx(1.3 / 3)


def test_conll_is_the_mean_of_the_three_f1():
    """CoNLL-2012 = (MUC F1 + B³ F1 + CEAF-e F1) / 3."""
    expected = (
        0.4 + 2 * (35 / 84) * 0.5 / (35 / 84 + 0.5) + 2 * 0.65 * (1.3 / 3) / (0.65 + 1.3 / 3)
    ) / 3
    assert conll_f1(KEY, RESPONSE) == pytest.approx(expected)


def test_identical_clusterings_score_one():
    """A clustering compared with itself scores 1 on every metric."""
    figures = coreference_agreement(KEY, KEY)
    assert figures["conll_f1"] == pytest.approx(1.0)
    for metric in ("muc", "b_cubed", "ceaf_e"):
        assert figures[metric]["f1"] == pytest.approx(1.0)


def test_undefined_figures_are_none():
    """Nothing to compare, or only singletons for MUC, gives None rather than a made-up 0."""
    assert muc([], RESPONSE).f1 is None
    assert b_cubed(KEY, []).recall is None
    assert muc([{"a"}, {"b"}], [{"a"}, {"b"}]).recall is None
    assert conll_f1([{"a"}, {"b"}], [{"a"}, {"b"}]) is None
    assert b_cubed([{"a"}, {"b"}], [{"a", "b"}]).recall == pytest.approx(1.0)


def test_a_mention_in_two_entities_is_refused():
    """A clustering must be a partition."""
    with pytest.raises(ValueError, match="two entities"):
        muc([{"a", "b"}, {"b", "c"}], RESPONSE)


def _random_clustering(rng: random.Random, mentions: list[int]) -> list[set[int]]:
    chosen = [m for m in mentions if rng.random() < 0.85]
    entities: dict[int, set[int]] = {}
    for mention in chosen:
        entities.setdefault(rng.randrange(max(1, len(chosen) // 2)), set()).add(mention)
    return list(entities.values())


@pytest.mark.parametrize("seed", range(40))
def test_equal_to_the_published_scorer_on_random_clusterings(seed):
    """On random partitions (twinless mentions on both sides) every figure equals scorch's."""
    rng = random.Random(seed)
    mentions = list(range(rng.randint(3, 30)))
    key, response = _random_clustering(rng, mentions), _random_clustering(rng, mentions)
    if not key or not response:
        pytest.skip("an empty side is undefined here and 0 in scorch")
    for ours, theirs in ((b_cubed, reference.b_cubed), (ceaf_e, reference.ceaf_e)):
        score = ours(key, response)
        expected = theirs(key, response)
        assert (score.recall, score.precision, score.f1) == pytest.approx(tuple(expected))
    score = muc(key, response)
    expected = reference.muc(key, response)
    if score.recall is None or score.precision is None:
        assert expected[2] == 0  # scorch's convention for "only singletons"
    else:
        assert (score.recall, score.precision, score.f1) == pytest.approx(tuple(expected))
        assert conll_f1(key, response) == pytest.approx(reference.conll2012(key, response))


def test_clusters_from_links_joins_transitively():
    """Links a-b and b-c make one entity {a, b, c}; an unlinked mention is a singleton."""
    entities = clusters_from_links(["a", "b", "c", "d"], [("a", "b"), ("c", "b")])
    assert sorted(sorted(e) for e in entities) == [["a", "b", "c"], ["d"]]


# The reference scorer's own test cases (conll/reference-coreference-scorers, v8.01,
# test/CorefMetricTestConfig.pm and test/TestCases.README; Pradhan et al. 2014): key TC-A is
# {a} {bc} {def}; B is a mention of its own (the scorer's "overlapping mention"). Expected
# (recall, precision, F1) as the scorer's config gives them, to its five decimals where it
# gives decimals. For A10's all-singleton response the scorer says MUC 0/0/0: we agree on
# recall (0 of the key's 3 links) and leave precision (0 links of 0) undefined.
TC_A_KEY = [{"a"}, {"b", "c"}, {"d", "e", "f"}]
TC_A = {
    "A1": (
        [{"a"}, {"b", "c"}, {"d", "e", "f"}],
        {"muc": (1, 1, 1), "bcub": (1, 1, 1), "ceafe": (1, 1, 1)},
    ),
    "A2": (
        [{"a"}, {"d", "e"}],
        {"muc": (1 / 3, 1, 0.5), "bcub": ((7 / 3) / 6, 1, 14 / 25), "ceafe": (0.6, 0.9, 0.72)},
    ),
    "A3": (
        [{"a"}, {"b", "c", "x"}, {"d", "e", "f", "y"}, {"z"}],
        {
            "muc": (1, 3 / 5, 0.75),
            "bcub": (1, (4 + 7 / 12) / 9, 110 / 163),
            "ceafe": (0.88571, 0.66429, 0.75918),
        },
    ),
    "A4": (
        [{"a"}, {"b", "c", "x"}, {"d", "y"}, {"z"}],
        {
            "muc": (1 / 3, 1 / 3, 1 / 3),
            "bcub": ((3 + 1 / 3) / 6, (1 + 4 / 3 + 1 / 2) / 7, None),
            "ceafe": (0.73333, 0.55, 0.62857),
        },
    ),
    "A5": (
        [{"a"}, {"b", "c", "x", "B"}, {"d", "y"}, {"z"}],
        {
            "muc": (1 / 3, 1 / 4, 2 / 7),
            "bcub": ((3 + 1 / 3) / 6, 2.5 / 8, None),
            "ceafe": (0.68889, 0.51667, 0.59048),
        },
    ),
    "A6": (
        [{"a"}, {"b", "c", "x"}, {"d", "y"}, {"B", "z"}],
        {
            "muc": (1 / 3, 1 / 4, 2 / 7),
            "bcub": ((10 / 3) / 6, (1 + 4 / 3 + 1 / 2) / 8, None),
            "ceafe": (0.73333, 0.55, 0.62857),
        },
    ),
    "A10": ([{m} for m in "abcdef"], {"muc": "singletons", "bcub": (3 / 6, 1, 2 / 3)}),
    "A11": (
        [set("abcdef")],
        {"muc": (1, 3 / 5, 6 / 8), "bcub": (1, (1 / 6 + 2 * 2 / 6 + 3 * 3 / 6) / 6, 14 / 25)},
    ),
}


def _f1(recall: float, precision: float) -> float:
    return 2 * recall * precision / (recall + precision)


@pytest.mark.parametrize("case", sorted(TC_A))
def test_the_reference_scorers_published_cases(case):
    """Every MUC, B³ and CEAF-e figure of the CoNLL-2012 scorer's TC-A cases, and their
    CoNLL average where the scorer gives all three."""
    response, expected = TC_A[case]
    metrics = {"muc": muc, "bcub": b_cubed, "ceafe": ceaf_e}
    for name, figures in expected.items():
        score = metrics[name](TC_A_KEY, response)
        if figures == "singletons":
            assert (score.recall, score.precision, score.f1) == (0, None, None)
            continue
        recall, precision, f1 = figures
        f1 = _f1(recall, precision) if f1 is None else f1
        tolerance = 1e-5 if name == "ceafe" else 1e-9
        assert (score.recall, score.precision, score.f1) == pytest.approx(
            (recall, precision, f1), abs=tolerance
        )
    if {"muc", "bcub", "ceafe"} <= expected.keys():
        f1s = [f[2] if f[2] is not None else _f1(f[0], f[1]) for f in expected.values() if f]
        assert conll_f1(TC_A_KEY, response) == pytest.approx(sum(f1s) / 3, abs=1e-5)
