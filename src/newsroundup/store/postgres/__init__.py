"""The PostgreSQL store: the SQLite store's behaviour on a shared server (several writers, one web app).

Same records, same answers (the contract tests in tests/store/ run against both backends). How
concurrent writers stay correct:

- adds are idempotent (``INSERT … ON CONFLICT DO NOTHING`` on id, URL, and outlet + text) and take a
  transaction-scoped advisory lock, so article ``seq`` numbers commit in order: a grouping run that
  has seen up to ``seq`` N never misses an article numbered below N that committed later;
- saving a grouping takes another advisory lock and checks that nobody saved since it read the state
  (the loser writes nothing and runs again, as with SQLite);
- roundup versions of one story are written under a per-story lock and deduplicated by fingerprint;
- every write transaction bumps a change counter, which the web app polls (``data_version``).

Any failure of the connection (a wrong URL, a refused password, the server going away) is one clear
``InputError``; the transaction in progress is rolled back, so nothing is half-written.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from types import TracebackType
from typing import Any, NoReturn, Self

import psycopg
from psycopg import errors as pg_errors

from newsroundup.errors import InputError
from newsroundup.model import Article, Story, roundup_from_json
from newsroundup.store.base import COPY_TABLES, copy_select
from newsroundup.store.postgres.schema import MIGRATIONS
from newsroundup.store.search import (
    HIGHLIGHT_END,
    HIGHLIGHT_START,
    MAX_QUERY_TERMS,
    ArticleHit,
    EntityMention,
    StoryHit,
)
from newsroundup.store.sqlite import FeedState, FeedStatus, StoredSignature, StoreStatus
from newsroundup.store.stories import GroupingState, RoundupVersion, StoryRow
from newsroundup.text.dates import parse_iso_datetime

CONNECT_TIMEOUT_S = 10
# Advisory lock keys (any fixed numbers, unlikely to clash with another application's).
_MIGRATE_LOCK = 0x6E72_0001
_ARTICLES_LOCK = 0x6E72_0002
_GROUPING_LOCK = 0x6E72_0003
_ROUNDUP_LOCK = 0x6E72_0004  # with the story id's hash as the second key
_SNIPPET_OPTIONS = f'StartSel="{HIGHLIGHT_START}", StopSel="{HIGHLIGHT_END}", MaxWords=24, MinWords=12'
_RANK_WEIGHTS = "{0.25, 0.25, 0.25, 1.0}"  # D (body) .. A (title, headline): titles count 4x, as with SQLite
_TERM = re.compile(r"\w+", re.UNICODE)
_PASSWORD = re.compile(r"(//[^:/@]*:)[^@/]*@")

_ARTICLE_COLUMNS = (
    "id, text, url, outlet, title, published, language, fetched_at, syndicated_from, author, partial"
)
_STORY_COLUMNS = (
    "s.id, s.seq, s.first_seen, s.last_seen, s.articles, s.independent, s.merged_into, s.updated_at, "
    "r.headline, coalesce(r.version, 0)"
)
_LATEST = (
    "LEFT JOIN roundup_versions r ON r.story_id = s.id "
    "AND r.version = (SELECT max(version) FROM roundup_versions WHERE story_id = s.id)"
)


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


class PostgresStore:
    """Articles, feeds, failures and stories in a PostgreSQL database; persists records, computes nothing.

    ``read_only`` opens an up-to-date database for queries only (one per web server thread);
    ``existing``: the database must already hold a newsroundup store (reading commands).
    """

    def __init__(self, url: str, *, read_only: bool = False, existing: bool = False) -> None:
        self.url = url
        self.path = redact(url)
        try:
            self._db = psycopg.connect(
                url, autocommit=True, connect_timeout=CONNECT_TIMEOUT_S, application_name="newsroundup"
            )
        except psycopg.Error as exc:
            raise InputError(f"{self.path}: cannot connect to the database ({_first_line(exc)})") from exc
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

    @classmethod
    def existing(cls, url: str) -> PostgresStore:
        """Open a store that must already exist (for reading commands)."""
        return cls(url, existing=True)

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection."""
        self._db.close()

    # -- plumbing -------------------------------------------------------------------------------

    def _gone(self, exc: Exception) -> NoReturn:
        raise InputError(
            f"{self.path}: the database connection failed ({_first_line(exc)}); nothing half-written, run again"
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
                self._db.execute("SELECT pg_advisory_xact_lock(%s)", (_MIGRATE_LOCK,))
                self._db.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
                row = self._db.execute("SELECT version FROM schema_version").fetchone()
                version = int(row[0]) if row else 0
                if version > len(MIGRATIONS):
                    raise InputError(
                        f"{self.path}: database schema version {version} is newer than this newsroundup "
                        f"understands ({len(MIGRATIONS)}); upgrade newsroundup"
                    )
                for statements in MIGRATIONS[version:]:
                    for statement in statements:
                        self._db.execute(statement)
                self._db.execute("DELETE FROM schema_version")
                self._db.execute("INSERT INTO schema_version (version) VALUES (%s)", (len(MIGRATIONS),))
        except pg_errors.InsufficientPrivilege as exc:
            raise InputError(f"{self.path}: cannot create the store's tables ({_first_line(exc)})") from exc
        except (psycopg.OperationalError, psycopg.InterfaceError) as exc:
            self._gone(exc)
        except psycopg.errors.DuplicateTable as exc:
            raise InputError(
                f"{self.path}: the database already has tables of another application ({_first_line(exc)})"
            ) from exc

    # -- articles -------------------------------------------------------------------------------

    def article_for_url(self, url: str) -> str | None:
        """The id of the stored article that ``url`` led to, if any."""
        row = self._row("SELECT article_id FROM aliases WHERE url = %s", (url,))
        return str(row[0]) if row else None

    def find_same(self, article: Article, fingerprint: str) -> str | None:
        """The id of a stored article that is this one: same id, URL, or outlet and text."""
        row = self._row(
            "SELECT id FROM articles WHERE id = %s OR url = %s "
            "OR (coalesce(outlet, '') = %s AND fingerprint = %s) LIMIT 1",
            (article.id, article.url, article.outlet or "", fingerprint),
        )
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
        other = {k: v for k, v in (links or {}).items() if k != article.id}
        row = self._row(
            "SELECT newsroundup_save_article(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, "
            "%s, %s, %s, %s)",
            (
                article.id, article.url, article.outlet, article.title, article.author,
                _iso(article.published), article.language,
                _iso(article.fetched_at) or _iso(datetime.now(UTC)), article.text, fingerprint,
                int(article.partial), article.syndicated_from, source,
                [url for url in dict.fromkeys(aliases) if url], minhash, shingles,
                list(other), list(other.values()), _iso(datetime.now(UTC)), _ARTICLES_LOCK,
            ),
        )
        return bool(row and row[0])

    def partial_articles(self, source: str, max_attempts: int, tried_before: datetime) -> list[tuple[str, str]]:
        """(id, url) of ``source``'s partial articles to try again: fewer failed attempts than
        ``max_attempts``, the last one before ``tried_before``."""
        rows = self._rows(
            "SELECT a.id, a.url FROM articles a LEFT JOIN failures f ON f.source = a.source AND f.item = a.url "
            "WHERE a.source = %s AND a.partial = 1 AND a.url IS NOT NULL AND coalesce(f.count, 0) < %s "
            "AND coalesce(f.last_at, a.fetched_at) <= %s ORDER BY a.seq",
            (source, max_attempts, _iso(tried_before)),
        )
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
                with db.transaction():  # a savepoint: a clash rolls back this update only
                    cursor = db.execute(
                        "UPDATE articles SET text = %s, fingerprint = %s, partial = 0, title = coalesce(%s, title), "
                        "author = coalesce(%s, author), published = coalesce(published, %s), "
                        "language = coalesce(%s, language) WHERE id = %s AND partial = 1",
                        (article.text, fingerprint, article.title, article.author, _iso(article.published),
                         article.language, article_id),
                    )
            except pg_errors.UniqueViolation:
                return False  # the full text is already stored as another article of the outlet
            if cursor.rowcount != 1:
                return False
            db.execute(
                "UPDATE signatures SET minhash = %s, shingles = %s WHERE article_id = %s",
                (minhash, shingles, article_id),
            )
            _mark_stories_changed(db, [article_id])
            with db.cursor() as many:
                many.executemany(
                    "INSERT INTO aliases (url, article_id) VALUES (%s, %s) ON CONFLICT DO NOTHING",
                    [(url, article_id) for url in dict.fromkeys(aliases) if url],
                )
        return True

    def signatures_after(self, seq: int) -> list[StoredSignature]:
        """Signatures of articles stored after ``seq`` (0: all), oldest first."""
        rows = self._rows(
            "SELECT s.seq, s.article_id, s.minhash, s.shingles, coalesce(a.published, a.fetched_at), "
            "a.syndicated_from FROM signatures s JOIN articles a ON a.id = s.article_id "
            "WHERE s.seq > %s ORDER BY s.seq",
            (seq,),
        )
        return [StoredSignature(int(r[0]), r[1], bytes(r[2]), r[3], _when(r[4]), r[5]) for r in rows]

    def articles(
        self,
        *,
        since: datetime | None = None,
        outlet: str | None = None,
        ids: Sequence[str] | None = None,
    ) -> list[Article]:
        """Stored articles, oldest first, filtered by date (published, else fetched), outlet or ids."""
        clauses: list[str] = []
        params: list[Any] = []
        if since is not None:
            clauses.append("coalesce(published, fetched_at) >= %s")
            params.append(_iso(since))
        if outlet is not None:
            clauses.append("lower(outlet) = lower(%s)")
            params.append(outlet)
        if ids is not None:
            clauses.append("id = ANY(%s)")
            params.append(list(ids))
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        rows = self._rows(
            f"SELECT {_ARTICLE_COLUMNS} FROM articles {where} ORDER BY coalesce(published, fetched_at), seq",
            params,
        )
        return [_article(row) for row in rows]

    def articles_after(self, seq: int) -> list[tuple[int, Article]]:
        """(seq, article) of every article stored after ``seq`` (0: all), in the order they were stored."""
        rows = self._rows(f"SELECT seq, {_ARTICLE_COLUMNS} FROM articles WHERE seq > %s ORDER BY seq", (seq,))
        return [(int(row[0]), _article(row[1:])) for row in rows]

    def articles_by_id(self, ids: Sequence[str]) -> list[Article]:
        """The articles with these ids, in the order given; ``InputError`` names any missing."""
        found = {a.id: a for a in self.articles(ids=list(dict.fromkeys(ids)))}
        missing = [i for i in ids if i not in found]
        if missing:
            shown = ", ".join(repr(i) for i in missing[:5]) + (" ..." if len(missing) > 5 else "")
            raise InputError(f"{self.path}: no stored article with id {shown} (see `newsroundup articles`)")
        return [found[i] for i in dict.fromkeys(ids)]

    # -- feeds, failures, robots ----------------------------------------------------------------

    def feed_state(self, url: str) -> FeedState | None:
        """The validators from the last successful poll of ``url``, if it was polled."""
        row = self._row("SELECT etag, last_modified FROM feeds WHERE url = %s", (url,))
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
        now = _iso(datetime.now(UTC))
        with self._write() as db:
            db.execute(
                "INSERT INTO feeds (url, title, etag, last_modified, last_polled_at, last_status, last_new, "
                "last_error, polls) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, 1) "
                "ON CONFLICT (url) DO UPDATE SET title = coalesce(excluded.title, feeds.title), "
                "etag = coalesce(excluded.etag, feeds.etag), "
                "last_modified = coalesce(excluded.last_modified, feeds.last_modified), "
                "last_polled_at = excluded.last_polled_at, last_status = excluded.last_status, "
                "last_new = excluded.last_new, last_error = excluded.last_error, polls = feeds.polls + 1",
                (url, title, etag, last_modified, now, status, new, error),
            )

    def record_failure(self, source: str, item: str, kind: str, message: str) -> None:
        """Record (or count again) why ``item`` of ``source`` could not be added."""
        now = _iso(datetime.now(UTC))
        with self._write() as db:
            db.execute(
                "INSERT INTO failures (source, item, kind, message, first_at, last_at) "
                "VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (source, item) DO UPDATE SET kind = excluded.kind, "
                "message = excluded.message, last_at = excluded.last_at, count = failures.count + 1",
                (source, item, kind, message, now, now),
            )

    def clear_failure(self, source: str, item: str) -> None:
        """Forget an earlier failure of ``item`` now that it succeeded."""
        # one statement, one round trip (called after every stored article); the counter moves only
        # when a failure was in fact forgotten
        self._rows(
            "WITH gone AS (DELETE FROM failures WHERE source = %s AND item = %s RETURNING 1) "
            "UPDATE changes SET n = n + 1 WHERE id = 1 AND EXISTS (SELECT 1 FROM gone) RETURNING n",
            (source, item),
        )

    def robots_since(self, when: datetime) -> dict[str, tuple[int, str]]:
        """robots.txt copies fetched after ``when``: origin -> (status, body)."""
        rows = self._rows("SELECT origin, status, body FROM robots WHERE fetched_at >= %s", (_iso(when),))
        return {r[0]: (r[1], r[2]) for r in rows}

    def save_robots(self, copies: Mapping[str, tuple[int, str]]) -> None:
        """Keep freshly fetched robots.txt copies for the next runs."""
        if not copies:
            return
        now = _iso(datetime.now(UTC))
        with self._write() as db, db.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO robots (origin, status, body, fetched_at) VALUES (%s, %s, %s, %s) "
                "ON CONFLICT (origin) DO UPDATE SET status = excluded.status, body = excluded.body, "
                "fetched_at = excluded.fetched_at",
                [(origin, status, body, now) for origin, (status, body) in copies.items()],
            )

    def failures(self) -> list[tuple[str, str, str, str, int]]:
        """Every recorded failure: (source, item, kind, message, count), newest first."""
        rows = self._rows(
            "SELECT source, item, kind, message, count FROM failures ORDER BY last_at DESC, source, item"
        )
        return [(r[0], r[1], r[2], r[3], r[4]) for r in rows]

    def status(self) -> StoreStatus:
        """Counts for ``newsroundup status``."""
        counts = self._row("SELECT count(*), count(syndicated_from), coalesce(sum(partial), 0) FROM articles")
        total, copies, partial = counts or (0, 0, 0)
        outlets = self._rows(
            "SELECT coalesce(outlet, '(unknown)'), count(*) AS n FROM articles GROUP BY 1 ORDER BY n DESC, 1"
        )
        failures = self._rows("SELECT kind, count(*) AS n FROM failures GROUP BY kind ORDER BY n DESC, kind")
        feeds = self._rows(
            "SELECT url, title, last_polled_at, last_status, last_new, last_error, polls FROM feeds ORDER BY url"
        )
        return StoreStatus(
            articles=int(total),
            copies=int(copies),
            partial=int(partial),
            outlets=[(r[0], int(r[1])) for r in outlets],
            failures=[(r[0], int(r[1])) for r in failures],
            feeds=[FeedStatus(r[0], r[1], _when(r[2]), r[3], r[4], r[5], r[6]) for r in feeds],
        )

    # -- grouping and stories -------------------------------------------------------------------

    def grouping_state(self) -> GroupingState:
        """The saved grouping state (``{"format": None}`` when it is not a JSON object)."""
        row = self._row("SELECT state, article_seq FROM grouping WHERE id = 1")
        if row is None:
            return GroupingState(None, 0)
        try:
            state = json.loads(row[0])
        except json.JSONDecodeError:
            state = {"format": None}
        return GroupingState(state if isinstance(state, dict) else {"format": None}, int(row[1]))

    def save_grouping(
        self,
        state: Mapping[str, Any],
        *,
        article_seq: int,
        previous_seq: int,
        stories: Sequence[Story],
        merged: Mapping[str, str],
        regrouped: bool = False,
    ) -> bool:
        """Save the grouping after new articles, in one transaction (see the SQLite store's twin).

        Returns False, writing nothing, when another run saved a grouping since ``previous_seq`` was read.
        """
        now = _iso(datetime.now(UTC))
        with self._write() as db:
            db.execute("SELECT pg_advisory_xact_lock(%s)", (_GROUPING_LOCK,))
            row = db.execute("SELECT article_seq FROM grouping WHERE id = 1").fetchone()
            if (row[0] if row else 0) != previous_seq:
                return False
            db.execute(
                "INSERT INTO grouping (id, state, article_seq, updated_at) VALUES (1, %s, %s, %s) "
                "ON CONFLICT (id) DO UPDATE SET state = excluded.state, article_seq = excluded.article_seq, "
                "updated_at = excluded.updated_at",
                (json.dumps(state, separators=(",", ":")), article_seq, now),
            )
            old = db.execute("SELECT story_id, min(article_id) FROM story_articles GROUP BY 1").fetchall()
            with db.cursor() as cursor:
                for story in stories:
                    cursor.execute(
                        "INSERT INTO stories (id, seq, first_seen, last_seen, articles, independent, updated_at) "
                        "VALUES (%s, (SELECT count(*) FROM stories), %s, %s, %s, 0, %s) ON CONFLICT (id) DO UPDATE "
                        "SET first_seen = excluded.first_seen, last_seen = excluded.last_seen, "
                        "articles = excluded.articles, merged_into = NULL, updated_at = excluded.updated_at",
                        (story.id, _iso(story.first_seen), _iso(story.last_seen), len(story.article_ids), now),
                    )
                    cursor.executemany(
                        "INSERT INTO story_articles (article_id, story_id) VALUES (%s, %s) "
                        "ON CONFLICT (article_id) DO UPDATE SET story_id = excluded.story_id",
                        [(article, story.id) for article in story.article_ids],
                    )
                for gone, into in merged.items():
                    cursor.execute(
                        "INSERT INTO stories (id, seq, articles, independent, merged_into, updated_at) "
                        "VALUES (%s, (SELECT count(*) FROM stories), 0, 0, %s, %s) ON CONFLICT (id) DO UPDATE SET "
                        "merged_into = excluded.merged_into, updated_at = excluded.updated_at",
                        (gone, into, now),
                    )
                live = {story.id for story in stories}
                for story_id, article in old if regrouped else ():
                    if story_id not in live:
                        cursor.execute(
                            "UPDATE stories SET merged_into = "
                            "(SELECT story_id FROM story_articles WHERE article_id = %s), "
                            "updated_at = %s WHERE id = %s",
                            (article, now, story_id),
                        )
        return True

    def story_rows(self, *, since: datetime | None = None, min_sources: int = 0) -> list[StoryRow]:
        """Live (not merged-away) stories, most recently seen first, filtered by last seen and sources."""
        rows = self._rows(
            f"SELECT {_STORY_COLUMNS} FROM stories s {_LATEST} "
            "WHERE s.merged_into IS NULL AND s.independent >= %s AND (%s::text IS NULL OR s.last_seen >= %s) "
            "ORDER BY s.last_seen IS NULL, s.last_seen DESC, s.seq",
            (min_sources, _iso(since), _iso(since)),
        )
        return [_story_row(r) for r in rows]

    def merged_story_rows(self) -> list[StoryRow]:
        """Stories merged into another, as rows (their ``merged_into`` says where they went)."""
        rows = self._rows(
            f"SELECT {_STORY_COLUMNS} FROM stories s {_LATEST} WHERE s.merged_into IS NOT NULL ORDER BY s.seq"
        )
        return [_story_row(r) for r in rows]

    def story_row(self, story_id: str) -> StoryRow:
        """The story ``story_id``, following merges; ``InputError`` when there is none."""
        seen: set[str] = set()
        while story_id not in seen:
            seen.add(story_id)
            row = self._row(f"SELECT {_STORY_COLUMNS} FROM stories s {_LATEST} WHERE s.id = %s", (story_id,))
            if row is None:
                break
            found = _story_row(row)
            if found.merged_into is None:
                return found
            story_id = found.merged_into
        raise InputError(f"{self.path}: no story with id {story_id!r} (see `newsroundup stories`)")

    def story_article_ids(self, story_id: str) -> list[str]:
        """Ids of the story's articles, oldest first."""
        rows = self._rows(
            "SELECT m.article_id FROM story_articles m JOIN articles a ON a.id = m.article_id "
            "WHERE m.story_id = %s ORDER BY coalesce(a.published, a.fetched_at), a.seq",
            (story_id,),
        )
        return [str(r[0]) for r in rows]

    def stale_story_ids(self) -> list[str]:
        """Live stories changed by grouping after their latest roundup was written (or never written)."""
        rows = self._rows(
            "SELECT s.id FROM stories s LEFT JOIN (SELECT story_id, max(created_at) AS made "
            "FROM roundup_versions GROUP BY story_id) r ON r.story_id = s.id "
            "WHERE s.merged_into IS NULL AND (r.made IS NULL OR s.updated_at > r.made) ORDER BY s.seq"
        )
        return [str(r[0]) for r in rows]

    def latest_fingerprints(self) -> dict[str, str]:
        """Each story's latest roundup fingerprint (stories without a roundup are absent)."""
        rows = self._rows(
            "SELECT DISTINCT ON (story_id) story_id, fingerprint FROM roundup_versions "
            "ORDER BY story_id, version DESC"
        )
        return {str(r[0]): str(r[1]) for r in rows}

    def save_roundup(self, story_id: str, fingerprint: str, roundup: Mapping[str, Any], independent: int) -> int:
        """Keep ``roundup`` as the story's next version; return its number (the latest one when it was
        made from the same article set). One writer per story at a time (an advisory lock)."""
        with self._write() as db:
            db.execute("SELECT pg_advisory_xact_lock(%s, hashtext(%s))", (_ROUNDUP_LOCK, story_id))
            db.execute("UPDATE stories SET independent = %s WHERE id = %s", (independent, story_id))
            row = db.execute(
                "SELECT version, fingerprint FROM roundup_versions WHERE story_id = %s ORDER BY version DESC LIMIT 1",
                (story_id,),
            ).fetchone()
            if row is not None and row[1] == fingerprint:
                return int(row[0])
            version = int(row[0]) + 1 if row else 1
            db.execute(
                "INSERT INTO roundup_versions (story_id, version, fingerprint, created_at, headline, roundup) "
                "VALUES (%s, %s, %s, %s, %s, %s)",
                (story_id, version, fingerprint, _iso(datetime.now(UTC)), str(roundup.get("headline") or ""),
                 json.dumps(roundup, ensure_ascii=False, separators=(",", ":"))),
            )
        return version

    def roundup_versions(self, story_id: str, limit: int | None = None) -> list[RoundupVersion]:
        """The story's roundup versions, newest first (at most ``limit``)."""
        rows = self._rows(
            "SELECT story_id, version, fingerprint, created_at, roundup FROM roundup_versions "
            "WHERE story_id = %s ORDER BY version DESC LIMIT %s",
            (story_id, limit),
        )
        versions = []
        for row in rows:
            try:
                roundup = roundup_from_json(json.loads(row[4]))
            except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
                raise InputError(
                    f"{self.path}: roundup version {row[1]} of story {row[0]!r} cannot be read ({exc})"
                ) from exc
            versions.append(
                RoundupVersion(str(row[0]), int(row[1]), str(row[2]), parse_iso_datetime(row[3]), roundup)
            )
        return versions

    # -- search ---------------------------------------------------------------------------------

    def search_stories(self, text: str, limit: int = 20) -> list[StoryHit]:
        """Live stories whose latest roundup matches the words of ``text``, best first."""
        query = ts_query(text)
        if query is None:
            return []
        rows = self._rows(
            "SELECT story_id, headline, body, ts_headline('english', body, q, %s) FROM ("
            "SELECT f.story_id, f.headline, f.body, q FROM stories_search f JOIN stories s ON s.id = f.story_id, "
            "to_tsquery('english', %s) q WHERE f.search @@ q AND s.merged_into IS NULL "
            "ORDER BY ts_rank(%s, f.search, q) DESC, f.story_id LIMIT %s) hits",
            (_SNIPPET_OPTIONS, query, _RANK_WEIGHTS, limit),
        )
        return [StoryHit(str(r[0]), str(r[1]), _ellipsis(str(r[2]), str(r[3]))) for r in rows]

    def search_articles(self, text: str, limit: int = 20) -> list[ArticleHit]:
        """Articles whose title or text matches the words of ``text``, best first."""
        query = ts_query(text)
        if query is None:
            return []
        rows = self._rows(
            "SELECT id, title, outlet, published, story_id, text, ts_headline('english', text, q, %s) FROM ("
            "SELECT a.id, a.title, a.outlet, a.published, m.story_id, a.text, q FROM articles a "
            "LEFT JOIN story_articles m ON m.article_id = a.id, to_tsquery('english', %s) q "
            "WHERE a.search @@ q ORDER BY ts_rank(%s, a.search, q) DESC, a.seq LIMIT %s) hits",
            (_SNIPPET_OPTIONS, query, _RANK_WEIGHTS, limit),
        )
        return [
            ArticleHit(str(r[0]), r[1], r[2], _when(r[3]), r[4], _ellipsis(str(r[5]), str(r[6]))) for r in rows
        ]

    def entity_mentions(self) -> list[EntityMention]:
        """Every entity of every live story's latest roundup (stories most recently seen first)."""
        rows = self._rows(
            "SELECT s.id, e.value ->> 'name', e.value ->> 'kind', e.value -> 'aliases', e.value -> 'roles' "
            "FROM stories s JOIN roundup_versions r ON r.story_id = s.id "
            "AND r.version = (SELECT max(version) FROM roundup_versions WHERE story_id = s.id) "
            "CROSS JOIN LATERAL jsonb_array_elements(coalesce(r.roundup::jsonb -> 'entities', '[]'::jsonb)) "
            "WITH ORDINALITY AS e(value, key) WHERE s.merged_into IS NULL "
            "ORDER BY s.last_seen IS NULL, s.last_seen DESC, s.seq, e.key"
        )
        return [
            EntityMention(str(r[0]), str(r[1]), str(r[2]), _strings(r[3]), _strings(r[4])) for r in rows if r[1]
        ]

    def story_of(self, article_id: str) -> str | None:
        """The live story holding ``article_id`` (None when it is in none)."""
        row = self._row(
            "SELECT m.story_id FROM story_articles m JOIN stories s ON s.id = m.story_id "
            "WHERE m.article_id = %s AND s.merged_into IS NULL",
            (article_id,),
        )
        return str(row[0]) if row else None

    def latest_article_ids(self, limit: int) -> list[str]:
        """Ids of the ``limit`` most recent articles (published, else fetched), newest first."""
        rows = self._rows(
            "SELECT id FROM articles ORDER BY coalesce(published, fetched_at) DESC, seq DESC LIMIT %s", (limit,)
        )
        return [str(r[0]) for r in rows]

    def data_version(self) -> int:
        """The change counter: it moves whenever any writer commits (a cheap change check)."""
        row = self._row("SELECT n FROM changes WHERE id = 1")
        return int(row[0]) if row else 0


    # -- moving a whole store ------------------------------------------------------------------

    def table_rows(self, table: str) -> Iterator[tuple[Any, ...]]:
        """The rows of one of ``COPY_TABLES`` as stored, in ``copy_select`` order (streamed)."""
        try:
            with self._db.transaction(), self._db.cursor(name=f"copy_{table}") as cursor:
                cursor.itersize = 2000
                cursor.execute(copy_select(table))
                yield from cursor
        except (psycopg.OperationalError, psycopg.InterfaceError) as exc:
            self._gone(exc)

    def load_tables(self, tables: Mapping[str, Iterable[Sequence[Any]]]) -> None:
        """Fill this empty store with these rows, in one transaction (COPY; search columns follow)."""
        with self._write() as db:
            db.execute("SELECT pg_advisory_xact_lock(%s)", (_ARTICLES_LOCK,))
            held = [t for t in COPY_TABLES if db.execute(f"SELECT 1 FROM {t} LIMIT 1").fetchone()]
            if held:
                raise InputError(f"{self.path}: not empty (it has {', '.join(held)}); copy into a new database")
            with db.cursor() as cursor:
                for table, rows in tables.items():
                    with cursor.copy(f"COPY {table} ({', '.join(COPY_TABLES[table])}) FROM STDIN") as copy:
                        for row in rows:
                            copy.write_row(row)
            db.execute(
                "SELECT setval(pg_get_serial_sequence('articles', 'seq'), coalesce(max(seq), 0) + 1, false) "
                "FROM articles"
            )


def _mark_stories_changed(db: psycopg.Connection[Any], article_ids: Sequence[str]) -> None:
    """Mark the stories holding ``article_ids`` as changed (their roundups are refreshed on the next run)."""
    if article_ids:
        db.execute(
            "UPDATE stories SET updated_at = %s WHERE id IN "
            "(SELECT story_id FROM story_articles WHERE article_id = ANY(%s))",
            (_iso(datetime.now(UTC)), list(article_ids)),
        )


def _ellipsis(whole: str, snippet: str) -> str:
    """``snippet`` with "…" where it cuts ``whole`` short (as SQLite's snippet() marks it)."""
    plain = snippet.replace(HIGHLIGHT_START, "").replace(HIGHLIGHT_END, "")
    if plain == whole:
        return snippet
    start = whole.find(plain)
    return ("…" if start > 0 else "") + snippet + ("…" if start < 0 or start + len(plain) < len(whole) else "")


def _article(row: Sequence[Any]) -> Article:
    return Article(
        id=str(row[0]),
        text=str(row[1]),
        url=row[2],
        outlet=row[3],
        title=row[4],
        published=_when(row[5]),
        language=row[6],
        fetched_at=_when(row[7]),
        syndicated_from=row[8],
        author=row[9],
        partial=bool(row[10]),
    )


def _story_row(row: Sequence[Any]) -> StoryRow:
    return StoryRow(
        id=str(row[0]),
        seq=int(row[1]),
        first_seen=_when(row[2]),
        last_seen=_when(row[3]),
        articles=int(row[4]),
        independent=int(row[5]),
        merged_into=row[6],
        updated_at=_when(row[7]),
        headline=row[8],
        version=int(row[9]),
    )


def _strings(value: object) -> tuple[str, ...]:
    return tuple(str(item) for item in value) if isinstance(value, list) else ()


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _iso(when: datetime | None) -> str | None:
    """UTC ISO 8601 text, so that string order is time order (as the SQLite store writes it)."""
    return when.astimezone(UTC).isoformat() if when else None


def _when(value: object) -> datetime | None:
    return parse_iso_datetime(value) if isinstance(value, str) and value else None
