"""Entities from a spaCy pipeline, when one is installed in the environment.

Never downloads anything: a pipeline is used only if it is an installed package or a
directory on disk (`spacy.load` accepts both). Returns None when there is none, so callers can
tell "no model" from "no entities".
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from .types import EntitySuggestion

SOURCE = "spacy"
# spaCy's English and multilingual schemes onto the news preset's labels.
LABEL_MAP: Mapping[str, str] = {
    "PERSON": "PER",
    "PER": "PER",
    "ORG": "ORG",
    "GPE": "LOC",
    "LOC": "LOC",
    "FAC": "LOC",
    "EVENT": "EVENT",
    "NORP": "MISC",
    "MISC": "MISC",
}
# spaCy's named-entity recogniser gives no per-entity probability; one modest score for all.
SCORE = 0.6


@lru_cache(maxsize=4)
def load_pipeline(name: str) -> Any | None:
    """The installed pipeline `name` (a package name or a directory), or None."""
    try:
        import spacy
    except ImportError:
        return None
    if not (spacy.util.is_package(name) or Path(name).is_dir()):
        return None
    try:
        return spacy.load(name)
    except (OSError, ImportError, ValueError):
        return None


def pipeline_entities(
    text: str,
    pipeline: str,
    *,
    labels: Collection[str] | None = None,
    label_map: Mapping[str, str] = LABEL_MAP,
) -> list[EntitySuggestion] | None:
    """Entities the pipeline finds, mapped to project labels (and kept to `labels` if given).

    spaCy offsets are Python string indices, that is code points, like ours.
    """
    nlp = load_pipeline(pipeline)
    if nlp is None:
        return None
    found = []
    for entity in nlp(text).ents:
        label = label_map.get(entity.label_)
        if label is None or (labels is not None and label not in labels):
            continue
        reason = f"spaCy pipeline {pipeline!r} ({entity.label_})"
        found.append(EntitySuggestion(entity.start_char, entity.end_char, label, SCORE, reason))
    return found
