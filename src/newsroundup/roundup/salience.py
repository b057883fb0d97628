"""How much each concept (a pair of adjacent word stems) matters to the story as a whole."""

from __future__ import annotations

import json
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Literal

import numpy as np

from newsroundup.roundup.candidates import Candidate
from newsroundup.text.tokens import STOPWORDS

Concept = tuple[str, str]


@dataclass(frozen=True, slots=True)
class SalienceOptions:
    """Knobs of concept weighting: the learned weighting's model is fitted on real web clusters (Multi-News
    dev's fit part); the counted weightings' knobs are general, not fitted to one dataset."""

    lead_sentences: int = 1  # an article's lede states its most important facts
    lead_bonus: float = 1.0  # extra weight, per article, for a concept stated in its lead
    # With several articles, a concept counts only when this share of them states it (at least 2):
    # 3 of 10, as in Gillick & Favre's concept ILP. With one article, when 2 of its sentences do.
    min_share: float = 0.3
    # "learned": the odds that a summary writer states the concept, from how many reports state
    # it, where, how often and in what kind of sentence (``concept_model.json``, fitted by
    # scripts/train_concept_model.py on Multi-News dev's fit part; ``min_share`` and the lede bonus
    # do not apply, the model weighs both), for stories of up to ``learned_reports`` independent
    # reports; larger stories are weighed by "pairs". "pairs": a concept weighs as many as the pairs of reports
    # that agree on it (corroboration), so a fact five outlets state (10 pairs) outweighs five facts
    # two outlets state each (1 pair each); "count": as many as the reports themselves (Gillick &
    # Favre). A lede statement counts as one more report in both.
    weighting: Literal["learned", "pairs", "count"] = "learned"
    latest_bonus: float = 1.0  # for the ledes of a developing story's latest articles
    # The model is used only on stories of the sizes it was fitted on: the fit part's clusters have 1 to 9
    # reports, at least four clusters of each size up to 6. Past that it has no evidence, and on DUC 2004's
    # 10-report newswire clusters (evaluation only) it scored below the counted weighting.
    learned_reports: int = 6


# The counted weighting: only concepts several reports state weigh anything. What is "on the story's topic"
# (the timeline, corroboration's salient sentences) asks for this, not for what a summary would state.
SHARED_CONCEPTS = SalienceOptions(weighting="pairs")


def weight_of(concepts: Iterable[Concept], weights: Mapping[Concept, float]) -> float:
    """The summed weight of ``concepts`` (unweighted ones count 0), exact: a float sum in a set's order would
    follow the process's string hashing, and two equally good sentences would be told apart differently by
    each process."""
    return math.fsum(weights.get(concept, 0.0) for concept in concepts)


def concept_weights(
    articles: Sequence[Sequence[Candidate]],
    options: SalienceOptions | None = None,
    independent: Sequence[bool] | None = None,
    latest: Sequence[bool] | None = None,
) -> dict[Concept, float]:
    """Weight each concept: by the learned model in a story of up to ``options.learned_reports`` independent
    articles (``learned_weights``), else by how many independent articles state it, more when in their ledes.

    With a single article, counts of sentences stand in for counts of articles. Copies of another
    article (``independent[i]`` false) do not add weight: a wire story reprinted ten times is one
    report, not ten. The ledes of the latest articles of a developing story (``latest[i]``) count
    once more, so the roundup says where the story stands now, not only how it began.
    """
    options = options or SalienceOptions()
    independent = [True] * len(articles) if independent is None else independent
    chosen = _reports(independent)
    if model_weighs(options, independent):
        return learned_weights(articles, chosen, options, latest)
    weights: dict[Concept, float] = defaultdict(float)
    support: dict[Concept, int] = defaultdict(int)
    single = len(chosen) == 1
    for i in chosen:
        lead: set[Concept] = set()
        seen: set[Concept] = set()
        for cand in articles[i]:
            if cand.position < options.lead_sentences:
                lead |= cand.bigrams
            if single:
                for concept in cand.bigrams:
                    weights[concept] += 1.0
                    support[concept] += 1
            else:
                seen |= cand.bigrams
        bonus = options.lead_bonus + (options.latest_bonus if latest is not None and latest[i] else 0.0)
        for concept in lead:
            weights[concept] += bonus
        if single:
            continue
        for concept in seen:
            weights[concept] += 1.0
            support[concept] += 1
    threshold = max(2, round(options.min_share * len(chosen))) if not single else 2
    kept = {c: w for c, w in weights.items() if support[c] >= threshold}
    if options.weighting == "count":
        return kept
    return {c: w * (w - 1.0) / 2.0 for c, w in kept.items()}


def model_weighs(options: SalienceOptions, independent: Sequence[bool]) -> bool:
    """Whether ``concept_weights`` weighs a story of these articles (``independent[i]`` false for a copy) by the
    learned model: with the "learned" weighting, in a story of up to ``options.learned_reports`` reports."""
    return options.weighting == "learned" and len(_reports(independent)) <= options.learned_reports


def _reports(independent: Sequence[bool]) -> list[int]:
    """The articles that count as reports: the independent ones, or all when every one is a copy."""
    return [i for i, own in enumerate(independent) if own] or list(range(len(independent)))


# What the concept model reads of a concept, in this order (``concept_features``).
CONCEPT_FEATURES = (
    "share",  # of the independent reports that state it
    "reports",  # log(1 + reports stating it)
    "sentences",  # log(1 + sentences stating it)
    "lede_share",  # of the reports that state it in their first sentence
    "top3_share",  # ... in their first three sentences
    "first_position",  # log(1 + the earliest sentence position stating it)
    "relative_first",  # mean over the reports stating it of where it first comes (0 top, 1 bottom)
    "cluster",  # log(number of independent reports)
    "eligible_share",  # of its sentences that may stand in a roundup
    "quoted_share",  # of its sentences that hold a quotation mark
    "number",  # a word of it is a number
    "stopword",  # one of its two words is a stopword
)
MODEL_FILE = "concept_model.json"
_MAX_PROBABILITY = 0.99  # odds of at most 99: no concept outweighs the rest of the story alone
_QUOTE_MARKS = ('"', "“", "”", "``", "''")


def concept_features(
    articles: Sequence[Sequence[Candidate]], chosen: Sequence[int]
) -> tuple[list[Concept], np.ndarray]:
    """Every concept the ``chosen`` articles state, and its ``CONCEPT_FEATURES`` row."""
    reports: dict[Concept, int] = defaultdict(int)
    sentences: dict[Concept, int] = defaultdict(int)
    ledes: dict[Concept, int] = defaultdict(int)
    top3: dict[Concept, int] = defaultdict(int)
    first: dict[Concept, int] = {}
    relative: dict[Concept, float] = defaultdict(float)
    eligible: dict[Concept, int] = defaultdict(int)
    quoted: dict[Concept, int] = defaultdict(int)
    for i in chosen:
        length = max(len(articles[i]), 1)
        seen: set[Concept] = set()
        for cand in articles[i]:
            has_quote = any(mark in cand.text for mark in _QUOTE_MARKS)
            for concept in cand.bigrams:
                sentences[concept] += 1
                eligible[concept] += cand.eligible
                quoted[concept] += has_quote
                if concept in seen:
                    continue
                seen.add(concept)
                reports[concept] += 1
                ledes[concept] += cand.position == 0
                top3[concept] += cand.position < 3
                first[concept] = min(first.get(concept, cand.position), cand.position)
                relative[concept] += cand.position / length
    concepts = sorted(reports)
    n = max(len(chosen), 1)
    rows = np.empty((len(concepts), len(CONCEPT_FEATURES)))
    for k, c in enumerate(concepts):
        r, s = reports[c], sentences[c]
        rows[k] = (
            r / n,
            math.log1p(r),
            math.log1p(s),
            ledes[c] / r,
            top3[c] / r,
            math.log1p(first[c]),
            relative[c] / r,
            math.log(n),
            eligible[c] / s,
            quoted[c] / s,
            float(any(ch.isdigit() for ch in c[0] + c[1])),
            float(c[0] in STOPWORDS or c[1] in STOPWORDS),
        )
    return concepts, rows


@dataclass(frozen=True, slots=True)
class ConceptModel:
    """A logistic model of whether a summary states a concept, and the probability below which it is dropped."""

    weights: np.ndarray
    bias: float
    floor: float

    @classmethod
    def from_json(cls, text: str) -> ConceptModel:
        """The model as ``scripts/train_concept_model.py`` writes it."""
        raw = json.loads(text)
        if list(raw["weights"]) != list(CONCEPT_FEATURES):
            raise RuntimeError(f"{MODEL_FILE} was trained on other features: rerun scripts/train_concept_model.py")
        weights = np.array([float(raw["weights"][name]) for name in CONCEPT_FEATURES])
        return cls(weights, float(raw["bias"]), float(raw["floor"]))

    def probabilities(self, rows: np.ndarray) -> np.ndarray:
        """The model's probability for each feature row."""
        scores = np.clip(rows @ self.weights + self.bias, -50.0, 50.0)
        probabilities: np.ndarray = 1.0 / (1.0 + np.exp(-scores))
        return probabilities


@cache
def concept_model() -> ConceptModel:
    """The shipped concept model (``roundup/concept_model.json``), read once."""
    text = resources.files("newsroundup.roundup").joinpath(MODEL_FILE).read_text(encoding="utf-8")
    return ConceptModel.from_json(text)


def learned_weights(
    articles: Sequence[Sequence[Candidate]],
    chosen: Sequence[int],
    options: SalienceOptions,
    latest: Sequence[bool] | None = None,
    model: ConceptModel | None = None,
) -> dict[Concept, float]:
    """Each concept's odds of being in a summary (p / (1 - p)), when its probability is at least the model's floor.

    Odds rather than probabilities: a concept the summary is nearly sure to state outweighs several it
    may state, as in the counted weightings, where the most corroborated facts weigh most (on Multi-News
    dev's fit part, fitted on one half and scored on the other, both ways: ROUGE-2 1.184x LexRank with
    odds, 1.180x with probabilities, 1.121x with squared probabilities).

    A concept in the lede of one of a developing story's latest articles weighs ``1 + latest_bonus``
    times as much, as the counted weightings add the bonus.
    """
    concepts, rows = concept_features(articles, chosen)
    if not concepts:
        return {}
    model = model or concept_model()
    probabilities = model.probabilities(rows)
    newest: set[Concept] = set()
    if latest is not None and options.latest_bonus:
        for i in chosen:
            if latest[i]:
                newest |= {c for cand in articles[i] if cand.position < options.lead_sentences for c in cand.bigrams}
    boost = 1.0 + options.latest_bonus
    probabilities = np.minimum(probabilities, _MAX_PROBABILITY)
    return {
        c: float(p / (1.0 - p)) * (boost if c in newest else 1.0)
        for c, p in zip(concepts, probabilities, strict=True)
        if p >= model.floor
    }
