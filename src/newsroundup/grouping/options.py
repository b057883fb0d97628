"""The thresholds and bounds of story grouping (``GroupingOptions``), with the values chosen on dev streams."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import timedelta


@dataclass(frozen=True, slots=True)
class GroupingOptions:
    """Thresholds and bounds of grouping.

    Every value was chosen on the project's own invented streams (``benchmarks/bench_stories_dev.py``:
    the development stream of same-topic events and the test stream, in date order, dated and
    undated shuffles), never on benchmark data; see BENCHMARKS.md, Stories.

    A score is the cosine of two embeddings plus ``term_weight`` times the overlap of their key
    terms (names) plus ``word_weight`` times the overlap of their content words (each 0..1, IDF
    weighted, the IDF learned from the stream so far; words count only between sides that share a
    name, or where one side names no one), minus ``time_penalty`` for each day between the
    article and the story's coverage. An article joins the best story scoring at least ``join``;
    two stories merge at ``merge``. Dated coverage only joins a story whose dates are within
    ``window`` of it; stories not updated for ``retention`` before the newest date, or
    beyond the ``max_active`` most recently updated, leave the active set searched for new
    articles (a late article dated within their coverage still finds them). Of those retired
    stories at most ``max_retired`` are kept findable: beyond that, the one retired longest ago
    (in arrival order, not by its dates, so a shuffled stream's late articles still find stories
    far older than its newest date) is archived: its vector and terms are dropped, so the saved
    state stops growing with it, and nothing joins it any more.

    With ``learned``, the score is instead the probability given by the learned pair scorer
    (grouping/scorer.py: embedding, names, words, numbers, the rarest name and number shared, days,
    outlet), an article joins its best story when that reaches the scorer's own threshold, the
    scorer's number of nearest stories are scored, and a story that grew merges with a near story
    only when their profiles score the scorer's merge threshold; ``join``, ``merge``, the weights and
    the penalty are then unused, and the window is the scorer's (fitted with its weights) when it has
    one; the active-set bounds still hold.
    """

    join: float = 0.8
    merge: float = 1.25
    term_weight: float = 1.0
    word_weight: float = 1.0
    time_penalty: float = 0.02
    window: timedelta = timedelta(days=14)
    retention: timedelta = timedelta(days=21)
    max_active: int = 4096
    candidates: int = 8
    max_retired: int = 4096
    learned: bool = False

    def record(self, unit: timedelta = timedelta(seconds=1), suffix: str = "_seconds") -> dict[str, float]:
        """Every option by name, durations as numbers of ``unit`` under their name + ``suffix``."""
        values: dict[str, float] = {}
        for option in fields(self):
            value = getattr(self, option.name)
            if isinstance(value, timedelta):
                values[option.name + suffix] = value / unit
            else:
                values[option.name] = value
        return values
