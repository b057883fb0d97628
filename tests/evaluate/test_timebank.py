"""The TimeML loader and the date scorer: what counts as found, missed or wrong."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from newsroundup.errors import DataError
from newsroundup.evaluate.timebank import (
    Found,
    Score,
    TimeDocument,
    Timex,
    evaluate_dates,
    load_timeml,
    newsroundup_dates,
    score_document,
    split_documents,
    timeml_value,
)

TEXT = "Profit rose last year and sales fell in the third quarter, the company said Tuesday, for two weeks."


def _doc() -> TimeDocument:
    def timex(phrase: str, kind: str, value: str) -> Timex:
        start = TEXT.index(phrase)
        return Timex(start, start + len(phrase), phrase, kind, value)

    return TimeDocument(
        "d1",
        date(1989, 11, 2),
        TEXT,
        (
            timex("last year", "DATE", "1988"),
            timex("the third quarter", "DATE", "1989-Q3"),
            timex("Tuesday", "DATE", "1989-10-31"),
            timex("two weeks", "DURATION", "P2W"),
        ),
    )


def test_timeml_values_at_each_precision() -> None:
    assert timeml_value(date(1998, 1, 8), "day") == "1998-01-08"
    assert timeml_value(date(1998, 1, 5), "week") == "1998-W02"
    assert timeml_value(date(1998, 1, 1), "month") == "1998-01"
    assert timeml_value(date(1998, 1, 1), "year") == "1998"
    assert timeml_value(date(1998, 7, 1), "quarter") == "1998-Q3"
    assert timeml_value(date(1998, 6, 1), "season") == "1998-SU"


def test_scoring_counts_right_wrong_unscored_and_durations() -> None:
    doc = _doc()
    quarter = TEXT.index("third quarter")
    weeks = TEXT.index("two weeks")
    tuesday = TEXT.index("Tuesday")
    found = [
        Found(TEXT.index("last year"), TEXT.index("last year") + 9, "1988"),  # right
        Found(quarter, quarter + 13, "1989"),  # a quarter is not scored: neither way
        Found(tuesday, tuesday + 7, "1989-11-07"),  # wrong day
        Found(weeks, weeks + 9, "1989-W44"),  # a duration taken for a date
        Found(weeks, weeks + 9, "1989-Q4"),  # a quarter found is not scored either, as gold ones are not
    ]
    score = Score(errors=[])
    score_document(doc, found, score)
    assert (score.true_positive, score.predicted, score.gold) == (1, 3, 2)
    assert score.as_dict()["f1"] == pytest.approx(2 * (1 / 3) * 0.5 / (1 / 3 + 0.5), abs=1e-4)


def test_newsroundup_finds_the_scored_dates() -> None:
    score = Score()
    score_document(_doc(), newsroundup_dates(_doc()), score)
    assert (score.true_positive, score.predicted, score.gold) == (2, 2, 2)


def test_the_halves_split_the_documents() -> None:
    docs = [TimeDocument(f"doc{i}", date(1998, 1, 1), "", ()) for i in range(40)]
    fit, held = split_documents(docs, "fit"), split_documents(docs, "held-out")
    assert fit and held and len(fit) + len(held) == 40 and not {d.id for d in fit} & {d.id for d in held}
    part_a, part_b = split_documents(docs, "held-out-a"), split_documents(docs, "held-out-b")
    assert part_a and part_b and sorted(d.id for d in part_a + part_b) == sorted(d.id for d in held)


def test_a_file_is_loaded_and_scored(tmp_path: Path) -> None:
    doc = _doc()
    record = {
        "id": doc.id,
        "dct": "1989-11-02T09:00:00",
        "text": doc.text,
        "timexes": [{"start": t.start, "end": t.end, "type": t.type, "value": t.value} for t in doc.timexes],
    }
    path = tmp_path / "docs.jsonl"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    assert load_timeml(path)[0] == doc
    results = evaluate_dates(path, splits=("all",), systems=["newsroundup"])
    assert results["splits"]["all"]["systems"]["newsroundup"]["f1"] == 1.0


def test_bad_input_says_what_is_wrong(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="no such file"):
        load_timeml(tmp_path / "missing.jsonl")
    path = tmp_path / "bad.jsonl"
    path.write_text('{"id": "x", "dct": "1998-01-01", "text": "abc", "timexes": [{"start": 2, "end": 9}]}\n')
    with pytest.raises(DataError, match="outside the text"):
        load_timeml(path)
    path.write_text('{"id": "x", "dct": "soon", "text": "abc", "timexes": []}\n')
    with pytest.raises(DataError, match="not an ISO date"):
        load_timeml(path)
