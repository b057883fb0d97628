"""``newsroundup quotes``: records, the three output formats, bad input, and one real run (slow)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from newsroundup.model import Article, Quote, Span
from newsroundup.pipeline.quotes import FIELDS, record, write_records

TEXT = 'Kerry said the group had lost ground. "We are winning," he added.'
ARTICLE = Article(id="k", text=TEXT)
QUOTES = [
    Quote(
        "the group had lost ground",
        "John Kerry",
        Span("k", 11, 36),
        kind="reported",
        cue="said",
        speaker_span=Span("k", 0, 5),
    ),
    Quote(
        "We are winning", "John Kerry", Span("k", 39, 53), kind="direct", cue="added", speaker_span=Span("k", 56, 58)
    ),
]


def test_records_carry_offsets_into_the_text_and_the_speaker_as_written() -> None:
    rows = [record(ARTICLE, q) for q in QUOTES]
    assert [TEXT[r["start"] : r["end"]] for r in rows] == [r["text"] for r in rows]
    assert [r["speaker_as_written"] for r in rows] == ["Kerry", "he"]
    assert list(rows[0]) == list(FIELDS)


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "md"])
def test_every_format_writes_every_record(fmt: str) -> None:
    out = io.StringIO()
    write_records(iter([record(ARTICLE, q) for q in QUOTES]), fmt, out)
    text = out.getvalue()
    if fmt == "jsonl":
        assert [json.loads(line)["kind"] for line in text.splitlines()] == ["reported", "direct"]
    elif fmt == "csv":
        assert [r["speaker"] for r in csv.DictReader(io.StringIO(text))] == ["John Kerry", "John Kerry"]
    else:
        assert "“We are winning”" in text and "“the group" not in text  # reported speech is never quoted


def test_a_missing_path_is_a_one_line_error(capsys: pytest.CaptureFixture[str]) -> None:
    from newsroundup.cli import main

    assert main(["quotes", "/no/such/file.txt"]) != 0
    err = capsys.readouterr().err
    assert "no such file" in err and "Traceback" not in err


def test_quotes_command_prints_who_said_what(nlp: object, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from newsroundup.cli import main

    path = tmp_path / "a.txt"
    path.write_text(
        "French Defence Minister Jean-Yves Le Drian said on Tuesday that the coalition would strike again.\n\n"
        '"We will not stop," Le Drain told reporters.\n',
        encoding="utf-8",
    )
    assert main(["quotes", str(path), "--kind", "all"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert {(r["kind"], r["speaker"]) for r in rows} == {
        ("reported", "Jean-Yves Le Drian"),
        ("direct", "Jean-Yves Le Drian"),
    }
    direct = next(r for r in rows if r["kind"] == "direct")
    assert direct["text"] == "We will not stop" and direct["speaker_as_written"] == "Le Drain"


def test_the_worker_is_warmed_up_only_for_inputs_large_enough_to_need_it(tmp_path: Path) -> None:
    from newsroundup.pipeline.quotes import _WARM_BYTES, _bytes_in

    folder = tmp_path / "articles"
    (folder / "deeper").mkdir(parents=True)
    (folder / "a.txt").write_text("x" * 1000, encoding="utf-8")
    (folder / "deeper" / "b.txt").write_text("y" * 2000, encoding="utf-8")
    one = tmp_path / "one.jsonl"
    one.write_text("z" * 500, encoding="utf-8")
    assert _bytes_in([str(folder), str(one), str(tmp_path / "missing.txt")]) == 3500 < _WARM_BYTES
    (folder / "big.jsonl").write_text("w" * _WARM_BYTES, encoding="utf-8")
    assert _bytes_in([str(folder)]) >= _WARM_BYTES
