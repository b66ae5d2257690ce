"""Three short news-like documents of our own writing, with everything that breaks exporters.

- doc-id: Indonesian, curly quotes (“…,” kata X), an ORG inside a QUOTE, a SPEAKER relation.
- doc-emoji: flag and skin-tone emoji (astral characters) before the spans.
- doc-crlf: CRLF line endings kept as stored, an indirect quote, and two annotators' layers.

Offsets are found with ``at`` rather than typed by hand, and checked on import.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from annotations.formats import CardContext

EXPORTED_AT = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def at(text: str, part: str, nth: int = 0) -> tuple[int, int]:
    """Code point offsets of the ``nth`` occurrence of ``part`` in ``text``."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(part, start + 1)
    return start, start + len(part)


def span(text: str, sid: str, part: str, label: str, **attributes: str) -> dict[str, Any]:
    start, end = at(text, part)
    return {"id": sid, "start": start, "end": end, "label": label, "attributes": attributes}


def relation(rid: str, quote: str, speaker: str) -> dict[str, Any]:
    return {"id": rid, "from": quote, "to": speaker, "label": "SPEAKER"}


ID_TEXT = (
    "“Bulog harus segera menurunkan harga beras,” kata Joko Widodo di Jakarta, Senin. "
    "Pedagang di pasar mengeluh."
)
EMOJI_TEXT = "Fans cheered 🇮🇩👍🏽 as Timnas Indonesia beat Vietnam in Hanoi."
CRLF_TEXT = (
    "Bank Indonesia held its rate.\r\nGovernor Perry Warjiyo said inflation would stay low.\r\n"
)


def doc_id() -> dict[str, Any]:
    t = ID_TEXT
    quote = "Bulog harus segera menurunkan harga beras"
    return {
        "external_id": "doc-id",
        "title": "Harga beras",
        "text": t,
        "meta": {"source": "fixture"},
        "spans": [
            span(t, "s1", quote, "QUOTE", quote_type="direct", sentiment="negative"),
            span(t, "s2", "Bulog", "ORG"),
            span(t, "s3", "Joko Widodo", "PER"),
            span(t, "s4", "Jakarta", "LOC"),
        ],
        "relations": [relation("r1", "s1", "s3")],
        "document_labels": {"sentiment": "negative"},
        "split": "train",
    }


def doc_emoji() -> dict[str, Any]:
    t = EMOJI_TEXT
    return {
        "external_id": "doc-emoji",
        "title": "Match",
        "text": t,
        "meta": {},
        "spans": [
            span(t, "s1", "Timnas Indonesia", "ORG"),
            span(t, "s2", "Vietnam", "ORG"),
            span(t, "s3", "Hanoi", "LOC"),
        ],
        "relations": [],
        "document_labels": {"sentiment": "positive"},
        "split": "dev",
    }


def doc_crlf() -> dict[str, Any]:
    t = CRLF_TEXT
    quote = "inflation would stay low"
    return {
        "external_id": "doc-crlf",
        "title": "Rates",
        "text": t,
        "meta": {},
        "spans": [
            span(t, "s1", "Bank Indonesia", "ORG"),
            span(t, "s2", "Perry Warjiyo", "PER"),
            span(t, "s3", quote, "QUOTE", quote_type="indirect", sentiment="neutral"),
        ],
        "relations": [relation("r1", "s3", "s2")],
        "document_labels": {"sentiment": "neutral"},
        "split": "test",
        "annotations": [
            {
                "annotator": "alice",
                "status": "submitted",
                "spans": [
                    span(t, "a1", "Bank Indonesia", "ORG"),
                    span(t, "a2", "Perry Warjiyo", "PER"),
                    span(t, "a3", quote, "QUOTE", quote_type="indirect", sentiment="neutral"),
                ],
                "relations": [relation("ar1", "a3", "a2")],
                "document_labels": {"sentiment": "neutral"},
            },
            {
                "annotator": "bob",
                "status": "submitted",
                "spans": [
                    span(t, "b1", "Bank Indonesia", "ORG"),
                    span(t, "b2", "Perry", "PER"),
                ],
                "relations": [],
                "document_labels": {"sentiment": "positive"},
            },
        ],
    }


def records() -> list[dict[str, Any]]:
    """Fresh copies each call: writers must not depend on (or mutate) shared state."""
    return [doc_id(), doc_emoji(), doc_crlf()]


def gold_only(record: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in record.items() if k != "annotations"}


def schema() -> dict[str, Any]:
    sentiment = ["positive", "neutral", "negative"]
    labels: list[dict[str, Any]] = [
        {"kind": "span", "name": name, "color": color, "hotkey": key, "description": desc}
        for name, color, key, desc in [
            ("PER", "#e6194b", "p", "A person, named."),
            ("ORG", "#3cb44b", "o", "An organisation: company, agency, team."),
            ("LOC", "#4363d8", "l", "A place: city, country, region."),
            ("EVENT", "#f58231", "e", "A named event."),
            ("MISC", "#911eb4", "m", "Another named thing."),
        ]
    ]
    labels.append(
        {
            "kind": "span",
            "name": "QUOTE",
            "color": "#808000",
            "hotkey": "q",
            "description": "Reported speech, direct or indirect.",
            "attributes": {"quote_type": ["direct", "indirect"], "sentiment": sentiment},
        }
    )
    labels.append(
        {
            "kind": "relation",
            "name": "SPEAKER",
            "color": "#000000",
            "description": "Links a quote to who said it.",
            "source_labels": ["QUOTE"],
            "target_labels": ["PER", "ORG"],
        }
    )
    labels.extend(
        {
            "kind": "document",
            "name": value,
            "group": "sentiment",
            "multiple": False,
            "description": f"The article's overall tone is {value}.",
        }
        for value in sentiment
    )
    return {
        "project": {
            "name": "Berita",
            "description": "Entities, quotes and sentiment in news.",
            "language": "id",
            "guidelines": "# Guidelines\n\nMark names, quotes and who said them.\n",
        },
        "labels": labels,
        "offset_unit": "unicode_code_point",
    }


def card() -> CardContext:
    return CardContext(
        exported_at=EXPORTED_AT,
        tool_version="0.1.0",
        scope="gold",
        agreement={"span_f1": 0.82, "krippendorff_alpha_sentiment": 0.71},
        annotators=("alice", "bob"),
    )


# Quote attribution (DECISIONS 46): an interrupted quote ("…," kata X, "…") as one span with
# two fragments, speech cues, and a speaker chain joining a name, a surname and "-nya".
ATTRIBUTION_TEXT = (
    "Sekjen NATO Jens Stoltenberg mengatakan latihan tetap berjalan. "
    "“Itu akan mengirimkan sinyal yang salah,” kata Stoltenberg, “jika kami membatalkannya "
    "sekarang.” “Latihan ini rutin,” tambahnya."
)


def doc_attribution() -> dict[str, Any]:
    t = ATTRIBUTION_TEXT
    first, second = (
        at(t, "Itu akan mengirimkan sinyal yang salah"),
        at(t, "jika kami membatalkannya sekarang"),
    )
    nya = at(t, "tambahnya")[0] + len("tambah")
    return {
        "external_id": "doc-attribution",
        "title": "Steadfast Noon",
        "text": t,
        "meta": {},
        "spans": [
            span(t, "o1", "NATO", "ORG"),
            {**span(t, "p1", "Jens Stoltenberg", "PER"), "chain": "c1"},
            {
                "id": "q1",
                "start": first[0],
                "end": second[1],
                "label": "QUOTE",
                "attributes": {"quote_type": "direct", "sentiment": "negative"},
                "fragments": [list(first), list(second)],
            },
            span(t, "k1", "kata", "CUE"),
            {
                **span(t, "p2", "Stoltenberg,", "PER"),
                "end": at(t, "Stoltenberg,")[1] - 1,
                "chain": "c1",
            },
            span(t, "q2", "Latihan ini rutin", "QUOTE", quote_type="direct"),
            {"id": "k2", "start": nya - 6, "end": nya, "label": "CUE", "attributes": {}},
            {
                "id": "p3",
                "start": nya,
                "end": nya + 3,
                "label": "PER",
                "attributes": {},
                "chain": "c1",
            },
        ],
        "relations": [
            relation("r1", "q1", "p2"),
            {"id": "r2", "from": "q1", "to": "k1", "label": "CUE"},
            relation("r3", "q2", "p3"),
            {"id": "r4", "from": "q2", "to": "k2", "label": "CUE"},
        ],
        "chains": [{"id": "c1", "name": "", "canonical": "Jens Stoltenberg"}],
        "document_labels": {"sentiment": "neutral"},
    }


def attribution_schema() -> dict[str, Any]:
    """The fixture schema with the news preset's CUE span label and CUE link."""
    base = schema()
    labels = list(base["labels"])
    labels.insert(
        6,
        {
            "kind": "span",
            "name": "CUE",
            "color": "#42d4f4",
            "hotkey": "k",
            "description": "The word that introduces a quote.",
        },
    )
    labels.insert(
        8,
        {
            "kind": "relation",
            "name": "CUE",
            "color": "#469990",
            "description": "Links a quote to its cue.",
            "source_labels": ["QUOTE"],
            "target_labels": ["CUE"],
        },
    )
    return {**base, "labels": labels}
