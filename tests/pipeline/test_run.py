"""Tests for pipeline/run.py: stories kept across runs, roundups refreshed only when their articles change."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from newsroundup.model import Article
from newsroundup.pipeline.run import (
    RunOptions,
    article_set_fingerprint,
    group_new_articles,
    independent_sources,
    run,
)
from newsroundup.store import Store

FIXTURES = Path(__file__).parents[1] / "fixtures" / "run"
STREAM = str(FIXTURES / "tarrow-stream.jsonl")
LATE = str(FIXTURES / "tarrow-late.jsonl")
WEEKS_LATER = str(FIXTURES / "tarrow-weeks-later.jsonl")
QUICK = RunOptions(enrich=None)


def _stories(store: Store) -> dict[str, tuple[str, ...]]:
    """Each live story's id and its article ids."""
    return {row.id: tuple(sorted(store.story_article_ids(row.id))) for row in store.story_rows()}


def _story_of(store: Store, article: str) -> str:
    return next(id for id, members in _stories(store).items() if article in members)


def _versions(store: Store) -> dict[str, int]:
    return {row.id: row.version for row in store.story_rows()}


def test_a_late_article_joins_its_story_and_the_same_topic_weeks_later_starts_a_new_one(tmp_path: Path) -> None:
    with Store(tmp_path / "news.db") as store:
        first = run([STREAM], store, None, QUICK)
        assert len(first.grouping.created) == 2 and not first.failed
        dunmore = _story_of(store, "herald-dunmore-collapse")
        assert _story_of(store, "valley-news-dunmore-bridge") == dunmore
        library = _story_of(store, "herald-glenmoor-library")
        assert library != dunmore

        late = run([LATE], store, None, QUICK)
        assert late.grouping.created == ()
        assert _story_of(store, "valley-news-dunmore-cables") == dunmore
        assert late.refresh.written == ((dunmore, 2),)  # only the story that changed
        assert _versions(store) == {dunmore: 2, library: 1}

        later = run([WEEKS_LATER], store, None, QUICK)
        ellerby = _story_of(store, "herald-ellerby-bridge")
        assert ellerby not in (dunmore, library)
        assert later.grouping.created == (ellerby,)
        assert _versions(store) == {dunmore: 2, library: 1, ellerby: 1}


def test_story_ids_are_stable_across_runs_and_match_a_run_from_scratch(tmp_path: Path) -> None:
    with Store(tmp_path / "a.db") as store:
        for source in (STREAM, LATE, WEEKS_LATER):
            run([source], store, None, QUICK)
        incremental = _stories(store)
        again = run([STREAM, LATE, WEEKS_LATER], store, None, QUICK)
        assert again.grouping.grouped == 0 and again.refresh.written == ()
        assert _stories(store) == incremental
    with Store(tmp_path / "b.db") as store:
        run([STREAM, LATE, WEEKS_LATER], store, None, QUICK)
        assert _stories(store) == incremental


def test_an_interrupted_run_is_finished_by_the_next(tmp_path: Path) -> None:
    with Store(tmp_path / "news.db") as store:
        run([STREAM], store, None, QUICK)
        run([LATE], store, None, QUICK)
        # As if a run died after grouping: the new article is placed, its story has no new roundup yet.
        from newsroundup.pipeline.add import add_sources

        add_sources([WEEKS_LATER], store)
        grouped = group_new_articles(store)
        assert grouped.grouped == 1 and grouped.created
        story = grouped.created[0]
        assert store.stale_story_ids() == [story]
        finished = run([], store, tmp_path / "site", QUICK)
        assert finished.added is None and finished.refresh.written == ((story, 1),)
        assert store.stale_story_ids() == []
        assert (tmp_path / "site" / "stories" / f"{story}.html").is_file()


def test_the_fingerprint_ignores_order_and_sees_text_and_copy_links() -> None:
    a, b = Article("a", "One text."), Article("b", "Another text.")
    assert article_set_fingerprint([a, b]) == article_set_fingerprint([b, a])
    assert article_set_fingerprint([a, b]) != article_set_fingerprint([a, replace(b, text="Completed text.")])
    assert article_set_fingerprint([a, b]) != article_set_fingerprint([a, replace(b, syndicated_from="a")])
    assert article_set_fingerprint([a]) != article_set_fingerprint([a, b])


@pytest.mark.parametrize(
    ("outlets", "expected"),
    [
        ([("Herald", None), ("herald", None), ("News", None)], 2),  # one outlet counts once, any case
        ([("Herald", None), ("News", "x")], 1),  # a copy is not independent
        ([(None, None), (None, None)], 2),  # unnamed outlets cannot be told apart
    ],
)
def test_independent_sources_are_distinct_outlets_of_originals(
    outlets: list[tuple[str | None, str | None]], expected: int
) -> None:
    articles = [Article(f"a{i}", "Text.", outlet=o, syndicated_from=c) for i, (o, c) in enumerate(outlets)]
    assert independent_sources(articles) == expected


def test_an_unreadable_grouping_state_is_rebuilt_keeping_ids_and_roundups(tmp_path: Path) -> None:
    import sqlite3

    with Store(tmp_path / "news.db") as store:
        run([STREAM, LATE], store, None, QUICK)
        before, versions = _stories(store), _versions(store)
    for damage in ("json_set(state, '$.format', 99)", "'{not json'"):  # another version's state; a damaged one
        con = sqlite3.connect(tmp_path / "news.db")
        con.execute(f"UPDATE grouping SET state = {damage}")
        con.commit()
        con.close()
        with Store(tmp_path / "news.db") as store:
            lines: list[str] = []
            rebuilt = run([], store, None, QUICK, notify=lines.append)
            assert rebuilt.grouping.grouped == 4 and rebuilt.grouping.regrouped and rebuilt.grouping.created == ()
            assert any("grouped every stored article again" in line for line in lines)
            assert _stories(store) == before and _versions(store) == versions  # same ids, no new version
            assert run([], store, None, QUICK).grouping.regrouped is None  # the state is readable again
    with Store(tmp_path / "news.db") as store:
        asked = run([WEEKS_LATER], store, None, replace(QUICK, regroup=True))
        assert asked.grouping.grouped == 5 and asked.grouping.regrouped == "asked for"
        assert len(asked.grouping.created) == 1
        assert {id: members for id, members in _stories(store).items() if id in before} == before
        assert len(asked.refresh.written) == 1  # only the new Ellerby story


def test_a_story_merged_into_another_is_found_under_its_old_id(tmp_path: Path) -> None:
    from newsroundup.grouping.options import GroupingOptions

    # Joining is made impossible and merging easy, so the second Dunmore article starts
    # a story of its own that at once merges into the first one.
    options = replace(QUICK, grouping=GroupingOptions(join=3.1, merge=0.9))  # scores are at most 3.0
    with Store(tmp_path / "news.db") as store:
        report = run([STREAM], store, tmp_path / "site", options)
        assert len(report.grouping.merged) == 1
        (gone, kept), = report.grouping.merged.items()
        assert store.story_row(gone).id == kept == _story_of(store, "valley-news-dunmore-bridge")
        assert gone not in _stories(store) and gone not in report.grouping.created
        assert [row.id for row in store.merged_story_rows()] == [gone]
    page = (tmp_path / "site" / "stories" / f"{gone}.html").read_text(encoding="utf-8")
    assert f'href="../stories/{kept}.html"' in page  # the old id's page leads to the story it became


def test_two_runs_at_once_on_one_store_lose_no_article(tmp_path: Path) -> None:
    import subprocess
    import sys

    db = tmp_path / "news.db"
    with Store(db):
        pass  # created (and migrated) once, before the two runs race
    command = [sys.executable, "-m", "newsroundup", "run", "--db", str(db), "--no-enrich", "--quiet"]
    sources = [["--out", str(tmp_path / "a"), STREAM], ["--out", str(tmp_path / "b"), LATE, WEEKS_LATER]]
    runs = [subprocess.Popen([*command, *args], stderr=subprocess.PIPE, text=True) for args in sources]
    for process in runs:
        _, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
    with Store(db) as store:
        stories = _stories(store)
        # Every article stored, each in exactly one story. Which stories form depends on how the two
        # runs interleave (online grouping sees the articles in another order), so it is not asserted here.
        members = [article for story in stories.values() for article in story]
        assert len(members) == len(set(members)) == 5
        assert store.stale_story_ids() == []  # every story has its roundup


def test_a_story_without_usable_text_is_reported_and_the_rest_of_the_run_proceeds(tmp_path: Path) -> None:
    broken = tmp_path / "broken.jsonl"
    # Only fragments and furniture: nothing a roundup could cite.
    broken.write_text(
        '{"id": "zz-junk", "outlet": "Nowhere Daily", "published": "2026-05-04T12:00:00Z", '
        '"text": "qx vlor\\nzzt prr wq\\nImage copyright Nowhere Daily"}\n',
        encoding="utf-8",
    )
    with Store(tmp_path / "news.db") as store:
        report = run([STREAM, str(broken)], store, tmp_path / "site", QUICK)
        junk = _story_of(store, "zz-junk")
        assert not report.failed  # sources were fine: the run succeeded
        assert len(report.refresh.written) == 2  # the two real stories got their roundups
        assert report.refresh.failures == (
            f"story {junk}: no new roundup (no article has a usable sentence); has none yet",
        )
        assert report.site is not None and report.site.stories >= 2
