"""Learn the reported-speech model from PolNeAR's train split (never its dev split).

Every verb with a subject is a candidate once per relation it reports something in (a clause, an infinitive,
an object, a prepositional object; see annotate/reported.py), and so is each "according to", each noun with a
source and a that-clause, infinitive or (possessed) prepositional object ("his claim that X", "her support for
X"), each adjective's prepositional object ("critical of X") and each passive subject with an agent ("X was
reported by Y"). A candidate is positive when one-to-one matching pairs its content with an annotated indirect
or mixed attribution at token Jaccard >= 0.3. Features: annotate/reported_model.py. An L2-regularised logistic
regression is fitted (a feature seen in fewer than MIN_COUNT candidates counts as its rare form, "cue=<rare>",
which is what an unseen verb weighs at run time); its regularisation C and the decision threshold are chosen
by 2-fold cross-validation over the train articles on the end-to-end F1 (one content per verb, outermost per
subject, one-to-one matching), then the model is refitted on all train articles. Weights under MIN_WEIGHT are
left out. Writes src/newsroundup/annotate/reported_model.json.

    PYTHONPATH=src .venv/bin/python scripts/train_reported_model.py [--data FILE] [--limit N] [--cache DIR]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Any

from newsroundup.annotate.nlp import parse_texts
from newsroundup.annotate.reported import Candidate, choose_candidates, features_of, reported_candidates
from newsroundup.annotate.reported_model import ReportedModel, rare
from newsroundup.evaluate import polnear
from newsroundup.evaluate.attribution_score import match
from newsroundup.evaluate.polnear import AnnotatedArticle, gold_reported, load_polnear, locate_polnear

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "src" / "newsroundup" / "annotate" / "reported_model.json"
MIN_COUNT = 5
MIN_WEIGHT = 0.01  # smaller weights are left out of the package data (it stays small)
OVERLAP = 0.3
CS = (0.3, 1.0, 3.0)
THRESHOLDS = tuple(round(0.2 + 0.05 * i, 2) for i in range(11))  # 0.2 .. 0.7
# A content mostly inside quotation marks is a direct quote, not reported speech. Not learned: PolNeAR's NYT
# annotators labelled every quotation "indirect", and a learned share would learn that quirk.
SHARES = (0.5,)
FOLDS = 2


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    polnear.tool_options(parser, "only the first N train articles")
    args = parser.parse_args()
    polnear.keep_parses(args.cache)
    articles = load_polnear(locate_polnear(args.data), "train")[: args.limit]
    examples = []
    for lo in range(0, len(articles), 16):
        chunk = articles[lo : lo + 16]
        for article, doc in zip(chunk, parse_texts([a.text for a in chunk]), strict=True):
            examples.append(_examples(article, reported_candidates(doc, every_verb=True)))
    print(f"{sum(len(e[1]) for e in examples)} candidates in {len(articles)} articles", file=sys.stderr)
    best: tuple[float, float, float, float] = (-1.0, CS[0], THRESHOLDS[0], SHARES[0])
    folds = [examples[i::FOLDS] for i in range(FOLDS)]
    for c in CS:
        held_out = []
        for i, part in enumerate(folds):
            fit = [e for j, f in enumerate(folds) if j != i for e in f]
            held_out.append((_fit(fit, c), part))
        for threshold in THRESHOLDS:
            for share in SHARES:
                f1 = _end_to_end(held_out, threshold, share)
                best = max(best, (f1, c, threshold, share))
        print(f"C {c}: best cross-validated F1 so far {best[0]:.3f} (C {best[1]}, t {best[2]}, share {best[3]})")
    f1, c, threshold, share = best
    weights, bias = _fit(examples, c)
    train_f1 = _end_to_end([((weights, bias), examples)], threshold, share)
    OUT.write_text(
        json.dumps(
            {
                "trained_on": f"PolNeAR train split, {len(articles)} articles",
                "min_count": MIN_COUNT,
                "C": c,
                "threshold": threshold,
                "max_quoted_share": share,
                "cross_validated_f1": round(f1, 3),
                "train_f1": round(train_f1, 3),
                "bias": round(bias, 4),
                "weights": dict(sorted(weights.items())),
            },
            indent=0,
            separators=(",", ":"),
        )
        + "\n",
        encoding="utf-8",
    )
    print(f"{len(weights)} weights, C {c}, threshold {threshold}, share {share}, CV F1 {f1:.3f}; wrote {OUT}")
    return 0


Example = tuple[AnnotatedArticle, list[Candidate], list[list[str]], list[bool]]


def _examples(article: AnnotatedArticle, found: list[Candidate]) -> Example:
    """The candidates of one article with their features and labels: a candidate is positive when
    one-to-one matching (best overlap first, at least OVERLAP) pairs it with an annotated content, so
    that of a verb's relations, or of a cue and a verb inside what it reports, only the one that
    matches best is taught as reported speech."""
    gold = [(s, e) for s, e, _ in gold_reported(article)]
    paired = {i for i, _ in match(article.text, [(c.start, c.end) for c in found], gold, OVERLAP)}
    return article, found, [features_of(c) for c in found], [i in paired for i in range(len(found))]


def _fit(examples: list[Example], c: float) -> tuple[dict[str, float], float]:
    """Weights (feature -> weight) and bias of a logistic regression on ``examples``."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    counts: Counter[str] = Counter(f for e in examples for fs in e[2] for f in set(fs))
    rows = [{(f if counts[f] >= MIN_COUNT else rare(f)): 1.0 for f in fs} for e in examples for fs in e[2]]
    labels = [y for e in examples for y in e[3]]
    vectorizer = DictVectorizer()
    matrix = vectorizer.fit_transform(rows).tocsr()
    matrix.indices = matrix.indices.astype("int32")  # liblinear takes 32-bit indices only
    matrix.indptr = matrix.indptr.astype("int32")
    model = LogisticRegression(C=c, max_iter=2000, solver="liblinear")
    model.fit(matrix, labels)
    names = vectorizer.get_feature_names_out()
    weights = {str(n): round(float(w), 4) for n, w in zip(names, model.coef_[0], strict=True) if abs(w) >= MIN_WEIGHT}
    return weights, float(model.intercept_[0])


def _end_to_end(parts: Any, threshold: float, share: float) -> float:
    """F1 of the chosen contents (one-to-one matching at OVERLAP) over ``parts``: (model, examples) pairs."""
    matched = found = gold = 0
    for (weights, bias), examples in parts:
        model = ReportedModel(weights, bias, threshold, share)
        for article, candidates, features, _ in examples:
            scored = [replace(c, probability=model.probability(fs)) for c, fs in zip(candidates, features, strict=True)]
            chosen = choose_candidates(scored, threshold, share)
            golds = [(s, e) for s, e, _ in gold_reported(article)]
            matched += len(match(article.text, [(c.start, c.end) for c in chosen], golds, OVERLAP))
            found += len(chosen)
            gold += len(golds)
    p = matched / found if found else 0.0
    r = matched / gold if gold else 0.0
    return 2 * p * r / (p + r) if p + r else 0.0


if __name__ == "__main__":
    sys.exit(main())
