"""Score story grouping on DUC 2004 as one shuffled stream (B-cubed), against two batch baselines."""

from __future__ import annotations

import os
import random
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from newsroundup.errors import InputError
from newsroundup.evaluate.datasets import CLUSTERS_FILE, Cluster, load_clusters, locate_duc2004
from newsroundup.grouping.options import GroupingOptions
from newsroundup.grouping.signals import article_signals
from newsroundup.grouping.stories import StoryIndex
from newsroundup.grouping.vectors import DEFAULT_BACKEND, Backend, load_embedder
from newsroundup.model import Article

OURS = "newsroundup"
TFIDF = "tfidf-agglomerative"  # words, average link: the usual configuration
TFIDF_PAIRS = "tfidf-pairs-complete"  # words and word pairs, complete link: the best of 15 on all of DUC
HDBSCAN = "hdbscan-embeddings"
_METRICS = ("precision", "recall", "f1", "stories", "articles_per_second", "cpu_articles_per_second")
EventSplit = Literal["all", "tune", "held-out"]
EVENT_SPLITS: tuple[EventSplit, ...] = ("all", "tune", "held-out")


@dataclass(frozen=True, slots=True)
class BCubed:
    """B-cubed precision, recall and F1 of a clustering against gold classes."""

    precision: float
    recall: float
    f1: float


def partition_scores(predicted: Mapping[str, str], gold: Mapping[str, str]) -> dict[str, float]:
    """B-cubed precision, recall and F1 of ``predicted`` against ``gold`` (rounded), and its number of stories."""
    scores = bcubed(predicted, gold)
    return {
        "precision": round(scores.precision, 4),
        "recall": round(scores.recall, 4),
        "f1": round(scores.f1, 4),
        "stories": len(set(predicted.values())),
    }


def bcubed(predicted: Mapping[str, str], gold: Mapping[str, str]) -> BCubed:
    """B-cubed scores of ``predicted`` (item -> cluster) against ``gold`` (item -> class).

    Every gold item must be predicted; items outside ``gold`` are ignored.
    """
    missing = [item for item in gold if item not in predicted]
    if missing:
        raise ValueError(f"{len(missing)} gold items have no predicted cluster, e.g. {missing[0]!r}")
    clusters: dict[str, set[str]] = defaultdict(set)
    classes: dict[str, set[str]] = defaultdict(set)
    for item, label in gold.items():
        clusters[predicted[item]].add(item)
        classes[label].add(item)
    precision = recall = 0.0
    for item, label in gold.items():
        cluster, klass = clusters[predicted[item]], classes[label]
        shared = len(cluster & klass)
        precision += shared / len(cluster)
        recall += shared / len(klass)
    precision /= max(len(gold), 1)
    recall /= max(len(gold), 1)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return BCubed(precision, recall, f1)


def evaluate_stories(
    data_dir: Path | None = None,
    shuffles: int = 5,
    seed: int = 0,
    options: GroupingOptions | None = None,
    backend: Backend = DEFAULT_BACKEND,
    baselines: bool = True,
    quiet: bool = False,
    events: EventSplit = "all",
) -> dict[str, Any]:
    """Group all DUC 2004 documents as one stream, once per seeded shuffle, with the baselines.

    ``events`` narrows the stream to one half of the events (sorted by id, alternately): "tune"
    (1st, 3rd, ...; the half earlier thresholds were chosen on, kept for comparison) or
    "held-out". The current thresholds were chosen on no DUC data at all.

    Our time per article counts embedding, key terms and grouping (the model is loaded first,
    outside the clock). The baselines are batch methods: full-text TF-IDF vectors with
    agglomerative clustering told the true number of events (two configurations), and HDBSCAN on
    our embeddings. With the baselines, the results also say how hard the data is
    (:func:`dataset_difficulty`).
    """
    if shuffles < 1:
        raise InputError(f"the number of shuffles must be at least 1, not {shuffles}")
    folder = locate_duc2004(data_dir)
    clusters = _events(load_clusters(folder / CLUSTERS_FILE), events)
    articles = [article for cluster in clusters for article in cluster.articles]
    gold = {article.id: cluster.id for cluster in clusters for article in cluster.articles}
    options = options or GroupingOptions()
    started = time.perf_counter()
    load_embedder(backend)
    load_seconds = time.perf_counter() - started
    difficulty = dataset_difficulty(articles, gold) if baselines else None
    runs: list[dict[str, Any]] = []
    for shuffle in range(shuffles):
        order = articles[:]
        random.Random(seed + shuffle).shuffle(order)
        run = _run_ours(order, gold, options, backend)
        vectors = run.pop("vectors")
        if baselines:
            for name, linkage, pairs in ((TFIDF, "average", False), (TFIDF_PAIRS, "complete", True)):
                run["systems"][name] = _score_baseline(
                    order, gold, tfidf_agglomerative, order, len(clusters), linkage, pairs
                )
            run["systems"][HDBSCAN] = _score_baseline(order, gold, hdbscan_labels, vectors)
        runs.append(run)
        if not quiet:
            scores = run["systems"][OURS]
            print(
                f"shuffle {shuffle + 1}/{shuffles}: B-cubed F1 {scores['f1']:.3f}, "
                f"{scores['stories']} stories, {scores['articles_per_second']:.1f} articles/s",
                file=sys.stderr,
            )
    systems = sorted({name for run in runs for name in run["systems"]}, key=lambda n: (n != OURS, n))
    return {
        "benchmark": "stories",
        "dataset": "DUC 2004 Task 2, all documents pooled into one undated stream"
        if events == "all"
        else f"DUC 2004 Task 2, the {events} half of the events pooled into one undated stream",
        "events_split": events,
        "articles": len(articles),
        "events": len(clusters),
        "shuffles": shuffles,
        "seed": seed,
        "backend": backend,
        "model_load_seconds": round(load_seconds, 3),
        "options": options.record(timedelta(days=1), "_days"),
        "difficulty": difficulty,
        "summary": {name: _spread([run["systems"][name] for run in runs]) for name in systems},
        "runs": runs,
    }


def _run_ours(
    order: Sequence[Article], gold: Mapping[str, str], options: GroupingOptions, backend: Backend
) -> dict[str, Any]:
    """Embed and group ``order`` as a stream; score it; keep the vectors for the HDBSCAN baseline."""
    started, cpu = time.perf_counter(), time.process_time()
    signals = article_signals(order, backend=backend)
    embedded = time.perf_counter()
    index = StoryIndex(options)
    index.add_all(signals)
    finished = time.perf_counter()
    predicted = {article.id: index.story_of(article.id) or article.id for article in order}
    scores = bcubed(predicted, gold)
    return {
        "order_head": [article.id for article in order[:5]],
        "systems": {
            OURS: {
                "precision": round(scores.precision, 4),
                "recall": round(scores.recall, 4),
                "f1": round(scores.f1, 4),
                "stories": len(index),
                "merges": len(index.merged()),
                "seconds": round(finished - started, 3),
                "embedding_seconds": round(embedded - started, 3),
                "grouping_seconds": round(finished - embedded, 3),
                "cpu_seconds": round(time.process_time() - cpu, 3),
                "articles_per_second": round(len(order) / (finished - started), 2),
                "cpu_articles_per_second": round(len(order) / max(time.process_time() - cpu, 1e-9), 2),
                "load_average": round(os.getloadavg()[0], 2),
            }
        },
        "vectors": np.stack([signal.vector for signal in signals]),
    }


def _events(clusters: Sequence[Cluster], split: EventSplit) -> list[Cluster]:
    """All ``clusters``, or every other one in id order (tune: 1st, 3rd, ...; held-out: 2nd, 4th, ...)."""
    if split not in EVENT_SPLITS:
        raise InputError(f"unknown events split {split!r}: use one of {', '.join(EVENT_SPLITS)}")
    if split == "all":
        return list(clusters)
    ordered = sorted(clusters, key=lambda cluster: cluster.id)
    return ordered[0 if split == "tune" else 1 :: 2]


def _score_baseline(
    order: Sequence[Article], gold: Mapping[str, str], cluster: Callable[..., list[int]], *args: Any
) -> dict[str, Any]:
    """Time and score ``cluster(*args)``: one label per article (-1 for noise: a story of its own)."""
    wall = time.perf_counter()
    labels = cluster(*args)
    wall = time.perf_counter() - wall
    predicted = {
        article.id: (f"c{label}" if label >= 0 else f"noise:{article.id}")
        for article, label in zip(order, labels, strict=True)
    }
    return {
        **partition_scores(predicted, gold),
        "seconds": round(wall, 3),
        "articles_per_second": round(len(order) / wall, 2) if wall else None,
    }


def _tfidf_matrix(order: Sequence[Article], pairs: bool = True) -> Any:
    """Full-text TF-IDF rows (words, and word pairs with ``pairs``; sublinear counts; no stop words)."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    grams = (1, 2) if pairs else (1, 1)
    vectorizer = TfidfVectorizer(sublinear_tf=True, stop_words="english", min_df=2, ngram_range=grams)
    return vectorizer.fit_transform([f"{article.title or ''}\n{article.text}" for article in order])


def tfidf_agglomerative(order: Sequence[Article], events: int, linkage: str, pairs: bool) -> list[int]:
    """Agglomerative clustering of full-text TF-IDF vectors into the true number of events.

    Two configurations run: words with average link (the usual one), and words and word pairs
    with complete link, the best of 15 batch settings tried on all 500 DUC 2004 documents (words
    or pairs, stop words or not, cased or not; average, complete or single link). Both are
    optimistic peers: they are told k, and the second was picked with the gold events in view.
    """
    from sklearn.cluster import AgglomerativeClustering

    model = AgglomerativeClustering(n_clusters=events, metric="cosine", linkage=linkage)
    return [int(label) for label in model.fit_predict(_tfidf_matrix(order, pairs).toarray())]


def dataset_difficulty(articles: Sequence[Article], gold: Mapping[str, str]) -> dict[str, Any]:
    """What bounds any grouping of ``articles`` against ``gold``, measured on the data itself.

    - ``identical_texts_across_events``: articles whose text also appears, word for word, under
      another gold event (no method can tell such copies apart);
    - ``f1_ceiling``: B-cubed F1 of the gold grouping with every such copy moved to the event of its
      first twin, an upper bound for any method that treats identical texts alike;
    - ``nearest_neighbour_same_event``: the share of articles whose most similar other article
      (full-text TF-IDF cosine) belongs to the same gold event.
    """
    first_event: dict[str, str] = {}
    ceiling: dict[str, str] = {}
    crossing = 0
    for article in articles:
        key = " ".join(article.text.split())
        event = first_event.setdefault(key, gold[article.id])
        crossing += event != gold[article.id]
        ceiling[article.id] = event
    matrix = _tfidf_matrix(articles)
    similarity = (matrix @ matrix.T).toarray()
    np.fill_diagonal(similarity, -1.0)
    nearest = similarity.argmax(axis=1)
    same = sum(gold[articles[int(j)].id] == gold[article.id] for article, j in zip(articles, nearest, strict=True))
    return {
        "identical_texts_across_events": crossing,
        "f1_ceiling": round(bcubed(ceiling, gold).f1, 4),
        "nearest_neighbour_same_event": round(same / max(len(articles), 1), 4),
    }


def hdbscan_labels(vectors: npt.NDArray[np.float32]) -> list[int]:
    """HDBSCAN over the stream's embeddings (unit vectors: Euclidean distance ranks as cosine)."""
    from sklearn.cluster import HDBSCAN as HDBSCANModel

    model = HDBSCANModel(min_cluster_size=3, metric="euclidean", copy=True)
    return [int(label) for label in model.fit_predict(vectors.astype(np.float64))]


def _spread(scores: Sequence[Mapping[str, Any]]) -> dict[str, dict[str, float]]:
    """Mean, min and max of each metric over the shuffles."""
    spread: dict[str, dict[str, float]] = {}
    for metric in _METRICS:
        values = [float(s[metric]) for s in scores if s.get(metric) is not None]
        if values:
            spread[metric] = {
                "mean": round(statistics.fmean(values), 4),
                "min": round(min(values), 4),
                "max": round(max(values), 4),
            }
    return spread


def format_table(results: Mapping[str, Any]) -> str:
    """A plain-text table of each system's spread over the shuffles."""
    header = ["system", "B3 precision", "B3 recall", "B3 F1 (min..max)", "stories", "articles/s", "per CPU-s"]
    rows = [header]
    for name, spread in results["summary"].items():
        f1 = spread["f1"]
        rows.append(
            [
                f"* {name}" if name == OURS else f"  {name}",
                f"{spread['precision']['mean']:.3f}",
                f"{spread['recall']['mean']:.3f}",
                f"{f1['mean']:.3f} ({f1['min']:.3f}..{f1['max']:.3f})",
                f"{spread['stories']['mean']:.1f}",
                f"{spread['articles_per_second']['mean']:.1f}" if "articles_per_second" in spread else "-",
                f"{spread['cpu_articles_per_second']['mean']:.1f}" if "cpu_articles_per_second" in spread else "-",
            ]
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = [
        f"Stories on DUC 2004 ({results.get('events_split', 'all')} events): "
        f"{results['articles']} articles, {results['events']} events, "
        f"{results['shuffles']} shuffled streams (seed {results['seed']})"
    ]
    difficulty = results.get("difficulty")
    if difficulty:
        lines.append(
            f"Data: {difficulty['identical_texts_across_events']} texts identical to one under another event "
            f"(F1 ceiling {difficulty['f1_ceiling']:.3f}); nearest TF-IDF neighbour in the same event for "
            f"{difficulty['nearest_neighbour_same_event']:.1%} of articles"
        )
    for row in rows:
        lines.append(
            "  ".join(
                [row[0].ljust(widths[0]), *(c.rjust(w) for c, w in zip(row[1:], widths[1:], strict=True))]
            )
        )
    return "\n".join(lines)
