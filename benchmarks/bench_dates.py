"""Benchmark date resolution on real annotated news (TimeBank) beside dateparser's ``search_dates``.

Scores normalised DATE values (day, week, month, year) of ``text.dates.find_dates`` and of the peer
on parts of ``timebank-dev/documents.jsonl`` split by a hash of the document id: the rules were
written looking at the mistakes on the ``fit`` half and (from stop 34) on ``held-out-a``, one half of
the ``held-out`` half; ``held-out-b``, the other half, is the number to report. Writes
benchmarks/results/dates.json, with our mistakes on the parts read (fit, held-out-a) for reading.

    .venv/bin/python benchmarks/bench_dates.py [--data FILE]
"""

from __future__ import annotations

import argparse
import json
import platform
from pathlib import Path

from newsroundup.evaluate.timebank import evaluate_dates, format_table

ROOT = Path(__file__).resolve().parent.parent
# ../shared/data next to the checkout (or next to its parent, for a worktree one level down)
_CANDIDATES = [base / "shared" / "data" / "timebank-dev" / "documents.jsonl" for base in ROOT.parents[:2]]
DEFAULT = next((p for p in _CANDIDATES if p.is_file()), _CANDIDATES[0])
OUT = ROOT / "benchmarks" / "results" / "dates.json"


def main() -> None:
    """Run both systems on both halves and write the results."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT, help="TimeML JSONL file")
    args = parser.parse_args()
    results = evaluate_dates(args.data, splits=("fit", "held-out", "held-out-a", "held-out-b"))
    read = ("fit", "held-out-a")
    with_errors = evaluate_dates(args.data, splits=read, systems=["newsroundup"], keep_errors=True)
    for split in read:
        results[f"{split}_errors"] = with_errors["splits"][split]["systems"]["newsroundup"]["errors"]
    results["data"] = args.data.name
    results["python"] = platform.python_version()
    OUT.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(format_table(results))
    print(f"results written to {OUT}")


if __name__ == "__main__":
    main()
