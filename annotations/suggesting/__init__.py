"""Built-in suggesters: pure functions on text, no ORM, no network, no model download.

- `suggest_quotes(text, language=…, include_marks=…)`: direct and indirect quotes with cue,
  speaker and resolved pronoun speakers (Indonesian and English).
- `quotes_as_suggestions(quotes, with_cues=…)`: the same in the API's spans/relations shape.
- `GoldEntities(pairs).find(text, skip=…)`: every further occurrence of strings labelled in gold.
- `pipeline_entities(text, pipeline)`: entities from an installed spaCy pipeline, or None.
"""

from .adapter import SOURCE as QUOTES_SOURCE
from .adapter import Suggestions, quotes_as_suggestions
from .gold_entities import GoldEntities, strings_agreed
from .pipeline_entities import pipeline_entities
from .quotes import UnsupportedLanguage, suggest_quotes
from .types import LANGUAGES, EntitySuggestion, Mention, SuggestedQuote

__all__ = [
    "LANGUAGES",
    "QUOTES_SOURCE",
    "EntitySuggestion",
    "GoldEntities",
    "Mention",
    "SuggestedQuote",
    "Suggestions",
    "UnsupportedLanguage",
    "pipeline_entities",
    "quotes_as_suggestions",
    "strings_agreed",
    "suggest_quotes",
]
