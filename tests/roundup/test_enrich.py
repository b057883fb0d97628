"""Enrichment of a finished roundup: key quotes, who's who, timeline and disagreements, all cited."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from newsroundup.annotate.quotemarks import find_quotations
from newsroundup.model import Article, Roundup
from newsroundup.roundup.checker import roundup_problems
from newsroundup.roundup.enrich import enrich_roundup, find_disagreements


def _empty_roundup() -> Roundup:
    return Roundup(story="s", headline="Headline", sentences=(), sources=(), method="test", version="0")


@pytest.fixture(scope="module")
def dam(stories: dict[str, dict[str, Any]]) -> tuple[list[Article], Roundup]:
    articles = stories["dam"]["articles"]
    return articles, enrich_roundup(_empty_roundup(), articles)


def test_key_quotes_are_verbatim_by_named_speakers_under_one_name(dam: tuple[list[Article], Roundup]) -> None:
    articles, roundup = dam
    texts = {a.id: a.text for a in articles}
    assert 1 <= len(roundup.quotes) <= 5
    names = {e.name for e in roundup.entities}
    for quote in roundup.quotes:
        assert texts[quote.span.article][quote.span.start : quote.span.end] == quote.text
        assert quote.speaker in names
    assert "Pavel Osterhouse" not in {q.speaker for q in roundup.quotes}  # one outlet's misspelling


def test_who_said_what_is_reported_speech_of_named_speakers_verbatim(dam: tuple[list[Article], Roundup]) -> None:
    articles, roundup = dam
    texts = {a.id: a.text for a in articles}
    names = {e.name for e in roundup.entities} | {q.speaker for q in roundup.quotes}
    assert 1 <= len(roundup.statements) <= 8
    per_speaker: dict[str, int] = {}
    for statement in roundup.statements:
        assert statement.kind == "reported" and statement.cue
        assert texts[statement.span.article][statement.span.start : statement.span.end] == statement.text
        assert statement.speaker in names or statement.speaker in {e.name for e in roundup.entities}
        per_speaker[statement.speaker] = per_speaker.get(statement.speaker, 0) + 1
        marks = find_quotations(texts[statement.span.article])
        quoted = sum(max(0, min(statement.span.end, m.end) - max(statement.span.start, m.start)) for m in marks)
        assert quoted * 2 <= len(statement.text), statement.text  # a direct quote is a key quote's business
    assert max(per_speaker.values()) <= 2
    assert roundup_problems(roundup, articles) == []


def test_whos_who_merges_the_misspelled_governor_and_keeps_two_marshes_apart(
    dam: tuple[list[Article], Roundup],
) -> None:
    _, roundup = dam
    by_name = {e.name: e for e in roundup.entities}
    governor = by_name["Pavel Osterhaus"]
    assert "Pavel Osterhouse" in governor.aliases
    assert any(r.startswith("Gov") for r in governor.roles)
    assert "Daniel Marsh" not in by_name["Teodora Marsh"].aliases


def test_timeline_is_dated_ordered_and_cited(dam: tuple[list[Article], Roundup]) -> None:
    articles, roundup = dam
    texts = {a.id: a.text for a in articles}
    whens = [e.when for e in roundup.timeline]
    assert whens == sorted(whens)
    for event in roundup.timeline:
        assert texts[event.source.article][event.source.start : event.source.end] == event.text
    # "gave way late Wednesday" in a Thursday report: the dam failed on March 13.
    assert datetime(2024, 3, 13, tzinfo=UTC) in whens
    # the checker finds each event's date in its span
    assert roundup.timeline
    assert roundup_problems(roundup, articles) == []


def test_a_lower_toll_the_next_day_is_flagged_with_both_citations(dam: tuple[list[Article], Roundup]) -> None:
    articles, roundup = dam
    texts = {a.id: a.text for a in articles}
    killed = [d for d in roundup.disagreements if d.fact == "killed"]
    assert len(killed) == 1
    assert killed[0].values == ("41", "Thirty-seven")
    for value, span in zip(killed[0].values, killed[0].sources, strict=True):
        assert value in texts[span.article][span.start : span.end]


def test_a_toll_rising_a_day_later_is_an_update_not_a_disagreement() -> None:
    first = Article(
        id="a",
        text="At least 12 people were killed in the fire.",
        outlet="One",
        published=datetime(2024, 1, 1, 8, tzinfo=UTC),
    )
    later = Article(
        id="b",
        text="The death toll rose to 19 on Tuesday.",
        outlet="Two",
        published=datetime(2024, 1, 2, 9, tzinfo=UTC),
    )
    same_day = Article(
        id="c",
        text="Officials said 15 people were killed.",
        outlet="Three",
        published=datetime(2024, 1, 1, 10, tzinfo=UTC),
    )
    assert find_disagreements([first, later]) == []
    flagged = find_disagreements([first, same_day])
    assert [(d.fact, d.values) for d in flagged] == [("killed", ("12", "15"))]


def test_the_same_outlet_never_disagrees_with_itself() -> None:
    a = Article(
        id="a",
        text="The project will cost $410 million.",
        outlet="Gazette",
        published=datetime(2024, 1, 1, tzinfo=UTC),
    )
    b = Article(
        id="b",
        text="The project will cost $450 million.",
        outlet="Gazette",
        published=datetime(2024, 1, 2, tzinfo=UTC),
    )
    assert find_disagreements([a, b]) == []
    assert find_disagreements([a, Article(id="c", text=b.text, outlet="Courier", published=b.published)])


def _bridge_story() -> list[Article]:
    day = datetime(2026, 3, 18, 9, tzinfo=UTC)  # a Wednesday
    texts = [
        "The Harlow river bridge was closed to traffic on Tuesday after inspectors found cracks in its "
        "main span. The Harlow river bridge was last repaired in 2019 after floods damaged the main span.",
        "Engineers will begin repairs to the Harlow river bridge next week, the council said on Wednesday. "
        "Cracks in the main span of the Harlow river bridge were first reported in January.",
        "The Harlow river bridge carried 30,000 vehicles a day before it was closed on Tuesday. Inspectors "
        "found cracks in the main span of the Harlow river bridge last year.",
    ]
    return [
        Article(id=f"b{i}", text=t, outlet=f"Outlet {i}", published=day) for i, t in enumerate(texts)
    ]


def test_the_timeline_keeps_weeks_months_and_years_with_their_precision(nlp: object) -> None:
    from newsroundup.roundup.enrich import story_timeline

    events = story_timeline(_bridge_story())
    dated = [(e.when.date().isoformat(), e.precision, e.label) for e in events]
    assert ("2026-03-17", "day", "2026-03-17") in dated  # "on Tuesday"
    assert ("2026-03-23", "week", "week of 2026-03-23") in dated  # "next week"
    assert ("2026-01-01", "month", "January 2026") in dated  # "in January"
    assert ("2025-01-01", "year", "2025") in dated  # "last year"
    assert ("2019-01-01", "year", "2019") in dated
    assert [(e.when, e.precision) for e in events] == sorted(
        ((e.when, e.precision) for e in events), key=lambda w: (w[0], ("day", "week", "month", "year").index(w[1]))
    )


def test_an_aside_about_another_event_is_no_timeline_event(nlp: object) -> None:
    from newsroundup.roundup.enrich import story_timeline

    story = _bridge_story()
    aside = "Separately, a warehouse fire in Dunmore destroyed three delivery trucks on Monday night."
    story[2] = Article(id="b2", text=story[2].text + " " + aside, outlet="Outlet 2", published=story[2].published)
    events = story_timeline(story)
    assert events and not any("warehouse" in e.text for e in events)


def test_timeline_precision_is_rendered_and_read_back() -> None:
    from newsroundup.model import Span, TimelineEvent, roundup_from_json, roundup_to_json
    from newsroundup.render.markdown import render_markdown

    when = datetime(2026, 3, 1, tzinfo=UTC)
    event = TimelineEvent(when, "Cracks were reported in March.", Span("b1", 0, 30), "month")
    roundup = Roundup(
        story="s", headline="H", sentences=(), sources=(), method="test", version="0", timeline=(event,)
    )
    assert roundup_to_json(roundup)["timeline"][0]["precision"] == "month"
    assert roundup_from_json(roundup_to_json(roundup)) == roundup
    assert "- March 2026: Cracks were reported in March." in render_markdown(roundup)


def test_a_span_of_time_dates_no_timeline_event() -> None:
    from newsroundup.roundup.enrich import story_timeline

    a = Article(
        "a",
        "The rail strike closed every station in the region on Monday. Union leaders called the rail strike a warning.",
        outlet="One",
        published=datetime(2016, 1, 21, 9, tzinfo=UTC),
    )
    b = Article(
        "b",
        "The rail strike has closed stations in the region since 2014. "
        "The rail strike will close stations over the next year.",
        outlet="Two",
        published=datetime(2016, 1, 21, 10, tzinfo=UTC),
    )
    events = story_timeline([a, b])
    assert [(e.label, e.source.article) for e in events] == [("2016-01-18", "a")]


def test_timeline_labels_name_the_period() -> None:
    from newsroundup.model import Span, TimelineEvent

    span = Span("a", 0, 1)
    labels = [
        TimelineEvent(datetime(2026, 7, 1, tzinfo=UTC), "x", span, precision).label
        for precision in ("day", "month", "quarter", "year")
    ]
    assert labels == ["2026-07-01", "July 2026", "Q3 2026", "2026"]
    assert TimelineEvent(datetime(2026, 6, 1, tzinfo=UTC), "x", span, "season").label == "summer 2026"
