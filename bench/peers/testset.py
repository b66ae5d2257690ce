"""The interop test set: ten short Indonesian and English news texts, ours, with the hard cases.

Emoji outside the BMP, a flag (two regional indicators), a subdivision flag (a tag
sequence), a ZWJ family, a skin-tone modifier, CRLF line ends, combining marks (NFD
accents), nested spans, quotes linked to their speakers, quote attributes and a document
sentiment. Spans are written inline as `[[LABEL#id:text]]` (nestable) and turned into
code-point offsets here, so no offset is counted by hand.

    .venv/bin/python bench/peers/testset.py   # rewrites tests/data/interop/testset.jsonl

Gold is the markup; annotator `alice` agrees with gold; `bob` leaves out the last span
and, on odd documents, reads the sentiment as neutral, so each layer is recognisable.
"""

from __future__ import annotations

import json
import re

from paths import ROOT

PATH = ROOT / "tests" / "data" / "interop" / "testset.jsonl"

# (markup, speaker links quote→person, quote attributes, sentiment)
TEXTS: list[tuple[str, list[tuple[str, str]], dict[str, dict[str, str]], str]] = [
    (
        "Presiden [[PER#p1:Joko Widodo]] berbicara di [[LOC:Jakarta]] 🇮🇩 pada Senin. "
        '"[[QUOTE#q1:Kita harus bekerja lebih keras]]," katanya.',
        [("q1", "p1")],
        {"q1": {"quote_type": "direct", "sentiment": "positive"}},
        "positive",
    ),
    (
        "The minister 👨‍👩‍👧 [[PER#p1:Sri Mulyani]] told reporters in [[LOC:Bali]]: "
        '"[[QUOTE#q1:Inflation is under control]]," she said.',
        [("q1", "p1")],
        {"q1": {"quote_type": "direct", "sentiment": "neutral"}},
        "neutral",
    ),
    (
        "Gubernur [[PER#p1:Anies Baswedan]] hadir.\r\n"
        'Ia berkata, "[[QUOTE#q1:Banjir sudah surut di [[LOC:Kemang]]]]."\r\n'
        "Warga lega.",
        [("q1", "p1")],
        {"q1": {"quote_type": "direct", "sentiment": "positive"}},
        "positive",
    ),
    (
        "Pemilik kafe [[PER#p1:Zoe\u0308 Nguye\u0302\u0303n]] membuka cabang baru di "
        '[[LOC:Yogyakarta]]. "[[QUOTE#q1:Kopi adalah budaya]]," ujarnya.',
        [("q1", "p1")],
        {"q1": {"quote_type": "direct", "sentiment": "positive"}},
        "positive",
    ),
    (
        "Mahasiswa [[ORG:Universitas [[LOC:Indonesia]]]] berunjuk rasa 😠 di depan gedung "
        "[[ORG:DPR]]. Menurut [[PER#p1:Rektor Ari Kuncoro]], "
        "[[QUOTE#q1:mahasiswa berhak menyampaikan pendapat]].",
        [("q1", "p1")],
        {"q1": {"quote_type": "indirect", "sentiment": "neutral"}},
        "negative",
    ),
    (
        "Two officials disagreed 🤝 on Tuesday. "
        '"[[QUOTE#q1:The port will reopen next week]]," said [[PER#p1:Budi Karya]], while '
        '[[PER#p2:Luhut Pandjaitan]] said "[[QUOTE#q2:no date has been set]]."',
        [("q1", "p1"), ("q2", "p2")],
        {
            "q1": {"quote_type": "direct", "sentiment": "positive"},
            "q2": {"quote_type": "direct", "sentiment": "negative"},
        },
        "neutral",
    ),
    (
        "Juru bicara [[ORG#o1:Kementerian Kesehatan]] mengatakan bahwa "
        "[[QUOTE#q1:vaksin tambahan akan tiba di [[LOC:Surabaya]] bulan depan]] 💉.",
        [("q1", "o1")],
        {"q1": {"quote_type": "indirect", "sentiment": "positive"}},
        "positive",
    ),
    (
        "Fans 👍🏽👍🏽 cheered as [[PER#p1:Marc Márquez]] won in [[LOC:Mandalika]]. "
        '"[[QUOTE#q1:This crowd is incredible]]!" he shouted.',
        [("q1", "p1")],
        {"q1": {"quote_type": "direct", "sentiment": "positive"}},
        "positive",
    ),
    (
        "Duta besar 🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f "
        "[[PER#p1:Fiona Hyslop]] tiba di [[LOC:Medan]].\r\n"
        '"[[QUOTE#q1:Kami ingin memperluas perdagangan]]," katanya kepada [[ORG:ANTARA]].',
        [("q1", "p1")],
        {"q1": {"quote_type": "direct", "sentiment": "positive"}},
        "positive",
    ),
    (
        "Harga cabai naik 🌶️ di pasar [[LOC:Kramat Jati]]. [[PER#p1:Siti]], pedagang, "
        'mengeluh: "[[QUOTE#q1:Pembeli berkurang sejak [[LOC:Jakarta]] banjir]]."\r\n'
        "[[ORG:Bank Indonesia]] belum berkomentar.",
        [("q1", "p1")],
        {"q1": {"quote_type": "direct", "sentiment": "negative"}},
        "negative",
    ),
]

_OPEN = re.compile(r"\[\[([A-Z]+)(?:#(\w+))?:")


def parse(markup: str) -> tuple[str, list[dict]]:
    """`[[LABEL#id:text]]` markup → (text, spans with code-point offsets), nesting allowed."""
    text, spans, stack, i = "", [], [], 0
    while i < len(markup):
        opening = _OPEN.match(markup, i)
        if opening:
            stack.append((opening.group(1), opening.group(2), len(text)))
            i = opening.end()
        elif markup.startswith("]]", i) and stack:
            label, name, start = stack.pop()
            spans.append({"name": name, "start": start, "end": len(text), "label": label})
            i += 2
        else:
            text += markup[i]
            i += 1
    assert not stack, markup
    spans.sort(key=lambda s: (s["start"], -s["end"]))
    return text, spans


def record(index: int) -> dict:
    markup, links, attributes, sentiment = TEXTS[index]
    text, raw = parse(markup)
    spans, ids = [], {}
    for n, span in enumerate(raw, 1):
        span_id = f"s{n}"
        if span["name"]:
            ids[span["name"]] = span_id
        spans.append(
            {
                "id": span_id,
                "start": span["start"],
                "end": span["end"],
                "label": span["label"],
                "attributes": attributes.get(span["name"] or "", {}),
            }
        )
    relations = [
        {"id": f"r{n}", "from": ids[q], "to": ids[p], "label": "SPEAKER"}
        for n, (q, p) in enumerate(links, 1)
    ]
    gold = {"spans": spans, "relations": relations, "document_labels": {"sentiment": sentiment}}
    bob_spans = spans[:-1]
    kept = {s["id"] for s in bob_spans}
    bob = {
        "spans": bob_spans,
        "relations": [r for r in relations if r["from"] in kept and r["to"] in kept],
        "document_labels": {"sentiment": "neutral" if index % 2 else sentiment},
    }
    return {
        "external_id": f"interop-{index + 1:02d}",
        "title": f"Interop {index + 1}",
        "text": text,
        "meta": {"source": "peers harness test set"},
        **gold,
        "annotations": [
            {"annotator": "alice", "status": "submitted", **gold},
            {"annotator": "bob", "status": "submitted", **bob},
        ],
    }


def records() -> list[dict]:
    return [record(i) for i in range(len(TEXTS))]


def main() -> None:
    PATH.parent.mkdir(parents=True, exist_ok=True)
    with PATH.open("w", encoding="utf-8", newline="") as out:
        for item in records():
            out.write(json.dumps(item, ensure_ascii=False) + "\n")
    print(f"wrote {PATH}")


if __name__ == "__main__":
    main()
