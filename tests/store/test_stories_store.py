"""Tests for store/stories.py: grouping state, story membership, merges and roundup versions."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from newsroundup.errors import InputError
from newsroundup.model import (
    Article,
    Disagreement,
    Entity,
    Quote,
    Roundup,
    RoundupSentence,
    Source,
    Span,
    Story,
    TimelineEvent,
    roundup_from_json,
    roundup_to_json,
)
from newsroundup.store import GroupingState
from newsroundup.store import Store as SQLiteStore
from newsroundup.store.base import Store, open_store
from newsroundup.store.schema import MIGRATIONS

MAY = datetime(2026, 5, 4, 18, 0, tzinfo=UTC)
TEXT = 'The bridge fell into the river. "We will find out why," the engineer said.'


def _article(id: str, outlet: str = "Herald") -> Article:
    return Article(id, TEXT, outlet=outlet, title=f"Title of {id}", published=MAY)


def _roundup(story: str, sentences: int = 1) -> Roundup:
    return Roundup(
        story=story,
        headline="Bridge falls into the river",
        sentences=(RoundupSentence(TEXT[:31], Span("a1", 0, 31)),)[:sentences],
        sources=(Source("a1", "Herald", "Title of a1", "https://herald.example/a1", MAY),),
        method="concept-ilp",
        version="1",
    )


def _stored(db: Path | str, *ids: str) -> Store:
    store = open_store(db)
    for n, id in enumerate(ids):
        store.save_article(_article(id), fingerprint=f"f{n}", source="test")
    return store


def _save(store: Store, stories: list[Story], previous: int = 0, merged: dict[str, str] | None = None) -> bool:
    return store.save_grouping(
        {"format": 1},
        article_seq=previous + 1,
        previous_seq=previous,
        stories=stories,
        merged=merged or {},
    )


def test_a_v2_store_is_migrated_and_keeps_its_articles(tmp_path: Path) -> None:
    path = tmp_path / "v2.db"
    con = sqlite3.connect(path)
    for statements in MIGRATIONS[:2]:
        for statement in statements:
            con.execute(statement)
    con.execute(
        "INSERT INTO articles (id, fetched_at, text, fingerprint) VALUES ('old', '2026-01-01T00:00:00+00:00', 'x', 'f')"
    )
    con.execute("PRAGMA user_version = 2")
    con.commit()
    con.close()
    with SQLiteStore(path) as store:
        assert store.schema_version == len(MIGRATIONS)
        assert [a.id for a in store.articles()] == ["old"]
        assert store.grouping_state().state is None and store.story_rows() == []
        assert [(seq, a.id) for seq, a in store.articles_after(0)] == [(1, "old")]
        assert store.articles_after(1) == []


ENGINEER = Entity("Ann Hale", "person", aliases=("Hale",), roles=("engineer",))
FERRY = Entity("Harbour Ferries", "organization")


def test_search_reads_the_text_the_store_writes_and_older_versions_are_backfilled(tmp_path: Path) -> None:
    path = tmp_path / "v4.db"
    with _stored(path, "a1") as store:
        _save(store, [Story("s1", ("a1",))])
    con = sqlite3.connect(path)  # back to the schema before search_text, with a roundup saved as then
    con.execute("DROP TRIGGER stories_fts_roundup")
    con.execute("DELETE FROM stories_fts")
    con.execute("ALTER TABLE roundup_versions DROP COLUMN search_text")
    con.execute("DROP TABLE story_entities")
    con.execute("DROP TABLE grouping_stories")
    for statement in MIGRATIONS[3][-2:]:  # the JSON-reading trigger of that schema
        con.execute(statement)
    con.execute("INSERT INTO roundup_versions (story_id, version, fingerprint, created_at, headline, roundup) "
                "VALUES ('s1', 1, 'fp', '2026-05-04T18:00:00+00:00', 'Bridge falls', ?)",
                (json.dumps(roundup_to_json(replace(_roundup("s1"), entities=(ENGINEER,)))),))
    con.execute("PRAGMA user_version = 4")
    con.commit()
    con.close()
    with SQLiteStore(path) as store:
        assert store.schema_version == len(MIGRATIONS)
        assert [hit.story for hit in store.search_stories("river")] == ["s1"]
        backfilled = store._db.execute("SELECT search_text FROM roundup_versions WHERE version = 1").fetchone()
        assert "The bridge fell into the river." in backfilled[0]  # written by the migration from the JSON
        assert [(m.story, m.name, m.aliases) for m in store.entity_mentions()] == [("s1", "Ann Hale", ("Hale",))]
        renamed = {**roundup_to_json(replace(_roundup("s1"), entities=(ENGINEER, FERRY))), "headline": "Again"}
        renamed["sentences"] = [{**renamed["sentences"][0], "text": "The girder snapped above the weir."}]
        store.save_roundup("s1", "fp2", renamed, 1)
        assert [hit.story for hit in store.search_stories("weir")] == ["s1"]
        row = store._db.execute("SELECT search_text FROM roundup_versions WHERE version = 2").fetchone()
        assert "girder snapped above the weir" in row[0] and "Harbour Ferries" in row[0]
        assert [m.name for m in store.entity_mentions()] == ["Ann Hale", "Harbour Ferries"]  # the latest version's


def test_grouping_is_saved_with_members_and_a_second_saver_is_refused(db: Path | str) -> None:
    with _stored(db, "a1", "a2") as store:
        _save(store, [Story("s1", ("a1", "a2"), MAY, MAY)])
        saved = store.grouping_state()
        assert saved.state == {"format": 1, "stories": []} and saved.article_seq == 1
        assert store.story_article_ids("s1") == ["a1", "a2"]
        row = store.story_row("s1")
        assert (row.articles, row.independent, row.version, row.headline) == (2, 0, 0, None)
        assert not _save(store, [Story("s2", ("a2",))], previous=0)  # read before the save above
        assert [r.id for r in store.story_rows()] == ["s1"]


def _story_state(id: str, seq: int, articles: list[str]) -> dict[str, object]:
    return {"id": id, "seq": seq, "articles": articles, "slot": seq}


def test_the_grouping_state_is_kept_one_row_per_story_and_a_save_writes_only_what_changed(db: Path | str) -> None:
    with _stored(db, "a1", "a2", "a3") as store:
        whole = {"format": 3, "documents": 2, "stories": [_story_state("s1", 0, ["a1"]), _story_state("s2", 1, ["a2"])]}
        assert store.save_grouping(whole, article_seq=2, previous_seq=0, stories=[], merged={})
        assert store.grouping_state().state == whole
        assert store.save_grouping(  # s2 took a3 and absorbed s1; s3 is new
            {"format": 3, "documents": 3},
            story_states={"s2": _story_state("s2", 1, ["a2", "a3", "a1"]), "s3": _story_state("s3", 2, ["x"])},
            gone_states=["s1"],
            article_seq=3, previous_seq=2, stories=[], merged={},
        )
        assert store.grouping_state().state == {
            "format": 3, "documents": 3,
            "stories": [_story_state("s2", 1, ["a2", "a3", "a1"]), _story_state("s3", 2, ["x"])],
        }
        assert store.save_grouping(  # a regrouping replaces every row
            {"format": 3, "documents": 3}, story_states={"r1": _story_state("r1", 0, ["a1"])},
            article_seq=3, previous_seq=3, stories=[], merged={}, regrouped=True,
        )
        assert [s["id"] for s in store.grouping_state().state["stories"]] == ["r1"]  # type: ignore[index]


def test_a_v5_store_s_whole_grouping_state_is_moved_into_story_rows(tmp_path: Path) -> None:
    path = tmp_path / "v5.db"
    whole = {"format": 3, "next_seq": 2, "stories": [_story_state("s1", 0, ["a1"]), _story_state("s2", 1, ["a2"])]}
    with _stored(path, "a1", "a2") as store:
        _save(store, [Story("s1", ("a1",)), Story("s2", ("a2",))])
    con = sqlite3.connect(path)  # back to schema 5, with the state saved whole as then
    con.execute("DROP TABLE grouping_stories")
    con.execute("UPDATE grouping SET state = ?", (json.dumps(whole),))
    con.execute("PRAGMA user_version = 5")
    con.commit()
    con.close()
    with SQLiteStore(path) as store:
        assert store.schema_version == len(MIGRATIONS)
        assert store.grouping_state().state == whole
        rows = store._db.execute("SELECT id, seq FROM grouping_stories ORDER BY seq").fetchall()
        assert rows == [("s1", 0), ("s2", 1)]
        assert "stories" not in json.loads(store._db.execute("SELECT state FROM grouping").fetchone()[0])


def test_a_merged_story_is_found_under_its_old_id(db: Path | str) -> None:
    with _stored(db, "a1", "a2") as store:
        _save(store, [Story("s1", ("a1",)), Story("s2", ("a2",))])
        _save(store, [Story("s1", ("a1", "a2"))], previous=1, merged={"s2": "s1"})
        assert [r.id for r in store.story_rows()] == ["s1"]
        assert store.story_row("s2").id == "s1"
        assert [r.merged_into for r in store.merged_story_rows()] == ["s1"]
        assert store.story_article_ids("s1") == ["a1", "a2"]
        with pytest.raises(InputError, match="no story with id 'nope'"):
            store.story_row("nope")


def test_roundup_versions_count_up_and_the_same_article_set_adds_none(db: Path | str) -> None:
    with _stored(db, "a1") as store:
        _save(store, [Story("s1", ("a1",))])
        assert store.stale_story_ids() == ["s1"]
        assert store.save_roundup("s1", "fp1", roundup_to_json(_roundup("s1")), 1) == 1
        assert store.stale_story_ids() == []
        assert store.save_roundup("s1", "fp1", roundup_to_json(_roundup("s1", 0)), 1) == 1  # nothing new
        assert store.save_roundup("s1", "fp2", roundup_to_json(_roundup("s1", 0)), 1) == 2
        versions = store.roundup_versions("s1")
        assert [v.version for v in versions] == [2, 1]
        assert versions[1].roundup == _roundup("s1") and versions[0].roundup.sentences == ()
        assert store.roundup_fingerprint("s1") == "fp2"
        assert store.story_row("s1").version == 2
        assert store.story_row("s1").headline == "Bridge falls into the river"


def test_a_story_another_worker_is_writing_is_left_to_it(db: Path | str) -> None:
    from newsroundup.pipeline.run import refresh_roundups
    from newsroundup.roundup.summarize import RoundupOptions

    with _stored(db, "a1") as first, open_store(db) as second:
        _save(first, [Story("s1", ("a1",))])
        assert first.roundup_fingerprint("s1") is None
        with first.claim_story("s1") as mine:
            assert mine
            with second.claim_story("s1") as theirs:
                shared = isinstance(db, Path)  # SQLite grants every claim: its write lock serialises saves
                assert theirs == shared
            if not shared:
                report = refresh_roundups(second, RoundupOptions())
                assert report.busy == ("s1",) and report.written == () and second.roundup_versions("s1") == []
        report = refresh_roundups(second, RoundupOptions())  # released: the other worker writes it now
        assert [story for story, _ in report.written] == ["s1"] and report.busy == ()
        assert second.roundup_fingerprint("s1") == first.roundup_fingerprint("s1") is not None
        again = refresh_roundups(first, RoundupOptions())
        assert again.written == () and again.busy == ()


def test_the_roundup_json_reads_back_as_the_same_roundup() -> None:
    span = Span("a1", 0, 31)
    roundup = Roundup(
        story="s1",
        headline="Bridge falls",
        sentences=(
            RoundupSentence(TEXT[:31], span),
            RoundupSentence("The council engineer said.", span, True, "the engineer", "The council engineer"),
        ),
        sources=(Source("a1", "Herald", "T", None, MAY, None), Source("a2", None, None, None, None, "a1")),
        method="concept-ilp",
        version="1",
        quotes=(Quote("We will find out why,", "Rhodri Penhallow", Span("a1", 33, 54), Span("a1", 55, 74)),),
        entities=(Entity("Rhodri Penhallow", "person", ("Penhallow",), ("council engineer",)),),
        timeline=(TimelineEvent(MAY, TEXT[:31], span),),
        warnings=("only one independent source",),
        disagreements=(Disagreement("hurt", ("three", "four"), (span, span)),),
    )
    assert roundup_from_json(roundup_to_json(roundup)) == roundup


def test_a_damaged_grouping_state_reads_as_a_state_of_unknown_format(tmp_path: Path) -> None:
    with SQLiteStore(tmp_path / "s.db") as store:
        pass
    con = sqlite3.connect(tmp_path / "s.db")
    con.execute("INSERT INTO grouping (id, state, article_seq, updated_at) VALUES (1, '{oops', 7, '')")
    con.commit()
    con.close()
    with SQLiteStore(tmp_path / "s.db") as store:
        assert store.grouping_state() == GroupingState({"format": None}, 7)


def test_a_completed_partial_article_or_a_relinked_copy_marks_its_story_changed(db: Path | str) -> None:
    with open_store(db) as store:
        store.save_article(replace(_article("a1"), partial=True), fingerprint="f1", source="feed")
        store.save_article(_article("a2", "Wire"), fingerprint="f2", source="feed")
        _save(store, [Story("s1", ("a1",)), Story("s2", ("a2",))])
        store.save_roundup("s1", "fp", roundup_to_json(_roundup("s1")), 1)
        store.save_roundup("s2", "fp", roundup_to_json(_roundup("s2")), 1)
        assert store.stale_story_ids() == []
        assert store.complete_article("a1", replace(_article("a1"), text=TEXT + " More."), fingerprint="f1b")
        assert store.stale_story_ids() == ["s1"]
        store.save_article(_article("a0", "Agency"), fingerprint="f0", source="feed", links={"a2": "a0"})
        assert store.stale_story_ids() == ["s1", "s2"]


def test_after_a_regroup_a_story_that_is_gone_leads_to_the_one_holding_its_articles(db: Path | str) -> None:
    with _stored(db, "a1", "a2") as store:
        _save(store, [Story("s1", ("a1",)), Story("s2", ("a2",))])
        store.save_grouping(
            {"format": 1}, article_seq=2, previous_seq=1, stories=[Story("s1", ("a2", "a1"))], merged={}, regrouped=True
        )
        assert [r.id for r in store.story_rows()] == ["s1"]
        assert store.story_row("s2").id == "s1"
