"""Benchmark the audit on the generated development set (benchmarks/make_audit_dev.py), fit and held-out halves.

Measures, per split, what ``newsroundup evaluate audit`` measures (``newsroundup.evaluate.audit``: provenance
precision and recall, precision / recall / F1 per defect kind, the time per article, and the TF-IDF
nearest-sentence peer in the same run), plus the speed of the ``audit`` command with start-up.

    .venv/bin/python benchmarks/bench_audit.py [--data /work/cache/audit/audit-dev.jsonl] [--limit N]
    .venv/bin/python benchmarks/bench_audit.py --data /work/cache/audit/audit-duc2004.jsonl \
        --out benchmarks/results/audit_duc2004.json   # DUC 2004 stitched: evaluation only
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from newsroundup.evaluate.audit import SPLITS, evaluate_audit, read_cases
from newsroundup.text.sentences import split_sentences

RESULTS = Path(__file__).parent / "results" / "audit.json"


def speed(cases: list[dict[str, Any]], repeats: int = 5) -> dict[str, Any]:
    """Seconds for `newsroundup audit` (subprocess, start-up included): a 25-sentence article, 100 source files.

    Run ``repeats`` times: the median and the fastest wall and CPU seconds (one run varies by ±15 % here).
    """
    reports = [s for c in cases for s in c["sources"]][:100]
    article = " ".join(c["article"]["text"] for c in cases[:3])
    spans = split_sentences(article)[:25]
    walls, cpus = [], []
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "sources").mkdir()
        for number, report in enumerate(reports):
            (root / "sources" / f"{number:03d}.txt").write_text(report["text"])
        (root / "article.txt").write_text(" ".join(article[s.start : s.end] for s in spans))
        command = [sys.executable, "-m", "newsroundup", "audit", str(root / "article.txt"), "--sources",
                   str(root / "sources"), "--format", "json", "--quiet"]
        for _ in range(repeats):
            began, cpu = time.perf_counter(), resource.getrusage(resource.RUSAGE_CHILDREN)
            done = subprocess.run(command, capture_output=True, text=True, check=True)
            walls.append(time.perf_counter() - began)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpus.append(after.ru_utime + after.ru_stime - cpu.ru_utime - cpu.ru_stime)
    return {
        "sentences": len(json.loads(done.stdout)["sentences"]),
        "source_files": len(reports),
        "runs": repeats,
        "seconds_with_startup": round(statistics.median(walls), 2),
        "fastest_seconds_with_startup": round(min(walls), 2),
        # the machine is shared: wall time includes waiting
        "cpu_seconds_with_startup": round(statistics.median(cpus), 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("/work/cache/audit/audit-dev.jsonl"))
    parser.add_argument("--limit", type=int, default=0, help="cases per split (0: all)")
    parser.add_argument("--out", type=Path, default=RESULTS, help="where the results go")
    args = parser.parse_args()
    results: dict[str, Any] = {"python": platform.python_version()}
    results |= evaluate_audit(args.data, SPLITS, limit=args.limit or None)
    results["splits"] = {split: entry for split, entry in results["splits"].items() if entry["cases"]}
    for split, entry in results["splits"].items():
        print(split, json.dumps(entry, indent=1))
    cases = [{"article": {"text": c.article.text}, "sources": [{"text": s.text} for s in c.sources]}
             for c in read_cases(args.data)]
    results["speed"] = speed(cases)
    print("speed", results["speed"])
    args.out.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
