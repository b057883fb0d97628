"""The real labelled story stream (gva-stream-dev): loading, the time split, cached grouping signals.

Shared by ``train_story_scorer.py`` (fits on the early part) and ``bench_stories_gva.py`` (scores the
late part). The stream is read from the shared data folder, never copied into the repository; the
grouping signals (embeddings, names, words, numbers) are cached under ``$NEWSROUNDUP_CACHE`` or
/work/cache/grouping, keyed by the stream file's size and modification time and the signal code.
"""

from __future__ import annotations

import hashlib
import inspect
import json
import os
import pickle
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from newsroundup.grouping import signals as signals_module
from newsroundup.grouping.signals import ArticleSignals, article_signals
from newsroundup.model import Article

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_STREAM = ROOT.parent / "shared" / "data" / "gva-stream-dev" / "stream.jsonl"  # ../shared beside the checkout
FIT_SHARE = 0.6  # the first 60% of the stream's distinct days are fitted on, the rest held out


@dataclass(frozen=True, slots=True)
class Stream:
    """A labelled stream in publication order, its gold events, and the first held-out day."""

    articles: list[Article]
    gold: dict[str, str]
    signals: list[ArticleSignals]
    split_day: date

    def part(self, held_out: bool) -> tuple[list[Article], list[ArticleSignals], dict[str, str]]:
        """The fitted (``held_out=False``) or held-out part: articles, signals, gold, in order."""
        keep = [
            i
            for i, a in enumerate(self.articles)
            if a.published is not None and (a.published.date() >= self.split_day) == held_out
        ]
        articles = [self.articles[i] for i in keep]
        return articles, [self.signals[i] for i in keep], {a.id: self.gold[a.id] for a in articles}


def locate_stream(path: Path | None = None) -> Path:
    """The stream file: ``path``, else $NEWSROUNDUP_DATA/gva-stream-dev, else ../shared/data."""
    if path is not None:
        return path
    data = os.environ.get("NEWSROUNDUP_DATA")
    return Path(data) / "gva-stream-dev" / "stream.jsonl" if data else DEFAULT_STREAM


def load_stream(path: Path | None = None, fit_share: float = FIT_SHARE) -> Stream:
    """Read the stream (in publication order), compute or load its cached signals, split it by day."""
    path = locate_stream(path)
    if not path.is_file():
        raise SystemExit(f"{path}: no such stream file (set NEWSROUNDUP_DATA or pass --stream)")
    articles: list[Article] = []
    gold: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        record = json.loads(line)
        published = datetime.fromisoformat(record["published"]).replace(tzinfo=UTC)
        articles.append(
            Article(
                id=record["id"],
                text=record["text"],
                url=record.get("url"),
                outlet=record.get("outlet"),
                title=record.get("title"),
                published=published,
            )
        )
        gold[record["id"]] = str(record["gold"])
    articles.sort(key=lambda a: a.published or datetime.min.replace(tzinfo=UTC))  # stable: file order within a day
    days = sorted({a.published.date() for a in articles if a.published is not None})
    split_day = days[int(len(days) * fit_share)]
    return Stream(articles, gold, _cached_signals(path, articles), split_day)


def _cached_signals(path: Path, articles: list[Article]) -> list[ArticleSignals]:
    """The articles' grouping signals, from the cache when the stream and signal code are unchanged."""
    stat = path.stat()
    code = inspect.getsource(signals_module)
    key = hashlib.sha256(f"{path.resolve()}|{stat.st_size}|{stat.st_mtime_ns}|{code}".encode()).hexdigest()[:16]
    folder = Path(os.environ.get("NEWSROUNDUP_CACHE", "/work/cache/grouping"))
    cached = folder / f"signals-{key}.pkl"
    if cached.is_file():
        with cached.open("rb") as handle:
            loaded: list[ArticleSignals] = pickle.load(handle)
        if [s.id for s in loaded] == [a.id for a in articles]:
            return loaded
    computed = article_signals(articles)
    folder.mkdir(parents=True, exist_ok=True)
    with cached.open("wb") as handle:
        pickle.dump(computed, handle)
    return computed
