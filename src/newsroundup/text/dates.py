"""Dates in articles: parsing publication dates (and, with the timeline, resolving relative ones)."""

from __future__ import annotations

from datetime import UTC, datetime


def parse_iso_datetime(value: str) -> datetime:
    """Parse an ISO 8601 date or datetime; a value without a zone is taken as UTC.

    Raises ``ValueError`` for anything that is not ISO 8601.
    """
    parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
