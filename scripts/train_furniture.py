"""Learn the weights of text/furniture.py from hand-labelled lines of the Multi-News dev set.

The labels (tests/fixtures/furniture/multinews_lines.jsonl) name a line of a dev document by document
id, line number and a SHA-1 prefix of its stripped text; the texts stay in the dev data. Fits an
L2-regularised logistic regression on the "fit" part, picks the threshold by 5-fold cross-validation on
that part (highest recall at precision >= 0.95), writes src/newsroundup/text/furniture_weights.json and
prints precision/recall on the held-out part.

    .venv/bin/python scripts/train_furniture.py [--data ../shared/data/multinews-dev]
"""

from __future__ import annotations

import argparse
import hashlib
import json
from pathlib import Path

import numpy as np

from newsroundup.text.clean import is_furniture
from newsroundup.text.furniture import FEATURES, features

ROOT = Path(__file__).resolve().parents[1]
LABELS = ROOT / "tests/fixtures/furniture/multinews_lines.jsonl"
OUT = ROOT / "src/newsroundup/text/furniture_weights.json"
MIN_PRECISION = 0.95


def labelled_lines(data: Path) -> list[tuple[str, str, bool]]:
    """(part, line text, is furniture) for every label, checked against the dev data."""
    docs: dict[str, list[str]] = {}
    with (data / "clusters.jsonl").open(encoding="utf-8") as f:
        for line in f:
            for d in json.loads(line)["documents"]:
                docs[d["id"]] = d["text"].split("\n")
    out = []
    for raw in LABELS.read_text(encoding="utf-8").splitlines():
        label = json.loads(raw)
        text = docs[label["document"]][label["line"]].strip()
        if hashlib.sha1(text.encode()).hexdigest()[:10] != label["sha1"]:
            raise SystemExit(f"{label['document']} line {label['line']}: text differs from the labelled one")
        out.append((label["part"], text, bool(label["furniture"])))
    return out


def fit(x: np.ndarray, y: np.ndarray, l2: float = 0.5, steps: int = 4000, rate: float = 0.5) -> np.ndarray:
    """Logistic regression weights (bias last) by full-batch gradient descent; deterministic."""
    xb = np.hstack([x, np.ones((len(x), 1))])
    w = np.zeros(xb.shape[1])
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-(xb @ w)))
        grad = xb.T @ (p - y) / len(y)
        grad[:-1] += l2 * w[:-1] / len(y)
        w -= rate * grad
    return w


def scores(w: np.ndarray, x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-(np.hstack([x, np.ones((len(x), 1))]) @ w)))


def precision_recall(pred: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    tp = float((pred & y).sum())
    return (tp / max(1.0, float(pred.sum())), tp / max(1.0, float(y.sum())))


def choose_threshold(x: np.ndarray, y: np.ndarray, folds: int = 5) -> float:
    """Threshold with the best cross-validated recall at precision >= MIN_PRECISION."""
    order = np.arange(len(y))
    held = np.zeros(len(y))
    for k in range(folds):
        test = order % folds == k
        held[test] = scores(fit(x[~test], y[~test]), x[test])
    best = 0.9
    best_recall = -1.0
    for t in np.arange(0.30, 0.96, 0.01):
        p, r = precision_recall(held >= t, y.astype(bool))
        if p >= MIN_PRECISION and r > best_recall:
            best, best_recall = float(t), r
    return round(best, 2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, help="the multinews-dev folder (default: ../shared/data/multinews-dev)")
    args = parser.parse_args()
    tried = [args.data] if args.data else [p / "shared/data/multinews-dev" for p in ROOT.parents]
    data = next((d for d in tried if (d / "clusters.jsonl").is_file()), None)
    if data is None:
        raise SystemExit(f"multinews-dev not found (looked in {', '.join(map(str, tried))}); give --data DIR")
    rows = labelled_lines(data)
    fit_rows = [r for r in rows if r[0] == "fit"]
    held_rows = [r for r in rows if r[0] == "heldout"]
    x = np.array([features(t) for _, t, _ in fit_rows])
    y = np.array([float(f) for _, _, f in fit_rows])
    threshold = choose_threshold(x, y)
    w = fit(x, y)
    weights = {name: round(float(v), 4) for name, v in zip(FEATURES, w[:-1], strict=True)}
    OUT.write_text(
        json.dumps({"weights": weights, "bias": round(float(w[-1]), 4), "threshold": threshold,
                    "trained_on": f"{LABELS.relative_to(ROOT)} part 'fit' ({len(fit_rows)} lines)"}, indent=1)
        + "\n",
        encoding="utf-8",
    )
    xh = np.array([features(t) for _, t, _ in held_rows])
    yh = np.array([f for _, _, f in held_rows])
    learned = scores(w, xh) >= threshold
    legacy = np.array([is_furniture(t) for _, t, _ in held_rows])
    for name, pred in (("rules only (before)", legacy), ("learned", learned), ("rules or learned", legacy | learned)):
        p, r = precision_recall(pred, yh)
        print(f"held-out {name:20s} P {p:.2f} R {r:.2f} ({int(yh.sum())} furniture of {len(yh)} lines)")
    print(f"threshold {threshold}; wrote {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
