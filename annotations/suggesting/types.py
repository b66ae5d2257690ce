"""What the suggesters return: plain frozen values, offsets in code points, end exclusive."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Offsets = tuple[int, int]
QuoteType = Literal["direct", "indirect"]
EntityLabel = Literal["PER", "ORG"]
# name: "Jens Stoltenberg"; nominal: "seorang pejabat NATO", "the judge";
# pronoun: "dia", "she"; clitic: the "nya" of "katanya".
MentionKind = Literal["name", "nominal", "pronoun", "clitic"]
LANGUAGES = ("id", "en")


@dataclass(frozen=True, slots=True)
class Mention:
    """A speaker mention in the text."""

    start: int
    end: int
    label: EntityLabel
    kind: MentionKind


@dataclass(frozen=True, slots=True)
class SuggestedQuote:
    """One utterance: its fragments, cue, speaker and, for a pronoun speaker, who it is.

    An interrupted quote (`"…," ujar Budi, "…"`) and a quote running over several paragraphs
    are one SuggestedQuote with one fragment per piece (see DECISIONS.md). A quote with no
    attribution of its own that continues the previous speaker has that speaker's mention
    as `speaker` and no `cue`.
    """

    fragments: tuple[Offsets, ...]
    quote_type: QuoteType
    cue: Offsets | None
    speaker: Mention | None
    antecedent: Mention | None  # the named (or nominal) mention a pronoun/clitic refers to
    score: float
    reason: str

    @property
    def resolved_speaker(self) -> Mention | None:
        """Who said it: the antecedent of a pronoun speaker, else the speaker mention."""
        return self.antecedent or self.speaker


@dataclass(frozen=True, slots=True)
class EntitySuggestion:
    """A proposed entity span."""

    start: int
    end: int
    label: str
    score: float
    reason: str
