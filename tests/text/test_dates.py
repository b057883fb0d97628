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
def test_expressions_resolve_against_the_publication_date(expression: str, when: date, precision: str) -> None:
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


def test_a_future_weekday_named_on_that_day_is_that_day() -> None:
    # The ferry story: Tuesday's paper said extra sailings "would run on Tuesday and Wednesday";
    # Tuesday was dated a week later (2026-04-21).
    text = "Bellweather Ferries said it would run two extra sailings on Tuesday and Wednesday."
    tuesday = datetime(2026, 4, 14, 13, 25, tzinfo=UTC)
    assert [(m.text, m.when) for m in find_dates(text, tuesday)] == [
        ("on Tuesday", date(2026, 4, 14)),
        ("Wednesday", date(2026, 4, 15)),
    ]
    assert [m.when for m in find_dates("The vote is next Tuesday.", tuesday)] == [date(2026, 4, 21)]


def test_future_words_in_quoted_speech_or_another_clause_do_not_reach_the_date() -> None:
    friday = datetime(2026, 3, 13, 7, tzinfo=UTC)
    quoted = "“We will close it,” the secretary told parliament on Thursday."
    assert [m.when for m in find_dates(quoted, friday)] == [date(2026, 3, 12)]
    clauses = "Doctors will strike from Sunday after talks collapsed on Thursday."
    assert [m.when for m in find_dates(clauses, friday)] == [date(2026, 3, 15), date(2026, 3, 12)]


def test_a_month_without_a_year_is_the_nearest_one() -> None:
    april = datetime(2026, 4, 12, tzinfo=UTC)
    assert resolve_relative("in May", april) == (date(2026, 5, 1), "month")
    assert resolve_relative("in November", april) == (date(2025, 11, 1), "month")
    assert resolve_relative("since May", april) == (date(2025, 5, 1), "month")
    assert resolve_relative("by March", april) == (date(2027, 3, 1), "month")


def test_old_years_after_a_month_are_read_whole() -> None:
    text = "The steamer sank in November 1887; it left port on November 19, 1887."
    found = find_dates(text, datetime(2026, 4, 12, tzinfo=UTC))
    assert [(m.text, m.when, m.precision) for m in found] == [
        ("November 1887", date(1887, 11, 1), "month"),
        ("November 19, 1887", date(1887, 11, 19), "day"),
    ]


def test_a_day_earlier_counts_from_the_day_named_in_its_sentence() -> None:
    text = (
        "The company told the court on Wednesday that it owed more than it had disclosed a day earlier. "
        "The checkpoint had asked for help two days earlier."
    )
    found = find_dates(text, datetime(2023, 10, 5, tzinfo=UTC))
    assert [(m.text, m.when) for m in found] == [
        ("on Wednesday", date(2023, 10, 4)),
        ("a day earlier", date(2023, 10, 3)),
    ]  # the second has no day of its own to count from: left out, not guessed


def test_a_day_after_an_event_is_not_a_date_of_its_own() -> None:
    text = "Customers said on Wednesday they had waited an hour, a day after the breach was revealed."
    found = find_dates(text, datetime(2026, 4, 15, tzinfo=UTC))
    assert [m.text for m in found] == ["on Wednesday"]


WEDNESDAY_1989 = date(1989, 11, 1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Last year, profit fell.", [("Last year", "1988-01-01", "year")]),
        ("Yesterday it closed higher.", [("Yesterday", "1989-10-31", "day")]),
        ("The plan was approved last April.", [("last April", "1989-04-01", "month")]),
        ("He stepped down in March for health reasons.", [("in March", "1989-03-01", "month")]),
        ("The dividend is payable Jan. 2 to holders.", [("Jan. 2", "1990-01-02", "day")]),
        ("Sales rose from a year earlier.", [("a year earlier", "1988-01-01", "year")]),
        (
            "Earnings will be diluted in both 1990 and 1991.",
            [("1990", "1990-01-01", "year"), ("1991", "1991-01-01", "year")],
        ),
        ("Atlanta, nineteen ninety-six.", [("nineteen ninety-six", "1996-01-01", "year")]),
        ("Republican sources said Monday the talks will resume.", [("Monday", "1989-10-30", "day")]),
    ],
)
def test_dates_of_business_and_wire_news(text: str, expected: list[tuple[str, str, str]]) -> None:
    found = find_dates(text, WEDNESDAY_1989)
    assert [(m.text, m.when.isoformat(), m.precision) for m in found] == expected


@pytest.mark.parametrize(
    "text",
    [
        "About 2000 troops arrived and 1,988 people fled.",
        "The glassmakers kept their secrets for more than two thousand years.",
        'Baker said on ABC\'s "This Week" that talks go on.',
        "Orangemen march each July to the church.",
        "A coordinated plan to battle IS over the next year was agreed.",
        "He is 52 years old and has waited for two weeks.",
        "The storm hit at 1830 GMT.",
    ],
)
def test_counts_titles_spans_and_ages_are_not_dates(text: str) -> None:
    assert find_dates(text, WEDNESDAY_1989) == []


def test_a_dateline_date_is_the_day_of_the_report_whatever_the_tense() -> None:
    text = "WASHINGTON, Jan. 5 (AP) — The Senate voted on the bill."
    assert [m.when for m in find_dates(text, date(1990, 1, 6))] == [date(1990, 1, 5)]
    later = "Davos, Jan 23: the minister said the coalition had met."
    assert [m.when for m in find_dates(later, date(2016, 1, 24))] == [date(2016, 1, 23)]


def _values(text: str, published: datetime | date) -> list[tuple[str, date, str]]:
    return [(m.text, m.when, m.precision) for m in find_dates(text, published)]


def test_the_following_year_counts_from_the_date_named_last() -> None:
    text = "On May 22, 1995, Farkas was made a general, and the following year he was appointed attache."
    assert _values(text, date(1998, 4, 18))[-1] == ("the following year", date(1996, 1, 1), "year")


def test_the_following_month_counts_from_a_month_named_in_an_earlier_paragraph() -> None:
    text = "In March, the company received an offer.\n\nThe following month, the company put itself up for sale."
    assert _values(text, date(1989, 10, 27))[-1] == ("The following month", date(1989, 4, 1), "month")


def test_the_previous_weekday_is_the_one_before_the_date_named_last() -> None:
    text = "Shares closed lower Friday. The index was down 4.5% from the previous Friday."
    assert _values(text, date(1989, 10, 30))[-1] == ("the previous Friday", date(1989, 10, 20), "day")


def test_that_day_and_the_next_day_need_a_day_to_count_from() -> None:
    text = "The gunman was cornered on March 13. Police killed him the next day. Officers said that day was long."
    found = _values(text, date(2013, 3, 18))
    # "that day" is the day named last: the next day's
    assert found[1:] == [("the next day", date(2013, 3, 14), "day"), ("that day", date(2013, 3, 14), "day")]
    # no day named before: "that day" and "the following year" are left unresolved, not guessed
    assert _values("Nobody knew what that day would bring, nor the following year.", date(2013, 3, 18)) == []
    # a year is too coarse to date "that day"
    assert _values("In 1995 he left. That day was sad.", date(2013, 3, 18)) == [("In 1995", date(1995, 1, 1), "year")]


def test_the_end_of_this_year_or_month_is_a_period_of_publication() -> None:
    published = date(1989, 10, 26)
    assert _values("It plans to cut 6,000 jobs by year end.", published) == [("year end", date(1989, 1, 1), "year")]
    assert _values("Troops should be in place by the end of the month.", published) == [
        ("the end of the month", date(1989, 10, 1), "month")
    ]
    assert _values("Use was delayed earlier in the year by rains.", published)[0][1:] == (date(1989, 1, 1), "year")
    # "since year-end" starts a span at a day the text does not give; a year-end bonus is no date
    assert _values("The change is since year-end. He got a year-end bonus.", published) == []


def test_spans_are_marked_not_dropped() -> None:
    text = "Prices have risen since 2014. Hate groups grew over the past year. Staff were fired from 2011 to 2016."
    found = find_dates(text, date(2016, 9, 20))
    assert [(m.text, m.span) for m in found] == [
        ("since 2014", True),
        ("past year", True),
        ("from 2011", True),
        ("2016", True),
    ]
    assert [m.span for m in find_dates("The bridge opened in 2014 and closed on Friday.", date(2016, 9, 20))] == [
        False,
        False,
    ]


def test_a_year_after_a_verb_or_in_a_name_or_copyright() -> None:
    published = date(1998, 4, 18)
    assert _values("1990 was a bad year; the year two thousand has them in a frenzy.", published) == [
        ("1990", date(1990, 1, 1), "year"),
        ("two thousand", date(2000, 1, 1), "year"),
    ]
    assert _values("He set up a venture called Orion 1980, making parts. Copyright 1998 AP.", published) == []
    assert _values("For 1988, BellSouth earned $1.7 billion.", published) == [("1988", date(1988, 1, 1), "year")]


def test_names_and_counts_that_look_like_days_are_not_dates() -> None:
    published = date(2016, 9, 26)
    assert _values("A reporter for USA Today spotted her. The people of tomorrow will choose.", published) == []
    assert _values("Seventy-four years ago, a battle was fought here.", published) == []
    assert _values("Now for today's quiz.", published) == [("today", date(2016, 9, 26), "day")]


def test_a_year_later_needs_an_event_in_its_sentence() -> None:
    assert _values("A little more than a year later, in Paris, they agreed.", date(2016, 9, 8)) == []
    text = "He was elected in 2008 and a year later he won the prize."
    assert _values(text, date(2016, 9, 8))[-1] == ("a year later", date(2009, 1, 1), "year")


def test_a_weekday_right_after_said_is_the_day_of_the_telling() -> None:
    text = "Sununu tried to hold on to his job by showing support, sources said Monday."
    assert _values(text, date(1991, 12, 3)) == [("Monday", date(1991, 12, 2), "day")]


def test_last_week_in_a_sunday_paper_is_the_week_just_gone() -> None:
    # Sunday 22 March 1998: the week of Monday 16 to Saturday 21 March
    assert _values("He met the president last week.", date(1998, 3, 22)) == [("last week", date(1998, 3, 16), "week")]


def test_a_relative_clause_keeps_its_own_tense() -> None:
    text = "His remarks carried a tone aimed at voters who Democrats are counting on on Nov. 8."
    assert _values(text, date(2016, 9, 19)) == [("Nov. 8", date(2016, 11, 8), "day")]


def test_quarters_of_business_results_and_seasons_with_a_time_word() -> None:
    published = date(1989, 10, 26)
    assert _values("Third-quarter profit rose 11% at the bank.", published) == [
        ("Third-quarter", date(1989, 7, 1), "quarter")
    ]
    assert _values("The company expects a fourth-quarter charge.", published) == [
        ("fourth-quarter", date(1989, 10, 1), "quarter")
    ]
    assert _values("Net rose in the 1988 second quarter.", published) == [
        ("1988 second quarter", date(1988, 4, 1), "quarter")
    ]
    assert _values("Sales for this year's third quarter were $14 million.", published)[0][1:] == (
        date(1989, 7, 1),
        "quarter",
    )
    # a quarter of a game, a fiscal quarter (not the calendar's) and prices that fall are no dates
    assert _values("The Lakers scored 12 points in the fourth quarter.", published) == []
    assert _values("Its fiscal first quarter results were weak.", published) == []
    assert _values("Prices fall sharply. The fall of the Wall was a shock.", published) == []
    assert _values("The strike began last spring.", published) == [("last spring", date(1989, 3, 1), "season")]
    assert _values("In the fall of 2010, the party won.", published) == [
        ("In the fall of 2010", date(2010, 9, 1), "season")
    ]


def test_a_season_last_is_the_latest_one_over() -> None:
    # written in February 1998: last fall is 1997's, this summer 1998's
    published = date(1998, 2, 6)
    assert _values("Hiring began last fall.", published) == [("last fall", date(1997, 9, 1), "season")]
    assert _values("They will march this summer.", published) == [("this summer", date(1998, 6, 1), "season")]


def test_through_looks_ahead_only_to_a_weekday() -> None:
    assert _values("The exhibition runs through Sunday.", date(2016, 9, 22)) == [("Sunday", date(2016, 9, 25), "day")]
    text = "Donations hit $1.1 billion through the end of August, an analysis found."
    assert _values(text, date(2016, 9, 22)) == [("of August", date(2016, 8, 1), "month")]


def test_later_in_the_day_is_the_day_named_last_or_the_day_of_publication() -> None:
    text = "The president spoke in Washington on Tuesday. He arrived in Philadelphia later in the day."
    assert _values(text, date(1998, 2, 13))[-1] == ("later in the day", date(1998, 2, 10), "day")
    assert _values("He arrived in Philadelphia later in the day.", date(1998, 2, 13)) == [
        ("later in the day", date(1998, 2, 13), "day")
    ]


def test_a_weekday_of_every_week_is_no_date() -> None:
    text = "The ferry will sail on Monday and Wednesday mornings from June 2, with a third crossing each Friday."
    assert _values(text, date(2015, 4, 9)) == [("June 2", date(2015, 6, 2), "day")]
    assert _values("The market opens every Saturday.", date(2015, 4, 9)) == []


def test_this_coming_weekday_and_a_day_written_as_an_ordinal() -> None:
    # written on a Thursday: "this coming Saturday" is two days on, and one date with the day that follows it
    assert _values("The race is this coming Saturday, May ninth.", date(2015, 5, 7)) == [
        ("this coming Saturday, May ninth", date(2015, 5, 9), "day")
    ]
    assert _values("Polls close on the twenty-first of June.", date(2015, 5, 7)) == [
        ("twenty-first of June", date(2015, 6, 21), "day")
    ]
    assert _values("Polls close on June the twenty-first.", date(2015, 5, 7)) == [
        ("June the twenty-first", date(2015, 6, 21), "day")
    ]
    in_march = [("in March", date(2015, 3, 1), "month")]
    assert _values("Sales in March first-half figures fell.", date(2015, 5, 7)) == in_march


def test_a_weekday_and_its_day_of_the_month_are_one_date() -> None:
    assert _values("The summit opened on Monday, 4th May, in Riga.", date(2015, 5, 7)) == [
        ("on Monday, 4th May", date(2015, 5, 4), "day")
    ]
    assert _values("It closed Friday. March 3 was quiet.", date(2015, 5, 7)) == [
        ("Friday", date(2015, 5, 1), "day"),
        ("March 3", date(2015, 3, 3), "day"),
    ]


def test_the_current_or_full_year_of_results_and_a_fiscal_year() -> None:
    text = "The firm expects profit for the full year to beat fiscal 2014 results of $3 million."
    assert _values(text, date(2015, 5, 7)) == [
        ("the full year", date(2015, 1, 1), "year"),
        ("fiscal 2014", date(2014, 1, 1), "year"),
    ]
    assert _values("Sales in the current fiscal year will rise.", date(2015, 5, 7)) == [
        ("the current fiscal year", date(2015, 1, 1), "year")
    ]
    assert _values("Profit for the full year ended June 30 fell.", date(2015, 5, 7)) == [
        ("June 30", date(2014, 6, 30), "day")
    ]
    assert _values("Tax was $2 million in the year-earlier quarter.", date(2015, 5, 7)) == []
