"""JSONL input: any line becomes a record or a one-line problem, and one bad line never costs another."""

from __future__ import annotations

import json
from datetime import UTC
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from newsroundup.errors import InputError
from newsroundup.sources.files import article_from_record
from newsroundup.sources.jsonl import MAX_DEPTH, jsonl_lines

GOOD = {"id": "a1", "text": "The council met on Monday.", "published": "2026-05-04T12:00:00Z"}
BAD_LINES = [
    '{"n": ' + "9" * 5000 + "}",  # over Python's integer-string limit
    "[" * 100_000 + "]" * 100_000,  # deeper than the parser's recursion limit
    '{"a": ' * (MAX_DEPTH + 5) + "1" + "}" * (MAX_DEPTH + 5),
    '{"text": "\\ud800"}',  # a lone surrogate: cannot be written as UTF-8
    "{not json",
    "[1, 2]",
]

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)


def test_each_known_bad_line_is_named_and_the_good_lines_around_it_are_kept() -> None:
    good = json.dumps(GOOD)
    text = "\n".join(x for bad in BAD_LINES for x in (good, bad)) + "\n" + good
    lines = list(jsonl_lines("feed.jsonl", text))
    assert len(lines) == 2 * len(BAD_LINES) + 1
    assert [line.record for line in lines[::2]] == [GOOD] * (len(BAD_LINES) + 1)
    for line in lines[1::2]:
        assert line.record is None and line.problem and "\n" not in line.problem
        assert line.where.startswith("feed.jsonl:")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(max_size=60) | json_values.map(json.dumps), max_size=8))
def test_any_lines_give_one_result_each_and_never_raise(lines: list[str]) -> None:
    text = "\n".join(json.dumps(GOOD) if n % 2 else line.replace("\n", " ") for n, line in enumerate(lines))
    results = list(jsonl_lines("x.jsonl", text))
    assert len(results) == sum(1 for line in text.splitlines() if line.strip())
    assert sum(r.record == GOOD for r in results) >= sum(1 for n in range(len(lines)) if n % 2)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from(["id", "text", "published", "title", "outlet", "url", "language"]), json_values))
def test_any_record_is_an_article_or_an_input_error(record: dict[str, Any]) -> None:
    try:
        article = article_from_record(record, default_id="fallback")
    except InputError as exc:
        assert "\n" not in str(exc)
        return
    assert article.text.strip() and isinstance(article.id, str)


def test_a_date_outside_the_utc_range_is_refused_clearly() -> None:
    record = dict(GOOD, published="0001-01-01T00:00:00+14:00")
    try:
        article_from_record(record, default_id="x")
    except InputError as exc:
        assert "outside the range of dates" in str(exc)
    else:
        raise AssertionError("accepted a date with no UTC time")
    assert article_from_record(GOOD, "x").published == article_from_record(GOOD, "x").published.astimezone(UTC)


def test_a_list_id_is_refused_instead_of_colliding_with_its_string_form() -> None:
    try:
        article_from_record(dict(GOOD, id=["a"]), default_id="x")
    except InputError as exc:
        assert "'id'" in str(exc)
    else:
        raise AssertionError("a list id was accepted")


def test_a_text_that_cleaning_empties_is_refused_not_stored_empty() -> None:
    for text in (";", "{", "  ;  "):  # found by the fuzzing above
        try:
            article_from_record({"text": text}, default_id="x")
        except InputError as exc:
            assert "nothing left once cleaned" in str(exc)
        else:
            raise AssertionError(f"accepted {text!r} as an article")
