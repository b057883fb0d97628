"""Archive throughput and agreement: ``newsroundup archive`` local vs Spark (local[N]), and ``newsroundup run``.

The input is real text: gva-stream-dev articles (dated, one topic, many events; up to 60% of the input),
then the documents of multinews-dev clusters (undated web text), then the DUC 2004 documents (evaluation
data, usable here because nothing is fitted), written as one JSONL file under the cache folder (never into
the repository). Both engines run the same plan on it; the benchmark times each stage, checks that the two
engines wrote identical tables, and measures how far they agree with each other and with ``newsroundup
run`` (the store pipeline, no site) on the same file: B-cubed between the story partitions over the
articles both hold, copy links, stories with the very same articles and their roundups. Then it adds the
input to an archive as two batches in time order (the last 10% second) and times the second batch.
With ``--synthetic`` the input is instead a synthetic archive of any size made from gva-stream-dev
(``synthetic_archive.py``: the real articles, then re-dated passes with their words perturbed, 5% planted
copies), and the results say how many planted copies each engine linked to their original.
Each engine's run records its peak resident memory (``peak_memory``): this process's, and with Spark the
JVM's and its Python workers' (sampled from /proc twice a second), and the CPU seconds the whole tree used
(``cpu_seconds``, ``articles_per_cpu_second``): "per core" counts the local engine as one core and ``local[N]``
as N, while the local engine also embeds on a thread per core. ``cpu_by_stage`` splits the CPU by stage: the
cores each stage kept busy by the tree's count and by the whole machine's (``machine_busy_cores``, the check on a
tree count that lost ended processes; it also holds any other job's). ``--no-local`` runs only Spark. Writes
benchmarks/results/archive.json (or --out).

    PYTHONPATH=src python benchmarks/bench_archive.py --articles 1000 --master 'local[2]'
    PYTHONPATH=src python benchmarks/bench_archive.py --articles 3201 --no-batches \
        --out benchmarks/results/archive_agreement.json
    PYTHONPATH=src python benchmarks/bench_archive.py --synthetic --articles 10000 --no-run --no-batches \
        --out benchmarks/results/archive_10k.json
"""

from __future__ import annotations

import argparse
import bisect
import json
import os
import platform
import shutil
import sqlite3
import sys
import threading
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pandas as pd

# benchmarks/ is on the path when this file runs
from process_tree import machine_cpu_seconds, tree_cpu_seconds, tree_memory
from synthetic_archive import write_synthetic

from newsroundup.engines.archive import TABLES, archive
from newsroundup.engines.plan import PlanOptions
from newsroundup.errors import NewsroundupError
from newsroundup.evaluate.stories import bcubed

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(os.environ.get("NEWSROUNDUP_DATA", ROOT.parent / "shared" / "data"))  # ../shared beside the checkout
NOW = datetime(2030, 1, 1, tzinfo=UTC)


class Usage:
    """The peak resident memory and the CPU seconds of this process and of its descendants, sampled twice a second
    in a thread: with a local Spark master the descendants are the JVM (driver and executor in one) and its Python
    workers. Read from /proc (Linux).

    ``cpu_seconds`` is what the tree used between entering and leaving: the most seen in any sample less the
    count on entering (a process that ends unreaped takes its count with it; the maximum keeps it).
    ``peaks["by_name"]`` is the peak of each process name's total among the descendants, so that a share
    that is neither the JVM nor a Python worker is named. ``timeline`` keeps every sample's (perf_counter,
    CPU seconds so far, the machine's CPU seconds so far), from which ``cpu_by_stage`` tells how many cores each
    stage kept busy, by the tree's count and by the whole machine's (the check on a count that lost processes).
    """

    def __init__(self, every: float = 0.5) -> None:
        self.every = every
        self.peaks = {"self_mb": 0.0, "jvm_mb": 0.0, "python_workers_mb": 0.0, "descendants_mb": 0.0}
        self.by_name: dict[str, float] = {}
        self.cpu_seconds = 0.0
        self.machine_cpu_seconds = 0.0
        self.timeline: list[tuple[float, float, float]] = []
        self._cpu_start = self._machine_start = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> Usage:
        self._cpu_start = tree_cpu_seconds(os.getpid())
        self._machine_start = machine_cpu_seconds()
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self._sample()

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            self._sample()

    def _sample(self) -> None:
        me, *below = tree_memory(os.getpid())
        now = {"self_mb": me[2] / 2**20, "jvm_mb": 0.0, "python_workers_mb": 0.0, "descendants_mb": 0.0}
        named: dict[str, float] = {}
        for _, name, rss in below:
            now["descendants_mb"] += rss / 2**20
            named[name] = named.get(name, 0.0) + rss / 2**20
            if name == "java":
                now["jvm_mb"] += rss / 2**20
            elif name.startswith("python"):
                now["python_workers_mb"] += rss / 2**20
        for key, value in now.items():
            self.peaks[key] = max(self.peaks[key], round(value, 1))
        for name, value in named.items():
            self.by_name[name] = max(self.by_name.get(name, 0.0), round(value, 1))
        self.cpu_seconds = max(self.cpu_seconds, tree_cpu_seconds(os.getpid()) - self._cpu_start)
        self.machine_cpu_seconds = machine_cpu_seconds() - self._machine_start
        self.timeline.append((time.perf_counter(), self.cpu_seconds, self.machine_cpu_seconds))


def cpu_by_stage(timeline: list[tuple[float, float, float]], seconds: dict[str, float], ended: float) -> dict[str, Any]:
    """CPU seconds and busy cores of each stage of a run whose stages (``seconds``, in order) ended at ``ended``
    (perf_counter), read off the sampled ``timeline``, by the process tree's count and by the machine's: a stage's
    CPU is the count at the first sample after its end less that after its start (samples are 0.5 s apart, so a
    short stage's share is rough)."""
    times = [sample[0] for sample in timeline]

    def at(moment: float) -> tuple[float, float, float]:
        return timeline[min(bisect.bisect_left(times, moment), len(timeline) - 1)] if timeline else (0.0, 0.0, 0.0)

    out: dict[str, Any] = {}
    start = ended - sum(seconds.values())
    for name, length in seconds.items():
        (_, tree_before, machine_before), (_, tree_after, machine_after) = at(start), at(start + length)
        out[name] = {
            "cpu_seconds": round(tree_after - tree_before, 1),
            "busy_cores": round((tree_after - tree_before) / length, 2) if length else None,
            "machine_busy_cores": round((machine_after - machine_before) / length, 2) if length else None,
        }
        start += length
    return out


def _documents(name: str) -> list[dict[str, str]]:
    """The documents of a clusters.jsonl set (multinews-dev, duc2004) as undated records, in file order."""
    with (DATA / name / "clusters.jsonl").open(encoding="utf-8") as lines:
        return [{"id": d["id"], "text": d["text"]} for line in lines for d in json.loads(line)["documents"]]


def build_input(path: Path, articles: int) -> dict[str, int]:
    """Write ``articles`` real records: gva-stream-dev (in order) up to 60%, then the multinews-dev documents,
    then the DUC 2004 documents (evaluation data, but nothing is fitted here), then the rest of gva-stream-dev."""
    with (DATA / "gva-stream-dev" / "stream.jsonl").open(encoding="utf-8") as lines:
        gva = [{k: row[k] for k in ("id", "url", "outlet", "title", "text", "published")}
               for row in map(json.loads, lines)]
    first = min(len(gva), int(articles * 0.6))
    parts = [("gva-stream-dev", gva[:first]), ("multinews-dev", _documents("multinews-dev")),
             ("duc2004", _documents("duc2004")), ("gva-stream-dev", gva[first:])]
    records: list[dict[str, str]] = []
    mix: dict[str, int] = {}
    for name, rows in parts:
        taken = rows[: articles - len(records)]
        records.extend(taken)
        mix[name] = mix.get(name, 0) + len(taken)
    if len(records) < articles:
        raise SystemExit(f"only {len(records)} real articles available, asked for {articles}")
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return mix


def same_tables(a: Path, b: Path) -> dict[str, bool]:
    """Per table: do the two outputs hold the same rows (in any order)? Read with pyarrow, so a nullable integer
    column compares as integers and nulls whichever engine wrote it (pandas reads Spark's as floats)."""
    import pyarrow.parquet as pq

    result = {}
    for name in TABLES:
        rows = [sorted(json.dumps(r, sort_keys=True, default=str) for r in pq.read_table(folder / name).to_pylist())
                for folder in (a, b)]
        result[name] = rows[0] == rows[1]
    return result


@dataclass
class Outcome:
    """What one system made of the input: article -> story, copy -> original, story members -> roundup."""

    stories: dict[str, str]
    copies: dict[str, str]
    roundups: dict[frozenset[str], str | None]


def roundup_content(text: str | None) -> str | None:
    """A roundup's content, without its story id or version: headline and cited sentences with their spans."""
    if not text:
        return None
    data = json.loads(text)
    return json.dumps([data["headline"], [(s["text"], s["source"]["article"], s["source"]["start"], s["source"]["end"])
                                          for s in data["sentences"]]])


def _members(stories: dict[str, str]) -> dict[str, frozenset[str]]:
    groups: dict[str, set[str]] = {}
    for article, story in stories.items():
        groups.setdefault(story, set()).add(article)
    return {story: frozenset(ids) for story, ids in groups.items()}


def archive_outcome(out: Path) -> Outcome:
    """The archive's stories, copies and each story's latest roundup."""
    stories = pd.read_parquet(out / "stories")
    partition = dict(zip(stories["article_id"], stories["story_id"], strict=True))
    copies = pd.read_parquet(out / "copies")
    roundups = pd.read_parquet(out / "roundups").sort_values("version").groupby("story_id").last()
    members = _members(partition)
    return Outcome(partition, dict(zip(copies["article_id"], copies["original_id"], strict=True)),
                   {members[story]: roundup_content(row) for story, row in roundups["roundup"].items()})


def run_outcome(source: Path, work: Path) -> tuple[float, int, Outcome]:
    """``newsroundup run`` (no site, no enrichment) over ``source`` into a new SQLite store: seconds, articles,
    and its stories, copies and each story's latest roundup."""
    from newsroundup.pipeline.run import RunOptions, run
    from newsroundup.store import Store

    db = work / "run.db"
    for stale in work.glob("run.db*"):
        stale.unlink()
    start = time.perf_counter()
    with Store(db) as store:
        run([str(source)], store, None, RunOptions(enrich=None))
    wall = time.perf_counter() - start
    with sqlite3.connect(db) as con:
        partition = dict(con.execute("SELECT article_id, story_id FROM story_articles").fetchall())
        copies = dict(con.execute("SELECT id, syndicated_from FROM articles WHERE syndicated_from IS NOT NULL"))
        latest = con.execute("SELECT story_id, roundup FROM roundup_versions r WHERE version = "
                             "(SELECT max(version) FROM roundup_versions WHERE story_id = r.story_id)").fetchall()
    members = _members(partition)
    return wall, len(partition), Outcome(partition, copies, {members[story]: roundup_content(text)
                                                             for story, text in latest if story in members})


def agreement(a: Outcome, b: Outcome) -> dict[str, Any]:
    """How far two outcomes agree on the articles both hold: B-cubed between their story partitions, copy links,
    stories with the very same articles, and among those the ones whose roundups are the same."""
    common = set(a.stories) & set(b.stories)
    scores = bcubed({i: a.stories[i] for i in common}, {i: b.stories[i] for i in common})
    sets_a, sets_b = set(_members(a.stories).values()), set(_members(b.stories).values())
    same = sets_a & sets_b
    same_roundups = sum(1 for members in same if a.roundups.get(members) == b.roundups.get(members))
    copies_a = {k: v for k, v in a.copies.items() if k in common}
    copies_b = {k: v for k, v in b.copies.items() if k in common}
    return {
        "articles_in_both": len(common), "only_first": len(set(a.stories) - common),
        "only_second": len(set(b.stories) - common),
        "bcubed": {"precision": round(scores.precision, 4), "recall": round(scores.recall, 4),
                   "f1": round(scores.f1, 4)},
        "stories": [len(sets_a), len(sets_b)], "identical_stories": len(same),
        "identical_roundups_of_identical_stories": same_roundups,
        "copies": [len(copies_a), len(copies_b)],
        "copy_links_agreeing": sum(1 for k, v in copies_a.items() if copies_b.get(k) == v),
        "copies_identical": copies_a == copies_b,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--master", default="local[2]")
    parser.add_argument("--work", type=Path, default=Path.home() / ".cache" / "newsroundup" / "bench-archive")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "archive.json")
    parser.add_argument("--no-batches", action="store_true", help="skip the two-batch run")
    parser.add_argument("--no-run", action="store_true", help="skip the comparison with `newsroundup run`")
    parser.add_argument("--no-spark", action="store_true", help="only the local engine (and run)")
    parser.add_argument("--no-local", action="store_true", help="only the Spark engine (and run)")
    parser.add_argument("--synthetic", action="store_true",
                        help="a synthetic archive of --articles made from gva-stream-dev (synthetic_archive.py)")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    source = args.work / f"input-{'synthetic-' if args.synthetic else ''}{args.articles}.jsonl"
    mix = write_synthetic(source, args.articles) if args.synthetic else build_input(source, args.articles)
    # no enrichment: roundups are the cited sentences and headline. A synthetic archive runs for centuries:
    # its "now" is after its last article, or grouping would clamp every later date to NOW's next day.
    options = PlanOptions(now=latest_date(source) + timedelta(days=1) if args.synthetic else NOW)
    runs = {}
    engines = ([] if args.no_local else [("local", "", 1)]) + (
        [] if args.no_spark else [("spark", args.master, _cores(args.master))])
    for engine, master, cores in engines:
        out = args.work / f"out-{engine}"
        if out.exists():  # a folder holding an archive would be added to
            shutil.rmtree(out)
        start = time.perf_counter()
        try:
            with Usage() as usage:
                report = archive([source], out, options, engine=engine, master=master or "local[*]")  # type: ignore[arg-type]
        except NewsroundupError as exc:  # the other engine's numbers are kept, and the file is still written
            runs[engine] = {"master": master or None, "cores": cores, "failed": str(exc),
                            "seconds_until_failure": round(time.perf_counter() - start, 1)}
            print(engine, "failed:", exc, file=sys.stderr)
            continue
        ended = time.perf_counter()
        wall = ended - start
        runs[engine] = {
            "master": master or None, "cores": cores, "wall_seconds": round(wall, 2),
            "peak_memory": {**usage.peaks, "by_name": usage.by_name},
            "articles_per_second": round(report.batch.articles / wall, 2),
            "articles_per_core_second": round(report.batch.articles / wall / cores, 2),
            # the cores the run kept busy, measured: the local engine embeds on a thread per core
            "cpu_seconds": round(usage.cpu_seconds, 1),
            "machine_cpu_seconds": round(usage.machine_cpu_seconds, 1),  # every process's: the check on the above
            "articles_per_cpu_second": round(report.batch.articles / max(usage.cpu_seconds, 1e-9), 2),
            "cpu_by_stage": cpu_by_stage(usage.timeline, report.seconds, ended),
            **asdict(report),
        }
        print(engine, json.dumps(runs[engine]), file=sys.stderr)
    finished = [engine for engine in runs if "failed" not in runs[engine]]
    outcomes = {engine: archive_outcome(args.work / f"out-{engine}") for engine in finished}
    planted = planted_copies_found(source, outcomes) if args.synthetic else None
    both = {"local", "spark"} <= set(finished)
    agree: dict[str, Any] = {"local_vs_spark": agreement(outcomes["local"], outcomes["spark"])} if both else {}
    if not args.no_run:
        wall, stored, outcomes["run"] = run_outcome(source, args.work)
        runs["run"] = {"cores": 1, "wall_seconds": round(wall, 2), "articles": stored,
                       "articles_per_core_second": round(stored / wall, 2), "site": False, "store": "sqlite"}
        for engine in finished:
            agree[f"run_vs_{engine}"] = agreement(outcomes["run"], outcomes[engine])
    print("agreement", json.dumps(agree), file=sys.stderr)
    batches = None if args.no_batches or "local" not in finished else batch_run(
        source, args.work, options, args.work / "out-local")
    print("batches", json.dumps(batches), file=sys.stderr)
    result = {
        "benchmark": "archive", "input": mix, "articles": args.articles, "enrich": False,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                    "load_average": [round(x, 2) for x in os.getloadavg()],
                    "note": "a 2-core VM shared with other jobs: absolute times are noisy"},
        "runs": runs,
        "identical_tables": same_tables(args.work / "out-local", args.work / "out-spark") if both else None,
        "agreement": agree,
        "batches": batches,
        "planted_copies": planted,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))
    return 0


def planted_copies_found(source: Path, outcomes: dict[str, Outcome]) -> dict[str, Any]:
    """Of the synthetic input's planted copies ("<id>~copy"), how many each engine linked to their original (or to
    the article their original copies: a real wire copy in the stream has an earlier original)."""
    planted = [json.loads(line)["id"] for line in source.read_text(encoding="utf-8").splitlines()]
    planted = [i for i in planted if i.endswith("~copy")]
    found = {engine: sum(1 for i in planted if outcome.copies.get(i) == _original(outcome, i[: -len("~copy")]))
             for engine, outcome in outcomes.items()}
    return {"planted": len(planted), "linked_to_their_original": found,
            "copy_links": {engine: len(outcome.copies) for engine, outcome in outcomes.items()}}


def latest_date(source: Path) -> datetime:
    """The latest publication date of the input file (UTC)."""
    from newsroundup.text.dates import parse_iso_datetime

    dates = [json.loads(line).get("published") for line in source.read_text(encoding="utf-8").splitlines()]
    return max(parse_iso_datetime(d) for d in dates if d)


def _original(outcome: Outcome, article: str) -> str:
    return outcome.copies.get(article, article)


def batch_run(source: Path, work: Path, options: PlanOptions, whole: Path, share: float = 0.1) -> dict[str, object]:
    """The input as two batches in time order (the last ``share`` second) added to one archive (local engine):
    the second batch's cost beside the one-run cost, and whether the stories equal the one run's."""
    order = pd.read_parquet(whole / "signatures")
    when = dict(zip(order["id"], order["sort_key"], strict=True))
    lines = source.read_text(encoding="utf-8").splitlines()
    ranked = sorted(lines, key=lambda line: when.get(json.loads(line)["id"], ""))  # same times: input order
    cut = int(len(ranked) * (1 - share))
    folder = work / "batches"
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir()
    (folder / "day1.jsonl").write_text("\n".join(ranked[:cut]) + "\n", encoding="utf-8")
    (folder / "day2.jsonl").write_text("\n".join(ranked[cut:]) + "\n", encoding="utf-8")
    out = folder / "out"
    first = archive([folder / "day1.jsonl"], out, options)
    start = time.perf_counter()
    second = archive([folder / "day2.jsonl"], out, options)
    wall = time.perf_counter() - start
    again_start = time.perf_counter()
    again = archive([folder / "day2.jsonl"], out, options)
    return {
        "first_batch_articles": first.batch.articles, "second_batch_articles": second.batch.articles,
        "second_batch_seconds": round(wall, 2), "second_batch_roundup_versions": second.batch.roundups,
        "second_batch_stage_seconds": second.seconds,
        "stories_identical_to_one_run": same_tables(whole, out)["stories"],
        "same_batch_again": {"seconds": round(time.perf_counter() - again_start, 2), "articles": again.batch.articles,
                             "roundups": again.batch.roundups, "already_archived": again.batch.already_archived},
    }


def _cores(master: str) -> int:
    """Cores a local[N] master runs on (local[*]: every core)."""
    inside = master[master.find("[") + 1 : master.find("]")] if "[" in master else "1"
    return (os.cpu_count() or 1) if inside == "*" else int(inside)


if __name__ == "__main__":
    raise SystemExit(main())
