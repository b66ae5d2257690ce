"""The benchmark's articles: deterministic, our own text, ~2,000 code points each.

Each article opens with a lead sentence holding five entities (a person, an
organisation, a place, a quote and the quote's speaker), so the same five spans, one
SPEAKER relation and a document sentiment can be imported into every tool. The text
stays in the Basic Multilingual Plane so that UTF-16 units (doccano) and code points
(ours, Label Studio) coincide and every tool receives identical offsets.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

PEOPLE = ["Siti Rahayu", "Budi Santoso", "Dewi Lestari", "Agus Wibowo", "Maria Gonzalez"]
ORGS = ["Kementerian Keuangan", "Bank Indonesia", "PT Kereta Api", "Dewan Pers", "WHO"]
PLACES = ["Jakarta", "Surabaya", "Medan", "Makassar", "Yogyakarta"]
QUOTES = [
    "Harga beras akan turun dalam dua pekan",
    "We will not raise fares this year",
    "Kami menunggu keputusan pengadilan",
    "The budget deficit is under control",
]
FILLER = [
    "Pemerintah daerah menyiapkan anggaran tambahan untuk perbaikan jalan.",
    "Warga berharap harga kebutuhan pokok segera stabil menjelang akhir tahun.",
    "Analysts said the decision could lift consumer confidence in the region.",
    "Rapat lanjutan dijadwalkan pekan depan dengan melibatkan pelaku usaha.",
    "Officials declined to say when the new rules would take effect.",
    "Data terbaru menunjukkan inflasi bulanan melambat dibandingkan bulan lalu.",
    "Sejumlah pedagang mengaku penjualan meningkat sejak awal pekan.",
    "The ministry said it would publish the full report next month.",
]
SENTIMENTS = ["positive", "neutral", "negative"]
SPAN_LABELS = ["PER", "ORG", "LOC", "QUOTE"]


@dataclass
class Article:
    external_id: str
    title: str
    text: str
    # (start, end, label) in code points; index 3 is the QUOTE, index 4 its speaker.
    spans: list[tuple[int, int, str]] = field(default_factory=list)
    sentiment: str = "neutral"

    QUOTE, SPEAKER = 3, 4


def _lead(rng: random.Random) -> tuple[str, list[tuple[int, int, str]]]:
    person, other = rng.sample(PEOPLE, 2)
    parts: list[tuple[str, str | None]] = [
        (person, "PER"),
        (", pejabat ", None),
        (rng.choice(ORGS), "ORG"),
        (", berbicara di ", None),
        (rng.choice(PLACES), "LOC"),
        (' pada Senin. "', None),
        (rng.choice(QUOTES), "QUOTE"),
        ('," kata ', None),
        (other, "PER"),
        (". ", None),
    ]
    text, spans = "", []
    for piece, label in parts:
        if label:
            spans.append((len(text), len(text) + len(piece), label))
        text += piece
    return text, spans


def article(index: int, size: int = 2000) -> Article:
    rng = random.Random(index)
    text, spans = _lead(rng)
    while len(text) < size:
        text += rng.choice(FILLER) + " "
    return Article(
        external_id=f"a{index:05d}",
        title=f"Artikel {index}",
        text=text[:size].rstrip(),
        spans=spans,
        sentiment=SENTIMENTS[index % 3],
    )


def articles(count: int) -> list[Article]:
    return [article(i) for i in range(count)]


def free_slots(text_length: int, width: int = 8, gap: int = 4, start: int = 300) -> list[int]:
    """Starts of non-overlapping spans past the lead, for write benchmarks."""
    return list(range(start, text_length - width, width + gap))
