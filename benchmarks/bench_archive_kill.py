"""Archive on a standalone Spark cluster with its executor killed mid-job: same output, and a re-run adds nothing.

Starts a standalone master and one worker on loopback (``engines/spark/standalone.py``), then runs
``newsroundup archive --engine spark`` on it three times over the same real dev input (bench_archive's mix
of gva-stream-dev and multinews-dev articles):

1. unkilled, the reference;
2. killed: the executor JVM (``CoarseGrainedExecutorBackend``) gets SIGKILL once Python tasks of the first
   stage run, and the executor the worker launched in its place gets SIGKILL again once the job runs tasks
   after the prepare stage (its cached frames and shuffle files are lost with it);
3. the killed run's input again into its finished archive.

It checks that the killed run's tables equal the reference's (all eight), that the re-run adds no article,
rejection or roundup version and leaves every table as it was, and compares both with the local engine.
Writes benchmarks/results/archive_kill.json.

    PYTHONPATH=src python benchmarks/bench_archive_kill.py --articles 200
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench_archive import build_input, same_tables

from newsroundup.engines.archive import ArchiveReport, archive
from newsroundup.engines.plan import PlanOptions
from newsroundup.engines.spark.standalone import run_killing_executors, standalone

ROOT = Path(__file__).resolve().parents[1]
NOW = datetime(2030, 1, 1, tzinfo=UTC)


def summary(report: ArchiveReport, wall: float) -> dict[str, Any]:
    return {"wall_seconds": round(wall, 2), **asdict(report)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--cores", type=int, default=2, help="the worker's cores")
    parser.add_argument("--work", type=Path, default=Path.home() / ".cache" / "newsroundup" / "bench-archive-kill")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "archive_kill.json")
    args = parser.parse_args()
    os.environ["SPARK_LOCAL_IP"] = "127.0.0.1"  # the driver too: everything on loopback
    if args.work.exists():
        shutil.rmtree(args.work)
    args.work.mkdir(parents=True)
    source = args.work / "input.jsonl"
    mix = build_input(source, args.articles)
    options = PlanOptions(now=NOW)
    runs: dict[str, Any] = {}
    start = time.perf_counter()
    local = archive([source], args.work / "out-local", options)
    runs["local"] = summary(local, time.perf_counter() - start)
    with standalone(args.work / "cluster", cores=args.cores) as cluster:
        start = time.perf_counter()
        reference = archive([source], args.work / "out-reference", options, engine="spark", master=cluster.url)
        runs["spark_unkilled"] = summary(reference, time.perf_counter() - start)
        start = time.perf_counter()
        report, kills = run_killing_executors(cluster, lambda notify: archive(
            [source], args.work / "out-killed", options, engine="spark", master=cluster.url, notify=notify))
        runs["spark_killed"] = {"kills": [asdict(k) for k in kills], **summary(report, time.perf_counter() - start)}
        print("killed", json.dumps(runs["spark_killed"]), file=sys.stderr)
        before = args.work / "out-killed-before-rerun"
        shutil.copytree(args.work / "out-killed", before)
        start = time.perf_counter()
        again = archive([source], args.work / "out-killed", options, engine="spark", master=cluster.url)
        runs["spark_rerun"] = summary(again, time.perf_counter() - start)
    same = same_tables(args.work / "out-reference", args.work / "out-killed")
    rerun_same = same_tables(before, args.work / "out-killed")
    result = {
        "benchmark": "archive_kill", "input": mix, "articles": args.articles, "worker_cores": args.cores,
        "machine": {"cpus": os.cpu_count(), "note": "a 2-core VM shared with other jobs: absolute times are noisy"},
        "runs": runs,
        "killed_equals_unkilled": same,
        "spark_equals_local": same_tables(args.work / "out-local", args.work / "out-reference"),
        "rerun": {"new_articles": again.batch.articles, "new_rejected": again.batch.rejected,
                  "new_roundup_versions": again.batch.roundups, "already_archived": again.batch.already_archived,
                  "tables_unchanged": rerun_same},
        "passed": all(same.values()) and all(rerun_same.values())
        and (again.batch.articles, again.batch.rejected, again.batch.roundups) == (0, 0, 0)
        and len(kills) == 2,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))
    return 0 if result["passed"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
