"""Coherence defects of plain-text summaries: dangling openings, near-duplicate sentences, datelines."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations
from typing import Any

from newsroundup.text.clean import content_start
from newsroundup.text.discourse import opens_dangling
from newsroundup.text.sentences import split_sentences

# Two sentences of one summary are near-duplicates when the cosine similarity of their stemmed
# content-word count vectors reaches this: they state largely the same thing in largely the same words.
NEAR_DUPLICATE_COSINE = 0.6
_TOKEN = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True, slots=True)
class Coherence:
    """Counts of coherence defects over all sentences of a system's summaries."""

    sentences: int = 0
    dangling: int = 0
    unresolved: int = 0
    pairs: int = 0
    near_duplicate_pairs: int = 0
    datelines: int = 0

    @property
    def dangling_share(self) -> float:
        """Share of sentences opening with a pronoun or connective that needs an earlier sentence."""
        return self.dangling / self.sentences if self.sentences else 0.0

    @property
    def unresolved_share(self) -> float:
        """Share of sentences whose opening pronoun or connective has no referent before it."""
        return self.unresolved / self.sentences if self.sentences else 0.0

    @property
    def near_duplicate_share(self) -> float:
        """Share of same-summary sentence pairs that are near-duplicates."""
        return self.near_duplicate_pairs / self.pairs if self.pairs else 0.0


def summary_sentences(summary: str, words: int | None = None) -> list[str]:
    """The sentences of a plain-text summary: its lines, split further where a line holds several.

    With ``words``, only the sentences that begin within the first ``words`` words: what ROUGE's
    ``-l`` cut leaves of a summary that is longer than the budget.
    """
    sentences = []
    used = 0
    for span in split_sentences(summary):
        if words is not None and used >= words:
            break
        sentence = summary[span.start : span.end]
        sentences.append(sentence)
        used += len(sentence.split())
    return sentences


@lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    """ROUGE's SMART stopword list (what ``-s`` removes), read from the ROUGE package."""
    from newsroundup.evaluate.rouge import rouge_home

    path = rouge_home() / "data" / "smart_common_words.txt"
    return frozenset(path.read_text(encoding="utf-8").split())


@lru_cache(maxsize=1)
def _stemmer() -> Any:
    """The original Porter stemmer, which ROUGE ``-m`` also uses."""
    from nltk.stem.porter import PorterStemmer

    return PorterStemmer(mode=PorterStemmer.ORIGINAL_ALGORITHM)


def content_stems(sentence: str) -> Counter[str]:
    """Porter stems of the sentence's words that are not stopwords, with their counts."""
    stemmer = _stemmer()
    stop = _stopwords()
    tokens = (t for t in _TOKEN.findall(sentence.lower()) if t not in stop)
    return Counter(stemmer.stem(t) for t in tokens)


def cosine(a: Counter[str], b: Counter[str]) -> float:
    """Cosine similarity of two count vectors (0 when either is empty)."""
    dot = sum(count * b[word] for word, count in a.items())
    norm = math.sqrt(sum(c * c for c in a.values())) * math.sqrt(sum(c * c for c in b.values()))
    return dot / norm if norm else 0.0


def near_duplicate(a: str, b: str) -> bool:
    """True when two sentences' stemmed content words have cosine similarity >= 0.6."""
    return cosine(content_stems(a), content_stems(b)) >= NEAR_DUPLICATE_COSINE


def coherence_of(
    summaries: Iterable[str],
    words: int | None = None,
    documents: Iterable[Sequence[str]] | None = None,
) -> Coherence:
    """Coherence defect counts over every sentence and same-summary sentence pair of ``summaries``.

    With ``words``, a summary's sentences after its first ``words`` words are left out (see
    ``summary_sentences``). A dateline is counted, then skipped for the other measures. An opening
    pronoun or connective counts as dangling; it counts as unresolved too unless ``documents``
    (the source texts of each summary, in the same order) show that the summary sentence before
    it is the sentence right before it in the same source, which supplies its referent. The
    check is by text, so it treats extracted sentences of any system alike.
    """
    sentences = dangling = unresolved = pairs = duplicates = datelines = 0
    sources = iter(documents) if documents is not None else None
    for summary in summaries:
        found = summary_sentences(summary, words)
        docs = [" ".join(d.split()) for d in next(sources)] if sources is not None else []
        starts = [content_start(s) for s in found]
        bodies = [s[start:] for s, start in zip(found, starts, strict=True)]
        sentences += len(found)
        datelines += sum(start > 0 for start in starts)
        for i, body in enumerate(bodies):
            if opens_dangling(body):
                dangling += 1
                unresolved += not (i and follows_in_source(found[i - 1], found[i], docs))
        stems = [content_stems(body) for body in bodies]
        for a, b in combinations(stems, 2):
            pairs += 1
            duplicates += cosine(a, b) >= NEAR_DUPLICATE_COSINE
    return Coherence(sentences, dangling, unresolved, pairs, duplicates, datelines)


def follows_in_source(previous: str, sentence: str, documents: Sequence[str]) -> bool:
    """True when ``sentence`` comes right after ``previous`` (only white space between) in a document.

    ``documents`` must have their white space folded to single spaces.
    """
    before, after = " ".join(previous.split()), " ".join(sentence.split())
    for doc in documents:
        at = doc.find(before)
        while at != -1:
            if doc[at + len(before) :].lstrip().startswith(after):
                return True
            at = doc.find(before, at + 1)
    return False
