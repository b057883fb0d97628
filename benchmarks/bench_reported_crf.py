"""Measure variants of the token-level CRF for reported-speech contents on PolNeAR beside newsroundup's reported speech.

The shipped CRF is trained by scripts/train_reported_tagger.py and scored end to end (with speakers) by
``newsroundup evaluate attribution``; this measures the variants it was chosen from (issue 13). Each
article is one sequence of spaCy tokens labelled B/I/O for the contents of its indirect and mixed
attributions (the gold of ``gold_reported``), with the features of annotate/reported_tagger.py. "crf" sees
the parse and every verb's unscored candidate but not newsroundup's own attributions, so nothing learned by
the logistic model leaks in; "crf, anchored" keeps only its spans that overlap a candidate (token Jaccard >=
0.3); "newsroundup + crf" adds to newsroundup's reported speech (without the CRF) the CRF's spans that
share no word with it; "crf stacked" (the shipped design) also sees newsroundup's attributions found
without the CRF (direct and reported). On train those come from a model fitted on train, so the stacked CRF
may over-trust them; dev stays unseen by both. Regularisation is chosen on a quarter of the train split
(fit on the other three quarters), then the CRF is fitted on all of train and scored on dev.

    PYTHONPATH=src:benchmarks .venv/bin/python benchmarks/bench_reported_crf.py [--data FILE] [--limit N] [--out FILE]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pycrfsuite
from results_file import ROOT, write_results

from newsroundup.annotate.nlp import parse_texts
from newsroundup.annotate.reported import reported_candidates, tagger_candidates
from newsroundup.annotate.reported_tagger import Features, bio_labels, tag_spans, token_features
from newsroundup.evaluate import polnear
from newsroundup.evaluate.attribution import crf_features, evaluate_polnear, ours
from newsroundup.evaluate.attribution_score import Counts, match, tokens
from newsroundup.evaluate.polnear import AnnotatedArticle, gold_reported, load_polnear, locate_polnear

if TYPE_CHECKING:
    from spacy.tokens import Doc

SETTINGS = ((0.1, 0.01), (0.3, 0.05), (0.6, 0.05), (1.0, 0.1))  # (L1, L2) tried on the train quarter
ITERATIONS = 150
OVERLAP = 0.3


Example = tuple[AnnotatedArticle, "Doc", Features, list[str]]


def prepare(articles: list[AnnotatedArticle], name: str) -> list[Example]:
    """Parse (through the parse cache), featurise and label ``articles``."""
    out: list[Example] = []
    for lo in range(0, len(articles), 16):
        chunk = articles[lo : lo + 16]
        for article, doc in zip(chunk, parse_texts([a.text for a in chunk]), strict=True):
            candidates = tagger_candidates(reported_candidates(doc, every_verb=True))
            gold = [(s, e) for s, e, _ in gold_reported(article)]
            out.append((article, doc, token_features(doc, candidates, []), bio_labels(doc, gold)))
        print(f"\r{name}: {len(out)}/{len(articles)} articles", end="", file=sys.stderr)
    print(file=sys.stderr)
    return out


def fit(examples: list[Example], l1: float, l2: float, folder: Path) -> pycrfsuite.Tagger:
    """A CRF fitted on ``examples``."""
    trainer = pycrfsuite.Trainer(verbose=False)
    for _, _, feats, tags in examples:
        trainer.append(feats, tags)
    trainer.set_params({"c1": l1, "c2": l2, "max_iterations": ITERATIONS, "feature.possible_transitions": True})
    path = folder / f"crf-{l1}-{l2}-{len(examples)}.crfsuite"
    trainer.train(str(path))
    tagger = pycrfsuite.Tagger()
    tagger.open(str(path))
    return tagger


def score(
    tagger: pycrfsuite.Tagger, examples: list[Example], anchored: bool = False, union: bool = False
) -> dict[str, Any]:
    """Reported-speech P/R/F1 at ``OVERLAP`` (and F1 at 0.8) of the tagger's spans against the gold;
    ``anchored``: only spans overlapping a candidate; ``union``: newsroundup's reported speech plus the
    tagger's spans that share no word with it."""
    counts = {OVERLAP: Counts(), 0.8: Counts()}
    gold_tokens = covered = 0
    for article, doc, feats, _ in examples:
        found = tag_spans(doc, tagger.tag(feats))
        if anchored:
            candidates = [(c.start, c.end) for c in reported_candidates(doc, every_verb=True)]
            found = [f for f in found if match(article.text, [f], candidates, OVERLAP)]
        if union:
            shipped = [(f.start, f.end) for f in ours(article, doc, crf=None) if f.kind == "reported"]
            taken = set().union(*(tokens(article.text, s, e) for s, e in shipped)) if shipped else set()
            found = shipped + [f for f in found if not tokens(article.text, *f) & taken]
        gold = [(s, e) for s, e, _ in gold_reported(article)]
        for threshold, c in counts.items():
            c.matched += len(match(article.text, found, gold, threshold))
            c.found += len(found)
            c.gold += len(gold)
        found_tokens = set().union(*(tokens(article.text, s, e) for s, e in found)) if found else set()
        for s, e in gold:
            g = tokens(article.text, s, e)
            gold_tokens += len(g)
            covered += len(g & found_tokens)
    out: dict[str, Any] = {f"reported@{threshold}": c.scores() for threshold, c in counts.items()}
    out["gold_tokens_tagged"] = round(covered / gold_tokens, 3) if gold_tokens else 0.0
    return out


def add_shipped(examples: list[Example]) -> list[Example]:
    """``examples`` with newsroundup's attributions found without the CRF as features (as the shipped CRF sees them)."""
    out: list[Example] = []
    for article, doc, _, tags in examples:
        out.append((article, doc, crf_features(article, doc), tags))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    polnear.tool_options(parser, "only the first N articles of each split (a smoke run)")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "reported_crf_polnear.json")
    args = parser.parse_args()
    polnear.keep_parses(args.cache)
    path = locate_polnear(args.data)
    train = prepare(load_polnear(path, "train")[: args.limit], "train")
    dev_articles = load_polnear(path, "dev")[: args.limit]
    dev = prepare(dev_articles, "dev")
    fit_part = [e for i, e in enumerate(train) if i % 4]
    check_part = [e for i, e in enumerate(train) if i % 4 == 0]
    results: dict[str, Any] = {"data": path.name, "iterations": ITERATIONS, "selection": []}
    with tempfile.TemporaryDirectory() as tmp:
        for l1, l2 in SETTINGS:
            started = time.perf_counter()
            result = score(fit(fit_part, l1, l2, Path(tmp)), check_part)
            f1 = result[f"reported@{OVERLAP}"]["f1"]
            results["selection"].append({"l1": l1, "l2": l2, "train_quarter": result})
            print(f"L1 {l1} L2 {l2}: train quarter F1 {f1} ({time.perf_counter() - started:.0f} s)", file=sys.stderr)
        best = max(results["selection"], key=lambda s: s["train_quarter"][f"reported@{OVERLAP}"]["f1"])
        started = time.perf_counter()
        tagger = fit(train, best["l1"], best["l2"], Path(tmp))
        results["chosen"] = {"l1": best["l1"], "l2": best["l2"], "fit_seconds": round(time.perf_counter() - started, 1)}
        started = time.perf_counter()
        plain = score(tagger, dev)
        plain["seconds"] = round(time.perf_counter() - started, 2)
        results["dev"] = {
            "crf": plain,
            "crf, anchored": score(tagger, dev, anchored=True),
            "newsroundup + crf": score(tagger, dev, union=True),
        }
        stacked = fit(add_shipped(train), best["l1"], best["l2"], Path(tmp))
        results["dev"]["crf stacked"] = score(stacked, add_shipped(dev))
    shipped = evaluate_polnear(path, "dev", args.limit)["systems"]["newsroundup"]
    results["dev"]["newsroundup"] = {k: v for k, v in shipped.items() if k.startswith("reported") or k == "seconds"}
    results["articles"] = {"train": len(train), "dev": len(dev)}
    if args.limit is None:
        write_results(results, args.out)
    else:
        print(results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
