"""The retired stories' rows: a late article finds the nearest retired stories whose coverage is near its date."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

import numpy as np

from newsroundup.grouping.active import RetiredRows
from newsroundup.grouping.story import StoryState
from newsroundup.grouping.vectors import DIMENSIONS

DAY = datetime(2025, 3, 1, tzinfo=UTC)
WEEK = timedelta(days=7).total_seconds()


def _story(id: str, axis: int, first: datetime, last: datetime) -> StoryState:
    total = np.zeros(DIMENSIONS, dtype=np.float32)
    total[axis] = 2.0  # two articles' unit vectors
    return StoryState(id, axis, [f"{id}-a", f"{id}-b"], total, Counter(), first, last)


def _axis(axis: int) -> np.ndarray:
    vector = np.zeros(DIMENSIONS, dtype=np.float32)
    vector[axis] = 1.0
    return vector


def test_only_stories_covering_near_the_date_are_found_nearest_first() -> None:
    rows = RetiredRows(capacity=2)  # grows as stories retire
    rows.add(_story("march", 1, DAY, DAY + timedelta(days=3)))
    rows.add(_story("april", 2, DAY + timedelta(days=40), DAY + timedelta(days=41)))
    rows.add(_story("also-march", 3, DAY + timedelta(days=2), DAY + timedelta(days=2)))
    when = (DAY + timedelta(days=5)).timestamp()
    found = rows.near(_axis(1) * 0.8 + _axis(3) * 0.6, when, WEEK, count=5)
    assert [id for id, _ in sorted(found, key=lambda pair: -pair[1])] == ["march", "also-march"]
    assert dict(found)["march"] == np.float32(0.8)
    # An article dated before a story's coverage is as near as one after it.
    assert [id for id, _ in rows.near(_axis(2), (DAY + timedelta(days=35)).timestamp(), WEEK, 5)] == ["april"]
    assert len(rows.near(_axis(1), when, WEEK, count=1)) == 1


def test_a_story_that_leaves_the_retired_rows_is_no_longer_found_and_its_row_is_reused() -> None:
    rows = RetiredRows(capacity=1)
    rows.add(_story("march", 1, DAY, DAY))
    rows.remove("march")
    assert rows.near(_axis(1), DAY.timestamp(), WEEK, 5) == []
    rows.add(_story("again", 2, DAY, DAY))
    assert len(rows.ids) == 1 and rows.near(_axis(2), DAY.timestamp(), WEEK, 5) == [("again", 1.0)]
    rows.remove("unknown")  # a story that never retired: nothing to free
