"""Tests for grouping/scorer.py and the learned mode of grouping/match.py, on tiny hand-made signals (no model)."""

from __future__ import annotations

import json
import math
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from newsroundup.errors import InputError
from newsroundup.grouping.options import GroupingOptions
from newsroundup.grouping.scorer import FEATURES, PairScorer, load_scorer, pair_features
from newsroundup.grouping.signals import ArticleSignals, numbers_of
from newsroundup.grouping.state import index_from_dict, index_to_dict
from newsroundup.grouping.stories import StoryIndex
from newsroundup.grouping.vectors import DIMENSIONS

DAY = datetime(2015, 5, 1, tzinfo=UTC)


def _vector(event: str, seed: int) -> np.ndarray:
    """A unit vector: a direction all events share ("a shooting"), the event's own, a little noise."""
    shared = np.random.default_rng(0).normal(size=DIMENSIONS)
    own = np.random.default_rng(sum(map(ord, event))).normal(size=DIMENSIONS)
    noise = np.random.default_rng(1000 + seed).normal(size=DIMENSIONS)
    v = shared + 0.8 * own + 0.2 * noise
    return (v / np.linalg.norm(v)).astype(np.float32)


def _signal(id: str, seed: int, names: str, numbers: str, day: int, outlet: str = "a.com") -> ArticleSignals:
    """An article of one same-kind event: all share most of the embedding, differ in names and numbers."""
    return ArticleSignals(
        id=id,
        vector=_vector(id[0], seed),
        terms=frozenset(names.split()),
        published=DAY + timedelta(days=day),
        words=frozenset({"shooting", *names.split()}),
        numbers=frozenset(numbers.split()),
        outlet=outlet,
    )


def test_numbers_of_reads_counts_ages_and_blocks_not_times_or_decimals() -> None:
    found = numbers_of("A 20-year-old was shot at 10:30 p.m. in the 1300 block; three others, 1.5 miles, $40, 3/4/2015")
    assert found == frozenset({"20", "1300", "3"})
    assert numbers_of("no numbers here") == frozenset()


def test_pair_features_order_and_undated_gap() -> None:
    features = pair_features(0.5, 0.2, 0.3, 0.1, None, True, 3)
    assert len(features) == len(FEATURES)
    assert features[:4] == (0.5, 0.2, 0.3, 0.1)
    assert features[4] == pytest.approx(math.log1p(1.0))
    assert features[5:] == (1.0, pytest.approx(math.log(3)))
    assert pair_features(0.5, 0.2, 0.3, 0.1, 0.0, False, 1)[4:] == (0.0, 0.0, 0.0)


def test_probability_is_logistic_of_standardised_features() -> None:
    n = len(FEATURES)
    scorer = PairScorer((1.0,) + (0.0,) * (n - 1), 0.0, (0.5,) * n, (0.25,) * n, 0.5, 8)
    assert scorer.probability((0.5,) * n) == pytest.approx(0.5)
    assert scorer.probability((1.0,) + (0.0,) * (n - 1)) == pytest.approx(1 / (1 + math.exp(-2.0)))
    assert scorer.probability((-1e6,) + (0.0,) * (n - 1)) == 0.0


def test_scorer_round_trips_and_rejects_malformed_data() -> None:
    shipped = load_scorer()
    assert PairScorer.from_dict(json.loads(json.dumps(shipped.to_dict()))) == shipped
    assert 0.0 < shipped.threshold < 1.0 and shipped.candidates >= 1
    bad = {**shipped.to_dict(), "features": ["cosine"]}
    with pytest.raises(InputError, match="features"):
        PairScorer.from_dict(bad)
    with pytest.raises(InputError, match="malformed"):
        PairScorer.from_dict({**shipped.to_dict(), "scale": [0.0] * len(FEATURES)})


def test_shipped_weights_favour_shared_names_numbers_and_closeness_in_time() -> None:
    weights = dict(zip(FEATURES, load_scorer().weights, strict=True))
    assert weights["names"] > 0 and weights["numbers"] > 0 and weights["cosine"] > 0
    assert weights["log_days"] < 0


def test_learned_grouping_keeps_same_kind_events_apart_by_names_and_numbers() -> None:
    stream = [
        _signal("a1", 1, "hawthorne gillis cerise", "20 13500", 0),
        _signal("b1", 2, "dayton smith main", "34 2", 0, outlet="b.com"),
        _signal("a2", 3, "hawthorne gillis", "20 13500", 1, outlet="c.com"),
        _signal("b2", 4, "dayton smith", "34 2", 1),
        _signal("a3", 5, "gillis cerise hawthorne", "20", 2, outlet="b.com"),
    ]
    index = StoryIndex(GroupingOptions(learned=True))
    index.add_all(stream)
    assert index.story_of("a1") == index.story_of("a2") == index.story_of("a3")
    assert index.story_of("b1") == index.story_of("b2") != index.story_of("a1")


def test_learned_grouping_keeps_weeks_later_event_apart() -> None:
    first = _signal("a1", 1, "dayton smith main", "34 2", 0)
    later = _signal("a2", 2, "dayton smith main", "34 2", 40)
    index = StoryIndex(GroupingOptions(learned=True))
    index.add_all([first, later])
    assert index.story_of("a1") != index.story_of("a2")


def test_learned_state_round_trips_with_numbers_and_outlets() -> None:
    stream = [_signal("a1", 1, "hawthorne gillis", "20 13500", 0), _signal("a2", 3, "hawthorne gillis", "20", 1)]
    index = StoryIndex(GroupingOptions(learned=True))
    index.add_all(stream)
    restored = index_from_dict(json.loads(json.dumps(index_to_dict(index))))
    assert restored.options.learned and restored.scorer is not None
    third = _signal("a3", 5, "hawthorne gillis", "20 13500", 2, outlet="z.com")
    assert restored.add(third).story == index.add(replace(third)).story


def test_replay_places_as_told_and_returns_candidate_features() -> None:
    index = StoryIndex()
    story, pairs = index.replay(_signal("a1", 1, "hawthorne gillis", "20", 0), None)
    assert pairs == []
    again, pairs = index.replay(_signal("a2", 2, "hawthorne gillis", "20", 1), story)
    assert again == story and [s for s, _ in pairs] == [story]
    assert len(pairs[0][1]) == len(FEATURES) and pairs[0][1][1] > 0.9  # names shared
    with pytest.raises(InputError, match="already placed"):
        index.replay(_signal("a2", 2, "x", "", 1), None)
