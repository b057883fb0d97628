"""Score story grouping on any labelled stream (``evaluate stories --stream``), with the classic peers.

A labelled stream is JSONL, one article per line: ``id``, ``text``, ``gold`` (the event it reports) and
optionally ``title``, ``url``, ``outlet``, ``published``. The articles are grouped as a stream in
publication order and/or in seeded shuffles, by newsroundup and, in the same run and order, by:

- ``alone``: every article a story of its own;
- ``single-pass-tfidf-3d``: the classic TDT / GDELT approach — full-text TF-IDF, each article joins the most
  similar story seen within 3 days when the cosine with its centroid reaches a threshold (0.2, chosen on
  the fitted part of gva-stream-dev by ``benchmarks/bench_stories_gva.py``; ``--tfidf-threshold``);
- ``tfidf-agglomerative-told-k`` and ``hdbscan-embeddings``: batch peers (told the number of events / on our
  embeddings), order-free.
"""

from __future__ import annotations

import json
import random
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Literal

import numpy as np

from newsroundup.errors import DataError, InputError
from newsroundup.evaluate.stories import hdbscan_labels, partition_scores, tfidf_agglomerative
from newsroundup.grouping.options import GroupingOptions
from newsroundup.grouping.signals import ArticleSignals, article_signals
from newsroundup.grouping.stories import StoryIndex
from newsroundup.model import Article
from newsroundup.pipeline.progress import say as say_line
from newsroundup.sources.files import NothingLeft, article_from_record

TFIDF_WINDOW = timedelta(days=3)
TFIDF_THRESHOLD = 0.2
Order = Literal["date", "shuffled", "both"]
ORDERS: tuple[Order, ...] = ("date", "shuffled", "both")
Grouper = Callable[[Sequence[Article], Sequence[ArticleSignals]], dict[str, str]]
Run = tuple[list[Article], list[ArticleSignals]]
_EARLIEST = datetime.min.replace(tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class LabelledStream:
    """The articles of a labelled stream in publication order (undated first, in file order) and their gold."""

    articles: list[Article]
    gold: dict[str, str]
    skipped: tuple[str, ...] = ()  # "FILE:LINE: why" of the records with nothing left once cleaned


def load_labelled_stream(path: Path) -> LabelledStream:
    """Read a labelled stream; a bad line is a one-line ``DataError`` naming the file and line.

    A well-formed record whose text is all page furniture (a scraped cookie wall, an archive's
    boilerplate) is no article: it is skipped and listed in ``skipped``, and scores leave it out.
    """
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise InputError(f"{path}: cannot read the stream ({exc.strerror or exc})") from None
    except UnicodeDecodeError:
        raise InputError(f"{path}: not UTF-8 text") from None
    articles: list[Article] = []
    gold: dict[str, str] = {}
    skipped: list[str] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            record = json.loads(line)
        except (json.JSONDecodeError, RecursionError) as exc:
            raise DataError(f"{where}: not valid JSON ({getattr(exc, 'msg', 'nested too deep')})") from None
        if not isinstance(record, dict) or "id" not in record:
            raise DataError(f"{where}: expected a JSON object with 'id', 'text' and 'gold'")
        label = record.get("gold")
        if isinstance(label, bool) or not isinstance(label, str | int) or str(label).strip() == "":
            raise DataError(f"{where}: 'gold' must be a non-empty string or a whole number")
        try:
            article = article_from_record(record, default_id=f"line-{number}")
        except NothingLeft as exc:
            skipped.append(f"{where}: {exc}")
            continue
        except InputError as exc:
            raise DataError(f"{where}: {exc}") from None
        if article.id in gold:
            raise DataError(f"{where}: id {article.id[:80]!r} appears twice")
        articles.append(article)
        gold[article.id] = str(label)
    if not articles:
        raise DataError(f"{path}: no articles in the stream")
    articles.sort(key=lambda a: a.published or _EARLIEST)  # stable: file order among equal times
    return LabelledStream(articles, gold, tuple(skipped))


# -- the systems --------------------------------------------------------------------------------------------


def alone(articles: Sequence[Article], signals: Sequence[ArticleSignals]) -> dict[str, str]:
    """Every article a story of its own."""
    return {a.id: a.id for a in articles}


def ours(options: GroupingOptions) -> Grouper:
    """newsroundup's stream grouping with ``options``."""

    def group(articles: Sequence[Article], signals: Sequence[ArticleSignals]) -> dict[str, str]:
        index = StoryIndex(options)
        index.add_all(signals)
        return {s.id: index.story_of(s.id) or s.id for s in signals}

    return group


def single_pass_tfidf(threshold: float = TFIDF_THRESHOLD, window: timedelta = TFIDF_WINDOW) -> Grouper:
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
    labels = tfidf_agglomerative(articles, k, "average", False)
    return {a.id: f"c{label}" for a, label in zip(articles, labels, strict=True)}


def hdbscan_embeddings(articles: Sequence[Article], signals: Sequence[ArticleSignals]) -> dict[str, str]:
    """HDBSCAN over our embeddings (noise: a story of its own)."""
    labels = hdbscan_labels(np.stack([s.vector for s in signals]))
    return {a.id: (f"c{label}" if label >= 0 else a.id) for a, label in zip(articles, labels, strict=True)}


def score(grouper: Grouper, articles: Sequence[Article], signals: Sequence[ArticleSignals],
          gold: dict[str, str]) -> dict[str, float]:
    """B-cubed scores, story count and articles/s (grouping only: signals are computed once) of one run."""
    started = time.perf_counter()
    predicted = grouper(articles, signals)
    seconds = time.perf_counter() - started
    return {
        **partition_scores(predicted, gold),
        "articles_per_second": round(len(articles) / max(seconds, 1e-9), 1),
    }


def orders(articles: list[Article], signals: list[ArticleSignals], order: Order = "both", shuffles: int = 3,
           seed: int = 0) -> dict[str, Run]:
    """Publication order and/or ``shuffles`` seeded shuffles (shuffle n uses seed + n)."""
    runs: dict[str, Run] = {}
    if order in ("date", "both"):
        runs["date order"] = (articles, signals)
    if order in ("shuffled", "both"):
        for n in range(shuffles):
            permutation = list(range(len(articles)))
            random.Random(seed + n).shuffle(permutation)
            runs[f"shuffle {n}"] = ([articles[i] for i in permutation], [signals[i] for i in permutation])
    return runs


# -- the command ------------------------------------------------------------------------------------------------


def evaluate_stream(
    path: Path,
    options: GroupingOptions,
    *,
    order: Order = "both",
    shuffles: int = 3,
    seed: int = 0,
    tfidf_threshold: float = TFIDF_THRESHOLD,
    quiet: bool = False,
) -> dict[str, Any]:
    """Every system on the stream at ``path`` in the orders asked for, and the batch peers: a results record."""
    stream = load_labelled_stream(path)

    def say(line: str) -> None:
        if not quiet:
            say_line(f"newsroundup: {line}")

    for line in stream.skipped:
        say(f"skipped {line}")
    say(f"{path}: {len(stream.articles)} articles, {len(set(stream.gold.values()))} events; computing signals")
    started = time.perf_counter()
    signals = article_signals(stream.articles)
    signal_seconds = time.perf_counter() - started
    name = "newsroundup-learned" if options.learned else "newsroundup-rule"
    streaming: dict[str, Grouper] = {
        name: ours(options), "alone": alone, "single-pass-tfidf-3d": single_pass_tfidf(tfidf_threshold),
    }
    runs: dict[str, dict[str, dict[str, float]]] = {}
    for run, (articles, run_signals) in orders(stream.articles, signals, order, shuffles, seed).items():
        runs[run] = {system: score(grouper, articles, run_signals, stream.gold)
                     for system, grouper in streaming.items()}
        say(f"{run}: " + ", ".join(f"{n} {s['f1']:.3f}" for n, s in runs[run].items()))
    events = len(set(stream.gold.values()))

    def told(articles: Sequence[Article], run_signals: Sequence[ArticleSignals]) -> dict[str, str]:
        return told_k(articles, run_signals, events)

    batch = {
        "tfidf-agglomerative-told-k": score(told, stream.articles, signals, stream.gold),
        "hdbscan-embeddings": score(hdbscan_embeddings, stream.articles, signals, stream.gold),
    }
    summary = {system: _summary(runs, system) for system in streaming}
    return {
        "benchmark": "stories_stream",
        "stream": str(path),
        "articles": len(stream.articles),
        "events": events,
        "skipped_records": list(stream.skipped),
        "grouping": options.record(),
        "signals_articles_per_second": round(len(stream.articles) / max(signal_seconds, 1e-9), 1),
        "single_pass_tfidf": {"window_days": TFIDF_WINDOW.days, "threshold": tfidf_threshold},
        "summary": summary,
        "batch_peers": batch,
        "runs": runs,
    }


def _summary(runs: dict[str, dict[str, dict[str, float]]], system: str) -> dict[str, Any]:
    """One system's date-order scores and its shuffled F1 mean and minimum."""
    f1s = [scores[system]["f1"] for run, scores in runs.items() if run != "date order"]
    return {
        "date_order": runs["date order"][system] if "date order" in runs else None,
        "shuffled_f1_mean": round(statistics.fmean(f1s), 4) if f1s else None,
        "shuffled_f1_min": round(min(f1s), 4) if f1s else None,
    }


def format_stream_table(results: dict[str, Any]) -> str:
    """The summary as a text table: date-order P/R/F1 and stories, shuffled F1 mean (min)."""
    lines = [f"{results['stream']}: {results['articles']} articles, {results['events']} events",
             f"{'system':28} {'P':>6} {'R':>6} {'F1':>6} {'stories':>7} {'shuffled F1 (min)':>18}"]
    for system, row in results["summary"].items():
        d = row["date_order"]
        date_part = (f"{d['precision']:6.3f} {d['recall']:6.3f} {d['f1']:6.3f} {d['stories']:7}" if d
                     else f"{'-':>6} {'-':>6} {'-':>6} {'-':>7}")
        shuf = (f"{row['shuffled_f1_mean']:.3f} ({row['shuffled_f1_min']:.3f})"
                if row["shuffled_f1_mean"] is not None else "-")
        lines.append(f"{system:28} {date_part} {shuf:>18}")
    for system, d in results["batch_peers"].items():
        lines.append(f"{system:28} {d['precision']:6.3f} {d['recall']:6.3f} {d['f1']:6.3f} {d['stories']:7} "
                     f"{'(batch)':>18}")
    return "\n".join(lines)
