"""Enrichment of a finished roundup: key quotes, who's who, timeline and disagreements, all cited."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from newsroundup.model import Article, Roundup
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
