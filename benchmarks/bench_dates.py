"""Benchmark date resolution on real annotated news (TimeBank) beside dateparser's ``search_dates``.

Scores normalised DATE values (day, week, month, year) of ``text.dates.find_dates`` and of the peer
on both halves of ``timebank-dev/documents.jsonl`` (split by a hash of the document id: the rules
were fitted looking at the ``fit`` half only; ``held-out`` is the number to report) and writes
benchmarks/results/dates.json, with each system's mistakes on the fit half for reading.

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
    results = evaluate_dates(args.data, splits=("fit", "held-out"))
    with_errors = evaluate_dates(args.data, splits=("fit",), systems=["newsroundup"], keep_errors=True)
    results["fit_errors"] = with_errors["splits"]["fit"]["systems"]["newsroundup"]["errors"]
    results["data"] = args.data.name
    results["python"] = platform.python_version()
    OUT.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(format_table(results))
    print(f"results written to {OUT}")


if __name__ == "__main__":
    main()
