"""kill -9 at seeded random points of ``newsroundup run``; the finished re-run must equal a clean run.

Input (tests/killrun.py): the bundled examples folder (27 articles: text files and a JSONL file) and an RSS
feed of 27 article pages served on loopback (the examples four weeks later): 54 articles, 10 stories.

1. Store A: one clean ``run`` (the reference): T seconds, and when each stage (add, group, roundups,
   site) ended. A second clean run into its own store is compared with A too (the control: what two runs
   may differ in without any kill must be nothing).
2. Chains of kills on store B: start ``run`` as a subprocess in its own process group and SIGKILL the group
   after a seeded random delay; the first kill of each chain in one stage (stages in turn, so that short
   stages like writing the site are hit too): the delay is drawn uniformly from that stage's duration in the
   clean run and counted from the moment the run announces the end of the stage before it; the next kills
   at uniform delays in [0, T) from the start, on the store as the kills left it (``--per-chain`` kills). A
   start that finishes before its delay is not a kill. Then ``run`` once more to the end, compare B with A,
   and start the next chain on an empty store, until ``--kills`` kills.
3. Compare each finished B with A: every table without its time columns (articles: ids, URLs, outlets,
   dates, text digests, copy links; aliases, copy signatures, feed state, failures, robots, grouping state,
   stories, story members, roundup versions: their count, fingerprints and content), the order articles were
   stored in, SQLite's integrity check, and every file of the site (hidden files too) by digest.

    .venv/bin/python benchmarks/bench_kill9.py [--kills 20] [--seed 18]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from killrun import (  # noqa: E402 - tests/ is on the path only from here
    EVENTS,
    STAGE_LINES,
    Attempt,
    differences,
    finished_run,
    killed_run,
    later_edition,
    run_command,
    serve_articles,
    site_snapshot,
    store_snapshot,
)
from loopback import LoopbackServer  # noqa: E402
from newsroundup.model import Article  # noqa: E402

STAGES = list(STAGE_LINES)
DATA = Path(os.environ.get("NEWSROUNDUP_DATA") or next(
    (p / "shared" / "data" for p in ROOT.parents if (p / "shared" / "data").is_dir()), ROOT / "data"
))

def compare(clean: Path, chain: Path) -> list[str]:
    """Differences between the clean run's store and site and a finished chain's."""
    return differences(store_snapshot(clean / "news.db"), store_snapshot(chain / "news.db"), "store") + differences(
        site_snapshot(clean / "site", clean / "news.db"), site_snapshot(chain / "site", chain / "news.db"), "site"
    )


def gva_articles(n: int) -> list[Article]:
    """The first ``n`` real articles of the gva-stream-dev set (none when the data is not there)."""
    path = DATA / "gva-stream-dev" / "stream.jsonl"
    if n <= 0 or not path.exists():
        return []
    articles = []
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            day = datetime.fromisoformat(record["published"]).replace(hour=12, tzinfo=UTC)
            articles.append(Article(
                id=record["id"], text=record["text"], outlet=record.get("outlet"), title=record.get("title"),
                published=day,
            ))
            if len(articles) == n:
                break
    return articles


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--seed", type=int, default=18)
    parser.add_argument("--per-chain", type=int, default=2, help="kills on one store before its finishing re-run")
    parser.add_argument("--no-enrich", action="store_true")
    parser.add_argument("--gva", type=int, default=40, help="also serve the first N articles of gva-stream-dev")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "kill9.json")
    parser.add_argument("--keep", type=Path, help="keep the stores and sites in this folder")
    args = parser.parse_args()
    extra = ["--no-enrich"] if args.no_enrich else []
    rng = random.Random(args.seed)
    work = Path(tempfile.mkdtemp(prefix="kill9-"))
    web = LoopbackServer()
    threading.Thread(target=web.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    try:
        sources = [str(EVENTS), serve_articles(web, later_edition(), "edition")]
        real = gva_articles(args.gva)
        if real:
            sources.append(serve_articles(web, real, "gva"))
        clean = work / "clean"
        clean.mkdir()
        clean_run = finished_run(run_command(sources, clean / "news.db", clean / "site", *extra), clean / "stderr")
        print(f"clean run: {clean_run}", file=sys.stderr)
        reference = store_snapshot(clean / "news.db")
        # Control: a second clean run (another process, so another hash seed) must equal the first, or the
        # comparison would blame the kills for what any two runs do differently.
        control = work / "control"
        control.mkdir()
        finished_run(run_command(sources, control / "news.db", control / "site", *extra), control / "stderr")
        control_differences = compare(clean, control)
        for line in control_differences:
            print(f"control: DIFFERENT {line}", file=sys.stderr)
        chains: list[dict[str, Any]] = []
        kills = 0
        while kills < args.kills:
            folder = work / f"chain{len(chains)}"
            folder.mkdir()
            db, out = folder / "news.db", folder / "site"
            command = run_command(sources, db, out, *extra)
            attempts: list[Attempt] = []
            target = STAGES[len(chains) % len(STAGES)]
            while kills < args.kills and len(attempts) < args.per_chain:
                if attempts:
                    after, delay = None, rng.uniform(0, clean_run.seconds)
                else:  # somewhere in the target stage: measured from the end of the stage before it
                    start, end = clean_run.window(target)
                    after, delay = clean_run.before(target), rng.uniform(0, end - start)
                attempt = killed_run(command, delay, folder / f"stderr{len(attempts)}", db, out, after=after)
                attempts.append(attempt)
                print(f"chain {len(chains)} ({target}): {attempt.to_json()}", file=sys.stderr)
                if not attempt.killed:
                    if attempt.returncode != 0:
                        raise RuntimeError(f"run exited {attempt.returncode} in {folder}")
                    break
                kills += 1
            rerun = finished_run(command, folder / "stderr-rerun")
            found = compare(clean, folder)
            for line in found:
                print(f"chain {len(chains)}: DIFFERENT {line}", file=sys.stderr)
            chains.append({
                "attempts": [a.to_json() for a in attempts],
                "first_kill_in": target,
                "rerun_seconds": round(rerun.seconds, 2),
                "equal": not found,
                "differences": found,
            })
        stages: dict[str, int] = {}
        for chain in chains:
            for attempt in chain["attempts"]:
                if attempt["killed"]:
                    stages[attempt["stage"]] = stages.get(attempt["stage"], 0) + 1
        mid_add = sum(
            1 for c in chains for a in c["attempts"]
            if a["killed"] and 0 < a["stored"]["articles"] < len(reference["articles"])
        )
        results = {
            "what": "SIGKILL of newsroundup run's process group at seeded random points: per chain of kills on one "
                    "store, the first in one stage (in turn), the next at uniform delays in [0, clean run time); "
                    "each chain is finished by a re-run and compared with a clean run",
            "input": f"{EVENTS.relative_to(ROOT)} (27 articles) + RSS feed of their 27 pages 4 weeks later"
                     f" + RSS feed of {len(real)} real gva-stream-dev pages, on loopback",
            "enrich": not args.no_enrich,
            "seed": args.seed,
            "clean_run_seconds": round(clean_run.seconds, 2),
            "clean_run_stage_ends": {k: round(v, 2) for k, v in clean_run.stage_ends.items()},
            "clean": {
                "articles": len(reference["articles"]),
                "stories": len(reference["stories"]),
                "roundup_versions": len(reference["roundup_versions"]),
                "site_files": len(site_snapshot(clean / "site", clean / "news.db")),
            },
            "control_equal": not control_differences,
            "control_differences": control_differences,
            "kills": kills,
            "kills_by_stage": stages,
            "kills_with_some_articles_stored": mid_add,
            "chains": len(chains),
            "chains_equal": sum(1 for c in chains if c["equal"]),
            "runs": chains,
            "machine": {"python": platform.python_version(), "load_average": list(_load())},
        }
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
        print(json.dumps({k: v for k, v in results.items() if k != "runs"}, indent=2))
    finally:
        web.shutdown()
        web.server_close()
        if args.keep:
            shutil.copytree(work, args.keep, dirs_exist_ok=True)
        shutil.rmtree(work, ignore_errors=True)


def _load() -> tuple[float, float, float]:
    return os.getloadavg()


if __name__ == "__main__":
    start = time.perf_counter()
    main()
    print(f"total {time.perf_counter() - start:.0f} s", file=sys.stderr)
