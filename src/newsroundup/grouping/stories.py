"""The story index: articles placed one at a time, each joining a recent story or starting one."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

import numpy as np
import numpy.typing as npt

from newsroundup.errors import InputError
from newsroundup.grouping.active import ActiveSet
from newsroundup.grouping.match import Candidates, Matcher, Side, TermCounts
from newsroundup.grouping.options import GroupingOptions
from newsroundup.grouping.scorer import PairScorer, load_scorer
from newsroundup.grouping.signals import ArticleSignals, article_signals
from newsroundup.grouping.story import StoryState
from newsroundup.grouping.vectors import DEFAULT_BACKEND, DIMENSIONS, Backend
from newsroundup.model import Article, Story, story_id


@dataclass(frozen=True, slots=True)
class Placement:
    """Where one article went: its story, whether that story is new, and stories merged into it."""

    article: str
    story: str
    created: bool
    merged: tuple[str, ...] = ()
    score: float | None = None


class StoryIndex:
    """Stories built one article at a time; only recently updated stories are searched.

    Placing an article costs one matrix-vector product over at most ``max_active`` story
    centroids plus term overlaps for a few candidates, whatever the size of the archive.
    The same articles in the same order always give the same stories and ids.
    ``grouping/state.py`` saves and restores the whole index.
    """

    def __init__(self, options: GroupingOptions | None = None, scorer: PairScorer | None = None) -> None:
        options = options or GroupingOptions()
        # The learned pair scorer (``options.learned``): the shipped one unless another is given (training).
        self.scorer = (scorer or load_scorer()) if options.learned else None
        if self.scorer is not None and self.scorer.window_days is not None:
            options = replace(options, window=timedelta(days=self.scorer.window_days))  # fitted with the weights
        self.options = options
        self.states: dict[str, StoryState] = {}  # by id, oldest first
        self.story_by_article: dict[str, str] = {}
        self.merged_into: dict[str, str] = {}
        self.counts = TermCounts()
        self.matcher = Matcher(self.options, self.scorer, self.counts)
        self.active = ActiveSet(self.states, self.options)
        self.next_seq = 0
        self.newest: datetime | None = None
        # each story's mark as last saved (grouping/state.py): what changed since is all a save writes
        self.saved_marks: dict[str, tuple[int, int | None, int]] = {}

    # -- reading ------------------------------------------------------------------------------

    def __len__(self) -> int:
        """Number of stories (merged-away stories not counted)."""
        return len(self.states)

    def stories(self) -> list[Story]:
        """All stories, oldest first, as records."""
        return [state.record() for state in self.states.values()]

    def story(self, id: str) -> Story:
        """The story ``id`` (or the story it was merged into)."""
        state = self.states.get(self.resolve(id))
        if state is None:
            raise InputError(f"no story with id {id!r}")
        return state.record()

    def story_of(self, article_id: str) -> str | None:
        """The id of the story holding ``article_id``, or None when it was never added."""
        story = self.story_by_article.get(article_id)
        return None if story is None else self.resolve(story)

    def resolve(self, id: str) -> str:
        """The surviving story id for ``id``, following merges."""
        while id in self.merged_into:
            id = self.merged_into[id]
        return id

    def merged(self) -> dict[str, str]:
        """Every merged-away story id and the story id it now lives on as."""
        return {old: self.resolve(old) for old in self.merged_into}

    def active_ids(self) -> list[str]:
        """Ids of the stories new articles are compared with, oldest first."""
        return [s.id for s in self.states.values() if s.slot is not None]

    # -- writing ------------------------------------------------------------------------------

    def add_all(self, articles: Iterable[ArticleSignals]) -> list[Placement]:
        """Add articles in order; return their placements."""
        return [self.add(article) for article in articles]

    def add(self, article: ArticleSignals) -> Placement:
        """Put ``article`` into the best matching active story, or start a story with it.

        A wire copy joins its original's story whatever it scores (unless that story is archived).
        """
        known = self.story_by_article.get(article.id)
        if known is not None:
            return Placement(article.id, self.resolve(known), created=False)
        article, vector = self._admit(article)
        original = self._story_of_original(article)
        if original is not None:
            return self._put(article, vector, original, None)
        side = Side.of_article(article)
        best, score = self.matcher.best(self._candidates(vector, None, side), side)
        return self._put(article, vector, best, score)

    def replay(self, article: ArticleSignals, story: str | None) -> tuple[str, list[tuple[str, tuple[float, ...]]]]:
        """Put ``article`` into ``story`` (a new story when None), as a known grouping has it.

        Returns the story it went to and the learned scorer's features of every candidate story
        matching would have scored for it (the training pairs of ``benchmarks/train_story_scorer.py``).
        """
        article, vector = self._admit_new(article)
        side = Side.of_article(article)
        pairs = [
            (state.id, self.matcher.features(state, cosine, side, gap))
            for state, cosine, gap in self.matcher.within_window(self._candidates(vector, None, side), side)
        ]
        return self._put_known(article, vector, story), pairs

    def assign(self, article: ArticleSignals, story: str | None) -> str:
        """Put ``article`` into ``story`` (a new story when None) without scoring it: a grouping made
        elsewhere (a window of the archive grouped in a task) carried into this index. Returns its story."""
        article, vector = self._admit_new(article)
        return self._put_known(article, vector, story)

    def _admit_new(self, article: ArticleSignals) -> tuple[ArticleSignals, npt.NDArray[np.float32]]:
        """:meth:`_admit` an article not placed before (a second placement is an input error)."""
        if self.story_by_article.get(article.id) is not None:
            raise InputError(f"article {article.id!r} was already placed")
        return self._admit(article)

    def _put_known(self, article: ArticleSignals, vector: npt.NDArray[np.float32], story: str | None) -> str:
        """Add an admitted ``article`` to ``story`` (a new story when None), merging nothing."""
        target = None if story is None else self.states[self.resolve(story)]
        if target is not None and target.archived:
            target = None  # as in matching: nothing joins an archived story, the article starts another
        return self._put(article, vector, target, None, merge=False).story

    def observe(self, article: ArticleSignals) -> None:
        """Count ``article`` into the stream's statistics (and move time on) without placing it: the context
        an index grouping a later part of a stream starts from."""
        self._admit(article)

    def _candidates(self, vector: npt.NDArray[np.float32], exclude: str | None, side: Side) -> Candidates:
        """The stories ``side`` (near ``vector``) is scored against, best first."""
        return self.active.candidates(vector, exclude, side.last, self.matcher.candidates)

    def _story_of_original(self, article: ArticleSignals) -> StoryState | None:
        """The story holding the original ``article`` is a copy of, when that story still takes articles."""
        if article.copy_of is None or article.copy_of == article.id:
            return None
        story = self.story_by_article.get(article.copy_of)
        state = None if story is None else self.states.get(self.resolve(story))
        return None if state is None or state.archived else state

    def _admit(self, article: ArticleSignals) -> tuple[ArticleSignals, npt.NDArray[np.float32]]:
        """Count ``article`` into the stream's statistics (and move time on); its unit vector."""
        vector = _unit(article.vector)
        if article.published is not None and article.published.tzinfo is None:
            article = replace(article, published=article.published.replace(tzinfo=UTC))  # as text/dates does
        self.counts.count(article)
        if article.published is not None and (self.newest is None or article.published > self.newest):
            self.newest = article.published
            self.active.expire(self.newest)
        return article, vector

    def _put(
        self,
        article: ArticleSignals,
        vector: npt.NDArray[np.float32],
        best: StoryState | None,
        score: float | None,
        merge: bool = True,
    ) -> Placement:
        """Add ``article`` to ``best`` (a new story when None), then merge stories that converged."""
        created = best is None
        if best is None:
            best = self._new_story(article.id)
        elif best.slot is None:
            self.active.unretire(best)
        best.add_article(article, vector)
        self.story_by_article[article.id] = best.id
        self.active.place(best, self.counts.documents)
        merged = self._merge_converged(best, created) if merge else ()
        return Placement(article.id, self.resolve(best.id), created, merged, score)

    def _merge_converged(self, state: StoryState, created: bool) -> tuple[str, ...]:
        """Merge into one any active story whose coverage has converged with ``state``'s.

        With the learned scorer, only a story that grew is looked at (a new story's one article was
        just scored against the same stories), with the scorer's ``merge_threshold`` (None: never):
        two stories whose first articles were too thin to join get a second chance once one of them
        holds more. Only pairs with the story that changed are looked at: the others' profiles did not
        move (only the stream's IDFs did).
        """
        if self.scorer is None:
            threshold = self.options.merge
        elif self.scorer.merge_threshold is None or created:
            return ()
        else:
            threshold = self.scorer.merge_threshold
        merged: list[str] = []
        while True:
            side = Side(state.terms, state.words, len(state.article_ids), state.first_seen or state.last_seen,
                        state.last_seen, state.numbers)
            candidates = self._candidates(state.centroid(), state.id, side)
            other, _ = self.matcher.best(candidates, side, threshold=threshold)
            if other is None:
                return tuple(merged)
            keep, gone = (other, state) if other.seq < state.seq else (state, other)
            self._absorb(keep, gone)
            merged.append(gone.id)
            state = keep
        return tuple(merged)

    def _absorb(self, keep: StoryState, gone: StoryState) -> None:
        """Move every article of ``gone`` into ``keep`` and retire ``gone``'s id as an alias."""
        keep.absorb(gone)
        self.active.unplace(gone)
        del self.states[gone.id]
        self.merged_into[gone.id] = keep.id
        self.active.place(keep, self.counts.documents)

    def _new_story(self, first_article: str) -> StoryState:
        """A new empty story named after ``first_article``."""
        id = story_id(first_article)
        while id in self.states or id in self.merged_into:  # a re-used article id: keep ids unique
            id = story_id(id)
        state = StoryState(id, self.next_seq, [], np.zeros(DIMENSIONS, dtype=np.float32), Counter())
        self.next_seq += 1
        self.states[id] = state
        return state


def group_articles(
    articles: Sequence[Article], options: GroupingOptions | None = None, backend: Backend = DEFAULT_BACKEND
) -> list[Story]:
    """Group ``articles`` (in the order given) into stories from scratch."""
    index = StoryIndex(options)
    index.add_all(article_signals(articles, backend=backend))
    return index.stories()


def _unit(vector: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    """``vector`` as a float32 unit vector; a wrongly shaped vector is an input error."""
    array = np.asarray(vector, dtype=np.float32).reshape(-1)
    if array.shape != (DIMENSIONS,):
        raise InputError(f"article vector has {array.shape[0]} numbers, expected {DIMENSIONS}")
    norm = float(np.linalg.norm(array))
    if not math.isfinite(norm) or norm == 0.0:
        raise InputError("article vector is zero or not finite")
    return array / norm
