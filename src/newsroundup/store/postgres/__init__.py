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

from newsroundup.store.postgres.articles import ArticleTables
from newsroundup.store.postgres.connection import redact, ts_query
from newsroundup.store.postgres.stories import StoryTables

__all__ = ["PostgresStore", "redact", "ts_query"]


class PostgresStore(ArticleTables, StoryTables):
    """Articles, feeds, failures and stories in a PostgreSQL database; persists records, computes nothing.

    ``read_only`` opens an up-to-date database for queries only (one per web server thread);
    ``existing``: the database must already hold a newsroundup store (reading commands).
    """

    @classmethod
    def existing(cls, url: str) -> PostgresStore:
        """Open a store that must already exist (for reading commands)."""
        return cls(url, existing=True)
