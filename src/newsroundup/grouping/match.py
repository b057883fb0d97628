"""How well an article (or a story) matches a story: the hand-set rule's score or the learned scorer's probability."""

from __future__ import annotations

import math
import operator
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from newsroundup.grouping.options import GroupingOptions
from newsroundup.grouping.scorer import FEATURES, PairScorer, logistic, pair_features
from newsroundup.grouping.signals import ArticleSignals
from newsroundup.grouping.story import StoryState

Candidates = list[tuple[StoryState, float]]  # stories and their centroid cosines, best first
_NAMES, _WORDS, _NUMBERS = (FEATURES.index(name) for name in ("names", "words", "numbers"))
# Added to a bound's log-odds: far above the rounding of summing them in another order (~1e-14).
_MARGIN = 1e-9
RARITY_DOCUMENTS = 100  # the fewest articles a name's rarity is judged among (see TermCounts.share_of_count)


@dataclass(slots=True)
class TermCounts:
    """How many articles the stream has had so far, and in how many each name, word and number was."""

    documents: int = 0
    terms: Counter[str] = field(default_factory=Counter)
    words: Counter[str] = field(default_factory=Counter)
    numbers: Counter[str] = field(default_factory=Counter)
    # IDF by document frequency, for the current number of documents (an IDF depends on nothing else)
    idf_by_count: dict[int, float] = field(default_factory=dict, repr=False, compare=False)
    idf_documents: int = field(default=-1, repr=False, compare=False)

    def count(self, article: ArticleSignals) -> None:
        """Count ``article`` in."""
        self.documents += 1
        self.terms.update(article.terms)
        self.words.update(article.words)
        self.numbers.update(article.numbers)

    def scale_to(self, documents: int) -> None:
        """Take these counts, of a sample of the stream, as the stream's when it has had ``documents`` articles:
        every count scaled by the same factor (an item seen stays seen)."""
        if self.documents == 0 or documents <= self.documents:
            return
        factor = documents / self.documents
        for counter in (self.terms, self.words, self.numbers):
            for item, count in counter.items():
                counter[item] = max(1, round(count * factor))
        self.documents = documents

    def idf(self, term: str, df: Counter[str]) -> float:
        """Smoothed inverse document frequency of ``term`` among the articles seen so far."""
        return self.idf_of_count(df.get(term, 0))

    def idf_of_count(self, count: int) -> float:
        """Smoothed inverse document frequency of an item found in ``count`` of the articles seen so far."""
        if self.idf_documents != self.documents:
            self.idf_by_count.clear()
            self.idf_documents = self.documents
        idf = self.idf_by_count.get(count)
        if idf is None:
            idf = self.idf_by_count[count] = math.log((1 + self.documents) / (1 + count)) + 1.0
        return idf

    def share_of_count(self, count: int) -> float:
        """How rare an item found in ``count`` of the articles is, as a share of the highest possible IDF (0..1).

        Judged as if the stream had at least ``RARITY_DOCUMENTS`` articles: in a young stream of a few
        articles every shared name is in a large share of them, which says little yet about its rarity.
        """
        if self.documents >= RARITY_DOCUMENTS:  # the stream's own IDFs, kept per count
            return self.idf_of_count(count) / self.idf_of_count(0)
        return (math.log((1 + RARITY_DOCUMENTS) / (1 + count)) + 1.0) / (math.log(1 + RARITY_DOCUMENTS) + 1.0)

    def shared(self, terms: Counter[str], other: Counter[str], df: Counter[str]) -> tuple[float, int, float]:
        """What two profiles share, by :meth:`share_of_count`: the share of the rarest shared item (0 when
        they share none), how many items they share, and the summed shares of them all (many rare names
        shared, a victim's first and last name and a street, outweigh one)."""
        if terms.keys().isdisjoint(other.keys()):
            return 0.0, 0, 0.0
        if len(other) < len(terms):
            terms, other = other, terms
        shares = [self.share_of_count(df.get(term, 0)) for term in terms if term in other]
        return max(shares, default=0.0), len(shares), sum(shares)

    def weigh(self, terms: Counter[str], size: int, df: Counter[str]) -> Weighted:
        """One side's profile (key terms, content words or numbers of ``size`` articles) weighed by IDF.

        A term weighs by the share of the side's articles using it, so a large story's passing mentions
        count for little; ``df`` holds the document frequencies of that kind of term.
        """
        self.idf_of_count(0)  # the IDFs kept are those of the current number of documents
        known, idf, frequency = self.idf_by_count, self.idf_of_count, df.get
        items: list[tuple[str, float, float]] = []
        norm = 0.0
        for term, count in terms.items():
            found = frequency(term, 0)
            weight = known.get(found) or idf(found)  # an IDF is at least 1
            a = weight * count / size
            norm += a * a
            items.append((term, weight, a))
        return Weighted(items, norm)

    def overlap(self, terms: Counter[str], size: int, other: Counter[str], other_size: int, df: Counter[str]) -> float:
        """Cosine of the IDF-weighted profiles (key terms or content words) of two sides (0..1)."""
        return self.overlap_weighted(self.weigh(terms, size, df), other, other_size, df)

    def overlap_weighted(self, side: Weighted, other: Counter[str], other_size: int, df: Counter[str]) -> float:
        """:meth:`overlap` of a side weighed once (by :meth:`weigh`, at the current number of articles) with
        another profile: the other's weights are looked up only when the two share a term."""
        dot = 0.0
        for term, weight, a in side.items:
            if term in other:
                dot += a * weight * other[term] / other_size
        if not dot:
            return 0.0
        return dot / math.sqrt(side.norm * self.weigh(other, other_size, df).norm)


@dataclass(frozen=True, slots=True)
class Weighted:
    """A side's profile weighed by the stream's IDFs: (term, IDF, weighted share) in profile order, and the
    sum of the squared shares."""

    items: list[tuple[str, float, float]]
    norm: float


@dataclass(frozen=True, slots=True)
class SideWeights:
    """A side's three profiles weighed once for all the candidates it is scored against."""

    names: Weighted
    words: Weighted
    numbers: Weighted


@dataclass(frozen=True, slots=True)
class Side:
    """What is matched against stories: one article, or a story (``size`` articles) that may merge."""

    terms: Counter[str]
    words: Counter[str]
    size: int
    first: datetime | None  # its coverage, first..last (one date for an article)
    last: datetime | None
    numbers: Counter[str] = field(default_factory=Counter)
    outlet: str | None = None

    @classmethod
    def of_article(cls, article: ArticleSignals) -> Side:
        """``article`` as a side (its sets in sorted order, as ``StoryState.add_article`` counts them)."""
        when = article.published
        return cls(
            Counter(sorted(article.terms)), Counter(sorted(article.words)), 1, when, when,
            Counter(sorted(article.numbers)), article.outlet,
        )


class Matcher:
    """Scores a side against candidate stories, with the rule of ``options`` or the learned ``scorer``."""

    def __init__(self, options: GroupingOptions, scorer: PairScorer | None, counts: TermCounts) -> None:
        self.options = options
        self.scorer = scorer
        self.counts = counts
        if scorer is not None:  # the log-odds as a sum, and the most each profile cosine (0..1) can add
            self.coefficients, self.offset = scorer.linear()
            self.most = tuple(max(c, 0.0) for c in self.coefficients)

    @property
    def candidates(self) -> int:
        """How many nearest active stories are scored: the scorer's count when learned."""
        return self.scorer.candidates if self.scorer is not None else self.options.candidates

    def best(
        self, candidates: Candidates, side: Side, threshold: float | None = None
    ) -> tuple[StoryState | None, float | None]:
        """The best candidate scoring at least ``threshold`` (default: ``join``, or the scorer's), and its score.

        With the scorer, a candidate whose probability cannot reach the threshold (or beat the best so far),
        whatever its profile cosines, is not compared profile by profile: the choice is the same.
        """
        if self.scorer is not None:
            least = self.scorer.threshold if threshold is None else threshold
            best: StoryState | None = None
            best_score: float | None = None
            weighted = self.weigh(side)
            for state, cosine, gap in self.within_window(candidates, side):
                floor = least if best_score is None else max(least, math.nextafter(best_score, math.inf))
                score = self.probability(state, cosine, side, gap, weighted, floor)
                if score is not None and score >= least and (best_score is None or score > best_score):
                    best, best_score = state, score
            return best, best_score
        return self._best_by_rule(candidates, side, self.options.join if threshold is None else threshold)

    def weigh(self, side: Side) -> SideWeights:
        """The side's names, words and numbers weighed at the current number of articles (see ``TermCounts``)."""
        counts = self.counts
        return SideWeights(
            counts.weigh(side.terms, side.size, counts.terms),
            counts.weigh(side.words, side.size, counts.words),
            counts.weigh(side.numbers, side.size, counts.numbers),
        )

    def probability(
        self, state: StoryState, cosine: float, side: Side, gap: timedelta | None, weighted: SideWeights, floor: float
    ) -> float | None:
        """The scorer's probability that ``side`` belongs to ``state``, or None when it is below ``floor``
        whatever the profile cosines not computed yet (the cheap signals first, the content words last).

        The bound is the log-odds of the signals known so far (:meth:`PairScorer.linear`) plus the most each
        cosine still to compute could add (each is within 0..1; 0 when nothing is shared), plus a margin
        far above rounding: by the monotone logistic, no pair it skips could have reached ``floor``.
        """
        assert self.scorer is not None
        counts, other_size, most = self.counts, len(state.article_ids), self.most
        rarest_name, shared_names, name_weight = counts.shared(side.terms, state.terms, counts.terms)
        rarest_number, shared_numbers, _ = counts.shared(side.numbers, state.numbers, counts.numbers)
        days = None if gap is None else gap / timedelta(days=1)
        same_outlet = side.outlet is not None and side.outlet in state.outlets
        known = pair_features(cosine, 0.0, 0.0, 0.0, days, same_outlet, other_size, rarest_name, rarest_number,
                              shared_names, name_weight)
        z = self.offset + sum(map(operator.mul, self.coefficients, known)) + _MARGIN
        still = most[_WORDS] + (most[_NAMES] if shared_names else 0.0) + (most[_NUMBERS] if shared_numbers else 0.0)
        if logistic(z + still) < floor:
            return None
        names = counts.overlap_weighted(weighted.names, state.terms, other_size, counts.terms) if shared_names else 0.0
        numbers = 0.0
        if shared_numbers:
            numbers = counts.overlap_weighted(weighted.numbers, state.numbers, other_size, counts.numbers)
        z += self.coefficients[_NAMES] * names + self.coefficients[_NUMBERS] * numbers
        if logistic(z + most[_WORDS]) < floor:
            return None
        words = counts.overlap_weighted(weighted.words, state.words, other_size, counts.words)
        return self.scorer.probability(pair_features(
            cosine, names, words, numbers, days, same_outlet, other_size, rarest_name, rarest_number, shared_names,
            name_weight,
        ))

    def within_window(self, candidates: Candidates, side: Side) -> Iterator[tuple[StoryState, float, timedelta | None]]:
        """The candidates whose coverage is within ``window`` of the side's (or undated), with that gap."""
        for state, cosine in candidates:
            gap = state.gap(side.first, side.last)
            if gap is None or gap <= self.options.window:
                yield state, cosine, gap

    def features(self, state: StoryState, cosine: float, side: Side, gap: timedelta | None) -> tuple[float, ...]:
        """The learned scorer's features of ``side`` against the story ``state``."""
        counts, size, other_size = self.counts, side.size, len(state.article_ids)
        rarest_name, shared_names, name_weight = counts.shared(side.terms, state.terms, counts.terms)
        rarest_number, _, _ = counts.shared(side.numbers, state.numbers, counts.numbers)
        return pair_features(
            cosine,
            counts.overlap(side.terms, size, state.terms, other_size, counts.terms),
            counts.overlap(side.words, size, state.words, other_size, counts.words),
            counts.overlap(side.numbers, size, state.numbers, other_size, counts.numbers),
            None if gap is None else gap / timedelta(days=1),
            side.outlet is not None and side.outlet in state.outlets,
            other_size,
            rarest_name,
            rarest_number,
            shared_names,
            name_weight,
        )

    def _best_by_rule(
        self, candidates: Candidates, side: Side, threshold: float
    ) -> tuple[StoryState | None, float | None]:
        """The best candidate by the hand-set rule (see ``GroupingOptions``) scoring at least ``threshold``."""
        opts, counts = self.options, self.counts
        best: StoryState | None = None
        best_score: float | None = None
        for state, cosine in candidates:
            if cosine + opts.term_weight + opts.word_weight < threshold:
                break  # candidates come best first: no term overlap can lift the rest
            gap = state.gap(side.first, side.last)
            if gap is not None and gap > opts.window:
                continue
            other_size = len(state.article_ids)
            names = counts.overlap(side.terms, side.size, state.terms, other_size, counts.terms)
            score = cosine + opts.term_weight * names
            if gap is not None:
                score -= opts.time_penalty * gap / timedelta(days=1)
            # Shared vocabulary counts only between sides that share a name (or where one side names
            # no one): two strikes in two cities the same week are worded alike but are two stories.
            if opts.word_weight and (names > 0 or not side.terms or not state.terms):
                score += opts.word_weight * counts.overlap(side.words, side.size, state.words, other_size, counts.words)
            if score >= threshold and (best_score is None or score > best_score):
                best, best_score = state, score
        return best, best_score
