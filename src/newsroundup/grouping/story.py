"""One story's running aggregate while grouping: its articles, summed vector, names, words, outlets and dates."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import numpy as np
import numpy.typing as npt

from newsroundup.grouping.signals import ArticleSignals
from newsroundup.model import Story

STORY_WORDS = 100  # a story keeps its most used content words: at most twice this many between prunings


@dataclass(slots=True)
class StoryState:
    """The running aggregate of one story (mutable; owned by a ``StoryIndex``)."""

    id: str
    seq: int
    article_ids: list[str]
    total: npt.NDArray[np.float32]  # sum of the members' unit vectors
    terms: Counter[str]
    first_seen: datetime | None = None
    last_seen: datetime | None = None
    slot: int | None = None  # its row in the active set's matrix; None when retired or archived
    words: Counter[str] = field(default_factory=Counter)
    numbers: Counter[str] = field(default_factory=Counter)
    outlets: Counter[str] = field(default_factory=Counter)

    def centroid(self) -> npt.NDArray[np.float32]:
        """The normalised mean of the members' embeddings."""
        norm = float(np.linalg.norm(self.total))
        return (self.total / max(norm, 1e-12)).astype(np.float32)

    @property
    def archived(self) -> bool:
        """True once the story's vector and terms were dropped (no article can join it)."""
        return self.total.size == 0

    def add_article(self, article: ArticleSignals, vector: npt.NDArray[np.float32]) -> None:
        """Count ``article`` (with its unit ``vector``) into the story.

        Its sets are counted in sorted order: a profile's order is the order its weights are summed in, and a
        set's order changes with Python's string hashing from one process to the next.
        """
        self.article_ids.append(article.id)
        self.total += vector
        self.terms.update(sorted(article.terms))
        self.add_words(sorted(article.words))
        self.add_numbers(sorted(article.numbers))
        if article.outlet:
            self.outlets[article.outlet] += 1
        if article.published is not None:
            self.first_seen = min(self.first_seen or article.published, article.published)
            self.last_seen = max(self.last_seen or article.published, article.published)

    def absorb(self, gone: StoryState) -> None:
        """Count every article of ``gone`` into this story (a merge)."""
        self.article_ids.extend(gone.article_ids)
        self.total += gone.total
        self.terms.update(gone.terms)
        self.add_words(gone.words)
        self.add_numbers(gone.numbers)
        self.outlets.update(gone.outlets)
        dated = [d for d in (self.first_seen, gone.first_seen) if d is not None]
        self.first_seen = min(dated) if dated else None
        dated = [d for d in (self.last_seen, gone.last_seen) if d is not None]
        self.last_seen = max(dated) if dated else None

    def add_words(self, words: Iterable[str] | Counter[str]) -> None:
        """Count ``words`` into the story's profile, keeping it bounded (see ``STORY_WORDS``).

        Only the most used words of a story weigh in its profile, and walking a long story's whole
        vocabulary for every comparison would make large stories ever slower to match.
        """
        self.words = _bounded(self.words, words)

    def add_numbers(self, numbers: Iterable[str] | Counter[str]) -> None:
        """Count ``numbers`` into the story's profile, bounded as the words are."""
        self.numbers = _bounded(self.numbers, numbers)

    def gap(self, first: datetime | None, last: datetime | None) -> timedelta | None:
        """Time between the story's coverage and ``first``..``last`` (zero if they overlap); None if undated."""
        if first is None or last is None or self.first_seen is None or self.last_seen is None:
            return None
        return max(self.first_seen - last, first - self.last_seen, timedelta(0))

    def archive(self) -> None:
        """Drop what only matching needs, keeping the articles and dates."""
        self.total = np.zeros(0, dtype=np.float32)
        self.terms = Counter()
        self.words = Counter()
        self.numbers = Counter()
        self.outlets = Counter()

    def record(self) -> Story:
        """The public record of the story."""
        return Story(self.id, tuple(self.article_ids), self.first_seen, self.last_seen)


def _bounded(profile: Counter[str], added: Iterable[str] | Counter[str]) -> Counter[str]:
    """``profile`` with ``added`` counted in, cut to its ``STORY_WORDS`` most used items past twice that."""
    profile.update(added)
    if len(profile) > 2 * STORY_WORDS:
        ranked = sorted(profile.items(), key=lambda item: (-item[1], item[0]))[:STORY_WORDS]
        return Counter(dict(ranked))
    return profile
