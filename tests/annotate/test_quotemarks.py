"""Quotation marks: every newspaper style, quotes running over paragraphs, unclosed marks."""

from __future__ import annotations

from newsroundup.annotate.quotemarks import find_quotations


def _quoted(text: str) -> list[str]:
    return [text[m.start : m.end] for m in find_quotations(text)]


def test_quotation_marks_of_every_style_are_found() -> None:
    text = (
        'She said "straight quotes," and he said “curly quotes.”\n\n'
        "``Wire style,'' the agency said.\n\n"
        "‘British style,’ she said of the region’s dams and the Brigades’ team."
    )
    assert _quoted(text) == ["straight quotes", "curly quotes.", "Wire style", "British style"]


def test_a_quote_running_on_to_the_next_paragraph_is_kept_per_paragraph() -> None:
    text = "“We stayed,” she said. “We had no choice.\n\n“Nobody came for us.”"
    assert _quoted(text) == ["We stayed", "We had no choice.", "Nobody came for us."]


def test_an_unclosed_mark_without_a_continuation_is_not_a_quote() -> None:
    assert _quoted('He said "this never closes.\n\nThe next paragraph is plain.') == []


def test_a_curly_double_quote_may_close_straight_and_the_other_way_round() -> None:
    text = '“We are going to win," he said. "We will build it,” she said.'
    assert [text[q.start : q.end] for q in find_quotations(text)] == ["We are going to win", "We will build it"]


def test_a_single_quote_inside_a_double_one_does_not_end_it() -> None:
    text = "“There are no ‘boots on the ground,’ when we have them,” he said."
    assert [text[q.start : q.end] for q in find_quotations(text)] == [
        "There are no ‘boots on the ground,’ when we have them"
    ]
