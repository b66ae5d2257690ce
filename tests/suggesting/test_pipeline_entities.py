"""Entities from an installed spaCy pipeline; None when there is none (never downloaded)."""

from __future__ import annotations

import spacy

from annotations.suggesting import pipeline_entities


def test_no_installed_pipeline_gives_none():
    """A pipeline name that is neither an installed package nor a directory: None."""
    assert pipeline_entities("Jens Stoltenberg di Brussels.", "xx_no_such_pipeline_sm") is None


def test_a_pipeline_on_disk_proposes_its_entities_in_project_labels(tmp_path):
    """A real spaCy pipeline (blank + entity ruler, saved to disk) is loaded and mapped."""
    nlp = spacy.blank("xx")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns(
        [
            {"label": "PERSON", "pattern": "Jens Stoltenberg"},
            {"label": "GPE", "pattern": "Brussels"},
            {"label": "CARDINAL", "pattern": "dua"},
        ]
    )
    nlp.to_disk(tmp_path / "pipeline")
    text = "🇮🇩 Jens Stoltenberg tiba di Brussels dengan dua menteri."
    found = pipeline_entities(text, str(tmp_path / "pipeline"))
    assert found is not None
    assert [(text[e.start : e.end], e.label) for e in found] == [
        ("Jens Stoltenberg", "PER"),
        ("Brussels", "LOC"),
    ]
    only_people = pipeline_entities(text, str(tmp_path / "pipeline"), labels={"PER"})
    assert [e.label for e in only_people or []] == ["PER"]
