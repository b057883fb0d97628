"""The archive plan as a Spark job: the same plan functions, in ``mapInPandas`` tasks.

Text inputs are read and their lines numbered in the JVM. Per-article work (parsing and cleaning, the
fingerprint, the MinHash signature, the embedding, key terms) runs in ``mapInPandas`` tasks; each Python
worker loads the embedding model once and keeps it (Spark reuses its Python workers), with one embedder
thread per task. Copy candidates come from the LSH band keys two articles share (grouped in Spark), and
are verified in tasks; the components of the verified pairs (few: copies only) are found on the driver.
Grouping is sequential by design (each article is placed against the stories made so far), so it runs on
the driver over the articles streamed in time order (``toLocalIterator``); with grouping windows, the
windows after the first are grouped in tasks (``groupBy(window).applyInPandas``) and the driver only carries
their stories into its index (``plan.Stitch``). Roundups are written in tasks
of whole stories: the articles partitioned and sorted by story, one Python call per partition
(``applyInPandas`` would make one per story, and that overhead was 15 % of the step).
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from newsroundup.engines import plan
from newsroundup.engines.archive import (
    ArchiveReport,
    ArchiveTotals,
    Notify,
    Stopwatch,
    _kind,
    batch_counts,
    record_json,
)
from newsroundup.engines.plan import Frame, PlanOptions
from newsroundup.engines.previous import (
    SIGNATURE_COLUMNS,
    archived_edges,
    kept_sentences,
    known_reason,
    next_versions,
    publish,
    read_previous,
    relink,
    state_table,
    write_table,
)
from newsroundup.errors import NewsroundupError

RAW_SCHEMA = "source string, line long, raw string"
PREPARED_SCHEMA = (
    "source string, line long, id string, url string, outlet string, title string, published string, "
    "language string, fetched_at string, author string, partial boolean, syndicated_from string, text string, "
    "fingerprint string, sort_key string, minhash binary, shingles long, vector binary, terms array<string>, "
    "words array<string>, numbers array<string>, grouping_date string, reason string"
)
REJECTED_SCHEMA = "source string, line long, id string, reason string"
BAND_SCHEMA = "band long, key string, id string"
PAIR_SCHEMA = "a string, b string"
WINDOW_INPUT_SCHEMA = (  # plan.window_rows
    "window long, role string, position long, id string, vector binary, terms array<string>, words array<string>, "
    "grouping_date string, numbers array<string>, outlet string, syndicated_from string"
)
WINDOW_SCHEMA = "window long, article_id string, local_story string, warm boolean"  # plan.WINDOW_COLUMNS
STORY_SCHEMA = "story_id string, article_id string, position long, first_seen string, last_seen string"
ROUNDUP_SCHEMA = (
    "story_id string, version long, fingerprint string, headline string, words long, articles long, "
    "roundup string, error string"
)
SENTENCE_SCHEMA = (
    "story_id string, position long, text string, article_id string, start long, end long, rewritten boolean"
)
COPY_SCHEMA = "article_id string, original_id string"
ARTICLE_SCHEMA = (
    "source string, line long, id string, url string, outlet string, title string, published string, "
    "language string, fetched_at string, author string, partial boolean, syndicated_from string, text string, "
    "fingerprint string"
)
SIGNATURE_SCHEMA = "id string, sort_key string, minhash binary, shingles long"


LOCAL_DRIVER_MEMORY = "2g"  # a local master's JVM heap (Spark's default is 1g), unless SPARK_DRIVER_MEMORY is set


def spark_session(master: str) -> Any:
    """A Spark session on ``master`` whose Python workers run this interpreter (and this package)."""
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise NewsroundupError("the Spark engine needs pyspark: pip install 'newsroundup[spark]'") from None
    os.environ["PYSPARK_PYTHON"] = sys.executable  # the workers' Python: this venv's (read when the JVM starts)
    builder = (
        SparkSession.builder.master(master)
        .appName("newsroundup archive")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.pyspark.python", sys.executable)
        .config("spark.pyspark.driver.python", sys.executable)
        .config("spark.executorEnv.TZ", "UTC")
        .config("spark.sql.execution.arrow.maxRecordsPerBatch", "256")
        # rows are whole articles (text, vector, terms): a cached column batch of Spark's default 10,000 of them
        # is ~50 MB while it is built, and at 30k articles two of those ran a 1 GB driver out of heap
        .config("spark.sql.inMemoryColumnarStorage.batchSize", "1000")
        .config("spark.python.worker.reuse", "true")
        .config("spark.ui.showConsoleProgress", "false")
    )
    if master.startswith("local") and not os.environ.get("SPARK_DRIVER_MEMORY"):
        builder = builder.config("spark.driver.memory", LOCAL_DRIVER_MEMORY)  # the driver is the executor too
    if os.environ.get("PYTHONPATH"):  # a source checkout run with PYTHONPATH=src: executors need it too
        builder = builder.config("spark.executorEnv.PYTHONPATH", os.environ["PYTHONPATH"])
    try:
        session = builder.getOrCreate()
    except Exception as exc:  # the JVM could not start, or the master could not be reached
        raise NewsroundupError(f"cannot start Spark on {master}: {str(exc).splitlines()[0]}") from None
    session.sparkContext.setLogLevel("ERROR")
    return session


def run_spark(
    files: Sequence[Path], out: Path, options: PlanOptions, master: str, notify: Notify | None = None
) -> ArchiveReport:
    """The archive plan on Spark at ``master``; writes the same tables as the local engine."""
    say = notify or (lambda _line: None)
    spark = spark_session(master)
    try:
        return _run(spark, files, out, options, say)
    except NewsroundupError:
        raise
    except Exception as exc:  # a failed Spark job: one line, not the JVM's stack
        raise NewsroundupError(f"the Spark job on {master} failed: {failure_line(str(exc))}") from None
    finally:  # a driver JVM that died under the job (out of memory, killed) has nothing left to stop:
        with contextlib.suppress(Exception):  # py4j's error then is not the one to tell
            spark.stop()


def failure_line(message: str) -> str:
    """The line of a failed job's message that says what went wrong: the root cause ("Caused by: ...") if
    given, else the first line naming an error or exception, else the first line that is no stack frame."""
    lines = [line.strip() for line in message.splitlines() if line.strip()]
    causes = [line.removeprefix("Caused by:").strip() for line in lines if line.startswith("Caused by:")]
    named = [line for line in lines if _NAMED_FAILURE.search(line) and not line.startswith("at ")]
    frames = [line for line in lines if not line.startswith(("at ", "..."))]
    line = (causes or named or frames or ["(no message)"])[-1 if causes else 0]
    if "OutOfMemoryError" in line:
        line += " (give the driver more memory: spark.driver.memory, e.g. SPARK_DRIVER_MEMORY=4g)"
    elif "SparkContext was shut down" in line:  # the driver JVM died under the job: its log says why
        line += " (the Spark driver stopped; if its log above says OutOfMemoryError, give it more memory: " \
                "SPARK_DRIVER_MEMORY=4g)"
    return line if len(line) <= 400 else line[:399] + "…"


_NAMED_FAILURE = re.compile(r"\b[\w$.]*(?:Error|Exception)\b")


def _run(spark: Any, files: Sequence[Path], out: Path, options: PlanOptions, say: Notify) -> ArchiveReport:
    from pyspark import StorageLevel
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    watch = Stopwatch()
    previous = read_previous(out)
    parallelism = max(2, spark.sparkContext.defaultParallelism)
    raw, records = raw_frame(spark, files)
    parts = partitions_for(records, parallelism)
    spark.conf.set("spark.sql.shuffle.partitions", str(max(8, parts)))  # joins, sorts, the roundups' stories
    raw = raw.repartition(parts)
    watch.lap("read")

    def prepare(frames: Iterator[Frame]) -> Iterator[Frame]:
        for frame in frames:
            yield plan.prepare(frame, options)

    # Frames with a row per article (its text, vector, signature, terms) are kept on disk only: the memory
    # store unrolls a block on the heap before it spills, and at 100k articles that ran a 2 GB local JVM out
    # of heap while caching them (the driver and the executor share it on a local master).
    prepared = raw.mapInPandas(prepare, PREPARED_SCHEMA).persist(StorageLevel.DISK_ONLY)
    good = prepared.where(F.col("reason").isNull())
    by_id = Window.partitionBy("id").orderBy("source", "line")
    ranked = good.withColumn("_rank", F.row_number().over(by_id))
    batch = ranked.where("_rank = 1").drop("_rank")
    first = batch.select("id", F.col("source").alias("source_first"), F.col("line").alias("line_first"),
                         F.col("fingerprint").alias("fingerprint_first"))
    later = ranked.where("_rank > 1").join(first, "id")

    def duplicates(frames: Iterator[Frame]) -> Iterator[Frame]:
        for frame in frames:
            reasons = [plan.duplicate_reason(*row) for row in zip(
                frame["source_first"], frame["line_first"], frame["fingerprint"], frame["fingerprint_first"],
                strict=True)]
            yield frame.assign(reason=reasons)[list(plan.REJECTED_COLUMNS)]

    def changed_texts(frames: Iterator[Frame]) -> Iterator[Frame]:
        for frame in frames:
            reasons = [known_reason(source, line) for source, line in zip(frame["source"], frame["line"], strict=True)]
            yield frame.assign(reason=reasons)[list(plan.REJECTED_COLUMNS)]

    seen = _spark_frame(spark, previous.tables["rejected"], ("source", "line", "reason"),  # rejected before: a re-run
                        "source string, line long, reason string")
    known = _spark_frame(spark, previous.tables["articles"].rename(columns={"fingerprint": "archived"}),
                         ("id", "archived"), "id string, archived string")
    checked = batch.join(F.broadcast(known), "id", "left").persist(StorageLevel.DISK_ONLY)
    articles = checked.where(F.col("archived").isNull()).drop("archived").persist(StorageLevel.DISK_ONLY)
    archived = checked.where(F.col("archived") == F.col("fingerprint")).count()
    rejected = prepared.where(F.col("reason").isNotNull()).select(*plan.REJECTED_COLUMNS).unionByName(
        later.mapInPandas(duplicates, REJECTED_SCHEMA)
    ).unionByName(
        checked.where(F.col("archived") != F.col("fingerprint")).select(*plan.REJECTED_COLUMNS)
        .mapInPandas(changed_texts, REJECTED_SCHEMA)
    ).join(F.broadcast(seen), ["source", "line", "reason"], "left_anti").persist(StorageLevel.MEMORY_AND_DISK)
    count = articles.count()
    watch.lap("prepare")
    say(f"prepared {count} new articles ({archived} already archived)")

    signatures = articles.select(*SIGNATURE_COLUMNS).unionByName(
        _spark_frame(spark, previous.tables["signatures"], SIGNATURE_COLUMNS, SIGNATURE_SCHEMA)
    ).persist(StorageLevel.MEMORY_AND_DISK)
    new_ids = articles.select("id", F.lit(True).alias("new"))
    banded = signatures.mapInPandas(lambda frames: (plan.bands(f) for f in frames), BAND_SCHEMA).join(
        new_ids, "id", "left")
    buckets = banded.groupBy("band", "key").agg(  # only keys two articles share, one of them new
        F.collect_list("id").alias("ids"), F.collect_list(F.when(F.col("new").isNotNull(), F.col("id"))).alias("new")
    ).where((F.size("ids") > 1) & (F.size("new") > 0))
    pairs = buckets.select("ids", "new").mapInPandas(
        lambda frames: (plan.bucket_pairs(f) for f in frames), PAIR_SCHEMA).distinct()
    sig_a = signatures.select(F.col("id").alias("a"), F.col("minhash").alias("minhash_a"),
                              F.col("shingles").alias("shingles_a"))
    sig_b = signatures.select(F.col("id").alias("b"), F.col("minhash").alias("minhash_b"),
                              F.col("shingles").alias("shingles_b"))
    verified = pairs.join(sig_a, "a").join(sig_b, "b").mapInPandas(
        lambda frames: (plan.verify_pairs(f) for f in frames), PAIR_SCHEMA
    )
    edges = plan.sorted_pairs([*archived_edges(previous), *((row.a, row.b) for row in verified.collect())])
    linked = {id for edge in edges for id in edge}
    orders = {row.id: row.sort_key for row in signatures.select("id", "sort_key").where(
        F.col("id").isin(sorted(linked))).collect()} if linked else {}
    originals = plan.copy_originals(edges, orders)
    kept, relinked = relink(previous, originals)
    copies = spark.createDataFrame(sorted(originals.items()), COPY_SCHEMA)
    linked = (
        articles.join(copies.withColumnRenamed("article_id", "id"), "id", "left")
        .withColumn("syndicated_from", F.coalesce(F.col("syndicated_from"), F.col("original_id")))
    )
    final = linked.select(*plan.ARTICLE_COLUMNS).unionByName(
        _spark_frame(spark, kept, plan.ARTICLE_COLUMNS, ARTICLE_SCHEMA))
    watch.lap("copies")

    ordered = (linked.select(*plan.GROUPING_COLUMNS, "sort_key", "source", "line")
               .orderBy("sort_key", "source", "line"))  # as `run`: in time, then input order
    new_names: set[str] = set()

    def rows() -> Iterator[tuple[Any, ...]]:
        for r in ordered.select(*plan.GROUPING_COLUMNS).toLocalIterator():  # as plan.grouping_rows gives them
            new_names.add(r.id)
            yield tuple(r)

    stitch = None if options.windows is None else plan.Stitch(
        _window_labels(spark, ordered, options.windows, options, plan.documents_in(previous.state)), options.windows)
    stories_pd, state = plan.group_sorted(rows(), options.grouping, previous.state, stitch)
    stories = spark.createDataFrame(stories_pd, STORY_SCHEMA)
    watch.lap("grouping")

    versions = next_versions(stories_pd, new_names | relinked, previous)
    chosen = spark.createDataFrame(sorted(versions.items()), "story_id string, version long")
    members = final.join(stories.select("story_id", F.col("article_id").alias("id"), "position"), "id").join(
        F.broadcast(chosen), "story_id")
    roundups = members.repartition("story_id").sortWithinPartitions("story_id").mapInPandas(  # a call per partition
        lambda frames: plan.roundup_groups(frames, options), ROUNDUP_SCHEMA
    ).persist(StorageLevel.DISK_ONLY)  # a row per story, its roundup's JSON: on disk, as the articles
    written = roundups.count()
    sentences = roundups.mapInPandas(lambda frames: (plan.roundup_sentences(f) for f in frames), SENTENCE_SCHEMA)
    watch.lap("roundups")
    say(f"{written} stories have a new roundup version")

    tables = {
        "articles": final,
        "rejected": _spark_frame(spark, previous.tables["rejected"], plan.REJECTED_COLUMNS, REJECTED_SCHEMA)
        .unionByName(rejected),
        "copies": copies, "stories": stories,
        "roundups": _spark_frame(spark, previous.tables["roundups"], plan.ROUNDUP_COLUMNS, ROUNDUP_SCHEMA)
        .unionByName(roundups),
        "sentences": _spark_frame(spark, kept_sentences(previous, versions), plan.SENTENCE_COLUMNS, SENTENCE_SCHEMA)
        .unionByName(sentences),
        "signatures": signatures,
    }
    state_rows = state_table(state)  # written by the driver, which holds it: not through the JVM's heap

    def write(name: str, folder: Path) -> None:
        if name == "state":
            write_table(state_rows, folder)
        else:
            tables[name].write.parquet(str(folder))

    publish(out, write)
    watch.lap("write")
    batch = batch_counts(count, archived, rejected.count(), new_names, originals, relinked, versions,
                         [row.error for row in roundups.where(F.col("error").isNotNull()).select("error").collect()])
    totals = ArchiveTotals(count + len(kept), len(previous.tables["rejected"]) + batch.rejected, len(originals),
                           int(stories_pd["story_id"].nunique()), len(previous.tables["roundups"]) + written)
    report = ArchiveReport("spark", batch, totals, watch.seconds)
    for frame in (prepared, checked, articles, rejected, signatures, roundups):
        frame.unpersist()
    return report


def _window_labels(spark: Any, ordered: Any, windows: plan.Windows, options: plan.PlanOptions,
                   documents_before: int) -> Frame:
    """The later windows of the time-ordered articles, each grouped in a task (``plan.group_window``)."""
    columns = plan.GROUPING_COLUMNS
    positioned = ordered.select(*columns).rdd.zipWithIndex().map(lambda pair: (pair[1], tuple(pair[0])))
    exploded = spark.createDataFrame(
        positioned.mapPartitions(lambda part: plan.window_rows(part, windows)), WINDOW_INPUT_SCHEMA)
    grouped = exploded.groupBy("window").applyInPandas(
        lambda frame: plan.group_window(frame, options.grouping, documents_before), WINDOW_SCHEMA)
    return grouped.toPandas()


def _spark_frame(spark: Any, frame: Frame, columns: Sequence[str], schema: str) -> Any:
    """A pandas frame's ``columns`` as a Spark frame of ``schema`` (missing values as nulls)."""
    rows = [tuple(_plain(value) for value in row) for row in frame[list(columns)].itertuples(index=False)]
    return spark.createDataFrame(rows, schema)


def _plain(value: Any) -> Any:
    """A pandas cell as the Python value Spark takes (NaN, NA and NaT as None, numpy scalars unwrapped)."""
    import pandas as pd

    if value is None or (not isinstance(value, bytes | str | list) and pd.isna(value)):
        return None
    return value.item() if hasattr(value, "item") else value


ARTICLES_PER_PARTITION = 2500  # ~10 MB of prepared rows (text, vector, terms) a partition


def partitions_for(records: int, parallelism: int) -> int:
    """Partitions for ``records`` input records: a multiple of the cores (no half-idle last wave), and more as
    the input grows, so that a partition's rows (cached, shuffled, streamed to the driver) stay about
    ``ARTICLES_PER_PARTITION`` whatever the archive's size. With a fixed count, the partitions of a 30k-article
    run overfilled a 1 GB driver."""
    waves = max(2, -(-records // (parallelism * ARTICLES_PER_PARTITION)))
    return parallelism * waves


def raw_frame(spark: Any, files: Sequence[Path]) -> tuple[Any, int]:
    """(source, line, raw) of every record of ``files`` (text files' blank lines too), numbered as the local
    engine numbers them, and how many there are."""
    frames, records = [], 0
    for path in files:
        source = str(path)
        if _kind(path) == "parquet":
            table = spark.read.parquet(source)
            records += table.count()
            rows = table.rdd.zipWithIndex()
            frames.append(spark.createDataFrame(
                rows.map(lambda pair, s=source: (s, pair[1] + 1, record_json(pair[0].asDict(True)))), RAW_SCHEMA))
        else:
            lines, count = _numbered_lines(spark, source)
            frames.append(lines)
            records += count
    if not frames:
        return spark.createDataFrame([], RAW_SCHEMA), 0
    return functools.reduce(lambda a, b: a.unionByName(b), frames), records


def _numbered_lines(spark: Any, source: str) -> tuple[Any, int]:
    """The lines of a text file (``.gz`` too) with their line numbers, all in the JVM (``plan.prepare`` skips
    the blank ones, as Python sees blanks), and how many lines there are.

    Spark's text reader splits lines as Hadoop does (on \\n, \\r\\n and \\r). A line's number is the lines of
    the partitions before its own (one counting pass) plus its row within its partition, which
    ``monotonically_increasing_id`` holds in its lower 33 bits."""
    from pyspark.sql import functions as F

    lines = spark.read.text(source).select(
        F.col("value").alias("raw"), F.spark_partition_id().alias("part"), F.monotonically_increasing_id().alias("at"))
    sizes = sorted((row.part, row["count"]) for row in lines.groupBy("part").count().collect())
    starts, total = [], 0
    for part, size in sizes:
        starts += [F.lit(part), F.lit(total)]
        total += size
    if not sizes:
        return spark.createDataFrame([], RAW_SCHEMA), 0
    start = F.create_map(*starts)[F.col("part")]
    row = F.col("at") - F.shiftleft(F.col("part").cast("long"), 33)
    return lines.select(F.lit(source).alias("source"), (start + row + 1).alias("line"), "raw"), total
