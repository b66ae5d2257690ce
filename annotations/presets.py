"""Label presets offered at project creation.

`name` is the identifier exports and the API use (`PER`); what people read comes from
`translations`, per interface language: a `title`, a `description`, and for span labels the
display names of their `attributes` and attribute `values`, for document labels their
`group`'s. `description` stays the English text for readers that know no translations.
"""

from typing import Any

_SENTIMENT = ["positive", "neutral", "negative"]
_SENTIMENT_VALUES = {
    "en": {"positive": "Positive", "neutral": "Neutral", "negative": "Negative"},
    "id": {"positive": "Positif", "neutral": "Netral", "negative": "Negatif"},
}


def _texts(
    english: tuple[str, str], indonesian: tuple[str, str], **extra: dict[str, Any]
) -> dict[str, Any]:
    """Translations from (title, description) pairs, plus per-language extras."""
    texts: dict[str, Any] = {
        "en": {"title": english[0], "description": english[1]},
        "id": {"title": indonesian[0], "description": indonesian[1]},
    }
    for language, more in extra.items():
        texts[language].update(more)
    return texts


NEWS: list[dict[str, Any]] = [
    {
        "kind": "span",
        "name": "PER",
        "color": "#e6194b",
        "hotkey": "p",
        "description": "Person",
        "translations": _texts(
            ("Person", "A person named in the text, without titles or roles"),
            ("Orang", "Orang yang disebut namanya, tanpa gelar atau jabatan"),
        ),
    },
    {
        "kind": "span",
        "name": "ORG",
        "color": "#3cb44b",
        "hotkey": "o",
        "description": "Organisation",
        "translations": _texts(
            ("Organisation", "A company, institution, party, team or other organisation"),
            ("Organisasi", "Perusahaan, lembaga, partai, tim, atau organisasi lain"),
        ),
    },
    {
        "kind": "span",
        "name": "LOC",
        "color": "#4363d8",
        "hotkey": "l",
        "description": "Location",
        "translations": _texts(
            ("Location", "A place: a country, city, region, building or natural feature"),
            ("Lokasi", "Tempat: negara, kota, wilayah, gedung, atau bentang alam"),
        ),
    },
    {
        "kind": "span",
        "name": "EVENT",
        "color": "#f58231",
        "hotkey": "e",
        "description": "Event",
        "translations": _texts(
            ("Event", "A named event: a summit, an election, a disaster, a tournament"),
            ("Peristiwa", "Peristiwa yang punya nama: KTT, pemilu, bencana, turnamen"),
        ),
    },
    {
        "kind": "span",
        "name": "MISC",
        "color": "#911eb4",
        "hotkey": "m",
        "description": "Other entity",
        "translations": _texts(
            ("Other entity", "Any other name: a product, a law, a work, a programme"),
            ("Entitas lain", "Nama lain di luar itu: produk, undang-undang, karya, program"),
        ),
    },
    {
        "kind": "span",
        "name": "QUOTE",
        "color": "#ffe119",
        "hotkey": "q",
        "description": "The quoted words, without the quotation marks' speaker tag",
        "attributes": {"quote_type": ["direct", "indirect"], "sentiment": _SENTIMENT},
        "translations": _texts(
            ("Quote", 'What someone said, direct or reported, without the tag ("said Budi")'),
            ("Kutipan", 'Ucapan seseorang, langsung atau tidak, tanpa keterangan ("kata Budi")'),
            en={
                "attributes": {"quote_type": "Quote type", "sentiment": "Sentiment"},
                "values": {"direct": "Direct", "indirect": "Indirect", **_SENTIMENT_VALUES["en"]},
            },
            id={
                "attributes": {"quote_type": "Jenis kutipan", "sentiment": "Sentimen"},
                "values": {
                    "direct": "Langsung",
                    "indirect": "Tidak langsung",
                    **_SENTIMENT_VALUES["id"],
                },
            },
        ),
    },
    {
        "kind": "span",
        "name": "CUE",
        "color": "#42d4f4",
        "hotkey": "k",
        "description": "The word that introduces a quote: said, told, according to",
        "translations": _texts(
            (
                "Speech cue",
                'The word that introduces a quote: "said", "told", "according to"',
            ),
            (
                "Penanda ujaran",
                'Kata yang mengantar kutipan: "kata", "ujar", "mengatakan", "menurut"',
            ),
        ),
    },
    {
        "kind": "relation",
        "name": "SPEAKER",
        "color": "#000075",
        "hotkey": "s",
        "description": "Links a quote to the person or organisation who said it",
        "source_labels": ["QUOTE"],
        "target_labels": ["PER", "ORG"],
        "translations": _texts(
            ("Speaker", "Links a quote to the person or organisation who said it"),
            ("Penutur", "Menghubungkan kutipan dengan orang atau organisasi yang mengucapkannya"),
        ),
    },
    {
        "kind": "relation",
        "name": "CUE",
        "color": "#469990",
        "hotkey": "u",
        "description": "Links a quote to the speech cue that introduces it",
        "source_labels": ["QUOTE"],
        "target_labels": ["CUE"],
        "translations": _texts(
            ("Cue", "Links a quote to the speech cue that introduces it (said, told)"),
            ("Penanda", "Menghubungkan kutipan dengan penanda ujarannya (kata, ujar)"),
        ),
    },
    *[
        {
            "kind": "document",
            "name": value,
            "group": "sentiment",
            "multiple": False,
            "hotkey": str(i + 1),
            "color": color,
            "description": f"The article's overall tone is {value}",
            "translations": _texts(
                (_SENTIMENT_VALUES["en"][value], f"The article's overall tone is {value}"),
                (
                    _SENTIMENT_VALUES["id"][value],
                    f"Nada artikel secara keseluruhan {_SENTIMENT_VALUES['id'][value].lower()}",
                ),
                en={"group": "Sentiment"},
                id={"group": "Sentimen"},
            ),
        }
        for i, (value, color) in enumerate(
            zip(_SENTIMENT, ["#2e7d32", "#757575", "#c62828"], strict=True)
        )
    ],
]

PRESETS: dict[str, list[dict[str, Any]]] = {"news": NEWS}
# Project settings a preset brings with its labels (its guideline), unless given.
PRESET_SETTINGS: dict[str, dict[str, Any]] = {"news": {"quotes_include_marks": True}}
