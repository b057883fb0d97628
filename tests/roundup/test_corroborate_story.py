"""Corroboration on the bundled example story with the real embedder (slow)."""

from pathlib import Path

from newsroundup.grouping.copies import mark_copies
from newsroundup.model import Article
from newsroundup.pipeline.load import load_articles
from newsroundup.roundup.checker import check_roundup
from newsroundup.roundup.corroborate import corroborate
from newsroundup.roundup.summarize import RoundupOptions, summarize


def test_sentences_are_corroborated_by_other_outlets_originals_only(example_story: Path) -> None:
    articles = mark_copies(load_articles([example_story]).articles)
    assert any(a.syndicated_from for a in articles)  # the wire copy is there, and must never count
    # 250 words: the 100-word roundup's four sentences are each told by one outlet alone (its exclusives)
    roundup = corroborate(summarize(articles, RoundupOptions(words=250)), articles)
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
