"""Feeds, failures and robots.txt of the SQLite store (mixed into it); the status records both stores give."""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from newsroundup.store.rows import iso, when_of


@dataclass(frozen=True)
class FeedState:
    """What the last poll of a feed left behind: the validators for a conditional GET."""

    etag: str | None
    last_modified: str | None


@dataclass(frozen=True)
class FeedStatus:
    """One feed as ``newsroundup status`` shows it."""

    url: str
    title: str | None
    last_polled_at: datetime | None
    last_status: str | None
    last_new: int
    last_error: str | None
    polls: int


@dataclass(frozen=True)
class StoreStatus:
    """What is in the store: counts, failures by kind, feeds."""

    articles: int
    copies: int
    partial: int
    outlets: list[tuple[str, int]] = field(default_factory=list)
    failures: list[tuple[str, int]] = field(default_factory=list)
    feeds: list[FeedStatus] = field(default_factory=list)



class FeedTables:
    """Feeds, failures, robots.txt copies and status of :class:`~newsroundup.store.Store`; computes nothing."""

    path: Path
    _db: sqlite3.Connection

    def _write(self) -> AbstractContextManager[sqlite3.Connection]:
        raise NotImplementedError  # provided by Store

    def feed_state(self, url: str) -> FeedState | None:
        """The validators from the last successful poll of ``url``, if it was polled."""
        row = self._db.execute("SELECT etag, last_modified FROM feeds WHERE url = ?", (url,)).fetchone()
        return FeedState(row[0], row[1]) if row else None

    def record_poll(
        self,
        url: str,
        *,
        status: str,
        title: str | None = None,
        etag: str | None = None,
        last_modified: str | None = None,
        new: int = 0,
        error: str | None = None,
    ) -> None:
        """Remember a poll of a feed; validators are kept from before unless new ones came."""
        now = iso(datetime.now(UTC))
        with self._write() as db:
            db.execute(
                "INSERT INTO feeds (url, title, etag, last_modified, last_polled_at, last_status, last_new, "
                "last_error, polls) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1) "
                "ON CONFLICT (url) DO UPDATE SET title = coalesce(excluded.title, title), "
                "etag = coalesce(excluded.etag, etag), "
                "last_modified = coalesce(excluded.last_modified, last_modified), "
                "last_polled_at = excluded.last_polled_at, last_status = excluded.last_status, "
                "last_new = excluded.last_new, last_error = excluded.last_error, polls = polls + 1",
                (url, title, etag, last_modified, now, status, new, error),
            )

    def record_failure(self, source: str, item: str, kind: str, message: str) -> None:
        """Record (or count again) why ``item`` of ``source`` could not be added."""
        now = iso(datetime.now(UTC))
        with self._write() as db:
            db.execute(
                "INSERT INTO failures (source, item, kind, message, first_at, last_at) "
                "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (source, item) DO UPDATE SET kind = excluded.kind, "
                "message = excluded.message, last_at = excluded.last_at, count = count + 1",
                (source, item, kind, message, now, now),
            )

    def clear_failure(self, source: str, item: str) -> None:
        """Forget an earlier failure of ``item`` now that it succeeded."""
        with self._write() as db:
            db.execute("DELETE FROM failures WHERE source = ? AND item = ?", (source, item))

    def robots_since(self, when: datetime) -> dict[str, tuple[int, str]]:
        """robots.txt copies fetched after ``when``: origin -> (status, body)."""
        rows = self._db.execute(
            "SELECT origin, status, body FROM robots WHERE fetched_at >= ?", (iso(when),)
        ).fetchall()
        return {r[0]: (r[1], r[2]) for r in rows}

    def save_robots(self, copies: Mapping[str, tuple[int, str]]) -> None:
        """Keep freshly fetched robots.txt copies for the next runs."""
        if not copies:
            return
        now = iso(datetime.now(UTC))
        with self._write() as db:
            db.executemany(
                "INSERT OR REPLACE INTO robots (origin, status, body, fetched_at) VALUES (?, ?, ?, ?)",
                [(origin, status, body, now) for origin, (status, body) in copies.items()],
            )

    def failures(self) -> list[tuple[str, str, str, str, int]]:
        """Every recorded failure: (source, item, kind, message, count), newest first."""
        rows = self._db.execute(
            "SELECT source, item, kind, message, count FROM failures ORDER BY last_at DESC, source, item"
        ).fetchall()
        return [(r[0], r[1], r[2], r[3], r[4]) for r in rows]

    def status(self) -> StoreStatus:
        """Counts for ``newsroundup status``."""
        total, copies, partial = self._db.execute(
            "SELECT count(*), count(syndicated_from), coalesce(sum(partial), 0) FROM articles"
        ).fetchone()
        outlets = self._db.execute(
            "SELECT coalesce(outlet, '(unknown)'), count(*) AS n FROM articles GROUP BY 1 ORDER BY n DESC, 1"
        ).fetchall()
        failures = self._db.execute(
            "SELECT kind, count(*) AS n FROM failures GROUP BY kind ORDER BY n DESC, kind"
        ).fetchall()
        feeds = self._db.execute(
            "SELECT url, title, last_polled_at, last_status, last_new, last_error, polls "
            "FROM feeds ORDER BY url"
        ).fetchall()
        return StoreStatus(
            articles=total,
            copies=copies,
            partial=partial,
            outlets=[(r[0], r[1]) for r in outlets],
            failures=[(r[0], r[1]) for r in failures],
            feeds=[FeedStatus(r[0], r[1], when_of(r[2]), r[3], r[4], r[5], r[6]) for r in feeds],
        )
