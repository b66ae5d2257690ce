"""Scope `all` in the one-layer formats: a record per annotator version, the annotator named,
read back per annotator (by our readers where the format has one, and by plain parsing)."""

from __future__ import annotations

import csv
import io
import json

import pytest

from annotations.formats.brat import read_brat
from annotations.formats.conll import read_conll
from tests.factories import DocumentFactory
from tests.test_export_records import LOC, PER, QUOTE, SPEAKER, TEXT, annotate
from tests.test_exports_api import download, request_export, run, unzip


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def versions(cast):
    """d0: gold PER+QUOTE, alice PER+QUOTE, bob LOC; d1: no gold, bob LOC only."""
    d0 = DocumentFactory(project=cast.project, text=TEXT, external_id="d0")
    annotate(d0, None, spans=[PER, QUOTE], relations=[SPEAKER], labels={"sentiment": "neutral"})
    annotate(d0, cast.annotator, spans=[PER, QUOTE], relations=[SPEAKER])
    annotate(d0, cast.teammate, spans=[LOC], labels={"sentiment": "negative"})
    d1 = DocumentFactory(project=cast.project, text=TEXT, external_id="d1")
    annotate(d1, cast.teammate, spans=[LOC])
    return d0, d1


def export_all(cast, name: str, **options) -> dict[str, bytes]:
    job = run(request_export(cast, format=name, scope="all", options=options or None))
    assert job["status"] == "succeeded", job["error"]
    assert not any("only the gold layer" in w for w in job["warnings"]), job["warnings"]
    return unzip(download(cast, job["id"])[1])


def labels_of(spans) -> list[str]:
    return sorted(span["label"] for span in spans)


def test_csv_has_a_row_per_version_with_the_annotator(cast, versions):
    """CSV: gold row (annotator empty), then alice's and bob's rows; d1 has bob's only."""
    files = export_all(cast, "csv")
    rows = list(csv.DictReader(io.StringIO(files["documents.csv"].decode())))
    got = [(r["external_id"], r["annotator"], r["spans_PER"], r["spans_LOC"]) for r in rows]
    assert got == [
        ("d0", "", "1", "0"),
        ("d0", "alice", "1", "0"),
        ("d0", "bob", "0", "1"),
        ("d1", "bob", "0", "1"),
    ]
    assert [r["sentiment"] for r in rows[:3]] == ["neutral", "", "negative"]


@pytest.mark.parametrize("shape", ["relation", "label"])
def test_doccano_has_a_line_per_version_with_the_annotator(cast, versions, shape):
    """doccano: one line per version; annotators' lines carry `annotator`, gold's none."""
    files = export_all(cast, "doccano", shape=shape)
    lines = [json.loads(line) for line in files["documents.jsonl"].decode().splitlines()]
    assert [(ln["external_id"], ln.get("annotator")) for ln in lines] == [
        ("d0", None),
        ("d0", "alice"),
        ("d0", "bob"),
        ("d1", "bob"),
    ]
    key = "entities" if shape == "relation" else "label"
    counts = [len(ln[key]) for ln in lines]
    assert counts == [2, 2, 1, 1]
    assert [ln["cats"] for ln in lines[:3]] == [["neutral"], [], ["negative"]]


def test_spacy_has_a_doc_per_version_with_the_annotator_in_user_data(cast, versions):
    """spaCy: each Doc's user_data names its annotator (gold's has none); ents follow."""
    import spacy
    from spacy.tokens import DocBin

    files = export_all(cast, "spacy")
    nlp = spacy.blank("id")
    docs = [
        doc
        for name in sorted(n for n in files if n.endswith(".spacy"))
        for doc in DocBin().from_bytes(files[name]).get_docs(nlp.vocab)
    ]
    got = [
        (d.user_data["external_id"], d.user_data.get("annotator"), [e.label_ for e in d.ents])
        for d in docs
    ]
    assert got == [
        ("d0", None, ["PER"]),
        ("d0", "alice", ["PER"]),
        ("d0", "bob", ["LOC"]),
        ("d1", "bob", ["LOC"]),
    ]
    assert [len(d.spans["sc"]) for d in docs] == [2, 2, 1, 1]


def test_conll_has_a_block_per_version_and_reads_back_per_annotator(cast, versions):
    """CoNLL: each annotator's version is a -DOCSTART- block with `# annotator = …`; our
    reader makes those blocks the document's annotators' layers."""
    files = export_all(cast, "conll")
    text = files["documents.conll"].decode()
    blocks = text.split("-DOCSTART- -X- O O\n")[1:]
    comments = [[ln for ln in b.splitlines() if ln.startswith("# ")] for b in blocks]
    assert comments == [
        ["# document = d0"],
        ["# document = d0", "# annotator = alice"],
        ["# document = d0", "# annotator = bob"],
        ["# document = d1", "# annotator = bob"],
    ]
    assert "Brussel B-LOC" in blocks[2] and "B-PER" not in blocks[2]
    records = list(read_conll(io.BytesIO(files["documents.conll"])).records)
    assert [r["external_id"] for r in records] == ["d0", "d1"]
    first, second = records
    assert labels_of(first["spans"]) == ["PER"]
    layers = {layer["annotator"]: labels_of(layer["spans"]) for layer in first["annotations"]}
    assert layers == {"alice": ["PER"], "bob": ["LOC"]}
    assert second["spans"] == [] and second["annotations"][0]["annotator"] == "bob"


def test_brat_has_an_ann_per_version_and_reads_back_per_annotator(cast, versions):
    """brat: annotators/<user>/<doc>.ann beside a copy of the text; the reader gives each
    document its annotators' layers, with spans, relations and document labels."""
    files = export_all(cast, "brat")
    assert {"annotators/alice/d0.ann", "annotators/bob/d0.ann", "annotators/bob/d1.ann"} <= set(
        files
    )
    assert files["annotators/bob/d0.txt"] == TEXT.encode()
    assert "\tLOC 51 58\tBrussel" in files["annotators/bob/d0.ann"].decode()
    assert files["d1.ann"] == b""  # d1 has no gold
    records = {r["external_id"]: r for r in read_brat(io.BytesIO(download_zip(files))).records}
    assert set(records) == {"d0", "d1"}
    d0 = records["d0"]
    assert labels_of(d0["spans"]) == ["PER", "QUOTE"]
    layers = {layer["annotator"]: layer for layer in d0["annotations"]}
    assert labels_of(layers["alice"]["spans"]) == ["PER", "QUOTE"]
    assert [r["label"] for r in layers["alice"]["relations"]] == ["SPEAKER"]
    assert labels_of(layers["bob"]["spans"]) == ["LOC"]
    assert layers["bob"]["document_labels"] == {"sentiment": "negative"}
    assert [layer["annotator"] for layer in records["d1"]["annotations"]] == ["bob"]


def download_zip(files: dict[str, bytes]) -> bytes:
    """The brat zip again (the export's inner zip is the download itself)."""
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return out.getvalue()
