"""What both store backends write and read alike: times as UTC ISO text, article rows as ``Article``s, and
what a roundup version is searched and listed by (its search text, its who's who rows)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from newsroundup.model import Article, Roundup
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


def search_text(roundup: Roundup) -> str:
    """What a story is found by, written with each roundup version: its sentences and its who's who names."""
    return " ".join(s.text for s in roundup.sentences) + " " + " ".join(e.name for e in roundup.entities)


# The columns of ``story_entities``: each roundup version's who's who, as the store writes it.
ENTITY_COLUMNS = ("story_id", "version", "position", "name", "kind", "aliases", "roles")


def entity_rows(story_id: str, version: int, roundup: Roundup) -> list[tuple[str, int, int, str, str, str, str]]:
    """The ``ENTITY_COLUMNS`` rows of one roundup version (aliases and roles as JSON arrays)."""
    return [
        (story_id, version, n, e.name, e.kind, json.dumps(list(e.aliases)), json.dumps(list(e.roles)))
        for n, e in enumerate(roundup.entities)
    ]


def strings_of_json(value: object) -> tuple[str, ...]:
    """A stored JSON array of strings as a tuple (anything else: empty)."""
    if not isinstance(value, str):
        return ()
    try:
        items = json.loads(value)
    except ValueError:
        return ()
    return tuple(str(item) for item in items) if isinstance(items, list) else ()
