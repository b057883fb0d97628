"""Corroboration: the same-fact model against a plain cosine threshold, copies, and the cost on a roundup.

    PYTHONPATH=src .venv/bin/python benchmarks/bench_corroboration.py [--clusters 6]

1. Pairs: the hand-labelled pairs of ``benchmarks/fixtures/same_fact_labels.jsonl`` (a roundup sentence
   and another article's nearest sentence, labelled by reading them). The model and the cosine
   baseline's threshold (the lowest cosine with precision >= 0.95 on the fit pairs, as the model's)
   are both fitted on Multi-News clusters mnv000-mnv124; scored on the held-out Multi-News pairs
   and on DUC 2004 (evaluation only).
2. Copies: on the DUC 2004 clusters with wire copies marked (``grouping.copies.mark_copies``), how many
   corroborations cite a copy or the sentence's own outlet (must be 0).
3. Shown: the corroborations ``corroborate`` lists on Multi-News mnv141-mnv170 (held out) and DUC 2004
   clusters 11-20, each labelled by reading (``benchmarks/fixtures/corroboration_shown_labels.jsonl``):
   the precision of what a reader sees (recall is not measured here: the pairs not shown are unlabelled).
4. Cost: seconds of an enriched roundup (``write_roundup``) with and without corroboration, on
   held-out Multi-News clusters (the fastest of 3 runs each).

Writes benchmarks/results/corroboration.json.
"""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
from same_fact_pairs import FIT_CLUSTERS, LabelledPair, clusters, labelled_pairs, read_labels

from newsroundup.grouping.copies import mark_copies
from newsroundup.roundup.corroborate import corroborate, same_fact_model
from newsroundup.roundup.enrich import EnrichOptions
from newsroundup.roundup.summarize import RoundupOptions
from newsroundup.roundup.write import write_roundup

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "results" / "corroboration.json"


def scores(calls: list[bool], pairs: list[LabelledPair]) -> dict[str, Any]:
    """Precision, recall and F1 of ``calls`` against the labels."""
    tp = sum(c and p.same for c, p in zip(calls, pairs, strict=True))
    called, same = sum(calls), sum(p.same for p in pairs)
    precision = tp / called if called else 0.0
    recall = tp / same if same else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"pairs": len(pairs), "same": same, "called": called, "precision": round(precision, 3),
            "recall": round(recall, 3), "f1": round(f1, 3)}


def cosine_threshold(fit: list[LabelledPair], precision: float = 0.95) -> float:
    """The lowest cosine at which the fit pairs' calls reach ``precision``."""
    for t in sorted({round(p.cosine, 4) for p in fit}):
        called = [p for p in fit if p.cosine >= t]
        if called and sum(p.same for p in called) / len(called) >= precision:
            return t
    return 1.0


def pair_scores() -> dict[str, Any]:
    model = same_fact_model()
    pairs = labelled_pairs()
    fit = [p for p in pairs if p.part == "fit"]
    threshold = cosine_threshold(fit)
    parts = {
        "multinews_fit": fit,
        "multinews_heldout": [p for p in pairs if p.set == "multinews" and p.part == "held-out"],
        "duc2004": [p for p in pairs if p.set == "duc2004"],
    }
    out: dict[str, Any] = {"model_threshold": model.threshold, "cosine_threshold": threshold}
    for name, part in parts.items():
        out[name] = {
            "same_fact_model": scores([model.same_fact(p.features) for p in part], part),
            "cosine_baseline": scores([p.cosine >= threshold for p in part], part),
        }
    return out


def copies_check(limit: int) -> dict[str, Any]:
    """Corroborations citing a copy or the sentence's own outlet, on DUC 2004 clusters with copies marked."""
    from newsroundup.roundup.summarize import summarize

    bad = total = copies = 0
    for cluster in clusters("duc2004")[:limit]:
        # DUC gives no outlets: each article is its own outlet, so a copy is the only way to double-count.
        articles = mark_copies(list(cluster.articles))
        copies += sum(a.syndicated_from is not None for a in articles)
        roundup = corroborate(summarize(articles), articles)
        by_id = {a.id: a for a in articles}
        for sentence in roundup.sentences:
            for c in sentence.corroboration:
                total += 1
                bad += by_id[c.article].syndicated_from is not None or c.article == sentence.source.article
    return {"clusters": limit, "copies_marked": copies, "corroborations": total, "citing_a_copy_or_itself": bad}


REPEATS = 3
SHOWN = ROOT / "benchmarks" / "fixtures" / "corroboration_shown_labels.jsonl"
SHOWN_CLUSTERS = {"multinews": slice(141, 171), "duc2004": slice(10, 20)}


def shown_precision() -> dict[str, Any]:
    """Precision of the corroborations listed on held-out clusters, against the labels of what was shown."""
    from newsroundup.roundup.summarize import summarize

    records, _ = read_labels(SHOWN)
    labels = {(r["set"], tuple(r["a"]), tuple(r["b"])): r["same"] for r in records}
    out: dict[str, Any] = {}
    for name, part in SHOWN_CLUSTERS.items():
        right = wrong = unlabelled = 0
        for cluster in clusters(name)[part]:
            articles = mark_copies(list(cluster.articles))
            roundup = corroborate(summarize(articles), articles)
            for sentence in roundup.sentences:
                a = (sentence.source.article, sentence.source.start, sentence.source.end)
                for c in sentence.corroboration:
                    label = labels.get((name, a, (c.article, c.start, c.end)))
                    right += label is True
                    wrong += label is False
                    unlabelled += label is None
        labelled = right + wrong
        out[name] = {"shown": labelled + unlabelled, "labelled": labelled, "right": right,
                     "precision": round(right / labelled, 3) if labelled else None}
    return out


def cost(limit: int) -> dict[str, Any]:
    """Seconds per enriched roundup with and without corroboration (held-out Multi-News clusters)."""
    found = clusters("multinews")[FIT_CLUSTERS : FIT_CLUSTERS + limit]
    with_options = RoundupOptions(enrich=EnrichOptions())
    without = RoundupOptions(enrich=replace(EnrichOptions(), corroborate=False))
    write_roundup(list(found[0].articles), with_options)  # load spaCy and the embedder once, untimed
    timings: dict[str, list[float]] = {"without": [], "with": [], "corroborate": []}
    corroborated = sentences = exclusives = 0
    for cluster in found:
        articles = list(cluster.articles)
        plain = write_roundup(articles, without)
        steps = (
            ("without", lambda a=articles: write_roundup(a, without)),
            ("with", lambda a=articles: write_roundup(a, with_options)),
            ("corroborate", lambda a=articles, r=plain: corroborate(r, a)),  # the step alone, same roundup
        )
        for name, step in steps:
            runs = []
            for _ in range(REPEATS):  # the fastest of a few runs: the machine is shared
                start = time.perf_counter()
                roundup = step()
                runs.append(time.perf_counter() - start)
            timings[name].append(min(runs))
        sentences += len(roundup.sentences)
        corroborated += sum(1 for s in roundup.sentences if s.corroboration)
        exclusives += len(roundup.exclusives)
    base, extra, step_alone = (float(np.sum(timings[k])) for k in ("without", "with", "corroborate"))
    return {
        "clusters": limit,
        "seconds_per_roundup_without": round(base / limit, 3),
        "seconds_per_roundup_with": round(extra / limit, 3),
        "extra_percent": round(100 * (extra - base) / base, 1),
        "seconds_corroborate_alone": round(step_alone / limit, 3),
        "corroborate_percent_of_roundup": round(100 * step_alone / base, 1),
        "sentences": sentences,
        "sentences_corroborated": corroborated,
        "exclusives_listed": exclusives,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clusters", type=int, default=6, help="clusters for the copies check and the cost")
    args = parser.parse_args()
    result = {
        "pairs": pair_scores(),
        "shown": shown_precision(),
        "copies": copies_check(args.clusters),
        "cost": cost(args.clusters),
    }
    OUT.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
