"""Train the learned story scorer on the early part of the real labelled stream; ship its weights.

One command rebuilds src/newsroundup/grouping/scorer.json (package data):

    .venv/bin/python benchmarks/train_story_scorer.py [--stream FILE.jsonl]

1. The fitted part (the first 60% of the days of gva-stream-dev; the rest is never read here) is
   replayed in publication order into a ``StoryIndex`` with the gold grouping: every article goes
   into its gold incident's story, and the features of every candidate story matching would have
   scored it against (the nearest by embedding, within the join window) are recorded, labelled 1
   when the candidate is its gold story (``StoryIndex.replay``).
2. A logistic regression (scikit-learn) on the standardised features gives the weights.
3. The join window, the join threshold and the merge threshold are chosen by cross-validation over
   time slices of the fitted part (``cv_story_grouping.py``: each slice grouped, in date order and
   two dated shuffles, with weights fitted on the other slices; best mean B-cubed F1 wins).
4. The weights are fitted again on the whole fitted part with the chosen window.

Writes the scorer and benchmarks/results/story_scorer_train.json (pairs, weights, the grid).
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import time
from collections.abc import Sequence
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import numpy as np
from cv_story_grouping import CANDIDATES, Setting, cross_validate
from gva_stream import ROOT, load_stream

from newsroundup.grouping.options import GroupingOptions
from newsroundup.grouping.scorer import FEATURES, SCORER_FILE, PairScorer
from newsroundup.grouping.signals import ArticleSignals
from newsroundup.grouping.stories import StoryIndex

SCORER = ROOT / "src" / "newsroundup" / "grouping" / SCORER_FILE
REPORT = ROOT / "benchmarks" / "results" / "story_scorer_train.json"
TRAIN_CANDIDATES = CANDIDATES  # candidates recorded per article while replaying
# The grid cross-validated over time slices of the fitted part (cv_story_grouping.py).
# Windows of 14 and 60 days lost to 120 and 180 on every join and merge (results of branch grouping5);
# a merge at 0.7 was as good as 0.8 in a first cross-validation of this branch (the 10-feature scorer).
WINDOWS = (120, 180)  # days
THRESHOLDS = (0.3, 0.4, 0.5)
MERGES: tuple[float | None, ...] = (None, 0.7, 0.8)
FOLDS = 3
SHUFFLES = 2


def training_pairs(
    signals: Sequence[ArticleSignals], gold: dict[str, str], options: GroupingOptions | None = None
) -> tuple[np.ndarray, np.ndarray, float]:
    """Features and labels of every (article, candidate story) pair of the gold replay; candidate recall.

    ``options`` (the window and bounds of grouping; learned or not does not matter) default to ``GroupingOptions()``.
    """
    index = StoryIndex(replace(options or GroupingOptions(), learned=False, candidates=TRAIN_CANDIDATES))
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stream", type=Path, help="the labelled stream (default: gva-stream-dev)")
    args = parser.parse_args()
    started = time.perf_counter()
    stream = load_stream(args.stream)
    articles, signals, gold = stream.part(held_out=False)

    def pairs(train: Sequence[ArticleSignals], gold: dict[str, str], options: GroupingOptions) -> tuple[Any, Any]:
        rows, labels, _ = training_pairs(train, gold, options)
        return rows, labels

    grid = [Setting(w, j, m) for w, j, m in itertools.product(WINDOWS, THRESHOLDS, MERGES)]
    results = cross_validate(signals, gold, grid, pairs, fit, FOLDS, SHUFFLES)
    # best mean F1 over slices and orders; ties: the narrower window, then the higher thresholds
    setting = max(grid, key=lambda s: (results[s.name]["f1"], -s.window, s.join, s.merge or 1.0))
    options = GroupingOptions(window=timedelta(days=setting.window))
    rows, labels, recall = training_pairs(signals, gold, options)
    print(f"{len(rows)} pairs ({int(labels.sum())} same story) from {len(signals)} articles; "
          f"gold story among candidates for {recall:.1%} of joins", file=sys.stderr)
    scorer = replace(fit(rows, labels), threshold=setting.join, merge_threshold=setting.merge,
                     window_days=float(setting.window), candidates=CANDIDATES)
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
        "cross_validation": {"slices": FOLDS, "shuffles": SHUFFLES,
                             "grid": {name: {k: v for k, v in row.items() if k != "runs"}
                                      for name, row in results.items()}},
        "chosen": setting.name,
        "seconds": round(time.perf_counter() - started, 1),
    }
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    print(f"weights: {dict(zip(FEATURES, scorer.weights, strict=True))}, bias {scorer.bias}", file=sys.stderr)
    chosen = results[setting.name]
    print(f"chosen: {setting.name}: cross-validated F1 {chosen['f1']} (date {chosen['f1_date']}, "
          f"shuffled {chosen['f1_shuffled']})", file=sys.stderr)
    print(f"wrote {SCORER.relative_to(ROOT)} and {REPORT.relative_to(ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
