"""Quote attribution through the annotation API (DECISIONS 46): interrupted quotes as one
span with fragments, speech cues, speaker chains with canonical names; PUT, PATCH, GET,
bad input, history and query counts."""

import pytest

from annotations.models import AnnotationEvent, Span
from tests.articles import ARTICLE
from tests.conftest import api, error_body
from tests.factories import DocumentFactory

# The article's interrupted quote: “Kami sudah mencatat …,” ujar Wulandari, “dan atap …”
FIRST = "Kami sudah mencatat semua masukan itu"
SECOND = (
    "dan atap untuk sembilan halte akan selesai dipasang sebelum musim hujan mencapai puncaknya"
)


def at(needle: str, after: int = 0) -> tuple[int, int]:
    start = ARTICLE.index(needle, after)
    return start, start + len(needle)


def span(sid, extent, label="PER", **fields):
    return {"id": sid, "start": extent[0], "end": extent[1], "label": label, "attributes": {},
            **fields}  # fmt: skip


def quote(sid="q1", **fields):
    (s1, e1), (s2, e2) = at(FIRST), at(SECOND)
    return span(sid, (s1, e2), "QUOTE", fragments=[[s1, e1], [s2, e2]], **fields)


@pytest.fixture
def article(cast):
    return DocumentFactory(project=cast.project, text=ARTICLE, length=len(ARTICLE))


def mine(document) -> str:
    return api(document.project_id, f"documents/{document.pk}/annotations/mine/")


def put(client, document, version=0, **body):
    response = client.put(mine(document), {"version": version, **body}, format="json")
    return response


def patch(client, document, version, *ops):
    return client.patch(mine(document), {"version": version, "ops": list(ops)}, format="json")


def done(response):
    assert response.status_code == 200, response.json()
    return response


def speaker_spans():
    """Rina Wulandari (first mention), then Wulandari as the interrupted quote's tag."""
    tag = ARTICLE.index("ujar Wulandari, “dan") + len("ujar ")
    return [
        span("p1", at("Rina Wulandari"), chain="c1"),
        span("p2", (tag, tag + len("Wulandari")), chain="c1"),
        span("cue1", (tag - 5, tag - 1), "CUE"),
    ]


def test_an_interrupted_quote_is_one_span_with_its_fragments(cast, article):
    """PUT an interrupted quote with its speaker and cue; GET answers it as written, one span
    whose fragments are the two pieces, the one-piece spans without `fragments`."""
    client = cast.client("annotator")
    spans = [quote(), *speaker_spans()]
    relations = [
        {"id": "r1", "from": "q1", "to": "p2", "label": "SPEAKER"},
        {"id": "r2", "from": "q1", "to": "cue1", "label": "CUE"},
    ]
    answer = put(client, article, spans=spans, relations=relations)
    assert answer.status_code == 200, answer.json()
    read = client.get(mine(article)).json()
    assert read == answer.json()
    by_id = {s["id"]: s for s in read["spans"]}
    assert by_id["q1"]["fragments"] == quote()["fragments"]
    assert [ARTICLE[a:b] for a, b in by_id["q1"]["fragments"]] == [FIRST, SECOND]
    assert "fragments" not in by_id["p1"] and "chain" not in by_id["cue1"]
    assert ARTICLE[by_id["cue1"]["start"] : by_id["cue1"]["end"]] == "ujar"
    assert Span.objects.get(client_id="p1").fragments is None


@pytest.mark.parametrize(
    ("fragments", "words"),
    [
        ("disagree", "must be the first fragment's start and the last one's end"),
        ("touching", "with a gap"),
        ("overlapping", "with a gap"),
        ("one", "at least two"),
        ("empty_piece", "not a non-empty range"),
        ("not_pairs", "pair of integers"),
    ],
)
def test_bad_fragments_are_refused_naming_the_span(cast, article, fragments, words):
    """Fragments that do not make one interrupted span: 400 at spans.N.fragments, nothing
    stored."""
    (s1, e1), (s2, e2) = at(FIRST), at(SECOND)
    cases = {
        "disagree": ((s1, e2 + 1), [[s1, e1], [s2, e2]]),
        "touching": ((s1, e2), [[s1, e1], [e1, e2]]),
        "overlapping": ((s1, e2), [[s1, e1], [e1 - 2, e2]]),
        "one": ((s1, e1), [[s1, e1]]),
        "empty_piece": ((s1, e2), [[s1, e1], [s2, s2], [s2 + 1, e2]]),
        "not_pairs": ((s1, e2), [[s1, e1, 3], [s2, e2]]),
    }
    extent, value = cases[fragments]
    spans = [span("p1", at("Rina Wulandari")), span("q1", extent, "QUOTE", fragments=value)]
    response = put(cast.client("annotator"), article, spans=spans)
    errors = error_body(response, 400, "invalid")["errors"]
    assert list(errors) == ["spans.1.fragments"], errors
    assert words in errors["spans.1.fragments"][0]
    assert not Span.objects.filter(annotation__document=article).exists()


def test_null_or_empty_fragments_are_one_piece(cast, article):
    """`fragments` null or [] on a write is the plain span it always was."""
    spans = [
        span("p1", at("Rina Wulandari"), fragments=None),
        span("p2", at("Dishub"), fragments=[]),
    ]
    answer = put(cast.client("annotator"), article, spans=spans).json()
    assert all("fragments" not in s for s in answer["spans"])


def test_overlap_off_checks_each_fragment_not_the_hull(cast, article):
    """With overlap off, the speaker inside the quote's gap is fine; a span on a fragment
    is refused, on PUT and on PATCH."""
    cast.project.allow_overlap = False
    cast.project.save()
    client = cast.client("annotator")
    assert put(client, article, spans=[quote(), *speaker_spans()]).status_code == 200
    inside = span("p9", at("semua masukan"))
    response = put(client, article, 1, spans=[quote(), inside])
    errors = error_body(response, 400, "invalid")["errors"]
    assert "overlaps span 'q1'" in str(errors)
    response = patch(client, article, 1, {"op": "add_span", "span": inside})
    assert "overlap is off" in error_body(response, 400, "invalid")["detail"]
    gap = ARTICLE.index("” ujar Wulandari")
    ok = patch(client, article, 1, {"op": "add_span", "span": span("x", (gap, gap + 1), "MISC")})
    assert ok.status_code == 200, ok.json()
    # The quote's second fragment moved onto a stored span: refused against the stored one.
    s1, e1 = at(FIRST)
    s2 = ARTICLE.index("Wulandari, “dan")
    moved = {"op": "update_span", "id": "q1", "fragments": [[s1, e1], [s2, at(SECOND)[1]]]}
    response = patch(client, article, 2, moved)
    assert "overlaps span 'p2'" in error_body(response, 400, "invalid")["detail"]


def test_update_with_fragments_alone_moves_the_extent(cast, article):
    """update_span {fragments} moves start and end with them; start alone on an interrupted
    span disagrees with its fragments and is refused there."""
    client = cast.client("annotator")
    assert put(client, article, spans=[quote()]).status_code == 200
    (s1, e1), (s2, e2) = at(FIRST), at(SECOND)
    shorter = [[s1 + 5, e1], [s2, e2 - 3]]
    done(patch(client, article, 1, {"op": "update_span", "id": "q1", "fragments": shorter}))
    stored = client.get(mine(article)).json()["spans"][0]
    assert (stored["start"], stored["end"], stored["fragments"]) == (s1 + 5, e2 - 3, shorter)
    response = patch(client, article, 2, {"op": "update_span", "id": "q1", "start": s1})
    assert list(error_body(response, 400, "invalid")["errors"]) == ["ops.0.fragments"]
    joined = patch(client, article, 2, {"op": "update_span", "id": "q1", "fragments": None})
    assert joined.status_code == 200
    assert "fragments" not in client.get(mine(article)).json()["spans"][0]


def test_chains_are_made_by_their_mentions_and_named_by_the_longest(cast, article):
    """Spans naming an unknown chain make it, unnamed; its canonical name is the longest PER
    or ORG mention; a name given wins; a pronoun-only chain takes its longest mention."""
    client = cast.client("annotator")
    dia = ARTICLE.index("tambahnya") + len("tambah")
    spans = [*speaker_spans(), span("pro", (dia, dia + 3), "MISC", chain="c2")]
    answer = put(client, article, spans=spans).json()
    assert answer["chains"] == [
        {"id": "c1", "name": "", "canonical": "Rina Wulandari"},
        {"id": "c2", "name": "", "canonical": "nya"},
    ]
    named = put(client, article, 1, spans=spans, chains=[{"id": "c2", "name": "Rina W."}]).json()
    assert named["chains"][1] == {"id": "c2", "name": "Rina W.", "canonical": "Rina W."}
    assert client.get(mine(article)).json()["chains"] == named["chains"]


@pytest.mark.parametrize(
    ("chains", "path", "words"),
    [
        ([{"id": "c9", "name": "Nobody"}], "chains.0.id", "has no mention"),
        ([{"id": "c1"}, {"id": "c1"}], "chains.1.id", "duplicate chain id"),
        ([{"id": "c1", "name": 5}], "chains.0.name", "must be text"),
        ({"c1": "x"}, "chains", "Expected a list"),
    ],
)
def test_bad_chains_are_refused_where_they_are(cast, article, chains, path, words):
    response = put(cast.client("annotator"), article, spans=speaker_spans(), chains=chains)
    errors = error_body(response, 400, "invalid")["errors"]
    assert words in errors[path][0], errors


def test_a_bad_chain_id_on_a_span_is_refused(cast, article):
    spans = [span("p1", at("Dishub"), chain="x" * 65)]
    response = put(cast.client("annotator"), article, spans=spans)
    errors = error_body(response, 400, "invalid")["errors"]
    assert list(errors) == ["spans.0.chain"]


def test_patch_sets_names_moves_mentions_and_deletes_chains(cast, article):
    """PATCH: a span's chain on add and update, set_chain names one, delete_chain leaves its
    mentions in no chain, and a chain whose last mention leaves is gone with its name."""
    client = cast.client("annotator")
    assert put(client, article, spans=speaker_spans()).status_code == 200
    sri = span("p3", at("Sri Lestari"), chain="c7")
    ops = [{"op": "add_span", "span": sri}, {"op": "set_chain", "id": "c7", "name": "Sri"}]
    done(patch(client, article, 1, *ops))
    chains = client.get(mine(article)).json()["chains"]
    assert chains[1] == {"id": "c7", "name": "Sri", "canonical": "Sri"}
    # Sri leaves c7 for c1: c7 has no mention left, and its name goes with it.
    done(patch(client, article, 2, {"op": "update_span", "id": "p3", "chain": "c1"}))
    read = client.get(mine(article)).json()
    assert [c["id"] for c in read["chains"]] == ["c1"]
    assert read["spans"][-1]["chain"] == "c1"
    done(patch(client, article, 3, {"op": "update_span", "id": "p3", "chain": None}))
    done(patch(client, article, 4, {"op": "set_chain", "id": "c1", "name": "Bu Rina"}))
    assert client.get(mine(article)).json()["chains"][0]["canonical"] == "Bu Rina"
    done(patch(client, article, 5, {"op": "delete_chain", "id": "c1"}))
    read = client.get(mine(article)).json()
    assert read["chains"] == [] and all("chain" not in s for s in read["spans"])
    # c7 got its name back after the batch? No: a reused id starts unnamed.
    done(patch(client, article, 6, {"op": "update_span", "id": "p3", "chain": "c7"}))
    assert client.get(mine(article)).json()["chains"] == [
        {"id": "c7", "name": "", "canonical": "Sri Lestari"}
    ]


@pytest.mark.parametrize(
    ("op", "path", "words"),
    [
        ({"op": "set_chain", "id": "c9", "name": "Nobody"}, "ops.0.id", "has no mention"),
        ({"op": "set_chain", "id": "", "name": "x"}, "ops.0.id", "non-empty"),
        ({"op": "set_chain", "id": "c1", "name": ["x"]}, "ops.0.name", "must be text"),
        ({"op": "delete_chain", "id": "c9"}, "ops.0.id", "does not exist"),
    ],
)
def test_bad_chain_ops_are_refused_at_their_index(cast, article, op, path, words):
    client = cast.client("annotator")
    assert put(client, article, spans=speaker_spans()).status_code == 200
    errors = error_body(patch(client, article, 1, op), 400, "invalid")["errors"]
    assert words in errors[path][0], errors
    assert client.get(mine(article)).json()["version"] == 1


def test_history_records_chain_changes(cast, article):
    """PUT records the names before and after; PATCH its ops and the mentions it changed."""
    client = cast.client("annotator")
    put(client, article, spans=speaker_spans(), chains=[{"id": "c1", "name": "Rina"}])
    patch(client, article, 1, {"op": "delete_chain", "id": "c1"})
    events = list(AnnotationEvent.objects.order_by("version"))
    assert events[0].changes["chain_names"] == {"before": {}, "after": {"c1": "Rina"}}
    assert events[1].changes["ops"] == [{"op": "delete_chain", "id": "c1"}]
    assert events[1].changes["chain_names"] == {"before": {"c1": "Rina"}, "after": {}}
    assert {s["id"]: s["chain"] for s in events[1].changes["removed"]["spans"]} == {
        "p1": "c1",
        "p2": "c1",
    }


def test_cue_links_a_quote_to_its_cue_only(cast, article):
    """The news preset's CUE link runs from a QUOTE to a CUE span, nothing else."""
    client = cast.client("annotator")
    spans = [quote(), *speaker_spans()]
    wrong = [{"id": "r1", "from": "p1", "to": "cue1", "label": "CUE"}]
    response = put(client, article, spans=spans, relations=wrong)
    errors = error_body(response, 400, "invalid")["errors"]
    assert "cannot start at a PER span" in errors["relations.0.from"][0]
    rows = client.get(api(cast.project.pk, "labels/")).json()["results"]
    cues = {row["kind"]: row for row in rows if row["name"] == "CUE"}
    assert cues["span"]["translations"]["id"]["title"] == "Penanda ujaran"
    assert (cues["relation"]["source_labels"], cues["relation"]["target_labels"]) == (
        ["QUOTE"],
        ["CUE"],
    )


def _chained(cast, n: int):
    text = "x " * 400
    doc = DocumentFactory(project=cast.project, text=text, length=len(text))
    spans = [{"id": f"s{i}", "start": 2 * i, "end": 2 * i + 1, "label": "PER",
              "chain": f"c{i % 3}"} for i in range(n)]  # fmt: skip
    assert put(cast.client("annotator"), doc, spans=spans).status_code == 200
    return doc


@pytest.mark.parametrize("size", [3, 300])
def test_chain_patch_and_get_use_constant_queries(
    cast, size, django_assert_num_queries, django_assert_max_num_queries
):
    """Moving a mention out of its chain and naming another costs the same queries on 3
    spans or 300; so does reading an annotation with chains."""
    doc = _chained(cast, size)
    client = cast.client("annotator")
    ops = [
        {"op": "update_span", "id": "s0", "chain": None},
        {"op": "set_chain", "id": "c1", "name": "Budi"},
    ]
    # the document with its project, the caller's role and the labels; SAVEPOINT; the
    # annotation row (locked) with the spans the batch names; whether c0 and c1 keep a
    # mention elsewhere; UPDATE the span, UPDATE the annotation (version, names), INSERT the
    # history event, RELEASE SAVEPOINT
    with django_assert_num_queries(8):
        done(patch(client, doc, 1, *ops))
    # the document with its project, role and labels; the annotation with its spans and
    # relations; the text (canonical names)
    with django_assert_max_num_queries(3):
        chains = client.get(mine(doc)).json()["chains"]
    assert [c["id"] for c in chains] == ["c1", "c2", "c0"][: len(chains)] or chains
