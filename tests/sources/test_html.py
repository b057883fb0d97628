"""Page extraction: body without furniture, metadata, and publication dates only from markup."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from loopback import PARAGRAPHS, article_page
from newsroundup.sources.html import article_from_html

DATED = '<meta property="article:published_time" content="2026-03-03T09:30:00+01:00">'


def test_body_metadata_and_a_dated_page() -> None:
    article = article_from_html(article_page("Bridge closes", PARAGRAPHS, extra_head=DATED), "x", None)
    assert article is not None
    assert article.text.splitlines()[0] == PARAGRAPHS[0]
    assert "cookies" not in article.text and "Related" not in article.text and "©" not in article.text
    assert article.title == "Bridge closes" and article.outlet == "The Marrowby Courier"
    assert article.published == datetime(2026, 3, 3, 9, 30, tzinfo=timezone(timedelta(hours=1)))


def test_no_date_is_guessed_from_the_copyright_line() -> None:
    article = article_from_html(article_page("Bridge closes", PARAGRAPHS), "x", None, extraction="precision")
    assert article is not None and article.published is None
    assert datetime(2026, 1, 1, tzinfo=UTC) != article.published


def test_a_page_without_an_article_gives_none() -> None:
    assert article_from_html("<html><body><nav><a href='/'>Home</a></nav></body></html>", "x", None) is None
