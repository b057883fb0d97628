"""Tests for grouping/state.py: a story index saved and read back goes on exactly as if never stopped (no model)."""

from __future__ import annotations

import json
import random
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from newsroundup.errors import InputError
from newsroundup.grouping.options import GroupingOptions
from newsroundup.grouping.signals import ArticleSignals
from newsroundup.grouping.state import index_changes, index_from_dict, index_to_dict
from newsroundup.grouping.stories import StoryIndex
from newsroundup.grouping.vectors import DIMENSIONS

START = datetime(2025, 1, 1, tzinfo=UTC)
# Small bounds so that a short stream evicts, retires and archives stories.
TIGHT = GroupingOptions(retention=timedelta(days=6), max_active=5, max_retired=4, join=0.6, merge=0.9)


def _stream(shuffled: bool) -> list[ArticleSignals]:
    """40 articles about 10 events two days apart, in date order or shuffled; an event's articles embed alike."""
    rng = np.random.default_rng(7)
    directions = rng.normal(size=(10, DIMENSIONS))
    articles = []
    for n in range(40):
        event = n // 4
        vector = (directions[event] + 0.3 * rng.normal(size=DIMENSIONS)).astype(np.float32)
        when = START + timedelta(days=2 * event, hours=5 * (n % 4))
        articles.append(ArticleSignals(f"a{n}", vector, frozenset({f"name{event}"}), when, outlet=f"o{n % 3}"))
    if shuffled:
        random.Random(1).shuffle(articles)
    return articles


def _saved(index: StoryIndex) -> str:
    """The state as JSON text, as the store keeps it."""
    return json.dumps(index_to_dict(index), sort_keys=True)


# The rule, the learned scorer, and the rule made to merge (no article can join: scores are at most 3).
SETTINGS = {"rule": TIGHT, "learned": replace(TIGHT, learned=True), "merging": replace(TIGHT, join=3.1)}


@pytest.mark.parametrize("shuffled", [False, True])
@pytest.mark.parametrize("setting", sorted(SETTINGS))
def test_a_restored_index_goes_on_exactly_like_the_uninterrupted_one(shuffled: bool, setting: str) -> None:
    articles = _stream(shuffled)
    options = SETTINGS[setting]
    whole = StoryIndex(options)
    whole_placements = whole.add_all(articles)
    for cut in (7, 20, 33):
        half = StoryIndex(options)
        placements = half.add_all(articles[:cut])
        restored = index_from_dict(json.loads(_saved(half)))
        assert _saved(restored) == _saved(half)
        placements += restored.add_all(articles[cut:])
        assert placements == whole_placements
        assert _saved(restored) == _saved(whole)
    saved = index_to_dict(whole)
    assert any(not s["total"] for s in saved["stories"])  # the stream did archive stories
    assert len(saved["retired_order"]) <= options.max_retired


def test_a_state_saved_before_the_retired_order_was_kept_retires_oldest_coverage_first() -> None:
    index = StoryIndex(TIGHT)
    index.add_all(_stream(shuffled=True)[:25])
    old = index_to_dict(index)
    del old["retired_order"]
    restored = index_from_dict(old)
    retired = [s for s in old["stories"] if s["slot"] is None and s["total"]]
    by_coverage = [s["id"] for s in sorted(retired, key=lambda s: (s["last_seen"], s["seq"]))]
    assert index_to_dict(restored)["retired_order"] == by_coverage


def test_a_state_this_version_cannot_read_is_an_input_error() -> None:
    with pytest.raises(InputError, match="has format 1, this version reads formats 2 and 3"):
        index_from_dict({"format": 1})
    with pytest.raises(InputError, match="malformed"):
        index_from_dict({"format": 3, "options": {}})
    good = index_to_dict(StoryIndex())
    with pytest.raises(InputError, match="vector of 3 numbers"):
        index_from_dict({**good, "stories": [{"id": "s1", "total": "AAAAAAAAAAAAAAAA"}]})


@pytest.mark.parametrize("setting", sorted(SETTINGS))
def test_saving_only_the_stories_that_changed_keeps_exactly_the_whole_state(setting: str) -> None:
    articles = _stream(shuffled=True)
    rows: dict[str, dict[str, object]] = {}  # one row per story, as the store keeps them
    shared: dict[str, object] | None = None
    index = StoryIndex(SETTINGS[setting])
    written = []
    for start, end in ((0, 7), (7, 8), (8, 20), (20, 21), (21, 33), (33, 40)):
        if shared is not None:  # a new run reads the state back from its parts
            index = index_from_dict({**shared, "stories": sorted(rows.values(), key=lambda s: int(str(s["seq"])))})
        index.add_all(articles[start:end])
        shared, changed, gone = index_changes(index)
        for id in gone:
            del rows[id]
        rows.update(json.loads(json.dumps(changed)))
        written.append((len(changed), len(index.states)))
        parts = {**shared, "stories": sorted(rows.values(), key=lambda s: int(str(s["seq"])))}
        assert json.dumps(parts, sort_keys=True) == _saved(index)
    assert any(changed < stories for changed, stories in written[1:])  # a save after one article writes few
