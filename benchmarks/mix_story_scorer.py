"""Would the story scorer serve multi-topic web news better if Multi-News pairs joined its training?

The learned scorer is fitted on gva-stream-dev (one topic, dense). Multi-News dev clusters (real web
articles, 2–10 per event, many topics, undated) pooled into one stream are the other kind of stream
users feed. For each number of copies of the Multi-News training pairs (0 = as shipped), with the
shipped window, join and merge:

- gva: the cross-validation of ``train_story_scorer.py`` (3 time slices of the fitted part, date order
  and 2 shuffles), every Multi-News fit-part pair added to each slice's training;
- Multi-News: its fit part (clusters before ``FIT_UNTIL``) split into two halves of events; each half
  grouped (3 seeded shuffles) by a scorer fitted on gva's fitted part plus the other half's pairs.

Only fit parts are read (Multi-News clusters from ``FIT_UNTIL`` on and gva's last 40% of days are
held out). Prints one line per number of copies and writes benchmarks/results/story_scorer_mix.json.

    .venv/bin/python benchmarks/mix_story_scorer.py [--copies 0 1] [--data .../shared/data]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import numpy as np
from cv_story_grouping import CANDIDATES, Setting, cross_validate, group
from gva_stream import ROOT, load_stream
from train_story_scorer import fit, training_pairs

from newsroundup.evaluate.datasets import load_clusters
from newsroundup.evaluate.stories import bcubed
from newsroundup.grouping.options import GroupingOptions
from newsroundup.grouping.scorer import load_scorer
from newsroundup.grouping.signals import ArticleSignals, article_signals

FIT_UNTIL = 125  # Multi-News clusters mnv000..mnv124 (as benchmarks/fit_multinews.py)
RESULTS = ROOT / "benchmarks/results/story_scorer_mix.json"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, nargs="+", default=[0, 1])
    parser.add_argument("--data", type=Path,
                        help="folder with multinews-dev/ (default: $NEWSROUNDUP_DATA or ../shared/data)")
    args = parser.parse_args()
    data = args.data or Path(os.environ.get("NEWSROUNDUP_DATA") or ROOT.parent / "shared/data")
    shipped = load_scorer()
    assert shipped.window_days is not None
    options = GroupingOptions(window=timedelta(days=shipped.window_days))
    setting = Setting(int(shipped.window_days), shipped.threshold, shipped.merge_threshold)
    _, gva_signals, gva_gold = load_stream().part(held_out=False)
    clusters = load_clusters(data / "multinews-dev/clusters.jsonl")[:FIT_UNTIL]
    mn_gold = {a.id: c.id for c in clusters for a in c.articles}
    mn_signals = article_signals([a for c in clusters for a in c.articles])
    events = sorted({c.id for c in clusters})
    halves = [[s for s in mn_signals if mn_gold[s.id] in set(events[k::2])] for k in (0, 1)]

    def mn_pairs(signals: list[ArticleSignals], copies: int) -> tuple[np.ndarray, np.ndarray]:
        rows, labels = [], []
        for seed in range(copies):  # undated: each copy replays its own seeded order
            order = list(signals)
            random.Random(100 + seed).shuffle(order)
            r, lab, _ = training_pairs(order, mn_gold, options)
            rows.append(r)
            labels.append(lab)
        return np.vstack(rows), np.concatenate(labels)

    gva_rows, gva_labels, _ = training_pairs(gva_signals, gva_gold, options)
    report: dict[str, Any] = {"benchmark": "story_scorer_mix", "setting": setting.name, "copies": {}}
    for copies in args.copies:
        extra = mn_pairs(mn_signals, copies) if copies else None

        def pairs(train: Any, gold: dict[str, str], opts: GroupingOptions,
                  extra: tuple[np.ndarray, np.ndarray] | None = extra) -> tuple[Any, Any]:
            rows, labels, _ = training_pairs(train, gold, opts)
            if extra is None:
                return rows, labels
            return np.vstack([rows, extra[0]]), np.concatenate([labels, extra[1]])

        cv = cross_validate(gva_signals, gva_gold, [setting], pairs, fit, 3, 2, say=lambda _: None)
        gva = next(iter(cv.values()))
        scores = []
        for k in (0, 1):
            rows, labels = gva_rows, gva_labels
            if copies:
                more = mn_pairs(halves[1 - k], copies)
                rows, labels = np.vstack([rows, more[0]]), np.concatenate([labels, more[1]])
            scorer = replace(fit(rows, labels), threshold=shipped.threshold, merge_threshold=shipped.merge_threshold,
                             window_days=shipped.window_days, candidates=CANDIDATES)
            held_gold = {s.id: mn_gold[s.id] for s in halves[k]}
            for seed in range(3):
                run = list(halves[k])
                random.Random(seed).shuffle(run)
                scores.append(bcubed(group(scorer, run, options)[0], held_gold))
        mn = {key: round(statistics.fmean(getattr(b, key) for b in scores), 4)
              for key in ("precision", "recall", "f1")}
        report["copies"][str(copies)] = {
            "gva_cv": {k: v for k, v in gva.items() if k != "runs"}, "multinews_fit_2fold": mn,
        }
        print(f"copies {copies}: gva CV F1 {gva['f1']} (date {gva['f1_date']}, shuffled {gva['f1_shuffled']}); "
              f"Multi-News fit 2-fold F1 {mn['f1']} (P {mn['precision']}, R {mn['recall']})", flush=True)
    RESULTS.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
