"""Whether two sentences state the same fact: a small logistic model over pair features.

The features: the sentences' embedding cosine (computed by the caller, so this module stays model-free),
shared content words, numbers that agree or conflict, shared names, a negation on one side only. Weights and
threshold are package data (``same_fact.json``), trained by ``scripts/train_same_fact.py`` from hand-labelled
pairs of real development clusters. Corroboration (``roundup/corroborate.py``) and the audit's paraphrase
matches (``audit/provenance.py``) both use it.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

from newsroundup.text.tokens import STOPWORDS, spelled_numbers, spelled_value, stem, words

__all__ = [
    "FEATURES",
    "NUMBER",
    "Lexical",
    "SameFactModel",
    "SharedWords",
    "features_of",
    "lexical",
    "pair_features",
    "same_fact_model",
    "unshared_bound",
]

FEATURES = (
    "cosine",
    "overlap",
    "jaccard",
    "numbers_agree",
    "numbers_conflict",
    "names_shared",
    "names_missing",
    "negation_mismatch",
)
NUMBER = re.compile(r"\d[\d,.]*\d|\d")
# Capitalised words: names, and a sentence's first word unless it is a stopword ("The", "But").
_NAME = re.compile(r"(?<![\w'’.-])[A-Z][a-zA-Z'’.-]+")
_NEGATION = re.compile(r"\b(?:not|no|never|neither|nor|without|denied|denies|deny)\b|n't\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class SameFactModel:
    """A logistic model over :data:`FEATURES`: P(same fact), the threshold that calls it so, and the higher one a
    corroboration needs to be listed: a listed report is the best of many sentences of its outlet, so the pair
    threshold alone lists more wrong ones than its precision on single pairs says."""

    weights: tuple[float, ...]
    bias: float
    threshold: float
    listed_threshold: float

    def probability(self, features: Sequence[float]) -> float:
        """P(the two sentences state the same fact)."""
        z = self.bias + sum(w * x for w, x in zip(self.weights, features, strict=True))
        return 1.0 / (1.0 + math.exp(-z))

    def same_fact(self, features: Sequence[float]) -> bool:
        """True when the pair is called the same fact."""
        return self.probability(features) >= self.threshold


@cache
def same_fact_model() -> SameFactModel:
    """The shipped model (``text/same_fact.json``), read once."""
    data = json.loads(resources.files("newsroundup.text").joinpath("same_fact.json").read_text(encoding="utf-8"))
    if tuple(data["features"]) != FEATURES:
        raise ValueError("same_fact.json was trained on other features: rerun scripts/train_same_fact.py")
    return SameFactModel(
        tuple(float(w) for w in data["weights"]),
        float(data["bias"]),
        float(data["threshold"]),
        float(data["listed_threshold"]),
    )


@dataclass(frozen=True, slots=True)
class Lexical:
    content: frozenset[str]
    numbers: frozenset[str]
    names: frozenset[str]
    negated: bool


def lexical(text: str) -> Lexical:
    """What the pair features read from one sentence."""
    content = frozenset(stem(w) for w in words(text) if w not in STOPWORDS and not w.isdigit())
    numbers = frozenset(n.replace(",", "").rstrip(".") for n in NUMBER.findall(text)) | frozenset(
        str(spelled_value(m.group(0))) for m in spelled_numbers(text)
    )
    names = frozenset(n.casefold().rstrip(".’'") for n in _NAME.findall(text))
    return Lexical(content, numbers, names - STOPWORDS, bool(_NEGATION.search(text)))


class SharedWords:
    """Which sentences hold a given content word, number or name (an inverted index over ``Lexical``)."""

    def __init__(self, lexical: Sequence[Lexical]) -> None:
        self._holding: dict[tuple[str, str], list[int]] = {}
        for j, lex in enumerate(lexical):
            for key in _keys(lex):
                self._holding.setdefault(key, []).append(j)

    def with_any_of(self, lex: Lexical) -> list[int]:
        """The sentences that share at least one content word, number or name with ``lex``, in order."""
        found: set[int] = set()
        for key in _keys(lex):
            found.update(self._holding.get(key, ()))
        return sorted(found)


def _keys(lex: Lexical) -> Iterator[tuple[str, str]]:
    yield from (("w", w) for w in lex.content)
    yield from (("n", n) for n in lex.numbers)
    yield from (("p", p) for p in lex.names)


def unshared_bound(model: SameFactModel, cosine: float) -> float:
    """The highest probability ``model`` gives a pair sharing no content word, number or name at ``cosine``:
    every feature that counts what is shared is 0; the others (numbers on both sides that differ, names on
    both sides that differ, negation on one side) may be 0 or 1.
    """
    return max(
        model.probability((cosine, 0.0, 0.0, 0.0, numbers, 0.0, names, negation))
        for numbers in (0.0, 1.0) for names in (0.0, 1.0) for negation in (0.0, 1.0)
    )


def features_of(a: Lexical, b: Lexical, cosine: float) -> tuple[float, ...]:
    shared = len(a.content & b.content)
    smaller = min(len(a.content), len(b.content)) or 1
    union = len(a.content | b.content) or 1
    both_numbers = bool(a.numbers and b.numbers)
    agree = both_numbers and bool(a.numbers & b.numbers)
    fewer_names = a.names if len(a.names) <= len(b.names) else b.names
    other_names = b.names if fewer_names is a.names else a.names
    names_shared = len(fewer_names & other_names) / len(fewer_names) if fewer_names else 0.0
    return (
        cosine,
        shared / smaller,
        shared / union,
        float(agree),
        float(both_numbers and not agree),
        names_shared,
        float(bool(fewer_names) and not (fewer_names & other_names)),
        float(a.negated != b.negated),
    )


def pair_features(first: str, second: str, cosine: float) -> tuple[float, ...]:
    """The model's features for two sentences whose embeddings have ``cosine`` (in :data:`FEATURES` order)."""
    return features_of(lexical(first), lexical(second), cosine)
