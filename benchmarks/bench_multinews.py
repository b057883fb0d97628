"""Roundups on real web clusters: Multi-News dev (held-out half) at 250 words, ROUGE-1.5.5 beside sumy.

Systems in one ROUGE run: newsroundup with this checkout's furniture handling, newsroundup as the
``--before`` checkout had it (run in a subprocess from that source tree), and sumy LexRank/TextRank/LSA
on the documents as scraped. Furniture in every system's output is counted twice: by the learned detector
(text/furniture.py) and by an independent phrase list written for this benchmark (both in
``newsroundup.evaluate.multinews``, which ``newsroundup evaluate multinews`` runs without the before arm). The
furniture weights are fitted on clusters mnv000-mnv124 only; this benchmark scores mnv125-mnv249. DUC 2004
(evaluation only) is rerun for newsroundup to check it does not regress.

    .venv/bin/python benchmarks/bench_multinews.py --before /work/main/src [--limit 20]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from newsroundup.evaluate.datasets import load_clusters, load_duc2004
from newsroundup.evaluate.duc2004 import run_newsroundup
from newsroundup.evaluate.multinews import FIT_CLUSTERS as HELD_OUT_FROM
from newsroundup.evaluate.multinews import WORDS, raw_documents, system_rows
from newsroundup.evaluate.peers import SUMY_ALGORITHMS, run_sumy
from newsroundup.evaluate.rouge import score_systems

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks/results/multinews.json"
_BEFORE_CODE = """
import json, sys
from newsroundup.evaluate.datasets import load_clusters
from newsroundup.evaluate.duc2004 import run_newsroundup
from pathlib import Path
clusters = [c for c in load_clusters(Path(sys.argv[1])) if c.id in set(json.loads(sys.argv[2]))]
run, _ = run_newsroundup(clusters, int(sys.argv[3]))
print(json.dumps(run.summaries))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, help="folder with multinews-dev/ and duc2004/")
    parser.add_argument("--before", type=Path, help="src/ of the checkout to compare with (e.g. main)")
    parser.add_argument("--limit", type=int, help="only the first N held-out clusters")
    parser.add_argument("--sumy", nargs="+", default=list(SUMY_ALGORITHMS), choices=SUMY_ALGORITHMS)
    args = parser.parse_args()
    data = args.data or next(p / "shared/data" for p in ROOT.parents if (p / "shared/data").is_dir())
    path = data / "multinews-dev/clusters.jsonl"
    clusters = load_clusters(path)[HELD_OUT_FROM:]
    if args.limit:
        clusters = clusters[: args.limit]
    raw = raw_documents(path)
    started = time.perf_counter()
    print(f"newsroundup on {len(clusters)} held-out clusters", file=sys.stderr, flush=True)
    ours, problems = run_newsroundup(clusters, WORDS)
    summaries: dict[str, dict[str, str]] = {"newsroundup": ours.summaries}
    if args.before:
        env = dict(os.environ, PYTHONPATH=str(args.before))
        done = subprocess.run(
            [sys.executable, "-c", _BEFORE_CODE, str(path), json.dumps([c.id for c in clusters]), str(WORDS)],
            capture_output=True, text=True, env=env, check=True,
        )
        summaries["newsroundup-before"] = json.loads(done.stdout)
    for algorithm in args.sumy:
        run = run_sumy(algorithm, [(c.id, raw[c.id]) for c in clusters], WORDS)
        summaries[run.system] = run.summaries
    scores = score_systems(summaries, {c.id: list(c.references) for c in clusters}, WORDS)
    systems = system_rows(scores, summaries)
    duc = load_duc2004(data / "duc2004")
    duc_run, _ = run_newsroundup(duc.clusters, 100)
    duc_refs = {c.id: list(c.references) for c in duc.clusters}
    duc_scores = score_systems({"newsroundup": duc_run.summaries}, duc_refs, 100)
    result = {
        "benchmark": "Multi-News dev, held-out clusters mnv125-mnv249 (furniture weights fitted on mnv000-mnv124)",
        "clusters": len(clusters),
        "words": WORDS,
        "rouge": "ROUGE-1.5.5, recall x100, same run for every system",
        "sumy_input": "documents as scraped",
        "systems": systems,
        "check_failures": len(problems),
        "duc2004_newsroundup": {
            "rouge_1": duc_scores["newsroundup"].rouge_1.recall,
            "rouge_2": duc_scores["newsroundup"].rouge_2.recall,
            "note": "evaluation only; never tuned on",
        },
        "wall_seconds": round(time.perf_counter() - started, 1),
    }
    if not args.limit:
        OUT.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
