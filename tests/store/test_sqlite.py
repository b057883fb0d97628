"""The SQLite store: schema versions, idempotent writes, filters, and clear errors for bad files."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from newsroundup.errors import InputError
from newsroundup.model import Article
from newsroundup.store import Store
from newsroundup.store.base import open_store
from newsroundup.store.schema import MIGRATIONS


def article(n: int, outlet: str = "Pellham Post", day: int = 1) -> Article:
    return Article(
        id=f"a{n}",
        text=f"Story number {n} about the ferry timetable.",
        url=f"https://post.example/{n}",
        outlet=outlet,
        published=datetime(2026, 3, day, 9, tzinfo=UTC),
    )


def test_new_store_is_at_the_latest_schema_version_in_wal_mode(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store:
        assert store.schema_version == len(MIGRATIONS)
    con = sqlite3.connect(tmp_path / "s.db")
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_saving_the_same_article_twice_changes_nothing(db: Path | str) -> None:
    with open_store(db) as store:
        assert store.save_article(article(1), fingerprint="f1", source="t", aliases=["https://post.example/1?x"])
        assert not store.save_article(article(1), fingerprint="f1", source="t")
        same_text_same_outlet = Article(id="other-id", text="x", outlet="Pellham Post")
        assert not store.save_article(same_text_same_outlet, fingerprint="f1", source="t")
        assert store.article_for_url("https://post.example/1?x") == "a1"
        assert [a.id for a in store.articles()] == ["a1"]


def test_filters_and_lookup_by_id(db: Path | str) -> None:
    with open_store(db) as store:
        for n, (outlet, day) in enumerate([("Pellham Post", 1), ("Quay Daily", 2), ("Pellham Post", 3)]):
            store.save_article(article(n, outlet, day), fingerprint=f"f{n}", source="t")
        assert [a.id for a in store.articles(since=datetime(2026, 3, 2, tzinfo=UTC))] == ["a1", "a2"]
        assert [a.id for a in store.articles(outlet="pellham post")] == ["a0", "a2"]
        assert [a.id for a in store.articles_by_id(["a2", "a0"])] == ["a2", "a0"]
        with pytest.raises(InputError, match="no stored article with id 'zz'"):
            store.articles_by_id(["a0", "zz"])


def test_failures_are_counted_and_cleared(db: Path | str) -> None:
    with open_store(db) as store:
        store.record_failure("feed", "item", "timeout", "feed: timed out")
        store.record_failure("feed", "item", "http-500", "feed: HTTP 500")
        assert store.failures() == [("feed", "item", "http-500", "feed: HTTP 500", 2)]
        assert store.status().failures == [("http-500", 1)]
        store.clear_failure("feed", "item")
        assert store.failures() == []


def test_a_file_that_is_not_a_database_is_a_clear_error(tmp_path: Path) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(InputError, match="not a usable newsroundup database"):
        Store(junk)
    with pytest.raises(InputError, match="is a folder"):
        Store(tmp_path)


def test_an_older_store_is_migrated_and_keeps_its_articles(tmp_path: Path) -> None:
    path = tmp_path / "v1.db"
    con = sqlite3.connect(path)
    for statement in MIGRATIONS[0]:
        con.execute(statement)
    con.execute(
        "INSERT INTO articles (id, fetched_at, text, fingerprint) VALUES ('old', '2026-01-01T00:00:00+00:00', 'x', 'f')"
    )
    con.execute("PRAGMA user_version = 1")
    con.commit()
    con.close()
    with Store(path) as store:
        assert store.schema_version == len(MIGRATIONS) > 1
        assert [a.id for a in store.articles()] == ["old"]
        store.save_robots({"http://x.example": (200, "User-agent: *\nDisallow: /p/")})
        assert store.robots_since(datetime(2026, 1, 1, tzinfo=UTC)) == {
            "http://x.example": (200, "User-agent: *\nDisallow: /p/")
        }


def test_a_newer_schema_is_refused(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db"):
        pass
    con = sqlite3.connect(tmp_path / "s.db")
    con.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
    con.close()
    with pytest.raises(InputError, match="newer than this newsroundup"):
        Store(tmp_path / "s.db")


def test_a_new_store_creates_its_folder(tmp_path: Path) -> None:
    path = tmp_path / "not" / "yet" / "there.db"
    with Store(path) as store:
        assert store.schema_version >= 1
    assert path.exists()
