"""Defects with their evidence: the ones an editor would see in a stitched article."""

from __future__ import annotations

from newsroundup.audit import audit, check_audit
from newsroundup.model import Article, Audit

STITCHED = (
    "French foreign minister Jean-Yves Le Drian arrived in Baghdad on Monday for talks on the fight against Daesh. "
    '"We will not give up," al-Abadi told reporters after the meeting. '
    "Iraqi prime minister Haider al-Abadi thanked France for its help, his office said. "
    # "He" is Le Drian in the source, but here it follows a sentence about al-Abadi.
    "He said France would send 300 more advisers to train Iraqi forces fighting Daesh. "
    "The minister then flew to Erbil to meet Kurdish leaders. "
    "Peace talks between the Colombian government and the ELN rebels resumed in Quito on Tuesday. "
    "Iraqi prime minister Hayder al-Abdi thanked France for its help, his office said. "
    "A spokesman for the embassy declined to comment on the matter."
)


def _audited(sources: list[Article]) -> Audit:
    result = audit(Article("stitched", STITCHED), sources)
    check_audit(result, sources)
    return result


def _kinds(result: Audit, number: int) -> set[str]:
    return {d.kind for d in result.sentences[number].defects}


def test_each_planted_defect_is_found_and_clean_sentences_stay_clean(sources: list[Article]) -> None:
    result = _audited(sources)
    assert _kinds(result, 0) == set()
    assert _kinds(result, 1) == {"misattributed_quote"}
    assert _kinds(result, 2) == set()
    assert _kinds(result, 3) == {"changed_fact", "dangling_reference"}
    assert "off_topic" in _kinds(result, 5)
    assert "misspelling" in _kinds(result, 6)
    assert "no_source" in _kinds(result, 7)


def test_evidence_points_at_what_the_source_says(sources: list[Article]) -> None:
    result = _audited(sources)
    by_id = {a.id: a for a in sources}
    quote = next(d for d in result.sentences[1].defects if d.kind == "misattributed_quote")
    assert [e.text_in(by_id[e.article]) for e in quote.evidence] == ["Le Drian"]
    spelling = next(d for d in result.sentences[6].defects if d.kind == "misspelling")
    assert spelling.evidence[0].text_in(by_id["reuters"]).startswith("Haider")
    dangling = next(d for d in result.sentences[3].defects if d.kind == "dangling_reference")
    assert "Le Drian" in dangling.evidence[0].text_in(by_id["afp"])


def test_pronoun_kept_with_its_source_sentence_is_not_dangling(sources: list[Article]) -> None:
    text = sources[0].text.split(". ", 2)
    article = Article("kept", ". ".join(text[:2]) + ".")
    result = audit(article, sources)
    assert all(not s.defects for s in result.sentences)


def test_summary_counts_traced_sentences_and_defects(sources: list[Article]) -> None:
    summary = _audited(sources).summary
    assert summary["sentences"] == 8
    assert summary["traced"] == 7
    assert summary["defects"]["no_source"] == 1


def test_a_report_sharing_only_days_and_months_with_the_story_is_off_topic() -> None:
    # Two reports of one fire and a report of another event: all three say "on Saturday" and
    # "in November", which tells nothing about which event a report is about.
    fire = [
        Article(
            "a",
            "A fire destroyed the Riverside Mill in Oakham on Saturday. Firefighters from Leicester fought "
            "the blaze for six hours. The mill, built in November 1874, had stood empty for a decade. "
            "Owner Harriet Coyle said she would rebuild it.",
        ),
        Article(
            "b",
            "The Riverside Mill in Oakham burned down on Saturday. Crews from Leicester and Melton kept the "
            "flames from nearby houses. Harriet Coyle bought the mill in November and planned flats there.",
        ),
        Article(
            "c",
            "Voters in Greendale chose a new mayor on Saturday. Turnout was the lowest since November 1990, "
            "officials said. The winner, Tomas Varga, promised cheaper buses.",
        ),
    ]
    stitched = Article(
        "stitched",
        "A fire destroyed the Riverside Mill in Oakham on Saturday. Crews from Leicester and Melton kept the "
        "flames from nearby houses. The winner, Tomas Varga, promised cheaper buses. "
        "Owner Harriet Coyle said she would rebuild it.",
    )
    result = audit(stitched, fire)
    assert [("off_topic" in _kinds(result, n)) for n in range(4)] == [False, False, True, False]


def test_an_unsourced_sentence_saying_the_story_in_other_words_is_on_topic_and_another_story_is_not() -> None:
    # Neither unsourced sentence shares a content word with the reports; only the first is about the fire.
    fire = [
        Article(
            "a",
            "A fire destroyed the Riverside Mill in Oakham on Saturday. Firefighters from Leicester fought "
            "the blaze for six hours. Owner Harriet Coyle said she would rebuild it.",
        ),
        Article(
            "b",
            "The Riverside Mill in Oakham burned down on Saturday. Crews from Leicester and Melton kept the "
            "flames from nearby houses. Harriet Coyle bought the mill in November and planned flats there.",
        ),
    ]
    stitched = Article(
        "stitched",
        "A fire destroyed the Riverside Mill in Oakham on Saturday. Crews from Leicester and Melton kept the "
        "flames from nearby houses. Thick smoke rose as the burning factory roof caved in. "
        "The central bank raised interest rates by a quarter point. Owner Harriet Coyle said she would rebuild it.",
    )
    result = audit(stitched, fire)
    check_audit(result, fire)
    assert [("off_topic" in _kinds(result, n)) for n in range(5)] == [False, False, False, True, False]
    assert [("no_source" in _kinds(result, n)) for n in range(5)] == [False, False, True, True, False]


_COUNCIL = [
    Article(
        "gazette",
        "Maria Lopez won the Ward 4 council seat in Springfield on Sunday. "
        "She is the first nurse to hold it. Turnout was the lowest in a decade.",
    ),
    Article("herald", "Polls closed at 8 pm across Springfield. Counting took until midnight in Ward 4."),
]


def test_a_contracted_pronoun_opening_without_its_referent_dangles() -> None:
    # "She's" (edited from the source's "She is") is "she".
    result = audit(Article("s", "Polls closed at 8 pm across Springfield. She's the first nurse to hold it."), _COUNCIL)
    assert "dangling_reference" in _kinds(result, 1)


def test_a_pronoun_whose_source_sentence_before_came_earlier_in_the_article_is_resolved() -> None:
    text = (
        "Maria Lopez won the Ward 4 council seat in Springfield on Sunday. "
        "Counting took until midnight in Ward 4. She is the first nurse to hold it."
    )
    result = audit(Article("s", text), _COUNCIL)
    assert [_kinds(result, n) for n in range(3)] == [set(), set(), set()]


def test_a_report_of_another_event_of_the_same_kind_is_off_topic() -> None:
    # Two reports of one shooting and one of another: all three speak of shots, police and hospitals,
    # so only the names (people, streets, towns) tell the two events apart.
    shooting = [
        Article(
            "a",
            "Police in Dayton said Marcus Bell, 24, was shot in the leg on Keowee Street late Friday. "
            "Officers found him near the Riverside Market and took him to Miami Valley Hospital. "
            "Sergeant Dana Ortiz said a witness saw a gray Honda drive away after the shots were fired.",
        ),
        Article(
            "b",
            "A man was wounded in a shooting on Keowee Street in Dayton, police said. "
            "Marcus Bell was taken to Miami Valley Hospital with a leg wound. "
            "Sergeant Dana Ortiz asked anyone who saw the gray Honda to call Dayton police.",
        ),
        Article(
            "c",
            "A woman was shot outside a bar on Elm Avenue in Camden early Sunday, police said. "
            "Officers found Tanya Reed, 31, wounded in the chest and took her to Cooper University Hospital. "
            "Lieutenant Gary Walsh said detectives from Camden County were looking for two men seen running.",
        ),
    ]
    stitched = Article(
        "stitched",
        "Police in Dayton said Marcus Bell, 24, was shot in the leg on Keowee Street late Friday. "
        "Marcus Bell was taken to Miami Valley Hospital with a leg wound. "
        "Lieutenant Gary Walsh said detectives from Camden County were looking for two men seen running. "
        "Sergeant Dana Ortiz asked anyone who saw the gray Honda to call Dayton police.",
    )
    result = audit(stitched, shooting)
    assert [("off_topic" in _kinds(result, n)) for n in range(4)] == [False, False, True, False]
