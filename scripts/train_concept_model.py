"""Fit the concept model (roundup/concept_model.json) on Multi-News dev's fit part (clusters mnv000-mnv124).

    PYTHONPATH=src .venv/bin/python scripts/train_concept_model.py [--data ../shared/data]

Each concept (a pair of adjacent word stems) that a cluster's independent reports state is one example:
its ``salience.concept_features`` row, labelled 1 when one of the cluster's reference summaries states
it too. An L2-regularised logistic regression (Newton's method, deterministic) learns the probability.
Concepts below ``--floor`` are dropped at run time (the selection's integer program stays small).
``--clusters A:B`` fits on a slice of the fit part only, for choosing settings on the rest of it;
the held-out part (mnv125-mnv249) is never read here (``benchmarks/bench_multinews.py`` scores it).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
from train_same_fact import fit_logistic

from newsroundup.evaluate.datasets import Cluster, load_clusters
from newsroundup.roundup.candidates import build_candidates
from newsroundup.roundup.salience import CONCEPT_FEATURES, MODEL_FILE, concept_features
from newsroundup.roundup.summarize import in_story_language
from newsroundup.text.tokens import content_bigrams, words

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "newsroundup" / "roundup" / MODEL_FILE
FIT_UNTIL = 125  # clusters mnv000..mnv124; the rest is held out


def examples(cluster: Cluster) -> tuple[np.ndarray, np.ndarray]:
    """Feature rows of the cluster's concepts, and whether a reference states each."""
    articles, _ = in_story_language(list(cluster.articles))
    candidates = build_candidates(articles)
    chosen = [i for i, a in enumerate(articles) if a.syndicated_from is None] or list(range(len(articles)))
    concepts, rows = concept_features(candidates, chosen)
    stated = {b for reference in cluster.references for b in content_bigrams(words(reference))}
    return rows, np.array([c in stated for c in concepts], dtype=float)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, help="folder with multinews-dev/ (default: ../shared/data)")
    parser.add_argument("--clusters", default=f"0:{FIT_UNTIL}", help="slice of the fit part to fit on (A:B)")
    parser.add_argument("--l2", type=float, default=1.0)
    parser.add_argument("--floor", type=float, default=0.05, help="concepts below this probability are dropped")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    first, last = (int(x) for x in args.clusters.split(":"))
    if not 0 <= first < last <= FIT_UNTIL:
        parser.error(f"--clusters must lie within 0:{FIT_UNTIL} (the fit part), not {args.clusters}")
    data = args.data or ROOT.parent / "shared" / "data"
    clusters = load_clusters(data / "multinews-dev" / "clusters.jsonl")[first:last]
    parts = [examples(c) for c in clusters]
    x = np.vstack([rows for rows, _ in parts])
    y = np.concatenate([labels for _, labels in parts])
    weights, bias = fit_logistic(x, y, l2=args.l2)
    model = {
        "trained_on": f"multinews-dev clusters {clusters[0].id}..{clusters[-1].id} ({len(clusters)})",
        "examples": len(y),
        "positives": int(y.sum()),
        "l2": args.l2,
        "weights": {name: round(float(w), 6) for name, w in zip(CONCEPT_FEATURES, weights, strict=True)},
        "bias": round(bias, 6),
        "floor": args.floor,
    }
    args.out.write_text(json.dumps(model, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(model, indent=1), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
