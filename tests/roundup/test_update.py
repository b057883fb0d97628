"""Tests for roundup/update.py through summarize: what's new leaves out what was already reported."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from newsroundup.errors import InputError
from newsroundup.model import Article
from newsroundup.roundup.checker import check_roundup
from newsroundup.roundup.summarize import RoundupOptions, summarize
from newsroundup.roundup.update import NOTHING_NEW, UpdateOptions, reported_concepts

DAY1 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
DAY3 = datetime(2026, 3, 4, 9, 0, tzinfo=UTC)

EARLIER = [
    Article(
        "e1",
        "The Corran dam failed on Monday night and flooded the valley below it. "
        "Three hundred homes in Ardmore were evacuated before the water arrived. "
        "The regional council opened two shelters in the school halls.",
        outlet="Valley Post",
        published=DAY1,
    ),
    Article(
        "e2",
        "Floodwater from the Corran dam reached Ardmore on Monday night. "
        "Three hundred homes in Ardmore were evacuated before the water arrived, officials said. "
        "The council opened shelters in two school halls for the families.",
        outlet="Coast Courier",
        published=DAY1,
    ),
]
REPEATED = (
    "The Corran dam failed on Monday night and flooded the valley below it. "
    "Three hundred homes in Ardmore were evacuated before the water arrived."
)
NEW = [
    Article(
        "n1",
        REPEATED + " Engineers found a crack running through the spillway wall on Wednesday. "
        "The crack had been reported to the water board in a safety inspection last year.",
        outlet="Valley Post",
        published=DAY3,
    ),
    Article(
        "n2",
        "Inspectors found a crack running through the spillway wall of the Corran dam. "
        "A safety inspection last year had reported the crack to the water board, documents show. "
        "Three hundred homes in Ardmore were evacuated before the water arrived.",
        outlet="Coast Courier",
        published=DAY3,
    ),
]


def test_an_update_cites_only_what_the_newer_articles_add() -> None:
    plain = summarize(NEW, RoundupOptions(words=60))
    update = summarize(NEW, RoundupOptions(words=60), seen=EARLIER)
    check_roundup(update, NEW, 60)
    assert any("evacuated" in s.text for s in plain.sentences)  # without the earlier articles: old facts too
    assert update.sentences and all("evacuated" not in s.text and "dam failed" not in s.text for s in update.sentences)
    assert any("crack" in s.text for s in update.sentences)
    assert NOTHING_NEW not in update.warnings


def test_an_update_with_nothing_new_says_so_and_cites_nothing() -> None:
    again = [Article("n3", EARLIER[0].text, outlet="Daily Wire", published=DAY3)]
    update = summarize(again, RoundupOptions(words=60), seen=EARLIER)
    assert update.sentences == () and NOTHING_NEW in update.warnings


def test_how_much_repetition_a_sentence_may_carry_is_an_option() -> None:
    reported = reported_concepts(EARLIER)
    assert reported and all(len(concept) == 2 for concept in reported)
    strict = summarize(NEW, RoundupOptions(words=60, update=UpdateOptions(repeat_share=0.2)), seen=EARLIER)
    loose = summarize(NEW, RoundupOptions(words=60, update=UpdateOptions(repeat_share=1.0)), seen=EARLIER)
    assert len(strict.sentences) <= len(loose.sentences)
    with pytest.raises(InputError, match="repeat share"):
        UpdateOptions(repeat_share=0.0)
