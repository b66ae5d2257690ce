"""Label presets offered at project creation."""

from typing import Any

_SENTIMENT = ["positive", "neutral", "negative"]

NEWS: list[dict[str, Any]] = [
    {"kind": "span", "name": "PER", "color": "#e6194b", "hotkey": "p", "description": "Person"},
    {
        "kind": "span",
        "name": "ORG",
        "color": "#3cb44b",
        "hotkey": "o",
        "description": "Organisation",
    },
    {"kind": "span", "name": "LOC", "color": "#4363d8", "hotkey": "l", "description": "Location"},
    {"kind": "span", "name": "EVENT", "color": "#f58231", "hotkey": "e", "description": "Event"},
    {
        "kind": "span",
        "name": "MISC",
        "color": "#911eb4",
        "hotkey": "m",
        "description": "Other entity",
    },
    {
        "kind": "span",
        "name": "QUOTE",
        "color": "#ffe119",
        "hotkey": "q",
        "description": "The quoted words, without the quotation marks' speaker tag",
        "attributes": {"quote_type": ["direct", "indirect"], "sentiment": _SENTIMENT},
    },
    {
        "kind": "relation",
        "name": "SPEAKER",
        "color": "#000075",
        "hotkey": "s",
        "description": "Links a quote to the person or organisation who said it",
        "source_labels": ["QUOTE"],
        "target_labels": ["PER", "ORG"],
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
        }
        for i, (value, color) in enumerate(
            zip(_SENTIMENT, ["#2e7d32", "#757575", "#c62828"], strict=True)
        )
    ],
]

PRESETS: dict[str, list[dict[str, Any]]] = {"news": NEWS}
