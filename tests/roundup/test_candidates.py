"""Candidates: what may stand in a roundup, and what leans on its neighbour."""

from newsroundup.model import Article
from newsroundup.roundup.candidates import build_candidates


def _one(text: str):  # type: ignore[no-untyped-def]
    return build_candidates([Article("a", text)])[0]


def test_dateline_is_outside_the_span() -> None:
    text = "PORT AVERLY (CP) — Nearly 12,000 residents were ordered to leave their homes on Tuesday."
    cand = _one(text)[0]
    assert cand.text == "Nearly 12,000 residents were ordered to leave their homes on Tuesday."
    assert text[cand.start : cand.end] == cand.text


def test_fragments_headlines_and_questions_are_not_eligible() -> None:
    cands = _one(
        "Dam fails above Port Averly as thousands flee the rising Calder River\n"
        "What happens next for the thousands who fled their homes?\n"
        "``The water came so fast and so high that nobody was ready. "
        "We had no time to take anything with us,\n"
        "Engineers said the main wall of the dam was holding on Tuesday night."
    )
    eligible = {c.text: c.reason for c in cands}
    assert eligible == {
        "Dam fails above Port Averly as thousands flee the rising Calder River": "not a complete sentence",
        "What happens next for the thousands who fled their homes?": "not a complete sentence",
        "``The water came so fast and so high that nobody was ready.": "part of a longer quote",
        "We had no time to take anything with us,": "not a complete sentence",
        "Engineers said the main wall of the dam was holding on Tuesday night.": "",
    }


def test_pronoun_openings_and_pronoun_attributions_need_the_previous_sentence() -> None:
    cands = _one(
        "Governor Elena Marchetti spoke in Lindell on Tuesday evening. "
        "She said the state would pay for repairs to the dam. "
        "``We will rebuild every home in Eastbank,'' she said on Tuesday. "
        "The National Guard sent 400 soldiers to Port Averly."
    )
    assert [c.needs_previous for c in cands] == [False, True, True, False]


def test_leaning_sentences_can_be_barred_or_freed() -> None:
    from newsroundup.roundup.candidates import CandidateLimits

    text = "Governor Elena Marchetti spoke in Lindell on Tuesday evening. She said the state would pay for repairs."
    article = [Article("a", text)]
    never = build_candidates(article, CandidateLimits(leaning="never"))[0][1]
    assert not never.eligible and never.reason == "leans on the sentence before it"
    free = build_candidates(article, CandidateLimits(leaning="free"))[0][1]
    assert free.eligible and not free.needs_previous


def test_an_opening_pronoun_that_will_be_named_does_not_lean() -> None:
    text = (
        "Governor Elena Marchetti spoke in Lindell on Tuesday evening. "
        "She said the state would pay for repairs to the dam. "
        "She said, she added, that nobody would be left behind."
    )
    article = Article("a", text)
    named = {"a": {text.index("She said the"), text.index("She said, she")}}
    cands = build_candidates([article], named_openings=named)[0]
    assert [c.needs_previous for c in cands] == [False, False, True], "a pronoun attribution still leans"
    assert [c.needs_previous for c in build_candidates([article])[0]] == [False, True, True]


def test_a_first_person_sentence_whose_speaker_is_not_named_is_not_eligible() -> None:
    cands = _one(
        "The coalition ministers met in Paris on Wednesday to plan the campaign.\n"
        "I say on the ground because Daesh is retreating.\n"
        "``We will not stop until the city is free,'' Carter told reporters.\n"
        "CARTER: I say the momentum is now with the coalition.\n"
        "World War I ended in 1918 after four years of fighting in Europe."
    )
    reasons = {c.text: c.reason for c in cands}
    assert reasons["I say on the ground because Daesh is retreating."] == (
        "first person whose speaker the reader is not told"
    )
    assert reasons["``We will not stop until the city is free,'' Carter told reporters."] == ""
    assert reasons["CARTER: I say the momentum is now with the coalition."] == ""
    assert reasons["World War I ended in 1918 after four years of fighting in Europe."] == ""


def test_a_sentence_speaking_to_the_reader_is_not_eligible_unless_someone_is_said_to_speak() -> None:
    cands = _one(
        "The county opened two shelters on Tuesday for families leaving the flooded valley.\n"
        "You can add the shelters to your saved places from the county's web page.\n"
        "Please check your email and click on the link to confirm the address.\n"
        "“You have to leave the valley tonight,” the fire chief told residents.\n"
        "The film How to Train Your Dragon was shown in the larger shelter on Tuesday night."
    )
    reasons = [c.reason for c in cands]
    assert reasons == ["", "speaks to the reader", "speaks to the reader", "", ""]


def test_a_sentence_telling_the_reader_what_to_do_is_not_eligible() -> None:
    cands = _one(
        "The county opened two shelters on Tuesday for families leaving the flooded valley.\n"
        "Click below to sign the petition for a new levee on the river.\n"
        "Watch the fire chief's briefing in the video player above this story.\n"
        "For more about the levee and its history, visit the county's flood page.\n"
        "“Look, the river will not wait for us,” the fire chief told residents on Tuesday.\n"
        "For more than a decade, engineers warned the county about the old levee.\n"
        "Follow-up inspections of the levee are planned for the spring, the county said."
    )
    assert [c.reason for c in cands] == ["", "speaks to the reader", "speaks to the reader", "speaks to the reader",
                                         "", "", ""]


def test_a_second_person_sentence_after_the_sentence_naming_its_speaker_leans_on_it() -> None:
    cands = _one(
        "Fire Chief Dana Ortiz told residents of the valley on Tuesday that the river would rise again. "
        "You have until midnight to leave your homes and reach the shelters in Eastbank."
    )
    assert (cands[1].eligible, cands[1].needs_previous) == (True, True)


def test_a_first_person_quote_after_the_sentence_naming_its_speaker_leans_on_it() -> None:
    cands = _one(
        "Defence Secretary Ash Carter told reporters in Paris that the campaign was working. "
        "``We have the momentum on the ground now and we intend to keep it.'' "
        "``We have the momentum on the ground now and we intend to keep it.''"
    )
    assert (cands[1].eligible, cands[1].needs_previous) == (True, True)
    # the third repeats without a speaker before it: the second names none
    assert not cands[2].eligible


def test_photo_captions_and_video_furniture_are_not_eligible() -> None:
    cands = _one(
        "FILE - In this Feb. 11, 2007, file photo, the actress arrives for the Grammy Awards in Los Angeles.\n"
        "JUST WATCHED Cummings: Trump has stepped over the line Replay More Videos.\n"
        "Update: The post has been updated to include comments from the airlines.\n"
        "The actress arrived for the Grammy Awards in Los Angeles on Sunday."
    )
    assert [c.reason for c in cands] == ["page furniture", "page furniture", "page furniture", ""]
    # the player's line as pasted ends on an ellipsis: cut off, and so not a complete sentence either way
    assert _one("JUST WATCHED Cummings: Trump has stepped over the line Replay More Videos ...")[0].eligible is False


def test_a_caption_with_its_photo_credit_or_a_gallery_button_is_not_eligible() -> None:
    cands = _one(
        "Enlarge Image Close The governor waved to supporters late in the evening on Friday.\n"
        "The senator announced her campaign for governor in Austin (AP Photo/Eric Gay).\n"
        "The senator announced her campaign for governor in Austin on Friday morning."
    )
    assert [c.reason for c in cands] == ["page furniture", "page furniture", ""]


def test_a_caption_with_the_weekday_and_the_full_date_is_furniture_but_a_story_date_is_not() -> None:
    cands = _one(
        "Sen. Ada Brenn speaks to supporters at a rally Thursday, Oct. 3, 2013, in Haltom City, Texas.\n"
        "Sen. Ada Brenn spoke to supporters at a rally on Thursday in Haltom City, Texas.\n"
        "The levee was finished on Oct. 3, 2013, two years late, the county said."
    )
    assert [c.reason for c in cands] == ["page furniture", "", ""]


def test_update_and_credit_labels_field_lists_shouting_app_pitches_and_crawl_notices_are_not_eligible() -> None:
    cands = _one(
        "Updated: We have added new reports from the harbour to this article.\n"
        "Credit: Ana Ruiz, Port Averly Museum The museum's curators found a new way to date the hull.\n"
        "Director: Ana Ruiz; Running time: 104 minutes; Rated: PG-13 for some violence.\n"
        "I TOLD YOU THE HARBOUR WALL WOULD FAIL THIS WINTER!\n"
        "Download the Port Averly Post news app now for alerts on the harbour!\n"
        "Since 2001, a search company has been donating its crawl data to a public web archive.\n"
        "The harbour authority said the NATO vessel would dock in Port Averly on Friday."
    )
    assert [c.reason for c in cands] == [
        "page furniture",
        "page furniture",
        "page furniture",
        "written in capitals: a headline or a shout",
        "page furniture",
        "page furniture",
        "",
    ]


def test_a_web_archive_notice_is_its_whole_paragraph_and_the_next_paragraph_is_the_article() -> None:
    cands = _one(
        "These crawls keep copies of pages as they are made. That way, a link to the page as it was "
        "stays readable when the page changes. Readers then see what the authors meant.\n\n"
        "Web wide crawl with initial seedlist from May 2012. The scope was not limited.\n\n"
        "The harbour authority said the NATO vessel would dock in Port Averly on Friday."
    )
    assert [c.reason for c in cands] == ["page furniture"] * 5 + [""]


def test_a_teaser_cut_off_with_an_ellipsis_and_a_caption_placing_people_are_not_eligible() -> None:
    cands = _one(
        "The researchers at Port Averly are also investigating whether...\n"
        "Councillor Ana Ruiz, left, and Mayor Tom Hale, right, at the harbour wall on Friday.\n"
        "Councillor Ana Ruiz left the meeting early, and Mayor Tom Hale spoke for the council on Friday."
    )
    assert [c.reason for c in cands] == ["not a complete sentence", "page furniture", ""]


def test_a_caption_opening_on_the_date_of_its_photo_is_furniture_but_in_this_case_is_reporting() -> None:
    cands = _one(
        "In this Saturday, July 1, 2017, photo, people line up at a dispensary in the valley.\n"
        "In this image released by the county, the flooded levee is seen from the air.\n"
        "In this case, the video showed the levee breaking on Tuesday morning."
    )
    assert [c.reason for c in cands] == ["page furniture", "page furniture", ""]


def test_news_of_a_crawl_space_or_of_an_archived_page_is_not_a_crawl_notice() -> None:
    cands = _one(
        "The toddler crawled into this crawl space under the house on Friday night.\n"
        "An archived copy on the Wayback Machine shows the page was changed in March."
    )
    assert [c.reason for c in cands] == ["", ""]


def test_a_sentence_opening_with_my_is_in_the_first_person() -> None:
    cands = _one("My phone lost half its charge overnight while it sat in flight mode.")
    assert cands[0].reason == "first person whose speaker the reader is not told"


def test_lets_is_the_first_person_too() -> None:
    cands = _one("Let's call the county's total tax take about 32 percent of the levee's cost.")
    assert cands[0].reason == "first person whose speaker the reader is not told"


def test_a_quotation_of_several_sentences_is_one_candidate_and_none_of_its_sentences_stands_alone() -> None:
    text = (
        "The mayor spoke on Tuesday evening in the town hall. "
        "“We will rebuild every home in Eastbank. The river will not beat us. Nobody will be left behind,” "
        "Mayor Ruth Ancell told reporters. "
        "The National Guard sent 400 soldiers to Port Averly."
    )
    cands = _one(text)
    whole = cands[1]
    assert whole.eligible and whole.text.startswith("“We will rebuild") and whole.text.endswith("told reporters.")
    assert text[whole.start : whole.end] == whole.text and (whole.position, whole.through) == (1, 3)
    # the middle sentence has no quotation mark of its own, yet it is the mayor's words, not the reporter's
    assert [(c.eligible, c.reason) for c in cands[2:4]] == [(False, "inside a quotation of several sentences")] * 2
    assert cands[4].eligible and cands[4].through == 4


def test_a_sentence_leaning_on_a_whole_quotation_is_chosen_with_it() -> None:
    from newsroundup.roundup.select import select_sentences

    text = (
        "“The wall held through the night. We expect it to hold,” engineer Ruth Ancell said on Tuesday. "
        "She said crews would inspect the spillway on Wednesday morning."
    )
    cands = build_candidates([Article("a", text)])
    lean = cands[0][2]
    assert lean.needs_previous and cands[0][0].through == 1
    weights = {b: 1.0 for b in lean.bigrams}
    chosen = select_sentences(cands, weights, budget=200).chosen
    assert {c.position for c in chosen} == {0, 2}


def test_a_quotation_too_long_to_cite_whole_is_not_cut_into_sentences() -> None:
    long_part = " ".join(["The water rose over the fields and the roads and the houses of the town."] * 4)
    cands = _one(f"“{long_part} Nobody was ready,” the mayor said. Engineers said the wall was holding on Tuesday.")
    assert [c.reason for c in cands[:5]] == ["too long"] + ["inside a quotation of several sentences"] * 4
    assert cands[-1].eligible


def test_a_closing_mark_or_an_unclosed_quotation_starts_no_whole_quotation() -> None:
    cands = _one(
        "He left the dam at noon on Tuesday. It is over,” the engineer said on Tuesday night. "
        "Crews will return to the spillway next week. “We are ready for the next flood and the one after."
    )
    assert all(c.through == c.position for c in cands)
    assert cands[1].reason == "part of a longer quote" and cands[3].reason == "part of a longer quote"


def test_straight_quotation_marks_over_several_sentences() -> None:
    cands = _one('"The wall held. We expect it to hold for a week," the engineer said. The river fell on Tuesday.')
    assert cands[0].eligible and cands[0].through == 1 and not cands[1].eligible
