"""The archive's grouping stage on Spark, in one pass and in windows: the stage's seconds, and how far the two
archives agree (stories, copies, roundups of the same stories).

    PYTHONPATH=src .venv/bin/python benchmarks/bench_archive_windows.py --synthetic 20000 --windows 5000:1250

Each archive is written with ``engine="spark"`` on ``--master`` (default ``local[2]``) and the bench's plan
options (``bench_archive``), from the synthetic archive of ``bench_grouping_windows`` (the same input file).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from bench_archive import Usage, agreement, archive_outcome, latest_date  # benchmarks/ is on the path
from results_file import write_results
from synthetic_archive import write_synthetic

from newsroundup.engines.archive import archive
from newsroundup.engines.plan import PlanOptions, Windows

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--synthetic", type=int, required=True, metavar="N", help="articles in the synthetic archive")
    parser.add_argument("--windows", required=True, metavar="SIZE:OVERLAP")
    parser.add_argument("--master", default="local[2]")
    parser.add_argument("--work", type=Path, default=Path("/tmp/newsroundup-bench-windows"))
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    source = args.work / f"synthetic-{args.synthetic}.jsonl"
    if not source.exists():
        write_synthetic(source, args.synthetic)
    size, overlap = (int(x) for x in args.windows.split(":"))
    results: dict[str, Any] = {"input": source.name, "master": args.master, "runs": {}}
    outs = {}
    for name, windows in (("one_pass", None), (f"windows_{size}_{overlap}", Windows(size, overlap))):
        out = outs[name] = args.work / f"archive-{name}"
        if out.exists():
            shutil.rmtree(out)
        options = PlanOptions(now=latest_date(source) + timedelta(days=1), windows=windows)
        start = time.perf_counter()
        with Usage() as usage:
            report = archive([source], out, options, engine="spark", master=args.master)
        results["runs"][name] = {
            "wall_seconds": round(time.perf_counter() - start, 1), "cpu_seconds": round(usage.cpu_seconds, 1),
            "seconds": report.seconds, "articles": report.batch.articles, "stories": report.archive.stories,
        }
        print(name, results["runs"][name], file=sys.stderr)
    first, second = (archive_outcome(out) for out in outs.values())
    results["agreement"] = agreement(first, second)
    write_results(results, ROOT / "benchmarks" / "results" / f"archive_windows_{args.synthetic}.json")
    return 0


if __name__ == "__main__":
    sys.exit(main())
