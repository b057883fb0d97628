"""Why a story's articles are together: what each shares with the rest, and the nearest story kept apart.

A reader who doubts a grouping needs the evidence, not a score alone: for every article, the key terms
and numbers it shares with the story's other articles, its closest content words, how many days it sits
from the nearest of them and how similar its lead is to theirs; and the other story that came closest,
with what the two have in common.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np
import numpy.typing as npt

from newsroundup.grouping.signals import ArticleSignals
from newsroundup.grouping.stories import StoryIndex

SHOWN = 6  # key terms, numbers and words listed per article


@dataclass(frozen=True, slots=True)
class ArticleReason:
    """What one article shares with the rest of its story."""

    article: str
    cosine: float | None  # of its lead's embedding with the mean of the others' (None: alone in the story)
    terms: tuple[str, ...]  # key terms (names, places, salient words) the others also have, most shared first
    numbers: tuple[str, ...]
    words: tuple[str, ...]
    days_apart: float | None  # from the nearest other dated article
    copy_of: str | None = None  # a wire copy joins its original's story whatever it shares


@dataclass(frozen=True, slots=True)
class KeptApart:
    """The other story most similar to this one, and what the two share."""

    story: str
    cosine: float
    terms: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Why:
    """The reasons of every article of a story, in the story's order, and the nearest story kept apart."""

    story: str
    articles: tuple[ArticleReason, ...]
    nearest: KeptApart | None


def explain(story: str, signals: Sequence[ArticleSignals], index: StoryIndex | None = None) -> Why:
    """Why the articles of ``signals`` (one story, in its order) are together; ``index``: the saved grouping,
    for the nearest other story (none without it)."""
    units = [_unit(s.vector) for s in signals]
    reasons = tuple(_reason(i, signals, units) for i in range(len(signals)))
    return Why(story, reasons, _nearest(story, signals, units, index) if index is not None else None)


def _reason(i: int, signals: Sequence[ArticleSignals], units: Sequence[npt.NDArray[np.float32]]) -> ArticleReason:
    me = signals[i]
    others = [s for j, s in enumerate(signals) if j != i]
    cosine = None
    if others:
        mean = np.sum([u for j, u in enumerate(units) if j != i], axis=0)
        cosine = round(float(units[i] @ _unit(mean)), 3) if np.linalg.norm(mean) > 0 else None
    return ArticleReason(
        article=me.id,
        cosine=cosine,
        terms=_shared(me.terms, [s.terms for s in others]),
        numbers=_shared(me.numbers, [s.numbers for s in others]),
        words=_shared(me.words, [s.words for s in others]),
        days_apart=_days_apart(me.published, [s.published for s in others]),
        copy_of=me.copy_of,
    )


def _shared(mine: frozenset[str], theirs: Sequence[frozenset[str]]) -> tuple[str, ...]:
    """The items of ``mine`` other articles also have, the most widely shared first (then alphabetically)."""
    counts = Counter(item for other in theirs for item in other & mine)
    return tuple(item for item, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:SHOWN])


def _days_apart(when: datetime | None, others: Sequence[datetime | None]) -> float | None:
    dated = [abs((when - other).total_seconds()) / 86400 for other in others if when is not None and other is not None]
    return round(min(dated), 1) if dated else None


def _nearest(story: str, signals: Sequence[ArticleSignals], units: Sequence[npt.NDArray[np.float32]],
             index: StoryIndex) -> KeptApart | None:
    """The other story of ``index`` whose centroid is closest to this story's articles (archived ones excluded)."""
    if not units:
        return None
    mine = _unit(np.sum(units, axis=0))
    terms: set[str] = set().union(*(s.terms for s in signals))
    own = {index.resolve(story)}
    best: KeptApart | None = None
    for state in index.states.values():
        if state.id in own or state.archived or not np.any(state.total):
            continue
        cosine = round(float(mine @ state.centroid()), 3)
        if best is None or cosine > best.cosine:
            shared = tuple(sorted(terms & set(state.terms), key=lambda t: (-state.terms[t], t))[:SHOWN])
            best = KeptApart(state.id, cosine, shared)
    return best


def _unit(vector: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    array = np.asarray(vector, dtype=np.float32).reshape(-1)
    norm = float(np.linalg.norm(array))
    return array / norm if norm > 0 else array
