"""Cross-validate story-grouping choices across time slices of the fitted part of gva-stream-dev.

The fitted part (the first 60% of the stream's days; the held-out part is never read here) is cut
by day into ``--folds`` consecutive slices. For each slice, a scorer is trained (as
``train_story_scorer.py`` does: gold replay, logistic regression) on the other slices only, and the
slice is grouped as a stream of its own with each setting of a grid (join window, join threshold,
merge threshold, which features the scorer may use): in date order and in dated shuffles. A
setting's worth is its B-cubed F1 (and P, R) averaged over slices and orders; nothing in a slice
chose the weights it is grouped with. ``train_story_scorer.py`` chooses its settings this way; this
script also compares feature sets (what each feature is worth):

    .venv/bin/python benchmarks/cv_story_grouping.py [--windows 14,120] [--joins 0.3,0.4] \\
        [--merges none,0.8] [--feature-sets "all;cosine,names,..."]   # → results/story_grouping_cv.json
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import numpy as np
from gva_stream import ROOT, load_stream

from newsroundup.evaluate.stories import bcubed
from newsroundup.grouping.options import GroupingOptions
from newsroundup.grouping.scorer import FEATURES, PairScorer
from newsroundup.grouping.signals import ArticleSignals
from newsroundup.grouping.stories import StoryIndex

RESULTS = ROOT / "benchmarks" / "results" / "story_grouping_cv.json"
CANDIDATES = 32
Trainer = Callable[[Sequence[ArticleSignals], dict[str, str], GroupingOptions], tuple[np.ndarray, np.ndarray]]
Fitter = Callable[[np.ndarray, np.ndarray], PairScorer]


@dataclass(frozen=True, slots=True)
class Setting:
    """One point of the grid."""

    window: int  # days
    join: float
    merge: float | None
    features: tuple[str, ...] = FEATURES

    @property
    def name(self) -> str:
        kept = "" if self.features == FEATURES else f" [{','.join(self.features)}]"
        return f"window {self.window} join {self.join} merge {self.merge}{kept}"


def group(scorer: PairScorer, run: Sequence[ArticleSignals], options: GroupingOptions) -> tuple[dict[str, str], float]:
    """Each article's story with ``scorer`` and ``options``, and articles per second."""
    started = time.perf_counter()
    index = StoryIndex(replace(options, learned=True), scorer=scorer)
    index.add_all(run)
    seconds = time.perf_counter() - started
    return {s.id: index.story_of(s.id) or s.id for s in run}, len(run) / max(seconds, 1e-9)


def slices(signals: Sequence[ArticleSignals], folds: int) -> list[list[ArticleSignals]]:
    """``signals`` (in date order) cut into ``folds`` runs of consecutive days, about equal in days."""
    days = sorted({s.published.date() for s in signals if s.published is not None})
    bounds = [days[len(days) * k // folds] for k in range(1, folds)]
    cut: list[list[ArticleSignals]] = [[] for _ in range(folds)]
    for s in signals:
        assert s.published is not None
        cut[sum(s.published.date() >= b for b in bounds)].append(s)
    return cut


def orders(run: Sequence[ArticleSignals], shuffles: int) -> list[list[ArticleSignals]]:
    """``run`` in date order, then ``shuffles`` seeded shuffles (seed n for shuffle n)."""
    runs = [list(run)]
    for n in range(shuffles):
        shuffled = list(run)
        random.Random(n).shuffle(shuffled)
        runs.append(shuffled)
    return runs


def cross_validate(
    signals: Sequence[ArticleSignals],
    gold: dict[str, str],
    grid: Sequence[Setting],
    pairs: Trainer,
    fit: Fitter,
    folds: int = 3,
    shuffles: int = 2,
    say: Callable[[str], None] = lambda line: print(line, file=sys.stderr),
) -> dict[str, dict[str, Any]]:
    """Every setting of ``grid`` scored on each time slice with weights fitted on the other slices."""
    parts = slices(signals, folds)
    table: dict[str, list[dict[str, Any]]] = {s.name: [] for s in grid}
    for k, held in enumerate(parts):
        train = [s for j, part in enumerate(parts) if j != k for s in part]
        runs = orders(held, shuffles)
        held_gold = {s.id: gold[s.id] for s in held}
        for window in sorted({s.window for s in grid}):
            options = GroupingOptions(window=timedelta(days=window))
            rows, labels = pairs(train, gold, options)
            for features in dict.fromkeys(s.features for s in grid if s.window == window):
                masked = rows.copy()
                masked[:, [i for i, f in enumerate(FEATURES) if f not in features]] = 0.0  # a zero column: weight 0
                base = replace(fit(masked, labels), candidates=CANDIDATES)
                for setting in (s for s in grid if s.window == window and s.features == features):
                    scorer = replace(base, threshold=setting.join, merge_threshold=setting.merge)
                    for r, run in enumerate(runs):
                        labels_of, speed = group(scorer, run, options)
                        b = bcubed(labels_of, held_gold)
                        table[setting.name].append(
                            {"fold": k, "order": "date" if r == 0 else f"shuffle {r - 1}",
                             "precision": round(b.precision, 4), "recall": round(b.recall, 4), "f1": round(b.f1, 4),
                             "articles_per_second": round(speed, 1)})
                    mine = table[setting.name][-len(runs):]
                    say(f"slice {k} ({len(held)} articles) {setting.name}: F1 date {mine[0]['f1']:.4f}, "
                        f"mean {statistics.fmean(x['f1'] for x in mine):.4f}")
    return {name: {**summarise(rows), "runs": rows} for name, rows in table.items()}


def summarise(rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Means over slices: date-order P/R/F1, shuffled F1, all-orders F1 (what settings are chosen by), speed."""
    date = [x for x in rows if x["order"] == "date"]
    shuffled = [x for x in rows if x["order"] != "date"]
    return {
        "f1": round(statistics.fmean(x["f1"] for x in rows), 4),
        "f1_date": round(statistics.fmean(x["f1"] for x in date), 4),
        "precision_date": round(statistics.fmean(x["precision"] for x in date), 4),
        "recall_date": round(statistics.fmean(x["recall"] for x in date), 4),
        "f1_shuffled": round(statistics.fmean(x["f1"] for x in shuffled), 4) if shuffled else None,
        "articles_per_second": round(statistics.fmean(x["articles_per_second"] for x in rows), 1),
    }


def main() -> int:
    from train_story_scorer import fit, training_pairs

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=int, default=3)
    parser.add_argument("--shuffles", type=int, default=2)
    parser.add_argument("--windows", default="14", help="join windows in days, comma-separated (training and grouping)")
    parser.add_argument("--joins", default="0.2", help="join thresholds, comma-separated")
    parser.add_argument("--merges", default="none", help="merge thresholds, comma-separated (none: no merging)")
    parser.add_argument("--feature-sets", default="all",
                        help="';'-separated feature sets: 'all', or comma-separated names of FEATURES "
                             "(the others are left out of training)")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    started = time.perf_counter()
    sets = [FEATURES if f == "all" else tuple(f.split(",")) for f in args.feature_sets.split(";")]
    unknown = {f for s in sets for f in s} - set(FEATURES)
    if unknown:
        parser.error(f"unknown features {sorted(unknown)}; known: {', '.join(FEATURES)}")
    grid = [
        Setting(int(w), float(j), None if m == "none" else float(m), features)
        for w in args.windows.split(",") for features in sets
        for j in args.joins.split(",") for m in args.merges.split(",")
    ]
    stream = load_stream()
    _, signals, gold = stream.part(held_out=False)

    def pairs(train: Sequence[ArticleSignals], gold: dict[str, str], options: GroupingOptions) -> tuple[Any, Any]:
        rows, labels, _ = training_pairs(train, gold, options)
        return rows, labels

    summary = cross_validate(signals, gold, grid, pairs, fit, args.folds, args.shuffles)
    for name, row in summary.items():
        print(f"{name:40} F1 {row['f1']:.4f}: date {row['f1_date']:.4f} (P {row['precision_date']:.3f} "
              f"R {row['recall_date']:.3f}), shuffled {row['f1_shuffled']}, {row['articles_per_second']} articles/s")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({
        "benchmark": "story_grouping_cv", "stream": "gva-stream-dev, fitted part only", "folds": args.folds,
        "slice_articles": [len(p) for p in slices(signals, args.folds)], "shuffles": args.shuffles,
        "features": list(FEATURES), "summary": summary, "seconds": round(time.perf_counter() - started, 1),
    }, indent=1) + "\n")
    print(f"results written to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
