"""Corroboration on the bundled example story with the real embedder (slow)."""

from dataclasses import replace
from pathlib import Path

from newsroundup.grouping.copies import mark_copies
from newsroundup.model import Article
from newsroundup.pipeline.load import load_articles
from newsroundup.roundup.checker import check_roundup
from newsroundup.roundup.corroborate import corroborate
from newsroundup.roundup.summarize import RoundupOptions, summarize
from newsroundup.text.same_fact import SameFactModel, same_fact_model


def _every_same_fact_listed() -> SameFactModel:
    """The shipped model listing every pair it calls the same fact (the shipped one lists only surer ones)."""
    model = same_fact_model()
    return replace(model, listed_threshold=model.threshold)


def test_sentences_are_corroborated_by_other_outlets_originals_only(example_story: Path) -> None:
    articles = mark_copies(load_articles([example_story]).articles)
    assert any(a.syndicated_from for a in articles)  # the wire copy is there, and must never count
    # 250 words: the 100-word roundup's four sentences are each told by one outlet alone (its exclusives)
    roundup = corroborate(summarize(articles, RoundupOptions(words=250)), articles, model=_every_same_fact_listed())
    check_roundup(roundup, articles)
    by_id = {a.id: a for a in articles}
    reports = [(s, c) for s in roundup.sentences for c in s.corroboration]
    assert reports, "the example's outlets report the same dam failure: some sentence is corroborated"
    for sentence, report in reports:
        cited = by_id[report.article]
        assert cited.syndicated_from is None
        assert cited.outlet != by_id[sentence.source.article].outlet
    assert roundup.exclusives
    for exclusive in roundup.exclusives:
        assert exclusive.text == exclusive.source.text_in(by_id[exclusive.source.article])


def test_a_report_under_the_listed_threshold_is_not_listed_and_its_sentence_is_no_exclusive(
    example_story: Path,
) -> None:
    articles = mark_copies(load_articles([example_story]).articles)
    summary = summarize(articles, RoundupOptions(words=250))
    surer = corroborate(summary, articles)
    every = corroborate(summary, articles, model=_every_same_fact_listed())
    listed = {s.source for s in surer.sentences if s.corroboration}
    between = {s.source for s in every.sentences if s.corroboration} - listed
    assert between, "the example has reports the model calls the same fact under the listed threshold"
    assert not between & {e.source for e in surer.exclusives}
    assert all(s.corroboration == () for s in surer.sentences if s.source in between)


def test_a_story_told_by_one_outlet_has_no_exclusives() -> None:
    text = (
        "The council voted on Monday to close the old library on Mill Road. "
        "The building will be sold to pay for repairs to the town's two schools."
    )
    articles = [Article("a", text, outlet="Herald"), Article("b", text.replace("Monday", "Tuesday"), outlet="Herald")]
    roundup = corroborate(summarize(articles), articles)
    assert roundup.exclusives == () and all(s.corroboration == () for s in roundup.sentences)


def test_the_same_fact_with_other_numbers_is_a_disagreement_not_a_corroboration() -> None:
    articles = [
        Article(
            "a",
            "Nearly 12,000 residents of Port Averly were ordered to leave their homes after the spillway of "
            "the Hollins Dam partially collapsed.",
            outlet="Herald",
        ),
        Article(
            "b",
            "About 15,000 residents of Port Averly were ordered to leave their homes after the Hollins Dam "
            "spillway partially collapsed.",
            outlet="Courier",
        ),
    ]
    roundup = corroborate(summarize(articles, RoundupOptions(words=20)), articles)
    check_roundup(roundup, articles)
    assert roundup.sentences and all(s.corroboration == () for s in roundup.sentences)
    assert [sorted(d.values) for d in roundup.disagreements] == [["12,000", "15,000"]]
    assert not {e.source for e in roundup.exclusives} & {s.source for s in roundup.sentences}


def test_one_thing_counted_with_other_numbers_is_a_disagreement_though_other_numbers_agree() -> None:
    articles = [
        Article(
            "a",
            "Gales battered the fishing fleet off Port Averly on Monday, killing two crew members and leaving "
            "two boats missing.",
            outlet="Herald",
        ),
        Article(
            "b",
            "Two trawler crew members died and three boats remain missing after gales battered the fishing fleet "
            "off Port Averly on Monday.",
            outlet="Courier",
        ),
    ]
    roundup = corroborate(summarize(articles, RoundupOptions(words=25)), articles, model=_every_same_fact_listed())
    check_roundup(roundup, articles)
    assert roundup.sentences and all(s.corroboration == () for s in roundup.sentences)
    assert [sorted(d.values, key=str.lower) for d in roundup.disagreements] in (
        [["three", "two"]],
        [["three", "Two"]],
    )


def test_a_number_right_after_its_verb_counts_what_the_verb_did() -> None:
    articles = [
        Article(
            "a",
            "A fire swept through the Port Averly dance hall on Saturday, killing 12 people and injuring about 40.",
            outlet="Herald",
        ),
        Article(
            "b",
            "A fire swept through a dance hall in Port Averly on Saturday, killing 12 people and injuring 35 others.",
            outlet="Courier",
        ),
    ]
    roundup = corroborate(summarize(articles, RoundupOptions(words=25)), articles, model=_every_same_fact_listed())
    check_roundup(roundup, articles)
    assert roundup.sentences and all(s.corroboration == () for s in roundup.sentences)
    assert [sorted(d.values) for d in roundup.disagreements] == [["35", "40"]]


def test_a_number_too_long_for_a_count_is_no_count_and_no_crash() -> None:
    digits = "7" * 5000  # past Python's limit for turning digits into an int
    articles = [
        Article("a", f"Gales battered the fleet off Port Averly, leaving {digits} boats missing.", outlet="Herald"),
        Article("b", f"Gales battered the fleet off Port Averly and left {digits} boats missing.", outlet="Courier"),
    ]
    roundup = corroborate(summarize(articles, RoundupOptions(words=25)), articles, model=_every_same_fact_listed())
    check_roundup(roundup, articles)
    assert roundup.disagreements == ()


def test_the_same_fact_with_another_person_named_is_a_disagreement_a_variant_of_the_name_is_not() -> None:
    said = "Defense Secretary {} will lead the delegation to the Paris meeting of coalition ministers on Wednesday."
    articles = [
        Article("a", said.format("Ash Carter"), outlet="Herald"),
        Article("b", said.format("Jim Mattis"), outlet="Courier"),
        Article("c", said.format("Ashton Carter"), outlet="Ledger"),
    ]
    roundup = corroborate(summarize(articles, RoundupOptions(words=20)), articles, model=_every_same_fact_listed())
    check_roundup(roundup, articles)
    values = [sorted(d.values) for d in roundup.disagreements]
    assert values == [["Ash Carter", "Jim Mattis"]] or values == [["Ashton Carter", "Jim Mattis"]]
    listed = {c.article for s in roundup.sentences for c in s.corroboration}
    assert "b" not in listed and listed & {"a", "c"}
