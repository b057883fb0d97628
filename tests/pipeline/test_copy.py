"""Tests for pipeline/copy.py: ``db copy`` moves every table, SQLite <-> PostgreSQL, and checks it."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from newsroundup.cli import main
from newsroundup.errors import InputError
from newsroundup.model import Article, Entity, Roundup, RoundupSentence, Source, Span, Story, roundup_to_json
from newsroundup.pipeline.copy import copy_store, table_checksum
from newsroundup.store.base import COPY_TABLES, open_store

MAY = datetime(2026, 5, 4, 18, 0, tzinfo=UTC)
FERRY = "Ferry crews walked out on Monday, halting every sailing to the islands."
FIRE = "A heath fire spread across the ridge overnight and hundreds were evacuated."


def _fill(db: Path | str) -> None:
    """A store with something in every table."""
    with open_store(db) as store:
        ferry = Article("a1", FERRY, url="https://herald.example/1", outlet="Herald", title="Ferry strike",
                        published=MAY, fetched_at=MAY)
        fire = Article("a2", FIRE, url="https://quay.example/2", outlet="Quay Daily", title="Ridge fire",
                       fetched_at=MAY, partial=True, author="Ann Lee")
        store.save_article(ferry, fingerprint="f1", source="feed", aliases=["https://herald.example/1?amp"],
                           minhash=bytes(range(256)), shingles=9)
        store.save_article(fire, fingerprint="f2", source="feed", minhash=b"\x00\xff", shingles=3)
        store.record_poll("https://herald.example/feed", status="200", title="Herald", etag='"x"', new=1)
        store.record_failure("feed", "https://quay.example/3", "http-500", "quay: HTTP 500")
        store.save_robots({"https://herald.example": (200, "User-agent: *\nDisallow: /p/")})
        store.save_grouping({"format": 1, "ids": ["s1"]}, article_seq=2, previous_seq=0, merged={"s0": "s1"},
                            stories=[Story("s1", ("a1",), MAY, MAY), Story("s2", ("a2",), MAY, MAY)],
                            story_states={s: {"id": s, "seq": n, "articles": [f"a{n + 1}"]}
                                          for n, s in enumerate(("s1", "s2"))})
        for version, headline in enumerate(("Ferry crews strike", "Ferry strike ends"), 1):
            roundup = Roundup("s1", headline, (RoundupSentence(FERRY, Span("a1", 0, len(FERRY))),),
                              (Source("a1", "Herald", "Ferry strike", None, MAY),), "concept-ilp", "1",
                              entities=(Entity("Maren Holt", "person", roles=("union leader",)),))
            store.save_roundup("s1", f"fp{version}", roundup_to_json(roundup), 1)


def _sums(db: Path | str) -> dict[str, tuple[int, str]]:
    with open_store(db, existing=True) as store:
        return {table: table_checksum(store, table) for table in COPY_TABLES}


def test_a_sqlite_store_copies_to_another_file_with_every_row(tmp_path: Path) -> None:
    _fill(tmp_path / "a.db")
    checks = copy_store(tmp_path / "a.db", tmp_path / "b.db")
    assert all(c.same and c.rows for c in checks)
    assert _sums(tmp_path / "a.db") == _sums(tmp_path / "b.db")
    with open_store(tmp_path / "b.db") as copy:
        assert [h.story for h in copy.search_stories("ends")] == ["s1"]  # search indexes rebuilt
        assert [h.article for h in copy.search_articles("evacuated")] == ["a2"]


def test_copying_into_a_store_that_holds_something_is_refused(tmp_path: Path) -> None:
    _fill(tmp_path / "a.db")
    _fill(tmp_path / "b.db")
    with pytest.raises(InputError, match="not empty"):
        copy_store(tmp_path / "a.db", tmp_path / "b.db")
    with pytest.raises(InputError, match="same store"):
        copy_store(tmp_path / "a.db", tmp_path / "a.db")
    with pytest.raises(InputError, match="no such database"):
        copy_store(tmp_path / "none.db", tmp_path / "c.db")


def test_sqlite_to_postgresql_and_back_is_lossless(
    tmp_path: Path, pg_server: object, capsys: pytest.CaptureFixture[str]
) -> None:
    from pgserver import PgServer

    assert isinstance(pg_server, PgServer)
    url = pg_server.url()
    _fill(tmp_path / "a.db")
    assert main(["db", "copy", str(tmp_path / "a.db"), url]) == 0
    assert "same" in capsys.readouterr().out
    assert main(["db", "copy", "--from", url, "--to", str(tmp_path / "back.db")]) == 0
    assert _sums(tmp_path / "a.db") == _sums(url) == _sums(tmp_path / "back.db")
    with open_store(url) as copy:
        assert [h.story for h in copy.search_stories("ends")] == ["s1"]
        assert [h.article for h in copy.search_articles("evacuated")] == ["a2"]
        assert copy.story_row("s0").id == "s1" and copy.roundup_versions("s1")[0].version == 2
        new = Article("a3", "A third article.", outlet="Herald")
        assert copy.save_article(new, fingerprint="f3", source="test")
        assert [seq for seq, _ in copy.articles_after(0)] == [1, 2, 3]  # numbering goes on after the copy
    assert main(["db", "copy", str(tmp_path / "a.db"), url]) == 2  # not empty: one clear line
    assert "not empty" in capsys.readouterr().err


def test_db_copy_needs_both_stores_once_each(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _fill(tmp_path / "a.db")
    assert main(["db", "copy", "--from", str(tmp_path / "a.db")]) == 2
    assert "give --to (or DST)" in capsys.readouterr().err
    assert main(["db", "copy", str(tmp_path / "a.db"), "--from", str(tmp_path / "a.db"), "--to", "b.db"]) == 2
    assert "as SRC or as --from, not both" in capsys.readouterr().err
    assert main(["db", "copy", "--from", str(tmp_path / "a.db"), "--to", str(tmp_path / "b.db")]) == 0
    assert _sums(tmp_path / "a.db") == _sums(tmp_path / "b.db")
