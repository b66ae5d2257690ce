"""Agreement and gold proposals over quote attribution (DECISIONS 46): whole interrupted
quotes, speakers compared as the names they resolve to, speaker chains scored with MUC, B³,
CEAF-e and CoNLL against hand-worked values. Pure: no database."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from annotations.agreement import agreement_summary, exact_matches, overlap_matches, parse_spans
from annotations.merging import propose_gold

# "…," kata Stoltenberg, "…". Dia … "…," tambahnya.
TEXT = (
    "Jens Stoltenberg tiba. “Satu dua tiga,” kata Stoltenberg, “empat lima.” "
    "Dia menambahkan: “Enam tujuh,” tambahnya."
)


def at(part, nth=0):
    start = -1
    for _ in range(nth + 1):
        start = TEXT.index(part, start + 1)
    return [start, start + len(part)]


def span(sid, part, label="PER", nth=0, chain=None, **fields):
    start, end = at(part, nth)
    out = {"id": sid, "start": start, "end": end, "label": label, "attributes": {}, **fields}
    if chain:
        out["chain"] = chain
    return out


def quote(sid="q1", fragments=True):
    first, second = at("Satu dua tiga"), at("empat lima")
    if not fragments:
        return {"id": sid, "start": first[0], "end": second[1], "label": "QUOTE", "attributes": {}}
    return {
        "id": sid,
        "start": first[0],
        "end": second[1],
        "label": "QUOTE",
        "attributes": {},
        "fragments": [first, second],
    }


def speaker(quote_id, to):
    return {"id": f"r-{quote_id}", "from": quote_id, "to": to, "label": "SPEAKER"}


def test_an_interrupted_quote_matches_only_the_same_fragments():
    """Exact matching compares every fragment; overlap counts only what the pieces share
    (the speaker tag in the gap is no overlap)."""
    whole = parse_spans({"spans": [quote()]})
    hull = parse_spans({"spans": [quote(fragments=False)]})
    assert exact_matches(whole, whole) == [(0, 0)]
    assert exact_matches(whole, hull) == []
    assert overlap_matches(whole, hull) == [(0, 0)]
    tag = parse_spans({"spans": [span("k", "kata Stoltenberg", "QUOTE")]})
    assert overlap_matches(whole, tag) == []
    assert overlap_matches(hull, tag) == [(0, 0)]


def _summary(alice, bob):
    return agreement_summary(
        [{"id": 1, "length": len(TEXT), "text": TEXT, "annotations": {"alice": alice, "bob": bob}}]
    )


def test_speakers_agree_when_they_resolve_to_the_same_name():
    """Alice links the quote to "Dia" in a chain she named "Stoltenberg", Bob to the mention
    "Stoltenberg" in no chain: the SPEAKER links differ (relation F1 0) but both quotes
    resolve to "Stoltenberg" (speaker F1 1). Unnamed, Alice's chain is "Jens Stoltenberg"
    (its longest PER mention), which is not Bob's "Stoltenberg"."""
    alice = {
        "spans": [
            span("p1", "Jens Stoltenberg", chain="c1"),
            span("p2", "Dia", chain="c1"),
            quote(),
        ],
        "relations": [speaker("q1", "p2")],
        "chain_names": {"c1": "Stoltenberg"},
    }
    bob = {
        "spans": [span("x1", "Stoltenberg", nth=1), quote("x2")],
        "relations": [speaker("x2", "x1")],
    }
    summary = _summary(alice, bob)
    assert summary["relations"]["per_label"]["SPEAKER"]["f1"] == 0
    assert summary["attribution"]["speakers"]["f1_micro"] == 1.0
    assert summary["pairwise"][0]["speaker_f1"] == 1.0
    assert summary["per_document"][0]["speaker_f1"] == 1.0
    # Unnamed, Alice's chain resolves to its longest PER mention, "Jens Stoltenberg".
    alice["chain_names"] = {}
    assert _summary(alice, bob)["attribution"]["speakers"]["f1_micro"] == 0.0
    assert _summary(alice, alice)["attribution"]["speakers"]["f1_micro"] == 1.0


def test_quote_figures_count_whole_quotes():
    """The same interrupted quote agrees exactly; the same quote as one hull does not."""
    a = {"spans": [quote()], "relations": []}
    b = {"spans": [quote(fragments=False)], "relations": []}
    quotes = _summary(a, a)["attribution"]["quotes"]
    assert (quotes["f1_exact_micro"], quotes["f1_overlap_micro"]) == (1.0, 1.0)
    quotes = _summary(a, b)["attribution"]["quotes"]
    assert (quotes["f1_exact_micro"], quotes["f1_overlap_micro"]) == (0.0, 1.0)


def test_chain_agreement_matches_hand_worked_values():
    """Alice: {Jens Stoltenberg, Stoltenberg, Dia}, {kata, tambah}; Bob: {Jens Stoltenberg,
    Stoltenberg}, {Dia, kata, tambah} (mentions a b c, d e). By hand:
    MUC R = (1 + 1) / (2 + 1) = 2/3, P = (1 + 1) / (1 + 2) = 2/3;
    B³ R = (2/3 + 2/3 + 1/3 + 1 + 1) / 5 = 11/15, P = (1 + 1 + 1/3 + 2/3 + 2/3) / 5 = 11/15;
    CEAF-e: Dice {abc}~{ab} = 0.8, {de}~{cde} = 0.8, R = P = 1.6 / 2 = 0.8;
    CoNLL = (2/3 + 11/15 + 4/5) / 3 = 11/15."""
    a, b, c = ("Jens Stoltenberg", 0), ("Stoltenberg", 1), ("Dia", 0)
    d, e = ("kata", 0), ("tambah", 0)

    def layer(*chains):
        spans = []
        for number, members in enumerate(chains, start=1):
            for k, (part, nth) in enumerate(members):
                spans.append(span(f"m{number}{k}", part, nth=nth, chain=f"c{number}"))
        return {"spans": spans, "relations": []}

    chains = _summary(layer([a, b, c], [d, e]), layer([a, b], [c, d, e]))["pairwise"][0]["chains"]
    assert chains["muc"]["recall"] == pytest.approx(2 / 3)
    assert chains["muc"]["precision"] == pytest.approx(2 / 3)
    assert chains["b_cubed"]["recall"] == pytest.approx(11 / 15)
    assert chains["b_cubed"]["precision"] == pytest.approx(11 / 15)
    assert chains["ceaf_e"]["f1"] == pytest.approx(0.8)
    assert chains["conll_f1"] == pytest.approx(11 / 15)
    overall = _summary(layer([a, b, c], [d, e]), layer([a, b], [c, d, e]))["attribution"]
    assert overall["chains"]["conll_f1_pairwise_mean"] == pytest.approx(11 / 15)


def test_no_chains_means_no_chain_figures():
    summary = _summary({"spans": [quote()]}, {"spans": [quote("x")]})
    assert summary["pairwise"][0]["chains"] is None
    assert summary["attribution"]["chains"]["conll_f1_pairwise_mean"] is None
    assert summary["attribution"]["speakers"]["f1_micro"] is None


def _version(chain_members, name="", fragments=True):
    spans = [
        span("p1", "Jens Stoltenberg"),
        span("p2", "Stoltenberg", nth=1),
        span("p3", "Dia"),
        quote(fragments=fragments),
    ]
    for span_id in chain_members:
        next(s for s in spans if s["id"] == span_id)["chain"] = "c9"
    return {
        "spans": spans,
        "relations": [speaker("q1", "p2")],
        "chain_names": {"c9": name} if name else {},
    }


def test_gold_proposal_merges_interrupted_quotes_and_chains():
    """Three annotators: two mark the interrupted quote, one its hull (a different item,
    disputed). Chain pairs most put together make the gold chain {p1, p2, p3}, named as
    the names given say; each distinct chain is a row with its status."""
    proposal = propose_gold(
        {
            "alice": _version(["p1", "p2", "p3"], name="Stoltenberg"),
            "bob": _version(["p1", "p2"]),
            "cyd": _version(["p1", "p2", "p3"], name="Stoltenberg", fragments=False),
        },
        threshold=0.5,
    )
    gold = proposal.annotation
    quotes = [s for s in gold["spans"] if s["label"] == "QUOTE"]
    assert [q.get("fragments") for q in quotes] == [[at("Satu dua tiga"), at("empat lima")]]
    assert {(s["label"], s.get("chain")) for s in gold["spans"]} == {
        ("PER", "c1"),
        ("QUOTE", None),
    }
    assert gold["chains"] == [{"id": "c1", "name": "Stoltenberg"}]
    assert len(gold["relations"]) == 1  # the quote's speaker link, through the whole quote
    rows = {len(r["mentions"]): r for r in proposal.chains}
    assert (rows[3]["annotators"], rows[3]["status"], rows[3]["gold_id"]) == (
        ["alice", "cyd"],
        "majority",
        "c1",
    )
    assert (rows[2]["annotators"], rows[2]["status"], rows[2]["gold_id"]) == (
        ["bob"],
        "disputed",
        None,
    )
    statuses = {(s["label"], bool(s.get("fragments")), s["status"]) for s in proposal.spans}
    assert ("QUOTE", True, "majority") in statuses and ("QUOTE", False, "disputed") in statuses


def test_a_chain_one_of_two_made_is_disputed_and_not_in_gold():
    proposal = propose_gold({"alice": _version(["p1", "p3"]), "bob": _version([])})
    assert proposal.annotation["chains"] == []
    assert [r["status"] for r in proposal.chains] == ["disputed"]
    assert all("chain" not in s for s in proposal.annotation["spans"])


def test_review_rows_say_whom_each_version_attributes_a_quote_to():
    """Alice links the quote to "Stoltenberg" in a chain with "Jens Stoltenberg", Bob to
    "Jens Stoltenberg" itself: the SPEAKER links are different items (each disputed), but the
    quote's speaker row has both resolving to "Jens Stoltenberg", agreed."""
    alice = _version(["p1", "p2"])
    bob = {**_version([]), "relations": [speaker("q1", "p1")]}
    proposal = propose_gold({"alice": alice, "bob": bob}, text=TEXT)
    assert [r["status"] for r in proposal.relations] == ["disputed", "disputed"]
    (row,) = proposal.speakers
    assert row["speakers"] == {"alice": "Jens Stoltenberg", "bob": "Jens Stoltenberg"}
    assert (row["speaker"], row["status"]) == ("Jens Stoltenberg", "agreed")
    assert row["quote"]["fragments"] == [at("Satu dua tiga"), at("empat lima")]
    bob["relations"] = [speaker("q1", "p3")]  # "Dia", in no chain of Bob's
    (row,) = propose_gold({"alice": alice, "bob": bob}, text=TEXT).speakers
    assert (row["speakers"]["bob"], row["speaker"], row["status"]) == ("Dia", None, "disputed")
    assert propose_gold({"alice": alice}).speakers == []  # no text, no names
