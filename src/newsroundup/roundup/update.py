"""What's new: keep a roundup to what the newest articles add to the articles a reader has already seen.

The concept ILP's way of telling new from old (as Gillick and Favre's update runs did): a concept
(a pair of adjacent content stems) that the earlier articles state is worth nothing in the update,
and a sentence most of whose concepts were already stated repeats them and is not eligible. What is
left is what only the newer articles say; when nothing is left, the update says so.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

from newsroundup.errors import InputError
from newsroundup.model import Article
from newsroundup.roundup.candidates import Candidate, CandidateLimits, build_candidates
from newsroundup.roundup.salience import Concept

REPEATS = "repeats what the earlier articles reported"
NOTHING_NEW = "nothing new of substance: the newer articles repeat what the earlier ones reported"


@dataclass(frozen=True, slots=True)
class UpdateOptions:
    """How strictly an update leaves out what was reported before."""

    # A sentence whose concepts were already stated in this share or more repeats them. 0.5: it
    # adds less than it repeats.
    repeat_share: float = 0.5

    def __post_init__(self) -> None:
        if not 0.0 < self.repeat_share <= 1.0:
            raise InputError(f"the repeat share must be in (0, 1], not {self.repeat_share}")


def reported_concepts(seen: Sequence[Article], limits: CandidateLimits | None = None) -> frozenset[Concept]:
    """Every concept the articles already read state, in any of their sentences."""
    return frozenset(b for sents in build_candidates(seen, limits) for c in sents for b in c.bigrams)


def novel_weights(weights: dict[Concept, float], reported: frozenset[Concept]) -> dict[Concept, float]:
    """The concept weights without the concepts already reported."""
    return {concept: weight for concept, weight in weights.items() if concept not in reported}


def mark_repeats(
    candidates: Sequence[Sequence[Candidate]], reported: frozenset[Concept], options: UpdateOptions
) -> list[list[Candidate]]:
    """The candidates, a sentence that mostly repeats reported concepts made ineligible (reason :data:`REPEATS`)."""
    return [[_marked(c, reported, options.repeat_share) for c in sents] for sents in candidates]


def _marked(candidate: Candidate, reported: frozenset[Concept], share: float) -> Candidate:
    if not candidate.eligible or not candidate.bigrams:
        return candidate
    repeated = sum(1 for b in candidate.bigrams if b in reported) / len(candidate.bigrams)
    if repeated < share:
        return candidate
    return dataclasses.replace(candidate, eligible=False, reason=REPEATS)
