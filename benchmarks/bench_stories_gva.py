"""Story grouping on a real dense stream of same-kind events, held-out part, with the classic peers.

The stream is gva-stream-dev (real local reports of separate shootings, gold = the incident). The
learned scorer was fitted on the first 60% of its days (``train_story_scorer.py``); every number
here is on the remaining 40%, grouped as a stream of its own, in publication order and in dated
shuffles. The systems are those of ``newsroundup evaluate stories --stream`` (``evaluate/stream.py``), which
scores any labelled stream; this script adds the fit/held-out split and the peer's fitted threshold.
Peers in the same run, each given the same articles in the same order:

- ``alone``: every article a story of its own;
- ``single-pass-tfidf-3d``: the classic TDT / GDELT approach: full-text TF-IDF (words, sublinear,
  IDF over the grouped part itself), each article joins the most similar story seen within 3 days
  when the cosine with its centroid reaches a threshold chosen on the fitted part;
- ``newsroundup-rule``: the hand-set rule (``GroupingOptions()``, the default);
- ``newsroundup-learned``: the learned pair scorer (``GroupingOptions(learned=True)``);
- ``tfidf-agglomerative-told-k`` and ``hdbscan-embeddings``: batch peers (told the number of events /
  on our embeddings), order-free.

With ``--duc`` the learned and rule settings are also scored on the pooled DUC 2004 stream
(evaluation only: it chose nothing).

    .venv/bin/python benchmarks/bench_stories_gva.py [--shuffles 3] [--duc]   # → results/stories_gva.json
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from gva_stream import ROOT, load_stream, locate_stream

from newsroundup.evaluate.stories import evaluate_stories
from newsroundup.evaluate.stream import (
    TFIDF_WINDOW,
    Grouper,
    alone,
    hdbscan_embeddings,
    orders,
    ours,
    score,
    single_pass_tfidf,
    told_k,
)
from newsroundup.grouping.options import GroupingOptions

RESULTS = ROOT / "benchmarks" / "results" / "stories_gva.json"
TFIDF_THRESHOLDS = tuple(round(0.1 + 0.05 * i, 2) for i in range(13))  # 0.1 .. 0.7, chosen on the fitted part

def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stream", type=Path, help="the labelled stream (default: gva-stream-dev)")
    parser.add_argument("--shuffles", type=int, default=3, help="dated shuffles of the held-out part (default 3)")
    parser.add_argument("--duc", action="store_true", help="also score rule and learned on the DUC 2004 pool")
    args = parser.parse_args()
    started = time.perf_counter()
    stream = load_stream(args.stream)
    fit_articles, fit_signals, fit_gold = stream.part(held_out=False)
    tuning = {t: score(single_pass_tfidf(t), fit_articles, fit_signals, fit_gold)["f1"] for t in TFIDF_THRESHOLDS}
    tfidf_threshold = max(tuning, key=lambda t: tuning[t])
    print(f"single-pass TF-IDF threshold {tfidf_threshold} (fitted-part F1 {tuning[tfidf_threshold]})", file=sys.stderr)
    articles, signals, gold = stream.part(held_out=True)
    streaming: dict[str, Grouper] = {
        "alone": alone,
        "single-pass-tfidf-3d": single_pass_tfidf(tfidf_threshold),
        "newsroundup-rule": ours(GroupingOptions()),
        "newsroundup-learned": ours(GroupingOptions(learned=True)),
    }
    events = len(set(gold.values()))
    runs: dict[str, dict[str, dict[str, float]]] = {}
    for run, (order, order_signals) in orders(articles, signals, "both", args.shuffles).items():
        runs[run] = {name: score(grouper, order, order_signals, gold) for name, grouper in streaming.items()}
        print(f"{run}: " + ", ".join(f"{n} {s['f1']:.3f}" for n, s in runs[run].items()), file=sys.stderr)
    batch = {
        "tfidf-agglomerative-told-k": score(lambda a, s: told_k(a, s, events), articles, signals, gold),
        "hdbscan-embeddings": score(hdbscan_embeddings, articles, signals, gold),
    }
    shuffled = [run for run in runs if run != "date order"]
    summary = {
        name: {
            "date_order": runs["date order"][name],
            "shuffled_f1_mean": round(statistics.fmean(runs[r][name]["f1"] for r in shuffled), 4) if shuffled else None,
            "shuffled_f1_min": round(min(runs[r][name]["f1"] for r in shuffled), 4) if shuffled else None,
        }
        for name in streaming
    }
    results: dict[str, Any] = {
        "benchmark": "stories_gva",
        "stream": "gva-stream-dev (real local news, one topic, many incidents)",
        "held_out_part": {"from_day": stream.split_day.isoformat(), "articles": len(articles), "events": events},
        "fitted_part": {"articles": len(fit_articles), "events": len(set(fit_gold.values()))},
        "single_pass_tfidf": {"window_days": TFIDF_WINDOW.days, "threshold": tfidf_threshold,
                              "fitted_part_f1": {str(t): f for t, f in tuning.items()}},
        "summary": summary,
        "batch_peers": batch,
        "runs": runs,
    }
    if args.duc:
        data = locate_stream(args.stream).parent.parent  # the data folder holding the stream
        results["duc2004_pool"] = {
            name: evaluate_stories(data, shuffles=2, options=options, baselines=False, quiet=True)["summary"]
            for name, options in (("newsroundup-rule", GroupingOptions()),
                                  ("newsroundup-learned", GroupingOptions(learned=True)))
        }
    results["seconds"] = round(time.perf_counter() - started, 1)
    results["machine"] = {"python": platform.python_version(), "cpus": os.cpu_count(), "load": os.getloadavg()[0]}
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    print(f"{'system':28} {'P':>6} {'R':>6} {'F1':>6} {'stories':>7} {'shuffled F1 (min)':>18}")
    for name, row in summary.items():
        d = row["date_order"]
        shuf = f"{row['shuffled_f1_mean']:.3f} ({row['shuffled_f1_min']:.3f})" if shuffled else "-"
        print(f"{name:28} {d['precision']:6.3f} {d['recall']:6.3f} {d['f1']:6.3f} {d['stories']:7} {shuf:>18}")
    for name, d in batch.items():
        print(f"{name:28} {d['precision']:6.3f} {d['recall']:6.3f} {d['f1']:6.3f} {d['stories']:7} {'(batch)':>18}")
    print(f"results written to {RESULTS.relative_to(ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
