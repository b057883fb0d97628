"""What both store backends write and read alike: times as UTC ISO text, and article rows as ``Article``s."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from newsroundup.model import Article
from newsroundup.text.dates import parse_iso_datetime

# The columns ``article_of_row`` reads, in its order.
ARTICLE_COLUMNS = "id, text, url, outlet, title, published, language, fetched_at, syndicated_from, author, partial"


def iso(when: datetime | None) -> str | None:
    """UTC ISO 8601 text, so that string order is time order."""
    return when.astimezone(UTC).isoformat() if when else None


def when_of(value: object) -> datetime | None:
    """A datetime from stored ISO text (``None`` for NULL or empty)."""
    return parse_iso_datetime(value) if isinstance(value, str) and value else None


def article_of_row(row: Sequence[Any]) -> Article:
    """An ``Article`` from a row of ``ARTICLE_COLUMNS``."""
    return Article(
        id=str(row[0]),
        text=str(row[1]),
        url=_text(row[2]),
        outlet=_text(row[3]),
        title=_text(row[4]),
        published=when_of(row[5]),
        language=_text(row[6]),
        fetched_at=when_of(row[7]),
        syndicated_from=_text(row[8]),
        author=_text(row[9]),
        partial=bool(row[10]),
    )


def _text(value: object) -> str | None:
    """A text column that may be NULL."""
    return None if value is None else str(value)
