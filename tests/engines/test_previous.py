"""Adding to an archive, model-free parts: reading what is there, replacing tables all or nothing, the
articles already archived, the copy links of archived articles, which stories get a new version."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pytest

from newsroundup.engines import plan
from newsroundup.engines.previous import (
    TABLES,
    next_versions,
    publish,
    read_previous,
    relink,
    split_known,
    state_from_table,
    state_table,
    unseen_rejections,
)
from newsroundup.errors import InputError
from newsroundup.model import Article


def _write(tables: dict[str, pd.DataFrame]) -> Callable[[str, Path], None]:
    def write(name: str, folder: Path) -> None:
        folder.mkdir(parents=True)
        tables[name].to_parquet(folder / "part-00000.parquet", index=False)

    return write


def _archive(out: Path, articles: list[tuple[str, str]], state: dict[str, object]) -> dict[str, pd.DataFrame]:
    tables = {name: read_previous(out / "never").tables[name] for name in TABLES}
    rows = [dict.fromkeys(plan.ARTICLE_COLUMNS) for _ in articles]
    for row, (id, fingerprint) in zip(rows, articles, strict=True):
        row.update(id=id, fingerprint=fingerprint, source="in.jsonl", line=1, partial=False)
    tables["articles"] = pd.DataFrame(rows, columns=list(plan.ARTICLE_COLUMNS))
    tables["state"] = state_table(state)
    publish(out, _write(tables))
    return tables


def test_a_new_folder_has_no_archive_and_an_incomplete_one_is_refused(tmp_path: Path) -> None:
    assert read_previous(tmp_path).state is None  # a new folder: no archive
    _archive(tmp_path, [("a", "f1")], {"format": 3})
    previous = read_previous(tmp_path)
    assert previous.state is not None and previous.known() == {"a": "f1"} and previous.state == {"format": 3}
    (tmp_path / "state" / "part-00000.parquet").unlink()
    (tmp_path / "state").rmdir()
    with pytest.raises(InputError, match="no state table"):
        read_previous(tmp_path)


def test_a_batch_that_fails_while_writing_leaves_the_archive_as_it_was(tmp_path: Path) -> None:
    _archive(tmp_path, [("a", "f1")], {"format": 3})

    def broken(name: str, folder: Path) -> None:
        if name == "stories":
            raise OSError("disk full")
        folder.mkdir(parents=True)
        pd.DataFrame({"id": ["new"], "fingerprint": ["f9"]}).to_parquet(folder / "part-00000.parquet")

    with pytest.raises(OSError, match="disk full"):
        publish(tmp_path, broken)
    assert read_previous(tmp_path).known() == {"a": "f1"}
    assert not (tmp_path / ".incoming").exists()


def test_a_swap_interrupted_half_way_is_finished_by_the_next_reader(tmp_path: Path) -> None:
    _archive(tmp_path, [("a", "f1")], {"format": 3})
    newer = {name: read_previous(tmp_path).tables[name] for name in TABLES}
    newer["articles"] = newer["articles"].assign(fingerprint=["f2"])
    incoming = tmp_path / ".incoming"
    for name in TABLES:
        _write(newer)(name, incoming / name)
    (incoming / "COMPLETE").write_text("\n".join(TABLES) + "\n")
    (tmp_path / ".replaced").mkdir()
    (tmp_path / "articles").rename(tmp_path / ".replaced" / "articles")  # the crash came here
    assert read_previous(tmp_path).known() == {"a": "f2"}
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(TABLES)


def test_archived_ids_are_skipped_with_the_same_text_and_rejected_with_another() -> None:
    batch = pd.DataFrame({"id": ["a", "b", "c"], "fingerprint": ["f1", "other", "f3"], "source": ["x.jsonl"] * 3,
                          "line": [1, 2, 3]})
    new, same, rejected = split_known(batch, {"a": "f1", "b": "f2"})
    assert list(new["id"]) == ["c"] and same == 1
    assert list(rejected["id"]) == ["b"] and rejected["reason"][0].startswith("id already archived")


def test_archived_copy_links_follow_the_new_originals_and_given_links_stay(tmp_path: Path) -> None:
    tables = _archive(tmp_path, [("a", "f1"), ("b", "f2"), ("c", "f3")], {"format": 3})
    tables["articles"]["syndicated_from"] = [None, "a", "wire-1"]  # b: detected copy of a; c: given by its feed
    tables["copies"] = pd.DataFrame({"article_id": ["b"], "original_id": ["a"]})
    publish(tmp_path, _write(tables))
    articles, changed = relink(read_previous(tmp_path), {"a": "z", "b": "z"})  # a new, earlier article z
    assert list(articles["syndicated_from"]) == ["z", "z", "wire-1"] and changed == {"a", "b"}


def test_only_stories_with_a_touched_article_get_a_version_after_their_last(tmp_path: Path) -> None:
    tables = _archive(tmp_path, [("a", "f1")], {"format": 3})
    tables["roundups"] = pd.DataFrame([{"story_id": "s1", "version": 2}, {"story_id": "s2", "version": 1}],
                                      columns=list(plan.ROUNDUP_COLUMNS))
    publish(tmp_path, _write(tables))
    stories = pd.DataFrame({"story_id": ["s1", "s1", "s2", "s3"], "article_id": ["a", "n1", "b", "n2"]})
    assert next_versions(stories, {"n1", "n2"}, read_previous(tmp_path)) == {"s1": 3, "s3": 1}


def test_since_leaves_out_earlier_articles_and_keeps_undated_ones() -> None:
    since = datetime(2024, 5, 1, tzinfo=UTC)
    assert plan.published_before(Article("a", "x", published=datetime(2024, 4, 30, 23, tzinfo=UTC)), since)
    assert not plan.published_before(Article("b", "x", published=datetime(2024, 5, 1, tzinfo=UTC)), since)
    assert not plan.published_before(Article("c", "x"), since)
    assert not plan.published_before(Article("d", "x", published=datetime(2020, 1, 1, tzinfo=UTC)), None)


def test_records_an_earlier_batch_rejected_are_not_rejected_again(tmp_path: Path) -> None:
    tables = _archive(tmp_path, [("a", "f1")], {"format": 3})
    tables["rejected"] = pd.DataFrame([{"source": "in.jsonl", "line": 2, "id": None, "reason": "not valid JSON"}],
                                      columns=list(plan.REJECTED_COLUMNS))
    publish(tmp_path, _write(tables))
    batch = pd.DataFrame({"source": ["in.jsonl", "in.jsonl", "other.jsonl"], "line": [2, 3, 2], "id": [None] * 3,
                          "reason": ["not valid JSON"] * 3})
    fresh = unseen_rejections(batch, read_previous(tmp_path))
    assert list(zip(fresh["source"], fresh["line"], strict=True)) == [("in.jsonl", 3), ("other.jsonl", 2)]


def test_the_story_state_is_a_row_per_story_and_an_old_one_row_state_still_reads(tmp_path: Path) -> None:
    state = {"format": 3, "next_seq": 7, "stories": [{"id": "s1", "articles": ["a"]}, {"id": "s2", "articles": []}]}
    table = state_table(state)
    assert list(table["part"]) == [0, 1, 2]
    assert state_from_table(table.iloc[::-1]) == state  # rows in any order
    assert state_from_table(state_table({"format": 3, "stories": []})) == {"format": 3, "stories": []}
    old = pd.DataFrame({"state": ['{"format": 3, "stories": [{"id": "s1"}]}']})
    assert state_from_table(old) == {"format": 3, "stories": [{"id": "s1"}]}
    _archive(tmp_path, [("a", "f1")], state)
    assert read_previous(tmp_path).state == state
    broken = read_previous(tmp_path).tables
    broken["state"] = table.iloc[:2]  # a story row lost
    publish(tmp_path, _write(broken))
    with pytest.raises(InputError, match="no readable story state"):
        read_previous(tmp_path)
