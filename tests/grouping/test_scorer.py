"""Tests for grouping/scorer.py and the learned mode of grouping/match.py, on tiny hand-made signals (no model)."""

from __future__ import annotations

import json
import math
from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from newsroundup.errors import InputError
from newsroundup.grouping.match import Side, TermCounts
from newsroundup.grouping.options import GroupingOptions
from newsroundup.grouping.scorer import FEATURES, PairScorer, load_scorer, logistic, pair_features
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
    features = pair_features(0.5, 0.2, 0.3, 0.1, None, True, 3, 0.9, 0.7, 2, 1.5)
    assert len(features) == len(FEATURES)
    assert features[:4] == (0.5, 0.2, 0.3, 0.1)
    assert features[4] == pytest.approx(math.log1p(1.0))
    assert features[5:] == (1.0, pytest.approx(math.log(3)), 0.9, 0.7, pytest.approx(math.log(3)),
                            pytest.approx(math.log1p(1.5)))
    assert pair_features(0.5, 0.2, 0.3, 0.1, 0.0, False, 1)[4:] == (0.0,) * (len(FEATURES) - 4)


def test_rarest_shared_name_weighs_a_rare_name_above_a_common_one() -> None:
    counts = TermCounts()
    for n in range(20):  # "Chicago" in every article, "Gillis" in one
        counts.count(ArticleSignals(f"x{n}", np.ones(DIMENSIONS, np.float32), frozenset({"Chicago"})))
    counts.count(ArticleSignals("y", np.ones(DIMENSIONS, np.float32), frozenset({"Gillis", "Chicago"})))
    rare, shared, _ = counts.shared(Counter({"Gillis": 1, "Chicago": 1}), Counter({"Gillis": 2, "Dayton": 1}),
                                    counts.terms)
    common, _, _ = counts.shared(Counter({"Chicago": 1}), Counter({"Chicago": 3}), counts.terms)
    assert shared == 1 and 0.0 < common < rare <= 1.0
    assert counts.shared(Counter({"Gillis": 1}), Counter({"Dayton": 1}), counts.terms)[:2] == (0.0, 0)


def test_shared_shares_sum_every_shared_name_so_two_rare_names_outweigh_one() -> None:
    counts = TermCounts()
    for n in range(20):  # "Chicago" in every article, "Gillis" and "Tyrone" in one
        counts.count(ArticleSignals(f"x{n}", np.ones(DIMENSIONS, np.float32), frozenset({"Chicago"})))
    counts.count(ArticleSignals("y", np.ones(DIMENSIONS, np.float32), frozenset({"Gillis", "Tyrone", "Chicago"})))
    story = Counter({"Gillis": 2, "Tyrone": 1, "Chicago": 3})
    both = counts.shared(Counter({"Gillis": 1, "Tyrone": 1, "Chicago": 1}), story, counts.terms)[2]
    one = counts.shared(Counter({"Gillis": 1, "Chicago": 1}), story, counts.terms)[2]
    city = counts.shared(Counter({"Chicago": 1}), story, counts.terms)[2]
    rare, _, _ = counts.shared(Counter({"Gillis": 1}), story, counts.terms)
    assert one - city == pytest.approx(rare)  # each shared name adds its own IDF share
    assert 0.0 < city < one < both
    assert counts.shared(Counter({"Dayton": 1}), story, counts.terms)[2] == 0.0


def test_a_young_stream_judges_rarity_as_if_it_had_a_hundred_articles() -> None:
    def counts_of(documents: int) -> TermCounts:
        counts = TermCounts()
        for n in range(documents):
            names = frozenset({"Tyrone"} if n < 2 else ())
            counts.count(ArticleSignals(f"x{n}", np.ones(DIMENSIONS, np.float32), names))
        return counts

    # A name in 2 of 3 articles is not yet known to be common: its share is the one it has in 2 of 100.
    assert counts_of(3).share_of_count(2) == pytest.approx(counts_of(100).share_of_count(2))
    assert counts_of(3).share_of_count(0) == pytest.approx(1.0)
    assert counts_of(400).share_of_count(2) > counts_of(100).share_of_count(2)  # past 100, the stream's own count
    young = counts_of(3)
    assert young.shared(Counter({"Tyrone": 1}), Counter({"Tyrone": 1}), young.terms)[0] == pytest.approx(
        counts_of(100).share_of_count(2)
    )


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


def test_learned_grouping_joins_a_follow_up_weeks_later_but_not_another_event_or_beyond_its_window() -> None:
    first = _signal("a1", 1, "dayton smith main", "34 2", 0)
    follow_up = _signal("a2", 2, "dayton smith main", "34 2", 40)  # the arrest, weeks later: same names, numbers
    other = _signal("b1", 3, "hawthorne gillis cerise", "20 13500", 40)  # another shooting the same day
    index = StoryIndex(GroupingOptions(learned=True))
    index.add_all([first, follow_up, other])
    assert index.story_of("a2") == index.story_of("a1") != index.story_of("b1")
    window = index.options.window.days
    beyond = StoryIndex(GroupingOptions(learned=True))
    beyond.add_all([first, replace(follow_up, published=DAY + timedelta(days=window + 30))])
    assert beyond.story_of("a1") != beyond.story_of("a2")


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


def _cosine_scorer(join: float, merge: float | None = None, window_days: float | None = None) -> PairScorer:
    """A scorer that looks at the embedding cosine only: probability sigmoid(10 cosine - 5)."""
    n = len(FEATURES)
    return PairScorer((10.0,) + (0.0,) * (n - 1), -5.0, (0.0,) * n, (1.0,) * n, join, 8, merge, window_days)


def _unit_signal(id: str, vector: list[float], day: int = 0) -> ArticleSignals:
    v = np.zeros(DIMENSIONS, dtype=np.float32)
    v[: len(vector)] = vector
    return ArticleSignals(id, v / np.linalg.norm(v), frozenset(), DAY + timedelta(days=day))


def test_a_grown_story_merges_with_a_near_story_at_the_merge_threshold_keeping_the_older_id() -> None:
    # a1 and b1 are far apart (cosine 0); a2 is between them, joins a1 (cosine 0.71 >= 0.6), and the grown
    # story's centroid has cosine 0.38 with b1's story: above a merge threshold of cosine 0.28, below 0.5.
    stream = [_unit_signal("a1", [1, 0]), _unit_signal("b1", [0, 1]), _unit_signal("a2", [1, 1])]
    join = 1 / (1 + math.exp(-1.0))  # cosine 0.6
    kept_apart = StoryIndex(GroupingOptions(learned=True), scorer=_cosine_scorer(join))
    kept_apart.add_all(stream)
    assert kept_apart.story_of("a2") == kept_apart.story_of("a1") != kept_apart.story_of("b1")
    high = StoryIndex(GroupingOptions(learned=True), scorer=_cosine_scorer(join, merge=0.5))
    high.add_all(stream)
    assert len(high) == 2
    merging = StoryIndex(GroupingOptions(learned=True), scorer=_cosine_scorer(join, merge=0.1))
    placements = merging.add_all(stream)
    first = merging.story_of("a1")
    assert merging.story_of("b1") == merging.story_of("a2") == first and len(merging) == 1
    assert placements[-1].merged == (placements[1].story,) and merging.merged() == {placements[1].story: first}
    restored = index_from_dict(json.loads(json.dumps(index_to_dict(merging))))
    assert restored.story_of("b1") == first


def test_the_scorers_window_is_the_join_window() -> None:
    first, later = _unit_signal("a1", [1, 0]), _unit_signal("a2", [1, 0], day=40)
    narrow = StoryIndex(GroupingOptions(learned=True), scorer=_cosine_scorer(0.5))
    narrow.add_all([first, later])
    assert narrow.options.window == timedelta(days=14) and narrow.story_of("a2") != narrow.story_of("a1")
    wide = StoryIndex(GroupingOptions(learned=True), scorer=_cosine_scorer(0.5, window_days=60))
    wide.add_all([first, later])
    assert wide.options.window == timedelta(days=60) and wide.story_of("a2") == wide.story_of("a1")


def test_a_scorer_written_before_merging_and_windows_were_learned_still_reads() -> None:
    old = {k: v for k, v in _cosine_scorer(0.5).to_dict().items() if k not in ("merge_threshold", "window_days")}
    scorer = PairScorer.from_dict(old)
    assert scorer.merge_threshold is None and scorer.window_days is None
    with pytest.raises(InputError, match="window_days"):
        PairScorer.from_dict({**old, "window_days": 0})


def test_linear_form_gives_the_probabilitys_log_odds() -> None:
    scorer = load_scorer()
    coefficients, offset = scorer.linear()
    rng = np.random.default_rng(3)
    for _ in range(200):
        features = pair_features(*rng.uniform(0, 1, 4), float(rng.uniform(0, 30)), bool(rng.integers(2)),
                                 int(rng.integers(1, 9)), *rng.uniform(0, 1, 2), int(rng.integers(0, 5)),
                                 float(rng.uniform(0, 3)))
        z = offset + sum(c * x for c, x in zip(coefficients, features, strict=True))
        assert logistic(z) == pytest.approx(scorer.probability(features), rel=1e-12, abs=1e-300)


def test_best_skips_only_candidates_that_cannot_win_the_same_story_and_score_as_scoring_all() -> None:
    rng = np.random.default_rng(7)
    names = [f"name{i}" for i in range(90)]
    stream = []
    for number in range(240):
        event = int(rng.integers(60))  # neighbouring events share names, as two shootings in one city do
        picked = rng.choice(names[event * 3 % 84 : event * 3 % 84 + 6], size=3, replace=False)
        stream.append(ArticleSignals(
            id=f"{event}-{number}", vector=_vector(f"e{event}", number), terms=frozenset(picked),
            published=DAY + timedelta(hours=number * 2), words=frozenset({"shooting", *picked}),
            numbers=frozenset({str(event % 7), str(int(rng.integers(3)))}), outlet=f"o{number % 5}.com",
        ))
    index = StoryIndex(GroupingOptions(learned=True))
    scorer, compared, skipped = index.scorer, 0, 0
    assert scorer is not None
    for signal in stream:
        article, vector = index._admit(signal)
        side = Side.of_article(article)
        candidates = index._candidates(vector, None, side)
        every = [
            (scorer.probability(index.matcher.features(state, cosine, side, gap)), state)
            for state, cosine, gap in index.matcher.within_window(candidates, side)
        ]
        expected: tuple[str | None, float | None] = (None, None)
        for score, state in every:
            if score >= scorer.threshold and (expected[1] is None or score > expected[1]):
                expected = (state.id, score)
        chosen, score = index.matcher.best(candidates, side)
        assert (None if chosen is None else chosen.id, score) == expected
        compared += len(every)
        weighted = index.matcher.weigh(side)
        skipped += sum(
            index.matcher.probability(state, cosine, side, gap, weighted, scorer.threshold) is None
            for state, cosine, gap in index.matcher.within_window(candidates, side)
        )
        index._put(article, vector, chosen, score)
    # many candidates compared, some of them skipped, many joins
    assert compared > 800 and 0 < skipped < compared and 1 < len(index) < len(stream) / 2
