"""The time rule on hand-worked histories: gaps between the annotator's own consecutive
saves add up, a gap over five minutes is time away, someone else's save breaks the chain."""

from datetime import UTC, datetime, timedelta

import pytest

from annotations.work_time import IDLE_SECONDS, history_seconds

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
ME, OTHER = 1, 2


def at(*seconds_and_actor: tuple[float, int | None]) -> list[tuple[datetime, int | None]]:
    return [(T0 + timedelta(seconds=s), actor) for s, actor in seconds_and_actor]


@pytest.mark.parametrize(
    ("events", "expected"),
    [
        # one save has nothing to measure from
        (at((0, ME)), None),
        # 40 + 60 + (600: away) + 20
        (at((0, ME), (40, ME), (100, ME), (700, ME), (720, ME)), 120.0),
        # exactly five minutes still counts; a second more does not
        (at((0, ME), (IDLE_SECONDS, ME)), 300.0),
        (at((0, ME), (IDLE_SECONDS + 0.5, ME)), 0.0),
        # a reviewer's save in between: neither gap touching it is the annotator's
        (at((0, ME), (30, OTHER), (50, ME), (60, ME)), 10.0),
        # an import (no actor) then two saves
        (at((0, None), (5, ME), (65, ME)), 60.0),
    ],
)
def test_history_seconds_by_hand(events, expected):
    """Each history's time as worked out by hand in its comment."""
    assert history_seconds(events, ME) == expected


def test_the_idle_threshold_is_five_minutes():
    """The issue's rule: idle gaps over 5 minutes are left out."""
    assert IDLE_SECONDS == 5 * 60
