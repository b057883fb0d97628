"""Fit the same-fact model (text/same_fact.json) on the hand-labelled Multi-News fit pairs.

    PYTHONPATH=src .venv/bin/python scripts/train_same_fact.py [--data ../shared/data]

Reads ``benchmarks/fixtures/same_fact_labels.jsonl`` (article ids and offsets into the dev data),
embeds both sentences with the project's embedder, computes ``same_fact.pair_features`` and fits
an L2-regularised logistic regression (Newton's method, deterministic). The threshold is the lowest
probability at which the fit pairs' precision is at least ``--precision``.

The listed threshold is set the same way on other labels: the corroborations a reader was shown on Multi-News fit
clusters mnv050-mnv124 (``benchmarks/fixtures/corroboration_shown_fit_labels.jsonl``, written with
``benchmarks/shown_corroborations.py``), each the best sentence of its outlet; never below the pair threshold.
Held-out Multi-News pairs and DUC 2004 pairs are never read here (``benchmarks/bench_corroboration.py`` scores them).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from same_fact_pairs import labelled_pairs  # noqa: E402

from newsroundup.text.same_fact import FEATURES  # noqa: E402

OUT = ROOT / "src" / "newsroundup" / "text" / "same_fact.json"
SHOWN_FIT = ROOT / "benchmarks" / "fixtures" / "corroboration_shown_fit_labels.jsonl"


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float = 1.0, steps: int = 50) -> tuple[np.ndarray, float]:
    """Weights and bias of an L2-regularised logistic regression (the bias is not penalised)."""
    design = np.hstack([x, np.ones((len(x), 1))])
    w = np.zeros(design.shape[1])
    penalty = np.full(design.shape[1], l2)
    penalty[-1] = 0.0
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-design @ w))
        gradient = design.T @ (p - y) + penalty * w
        hessian = design.T @ (design * (p * (1 - p))[:, None]) + np.diag(penalty + 1e-9)
        w -= np.linalg.solve(hessian, gradient)
    return w[:-1], float(w[-1])


def lowest_threshold(probabilities: np.ndarray, y: np.ndarray, precision: float) -> float:
    """The lowest threshold whose calls on these pairs have at least ``precision``."""
    for t in sorted(set(np.round(probabilities, 4))):
        called = probabilities >= t
        if called.any() and y[called].mean() >= precision:
            return float(t)
    return 1.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=None, help="the shared data folder")
    parser.add_argument("--precision", type=float, default=0.95)
    args = parser.parse_args()
    if args.data:
        os.environ["NEWSROUNDUP_DATA"] = str(args.data)
    pairs = [p for p in labelled_pairs() if p.part == "fit"]
    x = np.array([p.features for p in pairs])
    y = np.array([float(p.same) for p in pairs])
    weights, bias = fit_logistic(x, y)
    probabilities = 1.0 / (1.0 + np.exp(-(x @ weights + bias)))
    threshold = lowest_threshold(probabilities, y, args.precision)
    shown = [p for p in labelled_pairs(SHOWN_FIT) if p.part == "fit"]
    shown_x = np.array([p.features for p in shown])
    shown_probabilities = 1.0 / (1.0 + np.exp(-(shown_x @ weights + bias)))
    shown_y = np.array([float(p.same) for p in shown])
    listed = max(threshold, lowest_threshold(shown_probabilities, shown_y, args.precision))
    OUT.write_text(
        json.dumps(
            {
                "features": list(FEATURES),
                "weights": [round(float(w), 6) for w in weights],
                "bias": round(bias, 6),
                "threshold": threshold,
                "listed_threshold": listed,
                "fitted_on": f"{len(pairs)} hand-labelled Multi-News pairs (mnv000-mnv124), {int(y.sum())} same",
                "listed_on": f"{len(shown)} corroborations shown on Multi-News mnv050-mnv124, "
                f"{sum(p.same for p in shown)} right",
            },
            indent=1,
        )
        + "\n",
        encoding="utf-8",
    )
    print(f"wrote {OUT.relative_to(ROOT)}: threshold {threshold}, {len(pairs)} pairs; listed threshold {listed}")


if __name__ == "__main__":
    main()
