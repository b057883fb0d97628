"""Provenance: each sentence aligned to the exact span of the source it came from."""

from __future__ import annotations

from newsroundup.audit import audit, check_audit
from newsroundup.audit.provenance import SentenceIndex, align
from newsroundup.model import Article


def _one(text: str, sources: list[Article]) -> tuple[str, str | None, str]:
    index = SentenceIndex(sources)
    found = align(text, index, index.candidates([text])[0])
    if found.span is None:
        return found.match, None, ""
    source = next(a for a in sources if a.id == found.span.article)
    return found.match, found.span.article, found.span.text_in(source)


def test_verbatim_sentence_gets_its_exact_span(sources: list[Article]) -> None:
    text = "Iraqi prime minister Haider al-Abadi thanked France for its help, his office said."
    assert _one(text, sources) == ("verbatim", "reuters", text)


def test_edited_sentence_points_at_the_source_sentence(sources: list[Article]) -> None:
    edited = "He said France would send 300 more advisers to train Iraqi forces fighting Daesh."
    match, article, span = _one(edited, sources)
    assert (match, article) == ("edited", "afp")
    assert span == "He said France would send 200 more advisers to train Iraqi forces fighting Daesh."


def test_part_of_a_source_sentence_is_cited_as_that_part(sources: list[Article]) -> None:
    _match, article, span = _one("Negotiators hope to agree a ceasefire", sources)
    assert article == "colombia"
    assert span == "Negotiators hope to agree a ceasefire"


def test_unrelated_sentence_has_no_source(sources: list[Article]) -> None:
    assert _one("The weather in Lisbon was sunny and warm all week, forecasters noted.", sources)[:2] == ("none", None)


def test_the_audited_article_itself_is_left_out_of_the_sources(sources: list[Article]) -> None:
    article = Article("mine", sources[0].text)
    pool = [*sources[1:], Article("same", sources[0].text)]
    result = audit(article, pool)
    check_audit(result, pool)
    assert result.warnings == ("source 'same' is the audited article itself; left out",)
    assert all(s.source is None or s.source.article != "same" for s in result.sentences)
    assert "same" not in {s.article for s in result.sources}


def test_wire_copies_are_listed(sources: list[Article]) -> None:
    copy = Article("copy-of-afp", "Paris (AFP) -\n\n" + sources[0].text.replace(". ", ".\n\n"), outlet="Yahoo")
    result = audit(Article("x", "The minister then flew to Erbil to meet Kurdish leaders."), [*sources, copy])
    check_audit(result, [*sources, copy])
    sentence = result.sentences[0]
    assert sentence.match == "verbatim"
    assert {sentence.source.article if sentence.source else None, *(c.article for c in sentence.copies)} == {
        "afp",
        "copy-of-afp",
    }


def test_an_article_with_nothing_in_common_is_all_no_source_and_nothing_else(sources: list[Article]) -> None:
    article = Article("x", "The weather in Lisbon was sunny all week. Cafés were full, owners said.")
    result = audit(article, sources)
    check_audit(result, sources)
    assert [{d.kind for d in s.defects} for s in result.sentences] == [{"no_source"}, {"no_source"}]
    assert result.summary["traced"] == 0


def test_the_same_sentence_many_times_is_traced_each_time(sources: list[Article]) -> None:
    sentence = "Negotiators hope to agree a ceasefire before the presidential election."
    result = audit(Article("x", " ".join([sentence] * 300)), sources)
    check_audit(result, sources)
    assert result.summary["traced"] == 300
    assert {s.source for s in result.sentences} == {result.sentences[0].source}


def test_the_same_fact_in_other_words_is_a_paraphrase_of_the_whole_source_sentence_and_another_claim_is_not() -> None:
    reports = [
        Article(
            "gazette",
            "The Riverside Mill in Oakham burned down on Saturday. Crews from Leicester and Melton kept the flames "
            "from nearby houses. Owner Harriet Coyle said she would rebuild the mill.",
        ),
        Article("courier", "Voters in Greendale chose a new mayor on Saturday. The winner promised cheaper buses."),
    ]
    restated = audit(Article("restated", "Harriet Coyle, who owns the mill, has promised to build it again."), reports)
    check_audit(restated, reports)
    (sentence,) = restated.sentences
    assert sentence.match == "paraphrase"
    assert sentence.source is not None
    assert sentence.source.text_in(reports[0]) == "Owner Harriet Coyle said she would rebuild the mill."
    assert [d.kind for d in sentence.defects] == []
    # The same person and mill, another claim: no source says it.
    other = audit(Article("other", "Harriet Coyle said she would sell the land to developers."), reports)
    assert other.sentences[0].source is None
    assert [d.kind for d in other.sentences[0].defects] == ["no_source"]
