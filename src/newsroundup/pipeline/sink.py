"""What ``add`` needs from wherever articles are kept: the store implements it, the stage never imports it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Protocol

from newsroundup.model import Article


class StoredSignatureRow(Protocol):
    """A stored article's signature, as the sink hands it back."""

    @property
    def seq(self) -> int: ...
    @property
    def article_id(self) -> str: ...
    @property
    def minhash(self) -> bytes: ...
    @property
    def shingles(self) -> int: ...
    @property
    def when(self) -> datetime | None: ...
    @property
    def syndicated_from(self) -> str | None: ...


class FeedValidators(Protocol):
    """What a conditional GET needs from the last poll."""

    @property
    def etag(self) -> str | None: ...
    @property
    def last_modified(self) -> str | None: ...


class ArticleSink(Protocol):
    """Where added articles, polls and failures go (the store implements this)."""

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
    def signatures_after(self, seq: int) -> Sequence[StoredSignatureRow]: ...
    def partial_articles(self, source: str, max_attempts: int, tried_before: datetime) -> list[tuple[str, str]]: ...
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
    def feed_state(self, url: str) -> FeedValidators | None: ...
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
