"""The bounded candidate set: active stories' centroids in one matrix, retired ones findable, the rest archived."""

from __future__ import annotations

from datetime import datetime

import numpy as np
import numpy.typing as npt

from newsroundup.grouping.options import GroupingOptions
from newsroundup.grouping.story import StoryState
from newsroundup.grouping.vectors import DIMENSIONS


class ActiveSet:
    """Where a story index looks for the stories an article may join.

    Active stories (at most ``max_active``, the most recently updated) have a row in ``matrix``,
    so finding the nearest costs one matrix-vector product. Dated stories leaving the active set
    are retired: kept in ``retired_rows`` for late articles dated within their coverage, and in
    ``retired_order`` (oldest retired first), past ``max_retired`` of which the oldest is archived.
    ``stories`` is the index's own table of stories, shared, not copied.
    """

    def __init__(self, stories: dict[str, StoryState], options: GroupingOptions, capacity: int = 64) -> None:
        self.stories = stories
        self.options = options
        self.matrix = np.zeros((capacity, DIMENSIONS), dtype=np.float32)
        self.slot_story: list[str | None] = [None] * capacity
        self.live = np.zeros(capacity, dtype=bool)
        self.slot_last = np.full(capacity, np.nan)  # last_seen as POSIX seconds, NaN when undated
        self.slot_touched = np.zeros(capacity, dtype=np.int64)
        self.free: list[int] = list(range(capacity - 1, -1, -1))
        self.count = 0  # rows in use
        # Dated stories out of the active set, in the order they were retired (oldest first): searched only
        # for late articles, archived past ``max_retired``.
        self.retired_order: dict[str, None] = {}
        self.retired_rows = RetiredRows()  # and their centroids and coverage, searched in one scan

    # -- finding ------------------------------------------------------------------------------

    def candidates(
        self, vector: npt.NDArray[np.float32], exclude: str | None, when: datetime | None, count: int
    ) -> list[tuple[StoryState, float]]:
        """The stories an article (or story) near ``vector`` dated ``when`` is scored against, best first."""
        candidates = self.nearest(vector, exclude, count)
        if exclude is None and when is not None and self.retired_rows.row_of:
            candidates += self.retired_near(vector, when, count)
            candidates.sort(key=lambda pair: (-pair[1], pair[0].seq))
        return candidates

    def nearest(
        self, vector: npt.NDArray[np.float32], exclude: str | None, count: int
    ) -> list[tuple[StoryState, float]]:
        """Up to ``count`` active stories by centroid cosine, best first (ties: oldest)."""
        if self.count == 0:
            return []
        # einsum, not BLAS: one thread, so no spin-waiting threads on a busy machine (4x faster here).
        cosines = np.einsum("ij,j->i", self.matrix, vector)
        cosines[~self.live] = -np.inf
        found: list[tuple[StoryState, float]] = []
        for slot in _highest(cosines, min(count + 1, self.count)):
            id = self.slot_story[int(slot)]
            if id is not None and id != exclude:
                found.append((self.stories[id], float(cosines[slot])))
        found.sort(key=lambda pair: (-pair[1], pair[0].seq))
        return found[:count]

    def retired_near(
        self, vector: npt.NDArray[np.float32], when: datetime, count: int
    ) -> list[tuple[StoryState, float]]:
        """The ``count`` retired stories nearest ``vector`` that a late article dated ``when`` could belong to.

        Only stories whose coverage is within ``window`` of ``when`` are looked at, and of those only
        the ``count`` nearest are returned: stories pushed out of the active set by its size bound are
        recent, and scoring every one of them would make a busy stream ever slower to place.
        """
        found = self.retired_rows.near(vector, when.timestamp(), self.options.window.total_seconds(), count)
        return [(self.stories[id], cosine) for id, cosine in found]

    # -- placing ------------------------------------------------------------------------------

    def place(self, state: StoryState, touched: int) -> None:
        """Write ``state``'s centroid into its row (taking a row if needed), stamped ``touched``."""
        if state.slot is None:
            if not self.free:
                self._grow()
            self._take(state, self.free.pop())
        self._write(state)
        assert state.slot is not None
        self.slot_touched[state.slot] = touched
        if self.count > self.options.max_active:
            self._evict_stalest(keep=state.slot)

    def put_back(self, state: StoryState, slot: int) -> None:
        """Give ``state`` back its saved row ``slot`` (restoring a saved index)."""
        self._take(state, slot)
        self._write(state)

    def unplace(self, state: StoryState, retire: bool = False) -> None:
        """Take ``state`` out of the matrix; ``retire`` keeps it findable for late articles."""
        if state.slot is None:
            return
        if retire and state.last_seen is not None:
            self.retired_order[state.id] = None
            self.archive_oldest_retired()  # first, so that its rows never outgrow ``max_retired``
            self.retired_rows.add(state)
        elif retire:
            state.archive()  # undated: no late article could ever be matched to it by time
        self.matrix[state.slot] = 0.0
        self.slot_story[state.slot] = None
        self.live[state.slot] = False
        self.slot_last[state.slot] = np.nan
        self.free.append(state.slot)
        state.slot = None
        self.count -= 1

    def unretire(self, state: StoryState) -> None:
        """Drop ``state`` from the retired stories (it is coming back to the active set or merging)."""
        self.retired_order.pop(state.id, None)
        self.retired_rows.remove(state.id)

    def expire(self, newest: datetime) -> None:
        """Retire stories last updated more than ``retention`` before ``newest``."""
        cutoff = (newest - self.options.retention).timestamp()
        with np.errstate(invalid="ignore"):
            stale = np.flatnonzero(self.slot_last < cutoff)
        for slot in stale:
            id = self.slot_story[int(slot)]
            if id is not None:
                self.unplace(self.stories[id], retire=True)

    def restore_retired(self, saved_order: list[str]) -> None:
        """Rebuild the retired stories from the stories' rows, in ``saved_order`` where it names them."""
        by_coverage = sorted(
            (s.last_seen.timestamp(), s.seq, s.id)
            for s in self.stories.values()
            if s.slot is None and s.last_seen is not None and not s.archived
        )
        retired = {id for _, _, id in by_coverage}
        order = [id for id in saved_order if id in retired]
        # States saved before the order was kept: oldest coverage first.
        named = frozenset(order)
        order += [id for _, _, id in by_coverage if id not in named]
        self.retired_order = dict.fromkeys(order)
        self.retired_rows = RetiredRows()
        for _, _, id in by_coverage:
            self.retired_rows.add(self.stories[id])
        self.archive_oldest_retired()

    def archive_oldest_retired(self) -> None:
        """Archive the stories retired longest ago (by arrival) while more than ``max_retired`` are kept."""
        while len(self.retired_order) > self.options.max_retired:
            id = next(iter(self.retired_order))
            state = self.stories[id]
            self.unretire(state)
            state.archive()

    def _take(self, state: StoryState, slot: int) -> None:
        """Give ``state`` the row ``slot``."""
        state.slot = slot
        self.slot_story[slot] = state.id
        self.live[slot] = True
        self.count += 1

    def _write(self, state: StoryState) -> None:
        """Write ``state``'s centroid and last date into its row."""
        assert state.slot is not None
        self.matrix[state.slot] = state.centroid()
        self.slot_last[state.slot] = state.last_seen.timestamp() if state.last_seen else np.nan

    def _grow(self) -> None:
        """Double the matrix."""
        old = len(self.slot_story)
        self.matrix = np.vstack([self.matrix, np.zeros((old, DIMENSIONS), dtype=np.float32)])
        self.slot_story.extend([None] * old)
        self.live = np.concatenate([self.live, np.zeros(old, dtype=bool)])
        self.slot_last = np.concatenate([self.slot_last, np.full(old, np.nan)])
        self.slot_touched = np.concatenate([self.slot_touched, np.zeros(old, dtype=np.int64)])
        self.free.extend(range(2 * old - 1, old - 1, -1))

    def _evict_stalest(self, keep: int) -> None:
        """Retire the least recently updated active story (never the row ``keep``)."""
        touched = np.where(self.live, self.slot_touched, np.iinfo(np.int64).max)
        touched[keep] = np.iinfo(np.int64).max
        id = self.slot_story[int(np.argmin(touched))]
        if id is not None:
            self.unplace(self.stories[id], retire=True)


class RetiredRows:
    """The retired stories' centroids and coverage (POSIX seconds), a row each, kept as they retire.

    A late article is matched against them with one scan of the rows whose coverage is near its
    date, instead of gathering and stacking the stories' vectors anew for every article.
    """

    def __init__(self, capacity: int = 64) -> None:
        self.matrix = np.zeros((capacity, DIMENSIONS), dtype=np.float32)
        self.first = np.full(capacity, np.inf)  # a free row is infinitely far from any date
        self.last = np.full(capacity, -np.inf)
        self.ids: list[str | None] = [None] * capacity
        self.row_of: dict[str, int] = {}
        self.free: list[int] = list(range(capacity - 1, -1, -1))

    def add(self, state: StoryState) -> None:
        """Give the retired, dated ``state`` a row (its centroid as it retired)."""
        assert state.last_seen is not None
        if state.id in self.row_of or state.archived:
            return
        if not self.free:
            self._grow()
        row = self.free.pop()
        self.row_of[state.id] = row
        self.ids[row] = state.id
        self.matrix[row] = state.centroid()
        self.first[row] = (state.first_seen or state.last_seen).timestamp()
        self.last[row] = state.last_seen.timestamp()

    def remove(self, id: str) -> None:
        """Free the row of story ``id`` (back in the active set, merged or archived)."""
        row = self.row_of.pop(id, None)
        if row is None:
            return
        self.ids[row] = None
        self.matrix[row] = 0.0
        self.first[row] = np.inf
        self.last[row] = -np.inf
        self.free.append(row)

    def near(self, vector: npt.NDArray[np.float32], when: float, window: float, count: int) -> list[tuple[str, float]]:
        """Up to ``count`` (id, cosine) of the rows whose coverage is within ``window`` seconds of ``when``."""
        if not self.row_of:
            return []
        gap = np.maximum(self.first - when, when - self.last)
        rows = np.flatnonzero(gap <= window)
        if rows.size == 0:
            return []
        if 2 * rows.size >= len(self.ids):  # most rows: one pass over them all beats copying those near
            cosines = np.einsum("ij,j->i", self.matrix, vector)[rows]
        else:
            cosines = np.einsum("ij,j->i", self.matrix[rows], vector)
        found = []
        for i in _highest(cosines, count):
            id = self.ids[int(rows[i])]
            assert id is not None  # a free row's coverage is empty (first = inf, last = -inf): never near
            found.append((id, float(cosines[i])))
        return found

    def _grow(self) -> None:
        """Double the rows."""
        old = len(self.ids)
        self.matrix = np.vstack([self.matrix, np.zeros((old, DIMENSIONS), dtype=np.float32)])
        self.first = np.concatenate([self.first, np.full(old, np.inf)])
        self.last = np.concatenate([self.last, np.full(old, -np.inf)])
        self.ids.extend([None] * old)
        self.free.extend(range(2 * old - 1, old - 1, -1))


def _highest(values: npt.NDArray[np.float32], k: int) -> npt.NDArray[np.intp]:
    """Positions of the ``k`` highest ``values`` (all of them when there are no more), in no order."""
    if k >= len(values):
        return np.arange(len(values))
    return np.argpartition(-values, k - 1)[:k]
