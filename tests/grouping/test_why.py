"""Why a story's articles are together: shared terms, numbers, words, days, similarity; the story kept apart."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np

from newsroundup.grouping.options import GroupingOptions
from newsroundup.grouping.signals import ArticleSignals
from newsroundup.grouping.stories import StoryIndex
from newsroundup.grouping.vectors import DIMENSIONS
from newsroundup.grouping.why import explain

DAY = datetime(2025, 3, 1, tzinfo=UTC)


def _vector(*weights: tuple[int, float]) -> np.ndarray:
    vector = np.zeros(DIMENSIONS, dtype=np.float32)
    for axis, weight in weights:
        vector[axis] = weight
    return vector


def _fire(id: str, days: int, terms: set[str], numbers: set[str], copy_of: str | None = None) -> ArticleSignals:
    return ArticleSignals(id, _vector((0, 1.0), (1, 0.1 * days)), frozenset(terms), DAY + timedelta(days=days),
                          frozenset({"fire", "evacuated"}), frozenset(numbers), copy_of=copy_of)


def test_each_article_shows_what_it_shares_with_the_others() -> None:
    fire = [
        _fire("a", 0, {"kestrel ridge", "dunmere"}, {"400"}),
        _fire("b", 1, {"kestrel ridge", "mayor vance"}, {"400", "12"}),
        _fire("c", 3, {"kestrel ridge", "dunmere"}, {"12"}, copy_of="b"),
    ]
    why = explain("s1", fire)
    a, b, c = why.articles
    assert a.terms == ("kestrel ridge", "dunmere") and a.numbers == ("400",) and a.days_apart == 1.0
    assert b.terms == ("kestrel ridge",) and b.numbers == ("12", "400")
    assert c.copy_of == "b" and c.days_apart == 2.0 and c.words == ("evacuated", "fire")
    assert a.cosine is not None and a.cosine > 0.9
    assert why.nearest is None  # no saved grouping given


def test_a_lone_article_is_alone_and_the_nearest_other_story_is_named_with_what_it_shares() -> None:
    index = StoryIndex(GroupingOptions())
    index.add(ArticleSignals("fire", _vector((0, 1.0)), frozenset({"kestrel ridge"}), DAY))
    index.add(ArticleSignals("flood", _vector((0, 0.2), (2, 1.0)), frozenset({"kestrel ridge", "river"}), DAY))
    index.add(ArticleSignals("vote", _vector((3, 1.0)), frozenset({"council"}), DAY))
    fire_story = index.story_of("fire")
    assert fire_story is not None and index.story_of("flood") != fire_story
    why = explain(fire_story, [ArticleSignals("fire", _vector((0, 1.0)), frozenset({"kestrel ridge"}), DAY)], index)
    assert why.articles[0].cosine is None and why.articles[0].terms == ()
    assert why.nearest is not None and why.nearest.story == index.story_of("flood")
    assert why.nearest.terms == ("kestrel ridge",) and 0.15 < why.nearest.cosine < 0.25
