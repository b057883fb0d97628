"""How much each concept (a pair of adjacent word stems) matters to the story as a whole."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from newsroundup.roundup.candidates import Candidate

Concept = tuple[str, str]


@dataclass(frozen=True, slots=True)
class SalienceOptions:
    """Knobs of concept weighting; the defaults are general, not fitted to one dataset."""

    lead_sentences: int = 1  # an article's lede states its most important facts
    lead_bonus: float = 1.0  # extra weight, per article, for a concept stated in its lead
    # With several articles, a concept counts only when this share of them states it (at least 2):
    # 3 of 10, as in Gillick & Favre's concept ILP. With one article, when 2 of its sentences do.
    min_share: float = 0.3
    # "pairs": a concept weighs as many as the pairs of reports that agree on it (corroboration), so
    # a fact five outlets state (10 pairs) outweighs five facts two outlets state each (1 pair each);
    # "count": as many as the reports themselves (Gillick & Favre). A lede statement counts as one
    # more report in both.
    weighting: Literal["pairs", "count"] = "pairs"
    latest_bonus: float = 1.0  # for the ledes of a developing story's latest articles


def concept_weights(
    articles: Sequence[Sequence[Candidate]],
    options: SalienceOptions | None = None,
    independent: Sequence[bool] | None = None,
    latest: Sequence[bool] | None = None,
) -> dict[Concept, float]:
    """Weight each concept by how many independent articles state it, more when in their ledes.

    With a single article, counts of sentences stand in for counts of articles. Copies of another
    article (``independent[i]`` false) do not add weight: a wire story reprinted ten times is one
    report, not ten. The ledes of the latest articles of a developing story (``latest[i]``) count
    once more, so the roundup says where the story stands now, not only how it began.
    """
    options = options or SalienceOptions()
    chosen = [i for i in range(len(articles)) if independent is None or independent[i]] or list(range(len(articles)))
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
    if options.weighting == "pairs":
        return {c: w * (w - 1.0) / 2.0 for c, w in kept.items()}
    return kept
