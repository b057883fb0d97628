"""Quotes: every attribution form, reported speech, and the attribution targets on the fixtures."""

from __future__ import annotations

from typing import Any

import pytest

from newsroundup.annotate.aliases import fold, name_key
from newsroundup.annotate.entities import group_article_entities
from newsroundup.annotate.mentions import article_entities
from newsroundup.annotate.nlp import parse_texts
from newsroundup.annotate.quotes import extract_quotes, quotes_in_article
from newsroundup.model import Article


@pytest.fixture(scope="module")
def article(nlp: object) -> Article:
    text = (
        "Harbour Minister Ilse Brandvold said on Monday that the port would reopen. "
        '"We will be ready by spring," Brandvold said. "The cranes are already back."\n\n'
        '"The money," she said, "is in the budget."\n\n'
        "A senior port official, who asked not to be named, said the cost had doubled. "
        '"Nobody wants to say it in public," the official said.\n\n'
        'The unions called the plan "a fantasy," according to Oskar Lind, a dockworkers\' leader.\n\n'
        'The minister told reporters: "I have heard the critics."\n\n'
        'The ferry, nicknamed "the Old Lady," sailed at noon.'
    )
    return Article(id="port", text=text)


def test_every_attribution_form_resolves_to_the_speaker(article: Article) -> None:
    quotes = extract_quotes(article)
    found = {q.text: q.speaker for q in quotes}
    assert found == {
        "We will be ready by spring": "Ilse Brandvold",
        "The cranes are already back.": "Ilse Brandvold",
        "The money": "Ilse Brandvold",
        "is in the budget.": "Ilse Brandvold",
        "Nobody wants to say it in public": "a senior port official",
        "a fantasy": "Oskar Lind",
        "I have heard the critics.": "Ilse Brandvold",
    }


def test_quotes_are_verbatim_and_their_attribution_names_the_speaker(article: Article) -> None:
    for quote in extract_quotes(article):
        assert article.text[quote.span.start : quote.span.end] == quote.text
        assert quote.attribution is not None
        attribution = article.text[quote.attribution.start : quote.attribution.end]
        assert any(w in attribution.lower() for w in ("said", "told", "according"))


def test_scare_quotes_and_nicknames_are_not_quotes(article: Article) -> None:
    assert "the Old Lady" not in {q.text for q in extract_quotes(article)}


def _score(story: dict[str, Any]) -> tuple[int, int, int, int]:
    """(emitted, correct, gold, not verbatim) for one fixture story, scored at story level."""
    articles = story["articles"]
    docs = parse_texts([a.text for a in articles])
    found = [article_entities(a, d) for a, d in zip(articles, docs, strict=True)]
    entities = group_article_entities(found)
    group_of = {name_key(n): g["names"][0] for g in story["group"] for n in g["names"]}
    emitted = correct = gold_total = bad = 0
    for raw, article, doc, f in zip(story["article"], articles, docs, found, strict=True):
        gold = {fold(g["text"]).strip(" .,"): g["speaker"] for g in raw.get("quote", [])}
        gold_total += len(gold)
        for quote in quotes_in_article(article, doc, f):
            emitted += 1
            bad += article.text[quote.span.start : quote.span.end] != quote.text
            expected = gold.get(fold(quote.text).strip(" .,"))
            speaker = entities.name_for(article.id, quote.speaker)
            if expected is not None and group_of.get(name_key(speaker), fold(speaker)) == group_of.get(
                name_key(expected), fold(expected)
            ):
                correct += 1
    return emitted, correct, gold_total, bad


def test_attribution_meets_the_targets_on_the_annotated_stories(stories: dict[str, dict[str, Any]]) -> None:
    totals = [0, 0, 0, 0]
    for story in stories.values():
        for i, value in enumerate(_score(story)):
            totals[i] += value
    emitted, correct, gold, not_verbatim = totals
    assert gold >= 60
    assert not_verbatim == 0
    assert correct / emitted >= 0.95
    assert correct / gold >= 0.90


def test_the_group_said_is_the_organisation_named_just_before(nlp: object) -> None:
    text = (
        "The Harrow Valley Front claimed the attack in a statement on Sunday. "
        '"We are not working with the Northern League," a commander said. '
        'The group said its fighters had "destroyed the bridge and everyone guarding it."'
    )
    quotes = extract_quotes(Article(id="front", text=text))
    assert [(q.text, q.speaker) for q in quotes][-1] == (
        "destroyed the bridge and everyone guarding it.",
        "Harrow Valley Front",  # not the Northern League, named only inside the quote
    )


def test_a_described_source_keeps_the_participle_phrase_that_identifies_it(nlp: object) -> None:
    text = (
        "According to a person briefed on the negotiations, the buyer raised its offer twice. "
        '"The first price was a joke," the person said.\n\n'
        '"Nobody will lose a job," said an official involved in the talks.'
    )
    quotes = extract_quotes(Article(id="talks", text=text))
    assert [q.speaker for q in quotes] == [
        "a person briefed on the negotiations",
        "an official involved in the talks",
    ]


def test_reported_speech_is_an_attribution_of_kind_reported(nlp: object) -> None:
    from newsroundup.annotate.quotes import attributions_in_article

    text = (
        "Secretary of State John Kerry spoke in Rome on Monday. "
        "Kerry said the group had lost a fifth of its territory. "
        '"We are winning," he added.'
    )
    article = Article(id="k", text=text)
    doc = parse_texts([text])[0]
    found = attributions_in_article(article, doc, article_entities(article, doc))
    reported = [q for q in found if q.kind == "reported"]
    direct = [q for q in found if q.kind == "direct"]
    assert [(q.text, q.speaker, q.cue) for q in reported] == [
        ("the group had lost a fifth of its territory", "John Kerry", "said")
    ]
    assert reported[0].speaker_span is not None
    assert text[reported[0].speaker_span.start : reported[0].speaker_span.end] == "Kerry"
    assert [(q.text, q.speaker) for q in direct] == [("We are winning", "John Kerry")]
    assert all(text[q.span.start : q.span.end] == q.text for q in found)


@pytest.mark.parametrize(
    "text",
    [
        '"This never closes, said Maria Lopez\n\nAnd then nothing',
        "“" + " ".join(["word"] * 5000) + "” said John Smith.",
        'He said “nested ‘inner’ quote” and "mixed marks” here said Ann Lee',
        "no sentence ends at all just words said Bob Jones that it rained",
        '""',
        "''",
        "",
        '" said "',
    ],
)
def test_bad_input_gives_verbatim_results_or_none_and_no_invented_speaker(nlp: object, text: str) -> None:
    from newsroundup.annotate.quotes import attributions_in_article

    article = Article(id="bad", text=text)
    doc = parse_texts([text])[0]
    found = attributions_in_article(article, doc, article_entities(article, doc))
    for quote in found:
        assert text[quote.span.start : quote.span.end] == quote.text
        assert len(quote.speaker.split()) <= 16
        assert "word word" not in quote.speaker and "“" not in quote.speaker


def test_a_headline_with_a_name_and_a_colon_reports_what_they_said(nlp: object) -> None:
    from newsroundup.annotate.quotes import attributions_in_article

    text = "Lindsey Graham: Trump is destroying the party's chance to win.\n\nSenator Lindsey Graham spoke on Thursday."
    article = Article(id="g", text=text)
    doc = parse_texts([text])[0]
    found = attributions_in_article(article, doc, article_entities(article, doc))
    colon = [q for q in found if q.cue == ":"]
    assert [(q.kind, q.text, q.speaker) for q in colon] == [
        ("reported", "Trump is destroying the party's chance to win", "Lindsey Graham")
    ]


def test_a_quote_opening_a_paragraph_without_a_cue_is_the_speaker_of_the_speech_verb_before(nlp: object) -> None:
    text = (
        "Senator Maria Lopez criticized the plan on Monday.\n\n"
        "“It will cost every family in the valley more than it saves.”\n\n"
        "The council voted on Tuesday.\n\n"
        "“A fine day for democracy.”"
    )
    found = {q.text: q.speaker for q in extract_quotes(Article(id="carry", text=text))}
    assert found == {"It will cost every family in the valley more than it saves.": "Maria Lopez"}


def test_a_participle_cue_attributes_the_quote(nlp: object) -> None:
    text = "Maria Lopez shared the news on Monday, writing “Feels great to support the new bridge.”"
    found = [(q.text, q.speaker) for q in extract_quotes(Article(id="ing", text=text))]
    assert found == [("Feels great to support the new bridge.", "Maria Lopez")]


def test_the_title_of_a_show_in_quotation_marks_is_not_a_quote(nlp: object) -> None:
    text = "“We will win this state,” Maria Lopez told ABC’s “Good Morning America.”"
    found = [(q.text, q.speaker) for q in extract_quotes(Article(id="show", text=text))]
    assert found == [("We will win this state", "Maria Lopez")]


def test_a_name_in_apposition_before_said_is_the_speaker(nlp: object) -> None:
    text = (
        "In a statement to the Observer, her senior policy adviser, Jake Sullivan, said: “Maria Lopez "
        "believes that cooperation across the river is essential.”"
    )
    found = [(q.speaker, q.cue) for q in extract_quotes(Article(id="appos", text=text))]
    assert found == [("Jake Sullivan", "said")]
