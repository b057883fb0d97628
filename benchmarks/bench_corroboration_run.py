"""What corroboration costs ``run``: the same real stream run with and without it, per story.

Issue 19 asks for "< 10 % more time per story" on ``run``. ``bench_corroboration.py`` times the roundup
step alone; this bench times the whole command as a user starts it in process (add, clean, group, write
enriched roundups, render pages), on real web articles: the held-out Multi-News dev clusters (mnv125–mnv249)
pooled into one stream. Two states, each in a fresh store and a fresh parse cache folder:

- ``first``: every article but the last of each cluster of 3 or more (a story's first roundups);
- ``late``: then those last articles in a second ``run`` (the next version of a story whose previous
  version's parses and sentence vectors are in the cache folder, the state in which the roundup step alone
  costs +19 %).

The two arms alternate (on, off, on, off, ...), ``--repeats`` times; the fastest wall time and the least CPU
time of each arm and state are kept. Models are loaded by an untimed warm-up run first.

    .venv/bin/python benchmarks/bench_corroboration_run.py [--repeats 3] [--clusters 125:250]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from newsroundup.annotate import parses
from newsroundup.evaluate.datasets import load_clusters
from newsroundup.pipeline.run import RunOptions, run
from newsroundup.roundup.enrich import EnrichOptions
from newsroundup.store import Store
from newsroundup.store.views import article_record

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(os.environ.get("NEWSROUNDUP_DATA", ROOT.parent / "shared" / "data"))


def write_streams(folder: Path, clusters: str) -> dict[str, int]:
    """``first.jsonl`` and ``late.jsonl`` of the chosen Multi-News clusters in ``folder``; their sizes."""
    lo, hi = (int(x) for x in clusters.split(":"))
    chosen = load_clusters(DATA / "multinews-dev" / "clusters.jsonl")[lo:hi]
    first: list[str] = []
    late: list[str] = []
    for cluster in chosen:
        articles = [a for a in cluster.articles if a.text.strip()]
        held = articles[-1:] if len(articles) >= 3 else []
        for article in articles:
            record = json.dumps(article_record(replace(article, url=None)), ensure_ascii=False)
            (late if article in held else first).append(record)
    (folder / "first.jsonl").write_text("\n".join(first) + "\n", encoding="utf-8")
    (folder / "late.jsonl").write_text("\n".join(late) + "\n", encoding="utf-8")
    return {"clusters": len(chosen), "first_articles": len(first), "late_articles": len(late)}


def timed(sources: list[str], store: Store, site: Path, options: RunOptions) -> dict[str, Any]:
    """One ``run``: wall and CPU seconds (every thread of this process), roundups written and the stories that
    got none (with the reason)."""
    wall, cpu = time.perf_counter(), time.process_time()
    report = run(sources, store, site, options)
    return {
        "wall": time.perf_counter() - wall,
        "cpu": time.process_time() - cpu,
        "roundups": len(report.refresh.written),
        "failures": list(report.refresh.failures),
    }


def one_arm(streams: Path, corroborate: bool) -> dict[str, dict[str, Any]]:
    """Both states in a fresh store and cache folder, corroboration on or off."""
    options = RunOptions(enrich=EnrichOptions(corroborate=corroborate))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        kept = parses.configure(parses.cache_settings(folder / "cache", 1024))
        try:
            with Store(folder / "news.db") as store:
                first = timed([str(streams / "first.jsonl")], store, folder / "site", options)
                late = timed([str(streams / "late.jsonl")], store, folder / "site", options)
        finally:
            parses.configure(kept)
    return {"first": first, "late": late}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clusters", default="125:250", help="a slice of Multi-News dev's clusters")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "corroboration_run.json")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        streams = Path(tmp)
        sizes = write_streams(streams, args.clusters)
        one_arm(streams, True)  # warm-up: models loaded, nothing kept
        runs: dict[str, list[dict[str, dict[str, Any]]]] = {"with": [], "without": []}
        for n in range(args.repeats):
            for arm in ("with", "without"):
                runs[arm].append(one_arm(streams, arm == "with"))
                print(f"repeat {n + 1}, {arm}: {json.dumps(runs[arm][-1])}", file=sys.stderr, flush=True)
    best = {
        arm: {
            state: {
                "wall": round(min(r[state]["wall"] for r in rs), 2),
                "cpu": round(min(r[state]["cpu"] for r in rs), 2),
                "roundups": rs[0][state]["roundups"],
                "failures": rs[0][state]["failures"],
            }
            for state in ("first", "late")
        }
        for arm, rs in runs.items()
    }
    extra = {
        state: {
            measure: round(best["with"][state][measure] / best["without"][state][measure] - 1, 4)
            for measure in ("wall", "cpu")
        }
        for state in ("first", "late")
    }
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT)
    results = {
        **sizes,
        "repeats": args.repeats,
        "best": best,
        "extra_with_corroboration": extra,
        "per_story_seconds": {
            arm: {s: round(best[arm][s]["wall"] / max(best[arm][s]["roundups"], 1), 3) for s in ("first", "late")}
            for arm in best
        },
        "runs": runs,
        "cpus": os.cpu_count(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "commit": commit.stdout.strip(),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(json.dumps({k: results[k] for k in ("best", "extra_with_corroboration", "per_story_seconds")}, indent=2))


if __name__ == "__main__":
    main()
