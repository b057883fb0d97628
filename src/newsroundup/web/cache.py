"""Ready-to-send response bodies, kept until the store changes, and one read-only store per server thread."""

from __future__ import annotations

import asyncio
import gzip
import hashlib
import threading
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

from newsroundup.store.base import Store, open_store

CHECK_INTERVAL = 1.0  # seconds between looks at whether the store changed
CAPACITY = 4096  # responses kept at most; all are dropped when it is reached (they are cheap to make again)
GZIP_FROM = 1024  # bytes: smaller bodies are sent as they are


@dataclass(frozen=True, slots=True)
class Cached:
    """An encoded response: body, media type, status, its ETag, any extra headers, and the body gzipped."""

    body: bytes
    media_type: str
    status: int = 200
    etag: str = ""
    headers: tuple[tuple[str, str], ...] = ()
    gzipped: bytes | None = None  # compressed once when kept, for readers that accept gzip


class Readers:
    """One read-only store per thread (a SQLite connection belongs to the thread that opened it)."""

    def __init__(self, db: Path | str) -> None:
        self.db = db
        self._local = threading.local()

    def get(self) -> Store:
        """This thread's store, opened on first use."""
        store: Store | None = getattr(self._local, "store", None)
        if store is None:
            store = open_store(self.db, read_only=True)
            self._local.store = store
        return store


class ResponseCache:
    """Responses by key, all dropped when ``probe`` (the store's data version) changes.

    ``probe`` is called at most once per ``interval``, so a change shows within that time. A response
    made from data read before a change is not kept: :meth:`put` takes the generation it was made in.
    """

    def __init__(self, probe: Callable[[], int], interval: float = CHECK_INTERVAL, capacity: int = CAPACITY) -> None:
        self._probe = probe
        self._interval = interval
        self._capacity = capacity
        self._lock = threading.Lock()
        self._entries: dict[str, Cached] = {}
        self._version: int | None = None
        self._checked = float("-inf")
        self.generation = 0
        self._making: dict[str, asyncio.Future[Cached | None]] = {}

    def refresh(self) -> None:
        """Look whether the store changed (at most once per interval); if so, forget every response."""
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
                self._entries.clear()
                self.generation += 1

    def get(self, key: str) -> Cached | None:
        """The response kept for ``key``, if the store has not changed since it was made."""
        self.refresh()
        return self._entries.get(key)

    def put(self, key: str, response: Cached, generation: int) -> Cached:
        """Keep ``response`` (made from data read in ``generation``) and return it with its ETag (and gzipped)."""
        digest = hashlib.blake2b(response.body, digest_size=12).hexdigest()
        packed = gzip.compress(response.body, 6, mtime=0) if len(response.body) >= GZIP_FROM else None
        tagged = Cached(response.body, response.media_type, response.status, f'"{digest}"', response.headers, packed)
        with self._lock:
            if generation == self.generation:
                if len(self._entries) >= self._capacity:
                    self._entries.clear()
                self._entries[key] = tagged
        return tagged

    async def fetch(self, key: str, make: Callable[[], Awaitable[Cached]]) -> Cached:
        """The response for ``key``: kept, or made by ``make`` once however many requests ask at the same time.

        Without this, a burst of readers opening a page that is not kept yet would each render it.
        """
        found = self.get(key)
        if found is not None:
            return found
        making = self._making.get(key)
        if making is not None:
            made = await asyncio.shield(making)
            return made if made is not None else await self.fetch(key, make)
        future: asyncio.Future[Cached | None] = asyncio.get_running_loop().create_future()
        self._making[key] = future
        result: Cached | None = None
        try:
            generation = self.generation
            result = self.put(key, await make(), generation)
            return result
        finally:
            del self._making[key]
            future.set_result(result)  # None (it failed): whoever waited makes it themselves
