"""Archive throughput: ``newsroundup archive`` with the local engine and with Spark (local[N]) on one input.

The input is real development text: the first articles of gva-stream-dev (dated, one topic, many events)
and the documents of multinews-dev clusters (undated web text), written as one JSONL file under the cache
folder (never into the repository). Both engines run the same plan on it; the benchmark times each stage,
checks that the two engines wrote identical tables, then adds the input to an archive as two batches in time
order (the last 10% second) and times the second batch, and writes benchmarks/results/archive.json.

    PYTHONPATH=src python benchmarks/bench_archive.py --articles 1000 --master 'local[2]'
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sys
import time
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from newsroundup.engines.archive import TABLES, archive
from newsroundup.engines.plan import PlanOptions

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(os.environ.get("NEWSROUNDUP_DATA", ROOT.parent / "shared" / "data"))  # ../shared beside the checkout
NOW = datetime(2030, 1, 1, tzinfo=UTC)


def build_input(path: Path, articles: int) -> dict[str, int]:
    """Write ``articles`` records: 60% from gva-stream-dev (in order), the rest multinews-dev documents."""
    gva_n = int(articles * 0.6)
    records = []
    with (DATA / "gva-stream-dev" / "stream.jsonl").open(encoding="utf-8") as lines:
        for line in lines:
            if len(records) >= gva_n:
                break
            row = json.loads(line)
            records.append({k: row[k] for k in ("id", "url", "outlet", "title", "text", "published")})
    multinews = 0
    with (DATA / "multinews-dev" / "clusters.jsonl").open(encoding="utf-8") as lines:
        for line in lines:
            for document in json.loads(line)["documents"]:
                if len(records) >= articles:
                    break
                records.append({"id": document["id"], "text": document["text"]})
                multinews += 1
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return {"gva-stream-dev": gva_n, "multinews-dev": multinews}


def same_tables(a: Path, b: Path) -> dict[str, bool]:
    """Per table: do the two outputs hold the same rows (in any order)?"""
    result = {}
    for name in TABLES:
        frames = []
        for folder in (a, b):
            frame = pd.read_parquet(folder / name)
            frame = frame[sorted(frame.columns)].astype(object)
            frame = frame.where(frame.notna(), None)
            frames.append(sorted(json.dumps(r, sort_keys=True, default=str) for r in frame.to_dict("records")))
        result[name] = frames[0] == frames[1]
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--master", default="local[2]")
    parser.add_argument("--work", type=Path, default=Path.home() / ".cache" / "newsroundup" / "bench-archive")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "archive.json")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    source = args.work / f"input-{args.articles}.jsonl"
    mix = build_input(source, args.articles)
    options = PlanOptions(now=NOW)  # no enrichment: roundups are the cited sentences and headline
    runs = {}
    for engine, master, cores in (("local", "", 1), ("spark", args.master, _cores(args.master))):
        out = args.work / f"out-{engine}"
        if out.exists():  # a folder holding an archive would be added to
            shutil.rmtree(out)
        start = time.perf_counter()
        report = archive([source], out, options, engine=engine, master=master or "local[*]")  # type: ignore[arg-type]
        wall = time.perf_counter() - start
        runs[engine] = {
            "master": master or None, "cores": cores, "wall_seconds": round(wall, 2),
            "articles_per_second": round(report.batch.articles / wall, 2),
            "articles_per_core_second": round(report.batch.articles / wall / cores, 2),
            **asdict(report),
        }
        print(engine, json.dumps(runs[engine]), file=sys.stderr)
    batches = batch_run(source, args.work, options, args.work / "out-local")
    print("batches", json.dumps(batches), file=sys.stderr)
    result = {
        "benchmark": "archive", "input": mix, "articles": args.articles, "enrich": False,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                    "note": "a 2-core VM shared with other jobs: absolute times are noisy"},
        "runs": runs,
        "identical_tables": same_tables(args.work / "out-local", args.work / "out-spark"),
        "batches": batches,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))
    return 0


def batch_run(source: Path, work: Path, options: PlanOptions, whole: Path, share: float = 0.1) -> dict[str, object]:
    """The input as two batches in time order (the last ``share`` second) added to one archive (local engine):
    the second batch's cost beside the one-run cost, and whether the stories equal the one run's."""
    order = pd.read_parquet(whole / "signatures")
    position = {id: n for n, id in enumerate(order.sort_values(["sort_key", "id"])["id"])}
    lines = source.read_text(encoding="utf-8").splitlines()
    ranked = sorted(lines, key=lambda line: position.get(json.loads(line)["id"], -1))
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
