"""Cost of wire-copy detection on near-identical items (the feed that repeats one story with a twist).

n articles share one 300-word body and differ in one sentence (their own number and place), so every
pair is a copy. Times ``mark_copies`` (the SyndicationIndex both ``add`` and ``summarize`` use) for each n;
linear cost means seconds per 1,000 articles stays flat as n grows.

    .venv/bin/python benchmarks/bench_copies_scaling.py [--sizes 1000 2000 5000 10000] [--src DIR --label NAME]
"""

from __future__ import annotations

import argparse
import json
import random
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from newsroundup.grouping.copies import mark_copies
from newsroundup.model import Article

OUT = Path(__file__).resolve().parent / "results" / "copies_scaling.json"
_WORDS = (
    "council bridge river engineers crack girder closure weeks ferry inspection mayor transport repairs "
    "steel traffic commuters harbor terminal morning businesses customers emergency meeting funds report"
).split()


def near_identical(n: int, seed: int = 18) -> list[Article]:
    """``n`` articles with one shared body and one sentence of their own each."""
    rng = random.Random(seed)
    body = " ".join(rng.choice(_WORDS) for _ in range(300)) + "."
    start = datetime(2026, 5, 4, tzinfo=UTC)
    return [
        Article(
            id=f"item-{i}",
            text=f"Update {i} from town {rng.randrange(10**6)} reported at {i % 24} hours. {body}",
            published=start + timedelta(minutes=i),
        )
        for i in range(n)
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 2000, 5000, 10000])
    parser.add_argument("--label", default="this checkout")
    args = parser.parse_args()
    rows = []
    for n in args.sizes:
        articles = near_identical(n)
        began = time.perf_counter()
        marked = mark_copies(articles)
        seconds = time.perf_counter() - began
        copies = sum(a.syndicated_from is not None for a in marked)
        rows.append({"articles": n, "seconds": round(seconds, 2), "seconds_per_1000": round(1000 * seconds / n, 3),
                     "copies_found": copies})
        print(json.dumps(rows[-1]), flush=True)
    results = json.loads(OUT.read_text()) if OUT.exists() else {}
    results[args.label] = rows
    results["what"] = "mark_copies on n near-identical articles (one shared 300-word body, one own sentence each)"
    OUT.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
