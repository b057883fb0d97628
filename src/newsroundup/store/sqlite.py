"""The SQLite article store: WAL mode, short transactions and idempotent writes, safe to share."""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any

from newsroundup.errors import InputError
from newsroundup.model import Article
from newsroundup.store.feeds import FeedTables
from newsroundup.store.rows import ARTICLE_COLUMNS, article_of_row, iso, when_of
from newsroundup.store.schema import MIGRATIONS, pending_migrations
from newsroundup.store.search import SearchTables
from newsroundup.store.stories import StoryTables, mark_stories_changed

DEFAULT_DB = "newsroundup.db"
BUSY_TIMEOUT_MS = 60_000  # another add may hold the write lock for one short transaction


@dataclass(frozen=True)
class StoredSignature:
    """An article's syndication signature as stored, with what ordering and linking need."""

    seq: int
    article_id: str
    minhash: bytes
    shingles: int
    when: datetime | None
    syndicated_from: str | None


def default_db_path() -> Path:
    """``$NEWSROUNDUP_DB``, else ``newsroundup.db`` in the working directory."""
    return Path(os.environ.get("NEWSROUNDUP_DB") or DEFAULT_DB)


class Store(StoryTables, SearchTables, FeedTables):
    """Articles, feeds, failures and stories in one SQLite file; it persists records and computes nothing.

    ``read_only`` opens an existing, up-to-date file for queries only (one per web server thread).
    """

    def __init__(self, path: str | Path, *, read_only: bool = False) -> None:
        self.path = Path(path)
        if self.path.is_dir():
            raise InputError(f"{self.path}: is a folder; give a database file path")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise InputError(f"{self.path}: cannot create its folder ({exc.strerror or exc})") from exc
        try:
            self._db = sqlite3.connect(self.path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
            self._db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            if read_only:
                self._db.execute("PRAGMA query_only = ON")
                self._check_current()
                return
            self._use_wal()
            self._db.execute("PRAGMA synchronous = NORMAL")
            self._db.execute("PRAGMA foreign_keys = ON")
            self._migrate()
        except sqlite3.DatabaseError as exc:
            raise InputError(f"{self.path}: not a usable newsroundup database ({exc})") from exc

    def _use_wal(self) -> None:
        """Switch the file to write-ahead logging. Two openers switching one new file at once: SQLite answers
        "database is locked" to one of them at once, without its busy wait, so that one tries again (for as long
        as the busy timeout)."""
        deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
        while True:
            try:
                self._db.execute("PRAGMA journal_mode = WAL")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() >= deadline:
                    raise
                time.sleep(0.01)

    @classmethod
    def existing(cls, path: str | Path) -> Store:
        """Open a store that must already exist (for reading commands)."""
        if not Path(path).exists():
            hint = f"create it with `newsroundup add SOURCE --db {path}`"
            raise InputError(f"{path}: no such database ({hint})")
        return cls(path)

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection."""
        self._db.close()

    @property
    def schema_version(self) -> int:
        """How many migrations the file has."""
        return int(self._db.execute("PRAGMA user_version").fetchone()[0])

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One short write transaction, taking the write lock up front (no upgrade deadlocks)."""
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def _check_current(self) -> None:
        """Raise ``InputError`` unless the file has every migration (a read-only store cannot add them)."""
        if self.schema_version != len(MIGRATIONS):
            raise InputError(
                f"{self.path}: database schema version {self.schema_version}, this newsroundup needs "
                f"{len(MIGRATIONS)}; open it once with a writing command (e.g. `newsroundup status`)"
            )

    def _migrate(self) -> None:
        """Bring the schema up to date; concurrent openers wait for each other."""
        if self.schema_version == len(MIGRATIONS):
            return
        with self._write() as db:
            for statements in pending_migrations(self.path, self.schema_version, MIGRATIONS):
                for statement in statements:
                    db.execute(statement)
            db.execute(f"PRAGMA user_version = {len(MIGRATIONS)}")

    def rebuild_search(self) -> int:
        """Build the full-text indexes of articles and latest roundups anew; the number of articles indexed.

        One write transaction: readers see the old index until it commits, and a failure leaves it as it was.
        """
        with self._write() as db:
            db.execute("INSERT INTO articles_fts (articles_fts) VALUES ('rebuild')")
            db.execute("DELETE FROM stories_fts")
            db.execute(
                "INSERT INTO stories_fts (story_id, headline, body) SELECT r.story_id, r.headline, r.search_text "
                "FROM roundup_versions r WHERE r.version = "
                "(SELECT max(version) FROM roundup_versions WHERE story_id = r.story_id)"
            )
            return int(db.execute("SELECT count(*) FROM articles").fetchone()[0])

    # -- articles -----------------------------------------------------------------------------

    def article_for_url(self, url: str) -> str | None:
        """The id of the stored article that ``url`` led to, if any."""
        row = self._db.execute("SELECT article_id FROM aliases WHERE url = ?", (url,)).fetchone()
        return str(row[0]) if row else None

    def find_same(self, article: Article, fingerprint: str) -> str | None:
        """The id of a stored article that is this one: same id, URL, or outlet and text."""
        row = self._db.execute(
            "SELECT id FROM articles WHERE id = ? OR url = ? "
            "OR (coalesce(outlet, '') = ? AND fingerprint = ?) LIMIT 1",
            (article.id, article.url, article.outlet or "", fingerprint),
        ).fetchone()
        return str(row[0]) if row else None

    def save_article(
        self,
        article: Article,
        *,
        fingerprint: str,
        source: str,
        aliases: Sequence[str] = (),
        minhash: bytes = b"",
        shingles: int = 0,
        links: Mapping[str, str | None] | None = None,
    ) -> bool:
        """Store a new article with its aliases, signature and syndication links, atomically.

        Returns False (and changes nothing but aliases) when the article is already stored.
        ``links`` re-points ``syndicated_from`` of other articles (a new original arrived).
        """
        with self._write() as db:
            cursor = db.execute(
                "INSERT OR IGNORE INTO articles (id, url, outlet, title, author, published, language, "
                "fetched_at, text, fingerprint, partial, syndicated_from, source) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    article.id, article.url, article.outlet, article.title, article.author,
                    iso(article.published), article.language,
                    iso(article.fetched_at) or iso(datetime.now(UTC)), article.text, fingerprint,
                    int(article.partial), article.syndicated_from, source,
                ),
            )
            inserted = cursor.rowcount == 1
            owner = article.id if inserted else self.find_same(article, fingerprint)
            if owner is None:
                return False
            db.executemany(
                "INSERT OR IGNORE INTO aliases (url, article_id) VALUES (?, ?)",
                [(url, owner) for url in dict.fromkeys(aliases) if url],
            )
            if not inserted:
                return False
            seq = cursor.lastrowid
            db.execute(
                "INSERT OR REPLACE INTO signatures (article_id, seq, shingles, minhash) VALUES (?, ?, ?, ?)",
                (article.id, seq, shingles, minhash),
            )
            relinked = [other for other in (links or {}) if other != article.id]
            for other in relinked:
                db.execute("UPDATE articles SET syndicated_from = ? WHERE id = ?", ((links or {})[other], other))
            mark_stories_changed(db, relinked)
        return True

    def partial_articles(self, source: str, max_attempts: int, tried_before: datetime) -> list[tuple[str, str]]:
        """(id, url) of ``source``'s partial articles to try again: fewer failed attempts than
        ``max_attempts``, the last one before ``tried_before``."""
        rows = self._db.execute(
            "SELECT a.id, a.url FROM articles a LEFT JOIN failures f ON f.source = a.source AND f.item = a.url "
            "WHERE a.source = ? AND a.partial = 1 AND a.url IS NOT NULL AND coalesce(f.count, 0) < ? "
            "AND coalesce(f.last_at, a.fetched_at) <= ? ORDER BY a.seq",
            (source, max_attempts, iso(tried_before)),
        ).fetchall()
        return [(r[0], r[1]) for r in rows]

    def complete_article(
        self,
        article_id: str,
        article: Article,
        *,
        fingerprint: str,
        aliases: Sequence[str] = (),
        minhash: bytes = b"",
        shingles: int = 0,
    ) -> bool:
        """Replace a partial article's text by the full page; False when it is no longer partial."""
        with self._write() as db:
            try:
                cursor = db.execute(
                    "UPDATE articles SET text = ?, fingerprint = ?, partial = 0, title = coalesce(?, title), "
                    "author = coalesce(?, author), published = coalesce(published, ?), "
                    "language = coalesce(?, language) WHERE id = ? AND partial = 1",
                    (article.text, fingerprint, article.title, article.author, iso(article.published),
                     article.language, article_id),
                )
            except sqlite3.IntegrityError:
                return False  # the full text is already stored as another article of the outlet
            if cursor.rowcount != 1:
                return False
            db.execute(
                "UPDATE signatures SET minhash = ?, shingles = ? WHERE article_id = ?",
                (minhash, shingles, article_id),
            )
            mark_stories_changed(db, [article_id])
            db.executemany(
                "INSERT OR IGNORE INTO aliases (url, article_id) VALUES (?, ?)",
                [(url, article_id) for url in dict.fromkeys(aliases) if url],
            )
        return True

    def signatures_after(self, seq: int) -> list[StoredSignature]:
        """Signatures of articles stored after ``seq`` (0: all), oldest first."""
        rows = self._db.execute(
            "SELECT s.seq, s.article_id, s.minhash, s.shingles, coalesce(a.published, a.fetched_at), "
            "a.syndicated_from FROM signatures s JOIN articles a ON a.id = s.article_id "
            "WHERE s.seq > ? ORDER BY s.seq",
            (seq,),
        ).fetchall()
        return [StoredSignature(r[0], r[1], r[2], r[3], when_of(r[4]), r[5]) for r in rows]

    def articles(
        self,
        *,
        since: datetime | None = None,
        outlet: str | None = None,
        ids: Sequence[str] | None = None,
    ) -> list[Article]:
        """Stored articles, oldest first, filtered by date (published, else fetched), outlet or ids."""
        clauses, params = [], []
        if since is not None:
            clauses.append("coalesce(published, fetched_at) >= ?")
            params.append(iso(since))
        if outlet is not None:
            clauses.append("outlet = ? COLLATE NOCASE")
            params.append(outlet)
        if ids is not None:
            clauses.append(f"id IN ({', '.join('?' * len(ids))})")
            params.extend(ids)
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        rows = self._db.execute(
            f"SELECT {ARTICLE_COLUMNS} FROM articles {where} ORDER BY coalesce(published, fetched_at), seq",
            params,
        ).fetchall()
        return [article_of_row(row) for row in rows]

    def articles_after(self, seq: int) -> list[tuple[int, Article]]:
        """(seq, article) of every article stored after ``seq`` (0: all), in the order they were stored."""
        rows = self._db.execute(
            f"SELECT seq, {ARTICLE_COLUMNS} FROM articles WHERE seq > ? ORDER BY seq", (seq,)
        ).fetchall()
        return [(int(row[0]), article_of_row(row[1:])) for row in rows]

    def articles_by_id(self, ids: Sequence[str]) -> list[Article]:
        """The articles with these ids, in the order given; ``InputError`` names any missing."""
        found = {a.id: a for a in self.articles(ids=list(dict.fromkeys(ids)))}
        missing = [i for i in ids if i not in found]
        if missing:
            shown = ", ".join(repr(i) for i in missing[:5]) + (" ..." if len(missing) > 5 else "")
            raise InputError(f"{self.path}: no stored article with id {shown} (see `newsroundup articles`)")
        return [found[i] for i in dict.fromkeys(ids)]

    # -- moving a whole store ------------------------------------------------------------------

    def table_rows(self, table: str) -> Iterator[tuple[Any, ...]]:
        """The rows of one of ``COPY_TABLES`` as stored, in ``copy_select`` order."""
        from newsroundup.store.base import copy_select

        yield from self._db.execute(copy_select(table))

    def load_tables(self, tables: Mapping[str, Iterable[Sequence[Any]]]) -> None:
        """Fill this empty store with these rows, in one transaction (search indexes follow by trigger)."""
        from newsroundup.store.base import COPY_TABLES

        with self._write() as db:
            held = [t for t in COPY_TABLES if db.execute(f"SELECT 1 FROM {t} LIMIT 1").fetchone()]
            if held:
                raise InputError(f"{self.path}: not empty (it has {', '.join(held)}); copy into a new store")
            for table, rows in tables.items():
                columns = COPY_TABLES[table]
                db.executemany(
                    f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})", rows
                )
