"""Grouping in windows against grouping in one pass: how far the stories agree, and what the driver saves.

The archive's grouping places every article in time order against the stories made so far: one process,
the one serial step of the Spark job. With ``--grouping-window N`` the articles after the first window are
grouped window by window from scratch (in tasks, in parallel), each after a warm-up of the window before's
last ``--grouping-overlap`` articles (counting the rest of it into its statistics), and the driver only
carries those groupings into its index. This bench runs the plan's own functions on a prepared stream
(the archive's ``prepare``, so the same signals) and reports, per (window, overlap): B-cubed between the
windowed and the one-pass stories, B-cubed of each against the gold events when the input has them (a
``gold`` field), the driver's CPU seconds and the windows' (their sum, and the largest: the wall time with
one core per window).

    .venv/bin/python benchmarks/bench_grouping_windows.py --input ../shared/data/gva-stream-dev/stream.jsonl \\
        --windows 250:0 250:60 250:125 500:125
    .venv/bin/python benchmarks/bench_grouping_windows.py --synthetic 20000 --windows 5000:1250

Prepared signals are kept in ``--work`` (the embeddings are most of the cost), keyed by the input's name.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

import pandas as pd
from results_file import write_results  # benchmarks/ is on the path when this file runs
from synthetic_archive import write_synthetic

from newsroundup.engines import plan
from newsroundup.evaluate.stories import bcubed
from newsroundup.grouping.options import GroupingOptions

ROOT = Path(__file__).resolve().parents[1]
PARTITION = 256


def prepared(source: Path, work: Path) -> pd.DataFrame:
    """The time-ordered prepared articles of ``source`` (cached in ``work``)."""
    cached = work / f"{source.name}.prepared.parquet"
    if cached.exists():
        return pd.read_parquet(cached)
    lines = source.read_text(encoding="utf-8").splitlines()
    raw = pd.DataFrame([(source.name, n, text) for n, text in enumerate(lines, 1)], columns=list(plan.RAW_COLUMNS))
    options = plan.PlanOptions()
    parts = []
    for part in plan.partitions(raw, PARTITION):
        parts.append(plan.prepare(part, options))
        print(f"prepared {part.index[-1] + 1}/{len(raw)}", file=sys.stderr)
    articles, _ = plan.reject_duplicates(plan.concat(parts, plan.PREPARED_COLUMNS))
    ordered = articles.sort_values(["sort_key", "source", "line"], kind="stable").reset_index(drop=True)
    ordered = ordered[[*plan.GROUPING_COLUMNS, "sort_key"]]
    work.mkdir(parents=True, exist_ok=True)
    ordered.to_parquet(cached)
    return ordered


def gold_labels(source: Path) -> dict[str, str]:
    """Article id -> gold event, for inputs that have a ``gold`` field."""
    labels = {}
    for line in source.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        if record.get("gold") is not None:
            labels[record["id"]] = str(record["gold"])
    return labels


def stories_of(frame: pd.DataFrame) -> dict[str, str]:
    return dict(zip(frame["article_id"], frame["story_id"], strict=True))


def scores(found: dict[str, str], gold: dict[str, str]) -> dict[str, float]:
    common = [i for i in found if i in gold]
    result = bcubed({i: found[i] for i in common}, {i: gold[i] for i in common})
    return {"precision": round(result.precision, 4), "recall": round(result.recall, 4), "f1": round(result.f1, 4)}


def windowed(ordered: pd.DataFrame, windows: plan.Windows, options: GroupingOptions | None) -> dict[str, Any]:
    """The windowed grouping: stories, each window's seconds and the driver's."""
    labels, seconds = [], []
    for frame in plan.window_frames(ordered, windows):
        start = time.process_time()
        labels.append(plan.group_window(frame, options))
        seconds.append(time.process_time() - start)
    start = time.process_time()
    stitch = plan.Stitch(plan.concat(labels, plan.WINDOW_COLUMNS), windows)
    stories, _ = plan.group_sorted(plan.grouping_rows(ordered), options, None, stitch)
    driver = time.process_time() - start
    return {"stories": stories_of(stories), "window_seconds": seconds, "driver_seconds": driver}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--input", type=Path, help="a JSONL stream of articles (with `gold` to score against)")
    source.add_argument("--synthetic", type=int, metavar="N", help="a synthetic archive of N articles")
    parser.add_argument("--windows", nargs="+", required=True, metavar="SIZE:OVERLAP")
    parser.add_argument("--work", type=Path, default=Path("/tmp/newsroundup-bench-windows"))
    parser.add_argument("--out", type=Path, help="results file (default results/grouping_windows_<input>.json)")
    args = parser.parse_args()
    if args.synthetic:
        args.work.mkdir(parents=True, exist_ok=True)
        args.input = args.work / f"synthetic-{args.synthetic}.jsonl"
        if not args.input.exists():
            write_synthetic(args.input, args.synthetic)
    ordered = prepared(args.input, args.work)
    gold = gold_labels(args.input)
    options = None  # the archive's default grouping (the learned scorer)
    start = time.process_time()
    serial_frame, _ = plan.group_sorted(plan.grouping_rows(ordered), options)
    serial_seconds = time.process_time() - start
    serial = stories_of(serial_frame)
    results: dict[str, Any] = {
        "input": args.input.name, "articles": len(ordered), "stories": len(set(serial.values())),
        "one_pass": {"driver_seconds": round(serial_seconds, 2), **({"gold": scores(serial, gold)} if gold else {})},
        "windows": [],
    }
    for spec in args.windows:
        size, overlap = (int(x) for x in spec.split(":"))
        run = windowed(ordered, plan.Windows(size, overlap), options)
        results["windows"].append({
            "size": size, "overlap": overlap, "windows": len(run["window_seconds"]) + 1,
            "stories": len(set(run["stories"].values())),
            "agreement_with_one_pass": scores(run["stories"], serial),
            **({"gold": scores(run["stories"], gold)} if gold else {}),
            "driver_seconds": round(run["driver_seconds"], 2),
            "window_seconds_sum": round(sum(run["window_seconds"]), 2),
            "window_seconds_max": round(max(run["window_seconds"], default=0.0), 2),
        })
        print(json.dumps(results["windows"][-1]), file=sys.stderr)
    out = args.out or ROOT / "benchmarks" / "results" / f"grouping_windows_{args.input.stem}.json"
    write_results(results, out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
