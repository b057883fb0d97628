"""The store's schema as numbered migrations; ``PRAGMA user_version`` says how many are applied."""

from __future__ import annotations

# Each entry moves the schema from version i to i + 1. Never edit a released entry: append one.
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        """CREATE TABLE articles (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            id TEXT NOT NULL UNIQUE,
            url TEXT UNIQUE,
            outlet TEXT,
            title TEXT,
            author TEXT,
            published TEXT,
            language TEXT,
            fetched_at TEXT NOT NULL,
            text TEXT NOT NULL,
            fingerprint TEXT NOT NULL,
            partial INTEGER NOT NULL DEFAULT 0,
            syndicated_from TEXT,
            source TEXT
        )""",
        "CREATE UNIQUE INDEX articles_outlet_fingerprint ON articles (coalesce(outlet, ''), fingerprint)",
        "CREATE INDEX articles_when ON articles (coalesce(published, fetched_at))",
        "CREATE INDEX articles_outlet ON articles (outlet COLLATE NOCASE)",
        """CREATE TABLE aliases (
            url TEXT PRIMARY KEY,
            article_id TEXT NOT NULL
        ) WITHOUT ROWID""",
        """CREATE TABLE signatures (
            article_id TEXT PRIMARY KEY,
            seq INTEGER NOT NULL,
            shingles INTEGER NOT NULL,
            minhash BLOB NOT NULL
        )""",
        "CREATE INDEX signatures_seq ON signatures (seq)",
        """CREATE TABLE feeds (
            url TEXT PRIMARY KEY,
            title TEXT,
            etag TEXT,
            last_modified TEXT,
            last_polled_at TEXT,
            last_status TEXT,
            last_new INTEGER NOT NULL DEFAULT 0,
            last_error TEXT,
            polls INTEGER NOT NULL DEFAULT 0
        ) WITHOUT ROWID""",
        """CREATE TABLE failures (
            source TEXT NOT NULL,
            item TEXT NOT NULL DEFAULT '',
            kind TEXT NOT NULL,
            message TEXT NOT NULL,
            first_at TEXT NOT NULL,
            last_at TEXT NOT NULL,
            count INTEGER NOT NULL DEFAULT 1,
            PRIMARY KEY (source, item)
        ) WITHOUT ROWID""",
    ),
    (
        """CREATE TABLE robots (
            origin TEXT PRIMARY KEY,
            status INTEGER NOT NULL,
            body TEXT NOT NULL,
            fetched_at TEXT NOT NULL
        ) WITHOUT ROWID""",
    ),
)
