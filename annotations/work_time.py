"""Time an annotator spent on an annotation, as its history shows it (pure, no ORM).

Until the editor reports active time itself (issue 12), the only clock is the history: each
save is an event with a timestamp. The rule: add up the gaps between consecutive events of
an annotation that were both made by its annotator, leaving out gaps over `IDLE_SECONDS`
(the annotator was away). An annotation with fewer than two such events has no time (None),
so imports and one-shot writes do not drag medians to zero.

`services.annotating` applies the rule one write at a time (`gap_after`), keeping
`Annotation.event_seconds` current; `history_seconds` applies it to a whole history (the
recount, and tests that check the running total against the raw events).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

IDLE_SECONDS = 300


def gap_after(
    *,
    previous_at: datetime | None,
    previous_by: int | None,
    now: datetime,
    actor: int | None,
    annotator: int | None,
) -> float | None:
    """Seconds this write adds to its annotator's time: the gap since the previous write,
    if both writes are the annotator's own and the gap is not idle; 0.0 for an idle gap;
    None when there is no earlier own write to measure from."""
    if previous_at is None or annotator is None or actor != annotator or previous_by != annotator:
        return None
    gap = (now - previous_at).total_seconds()
    return gap if 0 <= gap <= IDLE_SECONDS else 0.0


def add_gap(total: float | None, gap: float | None) -> float | None:
    """The running total after one more write (None until a first gap is measured)."""
    if gap is None:
        return total
    return (total or 0.0) + gap


def history_seconds(events: Iterable[tuple[datetime, int | None]], annotator: int) -> float | None:
    """`(created_at, actor)` events of one annotation in order → its annotator's time."""
    total: float | None = None
    previous: tuple[datetime, int | None] | None = None
    for at, actor in events:
        if previous is not None:
            gap = gap_after(
                previous_at=previous[0],
                previous_by=previous[1],
                now=at,
                actor=actor,
                annotator=annotator,
            )
            total = add_gap(total, gap)
        previous = (at, actor)
    return total
