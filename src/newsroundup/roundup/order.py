"""Put chosen sentences in reading order: articles by publication time, sentences as written."""

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


def order_sentences(chosen: Sequence[Candidate], articles: Sequence[Article]) -> list[Candidate]:
    """Chronological by article, then by position in the article.

    Keeping an article's sentences together and in their own order means a sentence chosen with the
    one it leans on ("He said ...") always follows it directly.
    """
    rank = {index: r for r, index in enumerate(article_order(articles))}
    return sorted(chosen, key=lambda c: (rank[c.article_index], c.position))
