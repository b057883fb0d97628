"""Corroboration: the same-fact model against a plain cosine threshold, copies, and the cost on a roundup.

    PYTHONPATH=src .venv/bin/python benchmarks/bench_corroboration.py [--clusters 6]

1. Pairs: the hand-labelled pairs of ``benchmarks/fixtures/same_fact_labels.jsonl`` (a roundup sentence
   and another article's nearest sentence, labelled by reading them). The model and the cosine
   baseline's threshold (the lowest cosine with precision >= 0.95 on the fit pairs, as the model's)
   are both fitted on Multi-News clusters mnv000-mnv124; scored on the held-out Multi-News pairs
   and on DUC 2004 (evaluation only). A second reader's blind labels of 45 fit pairs
   (``same_fact_second_reader.jsonl``) give the labels' agreement.
2. Copies: on the DUC 2004 clusters with wire copies marked (``grouping.copies.mark_copies``), how many
   corroborations cite a copy or the sentence's own outlet (must be 0).
3. Shown: the corroborations ``corroborate`` lists on Multi-News mnv141-mnv249 (held out) and DUC 2004
   clusters 11-50, each labelled by reading (``benchmarks/fixtures/corroboration_shown_labels.jsonl``):
   the precision of what a reader sees (recall is not measured here: the pairs not shown are unlabelled);
   and, in-sample, on the fit clusters mnv050-mnv124 whose labels set the listed threshold.
4. Cost: seconds of an enriched roundup (``write_roundup``) with and without corroboration, on
   held-out Multi-News clusters (the fastest of 3 runs each), with nothing cached, with the story's previous
   version cached (the next roundup after an article arrives) and with everything cached.

Writes benchmarks/results/corroboration.json.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
from same_fact_pairs import FIT_CLUSTERS, LABELS, LabelledPair, clusters, labelled_pairs, read_labels

from newsroundup.annotate import parses
from newsroundup.grouping.copies import mark_copies
from newsroundup.model import Article
from newsroundup.roundup.corroborate import corroborate
from newsroundup.roundup.enrich import EnrichOptions
from newsroundup.roundup.summarize import RoundupOptions
from newsroundup.roundup.write import write_roundup
from newsroundup.text.same_fact import same_fact_model

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
    out: dict[str, Any] = {
        "model_threshold": model.threshold, "listed_threshold": model.listed_threshold, "cosine_threshold": threshold
    }
    for name, part in parts.items():
        out[name] = {
            "same_fact_model": scores([model.same_fact(p.features) for p in part], part),
            "same_fact_model_at_listed_threshold": scores(
                [model.probability(p.features) >= model.listed_threshold for p in part], part
            ),
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


SECOND_READER = ROOT / "benchmarks" / "fixtures" / "same_fact_second_reader.jsonl"


def second_reader() -> dict[str, Any]:
    """How often a second reader, labelling pairs of ``same_fact_labels.jsonl`` blind, gave the same label
    (``same_fact_second_reader.jsonl``), and Cohen's kappa."""
    first = {(tuple(r["a"]), tuple(r["b"])): r["same"] for r in read_labels(LABELS)[0]}
    pairs = [(first[(tuple(r["a"]), tuple(r["b"]))], r["same"]) for r in read_labels(SECOND_READER)[0]]
    n = len(pairs)
    agreed = sum(a == b for a, b in pairs) / n
    p1, p2 = sum(a for a, _ in pairs) / n, sum(b for _, b in pairs) / n
    chance = p1 * p2 + (1 - p1) * (1 - p2)
    return {"pairs": n, "agreement": round(agreed, 3), "kappa": round((agreed - chance) / (1 - chance), 3)}


REPEATS = 3
SHOWN = ROOT / "benchmarks" / "fixtures" / "corroboration_shown_labels.jsonl"
SHOWN_CLUSTERS = {"multinews": slice(141, 250), "duc2004": slice(10, 50)}
# What was shown on fit clusters, labelled to set the listed threshold (scripts/train_same_fact.py): in-sample.
SHOWN_FIT = ROOT / "benchmarks" / "fixtures" / "corroboration_shown_fit_labels.jsonl"
SHOWN_FIT_CLUSTERS = {"multinews": slice(50, 125)}


def shown_precision(path: Path = SHOWN, parts: dict[str, slice] = SHOWN_CLUSTERS) -> dict[str, Any]:
    """Precision of the corroborations listed on the clusters of ``parts`` (held-out by default), against the
    labels of ``path`` (what was shown there)."""
    from newsroundup.roundup.summarize import summarize

    records, _ = read_labels(path)
    labels = {(r["set"], tuple(r["a"]), tuple(r["b"])): r["same"] for r in records}
    out: dict[str, Any] = {}
    for name, part in parts.items():
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


def _fresh_cache() -> None:
    """Nothing parsed or embedded yet: as a new process with no cache folder."""
    parses.configure(parses.CacheSettings())


def _fastest(step: Callable[[], object], prepare: Callable[[], object]) -> float:
    """The fastest of a few runs of ``step``, each after ``prepare`` (untimed): the machine is shared."""
    runs = []
    for _ in range(REPEATS):
        prepare()
        start = time.perf_counter()
        step()
        runs.append(time.perf_counter() - start)
    return min(runs)


def cost(limit: int) -> dict[str, Any]:
    """Seconds per enriched roundup with and without corroboration (held-out Multi-News clusters), in three
    states of the parse cache (which keeps the sentence vectors too): nothing cached (a story's first roundup
    in a new process); the story's previous version made (everything but its newest article cached: the next
    roundup ``run`` writes after an article arrives, with a cache folder); everything cached. And
    ``corroborate`` alone on the same roundup, its sentences' vectors not cached and cached."""
    found = clusters("multinews")[FIT_CLUSTERS : FIT_CLUSTERS + limit]
    with_options = RoundupOptions(enrich=EnrichOptions())
    without = RoundupOptions(enrich=replace(EnrichOptions(), corroborate=False))
    write_roundup(list(found[0].articles), with_options)  # load spaCy and the embedder once, untimed
    states = ("nothing_cached", "previous_version_cached", "all_cached")
    timings: dict[str, list[float]] = {f"{state} {kind}": [] for state in states for kind in ("without", "with")}
    timings |= {"corroborate, vectors not cached": [], "corroborate, vectors cached": []}
    corroborated = sentences = exclusives = 0
    for cluster in found:
        articles = list(cluster.articles)

        def previous_version(a: list[Article] = articles) -> None:
            _fresh_cache()
            write_roundup(a[:-1], with_options)

        def parsed_only(a: list[Article] = articles) -> None:
            _fresh_cache()
            write_roundup(a, without)  # parses cached, no sentence embedded

        for name, options in (("without", without), ("with", with_options)):
            step = partial(write_roundup, articles, options)
            timings[f"nothing_cached {name}"].append(_fastest(step, _fresh_cache))
            timings[f"previous_version_cached {name}"].append(_fastest(step, previous_version))
            step()  # everything cached from here
            timings[f"all_cached {name}"].append(_fastest(step, lambda: None))
        plain = write_roundup(articles, without)
        alone = partial(corroborate, plain, articles)
        timings["corroborate, vectors not cached"].append(_fastest(alone, parsed_only))
        alone()
        timings["corroborate, vectors cached"].append(_fastest(alone, lambda: None))
        roundup = write_roundup(articles, with_options)
        sentences += len(roundup.sentences)
        corroborated += sum(1 for s in roundup.sentences if s.corroboration)
        exclusives += len(roundup.exclusives)
    total = {name: float(np.sum(values)) for name, values in timings.items()}
    out: dict[str, Any] = {"clusters": limit}
    for state in states:
        base, extra = total[f"{state} without"], total[f"{state} with"]
        out[state] = {
            "seconds_per_roundup_without": round(base / limit, 3),
            "seconds_per_roundup_with": round(extra / limit, 3),
            "extra_percent": round(100 * (extra - base) / base, 1),
        }
    cached_base = total["all_cached without"]
    for name in ("corroborate, vectors not cached", "corroborate, vectors cached"):
        out[name] = {
            "seconds": round(total[name] / limit, 3),
            "percent_of_cached_roundup": round(100 * total[name] / cached_base, 1),
        }
    out |= {"sentences": sentences, "sentences_corroborated": corroborated, "exclusives_listed": exclusives}
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clusters", type=int, default=6, help="clusters for the copies check and the cost")
    args = parser.parse_args()
    result = {
        "pairs": pair_scores(),
        "second_reader": second_reader(),
        "shown": shown_precision(),
        "shown_fit_in_sample": shown_precision(SHOWN_FIT, SHOWN_FIT_CLUSTERS),
        "copies": copies_check(args.clusters),
        "cost": cost(args.clusters),
    }
    OUT.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
