"""The store interface everything else is typed against, and the function that opens the right backend.

``db`` is a file path (SQLite, the embedded default) or a ``postgresql://`` URL (PostgreSQL, for
shared deployments: several writers and one web app on one database). Both backends keep the same
records with the same behaviour; the contract tests (tests/store/) run against both.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import Any, Protocol, Self

from newsroundup.model import Article, Story
from newsroundup.settings import is_postgres_url
from newsroundup.store.feeds import FeedState, StoreStatus
from newsroundup.store.search import ArticleHit, EntityMention, StoryHit
from newsroundup.store.sqlite import StoredSignature
from newsroundup.store.stories import GroupingState, RoundupVersion, StoryRow

# Every table ``db copy`` moves, with its columns (the first of them order the rows), in a safe load order.
# Search indexes are not copied: each backend rebuilds its own from these.
COPY_TABLES: dict[str, tuple[str, ...]] = {
    "articles": ("seq", "id", "url", "outlet", "title", "author", "published", "language", "fetched_at", "text",
                 "fingerprint", "partial", "syndicated_from", "source"),
    "aliases": ("url", "article_id"),
    "signatures": ("article_id", "seq", "shingles", "minhash"),
    "feeds": ("url", "title", "etag", "last_modified", "last_polled_at", "last_status", "last_new", "last_error",
              "polls"),
    "failures": ("source", "item", "kind", "message", "first_at", "last_at", "count"),
    "robots": ("origin", "status", "body", "fetched_at"),
    "grouping": ("id", "state", "article_seq", "updated_at"),
    "grouping_stories": ("id", "seq", "state"),
    "stories": ("id", "seq", "first_seen", "last_seen", "articles", "independent", "merged_into", "updated_at"),
    "story_articles": ("article_id", "story_id"),
    "roundup_versions": ("story_id", "version", "fingerprint", "created_at", "headline", "roundup", "search_text"),
    "story_entities": ("story_id", "version", "position", "name", "kind", "aliases", "roles"),
}
COPY_ORDER: dict[str, str] = {
    "failures": "source, item",
    "roundup_versions": "story_id, version",
    "story_entities": "story_id, version, position",
}


def copy_select(table: str) -> str:
    """The query reading ``table`` for ``db copy``: its copied columns in a stable (binary) order."""
    columns = COPY_TABLES[table]
    return f"SELECT {', '.join(columns)} FROM {table} ORDER BY {COPY_ORDER.get(table, columns[0])}"


class ArticleSink(Protocol):
    """What ``add`` needs from wherever articles are kept: articles once each, polls, failures, robots copies."""

    # articles
    def article_for_url(self, url: str) -> str | None: ...

    def find_same(self, article: Article, fingerprint: str) -> str | None: ...

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
    ) -> bool: ...

    def partial_articles(
        self, source: str, max_attempts: int, tried_before: datetime
    ) -> list[tuple[str, str]]: ...

    def complete_article(
        self,
        article_id: str,
        article: Article,
        *,
        fingerprint: str,
        aliases: Sequence[str] = (),
        minhash: bytes = b"",
        shingles: int = 0,
    ) -> bool: ...

    def signatures_after(self, seq: int) -> list[StoredSignature]: ...

    # feeds, failures, robots
    def feed_state(self, url: str) -> FeedState | None: ...

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
    ) -> None: ...

    def record_failure(self, source: str, item: str, kind: str, message: str) -> None: ...

    def clear_failure(self, source: str, item: str) -> None: ...

    def failures(self) -> list[tuple[str, str, str, str, int]]: ...

    def robots_since(self, when: datetime) -> dict[str, tuple[int, str]]: ...

    def save_robots(self, copies: Mapping[str, tuple[int, str]]) -> None: ...


class Store(ArticleSink, Protocol):
    """Articles, feeds, failures, robots copies, stories and roundup versions; persists, computes nothing."""

    @property
    def path(self) -> Path | str:
        """Where the store is (a file path, or a URL without its password), for messages."""

    @property
    def schema_version(self) -> int: ...

    def __enter__(self) -> Self: ...

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None: ...

    def close(self) -> None: ...

    # articles (what ``add`` writes is in ``ArticleSink``)
    def articles(
        self, *, since: datetime | None = None, outlet: str | None = None, ids: Sequence[str] | None = None
    ) -> list[Article]: ...

    def articles_after(self, seq: int) -> list[tuple[int, Article]]: ...

    def articles_by_id(self, ids: Sequence[str]) -> list[Article]: ...

    # feeds, failures, robots (what ``add`` writes and reads is in ``ArticleSink``)
    def status(self) -> StoreStatus: ...

    # stories
    def grouping_state(self) -> GroupingState: ...

    def save_grouping(
        self,
        state: Mapping[str, Any],
        *,
        article_seq: int,
        previous_seq: int,
        stories: Sequence[Story],
        merged: Mapping[str, str],
        regrouped: bool = False,
        story_states: Mapping[str, Mapping[str, Any]] | None = None,
        gone_states: Sequence[str] = (),
    ) -> bool: ...

    def story_rows(self, *, since: datetime | None = None, min_sources: int = 0) -> list[StoryRow]: ...

    def merged_story_rows(self) -> list[StoryRow]: ...

    def story_row(self, story_id: str) -> StoryRow: ...

    def story_article_ids(self, story_id: str) -> list[str]: ...

    def stale_story_ids(self) -> list[str]: ...

    def roundup_fingerprint(self, story_id: str) -> str | None: ...

    def claim_story(self, story_id: str) -> AbstractContextManager[bool]: ...

    def save_roundup(
        self, story_id: str, fingerprint: str, roundup: Mapping[str, Any], independent: int
    ) -> int: ...

    def roundup_versions(self, story_id: str, limit: int | None = None) -> list[RoundupVersion]: ...

    # search
    def search_stories(self, text: str, limit: int = 20) -> list[StoryHit]: ...

    def search_articles(self, text: str, limit: int = 20) -> list[ArticleHit]: ...

    def entity_mentions(self) -> list[EntityMention]: ...

    def story_of(self, article_id: str) -> str | None: ...

    def latest_article_ids(self, limit: int) -> list[str]: ...

    def data_version(self) -> int: ...

    def rebuild_search(self) -> int:
        """Build the full-text indexes of articles and latest roundups anew; the number of articles indexed."""

    # moving a whole store (``db copy``)
    def table_rows(self, table: str) -> Iterator[tuple[Any, ...]]:
        """The rows of one of ``COPY_TABLES`` as stored, in ``copy_select`` order."""

    def load_tables(self, tables: Mapping[str, Iterable[Sequence[Any]]]) -> None:
        """Fill an empty store with these rows (``COPY_TABLES`` columns), in one transaction;
        ``InputError`` when the store is not empty."""


def open_store(db: str | Path, *, read_only: bool = False, existing: bool = False) -> Store:
    """The store at ``db``: a PostgreSQL URL opens the PostgreSQL backend, anything else a SQLite file.

    ``existing``: the store must already exist (reading commands); ``read_only``: queries only, and
    the schema must be up to date (one per web server thread).
    """
    if is_postgres_url(db):
        from newsroundup.store.postgres import PostgresStore

        return PostgresStore(str(db), read_only=read_only, existing=existing)
    from newsroundup.store.sqlite import Store as SQLiteStore

    if existing and not read_only:
        return SQLiteStore.existing(db)
    return SQLiteStore(db, read_only=read_only)
