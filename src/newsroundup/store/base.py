"""The store interface everything else is typed against, and the function that opens the right backend.

``db`` is a file path (SQLite, the embedded default) or a ``postgresql://`` URL (PostgreSQL, for
shared deployments: several writers and one web app on one database). Both backends keep the same
records with the same behaviour; the contract tests (tests/store/) run against both.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import Any, Protocol, Self

from newsroundup.model import Article, Story
from newsroundup.settings import is_postgres_url
from newsroundup.store.search import ArticleHit, EntityMention, StoryHit
from newsroundup.store.sqlite import FeedState, StoredSignature, StoreStatus
from newsroundup.store.stories import GroupingState, RoundupVersion, StoryRow


class Store(Protocol):
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

    def articles(
        self, *, since: datetime | None = None, outlet: str | None = None, ids: Sequence[str] | None = None
    ) -> list[Article]: ...

    def articles_after(self, seq: int) -> list[tuple[int, Article]]: ...

    def articles_by_id(self, ids: Sequence[str]) -> list[Article]: ...

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

    def robots_since(self, when: datetime) -> dict[str, tuple[int, str]]: ...

    def save_robots(self, copies: Mapping[str, tuple[int, str]]) -> None: ...

    def failures(self) -> list[tuple[str, str, str, str, int]]: ...

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
    ) -> bool: ...

    def story_rows(self, *, since: datetime | None = None, min_sources: int = 0) -> list[StoryRow]: ...

    def merged_story_rows(self) -> list[StoryRow]: ...

    def story_row(self, story_id: str) -> StoryRow: ...

    def story_article_ids(self, story_id: str) -> list[str]: ...

    def stale_story_ids(self) -> list[str]: ...

    def latest_fingerprints(self) -> dict[str, str]: ...

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
