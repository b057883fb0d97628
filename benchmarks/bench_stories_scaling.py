"""Cost of story grouping at 1k, 10k and 100k articles, and the two embedding backends compared.

Synthetic streams are made from the invented fixture stream (tests/fixtures/stories/stream.jsonl):
each synthetic event copies one fixture event with its names replaced by invented ones, its
articles re-dated (keeping their spacing) and perturbed (a later sentence dropped, two swapped).
The 1k stream is embedded for real (that is where the embedding cost is measured). Grouping at
every scale uses those real embeddings plus a random offset per synthetic event (size 1.2) and
per-article noise (0.05), renormalised: the same base text with different names embeds almost
identically, so without the offset copies of one fixture event would be one story. Beyond 1k an
article takes the vector of the pool article with the same base text (embedding 100k texts would
take over an hour of this shared machine and measures nothing the 1k run does not: the cost per
text does not depend on the archive). Key terms and content words come from the real perturbed
texts (copies of one fixture event share their content words but no names, so the words, which
count only between articles sharing a name, do not join them).

Each scale runs in its own process so its peak resident memory (ru_maxrss) is its own.

    .venv/bin/python benchmarks/bench_stories_scaling.py            # everything
    .venv/bin/python benchmarks/bench_stories_scaling.py --sizes 1000 --no-backends
    .venv/bin/python benchmarks/bench_stories_scaling.py --no-backends --learned   # run's default grouping
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np

from newsroundup.evaluate.stories import bcubed
from newsroundup.grouping.options import GroupingOptions
from newsroundup.grouping.signals import MAX_TOKENS, WORDS_PER_ARTICLE, ArticleSignals, grouping_text
from newsroundup.grouping.stories import StoryIndex
from newsroundup.model import Article
from newsroundup.text.dates import parse_iso_datetime
from newsroundup.text.keyterms import content_words, key_terms
from newsroundup.text.sentences import split_sentences

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "stories" / "stream.jsonl"
RESULTS = ROOT / "benchmarks" / "results"
POOL_SIZE = 1000
ARTICLES_PER_DAY = 300
EVENT_OFFSET = 1.2  # size of the random per-event direction added to reused embeddings
ARTICLE_NOISE = 0.05
_SYLLABLES = "ka lo mi ra ven tor sel an du bri ost el mar fen gal ith or vul sa ne".split()


def fixture_events() -> list[list[Article]]:
    """The fixture's articles grouped by gold event, each event in publication order."""
    events: dict[str, list[Article]] = {}
    for line in FIXTURE.read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        published = parse_iso_datetime(r["published"]) if r["published"] else None
        article = Article(id=r["id"], text=r["text"], title=r["title"], outlet=r["outlet"], published=published)
        events.setdefault(r["event"], []).append(article)
    return list(events.values())


def invented_name(rng: random.Random) -> str:
    """A pronounceable invented name."""
    return "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(3, 4))).capitalize()


def synthetic_stream(size: int, seed: int = 0) -> tuple[list[Article], dict[str, int], list[int]]:
    """``size`` articles of synthetic events; their gold event numbers; and each one's pool slot.

    The pool slot says which article of the first ``POOL_SIZE`` articles has the same base text.
    """
    rng = random.Random(seed)
    bases = fixture_events()
    start = datetime(2024, 1, 1, tzinfo=UTC)
    events_per_day = ARTICLES_PER_DAY / (sum(len(e) for e in bases) / len(bases))
    articles: list[tuple[datetime, Article, int, int]] = []
    event = 0
    while len(articles) < size:
        base = bases[event % len(bases)]
        # longest first (so "Ann Lee" is renamed before "Ann"), then by name: the same stream in every process
        names = sorted({t for a in base for t in key_terms(f"{a.title}\n{a.text}")}, key=lambda n: (-len(n), n))
        renames = {name: invented_name(rng) for name in names}
        pattern = re.compile(r"\b(" + "|".join(re.escape(n) for n in names) + r")\b", re.IGNORECASE)
        begin = start + timedelta(days=event / events_per_day, hours=rng.uniform(-6, 6))
        first = next((a.published for a in base if a.published), start)
        for position, source in enumerate(base):
            offset = (source.published or first) - first
            published = begin + offset if source.published else None
            text = _perturb(_rename(source.text, pattern, renames), rng)
            title = _rename(source.title or "", pattern, renames)
            article = Article(id=f"e{event}-a{position}", text=text, title=title, published=published)
            arrival = (published or begin) + timedelta(hours=rng.uniform(0, 6))  # a little late
            articles.append((arrival, article, event, position))
        event += 1
    articles.sort(key=lambda item: (item[0], item[1].id))
    articles = articles[:size]
    gold = {a.id: e for _, a, e, _ in articles}
    return [a for _, a, _, _ in articles], gold, [p for _, _, _, p in articles]


def _rename(text: str, pattern: re.Pattern[str], renames: dict[str, str]) -> str:
    """``text`` with every name matched by ``pattern`` replaced by its invented name."""
    return pattern.sub(lambda match: renames[match.group(0).lower()], text)


def _perturb(text: str, rng: random.Random) -> str:
    """Drop one later sentence (half the time) and swap two later sentences."""
    sentences = [text[s.start : s.end] for s in split_sentences(text)]
    if len(sentences) > 3 and rng.random() < 0.5:
        del sentences[rng.randrange(1, len(sentences))]
    if len(sentences) > 3:
        i, j = rng.sample(range(1, len(sentences)), 2)
        sentences[i], sentences[j] = sentences[j], sentences[i]
    return " ".join(sentences)


def run_scale(size: int, pool_file: Path, seed: int, learned: bool = False) -> dict[str, Any]:
    """Group a synthetic stream of ``size`` articles; time every stage; report quality and memory.

    ``learned``: with the learned pair scorer (the default of ``run``) instead of the hand-set rule.
    """
    articles, gold, _ = synthetic_stream(size, seed)
    pool = np.load(pool_file)
    pool_articles, pool_gold, _ = synthetic_stream(POOL_SIZE, seed)
    pool_row = {a.id: i for i, a in enumerate(pool_articles)}
    bases = len(fixture_events())
    pool_events: dict[int, list[int]] = {}  # fixture event -> pool events copied from it
    for pool_event in sorted(set(pool_gold.values())):
        pool_events.setdefault(pool_event % bases, []).append(pool_event)
    rng = np.random.default_rng(seed)
    offsets: dict[int, np.ndarray] = {}
    vectors = np.empty((len(articles), pool.shape[1]), dtype=np.float32)
    for row, article in enumerate(articles):
        event = gold[article.id]
        source = pool_row.get(article.id)
        if source is None:  # beyond the pool: the pool article with the same base text
            copies = pool_events[event % bases]
            base_event = copies[(event // bases) % len(copies)]
            position = article.id.split("-a")[1]
            source = pool_row.get(f"e{base_event}-a{position}")
            if source is None:
                source = pool_row[next(a for a in pool_row if a.startswith(f"e{base_event}-"))]
        if event not in offsets:
            offsets[event] = _random_unit(rng, pool.shape[1]) * EVENT_OFFSET
        noisy = pool[source] + offsets[event] + _random_unit(rng, pool.shape[1]) * ARTICLE_NOISE
        vectors[row] = noisy / np.linalg.norm(noisy)
    started = time.process_time()
    terms = [key_terms(f"{a.title}\n{a.text}") for a in articles]
    words = [content_words(f"{a.title}\n{a.text}", WORDS_PER_ARTICLE) for a in articles]
    terms_seconds = time.process_time() - started
    signals = [
        ArticleSignals(a.id, vectors[i], terms[i], a.published, words[i]) for i, a in enumerate(articles)
    ]
    index = StoryIndex(GroupingOptions(learned=learned))
    per_block: list[float] = []
    block = max(size // 10, 1)
    started = time.process_time()
    for begin in range(0, len(signals), block):
        t = time.process_time()
        index.add_all(signals[begin : begin + block])
        per_block.append((time.process_time() - t) / len(signals[begin : begin + block]))
    grouping_seconds = time.process_time() - started
    scores = bcubed({a.id: index.story_of(a.id) or a.id for a in articles}, {k: str(v) for k, v in gold.items()})
    days = (max(a.published for a in articles if a.published) - min(a.published for a in articles if a.published))
    return {
        "articles": len(articles),
        "grouping": "learned" if learned else "rule",
        "events": len(set(gold.values())),
        "days": round(days.total_seconds() / 86400, 1),
        "embeddings": "real embeddings of the 1k stream plus a random offset per event",
        "stories": len(index),
        "active_stories_at_end": len(index.active_ids()),
        "bcubed_f1": round(scores.f1, 4),
        "key_terms_ms_per_article": round(1000 * terms_seconds / len(articles), 3),  # names and content words
        "grouping_ms_per_article": round(1000 * grouping_seconds / len(articles), 3),
        "grouping_ms_per_article_by_tenth": [round(1000 * s, 3) for s in per_block],
        "peak_rss_mb": peak_rss_mb(),
    }


def peak_rss_mb() -> float:
    """This process's peak resident memory (VmHWM: unlike ru_maxrss, not inherited across exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _random_unit(rng: np.random.Generator, dimensions: int) -> np.ndarray:
    vector = rng.standard_normal(dimensions).astype(np.float32)
    return vector / np.linalg.norm(vector)


def embed_pool(pool_file: Path, seed: int, backend: str) -> dict[str, Any]:
    """Embed the 1k stream for real; save the vectors; return the embedding cost per article."""
    from newsroundup.grouping.vectors import embed, load_embedder

    load_embedder(backend)  # type: ignore[arg-type]
    articles, _, _ = synthetic_stream(POOL_SIZE, seed)
    texts = [grouping_text(a) for a in articles]
    wall, cpu = time.perf_counter(), time.process_time()
    vectors = embed(texts, backend=backend, max_tokens=MAX_TOKENS)  # type: ignore[arg-type]
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    np.save(pool_file, vectors)
    return {
        "backend": backend,
        "texts": len(texts),
        "wall_ms_per_article": round(1000 * wall / len(texts), 2),
        "cpu_ms_per_article": round(1000 * cpu / len(texts), 2),
        "peak_rss_mb": peak_rss_mb(),
    }


def compare_backends(count: int, seed: int, repeats: int = 3) -> dict[str, Any]:
    """Embed the same texts with each backend, interleaved; speed, and agreement with torch."""
    from newsroundup.grouping.vectors import embed, load_embedder

    articles, _, _ = synthetic_stream(count, seed)
    texts = [grouping_text(a) for a in articles]
    backends = ("onnx", "onnx-fp32", "torch")
    result: dict[str, Any] = {"texts": len(texts), "repeats": repeats, "load_average": os.getloadavg()[0]}
    loads = {}
    for backend in backends:
        t = time.perf_counter()
        load_embedder(backend)  # type: ignore[arg-type]
        loads[backend] = round(time.perf_counter() - t, 2)
    timings: dict[str, list[tuple[float, float]]] = {backend: [] for backend in backends}
    outputs = {}
    for _ in range(repeats):
        for backend in backends:
            wall, cpu = time.perf_counter(), time.process_time()
            outputs[backend] = embed(texts, backend=backend, max_tokens=MAX_TOKENS)  # type: ignore[arg-type]
            timings[backend].append((time.perf_counter() - wall, time.process_time() - cpu))
    for backend, runs in timings.items():
        cosines = (outputs[backend] * outputs["torch"]).sum(axis=1)
        result[backend] = {
            "load_seconds_in_this_process": loads[backend],
            "best_wall_texts_per_second": round(len(texts) / min(w for w, _ in runs), 1),
            "median_cpu_ms_per_text": round(1000 * sorted(c for _, c in runs)[len(runs) // 2] / len(texts), 2),
            "mean_cosine_to_torch": round(float(cosines.mean()), 5),
            "min_cosine_to_torch": round(float(cosines.min()), 5),
        }
    result["load_average_after"] = os.getloadavg()[0]
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--backend", default="onnx")
    parser.add_argument("--no-backends", action="store_true", help="skip the onnx vs torch comparison")
    parser.add_argument("--scale", type=int, help=argparse.SUPPRESS)  # internal: one scale, JSON out
    parser.add_argument("--pool", type=Path, default=Path("/tmp/newsroundup-stories-pool.npy"))
    parser.add_argument("--learned", action="store_true",
                        help="group with the learned scorer (run's default) instead of the hand-set rule; "
                             "results to stories_scaling_learned.json")
    args = parser.parse_args()
    if args.scale:
        print(json.dumps(run_scale(args.scale, args.pool, args.seed, args.learned)))
        return
    RESULTS.mkdir(parents=True, exist_ok=True)
    if not args.no_backends:
        backends = compare_backends(256, args.seed)
        print(json.dumps(backends, indent=2))
        (RESULTS / "stories_vectors.json").write_text(json.dumps(backends, indent=2) + "\n", encoding="utf-8")
    embedding = embed_pool(args.pool, args.seed, args.backend)
    print(json.dumps(embedding), file=sys.stderr)
    scales = []
    for size in args.sizes:
        out = subprocess.run(
            [sys.executable, __file__, "--scale", str(size), "--pool", str(args.pool), "--seed", str(args.seed),
             *(["--learned"] if args.learned else [])],
            check=True,
            capture_output=True,
            text=True,
        )
        scale = json.loads(out.stdout)
        per_article = embedding["cpu_ms_per_article"] + scale["key_terms_ms_per_article"]
        per_article += scale["grouping_ms_per_article"]
        scale["total_cpu_ms_per_article"] = round(per_article, 2)
        scale["articles_per_cpu_second"] = round(1000 / per_article, 1)
        print(json.dumps(scale), file=sys.stderr)
        scales.append(scale)
    results = {
        "benchmark": "stories scaling",
        "stream": f"synthetic from the invented fixture stream, {ARTICLES_PER_DAY} articles a day",
        "seed": args.seed,
        "embedding": embedding,
        "scales": scales,
        "note": "times are CPU seconds of one process (2 cores shared with other jobs); "
        "total = embedding (measured on the real 1k stream) + key terms + grouping",
    }
    name = "stories_scaling_learned.json" if args.learned else "stories_scaling.json"
    (RESULTS / name).write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
