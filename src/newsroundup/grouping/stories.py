"""Incremental grouping of articles into stories: each article joins a recent story or starts one."""

from __future__ import annotations

import base64
import bisect
import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
import numpy.typing as npt

from newsroundup.errors import InputError
from newsroundup.grouping.scorer import PairScorer, load_scorer, pair_features
from newsroundup.grouping.signals import (
    MAX_TOKENS,
    WORDS_PER_ARTICLE,
    ArticleSignals,
    article_signals,
    grouping_date,
    grouping_text,
)
from newsroundup.grouping.vectors import DEFAULT_BACKEND, DIMENSIONS, Backend
from newsroundup.model import Article, Story, story_id
from newsroundup.text.dates import parse_iso_datetime

STATE_FORMAT = 3  # 2: centroid sums saved as float32; 3: content words (format 2 is read without them)
STORY_WORDS = 100  # a story keeps its most used content words: at most twice this many between prunings
__all__ = [  # the article side (grouping/signals.py) is re-exported: callers need only this module
    "MAX_TOKENS",
    "STORY_WORDS",
    "WORDS_PER_ARTICLE",
    "ArticleSignals",
    "GroupingOptions",
    "Placement",
    "StoryIndex",
    "article_signals",
    "group_articles",
    "grouping_date",
    "grouping_text",
    "story_id",
]

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
    articles (a late article dated within their coverage still finds them); after
    ``archive_after`` they are archived: their vector and terms are dropped, so the saved state
    stops growing with them, and nothing joins them any more.

    With ``learned``, the score is instead the probability given by the learned pair scorer
    (grouping/scorer.py: embedding, names, words, numbers, days, outlet), an article joins its best
    story when that reaches the scorer's own threshold, the scorer's number of nearest stories are
    scored, and stories are not merged afterwards; ``join``, ``merge``, the weights and the
    penalty are then unused, the window and the active-set bounds still hold.
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
    archive_after: timedelta = timedelta(days=60)
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


@dataclass(frozen=True, slots=True)
class Placement:
    """Where one article went: its story, whether that story is new, and stories merged into it."""

    article: str
    story: str
    created: bool
    merged: tuple[str, ...] = ()
    score: float | None = None


@dataclass(slots=True)
class _StoryState:
    """The running aggregate of one story (mutable; internal to :class:`StoryIndex`)."""

    id: str
    seq: int
    article_ids: list[str]
    total: npt.NDArray[np.float32]  # sum of the members' unit vectors
    terms: Counter[str]
    first_seen: datetime | None = None
    last_seen: datetime | None = None
    slot: int | None = None
    words: Counter[str] = field(default_factory=Counter)
    numbers: Counter[str] = field(default_factory=Counter)
    outlets: Counter[str] = field(default_factory=Counter)

    def centroid(self) -> npt.NDArray[np.float32]:
        """The normalised mean of the members' embeddings."""
        norm = float(np.linalg.norm(self.total))
        return (self.total / max(norm, 1e-12)).astype(np.float32)

    @property
    def archived(self) -> bool:
        """True once the story's vector and terms were dropped (no article can join it)."""
        return self.total.size == 0

    def add_words(self, words: Iterable[str] | Counter[str]) -> None:
        """Count ``words`` into the story's profile, keeping it bounded (see ``STORY_WORDS``).

        Only the most used words of a story weigh in its profile, and walking a long story's whole
        vocabulary for every comparison would make large stories ever slower to match.
        """
        self.words = _bounded(self.words, words)

    def add_numbers(self, numbers: Iterable[str] | Counter[str]) -> None:
        """Count ``numbers`` into the story's profile, bounded as the words are."""
        self.numbers = _bounded(self.numbers, numbers)

    def archive(self) -> None:
        """Drop what only matching needs, keeping the articles and dates."""
        self.total = np.zeros(0, dtype=np.float32)
        self.terms = Counter()
        self.words = Counter()
        self.numbers = Counter()
        self.outlets = Counter()


class StoryIndex:
    """Stories built one article at a time; only recently updated stories are searched.

    Placing an article costs one matrix-vector product over at most ``max_active`` story
    centroids plus term overlaps for a few candidates, whatever the size of the archive.
    The same articles in the same order always give the same stories and ids.
    """

    def __init__(self, options: GroupingOptions | None = None, scorer: PairScorer | None = None) -> None:
        self.options = options or GroupingOptions()
        # The learned pair scorer (``options.learned``): the shipped one unless another is given (training).
        self.scorer = (scorer or load_scorer()) if self.options.learned else None
        self._stories: dict[str, _StoryState] = {}
        self._story_of: dict[str, str] = {}
        self._merged_into: dict[str, str] = {}
        self._df: Counter[str] = Counter()
        self._word_df: Counter[str] = Counter()
        self._number_df: Counter[str] = Counter()
        self._documents = 0
        self._next_seq = 0
        self._newest: datetime | None = None
        capacity = 64
        self._matrix = np.zeros((capacity, DIMENSIONS), dtype=np.float32)
        self._slot_story: list[str | None] = [None] * capacity
        self._live = np.zeros(capacity, dtype=bool)
        self._slot_last = np.full(capacity, np.nan)  # last_seen as POSIX seconds, NaN when undated
        self._slot_touched = np.zeros(capacity, dtype=np.int64)
        self._free: list[int] = list(range(capacity - 1, -1, -1))
        self._active = 0
        # Dated stories out of the active set, by (last seen, seq, id): searched only for late articles.
        self._retired: list[tuple[float, int, str]] = []

    # -- reading ------------------------------------------------------------------------------

    def __len__(self) -> int:
        """Number of stories (merged-away stories not counted)."""
        return len(self._stories)

    def stories(self) -> list[Story]:
        """All stories, oldest first, as records."""
        return [self._record(state) for state in self._stories.values()]

    def story(self, id: str) -> Story:
        """The story ``id`` (or the story it was merged into)."""
        state = self._stories.get(self.resolve(id))
        if state is None:
            raise InputError(f"no story with id {id!r}")
        return self._record(state)

    def story_of(self, article_id: str) -> str | None:
        """The id of the story holding ``article_id``, or None when it was never added."""
        story = self._story_of.get(article_id)
        return None if story is None else self.resolve(story)

    def resolve(self, id: str) -> str:
        """The surviving story id for ``id``, following merges."""
        while id in self._merged_into:
            id = self._merged_into[id]
        return id

    def merged(self) -> dict[str, str]:
        """Every merged-away story id and the story id it now lives on as."""
        return {old: self.resolve(old) for old in self._merged_into}

    def active_ids(self) -> list[str]:
        """Ids of the stories new articles are compared with, oldest first."""
        return [s.id for s in self._stories.values() if s.slot is not None]

    # -- writing ------------------------------------------------------------------------------

    def add_all(self, articles: Iterable[ArticleSignals]) -> list[Placement]:
        """Add articles in order; return their placements."""
        return [self.add(article) for article in articles]

    def add(self, article: ArticleSignals) -> Placement:
        """Put ``article`` into the best matching active story, or start a story with it."""
        known = self._story_of.get(article.id)
        if known is not None:
            return Placement(article.id, self.resolve(known), created=False)
        article, vector = self._admit(article)
        best, score = self._best_story(
            vector,
            Counter(article.terms),
            Counter(article.words),
            1,
            article.published,
            numbers=Counter(article.numbers),
            outlet=article.outlet,
        )
        return self._put(article, vector, best, score)

    def replay(self, article: ArticleSignals, story: str | None) -> tuple[str, list[tuple[str, tuple[float, ...]]]]:
        """Put ``article`` into ``story`` (a new story when None), as a known grouping has it.

        Returns the story it went to and the learned scorer's features of every candidate story
        matching would have scored for it (the training pairs of ``benchmarks/train_story_scorer.py``).
        """
        if self._story_of.get(article.id) is not None:
            raise InputError(f"article {article.id!r} was already placed")
        article, vector = self._admit(article)
        size, when = 1, article.published
        terms, words, numbers = Counter(article.terms), Counter(article.words), Counter(article.numbers)
        pairs = []
        for state, cosine in self._candidates(vector, None, when):
            gap = self._gap(state, when, when)
            if gap is None or gap <= self.options.window:
                features = self._pair_features(state, cosine, terms, words, numbers, article.outlet, size, gap)
                pairs.append((state.id, features))
        target = None if story is None else self._stories[self.resolve(story)]
        if target is not None and target.archived:
            target = None  # as in matching: nothing joins an archived story, the article starts another
        placed = self._put(article, vector, target, None, merge=False)
        return placed.story, pairs

    def _admit(self, article: ArticleSignals) -> tuple[ArticleSignals, npt.NDArray[np.float32]]:
        """Count ``article`` into the stream's statistics (and move time on); its unit vector."""
        vector = _unit(article.vector)
        if article.published is not None and article.published.tzinfo is None:
            article = replace(article, published=article.published.replace(tzinfo=UTC))  # as text/dates does
        self._documents += 1
        self._df.update(article.terms)
        self._word_df.update(article.words)
        self._number_df.update(article.numbers)
        if article.published is not None and (self._newest is None or article.published > self._newest):
            self._newest = article.published
            self._expire()
        return article, vector

    def _put(
        self,
        article: ArticleSignals,
        vector: npt.NDArray[np.float32],
        best: _StoryState | None,
        score: float | None,
        merge: bool = True,
    ) -> Placement:
        """Add ``article`` to ``best`` (a new story when None), then merge stories that converged."""
        created = best is None
        if best is None:
            best = self._new_story(article.id)
        elif best.slot is None:
            self._unretire(best)
        best.article_ids.append(article.id)
        best.total += vector
        best.terms.update(article.terms)
        best.add_words(article.words)
        best.add_numbers(article.numbers)
        if article.outlet:
            best.outlets[article.outlet] += 1
        if article.published is not None:
            best.first_seen = min(best.first_seen or article.published, article.published)
            best.last_seen = max(best.last_seen or article.published, article.published)
        self._story_of[article.id] = best.id
        self._place(best)
        merged = self._merge_converged(best) if merge else ()
        return Placement(article.id, self.resolve(best.id), created, merged, score)

    # -- matching -----------------------------------------------------------------------------

    def _best_story(
        self,
        vector: npt.NDArray[np.float32],
        terms: Counter[str],
        words: Counter[str],
        size: int,
        when: datetime | None,
        first: datetime | None = None,
        exclude: str | None = None,
        threshold: float | None = None,
        numbers: Counter[str] | None = None,
        outlet: str | None = None,
    ) -> tuple[_StoryState | None, float | None]:
        """The best active story scoring at least the threshold, and its score."""
        opts = self.options
        threshold = opts.join if threshold is None else threshold
        best: _StoryState | None = None
        best_score: float | None = None
        candidates = self._candidates(vector, exclude, when)
        if self.scorer is not None:
            for state, cosine in candidates:
                gap = self._gap(state, first or when, when)
                if gap is not None and gap > opts.window:
                    continue
                features = self._pair_features(state, cosine, terms, words, numbers or Counter(), outlet, size, gap)
                score = self.scorer.probability(features)
                if score >= self.scorer.threshold and (best_score is None or score > best_score):
                    best, best_score = state, score
            return best, best_score
        for state, cosine in candidates:
            if cosine + opts.term_weight + opts.word_weight < threshold:
                break  # candidates come best first: no term overlap can lift the rest
            gap = self._gap(state, first or when, when)
            if gap is not None and gap > opts.window:
                continue
            names = self._overlap(terms, size, state.terms, state, self._df)
            score = cosine + opts.term_weight * names
            if gap is not None:
                score -= opts.time_penalty * gap / timedelta(days=1)
            # Shared vocabulary counts only between sides that share a name (or where one side names
            # no one): two strikes in two cities the same week are worded alike but are two stories.
            if opts.word_weight and (names > 0 or not terms or not state.terms):
                score += opts.word_weight * self._overlap(words, size, state.words, state, self._word_df)
            if score >= threshold and (best_score is None or score > best_score):
                best, best_score = state, score
        return best, best_score

    def _candidates(
        self, vector: npt.NDArray[np.float32], exclude: str | None, when: datetime | None
    ) -> list[tuple[_StoryState, float]]:
        """The stories an article (or story) near ``vector`` dated ``when`` is scored against, best first."""
        candidates = self._nearest(vector, exclude)
        if exclude is None and when is not None and self._retired:
            candidates += self._retired_near(vector, when)
            candidates.sort(key=lambda pair: (-pair[1], pair[0].seq))
        return candidates

    def _pair_features(
        self,
        state: _StoryState,
        cosine: float,
        terms: Counter[str],
        words: Counter[str],
        numbers: Counter[str],
        outlet: str | None,
        size: int,
        gap: timedelta | None,
    ) -> tuple[float, ...]:
        """The learned scorer's features of one side (``size`` articles) against the story ``state``."""
        return pair_features(
            cosine,
            self._overlap(terms, size, state.terms, state, self._df),
            self._overlap(words, size, state.words, state, self._word_df),
            self._overlap(numbers, size, state.numbers, state, self._number_df),
            None if gap is None else gap / timedelta(days=1),
            outlet is not None and outlet in state.outlets,
            len(state.article_ids),
        )

    def _candidate_count(self) -> int:
        """How many nearest active stories are scored: the scorer's count when learned."""
        return self.scorer.candidates if self.scorer is not None else self.options.candidates

    def _nearest(
        self, vector: npt.NDArray[np.float32], exclude: str | None
    ) -> list[tuple[_StoryState, float]]:
        """Up to ``candidates`` active stories by centroid cosine, best first (ties: oldest)."""
        if self._active == 0:
            return []
        # einsum, not BLAS: one thread, so no spin-waiting threads on a busy machine (4x faster here).
        cosines = np.einsum("ij,j->i", self._matrix, vector)
        cosines[~self._live] = -np.inf
        found: list[tuple[_StoryState, float]] = []
        count = self._candidate_count()
        for slot in _highest(cosines, min(count + 1, self._active)):
            id = self._slot_story[int(slot)]
            if id is not None and id != exclude:
                found.append((self._stories[id], float(cosines[slot])))
        found.sort(key=lambda pair: (-pair[1], pair[0].seq))
        return found[:count]

    def _retired_near(
        self, vector: npt.NDArray[np.float32], when: datetime
    ) -> list[tuple[_StoryState, float]]:
        """The retired stories nearest ``vector`` that a late article dated ``when`` could belong to.

        Only stories last seen after ``when - window`` are looked at, and of those only the
        ``candidates`` nearest are returned: stories pushed out of the active set by its size bound
        are recent, and scoring every one of them would make a busy stream ever slower to place.
        """
        start = bisect.bisect_left(self._retired, ((when - self.options.window).timestamp(),))
        states = [self._stories[id] for _, _, id in self._retired[start:]]
        states = [state for state in states if not state.archived and self._close_in_time(state, when, when)]
        if not states:
            return []
        totals = np.stack([state.total for state in states])
        norms = np.maximum(np.sqrt(np.einsum("ij,ij->i", totals, totals)), 1e-12)
        cosines = np.einsum("ij,j->i", totals, vector) / norms
        return [(states[int(i)], float(cosines[i])) for i in _highest(cosines, self._candidate_count())]

    def _gap(self, state: _StoryState, first: datetime | None, last: datetime | None) -> timedelta | None:
        """Time between ``state``'s coverage and ``first``..``last`` (zero if they overlap); None if undated."""
        if first is None or last is None or state.first_seen is None or state.last_seen is None:
            return None
        return max(state.first_seen - last, first - state.last_seen, timedelta(0))

    def _close_in_time(self, state: _StoryState, first: datetime | None, last: datetime | None) -> bool:
        """True unless both sides are dated and their coverage is more than ``window`` apart."""
        gap = self._gap(state, first, last)
        return gap is None or gap <= self.options.window

    def _overlap(
        self, terms: Counter[str], size: int, other: Counter[str], state: _StoryState, df: Counter[str]
    ) -> float:
        """Cosine of the IDF-weighted profiles (key terms or content words) of two sides (0..1).

        A term weighs by the share of a side's articles using it, so a large story's passing
        mentions count for little; ``df`` holds the document frequencies of that kind of term.
        """
        idf: dict[str, float] = {}
        dot = norm_a = norm_b = 0.0
        other_size = len(state.article_ids)
        for term, count in terms.items():
            idf[term] = weight = self._idf(term, df)
            a = weight * count / size
            norm_a += a * a
            if term in other:
                dot += a * weight * other[term] / other_size
        for term, count in other.items():
            weight = idf[term] if term in idf else self._idf(term, df)
            b = weight * count / other_size
            norm_b += b * b
        return dot / math.sqrt(norm_a * norm_b) if dot else 0.0

    def _idf(self, term: str, df: Counter[str]) -> float:
        """Smoothed inverse document frequency of ``term`` among the articles seen so far."""
        return math.log((1 + self._documents) / (1 + df.get(term, 0))) + 1.0

    def _merge_converged(self, state: _StoryState) -> tuple[str, ...]:
        """Merge into one any active story whose coverage has converged with ``state``'s."""
        merged: list[str] = []
        while self.scorer is None:  # the learned scorer was trained on article-story pairs only
            other, _ = self._best_story(
                state.centroid(),
                state.terms,
                state.words,
                len(state.article_ids),
                state.last_seen,
                first=state.first_seen,
                exclude=state.id,
                threshold=self.options.merge,
            )
            if other is None:
                return tuple(merged)
            keep, gone = (other, state) if other.seq < state.seq else (state, other)
            self._absorb(keep, gone)
            merged.append(gone.id)
            state = keep
        return tuple(merged)

    def _absorb(self, keep: _StoryState, gone: _StoryState) -> None:
        """Move every article of ``gone`` into ``keep`` and retire ``gone``'s id as an alias."""
        keep.article_ids.extend(gone.article_ids)
        keep.total += gone.total
        keep.terms.update(gone.terms)
        keep.add_words(gone.words)
        keep.add_numbers(gone.numbers)
        keep.outlets.update(gone.outlets)
        dated = [d for d in (keep.first_seen, gone.first_seen) if d is not None]
        keep.first_seen = min(dated) if dated else None
        dated = [d for d in (keep.last_seen, gone.last_seen) if d is not None]
        keep.last_seen = max(dated) if dated else None
        self._unplace(gone)
        del self._stories[gone.id]
        self._merged_into[gone.id] = keep.id
        self._place(keep)

    # -- the active window --------------------------------------------------------------------

    def _new_story(self, first_article: str) -> _StoryState:
        """A new empty story named after ``first_article``."""
        id = story_id(first_article)
        while id in self._stories or id in self._merged_into:  # a re-used article id: keep ids unique
            id = story_id(id)
        state = _StoryState(id, self._next_seq, [], np.zeros(DIMENSIONS, dtype=np.float32), Counter())
        self._next_seq += 1
        self._stories[id] = state
        return state

    def _place(self, state: _StoryState) -> None:
        """Write ``state``'s centroid into its row of the active matrix (taking a row if needed)."""
        if state.slot is None:
            if not self._free:
                self._grow()
            state.slot = self._free.pop()
            self._slot_story[state.slot] = state.id
            self._live[state.slot] = True
            self._active += 1
        self._matrix[state.slot] = state.centroid()
        self._slot_last[state.slot] = state.last_seen.timestamp() if state.last_seen else np.nan
        self._slot_touched[state.slot] = self._documents
        if self._active > self.options.max_active:
            self._evict_stalest(keep=state.slot)

    def _unplace(self, state: _StoryState, retire: bool = False) -> None:
        """Take ``state`` out of the active matrix; ``retire`` keeps it findable for late articles."""
        if state.slot is None:
            return
        if retire and state.last_seen is not None:
            bisect.insort(self._retired, (state.last_seen.timestamp(), state.seq, state.id))
        elif retire:
            state.archive()  # undated: no late article could ever be matched to it by time
        self._matrix[state.slot] = 0.0
        self._slot_story[state.slot] = None
        self._live[state.slot] = False
        self._slot_last[state.slot] = np.nan
        self._free.append(state.slot)
        state.slot = None
        self._active -= 1

    def _unretire(self, state: _StoryState) -> None:
        """Drop ``state`` from the retired list (it is coming back to the active set or merging)."""
        if state.last_seen is None:
            return
        key = (state.last_seen.timestamp(), state.seq, state.id)
        at = bisect.bisect_left(self._retired, key)
        if at < len(self._retired) and self._retired[at] == key:
            del self._retired[at]

    def _grow(self) -> None:
        """Double the active matrix."""
        old = len(self._slot_story)
        self._matrix = np.vstack([self._matrix, np.zeros((old, DIMENSIONS), dtype=np.float32)])
        self._slot_story.extend([None] * old)
        self._live = np.concatenate([self._live, np.zeros(old, dtype=bool)])
        self._slot_last = np.concatenate([self._slot_last, np.full(old, np.nan)])
        self._slot_touched = np.concatenate([self._slot_touched, np.zeros(old, dtype=np.int64)])
        self._free.extend(range(2 * old - 1, old - 1, -1))

    def _expire(self) -> None:
        """Retire stories last updated more than ``retention`` before the newest date seen."""
        assert self._newest is not None
        cutoff = (self._newest - self.options.retention).timestamp()
        with np.errstate(invalid="ignore"):
            stale = np.flatnonzero(self._slot_last < cutoff)
        for slot in stale:
            id = self._slot_story[int(slot)]
            if id is not None:
                self._unplace(self._stories[id], retire=True)
        horizon = bisect.bisect_left(self._retired, ((self._newest - self.options.archive_after).timestamp(),))
        for _, _, id in self._retired[:horizon]:
            self._stories[id].archive()
        del self._retired[:horizon]

    def _evict_stalest(self, keep: int) -> None:
        """Retire the least recently updated active story (never the row ``keep``)."""
        touched = np.where(self._live, self._slot_touched, np.iinfo(np.int64).max)
        touched[keep] = np.iinfo(np.int64).max
        id = self._slot_story[int(np.argmin(touched))]
        if id is not None:
            self._unplace(self._stories[id], retire=True)

    def _record(self, state: _StoryState) -> Story:
        """The public record of ``state``."""
        return Story(state.id, tuple(state.article_ids), state.first_seen, state.last_seen)

    # -- state --------------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """The whole state as JSON-ready data; :meth:`from_dict` restores it exactly."""
        return {
            "format": STATE_FORMAT,
            "options": self.options.record(),
            "documents": self._documents,
            "next_seq": self._next_seq,
            "newest": _iso(self._newest),
            "capacity": len(self._slot_story),
            "free": list(self._free),
            "touched": {str(i): int(t) for i, t in enumerate(self._slot_touched) if t},
            "df": dict(self._df),
            "word_df": dict(self._word_df),
            "number_df": dict(self._number_df),
            "merged_into": dict(self._merged_into),
            "stories": [
                {
                    "id": s.id,
                    "seq": s.seq,
                    "articles": list(s.article_ids),
                    "total": base64.b64encode(s.total.astype("<f4").tobytes()).decode("ascii"),
                    "terms": dict(s.terms),
                    "words": dict(s.words),
                    "numbers": dict(s.numbers),
                    "outlets": dict(s.outlets),
                    "first_seen": _iso(s.first_seen),
                    "last_seen": _iso(s.last_seen),
                    "slot": s.slot,
                }
                for s in self._stories.values()
            ],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> StoryIndex:
        """Rebuild an index saved with :meth:`to_dict`."""
        try:
            if data.get("format") not in {2, STATE_FORMAT}:
                raise InputError(
                    f"saved story state has format {data.get('format')!r}, this version reads formats 2 "
                    f"and {STATE_FORMAT}: group the articles again from an empty state"
                )
            raw = data["options"]
            options = GroupingOptions(
                join=float(raw["join"]),
                merge=float(raw["merge"]),
                term_weight=float(raw["term_weight"]),
                word_weight=float(raw.get("word_weight", 0.0)),
                time_penalty=float(raw.get("time_penalty", 0.0)),
                window=timedelta(seconds=float(raw["window_seconds"])),
                retention=timedelta(seconds=float(raw["retention_seconds"])),
                max_active=int(raw["max_active"]),
                candidates=int(raw["candidates"]),
                archive_after=timedelta(seconds=float(raw["archive_after_seconds"])),
                learned=bool(raw.get("learned", False)),
            )
            index = cls(options)
            capacity = int(data["capacity"])
            index._matrix = np.zeros((capacity, DIMENSIONS), dtype=np.float32)
            index._slot_story = [None] * capacity
            index._live = np.zeros(capacity, dtype=bool)
            index._slot_last = np.full(capacity, np.nan)
            index._slot_touched = np.zeros(capacity, dtype=np.int64)
            for slot, touched in data["touched"].items():
                index._slot_touched[int(slot)] = int(touched)
            index._free = [int(slot) for slot in data["free"]]
            index._documents = int(data["documents"])
            index._next_seq = int(data["next_seq"])
            index._newest = _parse(data["newest"])
            index._df = Counter({str(k): int(v) for k, v in data["df"].items()})
            index._word_df = Counter({str(k): int(v) for k, v in data.get("word_df", {}).items()})
            index._number_df = Counter({str(k): int(v) for k, v in data.get("number_df", {}).items()})
            index._merged_into = {str(k): str(v) for k, v in data["merged_into"].items()}
            for raw_story in data["stories"]:
                index._restore(raw_story)
            index._retired = sorted(
                (s.last_seen.timestamp(), s.seq, s.id)
                for s in index._stories.values()
                if s.slot is None and s.last_seen is not None and not s.archived
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise InputError(f"story state is malformed ({type(exc).__name__}: {exc})") from exc
        return index

    def _restore(self, raw: Mapping[str, Any]) -> None:
        """Add one saved story back, in its saved row of the active matrix."""
        total = np.frombuffer(base64.b64decode(raw["total"]), dtype="<f4").astype(np.float32)
        if total.shape not in {(DIMENSIONS,), (0,)}:
            raise ValueError(f"story {raw['id']} has a vector of {total.shape[0]} numbers")
        state = _StoryState(
            id=str(raw["id"]),
            seq=int(raw["seq"]),
            article_ids=[str(a) for a in raw["articles"]],
            total=total,
            terms=Counter({str(k): int(v) for k, v in raw["terms"].items()}),
            words=Counter({str(k): int(v) for k, v in raw.get("words", {}).items()}),
            numbers=Counter({str(k): int(v) for k, v in raw.get("numbers", {}).items()}),
            outlets=Counter({str(k): int(v) for k, v in raw.get("outlets", {}).items()}),
            first_seen=_parse(raw["first_seen"]),
            last_seen=_parse(raw["last_seen"]),
        )
        self._stories[state.id] = state
        for article in state.article_ids:
            self._story_of[article] = state.id
        if raw["slot"] is not None:
            state.slot = int(raw["slot"])
            self._slot_story[state.slot] = state.id
            self._live[state.slot] = True
            self._matrix[state.slot] = state.centroid()
            self._slot_last[state.slot] = state.last_seen.timestamp() if state.last_seen else np.nan
            self._active += 1


def group_articles(
    articles: Sequence[Article], options: GroupingOptions | None = None, backend: Backend = DEFAULT_BACKEND
) -> list[Story]:
    """Group ``articles`` (in the order given) into stories from scratch."""
    index = StoryIndex(options)
    index.add_all(article_signals(articles, backend=backend))
    return index.stories()


def _bounded(profile: Counter[str], added: Iterable[str] | Counter[str]) -> Counter[str]:
    """``profile`` with ``added`` counted in, cut to its ``STORY_WORDS`` most used items past twice that."""
    profile.update(added)
    if len(profile) > 2 * STORY_WORDS:
        ranked = sorted(profile.items(), key=lambda item: (-item[1], item[0]))[:STORY_WORDS]
        return Counter(dict(ranked))
    return profile


def _highest(values: npt.NDArray[np.float32], k: int) -> npt.NDArray[np.intp]:
    """Positions of the ``k`` highest ``values`` (all of them when there are no more), in no order."""
    if k >= len(values):
        return np.arange(len(values))
    return np.argpartition(-values, k - 1)[:k]


def _unit(vector: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    """``vector`` as a float32 unit vector; a wrongly shaped vector is an input error."""
    array = np.asarray(vector, dtype=np.float32).reshape(-1)
    if array.shape != (DIMENSIONS,):
        raise InputError(f"article vector has {array.shape[0]} numbers, expected {DIMENSIONS}")
    norm = float(np.linalg.norm(array))
    if not math.isfinite(norm) or norm == 0.0:
        raise InputError("article vector is zero or not finite")
    return array / norm


def _iso(when: datetime | None) -> str | None:
    """``when`` as ISO 8601 text."""
    return None if when is None else when.isoformat()


def _parse(text: str | None) -> datetime | None:
    """ISO 8601 text back to a datetime."""
    return None if text is None else parse_iso_datetime(text)

