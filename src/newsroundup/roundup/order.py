"""Put chosen sentences in reading order: the latest development first when the story has one, then
articles by publication time, sentences as written."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from newsroundup.model import Article
from newsroundup.roundup.candidates import Candidate

_NO_DATE = datetime.max.replace(tzinfo=UTC)


def article_order(articles: Sequence[Article]) -> list[int]:
    """Indices of ``articles`` from earliest to latest; undated ones keep their given order, last."""
    return sorted(
        range(len(articles)),
        key=lambda i: (articles[i].published or _NO_DATE, i),
    )


def order_sentences(
    chosen: Sequence[Candidate], articles: Sequence[Article], latest: Sequence[bool] | None = None
) -> list[Candidate]:
    """Chronological by article, then by position in the article.

    Keeping an article's sentences together and in their own order means a sentence chosen with the
    one it leans on ("He said ...") always follows it directly. ``latest`` marks the latest coverage
    of a developing story (``summarize.latest_articles``): when a chosen sentence comes from it, the
    article that states the development earliest in its text (its lede, if chosen) goes first, so a
    roundup whose headline says "Deal ends strike" does not open with "the strike was open-ended";
    the other articles follow in time order.
    """
    rank = {index: r for r, index in enumerate(article_order(articles))}
    news = [c for c in chosen if latest is not None and latest[c.article_index]]
    if news:
        lead = min(news, key=lambda c: (c.position, -rank[c.article_index])).article_index
        rank[lead] = -1
    return sorted(chosen, key=lambda c: (rank[c.article_index], c.position))
