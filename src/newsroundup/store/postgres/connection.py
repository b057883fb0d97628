"""The PostgreSQL store's connection: connecting, one-line errors, write transactions, migrations."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from types import TracebackType
from typing import Any, NoReturn, Self

import psycopg
from psycopg import errors as pg_errors

from newsroundup.errors import InputError
from newsroundup.store.postgres.schema import MIGRATIONS
from newsroundup.store.rows import iso
from newsroundup.store.schema import pending_migrations
from newsroundup.store.search import (
    HIGHLIGHT_END,
    HIGHLIGHT_START,
    MAX_QUERY_TERMS,
)

CONNECT_TIMEOUT_S = 10
CONNECT_OPTIONS: dict[str, Any] = {
    "autocommit": True, "connect_timeout": CONNECT_TIMEOUT_S, "application_name": "newsroundup",
}
# Advisory lock keys (any fixed numbers, unlikely to clash with another application's).
MIGRATE_LOCK = 0x6E72_0001
ARTICLES_LOCK = 0x6E72_0002
GROUPING_LOCK = 0x6E72_0003
ROUNDUP_LOCK = 0x6E72_0004  # with the story id's hash as the second key
SNIPPET_OPTIONS = f'StartSel="{HIGHLIGHT_START}", StopSel="{HIGHLIGHT_END}", MaxWords=24, MinWords=12'
RANK_WEIGHTS = "{0.25, 0.25, 0.25, 1.0}"  # D (body) .. A (title, headline): titles count 4x, as with SQLite
_TERM = re.compile(r"\w+", re.UNICODE)
_PASSWORD = re.compile(r"(//[^:/@]*:)[^@/]*@")


def redact(url: str) -> str:
    """``url`` without its password (for messages)."""
    return _PASSWORD.sub(r"\1***@", url)


def ts_query(text: str) -> str | None:
    """The words of ``text`` as a ``to_tsquery`` query: all must match, the last one as a prefix.

    Only words pass, each quoted, so nothing a reader types is taken as query syntax.
    """
    terms = _TERM.findall(text)[:MAX_QUERY_TERMS]
    if not terms:
        return None
    quoted = [f"'{term}'" for term in terms]
    quoted[-1] += ":*"
    return " & ".join(quoted)


class PostgresConnection:
    """One connection to a newsroundup store in PostgreSQL; the table classes build on it."""

    def __init__(
        self, url: str, *, read_only: bool = False, existing: bool = False, lent: psycopg.Connection[Any] | None = None
    ) -> None:
        self.url = url
        self.path = redact(url)
        if lent is not None:  # a pooled read-only connection (store/postgres/pool.py), checked when it was opened
            self._db = lent
            return
        try:
            self._db = psycopg.connect(url, **CONNECT_OPTIONS)
        except psycopg.Error as exc:
            raise InputError(f"{self.path}: cannot connect to the database ({first_line(exc)})") from exc
        try:
            if (read_only or existing) and self._version() == 0:
                hint = f"create it with `newsroundup add SOURCE --db {self.path}`"
                raise InputError(f"{self.path}: no newsroundup store in this database ({hint})")
            if read_only:
                self._check_current()
                self._db.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
                return
            self._migrate()
        except BaseException:
            self._db.close()
            raise

    def __enter__(self) -> Self:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection."""
        self._db.close()

    # -- plumbing -------------------------------------------------------------------------------

    def _gone(self, exc: Exception) -> NoReturn:
        raise InputError(
            f"{self.path}: the database connection failed ({first_line(exc)}); nothing half-written, run again"
        ) from exc

    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        try:
            return self._db.execute(sql, params).fetchall()
        except (psycopg.OperationalError, psycopg.InterfaceError) as exc:
            self._gone(exc)

    def _row(self, sql: str, params: Sequence[Any] = ()) -> tuple[Any, ...] | None:
        rows = self._rows(sql, params)
        return rows[0] if rows else None

    @contextmanager
    def _write(self) -> Iterator[psycopg.Connection[Any]]:
        """One write transaction (rolled back on any error); it bumps the change counter."""
        try:
            with self._db.transaction():
                yield self._db
                self._db.execute("UPDATE changes SET n = n + 1 WHERE id = 1")
        except (psycopg.OperationalError, psycopg.InterfaceError) as exc:
            self._gone(exc)

    @property
    def schema_version(self) -> int:
        """How many migrations the database has."""
        return self._version()

    def _version(self) -> int:
        row = self._row("SELECT to_regclass('schema_version') IS NOT NULL")
        if not row or not row[0]:
            return 0
        found = self._row("SELECT version FROM schema_version")
        return int(found[0]) if found else 0

    def _check_current(self) -> None:
        version = self._version()
        if version != len(MIGRATIONS):
            raise InputError(
                f"{self.path}: database schema version {version}, this newsroundup needs "
                f"{len(MIGRATIONS)}; open it once with a writing command (e.g. `newsroundup db migrate`)"
            )

    def _migrate(self) -> None:
        """Bring the schema up to date; concurrent openers wait for each other (an advisory lock)."""
        if self._version() == len(MIGRATIONS):
            return
        try:
            with self._db.transaction():
                self._db.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATE_LOCK,))
                self._db.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
                row = self._db.execute("SELECT version FROM schema_version").fetchone()
                version = int(row[0]) if row else 0
                for statements in pending_migrations(self.path, version, MIGRATIONS):
                    for statement in statements:
                        self._db.execute(statement)
                self._db.execute("DELETE FROM schema_version")
                self._db.execute("INSERT INTO schema_version (version) VALUES (%s)", (len(MIGRATIONS),))
        except pg_errors.InsufficientPrivilege as exc:
            raise InputError(f"{self.path}: cannot create the store's tables ({first_line(exc)})") from exc
        except (psycopg.OperationalError, psycopg.InterfaceError) as exc:
            self._gone(exc)
        except psycopg.errors.DuplicateTable as exc:
            raise InputError(
                f"{self.path}: the database already has tables of another application ({first_line(exc)})"
            ) from exc


def mark_stories_changed(db: psycopg.Connection[Any], article_ids: Sequence[str]) -> None:
    """Mark the stories holding ``article_ids`` as changed (their roundups are refreshed on the next run)."""
    if article_ids:
        db.execute(
            "UPDATE stories SET updated_at = %s WHERE id IN "
            "(SELECT story_id FROM story_articles WHERE article_id = ANY(%s))",
            (iso(datetime.now(UTC)), list(article_ids)),
        )


def with_ellipsis(whole: str, snippet: str) -> str:
    """``snippet`` with "…" where it cuts ``whole`` short (as SQLite's snippet() marks it)."""
    plain = snippet.replace(HIGHLIGHT_START, "").replace(HIGHLIGHT_END, "")
    if plain == whole:
        return snippet
    start = whole.find(plain)
    return ("…" if start > 0 else "") + snippet + ("…" if start < 0 or start + len(plain) < len(whole) else "")


def first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
