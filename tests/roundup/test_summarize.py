"""End to end on the bundled example story: cited, coherent, on-topic, within budget."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsroundup import RoundupOptions, check_roundup, summarize
from newsroundup.grouping.copies import mark_copies
from newsroundup.model import Article
from newsroundup.pipeline.load import load_articles
from newsroundup.text.clean import content_start
from newsroundup.text.discourse import opens_dangling


@pytest.fixture(scope="module")
def articles(example_story: Path) -> list[Article]:
    return mark_copies(load_articles([example_story]).articles)


@pytest.mark.parametrize("budget", [50, 100, 200, 400])
def test_every_sentence_checks_out_within_any_budget(articles: list[Article], budget: int) -> None:
    roundup = summarize(articles, RoundupOptions(words=budget))
    check_roundup(roundup, articles, budget)
    assert roundup.sentences
    assert roundup.words <= budget
    if budget >= 100:
        assert roundup.words >= budget * 0.6, "the budget should be mostly used"


def test_no_datelines_furniture_or_off_topic_sentences(articles: list[Article]) -> None:
    roundup = summarize(articles, RoundupOptions(words=400))
    for sentence in roundup.sentences:
        assert content_start(sentence.text) == 0, sentence.text
        assert "PORT AVERLY (CP)" not in sentence.text
        for junk in ("Advertisement", "Share on", "cookies", "newsletter", "Photo:", "All rights reserved"):
            assert junk not in sentence.text
        assert "book club" not in sentence.text, "a sentence from another story slipped in"


def test_no_unresolved_openings(articles: list[Article]) -> None:
    by_id = {a.id: a for a in articles}
    roundup = summarize(articles, RoundupOptions(words=400))
    previous = None
    for sentence in roundup.sentences:
        if opens_dangling(sentence.text) and not sentence.rewritten:
            # allowed only right after the sentence it leans on, from the same article
            assert previous is not None and previous.source.article == sentence.source.article
            between = by_id[sentence.source.article].text[previous.source.end : sentence.source.start]
            assert between.strip() == ""
        previous = sentence


def test_the_wire_copy_is_a_source_but_never_cited(articles: list[Article]) -> None:
    roundup = summarize(articles, RoundupOptions(words=400))
    copy = next(s for s in roundup.sources if s.outlet == "Coastline Gazette")
    original = next(s for s in roundup.sources if s.outlet == "Continental Press")
    assert copy.syndicated_from == original.article
    # six articles: one is a wire copy, two are from the same outlet (Valley Ledger)
    assert roundup.independent_sources == 4
    assert all(s.source.article != copy.article for s in roundup.sentences)


def test_headline_is_the_most_central_source_headline(articles: list[Article]) -> None:
    roundup = summarize(articles)
    assert roundup.headline in {a.title for a in articles}


def test_the_headline_is_the_title_of_what_most_sources_report_not_of_the_longest_angle() -> None:
    main = "The Harlow river bridge was closed on Tuesday after inspectors found cracks in its main span."
    angle = " ".join(
        f"Local {w} owners said {n} customers had stopped coming since the detour began through the {w} district."
        for w, n in [("bakery", "forty"), ("garage", "sixty"), ("florist", "twenty"), ("pharmacy", "ninety"),
                     ("bookshop", "thirty"), ("barber", "fifty"), ("tailor", "seventy"), ("grocer", "eighty")]
    )
    articles = [
        Article("a", main + " Engineers will inspect the main span again next week.", title="Harlow bridge closed"),
        Article("b", main + " The council said repairs to the main span could take a month.", title="Bridge shut"),
        Article("c", main + " " + angle, title="Detour hurts Harlow shops"),
    ]
    assert summarize(articles).headline in {"Harlow bridge closed", "Bridge shut"}


def test_same_input_same_roundup(articles: list[Article]) -> None:
    assert summarize(articles) == summarize(list(articles))


def test_a_single_article_gives_a_roundup_with_a_warning() -> None:
    article = Article(
        "solo",
        "Engineers worked through the night on Tuesday to shore up the failing spillway of the Hollins Dam. "
        "The state water authority said the breach in the spillway was about 30 meters wide by Tuesday evening. "
        "Its chief engineer said the main wall of the dam showed no signs of movement on Tuesday night. "
        "The authority opened the outlet gates of the Hollins Dam fully to lower the reservoir.",
    )
    roundup = summarize([article], RoundupOptions(words=40))
    check_roundup(roundup, [article], 40)
    assert roundup.sentences
    assert any("one independent source" in w for w in roundup.warnings)


def test_headline_without_titles_is_a_self_contained_lead_sentence(articles: list[Article]) -> None:
    from dataclasses import replace

    untitled = [replace(a, title=None) for a in articles]
    roundup = summarize(untitled)
    assert roundup.headline
    assert not opens_dangling(roundup.headline)
    assert any(roundup.headline in a.text for a in untitled)


def test_a_developing_story_says_where_it_stands_now() -> None:
    from datetime import UTC, datetime

    start = "Ferry crews on the Salvin Islands route walked out on Monday, halting every sailing to the islands."
    early = [
        Article(
            f"early-{n}",
            f"{start} The Maritime and Harbour Workers Union said the strike over pay and rest periods was "
            f"open-ended. Bellweather Ferries said it had offered crews a 4 percent raise. Report {n}.",
            title=f"Ferry crews walk out ({n})",
            outlet=f"Outlet {n}",
            published=datetime(2026, 4, 6 + n, 9, tzinfo=UTC),
        )
        for n in range(3)
    ]
    latest = Article(
        "deal",
        "The ferry strike ended on Monday night when Bellweather Ferries and the union agreed a 7 percent raise. "
        "Sailings to the Salvin Islands resume on Tuesday morning.",
        title="Deal ends Salvin ferry strike",
        outlet="Harbor Times",
        published=datetime(2026, 4, 13, 21, tzinfo=UTC),
    )
    articles = [*early, latest]
    roundup = summarize(articles, RoundupOptions(words=60))
    check_roundup(roundup, articles, 60)
    assert roundup.headline == "Deal ends Salvin ferry strike"
    assert any(s.source.article == "deal" for s in roundup.sentences)
    assert roundup.sentences[0].source.article == "deal", "the latest development leads"
    rest = [s.source.article for s in roundup.sentences if s.source.article != "deal"]
    assert rest == sorted(rest), "the background follows in time order"


def test_an_undated_or_single_day_story_stays_in_time_order() -> None:
    from datetime import UTC, datetime

    articles = [
        Article(
            f"a{n}",
            f"Crews walked off the Salvin ferries at dawn, the union said. Report {n} added that talks had stalled "
            f"over pay. Islanders queued for bread at the Co-op in Kirkholm as stocks ran low on day {n}.",
            outlet=f"Outlet {n}",
            published=datetime(2026, 4, 6, 8 + n, tzinfo=UTC),
        )
        for n in range(3)
    ]
    roundup = summarize(articles, RoundupOptions(words=60))
    order = [s.source.article for s in roundup.sentences]
    assert order == sorted(order)


def test_without_named_openings_nothing_is_rewritten_and_nothing_changes(articles: list[Article]) -> None:
    roundup = summarize(articles, RoundupOptions(words=150))
    assert roundup == summarize(articles, RoundupOptions(words=150), openings={})
    assert not any(s.rewritten for s in roundup.sentences)


def test_an_article_in_another_language_is_left_out_of_the_roundup_and_listed_as_a_source() -> None:
    from newsroundup.model import Article as _Article
    from newsroundup.roundup.summarize import summarize as _summarize

    english = [
        _Article(id=f"en-{n}", outlet=f"Outlet {n}", text=text)
        for n, text in enumerate(
            [
                "The Harrow Point bridge was closed to all traffic on Tuesday after engineers found a crack in a "
                "girder. Mayor Elena Vostrikova said the closure would last at least three weeks.",
                "Engineers found a two-metre crack in a main girder of the Harrow Point bridge on Tuesday. The "
                "city's transport director said the crack was found during a routine inspection.",
            ]
        )
    ]
    dutch = _Article(
        id="nl-0",
        outlet="Dagblad",
        text="De Harrow Point brug is dinsdag voor al het verkeer gesloten nadat ingenieurs een scheur in een "
        "ligger hadden gevonden. De burgemeester zei dat de sluiting minstens drie weken zal duren, en dat de "
        "veerboten vaker zullen varen dan nu het geval is.",
    )
    roundup = _summarize([*english, dutch])
    assert roundup.sentences and all(s.source.article.startswith("en-") for s in roundup.sentences)
    assert "nl-0" in {s.article for s in roundup.sources}
    assert any("another language" in w and "(nl)" in w for w in roundup.warnings)


def test_a_headline_is_never_a_quote_a_caption_a_question_or_personal() -> None:
    from newsroundup.roundup.headline import headline_problem, strip_outlet

    assert strip_outlet("WATCH: Storm hits the coast | CNN") == "Storm hits the coast"
    assert strip_outlet("UPDATED - Dam fails - The Valley Post") == "Dam fails"
    assert strip_outlet("US not in the top 20") == "US not in the top 20"
    assert headline_problem('"Where do you draw the line?" the minister said') == "carries a quote"
    assert headline_problem("FILE - In this Dec. 13, 2004 file photo, the winner leaves court") == "a photo caption"
    assert headline_problem("That was it and I ended it") == "speaks to or as a person"
    assert headline_problem("Let's call the total tax take about 32 percent") == "speaks to or as a person"
    assert headline_problem("Is the dam safe?") == "a question"
    assert headline_problem("A stray bullet struck her as she ran home") == "a pronoun before any name"
    assert headline_problem("MARTIN: It started out as a simple walk around the church") == "a transcript line"
    assert headline_problem("Sen. Ada Brenn speaks at a rally Thursday, Oct. 3, 2013, in Texas") == "a photo caption"
    assert headline_problem("U.S. drops out of the top 20 of the Good Country Index") == ""
    assert headline_problem("US drops out of the top 20 of the Good Country Index") == ""


def test_without_titles_the_headline_is_a_short_plain_lede_rather_than_a_quote() -> None:
    quoted = Article(
        "q",
        '"We will rebuild every house," Mayor Ines Vautrin said on Tuesday after the Hollins Dam failed. '
        "The Hollins Dam failed on Monday and flooded 300 homes in Ardmore.",
    )
    plain = Article("p", "The Hollins Dam failed on Monday, flooding 300 homes in the town of Ardmore below it.")
    roundup = summarize([quoted, plain])
    assert roundup.headline.startswith("The Hollins Dam failed on Monday")


def test_without_a_short_plain_sentence_the_headline_is_a_longer_plain_one_not_a_quote_or_a_pronoun() -> None:
    quoted = Article(
        "q",
        '"We will rebuild every house in this town, whatever it costs," he said on Tuesday in the town hall. '
        "Outside, they waited for news of the dam in the rain for hours on Tuesday night. "
        "Mayor Ines Vautrin of Ardmore said on Tuesday that the town would rebuild every house that the water of the "
        "failed Hollins Dam had destroyed on Monday night, whatever it cost.",
    )
    roundup = summarize([quoted])
    assert roundup.headline.startswith("Mayor Ines Vautrin of Ardmore said on Tuesday")
