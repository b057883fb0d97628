"""Date expressions resolved against the publication date: weekdays, yesterday, last year, March 13."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from newsroundup.text.dates import find_dates, resolve_relative

THURSDAY = datetime(2024, 3, 14, 9, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("expression", "when", "precision"),
    [
        ("on Friday", date(2024, 3, 8), "day"),
        ("late Wednesday", date(2024, 3, 13), "day"),
        ("on Thursday", date(2024, 3, 14), "day"),
        ("last Thursday", date(2024, 3, 7), "day"),
        ("next Monday", date(2024, 3, 18), "day"),
        ("yesterday", date(2024, 3, 13), "day"),
        ("tomorrow", date(2024, 3, 15), "day"),
        ("two days ago", date(2024, 3, 12), "day"),
        ("last year", date(2023, 1, 1), "year"),
        ("last month", date(2024, 2, 1), "month"),
        ("last week", date(2024, 3, 4), "week"),
        ("on March 13", date(2024, 3, 13), "day"),
        ("13 March 2023", date(2023, 3, 13), "day"),
        ("in November", date(2023, 11, 1), "month"),
        ("Nov. 2021", date(2021, 11, 1), "month"),
        ("since 2021", date(2021, 1, 1), "year"),
    ],
)
def test_expressions_resolve_against_the_publication_date(
    expression: str, when: date, precision: str
) -> None:
    assert resolve_relative(expression, THURSDAY) == (when, precision)


def test_a_weekday_in_a_future_clause_is_the_next_one() -> None:
    text = "The exchange will begin on Sunday. Talks ended on Sunday."
    found = find_dates(text, THURSDAY)
    assert [(d.text, d.when) for d in found] == [
        ("on Sunday", date(2024, 3, 17)),
        ("on Sunday", date(2024, 3, 10)),
    ]


def test_mentions_point_at_their_text() -> None:
    text = "The dam, built in 1968, failed late Wednesday, officials said yesterday."
    for mention in find_dates(text, THURSDAY):
        assert text[mention.start : mention.end] == mention.text
    assert [m.text for m in find_dates(text, THURSDAY)] == ["in 1968", "late Wednesday", "yesterday"]


def test_numbers_that_are_not_dates_are_left_alone() -> None:
    assert find_dates("At least 41 people died and 8,000 fled; the vote was 7-4.", THURSDAY) == []


def test_a_forecast_weekday_is_in_the_future() -> None:
    from datetime import UTC, date, datetime

    from newsroundup.text.dates import find_dates

    text = "The weather service forecast another 80 millimeters of rain for the region through Thursday."
    found = find_dates(text, datetime(2026, 3, 10, 18, tzinfo=UTC), 0, len(text))
    assert [m.when for m in found] == [date(2026, 3, 12)]


def test_an_agreed_meeting_is_in_the_future() -> None:
    from datetime import UTC, date, datetime

    from newsroundup.text.dates import find_dates

    text = "The conciliator said both sides had agreed to meet again on Thursday."
    found = find_dates(text, datetime(2026, 4, 8, 20, tzinfo=UTC), 0, len(text))
    assert [m.when for m in found] == [date(2026, 4, 9)]
