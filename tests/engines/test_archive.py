"""The archive: the local engine's tables, the same tables from Spark (local[2] and a standalone master with
one worker, also with its executor killed mid-job), and batches added to an archive giving what one run over
all of them gives."""

from __future__ import annotations

import gzip
import json
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from newsroundup.engines.archive import TABLES, ArchiveReport, archive
from newsroundup.engines.plan import NO_SENTENCES, PlanOptions, Windows
from newsroundup.engines.spark.standalone import Cluster, run_killing_executors, standalone

NOW = datetime(2030, 1, 1, tzinfo=UTC)


@pytest.fixture(scope="module")
def records(annotated_stories: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """The annotated stories' articles as archive records."""
    return [
        {"id": article.id, "text": article.text, "outlet": article.outlet, "title": article.title,
         "published": article.published.isoformat() if article.published else None}
        for story in annotated_stories.values() for article in story["articles"]
    ]


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory, records: list[dict[str, Any]]) -> Path:
    """A small real-looking archive: the annotated stories, a planted copy, bad lines and a duplicate id."""
    folder = tmp_path_factory.mktemp("archive-in")
    first = records[0]
    copy = {**first, "id": "planted-copy", "outlet": "Copy Daily", "text": "Updated.\n" + first["text"]}
    lines = [json.dumps(r) for r in records[: len(records) // 2]]
    (folder / "a.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    rest = [json.dumps(r) for r in records[len(records) // 2 :]]
    rest += ["not json", "[1, 2]", json.dumps({"id": "x", "title": "no text"}), json.dumps(copy),
             json.dumps({**first, "text": first["text"] + " A later paragraph."})]
    (folder / "b.jsonl").write_text("\n".join(rest) + "\n", encoding="utf-8")
    return folder


def tables(out: Path) -> dict[str, list[dict[str, object]]]:
    """Every table as sorted records (read with pyarrow: nulls as None, nullable integers as integers whichever
    engine wrote them), to compare engines value by value."""
    import pyarrow.parquet as pq

    return {name: sorted(pq.read_table(out / name).to_pylist(), key=lambda row: json.dumps(row, sort_keys=True,
                                                                                          default=str))
            for name in TABLES}


@pytest.fixture(scope="module")
def local_tables(inputs: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[dict[str, object]]]:
    out = tmp_path_factory.mktemp("archive-local")
    report = archive([inputs], out, PlanOptions(now=NOW), engine="local")
    assert (report.batch.rejected, report.batch.copies, report.failures) == (4, 1, 0)
    assert report.batch.new_stories == report.archive.stories == report.batch.roundups > 0
    assert report.archive.articles == report.batch.articles and report.archive.copies == 1
    return tables(out)


def test_local_engine_tables(local_tables: dict[str, list[dict[str, object]]]) -> None:
    reasons = sorted(str(r["reason"]) for r in local_tables["rejected"])
    assert any(r.startswith("duplicate id (a different text)") for r in reasons)
    assert any("not valid JSON" in r for r in reasons)
    assert local_tables["copies"] == [{"article_id": "planted-copy", "original_id": local_tables["copies"][0]
                                       ["original_id"]}]
    stories = {r["story_id"] for r in local_tables["stories"]}
    assert {r["story_id"] for r in local_tables["roundups"]} == stories
    assert len(stories) < len(local_tables["articles"])  # articles of one story are grouped together
    by_id = {r["id"]: r for r in local_tables["articles"]}
    for sentence in local_tables["sentences"]:  # every cited sentence is its span's text (or a declared rewrite)
        text = str(by_id[sentence["article_id"]]["text"])[int(sentence["start"]) : int(sentence["end"])]
        assert sentence["rewritten"] or text == sentence["text"]


def test_a_finished_run_again_adds_nothing_not_even_its_rejections(
    inputs: Path, local_tables: dict[str, list[dict[str, object]]], tmp_path: Path
) -> None:
    archive([inputs], tmp_path, PlanOptions(now=NOW))
    again = archive([inputs], tmp_path, PlanOptions(now=NOW))
    assert (again.batch.articles, again.batch.rejected, again.batch.roundups) == (0, 0, 0)
    assert again.archive.rejected == 4 and tables(tmp_path) == local_tables


def test_the_archive_groups_as_run_does_undated_articles_last_and_same_times_in_input_order(
    records: list[dict[str, Any]], tmp_path: Path
) -> None:
    from newsroundup.pipeline.run import RunOptions, run
    from newsroundup.store import Store

    day = "2024-03-05T00:00:00+00:00"  # a third of the articles undated, a third on one day: ties broken by input
    mixed = [{**r, "published": None if n % 3 == 0 else day if n % 3 == 1 else r["published"]}
             for n, r in enumerate(records)]
    source = tmp_path / "mixed.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in reversed(mixed)), encoding="utf-8")
    archive([source], tmp_path / "archive", PlanOptions(now=NOW))
    with Store(tmp_path / "news.db") as store:
        run([str(source)], store, None, RunOptions(enrich=None))
    with sqlite3.connect(tmp_path / "news.db") as db:
        ran = pd.DataFrame(db.execute("SELECT story_id, article_id FROM story_articles").fetchall(),
                           columns=["story_id", "article_id"])
    archived = pd.read_parquet(tmp_path / "archive" / "stories")
    assert len(ran) == len(archived) == len(records)

    def partition(stories: pd.DataFrame) -> list[list[str]]:
        return sorted(sorted(ids) for ids in stories.groupby("story_id")["article_id"].apply(list))

    assert partition(archived) == partition(ran)


def test_a_story_without_a_usable_sentence_gets_no_roundup_as_in_run(
    records: list[dict[str, Any]], tmp_path: Path
) -> None:
    fragments = {"id": "fragments", "title": "Storm closes road", "published": "2024-01-02T00:00:00+00:00",
                 "text": "Road closed after storm\n\nCrews on scene since morning\n\nNo injuries reported so far"}
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in [*records[:2], fragments]), encoding="utf-8")
    report = archive([source], tmp_path / "out", PlanOptions(now=NOW))
    assert (report.batch.failures, report.batch.without_roundup) == (0, 1)
    stories = pd.read_parquet(tmp_path / "out" / "stories")
    story = stories.loc[stories["article_id"] == "fragments", "story_id"].iloc[0]
    roundups = pd.read_parquet(tmp_path / "out" / "roundups").set_index("story_id")
    assert roundups.loc[story, "error"] == NO_SENTENCES and roundups.loc[story, "roundup"] is None
    assert roundups.drop(index=story)["error"].isna().all()


def test_spark_local_mode_writes_the_same_tables(
    inputs: Path, local_tables: dict[str, list[dict[str, object]]], tmp_path: Path
) -> None:
    report = archive([inputs], tmp_path, PlanOptions(now=NOW), engine="spark", master="local[2]")
    assert report.engine == "spark"
    assert tables(tmp_path) == local_tables


def test_windows_larger_than_the_batch_group_as_one_pass(
    inputs: Path, local_tables: dict[str, list[dict[str, object]]], tmp_path: Path
) -> None:
    archive([inputs], tmp_path, PlanOptions(now=NOW, windows=Windows(10_000, 2_500)))
    assert tables(tmp_path) == local_tables


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    """A standalone Spark master and one worker (2 cores) on loopback, started as users start them."""
    with pytest.MonkeyPatch.context() as env:
        env.setenv("SPARK_LOCAL_IP", "127.0.0.1")  # the driver too
        with standalone(tmp_path_factory.mktemp("spark-standalone")) as running:
            yield running


@pytest.fixture
def two_workers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    """A standalone Spark master and two workers of one core each (a job's tasks run in two executor JVMs),
    stopped after the test."""
    with pytest.MonkeyPatch.context() as env:
        env.setenv("SPARK_LOCAL_IP", "127.0.0.1")
        with standalone(tmp_path_factory.mktemp("spark-two-workers"), cores=1, workers=2) as running:
            yield running


def test_spark_on_two_workers_groups_in_windows_as_the_local_engine_does(
    inputs: Path, two_workers: Cluster, tmp_path: Path
) -> None:
    """Windows of 4 articles (2 of warm-up) on a standalone master: the later windows are grouped in Spark tasks
    spread over the two workers' executors (each with its own Python workers), the local engine groups them one
    after another; the tables are the same. (The one-pass job on a standalone master is checked by the test
    that kills its executor.)"""
    options = PlanOptions(now=NOW, windows=Windows(4, 2))
    local = archive([inputs], tmp_path / "local", options)
    assert local.batch.articles > 3 * 4  # several later windows
    archive([inputs], tmp_path / "spark", options, engine="spark", master=two_workers.url)
    assert all(list(folder.glob("app-*")) for folder in two_workers.worker_folders)  # both ran an executor
    assert tables(tmp_path / "spark") == tables(tmp_path / "local")


def test_an_executor_killed_mid_job_changes_nothing_and_a_finished_job_run_again_adds_nothing(
    inputs: Path, local_tables: dict[str, list[dict[str, object]]], cluster: Cluster, tmp_path: Path,
) -> None:
    out = tmp_path / "out"

    def job(notify: Callable[[str], None]) -> ArchiveReport:
        return archive([inputs], out, PlanOptions(now=NOW), engine="spark", master=cluster.url, notify=notify)

    report, kills = run_killing_executors(cluster, job, timeout=900)  # a guard against a hang
    assert len(kills) == 2 and kills[0].pid != kills[1].pid  # the worker launched a new executor after the first
    assert all(not Path(f"/proc/{kill.pid}").exists() for kill in kills)
    assert tables(out) == local_tables  # every table as an unkilled run writes it
    again = archive([inputs], out, PlanOptions(now=NOW), engine="spark", master=cluster.url)
    assert (again.batch.articles, again.batch.rejected, again.batch.roundups) == (0, 0, 0)
    assert again.batch.already_archived == report.batch.articles == again.archive.articles
    assert tables(out) == local_tables


# -- batches added to an archive ---------------------------------------------------------------------------


def _when(record: dict[str, Any]) -> datetime:
    if not record["published"]:
        return datetime(1970, 1, 1, tzinfo=UTC)
    when = datetime.fromisoformat(record["published"])
    return when if when.tzinfo else when.replace(tzinfo=UTC)


@pytest.fixture(scope="module")
def batches(tmp_path_factory: pytest.TempPathFactory, records: list[dict[str, Any]]) -> tuple[Path, Path, Path]:
    """The records in time order as two daily-style batches (the earlier 60%, then the rest), and all in one
    file; the second batch carries a copy of a first-batch article, published later."""
    folder = tmp_path_factory.mktemp("batches")
    ordered = sorted(records, key=lambda r: (_when(r), r["id"]))
    cut = len(ordered) * 6 // 10
    first, second = ordered[:cut], ordered[cut:]
    late = max(_when(r) for r in ordered)
    second = [*second, {**first[0], "id": "late-copy", "outlet": "Copy Daily", "text": "Updated.\n" + first[0]["text"],
                        "published": late.isoformat()}]
    paths = (folder / "day1.jsonl", folder / "day2.jsonl", folder / "all.jsonl")
    for path, rows in zip(paths, (first, second, first + second), strict=True):
        path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return paths


@pytest.fixture(scope="module")
def added(batches: tuple[Path, Path, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An archive of day 1 to which day 2 was added (local engine)."""
    out = tmp_path_factory.mktemp("archive-added")
    first = archive([batches[0]], out, PlanOptions(now=NOW))
    report = archive([batches[1]], out, PlanOptions(now=NOW))
    assert report.batch.articles == len(batches[1].read_text(encoding="utf-8").splitlines())
    assert report.batch.already_archived == 0
    # this batch's counts beside the archive's totals
    assert report.archive.articles == first.archive.articles + report.batch.articles
    assert report.archive.stories == first.archive.stories + report.batch.new_stories
    assert report.batch.updated_stories > 0 and report.batch.copies == 1  # late-copy
    assert report.batch.roundups == report.batch.new_stories + report.batch.updated_stories
    assert report.archive.roundup_versions == first.archive.roundup_versions + report.batch.roundups
    return out


def _latest(rows: list[dict[str, object]]) -> dict[object, dict[str, object]]:
    latest: dict[object, dict[str, object]] = {}
    for row in sorted(rows, key=lambda r: int(str(r["version"]))):
        latest[row["story_id"]] = row
    return latest


def test_a_later_batch_gives_what_one_run_over_both_gives(
    batches: tuple[Path, Path, Path], added: Path, tmp_path: Path
) -> None:
    archive([batches[2]], tmp_path, PlanOptions(now=NOW))
    once, twice = tables(tmp_path), tables(added)
    for name in ("copies", "stories", "sentences", "signatures", "state"):
        assert twice[name] == once[name], name

    def where_from_dropped(rows: list[dict[str, object]]) -> list[dict[str, object]]:  # files and lines differ
        return sorted(({k: v for k, v in r.items() if k not in {"source", "line"}} for r in rows),
                      key=lambda r: str(r["id"]))

    assert where_from_dropped(twice["articles"]) == where_from_dropped(once["articles"])
    assert any(r["article_id"] == "late-copy" for r in twice["copies"])
    latest = _latest(twice["roundups"])
    assert {story: (row["roundup"], row["fingerprint"]) for story, row in latest.items()} == {
        row["story_id"]: (row["roundup"], row["fingerprint"]) for row in once["roundups"]}
    versions = [int(str(r["version"])) for r in twice["roundups"]]
    assert 2 in versions and 1 in versions  # stories day 2 joined got a second version; the others kept theirs
    assert len(twice["roundups"]) > len(once["roundups"])  # and every earlier version is kept


def test_a_batch_run_again_writes_nothing_new(batches: tuple[Path, Path, Path], added: Path, tmp_path: Path) -> None:
    out = tmp_path / "again"
    shutil.copytree(added, out)
    report = archive([batches[1]], out, PlanOptions(now=NOW))
    assert (report.batch.articles, report.batch.roundups, report.batch.rejected) == (0, 0, 0)
    assert report.batch.already_archived == len(batches[1].read_text(encoding="utf-8").splitlines())
    assert report.archive.articles == len(tables(added)["articles"])
    assert tables(out) == tables(added)


def test_an_archived_id_with_another_text_is_rejected_and_the_archive_kept(
    records: list[dict[str, Any]], added: Path, tmp_path: Path
) -> None:
    out = tmp_path / "changed"
    shutil.copytree(added, out)
    changed = tmp_path / "changed.jsonl"
    changed.write_text(json.dumps({**records[0], "text": records[0]["text"] + " A new paragraph."}) + "\n",
                       encoding="utf-8")
    report = archive([changed], out, PlanOptions(now=NOW))
    assert (report.batch.articles, report.batch.rejected, report.batch.roundups) == (0, 1, 0)
    after, before = tables(out), tables(added)
    reasons = [str(r["reason"]) for r in after["rejected"] if r not in before["rejected"]]
    assert len(reasons) == 1 and reasons[0].startswith("id already archived with a different text")
    assert {k: v for k, v in after.items() if k != "rejected"} == {k: v for k, v in before.items() if k != "rejected"}


def test_spark_adds_a_batch_as_the_local_engine_does(
    batches: tuple[Path, Path, Path], added: Path, tmp_path: Path
) -> None:
    out = tmp_path / "spark"
    archive([batches[0]], out, PlanOptions(now=NOW))
    report = archive([batches[1]], out, PlanOptions(now=NOW), engine="spark", master="local[2]")
    assert report.engine == "spark"
    assert (report.batch.articles, report.batch.copies) == (len(batches[1].read_text(encoding="utf-8").splitlines()), 1)
    assert report.batch.updated_stories > 0 and report.archive.articles == len(tables(added)["articles"])
    assert tables(out) == tables(added)


def test_a_batch_grouped_in_windows_joins_the_archived_stories(
    batches: tuple[Path, Path, Path], added: Path, tmp_path: Path
) -> None:
    """Day 2 in windows of 3 articles on top of day 1: the first window continues the archive's index, the
    later ones are carried into it; every day 1 story keeps its id and articles."""
    out = tmp_path / "windowed"
    archive([batches[0]], out, PlanOptions(now=NOW))
    before = {row["article_id"]: row["story_id"] for row in tables(out)["stories"]}
    report = archive([batches[1]], out, PlanOptions(now=NOW, windows=Windows(3, 1)))
    assert report.batch.articles > 2 * 3 and report.batch.updated_stories > 0
    after = {row["article_id"]: row["story_id"] for row in tables(out)["stories"]}
    assert {a: after[a] for a in before} == before
    assert any(row["article_id"] == "late-copy" for row in tables(out)["copies"])


def test_spark_numbers_lines_as_the_local_reader_across_partitions(tmp_path: Path) -> None:
    from newsroundup.engines.archive import raw_records
    from newsroundup.engines.spark.job import raw_frame, spark_session

    plain = tmp_path / "a.jsonl"
    plain.write_bytes(b'{"id": "one"}\r\n\r\n{"id": "two"}\r{"id": "three"}\n \t\n{"id": "four"}\n\n{"id": "five"}')
    packed = tmp_path / "b.jsonl.gz"
    packed.write_bytes(gzip.compress(b'\n{"id": "six"}\n'))
    spark = spark_session("local[2]")
    try:
        spark.conf.set("spark.sql.files.maxPartitionBytes", "16")  # the plain file read as several partitions
        frame, records = raw_frame(spark, [plain, packed])
        assert frame.rdd.getNumPartitions() > 3 and records == 10  # blank lines too
        rows = frame.collect()
    finally:
        spark.stop()
    numbered = sorted((r.source, r.line, r.raw) for r in rows if r.raw.strip())
    assert numbered == sorted(raw_records([plain, packed]))
    assert len(numbered) == 6
