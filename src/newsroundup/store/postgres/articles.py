"""The PostgreSQL store's articles, feeds, failures and robots.txt copies."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from psycopg import errors as pg_errors

from newsroundup.errors import InputError
from newsroundup.model import Article
from newsroundup.store.feeds import FeedState, FeedStatus, StoreStatus
from newsroundup.store.postgres.connection import (
    ARTICLES_LOCK,
    PostgresConnection,
    mark_stories_changed,
)
from newsroundup.store.rows import ARTICLE_COLUMNS, article_of_row, iso, when_of
from newsroundup.store.sqlite import StoredSignature


class ArticleTables(PostgresConnection):
    """The PostgreSQL store's articles, feeds, failures and robots.txt copies."""

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
                article.id,
                article.url,
                article.outlet,
                article.title,
                article.author,
                iso(article.published),
                article.language,
                iso(article.fetched_at) or iso(datetime.now(UTC)),
                article.text,
                fingerprint,
                int(article.partial),
                article.syndicated_from,
                source,
                [url for url in dict.fromkeys(aliases) if url],
                minhash,
                shingles,
                list(other),
                list(other.values()),
                iso(datetime.now(UTC)),
                ARTICLES_LOCK,
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
            (source, max_attempts, iso(tried_before)),
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
                        (
                            article.text,
                            fingerprint,
                            article.title,
                            article.author,
                            iso(article.published),
                            article.language,
                            article_id,
                        ),
                    )
            except pg_errors.UniqueViolation:
                return False  # the full text is already stored as another article of the outlet
            if cursor.rowcount != 1:
                return False
            db.execute(
                "UPDATE signatures SET minhash = %s, shingles = %s WHERE article_id = %s",
                (minhash, shingles, article_id),
            )
            mark_stories_changed(db, [article_id])
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
        return [StoredSignature(int(r[0]), r[1], bytes(r[2]), r[3], when_of(r[4]), r[5]) for r in rows]

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
            params.append(iso(since))
        if outlet is not None:
            clauses.append("lower(outlet) = lower(%s)")
            params.append(outlet)
        if ids is not None:
            clauses.append("id = ANY(%s)")
            params.append(list(ids))
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        rows = self._rows(
            f"SELECT {ARTICLE_COLUMNS} FROM articles {where} ORDER BY coalesce(published, fetched_at), seq",
            params,
        )
        return [article_of_row(row) for row in rows]

    def articles_after(self, seq: int) -> list[tuple[int, Article]]:
        """(seq, article) of every article stored after ``seq`` (0: all), in the order they were stored."""
        rows = self._rows(f"SELECT seq, {ARTICLE_COLUMNS} FROM articles WHERE seq > %s ORDER BY seq", (seq,))
        return [(int(row[0]), article_of_row(row[1:])) for row in rows]

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
        now = iso(datetime.now(UTC))
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
        now = iso(datetime.now(UTC))
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
        rows = self._rows("SELECT origin, status, body FROM robots WHERE fetched_at >= %s", (iso(when),))
        return {r[0]: (r[1], r[2]) for r in rows}

    def save_robots(self, copies: Mapping[str, tuple[int, str]]) -> None:
        """Keep freshly fetched robots.txt copies for the next runs."""
        if not copies:
            return
        now = iso(datetime.now(UTC))
        with self._write() as db, db.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO robots (origin, status, body, fetched_at) VALUES (%s, %s, %s, %s) "
                "ON CONFLICT (origin) DO UPDATE SET status = excluded.status, body = excluded.body, "
                "fetched_at = excluded.fetched_at",
                [(origin, status, body, now) for origin, (status, body) in copies.items()],
            )

    def failures(self) -> list[tuple[str, str, str, str, int]]:
        """Every recorded failure: (source, item, kind, message, count), newest first."""
        rows = self._rows("SELECT source, item, kind, message, count FROM failures ORDER BY last_at DESC, source, item")
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
            feeds=[FeedStatus(r[0], r[1], when_of(r[2]), r[3], r[4], r[5], r[6]) for r in feeds],
        )
