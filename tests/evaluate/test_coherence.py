"""Coherence metrics on invented summaries: dangling openings, near-duplicates, datelines."""

from __future__ import annotations

import pytest

from newsroundup.evaluate.coherence import Coherence, coherence_of, near_duplicate, summary_sentences

pytestmark = pytest.mark.usefixtures("private_cache")


def test_sentences_come_from_lines_and_from_within_lines() -> None:
    summary = "The ferry added crossings. Commuters waited.\nThe council met on Thursday."
    assert summary_sentences(summary) == [
        "The ferry added crossings.",
        "Commuters waited.",
        "The council met on Thursday.",
    ]


def test_sentences_after_the_word_budget_are_left_out() -> None:
    summary = "One two three four. Five six seven. Eight nine ten eleven. Twelve."
    assert summary_sentences(summary, words=5) == ["One two three four.", "Five six seven."]
    assert summary_sentences(summary, words=4) == ["One two three four."]
    assert coherence_of([summary + " But thirteen."], words=7).dangling == 0
    assert coherence_of([summary + " But thirteen."]).dangling == 1


def test_near_duplicates_are_the_same_fact_in_other_words() -> None:
    a = "Engineers found a crack in a steel girder of the Harrow Point bridge on Tuesday."
    b = "On Tuesday engineers found a crack in one steel girder of the Harrow Point bridge."
    c = "The council approved 12 million crowns for repairs on Thursday."
    assert near_duplicate(a, b)
    assert not near_duplicate(a, c)
    # Sharing only stopwords is not duplication.
    assert not near_duplicate("It was the one that they had.", "It was the one that they had not.")


def test_counts_over_all_summaries() -> None:
    summaries = [
        "MARLOW BAY (AP) — The bridge was closed on Tuesday.\nHe said it would reopen.\n"
        "The Harrow Point bridge was closed on Tuesday.",
        "But the council disagreed.\nVolunteers collected 300 bags of litter.",
        "",
    ]
    result = coherence_of(summaries)
    assert result == Coherence(
        sentences=5, dangling=2, unresolved=2, pairs=4, near_duplicate_pairs=1, datelines=1
    )
    assert result.dangling_share == 2 / 5
    assert result.near_duplicate_share == 1 / 4


def test_dangling_opening_after_a_dateline_counts() -> None:
    assert coherence_of(["KESTREL VALLEY (AP) — They thanked the visitors."]).dangling == 1


def test_no_sentences_means_no_defects() -> None:
    empty = coherence_of([])
    assert (empty.dangling_share, empty.near_duplicate_share) == (0.0, 0.0)


def test_an_opening_pronoun_right_after_its_source_predecessor_is_resolved() -> None:
    from newsroundup.evaluate.coherence import coherence_of

    doc = "Governor Elena Marchetti spoke in Lindell on Tuesday. She said the dam would be rebuilt. Rain fell."
    chained = "Governor Elena Marchetti spoke in Lindell on Tuesday.\nShe said the dam would be rebuilt."
    orphaned = "Rain fell on the valley for days.\nShe said the dam would be rebuilt."
    result = coherence_of([chained, orphaned], documents=[[doc], [doc]])
    assert result.dangling == 2
    assert result.unresolved == 1
    assert coherence_of([chained]).unresolved == 1, "without sources nothing counts as resolved"
