"""Rows both store backends share: times as UTC ISO text that sorts as time, and article rows read back."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from newsroundup.store.rows import article_of_row, iso, when_of


def test_stored_times_sort_as_text_in_time_order_whatever_their_zone() -> None:
    earlier = datetime(2026, 3, 1, 23, 30, tzinfo=timezone(timedelta(hours=-5)))  # 04:30 UTC on the 2nd
    later = datetime(2026, 3, 2, 5, 0, tzinfo=UTC)
    first, second = iso(earlier), iso(later)
    assert first is not None and second is not None and first < second
    assert when_of(iso(earlier)) == earlier
    assert iso(None) is None and when_of(None) is None and when_of("") is None


def test_an_article_row_with_empty_columns_reads_back_with_none() -> None:
    row = ("a1", "The ferry sails again.", None, "Pellham Post", None, "2026-03-01T09:00:00+00:00", None, None,
           None, None, 1)
    article = article_of_row(row)
    assert article.id == "a1" and article.text == "The ferry sails again."
    assert article.url is None and article.title is None and article.fetched_at is None
    assert article.outlet == "Pellham Post"
    assert article.published == datetime(2026, 3, 1, 9, tzinfo=UTC)
    assert article.partial is True
