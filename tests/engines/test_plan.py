"""The archive plan's model-free parts: inputs, line numbering, duplicates, LSH bands, copy verification, originals."""

from __future__ import annotations

import gzip
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from newsroundup.engines import plan
from newsroundup.engines.archive import archive_inputs, check_out_folder, raw_records, split_lines
from newsroundup.errors import InputError
from newsroundup.grouping.copies import signature_of
from newsroundup.grouping.signals import ArticleSignals

STORY = (
    "Rescue teams in the mountain town of Velmora pulled eleven climbers to safety on Saturday after an "
    "avalanche buried part of the north trail, the regional mountain service said. Two of the climbers "
    "were taken by helicopter to the hospital in Dunmere with broken legs, and the others walked down "
    "with the rescuers before dark."
)
OTHER = (
    "The city council of Harrow voted on Tuesday to close the old ferry terminal and move the service to the "
    "new harbour, ending a dispute that had run for three years between the port authority and the ferry line."
)


def test_inputs_are_files_or_folders_of_jsonl_and_parquet(tmp_path: Path) -> None:
    (tmp_path / "a.jsonl").write_text("{}\n")
    (tmp_path / "b.jsonl.gz").write_bytes(gzip.compress(b"{}\n"))
    (tmp_path / "notes.txt").write_text("x")
    assert [p.name for p in archive_inputs([tmp_path])] == ["a.jsonl", "b.jsonl.gz"]
    with pytest.raises(InputError, match="no such file"):
        archive_inputs([tmp_path / "missing.jsonl"])
    with pytest.raises(InputError, match=r"not a \.jsonl"):
        archive_inputs([tmp_path / "notes.txt"])


def test_out_folder_must_be_empty_or_an_archive(tmp_path: Path) -> None:
    (tmp_path / "stories").mkdir()
    check_out_folder(tmp_path)
    (tmp_path / "report.doc").write_text("x")
    with pytest.raises(InputError, match="other files"):
        check_out_folder(tmp_path)


def test_lines_are_numbered_as_hadoop_splits_them(tmp_path: Path) -> None:
    assert split_lines("a\r\nb\rc\n\nd\n") == ["a", "b", "c", "", "d"]
    assert split_lines('{"text": "a\u2028b"}') == ['{"text": "a\u2028b"}']  # JSON may hold U+2028 raw
    path = tmp_path / "x.jsonl.gz"
    path.write_bytes(gzip.compress(b'{"id": 1}\n\n{"id": 2}\n'))
    assert [(line, raw) for _, line, raw in raw_records([path])] == [(1, '{"id": 1}'), (3, '{"id": 2}')]


def _prepared(rows: list[tuple[str, str, int, str]]) -> pd.DataFrame:
    frame = pd.DataFrame([dict.fromkeys(plan.PREPARED_COLUMNS) for _ in rows])
    frame["id"], frame["source"], frame["line"], frame["fingerprint"] = zip(*rows, strict=True)
    return frame


def test_the_first_record_of_an_id_is_kept_and_later_ones_rejected() -> None:
    prepared = _prepared([("x", "b.jsonl", 1, "f1"), ("x", "a.jsonl", 9, "f1"), ("x", "a.jsonl", 10, "f2"),
                          ("y", "a.jsonl", 2, "f3")])
    articles, rejected = plan.reject_duplicates(prepared)
    assert sorted(zip(articles["id"], articles["line"], strict=True)) == [("x", 9), ("y", 2)]
    reasons = dict(zip(zip(rejected["source"], rejected["line"], strict=True), rejected["reason"], strict=True))
    assert reasons == {
        ("b.jsonl", 1): "duplicate id (same text); kept a.jsonl:9",
        ("a.jsonl", 10): "duplicate id (a different text); kept a.jsonl:9",
    }


def test_copies_share_a_band_are_verified_and_point_to_the_earliest() -> None:
    texts = {"wire": STORY, "copy": "Updated. " + STORY, "other": OTHER}
    signatures = {id: signature_of(text) for id, text in texts.items()}
    frame = pd.DataFrame({"id": list(texts), "minhash": [s.to_bytes() for s in signatures.values()],
                          "shingles": [s.shingles for s in signatures.values()]})
    banded = plan.bands(frame)
    b, _ = plan.lsh_shape()
    assert len(banded) == 3 * b
    shared = banded.merge(banded, on=["band", "key"])
    pairs = sorted({(x, y) for x, y in zip(shared["id_x"], shared["id_y"], strict=True) if x < y})
    assert pairs == [("copy", "wire")]
    candidates = pd.DataFrame({
        "a": ["copy", "copy"], "b": ["wire", "other"],
        "minhash_a": [signatures["copy"].to_bytes()] * 2, "shingles_a": [signatures["copy"].shingles] * 2,
        "minhash_b": [signatures["wire"].to_bytes(), signatures["other"].to_bytes()],
        "shingles_b": [signatures["wire"].shingles, signatures["other"].shingles],
    })
    verified = plan.verify_pairs(candidates)
    assert list(zip(verified["a"], verified["b"], strict=True)) == [("copy", "wire")]


def test_a_bucket_gives_each_pair_with_a_new_article_once() -> None:
    buckets = pd.DataFrame({"ids": [["c", "a", "b"], ["d", "e"]], "new": [["b"], []]})
    pairs = plan.bucket_pairs(buckets)
    assert list(zip(pairs["a"], pairs["b"], strict=True)) == [("a", "b"), ("b", "c")]  # a-c: both archived


def test_originals_are_the_earliest_of_each_component() -> None:
    orders = {"a": "2015-01-02", "b": "2015-01-01", "c": "2015-01-03", "d": "2015-01-01", "e": "2015-01-01"}
    edges = [("a", "b"), ("a", "c"), ("d", "e")]
    assert plan.copy_originals(edges, orders) == {"a": "b", "c": "b", "e": "d"}
    assert plan.copy_originals([], orders) == {}


def test_a_story_whose_rows_span_frames_comes_out_as_one_frame() -> None:
    rows = [("s1", 0), ("s1", 1), ("s2", 0), ("s2", 1), ("s2", 2), ("s3", 0), ("s4", 0)]
    frame = pd.DataFrame(rows, columns=["story_id", "position"])
    frames = [frame.iloc[0:3], frame.iloc[3:4], frame.iloc[4:4], frame.iloc[4:6], frame.iloc[6:7]]
    stories = list(plan.story_frames(frames))
    assert [(f["story_id"].iloc[0], list(f["position"])) for f in stories] == [
        ("s1", [0, 1]), ("s2", [0, 1, 2]), ("s3", [0]), ("s4", [0])]
    assert list(plan.story_frames([])) == []
    assert len(list(plan.story_frames([frame.iloc[0:0]]))) == 0


def test_an_enriched_roundup_step_keeps_its_parses_where_the_options_say(nlp: object, tmp_path: Path) -> None:
    from newsroundup.annotate import parses
    from newsroundup.roundup.enrich import EnrichOptions

    text = "“The ferries will run on Monday,” said Mayor Ana Ferreira. The strike ended after nine days of talks."
    row = {name: None for name in plan.ARTICLE_COLUMNS} | {"id": "a1", "text": text, "partial": False}
    story = pd.DataFrame([row | {"story_id": "s1", "position": 0}])
    options = plan.PlanOptions(enrich=EnrichOptions(), parses=parses.CacheSettings(folder=tmp_path / "parses"))
    before = parses.current().settings
    try:
        out = plan.roundup_group(story, options)  # as a Spark worker does, in a process of its own
        assert out["error"].iloc[0] is None
        assert len(list((tmp_path / "parses").glob("*/*/*.spacy"))) == 1
    finally:
        parses.configure(before)


def test_spark_partitions_grow_with_the_input_in_whole_waves() -> None:
    from newsroundup.engines.spark.job import ARTICLES_PER_PARTITION, partitions_for

    assert partitions_for(0, 2) == partitions_for(10_000, 2) == 4
    assert partitions_for(30_000, 2) == 6 * 2
    assert partitions_for(1_000_000, 2) * ARTICLES_PER_PARTITION >= 1_000_000
    assert partitions_for(1_000_000, 8) % 8 == 0


def test_a_failed_spark_job_is_told_by_its_cause_not_a_stack_frame() -> None:
    from newsroundup.engines.spark.job import failure_line

    message = (
        "An error occurred while calling o812.parquet.\n"
        "org.apache.spark.SparkException: Job aborted due to stage failure: Task 1 in stage 142.0 failed\n"
        "\tat org.apache.spark.scheduler.DAGScheduler.failJobAndIndependentStages(DAGScheduler.scala:2856)\n"
        "Caused by: java.lang.OutOfMemoryError: Java heap space\n"
        "\tat org.apache.spark.serializer.JavaDeserializationStream.readObject(JavaSerializer.scala:102)\n"
    )
    line = failure_line(message)
    assert line.startswith("java.lang.OutOfMemoryError: Java heap space") and "spark.driver.memory" in line
    assert failure_line("org.apache.spark.SparkException: Job aborted\n\tat a.b(C.scala:1)") == (
        "org.apache.spark.SparkException: Job aborted"
    )
    assert failure_line("Python worker exited unexpectedly\n\tat x.y(Z.java:3)") == "Python worker exited unexpectedly"
    shut = failure_line(": org.apache.spark.SparkException: Job 10 cancelled because SparkContext was shut down")
    assert "SparkContext was shut down" in shut and "SPARK_DRIVER_MEMORY" in shut


def test_windows_give_each_article_its_own_window_and_the_next_one_as_warm_up_or_context() -> None:
    windows = plan.Windows(size=4, overlap=1)
    assert [windows.of(p) for p in (0, 2, 3, 4)] == [
        [(0, "own"), (1, "context")], [(0, "own"), (1, "context")], [(0, "own"), (1, "warm")],
        [(1, "own"), (2, "context")],
    ]
    with pytest.raises(InputError, match="grouping overlap of 5 articles"):
        plan.Windows(size=4, overlap=5)
    with pytest.raises(InputError, match="grouping window of 0 articles"):
        plan.Windows(size=0, overlap=0)


def _grouping_row(id: str, axis: int, day: int) -> tuple[object, ...]:
    """A ``GROUPING_COLUMNS`` tuple whose vector points along ``axis`` (far from every other axis)."""
    vector = np.zeros(384, dtype="<f4")
    vector[axis] = 1.0
    return (id, vector.tobytes(), [], [], f"2020-01-{day:02d}T00:00:00+00:00", [], "Outlet", None)


def test_a_later_windows_story_goes_where_most_of_its_warm_up_articles_are_or_starts_anew() -> None:
    """Window 1 (grouped elsewhere) put c with the warm-up article b, and d alone: the driver places c in b's
    story without scoring it (its vector is far from b's) and starts a story with d."""
    from newsroundup.model import story_id

    windows = plan.Windows(size=2, overlap=1)
    rows = [_grouping_row("a", 0, 1), _grouping_row("b", 1, 2), _grouping_row("c", 2, 3), _grouping_row("d", 3, 4)]
    labels = pd.DataFrame([(1, "b", "x", True), (1, "c", "x", False), (1, "d", "y", False)],
                          columns=list(plan.WINDOW_COLUMNS))
    stories, state = plan.group_sorted(rows, None, None, plan.Stitch(labels, windows))
    story_of = dict(zip(stories["article_id"], stories["story_id"], strict=True))
    assert story_of["c"] == story_of["b"] == story_id("b")
    assert story_of["d"] == story_id("d") and story_of["a"] == story_id("a")
    assert state["documents"] == 4
    without, _ = plan.group_sorted(rows)  # placed by scoring, c joins nobody
    assert dict(zip(without["article_id"], without["story_id"], strict=True))["c"] == story_id("c")


def test_a_window_counts_its_context_scaled_to_the_stream_and_labels_only_what_it_placed() -> None:
    windows = plan.Windows(size=3, overlap=1)
    rows = [_grouping_row(f"n{i}", i, i + 1) for i in range(6)]
    exploded = pd.DataFrame(list(plan.window_rows(enumerate(rows), windows)),
                            columns=list(plan.WINDOW_INPUT_COLUMNS))
    assert sorted(set(exploded["window"])) == [1, 2]
    exploded = exploded[exploded["window"] == 1]
    assert list(exploded["role"]) == ["context", "context", "warm", "own", "own", "own"]
    labels = plan.group_window(exploded, documents_before=10)
    assert list(labels["article_id"]) == ["n2", "n3", "n4", "n5"]
    assert list(labels["warm"]) == [True, False, False, False]
    assert set(labels["window"]) == {1}


def test_counts_of_a_sample_scaled_to_the_stream_keep_every_item_seen() -> None:
    from newsroundup.grouping.match import TermCounts

    counts = TermCounts()
    for terms in (["Paris", "Lyon"], ["Paris"], ["Paris", "Nice"], []):
        counts.count(_signals(terms))
    counts.scale_to(40)
    assert (counts.documents, counts.terms["Paris"], counts.terms["Lyon"]) == (40, 30, 10)
    counts.scale_to(20)  # never down: a sample is never larger than the stream
    assert counts.documents == 40


def _signals(terms: list[str]) -> ArticleSignals:
    return ArticleSignals("x", np.ones(384, dtype=np.float32), frozenset(terms), None, frozenset(), frozenset(), None,
                          None)
