"""Tests for pipeline/show.py: what ``status``, ``articles``, ``stories`` and ``story`` print is inert in a terminal."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import pytest

from newsroundup.cli import main
from newsroundup.model import Story, roundup_to_json
from newsroundup.pipeline.progress import terminal_line
from newsroundup.roundup.summarize import summarize
from newsroundup.store import Store
from roundup.test_update import EARLIER

EVIL_OUTLET = "\x1b[31mValley Post\x1b[0m\x07"
EVIL_TITLE = "Dam \x9b2J fails\rOK"  # C1 CSI clears the screen; a carriage return overwrites the line
# What a terminal acts on: ESC, BEL, CR, the C1 block (8-bit CSI) and DEL; newlines and tabs are fine.
TERMINAL_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


@pytest.fixture
def evil_db(tmp_path: Path) -> Path:
    """A store whose articles carry escape sequences in outlet, title and text, grouped into one story."""
    db = tmp_path / "news.db"
    articles = [
        replace(a, outlet=EVIL_OUTLET, title=EVIL_TITLE, text=a.text.replace("Monday", "Mon\x1b]0;pwned\x07day"))
        for a in EARLIER
    ]
    with Store(db) as store:
        for n, article in enumerate(articles):
            store.save_article(article, fingerprint=f"f{n}", source="test\x1b[2J")
        store.record_failure("feed\x1b[2J.xml", "item\x9b", "bad-record", "feed\x1b[2J.xml: no 'text'\x1b[0m")
        ids = tuple(a.id for a in articles)
        store.save_grouping({"format": 1}, article_seq=1, previous_seq=0, stories=[Story("s1", ids)], merged={})
        store.save_roundup("s1", "fp1", roundup_to_json(summarize(articles, story_id="s1")), 2)
    return db


@pytest.mark.parametrize(
    "argv",
    [
        ["status", "--failures"],
        ["articles"],
        ["articles", "--format", "jsonl"],
        ["stories"],
        ["stories", "--format", "json"],
        ["story", "s1"],
        ["story", "s1", "--changes"],
        ["story", "s1", "--format", "json"],
        ["story", "s1", "--format", "html"],
    ],
)
def test_plain_outputs_carry_no_terminal_control_characters(
    evil_db: Path, capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    assert main([*argv, "--db", str(evil_db)]) == 0
    out = capsys.readouterr().out
    assert out.strip()
    assert TERMINAL_CONTROL.findall(out) == []


def test_json_outputs_keep_the_text_as_escapes(evil_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["articles", "--format", "jsonl", "--db", str(evil_db)]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert {r["title"] for r in records} == {EVIL_TITLE}  # nothing lost: the JSON still means the same
    assert main(["articles", "--db", str(evil_db)]) == 0
    assert "[31mValley Post[0m" in capsys.readouterr().out  # the visible characters are kept


def test_an_error_line_carries_no_terminal_control_characters(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["summarize", str(tmp_path / "no\x1b[2Jsuch.txt")]) == 2
    err = capsys.readouterr().err
    assert "no such file or folder" in err and TERMINAL_CONTROL.findall(err) == []


def test_progress_and_failure_lines_of_add_carry_no_terminal_control_characters(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "feed\x1b[2J.jsonl"
    source.write_text(
        json.dumps({"id": "ok\x1b]0;pwned\x07", "text": "A real sentence about the council vote on Monday."}) + "\n"
        + json.dumps({"id": "bad\x1b[31m", "text": ""}) + "\n",
        encoding="utf-8",
    )
    db = tmp_path / "news.db"
    assert main(["add", str(source), "--db", str(db)]) == 1  # the empty record failed, the good one is kept
    err = capsys.readouterr().err
    assert "feed[2J.jsonl" in err and "1 added" in err
    assert TERMINAL_CONTROL.findall(err) == []


def test_terminal_line_is_one_line_without_controls() -> None:
    assert terminal_line("bad\x1b[31m title\nsecond\tline\x9b") == "bad[31m title second line"
