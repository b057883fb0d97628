"""Experiment (not shipped): would more pair features let the same-fact model find more corroborations?

    PYTHONPATH=src .venv/bin/python scripts/experiment_same_fact_features.py

Reads the fit pairs of ``benchmarks/fixtures/same_fact_labels.jsonl`` only (Multi-News mnv000-mnv124) and
scores feature sets out of fold (5 folds, seeded): the ROC AUC of the out-of-fold probabilities, and the
recall at the lowest threshold where their precision reaches 0.95 (the shipped model's rule). Besides the
shipped features (``same_fact.FEATURES``) it tries:

- token alignment (BERTScore-like, from the bundled MiniLM's contextual token states): ``align_recall``, the
  mean over the first sentence's content word pieces of their best cosine to any piece of the second;
  ``align_precision``, the same the other way; ``align_f``, their harmonic mean;
- containment: the share of the first sentence's content words the second holds, and the other way.

Writes benchmarks/results/same_fact_features_experiment.json.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import numpy.typing as npt

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "scripts"))

from same_fact_pairs import held_out, read_labels  # noqa: E402
from train_same_fact import fit_logistic, lowest_threshold  # noqa: E402

from newsroundup.grouping.vectors import Embedder, load_embedder  # noqa: E402
from newsroundup.text.same_fact import FEATURES, pair_features  # noqa: E402
from newsroundup.text.tokens import STOPWORDS, stem, words  # noqa: E402

EXTRA = ("align_recall", "align_precision", "align_f", "containment_first", "containment_second")
OUT = ROOT / "benchmarks" / "results" / "same_fact_features_experiment.json"
FOLDS = 5


def token_states(embedder: Embedder, text: str) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.bool_]]:
    """Unit-length contextual states of ``text``'s word pieces (CLS and SEP left out), and which are content."""
    ids, mask = embedder._tokenize([text], 256)
    states = embedder.encode(ids, mask)[0][1:-1]
    states = states / np.maximum(np.linalg.norm(states, axis=1, keepdims=True), 1e-9)
    pieces = [embedder.tokenizer.id_to_token(int(i)) for i in ids[0][1:-1]]
    content = np.array([p.startswith("##") or (p.isalnum() and p.lower() not in STOPWORDS) for p in pieces])
    return states, content


def extra_features(embedder: Embedder, first: str, second: str) -> list[float]:
    """The :data:`EXTRA` features of one pair."""
    (a, a_content), (b, b_content) = token_states(embedder, first), token_states(embedder, second)
    similarity = a @ b.T
    recall = float(similarity[a_content].max(axis=1).mean()) if a_content.any() else 0.0
    precision = float(similarity[:, b_content].max(axis=0).mean()) if b_content.any() else 0.0
    f = 2 * recall * precision / (recall + precision) if recall + precision else 0.0
    a_words = {stem(w) for w in words(first) if w not in STOPWORDS}
    b_words = {stem(w) for w in words(second) if w not in STOPWORDS}
    shared = len(a_words & b_words)
    return [recall, precision, f, shared / max(len(a_words), 1), shared / max(len(b_words), 1)]


def out_of_fold(x: npt.NDArray[np.float64], y: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """Each pair's probability from a model fitted on the other folds."""
    folds = np.array_split(np.random.RandomState(0).permutation(len(y)), FOLDS)
    probabilities = np.zeros(len(y))
    for test in folds:
        train = np.setdiff1d(np.arange(len(y)), test)
        weights, bias = fit_logistic(x[train], y[train])
        probabilities[test] = 1.0 / (1.0 + np.exp(-(x[test] @ weights + bias)))
    return probabilities


def auc(probabilities: npt.NDArray[np.float64], y: npt.NDArray[np.float64]) -> float:
    """The chance that a same pair scores above a different one (ties count half)."""
    same, other = probabilities[y == 1], probabilities[y == 0]
    above = (same[:, None] > other[None, :]).mean() + 0.5 * (same[:, None] == other[None, :]).mean()
    return float(above)


def main() -> None:
    labels, articles = read_labels(ROOT / "benchmarks" / "fixtures" / "same_fact_labels.jsonl")
    fit = [r for r in labels if r["set"] == "multinews" and not held_out(r["a"][0].split("/")[0])]
    texts = [[articles[r[k][0]].text[r[k][1] : r[k][2]] for k in ("a", "b")] for r in fit]
    embedder = load_embedder()
    first, second = embedder.embed([t[0] for t in texts]), embedder.embed([t[1] for t in texts])
    cosines = (first * second).sum(axis=1)
    shipped = np.array([pair_features(a, b, float(c)) for (a, b), c in zip(texts, cosines, strict=True)])
    extra = np.array([extra_features(embedder, a, b) for a, b in texts])
    everything = np.hstack([shipped, extra])
    names = [*FEATURES, *EXTRA]
    y = np.array([float(r["same"]) for r in fit])
    shipped_columns = list(range(len(FEATURES)))
    variants = {"shipped": shipped_columns, "cosine only": [0]}
    variants |= {f"shipped + {name}": [*shipped_columns, names.index(name)] for name in EXTRA}
    variants["shipped + align_recall + align_precision"] = [*shipped_columns, names.index("align_recall"),
                                                           names.index("align_precision")]
    variants["shipped + every extra"] = list(range(len(names)))
    results = {}
    for name, columns in variants.items():
        probabilities = out_of_fold(everything[:, columns], y)
        threshold = lowest_threshold(probabilities, y, 0.95)
        called = probabilities >= threshold
        results[name] = {
            "auc": round(auc(probabilities, y), 3),
            "recall_at_precision_0.95": round(float(called[y == 1].mean()), 3),
        }
        print(f"{name:45s} AUC {results[name]['auc']:.3f}  recall at P 0.95 {float(called[y == 1].mean()):.3f}")
    OUT.write_text(json.dumps({"fit_pairs": len(y), "same": int(y.sum()), "folds": FOLDS, "variants": results},
                              indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
