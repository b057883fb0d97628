"""The parse cache: each article's spaCy parse kept (as DocBin bytes) so that it is computed once.

Two levels: a bounded in-process LRU, and, when a folder is configured (the CLI does, from
``Settings.cache`` and ``Settings.parse_cache_mb``), files on disk shared by every process. An entry
is named by the model's identity and the sha256 of the text, so a new model (or a change to how
parses are made) never reads an old parse. Entries are written whole (a temporary file, then a
rename), so a reader never sees half of one; when the folder grows past its byte cap, the entries
used longest ago are removed. The cache only ever saves time: a missing, unreadable or corrupt
entry is parsed again, and a folder that cannot be written is left alone. Sentence vectors
(``grouping.vectors.cached_embed``) are kept here too, under their own identity and within the same caps.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import tempfile
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

SUFFIX = ".spacy"
_TEMP_PREFIX = ".part-"
_LOCK_FILE = ".evicting"
# Eviction removes entries until the folder is this share of its cap, so that it does not run on every write.
_EVICT_TO = 0.8
# A process counts its own writes between looks at the folder, and looks again after writing this share of
# the cap: processes writing at once can leave the folder over its cap by less than this share each.
_LOOK_EVERY = 0.05
_STALE_TEMP_SECONDS = 3600.0  # a temporary file this old was left by a writer that died


@dataclass(frozen=True, slots=True)
class CacheSettings:
    """Where and how much: ``folder`` None keeps parses in this process only."""

    folder: Path | None = None
    disk_bytes: int = 512 * 2**20
    memory_bytes: int = 64 * 2**20


def cache_settings(cache: Path, megabytes: int) -> CacheSettings:
    """The parse cache of a cache folder (``Settings.cache``): ``cache/parses``, at most ``megabytes`` MB
    (``Settings.parse_cache_mb``); 0 keeps parses in memory only."""
    if megabytes <= 0:
        return CacheSettings()
    return CacheSettings(folder=cache / "parses", disk_bytes=megabytes * 2**20)


def text_key(text: str) -> str:
    """The sha256 of ``text`` (hex): an entry's name beside the model identity."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


class MemoryCache:
    """Entries kept in this process, least recently used dropped first once over ``limit`` bytes."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._entries: OrderedDict[tuple[str, str], bytes] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def get(self, key: tuple[str, str]) -> bytes | None:
        with self._lock:
            data = self._entries.get(key)
            if data is not None:
                self._entries.move_to_end(key)
            return data

    def put(self, key: tuple[str, str], data: bytes) -> None:
        if len(data) > self.limit:
            return
        with self._lock:
            old = self._entries.pop(key, None)
            self._size += len(data) - (len(old) if old is not None else 0)
            self._entries[key] = data
            while self._size > self.limit:
                _, dropped = self._entries.popitem(last=False)
                self._size -= len(dropped)

    def discard(self, key: tuple[str, str]) -> None:
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._size -= len(old)

    def size(self) -> int:
        with self._lock:
            return self._size


class DiskCache:
    """Entries as files ``folder/<identity>/<2 hex>/<sha256>.spacy``, at most about ``limit`` bytes in all.

    One process keeps the folder under ``limit``. With several writing at once, each counts its own writes
    between looks at the folder, so the folder can end over ``limit`` by what they wrote since the last look
    any of them took: less than ``_LOOK_EVERY`` of ``limit`` per writing process.
    """

    def __init__(self, folder: Path, limit: int) -> None:
        self.folder = folder
        self.limit = limit
        self.problem: str | None = None  # why writing stopped (the folder cannot be written), if it did
        self._known: int | None = None  # bytes in the folder at the last look, plus those written since
        self._since_look = 0  # bytes this process wrote since its last look at the folder
        self._lock = threading.Lock()

    def path(self, key: tuple[str, str]) -> Path:
        identity, digest = key
        return self.folder / identity / digest[:2] / f"{digest}{SUFFIX}"

    def get(self, key: tuple[str, str]) -> bytes | None:
        path = self.path(key)
        try:
            data = path.read_bytes()
        except OSError:
            return None
        with contextlib.suppress(OSError):
            os.utime(path)  # used now: evicted after the entries used longer ago
        return data

    def put(self, key: tuple[str, str], data: bytes) -> None:
        """Write one entry atomically; a write that fails turns the disk level off for this process."""
        if self.problem is not None or len(data) > self.limit:
            return
        path = self.path(key)
        temp: str | None = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, temp = tempfile.mkstemp(prefix=_TEMP_PREFIX, dir=path.parent)
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            os.replace(temp, path)
        except OSError as exc:
            self.problem = f"cannot write the parse cache in {self.folder} ({exc.strerror or exc})"
            if temp is not None:
                with contextlib.suppress(OSError):
                    os.unlink(temp)
            return
        with self._lock:
            self._since_look += len(data)
            look = self._known is None or self._since_look >= self.limit * _LOOK_EVERY
            self._known = (self._known or 0) + len(data)
            over = self._known > self.limit
        if look and not over:
            seen = self.size()  # what the other processes wrote since the last look counts too
            with self._lock:
                self._known, self._since_look = seen, 0
            over = seen > self.limit
        if over:
            self.evict()

    def discard(self, key: tuple[str, str]) -> None:
        with contextlib.suppress(OSError):
            self.path(key).unlink()

    def entries(self) -> list[tuple[float, int, Path]]:
        """(last used, bytes, path) of every entry in the folder, whatever its model."""
        out = []
        for path in self.folder.glob(f"*/*/*{SUFFIX}"):
            try:
                stat = path.stat()
            except OSError:  # removed meanwhile by another process
                continue
            out.append((stat.st_mtime, stat.st_size, path))
        return out

    def size(self) -> int:
        """Bytes of all entries in the folder now."""
        return sum(size for _, size, _ in self.entries())

    def evict(self) -> None:
        """Remove the entries used longest ago until the folder is under its cap (one process at a time; the
        others wait their turn, then find what is left to remove)."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            lock = (self.folder / _LOCK_FILE).open("a")
        except OSError:
            return
        with lock:
            try:  # wait for a process evicting now: it is quick, and skipping left the folder over its cap
                fcntl.flock(lock, fcntl.LOCK_EX)
            except OSError:
                return
            entries = sorted(self.entries())
            total = sum(size for _, size, _ in entries)
            if total > self.limit:
                target = self.limit * _EVICT_TO
                for _, size, path in entries:
                    if total <= target:
                        break
                    with contextlib.suppress(OSError):
                        path.unlink()
                        total -= size
            self._remove_stale_temporaries()
        with self._lock:
            self._known, self._since_look = total, 0

    def _remove_stale_temporaries(self) -> None:
        cutoff = time.time() - _STALE_TEMP_SECONDS
        for path in self.folder.glob(f"*/*/{_TEMP_PREFIX}*"):
            with contextlib.suppress(OSError):
                if path.stat().st_mtime < cutoff:
                    path.unlink()


class ParseCache:
    """The two levels together: memory first, then disk (a disk hit is kept in memory too)."""

    def __init__(self, settings: CacheSettings) -> None:
        self.settings = settings
        self.memory = MemoryCache(settings.memory_bytes)
        self.disk = DiskCache(settings.folder, settings.disk_bytes) if settings.folder is not None else None

    def get(self, key: tuple[str, str]) -> bytes | None:
        data = self.memory.get(key)
        if data is None and self.disk is not None:
            data = self.disk.get(key)
            if data is not None:
                self.memory.put(key, data)
        return data

    def put(self, key: tuple[str, str], data: bytes) -> None:
        self.memory.put(key, data)
        if self.disk is not None:
            self.disk.put(key, data)

    def discard(self, key: tuple[str, str]) -> None:
        """Forget an entry found unreadable, on both levels."""
        self.memory.discard(key)
        if self.disk is not None:
            self.disk.discard(key)


_cache = ParseCache(CacheSettings())


def configure(settings: CacheSettings) -> CacheSettings:
    """Use a new cache with ``settings`` in this process (the CLI does, from ``Settings``); return the previous."""
    global _cache
    previous, _cache = _cache.settings, ParseCache(settings)
    return previous


def current() -> ParseCache:
    """The cache of this process."""
    return _cache
