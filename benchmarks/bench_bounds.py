"""Bounded cost (issue 18): near-identical feed items through ``add``, and one story of thousands of articles.

1. ``newsroundup add feed.xml`` (the CLI, a subprocess) on a local RSS file of n near-identical items
   (bench_copies_scaling's generator: one shared 300-word body, one own sentence each; each item's text is
   in the feed, no page to fetch): wall time and peak memory of the process. Target: 10,000 in < 30 s.
2. One story's roundup with enrichment, as ``run`` writes it (``write_roundup`` with ``EnrichOptions()``, then
   ``check_roundup``), in a fresh process (cold: no parse cache on disk), on the first n real articles of
   gva-stream-dev (local news, one topic) forced into one story. Target: 2,000 articles in < 60 s, < 2 GB.

Wall time depends on what else the machine runs; CPU time (user + system, the process and its children) is
given too, as the load average. Peak memory is the largest sum of resident memory over the process and its
children (the parse helper), sampled every 0.1 s from /proc, and each process's own peak (``ru_maxrss``).
A process tree past
``--limit-gb`` is killed (and reported) so that the machine is not taken down.

    .venv/bin/python benchmarks/bench_bounds.py [--items 2000 10000] [--story 500 1000 2000]
    .venv/bin/python benchmarks/bench_bounds.py --src ../main/src --label "main (before)"   # the baseline
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import signal
import subprocess
import sys
import tempfile
import threading
import time
from html import escape
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_copies_scaling import near_identical  # noqa: E402
from process_tree import tree_memory  # noqa: E402

OUT = ROOT / "benchmarks" / "results" / "bounds.json"
DATA = Path(os.environ.get("NEWSROUNDUP_DATA") or next(
    (p / "shared" / "data" for p in ROOT.parents if (p / "shared" / "data").is_dir()), ROOT / "data"
))


# -- measuring a process tree ---------------------------------------------------------------------


def measured(command: list[str], limit_bytes: int, env: dict[str, str] | None = None) -> dict[str, Any]:
    """Run ``command``; wall time, peak tree memory, its own peak, exit code, stdout and the tail of stderr."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, start_new_session=True
    )
    peak = [0]
    over = [False]

    def sample() -> None:
        while process.poll() is None:
            now = sum(rss for _, _, rss in tree_memory(process.pid))
            peak[0] = max(peak[0], now)
            if now > limit_bytes:
                over[0] = True
                os.killpg(process.pid, signal.SIGKILL)
                return
            time.sleep(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = process.communicate()
    seconds = time.perf_counter() - start
    sampler.join()
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (usage.ru_utime + usage.ru_stime) - (before.ru_utime + before.ru_stime)
    return {
        "seconds": round(seconds, 2),
        "cpu_seconds": round(cpu, 2),  # of the process and its children: what a loaded machine inflates least
        "peak_tree_mb": round(peak[0] / 2**20),
        "largest_process_peak_mb_so_far": round(usage.ru_maxrss / 1024),  # ru_maxrss is in KiB on Linux
        "returncode": process.returncode,
        "killed_over_limit": over[0],
        "stdout": out.decode("utf-8", "replace"),
        "stderr_tail": err.decode("utf-8", "replace")[-600:],
    }


SRC = [ROOT / "src"]  # the code measured: this checkout's, or another's with --src (the baseline)


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": os.pathsep.join([str(SRC[0]), os.environ.get("PYTHONPATH", "")])}


# -- 1. near-identical feed items -------------------------------------------------------------------


def write_feed(path: Path, n: int) -> None:
    """An RSS file of ``n`` near-identical items, each with its text and a guid (no page to fetch)."""
    items = "".join(
        f"<item><title>Update {i}</title><guid isPermaLink=\"false\">item-{i}</guid>"
        f"<pubDate>{a.published.strftime('%a, %d %b %Y %H:%M:%S GMT') if a.published else ''}</pubDate>"
        f"<description>{escape(a.text)}</description></item>"
        for i, a in enumerate(near_identical(n))
    )
    path.write_text(
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>Repeats</title>{items}</channel></rss>',
        encoding="utf-8",
    )


def near_identical_add(n: int, work: Path, limit: int) -> dict[str, Any]:
    feed = work / f"repeats-{n}.xml"
    write_feed(feed, n)
    db = work / f"repeats-{n}.db"
    result = measured(
        [sys.executable, "-m", "newsroundup", "add", str(feed), "--db", str(db), "--quiet"], limit, _env()
    )
    result.pop("stdout")
    if db.exists():
        import sqlite3

        with sqlite3.connect(db) as con:
            result["stored"], result["copies"] = con.execute(
                "SELECT count(*), count(syndicated_from) FROM articles"
            ).fetchone()
    result.update(items=n, feed_mb=round(feed.stat().st_size / 2**20, 1))
    return result


# -- 2. one big story ---------------------------------------------------------------------------------


def story_child(n: int) -> None:
    """(In the child process.) Write and check the enriched roundup of the first ``n`` gva articles."""
    from newsroundup.pipeline.load import load_articles
    from newsroundup.roundup.checker import check_roundup
    from newsroundup.roundup.enrich import EnrichOptions
    from newsroundup.roundup.summarize import RoundupOptions
    from newsroundup.roundup.write import write_roundup

    articles = load_articles([DATA / "gva-stream-dev" / "stream.jsonl"]).articles[:n]
    start, cpu = time.perf_counter(), time.process_time()
    options = RoundupOptions(words=100, enrich=EnrichOptions())
    roundup = write_roundup(articles, options, story_id="s-big")
    written = time.perf_counter() - start
    check_roundup(roundup, articles, budget=options.words)
    print(json.dumps({
        "articles": len(articles),
        "characters": sum(len(a.text) for a in articles),
        "roundup_seconds": round(written, 2),
        "with_check_seconds": round(time.perf_counter() - start, 2),
        "roundup_cpu_seconds_this_process": round(time.process_time() - cpu, 2),  # the parse helper's not included
        "sentences": len(roundup.sentences),
        "quotes": len(roundup.quotes),
        "entities": len(roundup.entities),
        "timeline": len(roundup.timeline),
        "self_peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }))


def big_story(n: int, limit: int) -> dict[str, Any]:
    result = measured([sys.executable, __file__, "--story-child", str(n)], limit, _env())
    stdout = result.pop("stdout").strip().splitlines()
    if result["returncode"] == 0 and stdout:
        result.update(json.loads(stdout[-1]))
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, nargs="*", default=[2000, 10000])
    parser.add_argument("--story", type=int, nargs="*", default=[500, 1000, 2000])
    parser.add_argument("--limit-gb", type=float, default=6.0)
    parser.add_argument("--label", default="this checkout")
    parser.add_argument("--src", type=Path, help="measure the package under this src folder (e.g. main's)")
    parser.add_argument("--story-child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.src:
        SRC[0] = args.src.resolve()
    if args.story_child:
        story_child(args.story_child)
        return
    limit = int(args.limit_gb * 2**30)
    rows: dict[str, list[dict[str, Any]]] = {"near_identical_add": [], "big_story": []}
    with tempfile.TemporaryDirectory(prefix="bounds-") as tmp:
        for n in args.items:
            rows["near_identical_add"].append(near_identical_add(n, Path(tmp), limit))
            print(json.dumps(rows["near_identical_add"][-1]), flush=True)
    for n in args.story:
        rows["big_story"].append(big_story(n, limit))
        print(json.dumps(rows["big_story"][-1]), flush=True)
    results = json.loads(OUT.read_text()) if OUT.exists() else {}
    results[args.label] = {
        **rows, "src": str(SRC[0]), "load_average": list(os.getloadavg()), "cores": os.cpu_count(),
        "limit_gb": args.limit_gb,
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
