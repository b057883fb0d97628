"""Train the learned story scorer on the early part of the real labelled stream; ship its weights.

One command rebuilds src/newsroundup/grouping/scorer.json (package data):

    .venv/bin/python benchmarks/train_story_scorer.py [--stream FILE.jsonl]

1. The fitted part (the first 60% of the days of gva-stream-dev; the rest is never read here) is
   replayed in publication order into a ``StoryIndex`` with the gold grouping: every article goes
   into its gold incident's story, and the features of every candidate story matching would have
   scored it against (the nearest by embedding, within the window) are recorded, labelled 1 when
   the candidate is its gold story (``StoryIndex.replay``).
2. A logistic regression (scikit-learn) on the standardised features gives the weights.
3. The join threshold and the number of candidates are chosen by grouping the fitted part with the
   new scorer (date order and two dated shuffles, mean B-cubed F1), best mean wins.

Writes the scorer and benchmarks/results/story_scorer_train.json (pairs, weights, the grid).
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import statistics
import sys
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np
from gva_stream import ROOT, load_stream

from newsroundup.evaluate.stories import bcubed
from newsroundup.grouping.options import GroupingOptions
from newsroundup.grouping.scorer import FEATURES, SCORER_FILE, PairScorer
from newsroundup.grouping.signals import ArticleSignals
from newsroundup.grouping.stories import StoryIndex

SCORER = ROOT / "src" / "newsroundup" / "grouping" / SCORER_FILE
REPORT = ROOT / "benchmarks" / "results" / "story_scorer_train.json"
TRAIN_CANDIDATES = 32  # candidates recorded per article while replaying (at least the largest below)
THRESHOLDS = tuple(round(0.05 * i, 2) for i in range(1, 13))  # 0.05 .. 0.6
CANDIDATES = (16, 32)
SHUFFLES = 2


def training_pairs(
    signals: Sequence[ArticleSignals], gold: dict[str, str]
) -> tuple[np.ndarray, np.ndarray, float]:
    """Features and labels of every (article, candidate story) pair of the gold replay; candidate recall."""
    index = StoryIndex(GroupingOptions(candidates=TRAIN_CANDIDATES))
    story_of_event: dict[str, str] = {}
    rows: list[tuple[float, ...]] = []
    labels: list[int] = []
    joins = found = 0
    for signal in signals:
        event = gold[signal.id]
        target = story_of_event.get(event)
        placed, pairs = index.replay(signal, target)
        story_of_event[event] = placed
        if target is not None and placed == target:
            joins += 1
            found += any(story == target for story, _ in pairs)
        for story, features in pairs:
            rows.append(features)
            labels.append(int(story == placed))
    return np.array(rows, dtype=np.float64), np.array(labels), found / max(joins, 1)


def fit(rows: np.ndarray, labels: np.ndarray) -> PairScorer:
    """Logistic regression on standardised features (threshold and candidates set later)."""
    from sklearn.linear_model import LogisticRegression

    mean = rows.mean(axis=0)
    scale = rows.std(axis=0)
    scale[scale == 0] = 1.0
    model = LogisticRegression(C=1.0, max_iter=1000)
    model.fit((rows - mean) / scale, labels)
    return PairScorer(
        weights=tuple(round(float(w), 6) for w in model.coef_[0]),
        bias=round(float(model.intercept_[0]), 6),
        mean=tuple(round(float(m), 6) for m in mean),
        scale=tuple(round(float(s), 6) for s in scale),
        threshold=0.5,
        candidates=TRAIN_CANDIDATES,
    )


def f1_of(scorer: PairScorer, runs: Sequence[Sequence[ArticleSignals]], gold: dict[str, str]) -> float:
    """Mean B-cubed F1 of grouping each run with ``scorer``."""
    scores = []
    for run in runs:
        index = StoryIndex(GroupingOptions(learned=True), scorer=scorer)
        index.add_all(run)
        scores.append(bcubed({s.id: index.story_of(s.id) or s.id for s in run}, gold).f1)
    return statistics.fmean(scores)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stream", type=Path, help="the labelled stream (default: gva-stream-dev)")
    args = parser.parse_args()
    started = time.perf_counter()
    stream = load_stream(args.stream)
    articles, signals, gold = stream.part(held_out=False)
    rows, labels, recall = training_pairs(signals, gold)
    print(f"{len(rows)} pairs ({int(labels.sum())} same story) from {len(signals)} articles; "
          f"gold story among candidates for {recall:.1%} of joins", file=sys.stderr)
    base = fit(rows, labels)
    runs: list[list[ArticleSignals]] = [signals]
    for n in range(SHUFFLES):
        shuffled = list(signals)
        random.Random(n).shuffle(shuffled)
        runs.append(shuffled)
    grid = []
    for threshold, candidates in itertools.product(THRESHOLDS, CANDIDATES):
        scorer = replace(base, threshold=threshold, candidates=candidates)
        grid.append({"threshold": threshold, "candidates": candidates, "fit_f1": round(f1_of(scorer, runs, gold), 4)})
    best = max(grid, key=lambda row: (row["fit_f1"], -row["candidates"]))
    scorer = replace(base, threshold=float(best["threshold"]), candidates=int(best["candidates"]))
    SCORER.write_text(json.dumps(scorer.to_dict(), indent=1) + "\n", encoding="utf-8")
    report = {
        "benchmark": "story_scorer_train",
        "stream": str(Path(args.stream) if args.stream else "gva-stream-dev/stream.jsonl"),
        "fitted_part": {
            "articles": len(articles),
            "events": len(set(gold.values())),
            "days_before": stream.split_day.isoformat(),
        },
        "pairs": len(rows),
        "positive_pairs": int(labels.sum()),
        "candidate_recall": round(recall, 4),
        "features": list(FEATURES),
        "scorer": scorer.to_dict(),
        "grid": grid,
        "chosen": best,
        "seconds": round(time.perf_counter() - started, 1),
    }
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    print(f"weights: {dict(zip(FEATURES, scorer.weights, strict=True))}, bias {scorer.bias}", file=sys.stderr)
    print(f"chosen: threshold {best['threshold']}, {best['candidates']} candidates, fitted-part F1 {best['fit_f1']}",
          file=sys.stderr)
    print(f"wrote {SCORER.relative_to(ROOT)} and {REPORT.relative_to(ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
