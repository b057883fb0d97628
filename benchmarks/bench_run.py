"""Cost of ``newsroundup run``: a first run over a stream, a re-run with nothing new, one late article.

The stream is the bundled example set (examples/events, 27 articles, 5 events) repeated
``--replicas`` times, each replica's dates shifted four weeks later than the one before (so each
is a new set of stories) and its ids, URLs and last line made its own. Wire-copy detection links replicas'
near-identical texts as copies, which changes independence counts but not the work done.

    .venv/bin/python benchmarks/bench_run.py                  # 8 replicas: 216 articles, 40 stories
    .venv/bin/python benchmarks/bench_run.py --replicas 2 --no-enrich
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import tempfile
import time
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

from newsroundup.pipeline.load import load_articles
from newsroundup.pipeline.run import RunOptions, run
from newsroundup.roundup.enrich import EnrichOptions
from newsroundup.store import Store
from newsroundup.store.views import article_record

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "events"
LATE = ROOT / "tests" / "fixtures" / "run" / "late-ferry-article.txt"


def write_stream(folder: Path, replicas: int) -> int:
    """The replicated example stream as one JSONL file in ``folder``; returns its number of articles."""
    articles = load_articles([EXAMPLES]).articles
    lines = []
    for r in range(replicas):
        shift = timedelta(days=28 * r)
        for a in articles:
            copy = replace(
                a,
                id=f"{a.id}#r{r}",
                url=f"{a.url}?replica={r}" if a.url else None,
                published=a.published + shift if a.published else None,
                text=f"{a.text}\n\nThis report is part of edition {r + 1} of the example stream.",  # its own text
            )
            lines.append(json.dumps(article_record(copy), ensure_ascii=False))
    (folder / "stream.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    # A late article for the last replica's ferry strike, dated two days after its last article.
    late = load_articles([LATE]).articles[0]
    late = replace(late, published=late.published + timedelta(days=28 * (replicas - 1)) if late.published else None)
    (folder / "late.jsonl").write_text(json.dumps(article_record(late), ensure_ascii=False) + "\n", encoding="utf-8")
    return len(lines)


def timed_run(sources: list[str], store: Store, out: Path, options: RunOptions) -> dict[str, Any]:
    """One run and what it did, with its wall time."""
    start = time.perf_counter()
    report = run(sources, store, out, options)
    seconds = time.perf_counter() - start
    return {
        "seconds": round(seconds, 2),
        "added": report.added.added if report.added else 0,
        "grouped": report.grouping.grouped,
        "new_stories": len(report.grouping.created),
        "roundups_written": len(report.refresh.written),
        "pages_written": report.site.written if report.site else 0,
        "failures": list(report.refresh.failures),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replicas", type=int, default=8)
    parser.add_argument("--no-enrich", action="store_true")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "run.json")
    args = parser.parse_args()
    options = RunOptions(enrich=None if args.no_enrich else EnrichOptions())
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        total = write_stream(folder, args.replicas)
        with Store(folder / "news.db") as store:
            first = timed_run([str(folder / "stream.jsonl")], store, folder / "site", options)
            again = timed_run([str(folder / "stream.jsonl")], store, folder / "site", options)
            late = timed_run([str(folder / "late.jsonl")], store, folder / "site", options)
            stories = len(store.story_rows())
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT)
    results = {
        "articles": total,
        "replicas": args.replicas,
        "stories": stories,
        "enrich": options.enrich,
        "first_run": first,
        "first_run_seconds_per_article": round(first["seconds"] / total, 3),
        "rerun_nothing_new": again,
        "one_late_article": late,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "cpus": os.cpu_count(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "commit": commit.stdout.strip(),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
