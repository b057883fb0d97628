"""Learn the reported-speech CRF from PolNeAR's train split (never its dev split).

Each train article is one sequence of tokens labelled B/I/O for the contents of its indirect and mixed
attributions (``gold_reported``), with the features of annotate/reported_tagger.py: the parse, quotation
marks, every verb's candidate content, and the attributions found without the CRF (direct quotes, and the
reported speech the logistic model keeps). Those come from the shipped logistic model, itself fitted on
train, so the CRF sees them a little better than they are on new text. The L1/L2 weights are chosen on a
quarter of the train articles (fitted on the other three quarters, scored by reported-content F1 at token
Jaccard >= 0.3), then the CRF is fitted on all of train. Writes src/newsroundup/annotate/reported_tagger.crfsuite.
Needs the ``evaluate`` extra (python-crfsuite is a product dependency; scoring uses the PolNeAR loader).

    PYTHONPATH=src .venv/bin/python scripts/train_reported_tagger.py [--data FILE] [--limit N] [--cache DIR]
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import pycrfsuite
from spacy.tokens import Doc

from newsroundup.annotate.nlp import parse_texts
from newsroundup.annotate.reported_tagger import MODEL_FILE, Features, bio_labels, tag_spans
from newsroundup.evaluate import polnear
from newsroundup.evaluate.attribution import crf_features, ours
from newsroundup.evaluate.attribution_score import Counts, match, score
from newsroundup.evaluate.polnear import AnnotatedArticle, gold_reported, load_polnear, locate_polnear

SETTINGS = ((0.3, 0.05), (1.0, 0.1), (2.0, 0.1))  # (L1, L2) tried on the train quarter
ITERATIONS = 150
OVERLAP = 0.3
RESULTS = Path(__file__).resolve().parent.parent / "benchmarks" / "results" / "reported_tagger_training.json"
Example = tuple[AnnotatedArticle, Doc, Features, list[str]]


def examples(articles: list[AnnotatedArticle]) -> list[Example]:
    """Parse (through the parse cache), featurise and label ``articles``."""
    out: list[Example] = []
    for lo in range(0, len(articles), 16):
        chunk = articles[lo : lo + 16]
        for article, doc in zip(chunk, parse_texts([a.text for a in chunk]), strict=True):
            gold = [(s, e) for s, e, _ in gold_reported(article)]
            out.append((article, doc, crf_features(article, doc), bio_labels(doc, gold)))
        print(f"\r{len(out)}/{len(articles)} articles", end="", file=sys.stderr)
    print(file=sys.stderr)
    return out


def fit(train: list[Example], l1: float, l2: float, path: Path) -> None:
    """Fit a CRF on ``train`` and write it to ``path``."""
    trainer = pycrfsuite.Trainer(verbose=False)
    for _, _, feats, tags in train:
        trainer.append(feats, tags)
    trainer.set_params({"c1": l1, "c2": l2, "max_iterations": ITERATIONS, "feature.possible_transitions": True})
    trainer.train(str(path))


def without_crf(held_out: list[Example]) -> dict[str, float | int]:
    """Reported-content P/R/F1 at ``OVERLAP`` on ``held_out`` of the product without a CRF (the logistic
    model alone): the same for every CRF, so scored once."""
    counts = Counts()
    for article, doc, _, _ in held_out:
        score(article, ours(article, doc, crf=None), "reported", OVERLAP, counts)
    return counts.scores()


def scores(path: Path, held_out: list[Example]) -> dict[str, dict[str, float | int]]:
    """Reported-content P/R/F1 at ``OVERLAP`` on ``held_out`` of the CRF at ``path`` ("crf": its spans
    as tagged) and of the product with it ("linked": spans with a speaker, see reported_in_article)."""
    tagger = pycrfsuite.Tagger()
    tagger.open(str(path))
    counts = {"crf": Counts(), "linked": Counts()}
    for article, doc, feats, _ in held_out:
        gold = [(s, e) for s, e, _ in gold_reported(article)]
        crf = counts["crf"]
        found = tag_spans(doc, tagger.tag(feats))
        crf.matched += len(match(article.text, found, gold, OVERLAP))
        crf.found += len(found)
        crf.gold += len(gold)
        score(article, ours(article, doc, crf=tagger), "reported", OVERLAP, counts["linked"])
    return {name: c.scores() for name, c in counts.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    polnear.tool_options(parser, "only the first N train articles (a smoke run; writes nothing)")
    args = parser.parse_args()
    polnear.keep_parses(args.cache)
    train = examples(load_polnear(locate_polnear(args.data), "train")[: args.limit])
    fit_part = [e for i, e in enumerate(train) if i % 4]
    check_part = [e for i, e in enumerate(train) if i % 4 == 0]
    results: dict[str, Any] = {"articles": len(train), "iterations": ITERATIONS, "train_quarter": []}
    baseline = without_crf(check_part)
    with tempfile.TemporaryDirectory() as tmp:
        for l1, l2 in SETTINGS:
            started = time.perf_counter()
            path = Path(tmp) / f"crf-{l1}-{l2}.crfsuite"
            fit(fit_part, l1, l2, path)
            results["train_quarter"].append({"l1": l1, "l2": l2, **scores(path, check_part), "no crf": baseline})
            f1 = results["train_quarter"][-1]["crf"]["f1"]
            print(f"L1 {l1} L2 {l2}: train-quarter F1 {f1:.3f} ({time.perf_counter() - started:.0f} s)")
        best = max(results["train_quarter"], key=lambda r: r["crf"]["f1"])
        path = Path(tmp) / "crf.crfsuite"
        fit(train, best["l1"], best["l2"], path)
        crf, linked = best["crf"]["f1"], best["linked"]["f1"]
        summary = f"L1 {best['l1']} L2 {best['l2']}, train-quarter F1 {crf:.3f} (linked {linked:.3f})"
        if args.limit is not None:
            print(f"smoke run: {summary}; nothing written")
            return 0
        shutil.copyfile(path, MODEL_FILE)
    results["chosen"] = {"l1": best["l1"], "l2": best["l2"], "bytes": MODEL_FILE.stat().st_size}
    RESULTS.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"{summary}; wrote {MODEL_FILE} ({MODEL_FILE.stat().st_size} bytes) and {RESULTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
