"""Benchmark who-said-what on real annotated news: PolNeAR (fit on train, report dev), peers side by side.

Direct quotes (the quoted stretches of direct and mixed attributions) and reported speech (indirect
and mixed contents) as P/R/F1 at 0.3 and 0.8 token overlap, speaker accuracy among the matched;
peers in the same run: a plain regex baseline (quotation marks + the nearest "said" with a name) and
textacy's ``extract.triples.direct_quotations`` on the same spaCy parse. Writes
benchmarks/results/attribution_polnear.json (``--split train`` writes attribution_polnear_train.json).

    PYTHONPATH=src .venv/bin/python benchmarks/bench_polnear.py [--data FILE] [--split dev|train]
        [--limit N] [--cache DIR] [--errors FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
from pathlib import Path

from newsroundup.evaluate import polnear
from newsroundup.evaluate.attribution import evaluate_polnear
from newsroundup.evaluate.polnear import locate_polnear

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    polnear.tool_options(parser, "only the first N articles of the split")
    parser.add_argument("--split", default="dev", choices=("dev", "train"))
    parser.add_argument("--errors", type=Path, help="write newsroundup's misses and false hits here (JSONL)")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    polnear.keep_parses(args.cache)
    result = evaluate_polnear(
        locate_polnear(args.data), args.split, args.limit, errors=args.errors is not None, progress=True
    )
    if args.errors is not None:
        with args.errors.open("w", encoding="utf-8") as handle:
            for e in result.pop("errors"):
                handle.write(json.dumps(e, ensure_ascii=False) + "\n")
    result["data"] = Path(result["data"]).name
    result["machine"] = {"python": platform.python_version(), "cpus": os.cpu_count()}
    name = "attribution_polnear.json" if args.split == "dev" else f"attribution_polnear_{args.split}.json"
    out = args.out or ROOT / "benchmarks" / "results" / name
    if args.limit is None or args.out is not None:
        out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
