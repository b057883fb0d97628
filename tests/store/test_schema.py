"""Schema versions: a store gets the migrations it lacks; one newer than this newsroundup is refused by name."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from newsroundup.errors import InputError
from newsroundup.store import Store
from newsroundup.store.schema import MIGRATIONS, pending_migrations


def test_a_store_at_an_older_version_gets_only_the_migrations_it_lacks() -> None:
    assert pending_migrations("s.db", 0, MIGRATIONS) == MIGRATIONS
    assert pending_migrations("s.db", len(MIGRATIONS) - 1, MIGRATIONS) == MIGRATIONS[-1:]
    assert pending_migrations("s.db", len(MIGRATIONS), MIGRATIONS) == ()


def test_a_sqlite_file_from_a_newer_newsroundup_is_refused_by_name(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    Store(path).close()
    con = sqlite3.connect(path)
    con.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
    con.close()
    with pytest.raises(InputError, match=r"s\.db: database schema version \d+ is newer .*; upgrade newsroundup"):
        Store(path)
