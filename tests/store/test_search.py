"""Tests for store/search.py: full-text search over articles and stories, and the entities of stories."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from newsroundup.errors import InputError
from newsroundup.model import Article, Entity, Roundup, RoundupSentence, Source, Span, Story, roundup_to_json
from newsroundup.store import Store as SQLiteStore
from newsroundup.store.base import Store, open_store
from newsroundup.store.schema import MIGRATIONS
from newsroundup.store.search import HIGHLIGHT_END, HIGHLIGHT_START, fts_query

MAY = datetime(2026, 5, 4, 18, 0, tzinfo=UTC)
FERRY = "Ferry crews walked out on Monday, halting every sailing to the islands."
FIRE = "A heath fire spread across the ridge overnight and hundreds were evacuated."


def _article(id: str, text: str, title: str) -> Article:
    return Article(id, text, outlet="Herald", title=title, published=MAY)


def _roundup(story: str, article: Article, headline: str, entities: tuple[Entity, ...] = ()) -> Roundup:
    return Roundup(
        story=story,
        headline=headline,
        sentences=(RoundupSentence(article.text, Span(article.id, 0, len(article.text))),),
        sources=(Source(article.id, article.outlet, article.title, None, MAY),),
        method="concept-ilp",
        version="1",
        entities=entities,
    )


@pytest.fixture
def store(db: Path | str) -> Iterator[Store]:
    store = open_store(db)
    ferry = _article("a1", FERRY, "Ferry crews strike")
    fire = _article("a2", FIRE, "Kestrel Ridge fire")
    for n, article in enumerate((ferry, fire)):
        store.save_article(article, fingerprint=f"f{n}", source="test")
    store.save_grouping(
        {"format": 1}, article_seq=2, previous_seq=0, merged={},
        stories=[Story("s1", ("a1",), MAY, MAY), Story("s2", ("a2",), MAY, MAY)],
    )
    union = Entity("Maren Holt", "person", roles=("union leader",))
    store.save_roundup("s1", "fp1", roundup_to_json(_roundup("s1", ferry, "Ferry crews strike", (union,))), 1)
    store.save_roundup("s2", "fp2", roundup_to_json(_roundup("s2", fire, "Heath fire on the ridge")), 1)
    with store:
        yield store


def test_articles_are_found_by_title_and_text_words_with_the_match_highlighted(store: Store) -> None:
    hits = store.search_articles("evacuated")
    assert [(h.article, h.story, h.title) for h in hits] == [("a2", "s2", "Kestrel Ridge fire")]
    assert f"{HIGHLIGHT_START}evacuated{HIGHLIGHT_END}" in hits[0].snippet
    assert [h.article for h in store.search_articles("kestrel")] == ["a2"]  # a title word
    assert [h.article for h in store.search_articles("sailings")] == ["a1"]  # stemmed: sailing
    assert [h.article for h in store.search_articles("isla")] == ["a1"]  # the last word is a prefix
    assert store.search_articles("ferry fire") == []  # every word must match


def test_what_a_reader_types_is_never_taken_as_search_syntax(store: Store) -> None:
    for text in ('"', "ferry AND", "NOT fire", "fire*)", "title:ferry", "NEAR(ferry fire)", "-", ""):
        store.search_articles(text)  # no sqlite3.OperationalError
        store.search_stories(text)
    assert fts_query("  ?! ") is None
    assert fts_query('ferry "OR" fire') == '"ferry" "OR" "fire"*'


def test_stories_are_found_by_their_latest_roundup_and_the_names_it_lists(store: Store) -> None:
    assert [h.story for h in store.search_stories("heath")] == ["s2"]
    assert [h.story for h in store.search_stories("holt")] == ["s1"]  # in the who's who only
    other = _article("a1", "Talks between the union and the operator began.", "Talks")
    store.save_roundup("s1", "fp3", roundup_to_json(_roundup("s1", other, "Talks begin")), 1)
    assert store.search_stories("halting") == []  # only the latest version is searched
    assert [(h.story, h.headline) for h in store.search_stories("talks")] == [("s1", "Talks begin")]


def test_a_merged_story_is_not_found_and_its_entities_are_not_listed(store: Store) -> None:
    assert {m.name for m in store.entity_mentions()} == {"Maren Holt"}
    mention = store.entity_mentions()[0]
    assert (mention.story, mention.kind, mention.roles) == ("s1", "person", ("union leader",))
    store.save_grouping(
        {"format": 1}, article_seq=3, previous_seq=2, merged={"s1": "s2"},
        stories=[Story("s2", ("a1", "a2"), MAY, MAY)],
    )
    assert store.search_stories("strike") == []
    assert store.entity_mentions() == []


def test_a_completed_article_is_searched_by_its_new_text(store: Store, tmp_path: Path) -> None:
    partial = Article("p1", "Only an excerpt.", url="https://herald.example/p1", outlet="Herald", partial=True)
    store.save_article(partial, fingerprint="fp", source="feed")
    full = Article("p1", "The full page about the lighthouse keeper.", url="https://herald.example/p1")
    assert store.complete_article("p1", full, fingerprint="fq")
    assert [h.article for h in store.search_articles("lighthouse")] == ["p1"]
    assert store.search_articles("excerpt") == []


def test_a_v3_store_gains_search_over_what_it_already_holds(tmp_path: Path) -> None:
    path = tmp_path / "v3.db"
    con = sqlite3.connect(path)
    for statements in MIGRATIONS[:3]:
        for statement in statements:
            con.execute(statement)
    con.execute(
        "INSERT INTO articles (id, title, fetched_at, text, fingerprint) "
        "VALUES ('old', 'Dam', '2026-01-01T00:00:00+00:00', 'The dam gave way at dawn.', 'f')"
    )
    con.execute("INSERT INTO stories (id, seq, articles, independent, updated_at) VALUES ('s', 0, 1, 1, 'x')")
    roundup = roundup_to_json(_roundup("s", _article("old", "The dam gave way at dawn.", "Dam"), "Dam fails"))
    con.execute(
        "INSERT INTO roundup_versions VALUES ('s', 1, 'fp', '2026-01-01T00:00:00+00:00', 'Dam fails', ?)",
        (json.dumps(roundup),),
    )
    con.execute("PRAGMA user_version = 3")
    con.commit()
    con.close()
    with SQLiteStore(path) as store:
        assert [h.article for h in store.search_articles("dawn")] == ["old"]
        assert [h.story for h in store.search_stories("dawn")] == ["s"]


def test_a_read_only_store_queries_but_refuses_writes_and_old_files(store: Store, tmp_path: Path) -> None:
    with open_store(_location(store), read_only=True) as reader:
        assert [h.article for h in reader.search_articles("ferry")] == ["a1"]
        with pytest.raises(Exception, match=r"(?i)read.only|readonly"):
            reader.record_failure("x", "y", "kind", "message")
    old = tmp_path / "old.db"
    con = sqlite3.connect(old)
    con.execute("PRAGMA user_version = 3")
    con.close()
    with pytest.raises(InputError, match="schema version 3"):
        SQLiteStore(old, read_only=True)


def test_the_data_version_changes_when_another_connection_writes(store: Store) -> None:
    with open_store(_location(store), read_only=True) as reader:
        before = reader.data_version()
        assert reader.data_version() == before
        store.record_failure("x", "y", "kind", "message")
        assert reader.data_version() != before


def _location(store: Store) -> Path | str:
    """Where ``store`` is, to open it again (a PostgreSQL store's URL has no password in tests)."""
    return str(store.path) if isinstance(store.path, str) else store.path


def test_db_reindex_builds_lost_search_indexes_anew_and_keeps_every_row(
    store: Store, db: Path | str, capsys: pytest.CaptureFixture[str]
) -> None:
    from newsroundup.cli import main

    before = store.status()
    if isinstance(store, SQLiteStore):  # the article index emptied as a damaged file could leave it
        store._db.execute("INSERT INTO articles_fts (articles_fts) VALUES ('delete-all')")
        store._db.execute("DELETE FROM stories_fts")
        store._db.commit()
        assert store.search_articles("evacuated") == []
    else:
        store._db.execute("DELETE FROM stories_search")
    assert store.search_stories("heath") == []
    assert main(["db", "reindex", "--db", str(db)]) == 0
    assert "2 articles indexed" in capsys.readouterr().out
    with open_store(db, existing=True) as again:
        assert [h.article for h in again.search_articles("evacuated")] == ["a2"]
        assert [h.story for h in again.search_stories("heath")] == ["s2"]
        assert [h.story for h in again.search_stories("holt")] == ["s1"]  # the who's who is indexed again
        assert again.status() == before


def test_db_reindex_of_a_missing_store_is_one_clear_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from newsroundup.cli import main

    assert main(["db", "reindex", "--db", str(tmp_path / "none.db")]) == 2
    err = capsys.readouterr().err.strip()
    assert "none.db" in err and "\n" not in err and "Traceback" not in err
    assert not (tmp_path / "none.db").exists()
