"""Story grouping on a real dense stream of same-kind events, held-out part, with the classic peers.

The stream is gva-stream-dev (real local reports of separate shootings, gold = the incident). The
learned scorer was fitted on the first 60% of its days (``train_story_scorer.py``); every number
here is on the remaining 40%, grouped as a stream of its own, in publication order and in dated
shuffles. Peers in the same run, each given the same articles in the same order:

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
import random
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any

import numpy as np
from gva_stream import ROOT, load_stream, locate_stream

from newsroundup.evaluate.stories import _hdbscan, _tfidf_agglomerative, bcubed, evaluate_stories
from newsroundup.grouping.options import GroupingOptions
from newsroundup.grouping.signals import ArticleSignals
from newsroundup.grouping.stories import StoryIndex
from newsroundup.model import Article

RESULTS = ROOT / "benchmarks" / "results" / "stories_gva.json"
TFIDF_WINDOW = timedelta(days=3)
TFIDF_THRESHOLDS = tuple(round(0.1 + 0.05 * i, 2) for i in range(13))  # 0.1 .. 0.7, chosen on the fitted part

Grouper = Callable[[Sequence[Article], Sequence[ArticleSignals]], dict[str, str]]


def alone(articles: Sequence[Article], signals: Sequence[ArticleSignals]) -> dict[str, str]:
    """Every article a story of its own."""
    return {a.id: a.id for a in articles}


def ours(options: GroupingOptions) -> Grouper:
    """Our stream grouping with ``options``."""

    def group(articles: Sequence[Article], signals: Sequence[ArticleSignals]) -> dict[str, str]:
        index = StoryIndex(options)
        index.add_all(signals)
        return {s.id: index.story_of(s.id) or s.id for s in signals}

    return group


def single_pass_tfidf(threshold: float, window: timedelta = TFIDF_WINDOW) -> Grouper:
    """Single-pass clustering of TF-IDF vectors: join the nearest story within ``window`` at ``threshold``."""

    def group(articles: Sequence[Article], signals: Sequence[ArticleSignals]) -> dict[str, str]:
        from sklearn.feature_extraction.text import TfidfVectorizer

        vectorizer = TfidfVectorizer(sublinear_tf=True, stop_words="english", min_df=1)
        matrix = vectorizer.fit_transform([f"{a.title or ''}\n{a.text}" for a in articles]).tocsr()
        totals: list[Any] = []
        spans: list[tuple[float, float]] = []
        labels: dict[str, str] = {}
        names: list[str] = []
        days = window / timedelta(days=1)
        for i, article in enumerate(articles):
            row = matrix[i]
            day = article.published.timestamp() / 86400 if article.published else 0.0
            best, best_cos = -1, threshold
            for c, total in enumerate(totals):
                first, last = spans[c]
                if day < first - days or day > last + days:
                    continue
                norm = float(np.sqrt(total.multiply(total).sum()))
                cosine = float(row.multiply(total).sum()) / max(norm, 1e-12)
                if cosine >= best_cos:
                    best, best_cos = c, cosine
            if best < 0:
                totals.append(row.copy())
                spans.append((day, day))
                names.append(article.id)
                best = len(totals) - 1
            else:
                totals[best] = totals[best] + row
                spans[best] = (min(spans[best][0], day), max(spans[best][1], day))
            labels[article.id] = names[best]
        return labels

    return group


def told_k(articles: Sequence[Article], signals: Sequence[ArticleSignals], k: int) -> dict[str, str]:
    """TF-IDF agglomerative clustering (average link) told the true number of events."""
    labels = _tfidf_agglomerative(articles, k, "average", False)
    return {a.id: f"c{label}" for a, label in zip(articles, labels, strict=True)}


def hdbscan(articles: Sequence[Article], signals: Sequence[ArticleSignals]) -> dict[str, str]:
    """HDBSCAN over our embeddings (noise: a story of its own)."""
    labels = _hdbscan(np.stack([s.vector for s in signals]))
    return {a.id: (f"c{label}" if label >= 0 else a.id) for a, label in zip(articles, labels, strict=True)}


def score(grouper: Grouper, articles: Sequence[Article], signals: Sequence[ArticleSignals],
          gold: dict[str, str]) -> dict[str, float]:
    """B-cubed scores, story count and articles/s (grouping only: signals are computed once) of one run."""
    started = time.perf_counter()
    predicted = grouper(articles, signals)
    seconds = time.perf_counter() - started
    result = bcubed(predicted, gold)
    return {
        "precision": round(result.precision, 4),
        "recall": round(result.recall, 4),
        "f1": round(result.f1, 4),
        "stories": len(set(predicted.values())),
        "articles_per_second": round(len(articles) / max(seconds, 1e-9), 1),
    }


Run = tuple[list[Article], list[ArticleSignals]]


def orders(articles: list[Article], signals: list[ArticleSignals], shuffles: int) -> dict[str, Run]:
    """Publication order and ``shuffles`` seeded dated shuffles."""
    runs = {"date order": (articles, signals)}
    for n in range(shuffles):
        order = list(range(len(articles)))
        random.Random(n).shuffle(order)
        runs[f"shuffle {n}"] = ([articles[i] for i in order], [signals[i] for i in order])
    return runs


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
    for run, (order, order_signals) in orders(articles, signals, args.shuffles).items():
        runs[run] = {name: score(grouper, order, order_signals, gold) for name, grouper in streaming.items()}
        print(f"{run}: " + ", ".join(f"{n} {s['f1']:.3f}" for n, s in runs[run].items()), file=sys.stderr)
    batch = {
        "tfidf-agglomerative-told-k": score(lambda a, s: told_k(a, s, events), articles, signals, gold),
        "hdbscan-embeddings": score(hdbscan, articles, signals, gold),
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
