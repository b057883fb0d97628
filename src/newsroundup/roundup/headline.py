"""Choose a roundup's headline: the best source headline, else the story's most telling short sentence."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from newsroundup.model import Article
from newsroundup.roundup.candidates import Candidate
from newsroundup.roundup.salience import Concept

_OUTLET_SUFFIX = re.compile(r"\s+(?:[-–—|•:]\s+[^-–—|•:]{2,40})$")
_MAX_HEADLINE_WORDS = 22


def choose_headline(
    articles: Sequence[Article],
    candidates: Sequence[Sequence[Candidate]],
    weights: dict[Concept, float],
    latest: Sequence[bool] | None = None,
) -> str:
    """The title of the most central article; without titles, the most central short lede.

    Centrality is the concept weight an article (or sentence) states, so the headline speaks of
    what most sources report rather than of one outlet's angle. For a developing story, only the
    latest articles' titles compete (``latest``), so the headline says where the story stands now.
    """
    titled = [i for i, a in enumerate(articles) if a.title]
    if latest is not None and any(latest[i] for i in titled):
        titled = [i for i in titled if latest[i]]
    if titled:
        best = max(titled, key=lambda i: (_article_weight(candidates[i], weights), -i))
        return strip_outlet(articles[best].title or "")
    standalone = [
        c
        for sents in candidates
        for c in sents
        if c.eligible and not c.needs_previous and c.n_words <= _MAX_HEADLINE_WORDS
    ]
    # Ledes first: they are written to say what happened, the way a headline does.
    pool = [c for c in standalone if c.position == 0] or standalone
    if not pool:
        pool = [c for sents in candidates for c in sents if c.eligible] or [
            c for sents in candidates for c in sents
        ]
    if not pool:
        return ""

    def density(c: Candidate) -> tuple[float, int]:
        return sum(weights.get(b, 0.0) for b in c.bigrams) / math.sqrt(max(c.n_words, 1)), -c.position

    best_sentence = max(pool, key=density)
    return best_sentence.text.rstrip(" .")


def _article_weight(sentences: Sequence[Candidate], weights: dict[Concept, float]) -> float:
    """Concept weight an article states, each concept counted once."""
    return sum(weights.get(b, 0.0) for b in {b for c in sentences for b in c.bigrams})


def strip_outlet(title: str) -> str:
    """A source headline without its trailing " - Outlet" or " | Site" part."""
    stripped = _OUTLET_SUFFIX.sub("", title.strip())
    return stripped or title.strip()
