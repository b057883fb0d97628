"""Labelled streams for ``evaluate stories --stream``: reading them, orders, and the model-free peers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsroundup.errors import DataError, InputError
from newsroundup.evaluate.stream import alone, load_labelled_stream, orders, score, single_pass_tfidf


def _stream(path: Path, rows: list[object]) -> Path:
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in rows), encoding="utf-8")
    return path


@pytest.fixture
def labelled(tmp_path: Path, invented_texts: dict[str, list[str]]) -> Path:
    """The invented bridge and festival articles as a labelled stream, dated days apart, written newest first."""
    rows: list[object] = []
    for gold, day in (("bridge", 3), ("festival", 20)):
        texts = invented_texts[gold]
        for n, text in enumerate(texts):
            rows.append({"id": f"{gold}-{n}", "text": text, "gold": gold, "published": f"2024-05-{day + n:02d}"})
    return _stream(tmp_path / "stream.jsonl", list(reversed(rows)))


def test_a_stream_is_read_in_publication_order_with_its_gold(labelled: Path) -> None:
    stream = load_labelled_stream(labelled)
    assert [a.id for a in stream.articles][:3] == ["bridge-0", "bridge-1", "bridge-2"]
    assert stream.gold["festival-1"] == "festival" and len(set(stream.gold.values())) == 2


@pytest.mark.parametrize(("row", "problem"), [
    ("{not json", "not valid JSON"),
    ({"id": "a", "text": "Some text here."}, "'gold' must be"),
    ({"id": "a", "text": "Some text here.", "gold": True}, "'gold' must be"),
    ({"id": "a", "text": "", "gold": "e"}, "has no 'text'"),
    ({"id": "a", "text": "Some text.", "gold": "e", "published": "yesterday"}, "not an ISO date"),
    ([1, 2], "expected a JSON object"),
])
def test_a_bad_line_is_one_line_naming_the_file_and_line(tmp_path: Path, row: object, problem: str) -> None:
    path = _stream(tmp_path / "s.jsonl", [{"id": "ok", "text": "A fine article.", "gold": "e"}, row])
    with pytest.raises(DataError, match=problem) as raised:
        load_labelled_stream(path)
    assert f"{path}:2:" in str(raised.value) and "\n" not in str(raised.value)


def test_a_record_that_is_all_page_furniture_is_skipped_and_listed(tmp_path: Path) -> None:
    rows: list[object] = [
        {"id": "a", "text": "A fine article about the bridge.", "gold": "e"},
        {"id": "b", "text": "Advertisement\nSkip to main content", "gold": "e"},
        {"id": "c", "text": "Another article about the bridge.", "gold": "e"},
    ]
    path = _stream(tmp_path / "s.jsonl", rows)
    stream = load_labelled_stream(path)
    assert [a.id for a in stream.articles] == ["a", "c"] and set(stream.gold) == {"a", "c"}
    assert len(stream.skipped) == 1 and stream.skipped[0].startswith(f"{path}:2: ")
    with pytest.raises(DataError, match="no articles"):
        load_labelled_stream(_stream(tmp_path / "only.jsonl", [rows[1]]))


def test_a_repeated_id_an_empty_stream_and_a_missing_file_are_refused(tmp_path: Path) -> None:
    row = {"id": "a", "text": "A fine article.", "gold": "e"}
    with pytest.raises(DataError, match="appears twice"):
        load_labelled_stream(_stream(tmp_path / "twice.jsonl", [row, row]))
    with pytest.raises(DataError, match="no articles"):
        load_labelled_stream(_stream(tmp_path / "empty.jsonl", [""]))
    with pytest.raises(InputError, match="cannot read the stream"):
        load_labelled_stream(tmp_path / "missing.jsonl")


def test_orders_are_publication_order_and_seeded_shuffles(labelled: Path) -> None:
    stream = load_labelled_stream(labelled)
    signals = list(range(len(stream.articles)))  # stand-ins: orders only permutes them alongside the articles
    runs = orders(stream.articles, signals, "both", shuffles=2, seed=7)  # type: ignore[arg-type]
    assert list(runs) == ["date order", "shuffle 0", "shuffle 1"]
    again = orders(stream.articles, signals, "shuffled", shuffles=2, seed=7)  # type: ignore[arg-type]
    assert [a.id for a in again["shuffle 1"][0]] == [a.id for a in runs["shuffle 1"][0]]
    for articles, kept in runs.values():
        assert [stream.articles.index(a) for a in articles] == kept  # each signal stays with its article


def test_the_model_free_peers_never_mix_two_distinct_events(labelled: Path) -> None:
    stream = load_labelled_stream(labelled)
    tfidf = score(single_pass_tfidf(), stream.articles, [], stream.gold)
    alone_scores = score(alone, stream.articles, [], stream.gold)
    assert alone_scores["stories"] == len(stream.articles) and alone_scores["precision"] == 1.0
    assert tfidf["precision"] == 1.0 and 2 <= tfidf["stories"] < len(stream.articles)  # joins some, mixes none
