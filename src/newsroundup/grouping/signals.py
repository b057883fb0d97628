"""What grouping needs of one article: its embedded lead, names, content words and a sane date."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import numpy as np
import numpy.typing as npt

from newsroundup.grouping.vectors import DEFAULT_BACKEND, Backend, embed
from newsroundup.model import Article
from newsroundup.text.keyterms import content_words, key_terms
from newsroundup.text.sentences import split_sentences

LEAD_SENTENCES = 2
FUTURE_MARGIN = timedelta(days=1)  # how far past its fetch time an article's date may lie
WORDS_PER_ARTICLE = 40  # the most frequent content words of an article kept for grouping
MAX_TOKENS = 128  # the length all-MiniLM-L6-v2 was trained on; a title and two sentences rarely exceed it
NUMBER_CHARS = 3000  # numbers are read from the title and the start of the text (page furniture comes later)


@dataclass(frozen=True, slots=True)
class ArticleSignals:
    """What grouping needs of one article: its embedding, key terms, content words and date."""

    id: str
    vector: npt.NDArray[np.float32]
    terms: frozenset[str]
    published: datetime | None = None
    words: frozenset[str] = frozenset()
    numbers: frozenset[str] = frozenset()  # ages, counts, block numbers: what tells two same-kind events apart
    outlet: str | None = None
    copy_of: str | None = None  # the original this article is a wire copy of: it joins the original's story


def grouping_text(article: Article, sentences: int = LEAD_SENTENCES) -> str:
    """The text embedded for grouping: the title and the first ``sentences`` sentences."""
    spans = split_sentences(article.text)[:sentences]
    lead = article.text[spans[0].start : spans[-1].end] if spans else article.text[:1000]
    title = (article.title or "").strip()
    if title and not lead.startswith(title):
        return f"{title}. {lead}" if title[-1] not in ".!?" else f"{title} {lead}"
    return lead


def article_signals(
    articles: Sequence[Article],
    backend: Backend = DEFAULT_BACKEND,
    sentences: int = LEAD_SENTENCES,
    batch_size: int = 32,
    now: datetime | None = None,
) -> list[ArticleSignals]:
    """Embed (batched) and extract key terms for ``articles``, ready for ``StoryIndex.add`` (grouping/stories.py)."""
    texts = [grouping_text(article, sentences) for article in articles]
    vectors = embed(texts, backend=backend, batch_size=batch_size, max_tokens=MAX_TOKENS)
    return [
        ArticleSignals(
            a.id,
            vectors[i],
            key_terms(full := f"{a.title or ''}\n{a.text}"),
            grouping_date(a, now),
            content_words(full, WORDS_PER_ARTICLE),
            numbers_of(full[:NUMBER_CHARS]),
            a.outlet,
            a.syndicated_from,
        )
        for i, a in enumerate(articles)
    ]


def grouping_date(article: Article, now: datetime | None) -> datetime | None:
    """The publication time grouping uses: no later than a day after the article was fetched.

    A date in the future (a typo such as 2099) would otherwise make every active story look weeks
    old and retire them all. The bound is the fetch time, or ``now`` (the caller's clock: a stage
    never reads one) when the fetch time is not known; with neither, the date is taken as given.
    Early dates are left alone: they can only keep an article out of stories, not move others, and
    old articles are legitimately added late.
    """
    published = article.published
    if published is None:
        return None
    published = published if published.tzinfo else published.replace(tzinfo=UTC)
    seen = article.fetched_at or now
    if seen is None:
        return published
    latest = (seen if seen.tzinfo else seen.replace(tzinfo=UTC)) + FUTURE_MARGIN
    return min(published, latest)


_NUMBER = re.compile(r"(?<![\d.,:/$])(\d{1,6})(?![\d:/]|[.,]\d)")
_NUMBER_WORDS = {
    word: str(n)
    for n, word in enumerate(
        "two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
        "seventeen eighteen nineteen twenty".split(),
        start=2,
    )
}
_NUMBER_WORD = re.compile(r"\b(" + "|".join(_NUMBER_WORDS) + r")\b", re.IGNORECASE)


def numbers_of(text: str) -> frozenset[str]:
    """The whole numbers of ``text`` (ages, counts, block numbers; "three" as "3"), as strings.

    Decimals, times (10:30) and dates written with slashes are left out; leading zeros are dropped.
    """
    found = {str(int(match.group(1))) for match in _NUMBER.finditer(text)}
    found.update(_NUMBER_WORDS[match.group(1).lower()] for match in _NUMBER_WORD.finditer(text))
    return frozenset(found)
