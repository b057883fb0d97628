"""Ready-to-send response bodies, kept until the store changes, and one read-only store per server thread.

What is kept is bounded by bytes in two pools, each dropping its least recently used responses first:
the store's pages (a 2xx/3xx response under a path with no query) and everything else (404s, API
queries). Anyone can ask for any number of missing addresses or query strings; those fill only the
second, small pool, so a flood of them costs bounded memory and never pushes out a page of the store.
"""

from __future__ import annotations

import asyncio
import contextlib
import gzip
import hashlib
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from newsroundup.errors import NewsroundupError
from newsroundup.settings import is_postgres_url
from newsroundup.store.base import Store, open_store

if TYPE_CHECKING:
    from newsroundup.store.postgres.pool import ReaderPool

T = TypeVar("T")

CHECK_INTERVAL = 1.0  # seconds between looks at whether the store changed
PAGE_BYTES = 64 * 1024 * 1024  # the store's pages kept at most, in bytes (keys, bodies, gzipped bodies, headers)
OTHER_BYTES = 4 * 1024 * 1024  # 404s and API queries kept at most, in bytes
ENTRY_OVERHEAD = 256  # bytes counted per kept response beyond its keys and bodies (the objects holding them)
GZIP_FROM = 1024  # bytes: smaller bodies are sent as they are
LOG = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Cached:
    """An encoded response: body, media type, status, its ETag, any extra headers, and the body gzipped."""

    body: bytes
    media_type: str
    status: int = 200
    etag: str = ""
    headers: tuple[tuple[str, str], ...] = ()
    gzipped: bytes | None = None  # compressed once when kept, for readers that accept gzip

    def size(self, key: str) -> int:
        """Bytes this response costs when kept under ``key`` (counted, not measured: close to what it holds)."""
        extra = sum(len(name) + len(value) for name, value in self.headers)
        return len(key) + len(self.body) + len(self.gzipped or b"") + extra + len(self.etag) + ENTRY_OVERHEAD


class _Pool:
    """Responses by key, least recently used first, at most ``limit`` bytes in all (callers hold the lock)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.size = 0
        self.entries: OrderedDict[str, tuple[Cached, int]] = OrderedDict()

    def get(self, key: str) -> Cached | None:
        found = self.entries.get(key)
        if found is None:
            return None
        self.entries.move_to_end(key)
        return found[0]

    def put(self, key: str, response: Cached) -> None:
        self.pop(key)
        size = response.size(key)
        if size > self.limit:
            return  # larger than the whole pool: made again when asked for
        while self.size + size > self.limit:
            _, (_, dropped) = self.entries.popitem(last=False)
            self.size -= dropped
        self.entries[key] = (response, size)
        self.size += size

    def pop(self, key: str) -> None:
        old = self.entries.pop(key, None)
        if old is not None:
            self.size -= old[1]

    def clear(self) -> None:
        self.entries.clear()
        self.size = 0


class Readers:
    """Read-only stores for the server's threads, and one for its event loop's change checks.

    SQLite: one store per thread (a SQLite connection belongs to the thread that opened it).
    PostgreSQL: a bounded pool of connections (store/postgres/pool.py) lent to a thread per read.
    """

    def __init__(self, db: Path | str) -> None:
        self.db = db
        self._local = threading.local()
        self._pool: ReaderPool | None = None
        self._failed_checks = 0
        if is_postgres_url(db):
            from newsroundup.store.postgres.pool import ReaderPool

            self._pool = ReaderPool(str(db))

    def get(self) -> Store:
        """This thread's own store, opened on first use."""
        store: Store | None = getattr(self._local, "store", None)
        if store is None:
            store = open_store(self.db, read_only=True)
            self._local.store = store
        return store

    def read(self, work: Callable[[Store], T]) -> T:
        """``work`` done on a read-only store: a pooled one for PostgreSQL, else this thread's own."""
        if self._pool is None:
            return work(self.get())
        with self._pool.store() as store:
            return work(store)

    def data_version(self) -> int:
        """The store's change counter, read on the calling thread's own connection (never a pooled one:
        the event loop must not wait for the pool). A failed read drops that connection and counts as a
        change, so the next check opens a new one and readers see the failure, not old pages for ever."""
        try:
            return self.get().data_version()
        except NewsroundupError:
            store = getattr(self._local, "store", None)
            self._local.store = None
            if store is not None:
                with contextlib.suppress(Exception):
                    store.close()
            self._failed_checks += 1
            return -self._failed_checks

    def close(self) -> None:
        if self._pool is not None:
            self._pool.close()


class ResponseCache:
    """Responses by key, all made again when ``probe`` (the store's data version) changes.

    ``probe`` is called at most once per ``interval``, so a change is noticed within that time. A response
    made from data read before a change is not kept: :meth:`put` takes the generation it was made in.
    While a response is being made again after a change, readers get the one it replaces, for at most
    ``interval`` seconds after the change was noticed: a change shows within two intervals, and a burst
    of readers never waits for a page to be made (that wait was the whole tail of ``serve``'s latency).
    Pages (a 2xx/3xx response under a path with no query) are kept in ``page_bytes``, everything else
    in ``other_bytes``, each pool dropping its least recently used responses when full; the pages of the
    generation before a change are held until made again (at most ``page_bytes`` more for an interval).
    """

    def __init__(
        self, probe: Callable[[], int], interval: float = CHECK_INTERVAL, *,
        page_bytes: int = PAGE_BYTES, other_bytes: int = OTHER_BYTES,
    ) -> None:
        self._probe = probe
        self._interval = interval
        self._lock = threading.Lock()
        self._pages = _Pool(page_bytes)
        self._others = _Pool(other_bytes)
        self._replaced: dict[str, tuple[Cached, float]] = {}  # pages of the last generation, and since when
        self._version: int | None = None
        self._checked = float("-inf")
        self.generation = 0
        self._making: dict[str, asyncio.Task[Cached]] = {}

    def refresh(self) -> None:
        """Look whether the store changed (at most once per interval); if so, make every response again."""
        now = time.monotonic()
        if now - self._checked < self._interval:
            return
        with self._lock:
            if now - self._checked < self._interval:
                return
            version = self._probe()
            self._checked = now
            if version != self._version:
                self._version = version
                replaced = {key: (found, now) for key, (found, _size) in self._pages.entries.items()}
                for key in self._making:  # being made again already: keep what it replaces until it is made
                    if key not in replaced and key in self._replaced:
                        replaced[key] = self._replaced[key]
                self._replaced = replaced
                self._pages.clear()
                self._others.clear()
                self.generation += 1

    def get(self, key: str) -> Cached | None:
        """The response kept for ``key``, if the store has not changed since it was made."""
        self.refresh()
        with self._lock:
            found = self._pages.get(key)
            return found if found is not None else self._others.get(key)

    @property
    def size(self) -> int:
        """Bytes kept now, both pools."""
        return self._pages.size + self._others.size

    @property
    def limit(self) -> int:
        """Bytes kept at most, both pools."""
        return self._pages.limit + self._others.limit

    def counts(self) -> tuple[int, int]:
        """How many pages and how many other responses are kept."""
        return len(self._pages.entries), len(self._others.entries)

    def replaced(self, key: str) -> Cached | None:
        """The response a change made stale, while its successor is being made and for at most an interval."""
        if key not in self._making:
            return None
        found = self._replaced.get(key)
        if found is None or time.monotonic() - found[1] >= self._interval:
            return None
        return found[0]

    def put(self, key: str, response: Cached, generation: int) -> Cached:
        """Keep ``response`` (made from data read in ``generation``) and return it with its ETag (and gzipped)."""
        digest = hashlib.blake2b(response.body, digest_size=12).hexdigest()
        zipped = response.status == 200 and len(response.body) >= GZIP_FROM  # only a 200 is ever sent gzipped
        packed = gzip.compress(response.body, 6, mtime=0) if zipped else None
        tagged = Cached(response.body, response.media_type, response.status, f'"{digest}"', response.headers, packed)
        with self._lock:
            if generation == self.generation:
                page = tagged.status < 400 and "?" not in key
                (self._pages if page else self._others).put(key, tagged)
                (self._others if page else self._pages).pop(key)
                self._replaced.pop(key, None)
        return tagged

    async def fetch(self, key: str, make: Callable[[], Awaitable[Cached]]) -> Cached:
        """The response for ``key``: kept, or made by ``make`` once however many requests ask at the same time.

        Without this, a burst of readers opening a page that is not kept yet would each render it. While it
        is made again after a change, the response it replaces is sent (see the class).
        """
        found = self.get(key)
        if found is not None:
            return found
        making = self._making.get(key)
        if making is None:
            making = asyncio.get_running_loop().create_task(self._make(key, make))
            self._making[key] = making
            making.add_done_callback(_retrieve)
        previous = self.replaced(key)
        if previous is not None:
            return previous
        return await asyncio.shield(making)

    async def _make(self, key: str, make: Callable[[], Awaitable[Cached]]) -> Cached:
        try:
            generation = self.generation
            return self.put(key, await make(), generation)
        finally:
            del self._making[key]


def _retrieve(task: asyncio.Task[Cached]) -> None:
    """Log a failed making's error: readers sent the response it replaces never see it."""
    if not task.cancelled() and (error := task.exception()) is not None:
        LOG.warning("a response could not be made again: %s: %s", type(error).__name__, error)
