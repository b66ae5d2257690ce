"""Quote attribution in every format (DECISIONS 46): an interrupted quote, its cues, and a
speaker chain ("Jens Stoltenberg", "Stoltenberg", "-nya") written and read back; golden
files for the formats people read; what a format cannot carry is named in a warning."""

from __future__ import annotations

import copy
import csv
import io
import json

import pytest

from annotations.formats import FORMATS, read_brat, read_jsonl, read_label_studio
from annotations.formats.base import ReadOptions
from tests.formats import fixture
from tests.formats.helpers import assert_golden, export, relations_of, unzip


def _export(name: str, **options):
    return export(name, [fixture.doc_attribution()], schema=fixture.attribution_schema(), **options)


def _pieces(record):
    return sorted(
        (s["label"], tuple(map(tuple, s.get("fragments") or [(s["start"], s["end"])])))
        for s in record["spans"]
    )


def _chains(record):
    """Each chain as its name and its mentions' extents, ids aside."""
    names = {c["id"]: c.get("name", "") for c in record.get("chains") or ()}
    members: dict[str, list] = {}
    for span in record["spans"]:
        if span.get("chain"):
            members.setdefault(span["chain"], []).append((span["start"], span["end"]))
    return sorted((names.get(cid, ""), sorted(m)) for cid, m in members.items())


def test_jsonl_carries_fragments_cues_and_chains_and_reads_them_back() -> None:
    """JSONL writes the quote's fragments, the chain ids and canonical names, byte for byte
    as its golden file, and reads back the very record."""
    data, result = _export("jsonl")
    assert_golden("attribution/jsonl.jsonl", data)
    assert list(read_jsonl(io.BytesIO(data))) == [fixture.doc_attribution()]
    assert result.warnings == []
    line = json.loads(data)
    assert line["chains"] == [{"id": "c1", "name": "", "canonical": "Jens Stoltenberg"}]


def test_brat_writes_one_discontinuous_t_and_an_equiv_line() -> None:
    """brat: the interrupted quote is one T with two fragments, cue and speaker are R lines,
    the chain is an Equiv line; the sidecar keeps the chain's id and name."""
    files = unzip(_export("brat")[0])
    ann = files["doc-attribution.ann"].decode()
    assert_golden("attribution/brat/doc-attribution.ann", files["doc-attribution.ann"])
    assert "T3\tQUOTE 65 103;125 158\t" in ann
    assert "R2\tCUE Arg1:T3 Arg2:T4" in ann
    assert "*\tEquiv T2 T5 T8" in ann
    sidecar = json.loads(files["documents.jsonl"])
    assert sidecar["chains"] == [{"id": "c1", "name": "", "mentions": ["T2", "T5", "T8"]}]


def test_brat_round_trip_keeps_fragments_links_and_chains() -> None:
    """What brat wrote reads back: the same pieces, links and chain (with its name)."""
    original = fixture.doc_attribution()
    original["chains"][0]["name"] = "Sekjen NATO"
    data, _ = export("brat", [original], schema=fixture.attribution_schema())
    result = read_brat(io.BytesIO(data))
    (record,) = list(result)
    assert result.warnings == []
    assert _pieces(record) == _pieces(original)
    assert relations_of(record) == relations_of(original)
    assert _chains(record) == _chains(original)
    assert record["chains"] == [{"id": "c1", "name": "Sekjen NATO"}]


def test_a_foreign_brat_files_discontinuous_spans_and_equiv_lines_are_read() -> None:
    """A brat file of someone else's (no sidecar): a discontinuous T with words between its
    fragments is one interrupted span, fragments across a line break join, and an Equiv line
    and a Coref link sharing a mention are one chain (not a link)."""
    import zipfile

    text = "Ani: satu dua, ujar dia, tiga.\nBudi\ndatang. Dia pergi."
    ann = (
        "T1\tQUOTE 5 13;25 29\tsatu dua tiga\n"
        "T2\tPER 0 3\tAni\n"
        "T3\tPER 20 23\tdia\n"
        "T4\tPER 31 43\tBudi datang\n"
        "T5\tPER 45 48\tDia\n"
        "*\tEquiv T2 T3\n"
        "R1\tCoref Arg1:T5 Arg2:T3\n"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("a.txt", text)
        archive.writestr("a.ann", ann)
    result = read_brat(io.BytesIO(out.getvalue()))
    (record,) = list(result)
    spans = {s["id"]: s for s in record["spans"]}
    assert spans["T1"]["fragments"] == [[5, 13], [25, 29]]
    assert "fragments" not in spans["T4"] and (spans["T4"]["start"], spans["T4"]["end"]) == (
        31,
        43,
    )
    assert {spans[t]["chain"] for t in ("T2", "T3", "T5")} == {"e1"}
    assert record["chains"] == [{"id": "e1", "name": ""}]
    assert record["relations"] == []
    assert result.warnings == []


def test_spacy_has_span_groups_for_quotes_cues_and_each_chain() -> None:
    """spaCy: `quotes` holds the interrupted quote's two fragments and the other quote,
    `cues` and `chain:c1` the cue and mentions on token boundaries ("tambah" and "nya" are
    inside the token "tambahnya" for a blank pipeline, reported, not moved); chain names in
    user_data."""
    from spacy.tokens import DocBin
    from spacy.vocab import Vocab

    files = unzip(_export("spacy")[0])
    (part,) = [data for name, data in files.items() if name.endswith(".spacy")]
    (doc,) = list(DocBin().from_bytes(part).get_docs(Vocab()))
    assert [s.text for s in doc.spans["quotes"]] == [
        "Itu akan mengirimkan sinyal yang salah",
        "jika kami membatalkannya sekarang",
        "Latihan ini rutin",
    ]
    assert [s.text for s in doc.spans["cues"]] == ["kata"]
    assert [s.text for s in doc.spans["chain:c1"]] == ["Jens Stoltenberg", "Stoltenberg"]
    assert list(doc.user_data["chains"]) == [
        {"id": "c1", "name": "", "canonical": "Jens Stoltenberg"}
    ]


def test_quotes_table_has_one_row_per_quote_resolved_through_the_chain() -> None:
    """The quotes dataset: the interrupted quote is one row with its full text and both
    fragments, the cue, the speaker mention, and the name it resolves to; golden files."""
    data, result = _export("quotes")
    files = unzip(data)
    for name in ("quotes.csv", "quotes.jsonl"):
        assert_golden(f"attribution/quotes/{name}", files[name])
    rows = [json.loads(line) for line in files["quotes.jsonl"].splitlines()]
    assert [(r["quote"], r["speaker_mention"]["text"], r["speaker"]) for r in rows] == [
        (
            "Itu akan mengirimkan sinyal yang salah … jika kami membatalkannya sekarang",
            "Stoltenberg",
            "Jens Stoltenberg",
        ),
        ("Latihan ini rutin", "nya", "Jens Stoltenberg"),
    ]
    assert rows[0]["fragments"] == [[65, 103], [125, 158]]
    assert rows[0]["cue"]["text"] == "kata" and rows[1]["cue"]["text"] == "tambah"
    table = list(csv.DictReader(io.StringIO(files["quotes.csv"].decode("utf-8"))))
    assert [(r["layer"], r["quote_type"], r["sentiment"], r["speaker"]) for r in table] == [
        ("gold", "direct", "negative", "Jens Stoltenberg"),
        ("gold", "direct", "", "Jens Stoltenberg"),
    ]
    assert result.warnings == []


def test_quotes_table_keeps_each_annotators_layer_with_scope_all() -> None:
    """With per-annotator layers, each annotator's quotes are rows of their own."""
    record = fixture.doc_crlf()
    files = unzip(export("quotes", [record])[0])
    rows = [json.loads(line) for line in files["quotes.jsonl"].splitlines()]
    assert [(r["layer"], r["speaker"]) for r in rows] == [
        ("gold", "Perry Warjiyo"),
        ("alice", "Perry Warjiyo"),
    ]


def test_quotes_csv_defuses_formula_cells() -> None:
    """A quote starting like a formula is prefixed with ' in the CSV, not in the JSONL."""
    text = "=HYPERLINK(1) kata Ani."
    record = {
        "external_id": "x",
        "text": text,
        "spans": [
            {"id": "q", "start": 0, "end": 13, "label": "QUOTE", "attributes": {}},
            {"id": "p", "start": 19, "end": 22, "label": "PER", "attributes": {}},
        ],
        "relations": [{"id": "r", "from": "q", "to": "p", "label": "SPEAKER"}],
    }
    files = unzip(export("quotes", [record])[0])
    assert "'=HYPERLINK(1)" in files["quotes.csv"].decode()
    assert json.loads(files["quotes.jsonl"])["quote"] == "=HYPERLINK(1)"


@pytest.mark.parametrize("name", ["conll", "hf"])
def test_formats_without_fragments_or_chains_say_what_they_left_out(name: str) -> None:
    """CoNLL and hf write the interrupted quote whole and drop the chain, each saying so in
    a warning."""
    result = _export(name)[1]
    text = " ".join(result.warnings)
    if name != "conll":  # CoNLL writes entities only: the quote is not one of them
        assert "1 interrupted span(s)" in text and name in text
    assert "3 span(s) are mentions of speaker chains" in text


def _named_attribution():
    record = fixture.doc_attribution()
    record["chains"][0]["name"] = "Sekjen NATO"
    return record


def test_label_studio_writes_fragments_as_regions_joined_by_fragment_relations() -> None:
    """Label Studio: each fragment is a region, the first keeping the quote's id (its
    SPEAKER and CUE relations leave from it), joined by a FRAGMENT relation; the chain is
    COREF relations between consecutive mentions, its id and name in each mention's region
    meta; nothing is reported lost. Byte for byte as the golden file."""
    data, result = export(
        "label-studio", [_named_attribution()], schema=fixture.attribution_schema()
    )
    assert_golden("attribution/label-studio.json", data)
    assert result.warnings == []
    (task,) = json.loads(data)
    results = task["annotations"][0]["result"]
    regions = {r["id"]: r for r in results if r["type"] == "labels"}
    assert regions["q1"]["value"]["text"] == "Itu akan mengirimkan sinyal yang salah"
    assert regions["q1.2"]["value"]["text"] == "jika kami membatalkannya sekarang"
    assert regions["p2"]["meta"] == {"chain": "c1", "chain_name": "Sekjen NATO"}
    links = [(r["from_id"], r["to_id"], r["labels"]) for r in results if r["type"] == "relation"]
    assert links == [
        ("q1", "p2", ["SPEAKER"]),
        ("q1", "k1", ["CUE"]),
        ("q2", "p3", ["SPEAKER"]),
        ("q2", "k2", ["CUE"]),
        ("q1", "q1.2", ["FRAGMENT"]),
        ("p1", "p2", ["COREF"]),
        ("p2", "p3", ["COREF"]),
    ]


@pytest.mark.parametrize("name", ["label-studio", "doccano"])
def test_label_studio_and_doccano_read_back_fragments_links_and_chains(name: str) -> None:
    """What Label Studio and doccano (shape relation) wrote reads back as the same pieces,
    links and chain; Label Studio keeps the chain's id and name, doccano (no place for them)
    reads an unnamed chain `e1` and its export said the name was left out."""
    original = _named_attribution()
    data, result = export(name, [original], schema=fixture.attribution_schema())
    read = FORMATS[name].reading.read(
        io.BytesIO(data), ReadOptions(name="x", schema=fixture.attribution_schema())
    )
    (record,) = list(read)
    assert read.warnings == []
    assert _pieces(record) == _pieces(original)
    assert relations_of(record) == relations_of(original)
    assert [m for _, m in _chains(record)] == [m for _, m in _chains(original)]
    if name == "label-studio":
        assert record["chains"] == [{"id": "c1", "name": "Sekjen NATO"}]
        assert record["spans"][2]["attributes"] == original["spans"][2]["attributes"]
    else:
        assert record["chains"] == [{"id": "e1", "name": ""}]
        assert result.warnings[0].startswith("1 speaker chain(s) written as COREF relations")


def test_doccano_says_what_it_cannot_carry() -> None:
    """doccano's relation shape cannot hold a chain of one mention (nothing to link) nor a
    chain's name; its label shape (no relations) writes the quote whole and drops chains."""
    record = _named_attribution()
    record["spans"].append({**fixture.span(record["text"], "o2", "NATO", "ORG"), "chain": "c2"})
    _, result = export("doccano", [record], schema=fixture.attribution_schema())
    assert result.warnings[:2] == [
        "1 speaker chain(s) written as COREF relations without their ids and 1 name(s): "
        "doccano has no place for them (read back, a chain is e1, e2, … and its canonical "
        "name comes from its mentions)",
        "1 chain(s) of one mention not written: doccano draws a chain with COREF relations, "
        "and one mention has none",
    ]
    _, result = export("doccano", [record], schema=fixture.attribution_schema(), shape="label")
    text = " ".join(result.warnings)
    assert "1 interrupted span(s)" in text and "doccano has no discontinuous spans" in text
    assert "4 span(s) are mentions of speaker chains" in text


def _label_studio_task(relations, regions=None):
    text = "Ani: satu dua, ujar dia, tiga."
    regions = regions or [("a", 5, 13, "QUOTE"), ("b", 25, 29, "QUOTE"), ("c", 0, 3, "PER")]
    result = [
        {
            "id": rid,
            "from_name": "label",
            "to_name": "text",
            "type": "labels",
            "value": {"start": s, "end": e, "text": text[s:e], "labels": [label]},
        }
        for rid, s, e, label in regions
    ]
    result += [
        {"from_id": f, "to_id": t, "type": "relation", "labels": [label]}
        for f, t, label in relations
    ]
    task = {"data": {"text": text}, "annotations": [{"ground_truth": True, "result": result}]}
    return io.BytesIO(json.dumps([task]).encode())


def _links(record):
    return [(r["from"], r["to"], r["label"]) for r in record["relations"]]


def test_a_foreign_fragment_relation_that_cannot_join_is_reported_not_applied() -> None:
    """A FRAGMENT relation between regions of different labels joins nothing: the regions
    stay apart, the relation is skipped, and the warning names both regions and why; links
    to a later fragment move to the joined span."""
    relations = [("a", "c", "FRAGMENT"), ("b", "c", "SPEAKER")]
    result = read_label_studio(_label_studio_task(relations))
    (record,) = list(result)
    assert [(s["id"], s.get("fragments")) for s in record["spans"]] == [
        ("a", None),
        ("b", None),
        ("c", None),
    ]
    assert _links(record) == [("b", "c", "SPEAKER")]
    assert result.warnings == [
        "document '1': FRAGMENT relation(s) between regions 'c', 'a' not read as one "
        "interrupted span (their labels differ: PER, QUOTE); skipped, the regions kept apart"
    ]
    result = read_label_studio(_label_studio_task([("a", "b", "FRAGMENT"), ("b", "c", "SPEAKER")]))
    (record,) = list(result)
    assert [(s["id"], s.get("fragments")) for s in record["spans"]] == [
        ("a", [[5, 13], [25, 29]]),
        ("c", None),
    ]
    assert _links(record) == [("a", "c", "SPEAKER")]


def test_a_project_with_its_own_fragment_and_coref_labels_reads_them_as_relations() -> None:
    """Where the project has relation labels FRAGMENT and COREF of its own, a file's
    relations of those names are ordinary relations: nothing is joined, no chain is made;
    without them, COREF relations (no chain marks: a foreign file) make chain e1."""
    relations = [("a", "b", "FRAGMENT"), ("c", "b", "COREF")]
    schema = fixture.attribution_schema()
    schema["labels"] = [
        *schema["labels"],
        {"kind": "relation", "name": "FRAGMENT", "color": "#000000"},
        {"kind": "relation", "name": "COREF", "color": "#000000"},
    ]
    (record,) = list(read_label_studio(_label_studio_task(relations), schema=schema))
    assert [s.get("fragments") for s in record["spans"]] == [None, None, None]
    assert "chains" not in record
    assert _links(record) == [("a", "b", "FRAGMENT"), ("c", "b", "COREF")]
    (record,) = list(read_label_studio(_label_studio_task(relations)))
    assert record["chains"] == [{"id": "e1", "name": ""}]
    assert [(s["id"], s.get("chain")) for s in record["spans"]] == [("a", "e1"), ("c", "e1")]
    assert record["relations"] == []


def _brat_zip_without_sidecar(data: bytes) -> bytes:
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in unzip(data).items():
            if name.endswith((".txt", ".ann")):
                archive.writestr(name, content)
    return out.getvalue()


def test_brat_keeps_fragments_apart_whose_gap_is_spaces_or_a_line_break() -> None:
    """Two fragments of ours separated by one space come back as two (the gap is a person's,
    not brat's split at a line break), and so do two separated by a line break alone, which
    the .ann line cannot tell from a span split there: the sidecar says which. A span across a
    line break still comes back whole; without the sidecar (a foreign file), the gap of a line
    break joins, as brat's own split would."""
    text = "satu dua\ntiga empat lima"
    spaced = [[9, 13], [14, 19]]  # "tiga" "empat"
    broken = [[5, 8], [9, 13]]  # "dua" / "tiga": only the line break between them
    record = {
        "external_id": "gaps",
        "text": text,
        "spans": [
            {
                "id": "a",
                "start": 9,
                "end": 19,
                "label": "QUOTE",
                "attributes": {},
                "fragments": spaced,
            },
            {
                "id": "b",
                "start": 5,
                "end": 13,
                "label": "QUOTE",
                "attributes": {},
                "fragments": broken,
            },
            {"id": "c", "start": 0, "end": 13, "label": "PER", "attributes": {}},
        ],
        "relations": [],
    }
    data, result = export("brat", [record])
    assert result.warnings == []
    ann = unzip(data)["gaps.ann"].decode()
    assert "T1\tQUOTE 9 13;14 19\ttiga empat\n" in ann
    assert "T2\tQUOTE 5 8;9 13\tdua tiga\n" in ann
    assert "T3\tPER 0 8;9 13\tsatu dua tiga\n" in ann
    (back,) = list(read_brat(io.BytesIO(data)))
    assert [(s["start"], s["end"], s.get("fragments")) for s in back["spans"]] == [
        (9, 19, spaced),
        (5, 13, broken),
        (0, 13, None),
    ]
    (foreign,) = list(read_brat(io.BytesIO(_brat_zip_without_sidecar(data))))
    assert [s.get("fragments") for s in foreign["spans"]] == [spaced, None, None]


def test_label_studio_carries_each_annotators_fragments_and_chains() -> None:
    """With scope all, an annotator's interrupted quote and named chain come back in their
    own layer, beside the gold layer's."""
    original = _named_attribution()
    layer = {key: copy.deepcopy(original[key]) for key in ("spans", "relations", "chains")}
    layer["chains"][0]["name"] = "Stoltenberg"
    original["annotations"] = [{"annotator": "alice", "status": "submitted", **layer}]
    data, result = export("label-studio", [original], schema=fixture.attribution_schema())
    assert result.warnings == []
    (record,) = list(read_label_studio(io.BytesIO(data)))
    (alice,) = [a for a in record["annotations"] if a["annotator"] == "alice"]
    assert _pieces(alice) == _pieces(layer)
    assert alice["chains"] == [{"id": "c1", "name": "Stoltenberg"}]
    assert record["chains"] == [{"id": "c1", "name": "Sekjen NATO"}]
