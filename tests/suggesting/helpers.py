"""Readable views of suggestions for assertions."""

from __future__ import annotations

from dataclasses import dataclass

from annotations.suggesting import SuggestedQuote, suggest_quotes


@dataclass(frozen=True)
class Seen:
    """One suggested quote as the words it covers."""

    fragments: tuple[str, ...]
    quote_type: str
    cue: str | None
    speaker: str | None
    resolved: str | None


def seen(quote: SuggestedQuote, text: str) -> Seen:
    def words(span: tuple[int, int] | None) -> str | None:
        return text[span[0] : span[1]] if span else None

    speaker = quote.speaker
    resolved = quote.resolved_speaker
    return Seen(
        fragments=tuple(text[s:e] for s, e in quote.fragments),
        quote_type=quote.quote_type,
        cue=words(quote.cue),
        speaker=words((speaker.start, speaker.end)) if speaker else None,
        resolved=words((resolved.start, resolved.end)) if resolved else None,
    )


def quotes(text: str, language: str, **options: bool) -> list[Seen]:
    return [seen(q, text) for q in suggest_quotes(text, language=language, **options)]


def direct(text: str, language: str, **options: bool) -> list[Seen]:
    return [q for q in quotes(text, language, **options) if q.quote_type == "direct"]
