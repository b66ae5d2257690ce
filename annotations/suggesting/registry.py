"""The suggesters a project can have: declared once here, each on one `SuggesterSpec`.

Everything else derives from `SUGGESTERS`: which sources a document gets (`applies`), the
order the API merges them in, the `sources` choices of the API and the tests'
parametrisation. A suggester is a pure function of what it is given (`SuggestionInput`): the
service gathers the text, the project's labels and settings and, lazily, what it may learn
from; the spec turns it into the API's shape. Another module adds a source with
`register(SuggesterSpec(...))` (an HTTP model backend, uploaded predictions, …).

    {"spans": [{"id", "start", "end", "label", "attributes", "score", "source"}],
     "relations": [{"from", "to", "label", "score", "source"}], "document_labels": {…}}
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, TypedDict

from .adapter import quotes_as_suggestions
from .gold_entities import GoldEntities
from .quotes import suggest_quotes
from .types import LANGUAGES


class Payload(TypedDict):
    spans: list[dict[str, Any]]
    relations: list[dict[str, Any]]
    document_labels: dict[str, Any]


@dataclass(frozen=True)
class SuggesterProject:
    """What a suggester may know about a project: its language, guideline settings and
    label schema (span label → its attributes; relation label → allowed ends)."""

    language: str
    quotes_include_marks: bool
    span_labels: Mapping[str, Mapping[str, Sequence[str]]]
    relation_labels: Mapping[str, tuple[frozenset[str], frozenset[str]]]
    options: Mapping[str, Any] = field(default_factory=dict)

    @property
    def primary_language(self) -> str:
        """`id` for `id-ID`: the suggesters' lexicons are per language, not per region."""
        return self.language.split("-")[0].lower()


@dataclass(frozen=True)
class SuggestionInput:
    """One document to suggest for. `learnt` is called only by suggesters that learn from
    the project's annotations: (string, label) pairs the service may show anyone who can
    open the document (see `selectors.suggestions.Learnt`)."""

    project: SuggesterProject
    document_id: int
    text: str
    learnt: Callable[[], Sequence[tuple[str, str]]] = tuple


@dataclass(frozen=True)
class SuggesterSpec:
    name: str  # the `source` of what it proposes, and of the spans accepted from it
    title: str
    applies: Callable[[SuggesterProject], bool]
    compute: Callable[[SuggestionInput], Payload]
    # Computed when documents are imported (else only on request).
    on_import: bool = True


SUGGESTERS: dict[str, SuggesterSpec] = {}


def register(spec: SuggesterSpec) -> SuggesterSpec:
    if spec.name in SUGGESTERS and SUGGESTERS[spec.name] is not spec:
        raise ValueError(f"a suggester named {spec.name!r} is already registered")
    SUGGESTERS[spec.name] = spec
    return spec


def suggesters_for(project: SuggesterProject) -> list[SuggesterSpec]:
    """The project's suggesters, in registry order (the order the API merges them in)."""
    return [spec for spec in SUGGESTERS.values() if spec.applies(project)]


# --- built-in: quotes and speakers -----------------------------------------------------------

QUOTE_LABELS = frozenset({"QUOTE", "CUE"})


def _quotes_apply(project: SuggesterProject) -> bool:
    return project.primary_language in LANGUAGES and "QUOTE" in project.span_labels


def _quotes(given: SuggestionInput) -> Payload:
    project = given.project
    found = suggest_quotes(
        given.text,
        language=project.primary_language,
        include_marks=project.quotes_include_marks,
    )
    with_cues = "CUE" in project.span_labels and "CUE" in project.relation_labels
    shaped = quotes_as_suggestions(found, with_cues=with_cues, source=QUOTES.name)
    return {**shaped, "document_labels": {}}


QUOTES = register(
    SuggesterSpec(
        name="quotes",
        title="Quotes and their speakers (rules for Indonesian and English)",
        applies=_quotes_apply,
        compute=_quotes,
    )
)


# --- built-in: entities from the project's own gold ------------------------------------------


def _gold_apply(project: SuggesterProject) -> bool:
    return bool(set(project.span_labels) - QUOTE_LABELS)


@lru_cache(maxsize=1)
def _lexicon(pairs: tuple[tuple[str, str], ...]) -> GoldEntities:
    """The compiled lexicon of the last pairs asked for: a task's documents that hold none of
    the project's work learn the same pairs, and compile them once."""
    return GoldEntities(
        [(s, label) for s, label in pairs if label not in QUOTE_LABELS], source=GOLD.name
    )


def _gold(given: SuggestionInput) -> Payload:
    spans = [
        {
            "id": f"{GOLD.name}-e{found.start}-{found.end}",
            "start": found.start,
            "end": found.end,
            "label": found.label,
            "attributes": {},
            "score": found.score,
            "source": GOLD.name,
        }
        for found in _lexicon(tuple(given.learnt())).find(given.text)
    ]
    return {"spans": spans, "relations": [], "document_labels": {}}


GOLD = register(
    SuggesterSpec(
        name="gold",
        title="Entities labelled elsewhere in the project's gold (or by two annotators)",
        applies=_gold_apply,
        compute=_gold,
    )
)
