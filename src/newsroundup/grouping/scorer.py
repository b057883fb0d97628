"""A learned score for "this article belongs to that story": logistic regression over pair signals.

The weights are package data (``grouping/scorer.json``), written by ``benchmarks/train_story_scorer.py``
from the early part of a real, labelled, dated stream (one command retrains them); nothing here is
tuned by hand. The signals of a pair compare one article with one story:

- ``cosine``: the article's embedding with the story's centroid;
- ``names``, ``words``, ``numbers``: IDF-weighted cosines of their names (capitalised words), content
  words, and whole numbers (ages, counts, block numbers), the IDF learned from the stream so far;
- ``log_days``: log(1 + days between the article and the story's coverage) (1 day when undated);
- ``same_outlet``: 1 when the story already holds an article of the article's outlet;
- ``log_size``: log of the story's number of articles;
- ``rarest_name``, ``rarest_number``: the IDF of the rarest name / number both share, as a share of the
  highest possible IDF (0 when none is shared): a victim's surname outweighs the city;
- ``shared_names``: log(1 + how many names both have);
- ``name_weight``: log(1 + the summed IDF shares of every name both have): a victim's first and last
  name and the street shared outweigh one shared city, however many other names the story holds
  (which dilute the ``names`` cosine).

The scorer also carries its join threshold, its number of candidates, its join window (the training
pairs are those within it) and the threshold at which a story that grew merges with a near story.

Places, people and numbers are what tell two same-kind events apart (two shootings the same week);
the embedding alone sees both as "a shooting".
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any

from newsroundup.errors import InputError

FEATURES = (
    "cosine", "names", "words", "numbers", "log_days", "same_outlet", "log_size",
    "rarest_name", "rarest_number", "shared_names", "name_weight",
)
UNDATED_DAYS = 1.0  # the gap assumed when either side has no date
SCORER_FILE = "scorer.json"


@dataclass(frozen=True, slots=True)
class PairScorer:
    """Logistic regression on standardised pair features, with the join threshold and candidate count."""

    weights: tuple[float, ...]
    bias: float
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    threshold: float  # an article joins its best story when the probability is at least this
    candidates: int  # stories nearest by embedding scored per article
    # A story that grew merges with a near active story whose profile pair scores at least this
    # (the second chance of stories split while their first articles were thin); None: no merging.
    merge_threshold: float | None = None
    # How far apart in days an article and a story's coverage may be and still be scored (fitted with the
    # weights: the training pairs are those within it); None: the grouping options' window.
    window_days: float | None = None

    def probability(self, features: Sequence[float]) -> float:
        """The probability that the pair with ``features`` (in ``FEATURES`` order) is one story."""
        z = self.bias
        for value, weight, mean, scale in zip(features, self.weights, self.mean, self.scale, strict=True):
            z += weight * (value - mean) / scale
        return logistic(z)

    def linear(self) -> tuple[tuple[float, ...], float]:
        """The log-odds as ``offset + sum(coefficient * feature)``: (coefficients in ``FEATURES`` order, offset).

        Summed in another order than :meth:`probability`'s, so equal to its log-odds up to rounding (~1e-14).
        """
        coefficients = tuple(weight / scale for weight, scale in zip(self.weights, self.scale, strict=True))
        offset = self.bias - sum(c * mean for c, mean in zip(coefficients, self.mean, strict=True))
        return coefficients, offset

    def to_dict(self) -> dict[str, Any]:
        """The scorer as JSON-ready data (the format of ``scorer.json``)."""
        return {
            "features": list(FEATURES),
            "weights": list(self.weights),
            "bias": self.bias,
            "mean": list(self.mean),
            "scale": list(self.scale),
            "threshold": self.threshold,
            "candidates": self.candidates,
            "merge_threshold": self.merge_threshold,
            "window_days": self.window_days,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], source: str = "scorer data") -> PairScorer:
        """A scorer from :meth:`to_dict` data; mismatched or malformed data is an input error."""
        try:
            if list(data["features"]) != list(FEATURES):
                raise ValueError(f"features {data['features']} are not {list(FEATURES)}")
            n = len(FEATURES)
            weights = tuple(float(v) for v in data["weights"])
            mean = tuple(float(v) for v in data["mean"])
            scale = tuple(float(v) for v in data["scale"])
            if not len(weights) == len(mean) == len(scale) == n or min(scale) <= 0:
                raise ValueError(f"expected {n} weights, means and positive scales")
            merge = data.get("merge_threshold")  # scorers written before these were learned: none
            window = data.get("window_days")
            if window is not None and not float(window) > 0:
                raise ValueError(f"window_days {window} is not a positive number of days")
            return cls(
                weights, float(data["bias"]), mean, scale, float(data["threshold"]), int(data["candidates"]),
                None if merge is None else float(merge), None if window is None else float(window),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise InputError(f"{source} is malformed ({type(exc).__name__}: {exc})") from exc


def pair_features(
    cosine: float,
    names: float,
    words: float,
    numbers: float,
    days: float | None,
    same_outlet: bool,
    size: int,
    rarest_name: float = 0.0,
    rarest_number: float = 0.0,
    shared_names: int = 0,
    name_weight: float = 0.0,
) -> tuple[float, ...]:
    """The features of one article-story pair, in ``FEATURES`` order (``days`` None when undated)."""
    gap = UNDATED_DAYS if days is None else max(days, 0.0)
    return (
        cosine, names, words, numbers, math.log1p(gap), float(same_outlet), math.log(max(size, 1)),
        rarest_name, rarest_number, math.log1p(shared_names), math.log1p(name_weight),
    )


def logistic(z: float) -> float:
    """1 / (1 + e^-z): monotone in ``z`` as computed (a larger ``z`` never gives a smaller value)."""
    return 1.0 / (1.0 + math.exp(-z)) if z > -500 else 0.0


@cache
def load_scorer() -> PairScorer:
    """The shipped scorer (package data written by ``benchmarks/train_story_scorer.py``)."""
    resource = files("newsroundup.grouping").joinpath(SCORER_FILE)
    try:
        data = json.loads(resource.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(f"the story scorer {SCORER_FILE} cannot be read ({exc}): reinstall newsroundup") from exc
    return PairScorer.from_dict(data, source=f"the story scorer {SCORER_FILE}")
