"""A long lede shortened into a headline by leaving out whole clauses: what may go, what stays, and the check."""

from __future__ import annotations

from newsroundup.annotate.nlp import parse_texts
from newsroundup.model import Article
from newsroundup.roundup.checker import check_roundup
from newsroundup.roundup.enrich import EnrichOptions
from newsroundup.roundup.headline_cut import cut_text, shortenings
from newsroundup.roundup.summarize import RoundupOptions, summarize
from newsroundup.roundup.write import write_roundup


def _shortened(sentence: str, max_words: int = 16) -> set[str]:
    return {cut_text(sentence, cuts) for cuts in shortenings(sentence, parse_texts([sentence])[0], max_words)}


def test_an_apposition_and_a_trailing_phrase_go_with_their_commas() -> None:
    sentence = (
        "Mara Lindqvist, the harbour authority's chief engineer since 2009, was dismissed on Thursday "
        "after the collapse of the north pier."
    )
    assert "Mara Lindqvist was dismissed on Thursday" in _shortened(sentence)
    assert "Mara Lindqvist was dismissed on Thursday after the collapse of the north pier" in _shortened(sentence)


def test_a_participle_phrase_after_a_comma_and_a_non_restrictive_clause_go() -> None:
    ferry = (
        "The ferry operator cancelled every crossing to Tarvik Island on Monday, citing a fault in the ramp "
        "that carries cars aboard."
    )
    assert _shortened(ferry) == {"The ferry operator cancelled every crossing to Tarvik Island on Monday"}
    library = (
        "The council voted to close the Dunmore library, which has served the town since 1911, despite a "
        "petition signed by four thousand residents."
    )
    assert "The council voted to close the Dunmore library despite a petition signed by four thousand residents" in (
        _shortened(library)
    )


def test_a_clause_naming_the_united_states_or_a_report_is_no_attribution() -> None:
    sentence = (
        "Lena Ostrova, who moved to the United States from Riga in 2004, won the Kessel Prize for poetry on Monday "
        "after a unanimous vote."
    )
    assert "Lena Ostrova won the Kessel Prize for poetry on Monday after a unanimous vote" in _shortened(sentence)


def test_what_the_news_is_an_attribution_and_a_needed_phrase_stay() -> None:
    # A clause not set off by a comma is the news ("when their father was pulled ..."), not a modifier.
    assert not _shortened(
        "Two brothers from Oxley were watching when their father was pulled from the flooded quarry by "
        "firefighters late on Sunday evening."
    )
    # A day right after its verb, with more to come, is the verb's object: "spent Saturday visiting".
    assert "The mayor spent visiting the flooded farms along the Kessel river" not in _shortened(
        "The mayor spent Saturday visiting the flooded farms along the Kessel river, which burst its banks in March."
    )
    # A claim stays attributed: nothing of a sentence whose main verb is "said" is cut, nor "according to".
    assert not _shortened(
        "Heavy rain flooded the valley, the regional water board said on Tuesday in a statement about the dam "
        "at Kessel Ford."
    )
    assert not _shortened(
        "Wind damage can result in power cuts for thousands of homes in the hills, according to a report by the "
        "county engineers."
    )


LEDE = (
    "Mara Lindqvist, the harbour authority's chief engineer since 2009, was dismissed on Thursday after the "
    "collapse of the north pier at Skellig Bay, which injured four dock workers and closed the port."
)
STORY = [
    Article("a1", LEDE + " The authority's board met for six hours before the vote.", outlet="Coast Herald"),
    Article(
        "a2",
        "The collapse of the north pier at Skellig Bay injured four dock workers and closed the port for a week, "
        "harbour officials said on Friday, and the board has dismissed its chief engineer.",
        outlet="Bay News",
    ),
]


def test_an_enriched_roundup_without_titles_has_the_lede_shortened_declared_and_checked() -> None:
    roundup = write_roundup(STORY, RoundupOptions(words=60, enrich=EnrichOptions(corroborate=False)))
    assert roundup.headline_source is not None and roundup.headline_source.article == "a1"
    assert roundup.headline_cuts, roundup.headline
    assert len(roundup.headline.split()) <= 16
    assert roundup.headline.startswith("Mara Lindqvist was dismissed")
    check_roundup(roundup, STORY)
    # Every cut is a span of the lede, and the headline is the lede without them.
    start = roundup.headline_source.start
    cuts = [(c.start - start, c.end - start) for c in roundup.headline_cuts]
    assert roundup.headline == cut_text(LEDE, cuts)
    # Without a parse (a plain roundup) the long lede is not shortened, and the headline is some whole sentence.
    plain = summarize(STORY, RoundupOptions(words=60))
    assert not plain.headline_cuts and plain.headline_source is not None
    check_roundup(plain, STORY)


def test_a_lede_whose_cut_would_leave_it_leaning_on_what_went_is_not_shortened() -> None:
    from newsroundup.roundup.headline_cut import parsed_shortener

    lede = (
        "Facing a petition signed by four thousand residents of Dunmore, it kept the town library open for "
        "another year after a long and bitter debate."
    )
    articles = [
        Article("d1", lede + " The library has served the town since 1911.", outlet="Dunmore Post"),
        Article("d2", "The Dunmore library will stay open for another year, the town council decided.", outlet="Echo"),
    ]
    assert any(text.startswith("It kept the town library open") for text in _shortened(lede))
    shorten = parsed_shortener(articles, parse_texts([a.text for a in articles]))
    roundup = summarize(articles, RoundupOptions(words=40), shorten=shorten)
    assert not roundup.headline.startswith("It "), roundup.headline
    check_roundup(roundup, articles)
