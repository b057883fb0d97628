"""Extract an article (body text and metadata) from an HTML page with trafilatura."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from newsroundup.model import Article
from newsroundup.settings import Extraction
from newsroundup.text.clean import clean_body
from newsroundup.text.dates import parse_iso_datetime

# Publication dates from markup only, to the second: a guess from the page text ("© 2026") is
# worse than no date, since dates decide which copy of a wire story is the original.
_DATE_SEARCH = {"extensive_search": False, "original_date": True, "outputformat": "%Y-%m-%dT%H:%M:%S%z"}


def extract_document(html: str, url: str | None = None, extraction: Extraction = "default") -> Any:
    """trafilatura's extraction of a page (body text and metadata) with our settings, or None."""
    import trafilatura

    return trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        favor_precision=extraction == "precision",
        favor_recall=extraction == "recall",
        fast=extraction == "fast",
        date_extraction_params=_DATE_SEARCH,
    )


def article_from_html(
    html: str, article_id: str, url: str | None, *, extraction: Extraction = "default"
) -> Article | None:
    """Return the page's article, or None when the page holds no article text."""
    doc = extract_document(html, url, extraction)
    if doc is None:
        return None
    title = getattr(doc, "title", None) or None
    body = _without_headline(clean_body(getattr(doc, "text", None) or ""), title)
    if not body:
        return None
    return Article(
        id=article_id,
        text=body,
        url=getattr(doc, "url", None) or url,
        outlet=getattr(doc, "sitename", None) or None,
        title=title,
        published=_parse_date(getattr(doc, "date", None)),
        language=getattr(doc, "language", None) or None,
        author=getattr(doc, "author", None) or None,
    )


def _without_headline(body: str, title: str | None) -> str:
    """The body without a first line that only repeats the headline (kept from the page's h1)."""
    first, _, rest = body.partition("\n")
    if title and " ".join(first.split()).casefold() == " ".join(title.split()).casefold():
        return rest.lstrip("\n")
    return body


def _parse_date(value: str | None) -> datetime | None:
    """Parse trafilatura's ISO date string; None when missing or malformed."""
    if not value:
        return None
    try:
        return parse_iso_datetime(value)
    except ValueError:
        return None
