"""Sentence pairs for the same-fact model: a roundup sentence and another article's nearest sentences.

Shared by ``scripts/train_same_fact.py`` (fit) and ``benchmarks/bench_corroboration.py`` (score).
The hand labels (``benchmarks/fixtures/same_fact_labels.jsonl``) name both sentences by article id
character offsets into the cleaned dev text and a short hash of the sentence (never its text):
``{"set", "a": [id, start, end, sha1-12], "b": [...], "same": true|false}``; when cleaning changes, a
label follows its sentence by the hash (``locate``). Multi-News clusters ``mnv000``..``mnv124`` are the
fit part, the rest held out; DUC 2004 pairs are for evaluation only.

    PYTHONPATH=src python benchmarks/same_fact_pairs.py --set multinews --clusters 0:10 > pairs.txt
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsroundup.evaluate.datasets import Cluster, load_clusters
from newsroundup.grouping.vectors import load_embedder
from newsroundup.model import Article
from newsroundup.roundup.candidates import build_candidates
from newsroundup.roundup.summarize import summarize
from newsroundup.text.same_fact import pair_features
from newsroundup.text.sentences import split_sentences

ROOT = Path(__file__).resolve().parents[1]
LABELS = ROOT / "benchmarks" / "fixtures" / "same_fact_labels.jsonl"
DATA = ROOT.parent / "shared" / "data"  # ../shared beside the checkout
SETS = {"multinews": "multinews-dev/clusters.jsonl", "duc2004": "duc2004/clusters.jsonl"}
FIT_CLUSTERS = 125  # Multi-News clusters mnv000..mnv124 are fitted on; the rest are held out

def data_dir() -> Path:
    """The shared dev data folder ($NEWSROUNDUP_DATA or ../shared/data next to the checkout)."""
    import os

    return Path(os.environ.get("NEWSROUNDUP_DATA", DATA))

def clusters(name: str) -> list[Cluster]:
    """The clusters of one labelled set."""
    return load_clusters(data_dir() / SETS[name])

def held_out(cluster_id: str) -> bool:
    """True for Multi-News clusters the model is not fitted on (and every DUC 2004 cluster)."""
    return not cluster_id.startswith("mnv") or int(cluster_id[3:]) >= FIT_CLUSTERS

def cluster_pairs(cluster: Cluster, top: int = 1) -> Iterator[tuple[tuple[str, int, int], tuple[str, int, int], float]]:
    """Each roundup sentence against the ``top`` nearest sentences (by cosine) of every other article."""
    articles = [a for a in cluster.articles if a.text.strip()]
    roundup = summarize(articles)
    per_article = zip(articles, build_candidates(articles), strict=True)
    pool = [(a, c) for a, cands in per_article for c in cands if c.n_words >= 5]
    if not pool or not roundup.sentences:
        return
    embedder = load_embedder()
    vectors = embedder.embed([c.text for _, c in pool])
    mine = embedder.embed([s.text for s in roundup.sentences])
    for s, v in zip(roundup.sentences, mine, strict=True):
        cos = vectors @ v
        for article in articles:
            if article.id == s.source.article:
                continue
            rows = [i for i, (a, _) in enumerate(pool) if a.id == article.id]
            for i in sorted(rows, key=lambda i: -cos[i])[:top]:
                c = pool[i][1]
                yield (s.source.article, s.source.start, s.source.end), (article.id, c.start, c.end), float(cos[i])

@dataclass(frozen=True, slots=True)
class LabelledPair:
    """One hand-labelled pair with its texts, cosine and features."""

    set: str
    part: str  # "fit" or "held-out"
    first: str
    second: str
    cosine: float
    features: tuple[float, ...]
    same: bool


def span_hash(text: str) -> str:
    """The short hash a label keeps of the sentence it names (so a label survives changes in cleaning)."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


def locate(article: Article, start: int, end: int, digest: str) -> tuple[int, int] | None:
    """Where the labelled sentence (``digest``) is in ``article`` now: at its labelled offsets, or at another
    sentence of the article with the same text (the cleaning dropped or kept other lines since); None when gone."""
    if span_hash(article.text[start:end]) == digest:
        return start, end
    for span in split_sentences(article.text):
        if span_hash(article.text[span.start : span.end]) == digest:
            return span.start, span.end
    return None


def read_labels(path: Path) -> tuple[list[dict[str, Any]], dict[str, Article]]:
    """The labels of ``path`` whose two sentences are still found, re-pointed at their current offsets, and the
    articles they name. Labels whose sentence is gone are left out and counted on stderr."""
    labels = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    articles: dict[str, Article] = {}
    for name in sorted({r["set"] for r in labels}):
        articles.update(texts_by_id(clusters(name)))
    kept = []
    for record in labels:
        found = {k: (record[k][0], locate(articles[record[k][0]], *record[k][1:4]))
                 for k in ("a", "b") if record[k][0] in articles}
        if len(found) == 2 and all(span is not None for _, span in found.values()):
            kept.append({**record, **{k: [doc, *span] for k, (doc, span) in found.items() if span is not None}})
    if len(kept) < len(labels):
        print(f"{path.name}: {len(labels) - len(kept)} of {len(labels)} labels name a sentence no longer in the "
              "cleaned text; left out", file=sys.stderr)
    return kept, articles


def labelled_pairs(path: Path = LABELS) -> list[LabelledPair]:
    """Every labelled pair, its texts read from the dev data and its features computed."""
    labels, articles = read_labels(path)
    texts = [[articles[r[k][0]].text[r[k][1] : r[k][2]] for k in ("a", "b")] for r in labels]
    embedder = load_embedder()
    first = embedder.embed([t[0] for t in texts])
    second = embedder.embed([t[1] for t in texts])
    out = []
    for record, (a, b), u, v in zip(labels, texts, first, second, strict=True):
        cosine = float(u @ v)
        cluster = record["a"][0].split("/")[0]
        out.append(
            LabelledPair(
                record["set"], "held-out" if held_out(cluster) else "fit", a, b, cosine,
                pair_features(a, b, cosine), bool(record["same"]),
            )
        )
    return out


def texts_by_id(found: Sequence[Cluster]) -> dict[str, Article]:
    """Articles by id."""
    return {a.id: a for c in found for a in c.articles}

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", choices=sorted(SETS), default="multinews")
    parser.add_argument("--clusters", default="0:5", help="a slice of the set's clusters, e.g. 0:5")
    parser.add_argument("--per-cluster", type=int, default=6)
    args = parser.parse_args()
    lo, hi = (int(x) for x in args.clusters.split(":"))
    found = clusters(args.set)[lo:hi]
    by_id = texts_by_id(found)
    rng = random.Random(19)
    for cluster in found:
        pairs = [p for p in cluster_pairs(cluster) if p[2] >= 0.3]
        # spread over the cosine range: half from the nearest, half from the rest
        pairs.sort(key=lambda p: -p[2])
        half = args.per_cluster // 2
        rest = pairs[half:]
        chosen = pairs[:half] + rng.sample(rest, min(len(rest), args.per_cluster - half))
        for a, b, cos in chosen:
            ta = by_id[a[0]].text[a[1] : a[2]].replace("\n", " ")
            tb = by_id[b[0]].text[b[1] : b[2]].replace("\n", " ")
            print(json.dumps({"a": list(a), "b": list(b), "cos": round(cos, 3)}))
            print(f"   A: {ta[:300]}\n   B: {tb[:300]}")

if __name__ == "__main__":
    main()
