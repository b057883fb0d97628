"""Learn which verb forms cue reported speech, from PolNeAR's train split (never its dev split).

Every verb with a subject and a clausal complement in the train articles is a candidate; a form is
kept as a cue when at least MIN_SEEN candidates were seen and at least MIN_PRECISION of them match
an annotated indirect or mixed attribution (token overlap >= 0.3). Writes
src/newsroundup/annotate/reported_cues.json (package data).

    PYTHONPATH=src .venv/bin/python scripts/train_reported_cues.py [--data FILE] [--limit N] [--cache DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import Counter
from pathlib import Path

from newsroundup.annotate.reported import reported_candidates
from newsroundup.evaluate.attribution import cached_parses, gold_reported, load_polnear, locate_polnear, match

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "src" / "newsroundup" / "annotate" / "reported_cues.json"
MIN_SEEN = 3
MIN_PRECISION = 0.5
THRESHOLD = 0.3


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path)
    parser.add_argument("--limit", type=int, default=300, help="train articles used (default 300)")
    parser.add_argument(
        "--cache",
        type=Path,
        default=Path(os.environ.get("NEWSROUNDUP_CACHE", Path.home() / ".cache/newsroundup")) / "polnear-parses",
    )
    args = parser.parse_args()
    articles = load_polnear(locate_polnear(args.data), "train")[: args.limit]
    seen: Counter[str] = Counter()
    right: Counter[str] = Counter()
    for lo in range(0, len(articles), 16):
        chunk = articles[lo : lo + 16]
        for article, doc in zip(chunk, cached_parses([a.text for a in chunk], args.cache), strict=True):
            found = reported_candidates(doc, frozenset())
            gold = [(s, e) for s, e, _ in gold_reported(article)]
            hits = {i for i, _ in match(article.text, [(s, e) for _, s, e in found], gold, THRESHOLD)}
            for i, (verb, _, _) in enumerate(found):
                seen[verb.lower_] += 1
                right[verb.lower_] += i in hits
    cues = sorted(w for w, n in seen.items() if n >= MIN_SEEN and right[w] / n >= MIN_PRECISION)
    OUT.write_text(
        json.dumps(
            {
                "trained_on": f"PolNeAR train split, first {len(articles)} articles",
                "min_seen": MIN_SEEN,
                "min_precision": MIN_PRECISION,
                "cues": cues,
            },
            indent=1,
        )
        + "\n",
        encoding="utf-8",
    )
    print(f"{len(cues)} cue forms of {len(seen)} seen; wrote {OUT}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
