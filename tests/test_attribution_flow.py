"""Articles fully attributed through the API (DECISIONS 46): every quote, its cue and its
speaker resolved through a chain; two annotators reviewed and merged into gold; exported as
the quotes dataset, JSONL and brat, and brat and JSONL uploaded back."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.articles import ARTICLE, DATA, SHARED_ARTICLE_PATH, needs_shared_article, read_article
from tests.conftest import api
from tests.factories import DocumentFactory, make_project
from tests.test_exports_api import download, request_export, run, unzip

# Our own article (tests/data): two interrupted quotes, speakers named once and then
# referred to by first name, "dia" and "-nya".
DEMAK = read_article(DATA / "demak-banjir.id.txt")


@dataclass
class Attribution:
    """Builds an annotation of `text` by needles: each found after the previous anchor."""

    text: str
    spans: list[dict] = field(default_factory=list)
    relations: list[dict] = field(default_factory=list)

    def find(self, needle: str, after: str = "") -> tuple[int, int]:
        start = self.text.index(needle, self.text.index(after) if after else 0)
        return start, start + len(needle)

    def mention(self, sid, needle, after="", label="PER", chain=None) -> str:
        start, end = self.find(needle, after)
        span = {"id": sid, "start": start, "end": end, "label": label, "attributes": {}}
        if chain:
            span["chain"] = chain
        self.spans.append(span)
        return sid

    def quote(self, sid, pieces, *, speaker, cue=None, quote_type="direct", after=""):
        found = []
        for piece in pieces:
            found.append(list(self.find(piece, after)))
            after = piece
        span = {
            "id": sid,
            "start": found[0][0],
            "end": found[-1][1],
            "label": "QUOTE",
            "attributes": {"quote_type": quote_type},
        }
        if len(found) > 1:
            span["fragments"] = found
        self.spans.append(span)
        self.relations.append({"id": f"s-{sid}", "from": sid, "to": speaker, "label": "SPEAKER"})
        if cue:
            self.relations.append({"id": f"c-{sid}", "from": sid, "to": cue, "label": "CUE"})

    def body(self, version=0, **extra):
        return {"version": version, "spans": self.spans, "relations": self.relations, **extra}


def gold_url(document) -> str:
    return api(document.project_id, f"documents/{document.pk}/gold/")


def mine(document) -> str:
    return api(document.project_id, f"documents/{document.pk}/annotations/mine/")


def export_files(cast, fmt: str, document) -> dict[str, bytes]:
    job = run(request_export(cast, format=fmt, scope="gold", documents=[document.pk]))
    assert job["status"] == "succeeded", job
    response, body = download(cast, job["id"])
    assert response.status_code == 200
    return unzip(body)


# --- The team's shared sample -----------------------------------------------------------


def steadfast_noon(text: str) -> Attribution:
    """Every quote of the sample, direct and reported, with its cue and speaker; Stoltenberg's
    chain joins "Jens Stoltenberg", each "Stoltenberg" and the "-nya" of "tambahnya"."""
    a = Attribution(text)
    a.mention("js", "Jens Stoltenberg", chain="stoltenberg")
    a.mention("cue0", "mengatakan", "Jens Stoltenberg", label="CUE")
    a.quote(
        "q0",
        ["aliansi militer Barat akan mengadakan latihan pencegahan nuklir rutin tahunannya"],
        speaker="js",
        cue="cue0",
        quote_type="indirect",
    )
    a.mention("pejabat", "seorang pejabat dari NATO")
    a.mention("cue1", "kata", "1.000 kilometer", label="CUE")
    a.quote(
        "q1",
        ["Bagian utama dari manuver akan diadakan lebih dari 1.000 kilometer dari Rusia"],
        speaker="pejabat",
        cue="cue1",
        quote_type="indirect",
    )
    a.mention("s9", "Stoltenberg", "kata Stoltenberg kepada", chain="stoltenberg")
    a.mention("cue2", "kata", 'di Ukraina,"', label="CUE")
    a.quote(
        "q2",
        ["Itu akan mengirimkan sinyal yang sangat salah jika kita tiba-tiba sekarang membatalkan"],
        speaker="s9",
        cue="cue2",
    )
    nya = text.index("tambahnya") + len("tambah")
    a.spans.append(
        {
            "id": "nya",
            "start": nya,
            "end": nya + 3,
            "label": "PER",
            "attributes": {},
            "chain": "stoltenberg",
        }
    )
    a.spans.append({"id": "cue3", "start": nya - 6, "end": nya, "label": "CUE", "attributes": {}})
    a.quote("q3", ["Itu akan menjadi sinyal yang salah untuk dikirim"], speaker="nya", cue="cue3")
    a.mention("s11", "Stoltenberg", "dikirim", chain="stoltenberg")
    a.mention("cue4", "mengatakan", "dikirim", label="CUE")
    a.quote(
        "q4",
        ["ketegasan NATO, perilaku dan kekuatan adalah cara terbaik untuk mencegah eskalasi"],
        speaker="s11",
        cue="cue4",
        quote_type="indirect",
    )
    a.mention("s12", "Stoltenberg", 'eskalasi," kata', chain="stoltenberg")
    a.mention("cue5", "kata", 'eskalasi,"', label="CUE")
    a.quote(
        "q5",
        [
            "Ketegasan NATO, perilaku yang dapat diprediksi, kekuatan militer kita, "
            "adalah cara terbaik untuk mencegah eskalasi"
        ],
        speaker="s12",
        cue="cue5",
    )
    # The next paragraph goes on without a tag: still Stoltenberg, and no cue of its own.
    a.quote("q6", ["Jika sekarang kami menciptakan alasan untuk kesalahpahaman"], speaker="s12")
    a.mention("vp", "Vladimir Putin", chain="putin")
    a.mention("putin", "Putin", "front yang runtuh", chain="putin")
    a.mention("cue6", "mengisyaratkan", label="CUE")
    a.quote(
        "q7",
        ["dia bisa menggunakan senjata nuklir untuk membela negaranya"],
        speaker="putin",
        cue="cue6",
        quote_type="indirect",
    )
    return a


@needs_shared_article
def test_the_sample_article_fully_attributed_through_the_api(cast):
    """The shared sample's eight quotes, each with its speaker and (but one) its cue, saved
    as gold through the API: the chain's canonical name is "Jens Stoltenberg", and the quotes
    table attributes each of his quotes to him, whichever mention its tag was."""
    text = read_article(SHARED_ARTICLE_PATH)
    document = DocumentFactory(project=cast.project, text=text, length=len(text))
    a = steadfast_noon(text)
    reviewer = cast.client("reviewer")
    chains = [{"id": "putin", "name": "Vladimir Putin"}]
    response = reviewer.put(gold_url(document), a.body(chains=chains), format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["chains"] == [
        {"id": "stoltenberg", "name": "", "canonical": "Jens Stoltenberg"},
        {"id": "putin", "name": "Vladimir Putin", "canonical": "Vladimir Putin"},
    ]
    files = export_files(cast, "quotes", document)
    rows = [json.loads(line) for line in files["quotes.jsonl"].splitlines()]
    assert len(rows) == 8
    assert [(r["quote_id"], r["speaker"]) for r in rows] == [
        ("q0", "Jens Stoltenberg"),
        ("q1", "seorang pejabat dari NATO"),
        ("q2", "Jens Stoltenberg"),
        ("q3", "Jens Stoltenberg"),
        ("q4", "Jens Stoltenberg"),
        ("q5", "Jens Stoltenberg"),
        ("q6", "Jens Stoltenberg"),
        ("q7", "Vladimir Putin"),
    ]
    assert [r["cue"]["text"] if r["cue"] else None for r in rows] == [
        "mengatakan",
        "kata",
        "kata",
        "tambah",
        "mengatakan",
        "kata",
        None,
        "mengisyaratkan",
    ]
    assert rows[3]["speaker_mention"]["text"] == "nya"
    for row in rows:
        (start, end), *_ = row["fragments"]
        assert text[start:end] == row["quote"]
    table = list(csv.DictReader(io.StringIO(files["quotes.csv"].decode("utf-8"))))
    assert [r["speaker"] for r in table] == [r["speaker"] for r in rows]


# --- Our own articles: interrupted quotes -----------------------------------------------


def demak(*, hull_for_siti: bool = False, agus_chain: bool = True) -> Attribution:
    """The Demak article attributed; `hull_for_siti` marks Siti's interrupted quote as one
    span over her tag (a different quote), `agus_chain=False` leaves "dia" out of Agus's
    chain."""
    a = Attribution(DEMAK)
    a.mention("agus", "Agus Salim", chain="a")
    a.mention("cue0", "mengatakan", "Agus Salim", label="CUE")
    a.quote(
        "q0",
        ["ketinggian air di beberapa titik mencapai satu meter"],
        speaker="agus",
        cue="cue0",
        quote_type="indirect",
    )
    a.mention("agus2", "Agus", "ujar ", chain="a")
    a.mention("cue1", "ujar", "karet,", label="CUE")
    a.quote(
        "q1",
        [
            "Kami sudah mengerahkan empat perahu karet",
            "dan dapur umum dibuka di balai desa sejak pagi",
        ],
        speaker="agus2",
        cue="cue1",
    )
    a.mention("dia", "dia", "Menurut", chain="a" if agus_chain else None)
    nya = DEMAK.index("katanya") + len("kata")
    a.spans += [
        {"id": "nya", "start": nya, "end": nya + 3, "label": "PER", "attributes": {}, "chain": "a"},
        {"id": "cue2", "start": nya - 4, "end": nya, "label": "CUE", "attributes": {}},
    ]
    a.quote(
        "q2",
        ["Kebutuhan paling mendesak sekarang selimut dan obat-obatan"],
        speaker="nya",
        cue="cue2",
    )
    a.mention("siti", "Siti Aminah", chain="s")
    a.mention("siti2", "Siti", "kata ", chain="s")
    a.mention("cue3", "kata", "cepat sekali", label="CUE")
    if hull_for_siti:
        a.quote(
            "q3",
            ["Airnya naik cepat sekali,” kata Siti, “kami hanya sempat menyelamatkan surat-surat"],
            speaker="siti2",
            cue="cue3",
        )
    else:
        a.quote(
            "q3",
            ["Airnya naik cepat sekali", "kami hanya sempat menyelamatkan surat-surat"],
            speaker="siti2",
            cue="cue3",
        )
    a.mention("rh", "Rahmat Hidayat", chain="r")
    nya = DEMAK.index("ujarnya") + len("ujar")
    a.spans += [
        {
            "id": "nya2",
            "start": nya,
            "end": nya + 3,
            "label": "PER",
            "attributes": {},
            "chain": "r",
        },
        {"id": "cue4", "start": nya - 4, "end": nya, "label": "CUE", "attributes": {}},
    ]
    a.quote(
        "q4",
        ["Curah hujan diperkirakan masih tinggi sampai akhir pekan"],
        speaker="nya2",
        cue="cue4",
    )
    return a


@pytest.fixture
def demak_doc(cast):
    return DocumentFactory(project=cast.project, text=DEMAK, length=len(DEMAK))


def submit(cast, who: str, document, attribution: Attribution):
    body = attribution.body(status="submitted")
    response = cast.client(who).put(mine(document), body, format="json")
    assert response.status_code == 200, response.json()


def test_two_annotators_reviewed_and_merged_into_gold(cast, demak_doc):
    """Alice and Bob attribute the Demak article; Bob marks Siti's interrupted quote as one
    span over her tag and leaves "dia" out of Agus's chain. The review proposes what both
    marked (the interrupted quotes whole) and disputes Siti's two versions; Agus's chain is
    proposed without "dia"; agreement counts whole quotes, resolved speakers and chains; the
    proposal saved as gold exports as the quotes table."""
    submit(cast, "annotator", demak_doc, demak())
    submit(cast, "teammate", demak_doc, demak(hull_for_siti=True, agus_chain=False))
    reviewer = cast.client("reviewer")
    review = reviewer.get(api(cast.project.pk, f"documents/{demak_doc.pk}/review/")).json()
    proposal = review["proposal"]
    quotes = [
        (bool(s.get("fragments")), s["status"]) for s in proposal["spans"] if s["label"] == "QUOTE"
    ]
    assert sorted(quotes) == [
        (False, "agreed"),
        (False, "agreed"),
        (False, "agreed"),
        (False, "disputed"),  # Bob's one span over Siti's tag
        (True, "agreed"),  # Agus's interrupted quote
        (True, "disputed"),  # Alice's two-fragment quote of Siti
    ]
    gold = proposal["annotation"]
    by_chain: dict[str, list[str]] = {}
    for s in gold["spans"]:
        if s.get("chain"):
            by_chain.setdefault(s["chain"], []).append(DEMAK[s["start"] : s["end"]])
    assert sorted(by_chain.values()) == [
        ["Agus Salim", "Agus", "nya"],
        ["Rahmat Hidayat", "nya"],
        ["Siti Aminah", "Siti"],
    ]
    rows = {
        tuple(DEMAK[m["start"] : m["end"]] for m in r["mentions"]): r["status"]
        for r in proposal["chains"]
    }
    assert rows[("Agus Salim", "Agus", "dia", "nya")] == "disputed"
    assert rows[("Agus Salim", "Agus", "nya")] == "disputed"
    assert rows[("Siti Aminah", "Siti")] == "agreed"
    speakers = sorted((r["speaker"] or "-", r["status"]) for r in proposal["speakers"])
    assert speakers == [
        ("-", "disputed"),  # Siti's two versions of her quote, each one annotator's
        ("-", "disputed"),
        ("Agus Salim", "agreed"),
        ("Agus Salim", "agreed"),
        ("Agus Salim", "agreed"),
        ("Rahmat Hidayat", "agreed"),
    ]
    figures = review["agreement"]["attribution"]
    # 4 of each one's 5 quotes match exactly (Siti's differ): F1 = 2 * 4 / (5 + 5).
    assert figures["quotes"]["f1_exact_micro"] == pytest.approx(0.8)
    # Siti's two versions overlap, and resolve to her: every quote is attributed alike.
    assert figures["speakers"]["f1_micro"] == pytest.approx(1.0)
    pair = review["agreement"]["pairwise"][0]
    # MUC recall: Alice's Agus chain (4 mentions, 3 links) keeps 2 under Bob's; the other two
    # chains keep their one link each: (2 + 1 + 1) / (3 + 1 + 1).
    assert pair["chains"]["muc"]["recall"] == pytest.approx(4 / 5)
    saved = reviewer.put(gold_url(demak_doc), {"version": 0, **gold}, format="json")
    assert saved.status_code == 200, saved.json()
    files = export_files(cast, "quotes", demak_doc)
    table = list(csv.DictReader(io.StringIO(files["quotes.csv"].decode("utf-8"))))
    assert [(r["quote"], r["speaker"]) for r in table] == [
        ("ketinggian air di beberapa titik mencapai satu meter", "Agus Salim"),
        (
            "Kami sudah mengerahkan empat perahu karet … dan dapur umum dibuka di balai desa "
            "sejak pagi",
            "Agus Salim",
        ),
        ("Kebutuhan paling mendesak sekarang selimut dan obat-obatan", "Agus Salim"),
        ("Curah hujan diperkirakan masih tinggi sampai akhir pekan", "Rahmat Hidayat"),
    ]


def test_project_agreement_reports_attribution(cast, demak_doc):
    """The project's agreement answer has the same attribution figures."""
    submit(cast, "annotator", demak_doc, demak())
    submit(cast, "teammate", demak_doc, demak())
    summary = cast.client("reviewer").get(api(cast.project.pk, "agreement/")).json()
    figures = summary["attribution"]
    assert figures["quotes"]["f1_exact_micro"] == 1.0
    assert figures["speakers"]["f1_micro"] == 1.0
    assert figures["chains"]["conll_f1_pairwise_mean"] == pytest.approx(1.0)


def upload(client, project, name: str, content: bytes, **fields):
    file = SimpleUploadedFile(name, content)
    return client.post(
        api(project.pk, "documents/upload/"), {"file": file, **fields}, format="multipart"
    )


def _shape(annotation):
    """Spans by extent, label, fragments and chain name; links by their ends' starts."""
    by_id = {s["id"]: s for s in annotation["spans"]}
    names = {c["id"]: (c["name"], c["canonical"]) for c in annotation["chains"]}
    spans = sorted(
        (s["start"], s["end"], s["label"], str(s.get("fragments")), names.get(s.get("chain")))
        for s in annotation["spans"]
    )
    links = sorted(
        (by_id[r["from"]]["start"], by_id[r["to"]]["start"], r["label"])
        for r in annotation["relations"]
    )
    return spans, links


@pytest.mark.parametrize("fmt", ["jsonl", "brat", "label-studio", "doccano"])
def test_exports_upload_back_with_fragments_cues_and_chains(cast, demak_doc, fmt):
    """Gold exported as JSONL, brat, Label Studio or doccano and uploaded into another
    project as gold reads back the same quotes with their fragments, cues, speakers and
    chains, names included (doccano has no place for a chain's name: its chain is named by
    its longest mention, and the export's warning says so)."""
    import zipfile

    body = demak().body(chains=[{"id": "s", "name": "Bu Siti"}])
    response = cast.client("reviewer").put(gold_url(demak_doc), body, format="json")
    assert response.status_code == 200
    job = run(request_export(cast, format=fmt, scope="gold", documents=[demak_doc.pk]))
    assert job["status"] == "succeeded", job
    files = unzip(download(cast, job["id"])[1])
    about_attribution = [w for w in job.get("warnings") or () if "chain" in w or "span(s)" in w]
    if fmt == "doccano":
        assert about_attribution == [
            "3 speaker chain(s) written as COREF relations without their ids and 1 name(s): "
            "doccano has no place for them (read back, a chain is e1, e2, … and its "
            "canonical name comes from its mentions)",
            "5 span(s) have attributes; doccano has no span attributes, so they were not written",
        ]
    else:
        assert about_attribution == []
    if fmt == "jsonl":
        content, name = files["documents.jsonl"], "gold.jsonl"
    elif fmt == "label-studio":
        content, name = files["documents.json"], "gold.json"
    elif fmt == "doccano":
        content, name = files["documents.jsonl"], "gold.jsonl"
    else:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as archive:
            for inner, data in files.items():
                archive.writestr(inner, data)
        content, name = out.getvalue(), "gold.zip"
    other = make_project(admin=cast.admin, name="Copy")
    fields = {"format": fmt, "as": "gold"}
    response = upload(cast.client("admin"), other, name, content, **fields)
    assert response.status_code == 201, response.json()
    (doc_id,) = response.json()["ids"]
    copy = cast.client("admin").get(api(other.pk, f"documents/{doc_id}/gold/")).json()
    original = cast.client("reviewer").get(gold_url(demak_doc)).json()
    expected = _shape(original)
    if fmt == "doccano":
        lost = ("Bu Siti", "Bu Siti"), ("", "Siti Aminah")
        expected = (
            [(*s[:4], lost[1] if s[4] == lost[0] else s[4]) for s in expected[0]],
            expected[1],
        )
    assert _shape(copy) == expected
    canonical = {c["canonical"] for c in copy["chains"]}
    named = "Siti Aminah" if fmt == "doccano" else "Bu Siti"
    assert canonical == {"Agus Salim", named, "Rahmat Hidayat"}


def test_the_semarang_article_interrupted_quotes(cast):
    """Our other article: both quotes interrupted by "ujar X" are one span each, with the
    speaker inside their gap (overlap off), and read back whole."""
    cast.project.allow_overlap = False
    cast.project.save()
    doc = DocumentFactory(project=cast.project, text=ARTICLE, length=len(ARTICLE))
    a = Attribution(ARTICLE)
    a.mention("budi", "Budi Hartono", chain="b")
    a.mention("cue1", "ujar", "250 kilometer", label="CUE")
    a.quote(
        "q1",
        [
            "Baterainya cukup untuk sekitar 250 kilometer",
            "jadi satu kali pengisian di depo Tembalang sudah cukup untuk satu hari penuh",
        ],
        speaker="budi",
        cue="cue1",
    )
    a.mention("budi2", "Budi", "Menurut Budi", chain="b")
    a.mention("rina", "Rina Wulandari", chain="w")
    a.mention("w2", "Wulandari", "masukan itu", chain="w")
    a.mention("cue2", "ujar", "masukan itu", label="CUE")
    a.quote(
        "q2",
        [
            "Kami sudah mencatat semua masukan itu",
            "dan atap untuk sembilan halte akan selesai dipasang",
        ],
        speaker="w2",
        cue="cue2",
    )
    response = cast.client("annotator").put(mine(doc), a.body(), format="json")
    assert response.status_code == 200, response.json()
    answer = response.json()
    quotes = [s for s in answer["spans"] if s["label"] == "QUOTE"]
    assert [len(q["fragments"]) for q in quotes] == [2, 2]
    assert [c["canonical"] for c in answer["chains"]] == ["Rina Wulandari", "Budi Hartono"]


def test_a_quotes_table_is_not_uploaded_back(cast, demak_doc):
    """The quotes table has no text and a derived speaker (DECISIONS 68): an upload naming
    format quotes is a 400 at `format` saying it is export-only, and stores nothing."""
    response = cast.client("reviewer").put(gold_url(demak_doc), demak().body(), format="json")
    assert response.status_code == 200
    files = export_files(cast, "quotes", demak_doc)
    other = make_project(admin=cast.admin, name="Copy")
    response = upload(
        cast.client("admin"), other, "quotes.jsonl", files["quotes.jsonl"], format="quotes"
    )
    assert response.status_code == 400
    (message,) = response.json()["errors"]["format"]
    assert message.startswith("'quotes' is an export-only format: use jsonl, doccano")
    assert other.documents.count() == 0


def test_an_upload_updating_a_document_keeps_its_chain_names(cast):
    """`duplicates=update` replaces the gold layer with the file's, chain names included
    (they were reset to unnamed: the canonical name fell back to the longest mention)."""
    a = demak()
    record = {"external_id": "demak", "text": DEMAK, "spans": a.spans, "relations": a.relations}
    other = make_project(admin=cast.admin, name="Copy")
    admin = cast.client("admin")
    for name, extra in (("Bu Siti", {}), ("Ibu Siti", {"duplicates": "update"})):
        record["chains"] = [{"id": "s", "name": name, "canonical": name}]
        content = (json.dumps(record) + "\n").encode()
        fields = {"format": "jsonl", "as": "gold", **extra}
        response = upload(admin, other, "gold.jsonl", content, **fields)
        assert response.status_code == 201, response.json()
    (document,) = other.documents.all()
    assert response.json()["updated"] == ["demak"]
    gold = admin.get(api(other.pk, f"documents/{document.pk}/gold/")).json()
    assert [c for c in gold["chains"] if c["id"] == "s"] == [
        {"id": "s", "name": "Ibu Siti", "canonical": "Ibu Siti"}
    ]
