"""``newsroundup archive``: articles (JSONL, JSONL.gz, Parquet) -> Parquet tables, in one process or on Spark.

Both engines run the plan of ``engines/plan.py`` (the project's own stage functions) and write the same
tables under the output folder, one sub-folder of Parquet files each:

- ``articles``: one row per kept article (cleaned text, language, fingerprint, ``syndicated_from``);
- ``rejected``: records that are not articles, and later records of an id already seen, with the reason;
- ``copies``: article -> original (the earliest of its group of copies);
- ``stories``: one row per article: ``story_id``, ``article_id``, its position, the story's first/last seen;
- ``roundups``: every version of each story's checked roundup (its JSON, headline, words) or the error;
- ``sentences``: the latest roundups' cited sentences with their spans (article, start, end);
- ``signatures`` and ``state``: what the next batch continues from (``engines/previous.py``).

Given a folder that already holds an archive, a run adds its inputs to it.
"""

from __future__ import annotations

import gzip
import json
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal

from newsroundup.engines import plan
from newsroundup.engines.plan import Frame, PlanOptions
from newsroundup.engines.previous import (
    SIGNATURE_COLUMNS,
    TABLES,
    archived_edges,
    kept_sentences,
    next_versions,
    publish,
    read_previous,
    relink,
    split_known,
    state_table,
    unseen_rejections,
    write_table,
)
from newsroundup.errors import InputError, NewsroundupError

Engine = Literal["local", "spark"]
JSONL_NAMES = (".jsonl", ".jsonl.gz", ".json", ".json.gz")
PARQUET_NAMES = (".parquet",)
LOCAL_PARTITION = 256  # articles per prepare call in the local engine (the vectors do not depend on it)
Notify = Callable[[str], None]


@dataclass
class BatchCounts:
    """What this run (one batch) added to the archive."""

    articles: int = 0  # new articles kept
    already_archived: int = 0  # input articles the archive held already, with the same text (skipped)
    rejected: int = 0  # input records rejected (not an article, a later duplicate, an archived id's new text)
    copies: int = 0  # new articles marked as a copy of another article (archived or new)
    relinked: int = 0  # archived articles whose original changed (a new, earlier copy joined their group)
    new_stories: int = 0  # stories this batch started
    updated_stories: int = 0  # archived stories this batch gave an article or a changed copy link
    roundups: int = 0  # roundup versions written (one per new or updated story)
    failures: int = 0  # of those, roundups that failed their check
    without_roundup: int = 0  # stories none of whose articles has a usable sentence (reported, as `run` does)


@dataclass
class ArchiveTotals:
    """What the archive holds after this run (earlier batches included)."""

    articles: int = 0
    rejected: int = 0
    copies: int = 0  # copy links (article -> original)
    stories: int = 0
    roundup_versions: int = 0  # every version kept in ``roundups``


@dataclass
class ArchiveReport:
    """One archive run: this batch's counts, the archive's totals after it, and the seconds each stage took."""

    engine: str
    batch: BatchCounts = field(default_factory=BatchCounts)
    archive: ArchiveTotals = field(default_factory=ArchiveTotals)
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def failures(self) -> int:
        return self.batch.failures


def batch_counts(
    articles: int, archived: int, rejected: int, new_ids: Iterable[str], originals: Mapping[str, str],
    relinked: set[str], versions: Mapping[str, int], errors: Iterable[str | None],
) -> BatchCounts:
    """This batch's counts from what both engines know on the driver (``errors``: the new roundups' errors)."""
    new = set(new_ids)
    found = [error for error in errors if isinstance(error, str)]
    return BatchCounts(
        articles=articles, already_archived=archived, rejected=rejected,
        copies=sum(1 for article in originals if article in new),
        relinked=sum(1 for article in relinked if article not in new),
        new_stories=sum(1 for version in versions.values() if version == 1),
        updated_stories=sum(1 for version in versions.values() if version > 1),
        roundups=len(versions), failures=sum(1 for error in found if error != plan.NO_SENTENCES),
        without_roundup=sum(1 for error in found if error == plan.NO_SENTENCES),
    )


class Stopwatch:
    """Seconds per named stage, in order."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.seconds[name] = round(now - self._last, 3)
        self._last = now


def archive_inputs(paths: Sequence[str | Path]) -> list[Path]:
    """The input files under ``paths`` (JSONL, JSONL.gz or Parquet files, or folders of them), sorted."""
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            raise InputError(f"{path}: no such file or folder")
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and _kind(p) and not p.name.startswith("."))
            if not found:
                raise InputError(f"{path}: folder has no .jsonl, .jsonl.gz or .parquet files")
            files.extend(found)
        elif _kind(path):
            files.append(path)
        else:
            raise InputError(f"{path}: not a .jsonl, .jsonl.gz or .parquet file")
    if not files:
        raise InputError("archive: no input given")
    return [f.resolve() for f in files]


def _kind(path: Path) -> str | None:
    name = path.name.lower()
    if name.endswith(JSONL_NAMES):
        return "jsonl"
    if name.endswith(PARQUET_NAMES):
        return "parquet"
    return None


def check_out_folder(out: Path) -> None:
    """Refuse an output folder that is a file, or a non-empty folder that is not an archive."""
    if out.exists() and not out.is_dir():
        raise InputError(f"{out}: exists and is not a folder")
    if out.is_dir():
        foreign = [p.name for p in out.iterdir() if p.name not in TABLES and not p.name.startswith(".")]
        if foreign:
            raise InputError(f"{out}: folder holds other files ({', '.join(sorted(foreign)[:3])}); give an empty one")


def archive(
    inputs: Sequence[str | Path],
    out: Path,
    options: PlanOptions,
    engine: Engine = "local",
    master: str = "local[*]",
    notify: Notify | None = None,
) -> ArchiveReport:
    """Run the archive plan over ``inputs`` with ``engine`` and write the tables under ``out``."""
    _need_extra()
    files = archive_inputs(inputs)
    check_out_folder(out)
    if engine == "spark":
        from newsroundup.engines.spark.job import run_spark

        return run_spark(files, out, options, master, notify)
    if engine != "local":
        raise InputError(f"unknown engine {engine!r}: use 'local' or 'spark'")
    return run_local(files, out, options, notify)


def _need_extra() -> None:
    try:
        import pandas  # noqa: F401
        import pyarrow  # noqa: F401
    except ImportError as exc:
        raise NewsroundupError(f"archive needs pandas and pyarrow: pip install 'newsroundup[spark]' ({exc})") from None


# -- the local engine ------------------------------------------------------------------------------------


def run_local(files: Sequence[Path], out: Path, options: PlanOptions, notify: Notify | None = None) -> ArchiveReport:
    """The plan in this process: the reference the Spark engine is checked against.

    When ``out`` already holds an archive, the batch is added to it (``engines/previous.py``).
    """
    import pandas as pd

    say = notify or (lambda _line: None)
    watch = Stopwatch()
    previous = read_previous(out)
    raw = pd.DataFrame(list(raw_records(files)), columns=list(plan.RAW_COLUMNS))
    watch.lap("read")
    prepared = plan.concat([plan.prepare(part, options) for part in plan.partitions(raw, LOCAL_PARTITION)],
                           plan.PREPARED_COLUMNS)
    articles, rejected = plan.reject_duplicates(prepared)
    articles, archived, changed_texts = split_known(articles, previous.known())
    rejected = unseen_rejections(plan.concat([rejected, changed_texts], plan.REJECTED_COLUMNS), previous)
    watch.lap("prepare")
    say(f"prepared {len(articles)} new articles ({archived} already archived), rejected {len(rejected)} records")

    signatures = plan.concat([previous.tables["signatures"], articles], SIGNATURE_COLUMNS)
    edges = plan.sorted_pairs([*archived_edges(previous), *_local_copy_edges(signatures, articles["id"])])
    originals = plan.copy_originals(edges, dict(zip(signatures["id"], signatures["sort_key"], strict=True)))
    kept, relinked = relink(previous, originals)
    articles = plan.with_originals(articles, originals)
    copies = pd.DataFrame(sorted(originals.items()), columns=list(plan.COPY_COLUMNS))
    watch.lap("copies")

    ordered = articles.sort_values(["sort_key", "source", "line"], kind="stable")  # as `run`: time, input order
    stitch = None if options.windows is None else plan.Stitch(plan.window_labels(
        ordered, options.windows, options.grouping, plan.documents_in(previous.state)), options.windows)
    stories, state = plan.group_sorted(plan.grouping_rows(ordered), options.grouping, previous.state, stitch)
    watch.lap("grouping")
    every = plan.concat([kept, articles[list(plan.ARTICLE_COLUMNS)]], plan.ARTICLE_COLUMNS)
    versions = next_versions(stories, set(articles["id"]) | relinked, previous)
    members = every.merge(stories[["story_id", "article_id", "position"]].rename(columns={"article_id": "id"}), on="id")
    members = members[members["story_id"].isin(versions)]
    members = members.assign(version=members["story_id"].map(versions))
    roundups = plan.concat([plan.roundup_group(group, options) for _, group in members.groupby("story_id", sort=True)],
                           plan.ROUNDUP_COLUMNS)
    sentences = plan.roundup_sentences(roundups)
    watch.lap("roundups")
    say(f"{len(versions)} stories have a new roundup version")
    tables = {
        "articles": every, "rejected": plan.concat([previous.tables["rejected"], rejected], plan.REJECTED_COLUMNS),
        "copies": copies, "stories": stories,
        "roundups": plan.concat([previous.tables["roundups"], roundups], plan.ROUNDUP_COLUMNS),
        "sentences": plan.concat([kept_sentences(previous, versions), sentences], plan.SENTENCE_COLUMNS),
        "signatures": signatures, "state": state_table(state),
    }
    publish(out, lambda name, folder: write_table(tables[name], folder))
    watch.lap("write")
    batch = batch_counts(len(articles), archived, len(rejected), articles["id"], originals, relinked, versions,
                         roundups["error"])
    totals = ArchiveTotals(len(every), len(tables["rejected"]), len(copies), int(stories["story_id"].nunique()),
                           len(tables["roundups"]))
    return ArchiveReport("local", batch, totals, watch.seconds)


def _local_copy_edges(signatures: Frame, new_ids: Iterable[str]) -> list[tuple[str, str]]:
    """Verified copy pairs with a new article: articles sharing an LSH band, checked with the copy test."""
    banded = plan.bands(signatures)
    shared = banded[banded.duplicated(["band", "key"], keep=False)]  # keys two or more articles share
    new = set(new_ids)
    buckets = shared.groupby(["band", "key"], sort=False)["id"].agg(list).to_frame("ids")
    buckets["new"] = [[id for id in ids if id in new] for ids in buckets["ids"]]
    pairs = plan.bucket_pairs(buckets).drop_duplicates()
    signatures = signatures[["id", "minhash", "shingles"]]
    for side in ("a", "b"):
        named = signatures.rename(columns={"id": side, "minhash": f"minhash_{side}", "shingles": f"shingles_{side}"})
        pairs = pairs.merge(named, on=side)
    verified = plan.verify_pairs(pairs)
    return plan.sorted_pairs(zip(verified["a"], verified["b"], strict=True))


# -- reading ------------------------------------------------------------------------------------------------


def raw_records(files: Sequence[Path]) -> Iterator[tuple[str, int, str]]:
    """(source, line, JSON text) of every non-blank record of ``files``, lines numbered from 1."""
    for path in files:
        if _kind(path) == "parquet":
            yield from parquet_records(path)
            continue
        data = path.read_bytes()
        if path.name.lower().endswith(".gz"):
            try:
                data = gzip.decompress(data)
            except (OSError, EOFError) as exc:
                raise InputError(f"{path}: not a readable gzip file ({exc})") from None
        text = data.decode("utf-8", errors="replace")
        for number, line in enumerate(split_lines(text), start=1):
            if line.strip():
                yield str(path), number, line


def split_lines(text: str) -> list[str]:
    r"""Lines as Hadoop's text reader splits them (on \n, \r\n or \r), so both engines number them alike."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return lines[:-1] if lines and lines[-1] == "" else lines


def parquet_records(path: Path) -> Iterator[tuple[str, int, str]]:
    """(source, row number, JSON text) of every row of a Parquet file of articles."""
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(path)
    except Exception as exc:  # pyarrow raises several types for a damaged file
        raise InputError(f"{path}: not a readable Parquet file ({exc})") from None
    for number, row in enumerate(table.to_pylist(), start=1):
        yield str(path), number, record_json(row)


def record_json(row: dict[str, Any]) -> str:
    """A Parquet row as the JSON text of a record (times as ISO 8601; a naive time is UTC)."""
    return json.dumps(row, default=_json_value, sort_keys=True)


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return plan.iso(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bytes | bytearray):
        return value.decode("utf-8", errors="replace")
    raise TypeError(f"cannot write {type(value).__name__} as JSON")
