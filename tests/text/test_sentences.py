"""Sentence splitting: boundaries a reader would draw, with exact offsets."""

from newsroundup.text.sentences import ends_with_abbreviation, split_sentences


def _split(text: str) -> list[str]:
    return [text[s.start : s.end] for s in split_sentences(text)]


def test_offsets_point_back_into_the_text() -> None:
    text = "  The storm hit at dawn.  Officials said 12 died.\n\nRescuers arrived. "
    spans = split_sentences(text)
    assert [text[s.start : s.end] for s in spans] == [
        "The storm hit at dawn.",
        "Officials said 12 died.",
        "Rescuers arrived.",
    ]


def test_titles_initials_and_dotted_acronyms_do_not_end_sentences() -> None:
    text = "Mr. Smith met Gen. John W. Doe at 3 p.m. in the U.S. Senate. They spoke briefly."
    assert _split(text) == [
        "Mr. Smith met Gen. John W. Doe at 3 p.m. in the U.S. Senate.",
        "They spoke briefly.",
    ]


def test_month_abbreviation_before_a_day_number_stays_joined() -> None:
    text = "Ranariddh has stayed abroad since the Sept. 7 protests. He plans to return Oct. 16 or later."
    assert _split(text) == [
        "Ranariddh has stayed abroad since the Sept. 7 protests.",
        "He plans to return Oct. 16 or later.",
    ]


def test_closing_quotes_stay_with_their_sentence() -> None:
    text = "\"We will rebuild.\" She left. ``It is over,'' he said. “Go now.” Done!"
    assert _split(text) == [
        '"We will rebuild."',
        "She left.",
        "``It is over,'' he said.",
        "“Go now.”",
        "Done!",
    ]


def test_a_line_break_always_ends_a_sentence() -> None:
    text = "Flood warning for Eastbank\nResidents were told to leave"
    assert _split(text) == ["Flood warning for Eastbank", "Residents were told to leave"]


def test_lowercase_after_a_period_does_not_start_a_sentence() -> None:
    assert _split("The vote was 52-48 vs. last year's 50-50 split.") == [
        "The vote was 52-48 vs. last year's 50-50 split."
    ]


def test_ranks_plural_titles_numbers_and_decimals_do_not_end_sentences() -> None:
    text = (
        "In 2002, Master Cpl. Arron Perry and Pfc. Lee Hall were hit. Sens. Brown and Gray met at No. 10 "
        "at 3.5 p.m. on Jan. 5. It cost $4.5 million."
    )
    assert _split(text) == [
        "In 2002, Master Cpl. Arron Perry and Pfc. Lee Hall were hit.",
        "Sens. Brown and Gray met at No. 10 at 3.5 p.m. on Jan. 5.",
        "It cost $4.5 million.",
    ]


def test_a_closing_period_of_an_abbreviation_is_told_from_a_full_stop() -> None:
    for text in ("Cold gripped much of the U.S.", "Shots rang out in New Hope, Minn.", "at 5 p.m. ", "Gov."):
        assert ends_with_abbreviation(text), text
    for text in ("The dam broke.", "He waited...", "No period", "The vote was 5-4."):
        assert not ends_with_abbreviation(text), text
