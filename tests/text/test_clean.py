"""Cleaning: page furniture lines go, reporting stays verbatim; datelines are skipped in sentences."""

import pytest

from newsroundup.text.clean import clean_body, content_start, is_furniture


def test_furniture_lines_are_removed_and_prose_is_kept_verbatim() -> None:
    body = "\n".join(
        [
            "By Jane Doe, Staff Writer",
            "Advertisement",
            "The river rose four meters overnight.",
            "Share on Facebook | Twitter | Email",
            "We use cookies to improve your experience. Accept all cookies",
            "Photo: Floodwater on Main Street. (Getty Images)",
            "By Tuesday, the water had reached the second floor of some homes.",
            "Sign up for our newsletter",
            "Copyright 2026 Example News. All rights reserved.",
        ]
    )
    assert clean_body(body) == (
        "The river rose four meters overnight.\n"
        "By Tuesday, the water had reached the second floor of some homes."
    )


def test_a_web_archive_notice_line_is_removed_whatever_else_it_says() -> None:
    body = (
        "These crawls keep copies of pages as they are made. That way, a link to the page stays readable.\n\n"
        "Web wide crawl with initial seedlist from May 2012. The scope was not limited.\n\n"
        "The toddler crawled into this crawl space under the house on Friday night."
    )
    assert clean_body(body) == "The toddler crawled into this crawl space under the house on Friday night."


def test_long_prose_that_starts_like_furniture_is_kept() -> None:
    line = "Related talks between the two parties are expected to resume in Geneva next week, diplomats said."
    assert not is_furniture(line)
    assert not is_furniture("Published reports said the minister had resigned.")


def test_datelines_and_wire_slugs_are_skipped() -> None:
    cases = {
        "PARIS (AP) — The French government said": "The French government said",
        "WASHINGTON, May 3 (Reuters) - Officials met": "Officials met",
        "LONDON — Britain voted": "Britain voted",
        "(CNN) -- A storm hit": "A storm hit",
        "NEW YORK _ Stocks fell": "Stocks fell",
        "NORTHGATE (Meridian Wire) - Insurer Harwell Mutual said": "Insurer Harwell Mutual said",
    }
    for sentence, rest in cases.items():
        assert sentence[content_start(sentence) :] == rest


def test_a_sentence_without_dateline_is_untouched() -> None:
    for sentence in ["The U.S. Senate voted.", "NATO said on Friday it would act.", "AP reporters saw it."]:
        assert content_start(sentence) == 0


def test_a_video_players_close_button_before_a_caption_is_skipped() -> None:
    sentence = "CLOSE Bone-chilling cold gripped the valley as the year began."
    assert sentence[content_start(sentence) :] == "Bone-chilling cold gripped the valley as the year began."
    for kept in ("CLOSE CALL FOR THE MAYOR", "Close to 400 people were evacuated."):
        assert content_start(kept) == 0
    cases = {
        "CLOSE Skip in Skip x Embed x Share A former officer was charged.": "A former officer was charged.",
        "Buy Photo Genesee County officials met.": "Genesee County officials met.",
        "SHARE COPY LINK Broward Circuit Judge Carol Phillips ruled.": "Broward Circuit Judge Carol Phillips ruled.",
        "Updated | When the first humans left Africa, they shrank.": "When the first humans left Africa, they shrank.",
        "Image The White House said on Wednesday it would wait.": "The White House said on Wednesday it would wait.",
    }
    for sentence, rest in cases.items():
        assert sentence[content_start(sentence) :] == rest
    for kept in ("Photo ID laws were upheld.", "Image makers met in Paris.", "Share prices fell."):
        assert content_start(kept) == 0


def test_a_place_and_day_dateline_is_skipped() -> None:
    from newsroundup.text.clean import content_start

    for line in ("Davos, Jan 23: US Secretary John Kerry said it.", "WASHINGTON, Jan. 20 — The vote held."):
        assert line[content_start(line) :].startswith(("US Secretary", "The vote"))
    assert content_start("Obama, in January, said so.") == 0


@pytest.mark.parametrize(
    ("sentence", "rest"),
    [
        ("(CNN) The president said it.", "The president said it."),
        ("Washington (CNN)President Obama said it.", "President Obama said it."),
        ("WASHINGTON (CNN) The president said it.", "The president said it."),
        ("Paris (AFP) - Ministers met.", "Ministers met."),
        ("WASHINGTON, Jan 20 (Reuters) Ministers met.", "Ministers met."),
        ("Washington, January 20 (IANS) Ministers met.", "Ministers met."),
        ("PARIS, January 20, 2016 (AFP) - Ministers met.", "Ministers met."),
        ("BRUSSELS/PARIS (Reuters) - Ministers met.", "Ministers met."),
        ("DAVOS, Switzerland, Jan. 23 (Xinhua) -- Kerry said.", "Kerry said."),
        ("PARIS, Jan. 20, 2016 — Ministers met.", "Ministers met."),
        ("NEW DELHI: Ministers met.", "Ministers met."),
        ("WASHINGTON—The chairman promised a review.", "The chairman promised a review."),
        ("HIROSHIMA--A stray dog joined the rescue.", "A stray dog joined the rescue."),
    ],
)
def test_common_dateline_forms_are_skipped(sentence: str, rest: str) -> None:
    assert sentence[content_start(sentence) :] == rest


def test_names_and_speakers_that_open_a_sentence_are_not_datelines() -> None:
    for sentence in ("The Associated Press (AP) said it.", "NATO: We will act.", "Obama, in January, said so."):
        assert content_start(sentence) == 0


def test_local_datelines_with_a_hyphen_or_a_station_are_skipped() -> None:
    for sentence, rest in {
        "ALLENTOWN, Pa. - The Lehigh County Humane Society came to the rescue.": "The Lehigh County",
        "DETROIT - A Wayne State University police officer has died.": "A Wayne State",
        "FORT WAYNE, Ind. (WANE) The Fort Wayne mother was charged.": "The Fort Wayne",
    }.items():
        assert sentence[content_start(sentence) :].startswith(rest)
    assert content_start("NATO - the alliance said it would act.") == 0
