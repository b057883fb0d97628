"""Command-line options: every number and date is checked by argparse (usage error, exit 2), never a traceback."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from newsroundup.cli import build_parser, main

HUGE = "99999999999999999999999"  # overflows SQLite's INTEGER (it was a traceback from `stories`)


def _actions(parser: argparse.ArgumentParser, name: str = "newsroundup") -> list[tuple[str, argparse.Action]]:
    """Every option of every (sub)command, with the command it belongs to."""
    found = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub_name, sub in action.choices.items():
                found += _actions(sub, f"{name} {sub_name}")
        else:
            found.append((name, action))
    return found


def test_no_option_takes_an_unbounded_number() -> None:
    unbounded = [
        f"{command} {'/'.join(action.option_strings) or action.dest}"
        for command, action in _actions(build_parser())
        if action.type in (int, float)
    ]
    assert unbounded == []


@pytest.mark.parametrize(
    ("argv", "problem"),
    [
        (["stories", "--min-sources", HUGE], f"argument --min-sources: {HUGE} is out of range (0 to 1,000,000)"),
        (["stories", "--min-sources", "-1"], "argument --min-sources: -1 is out of range"),
        (["stories", "--since", "0001-01-01T00:00:00+14:00"], "argument --since: '0001-01-01T00:00:00+14:00' is out"),
        (["stories", "--since", "9999-12-31T23:59:59-14:00"], "is outside the range of dates"),
        (["articles", "--since", "0001-01-01T00:00:00+14:00"], "is outside the range of dates"),
        (["articles", "--since", "yesterday"], "argument --since: 'yesterday' is not an ISO date or time"),
        (["summarize", "x.txt", "--words", HUGE], "argument --words: 9999"),
        (["run", "--words", "0"], "argument --words: 0 is out of range (1 to 1,000,000)"),
        (["add", "x.txt", "--delay", "nan"], "argument --delay: nan is out of range"),
        (["add", "x.txt", "--timeout", "inf"], "argument --timeout: inf is out of range"),
        (["add", "x.txt", "--timeout", "0"], "argument --timeout: 0 is out of range (more than 0"),
        (["add", "x.txt", "--retries", HUGE], "argument --retries:"),
        (["run", "--retries", "two"], "argument --retries: 'two' is not a whole number"),
        (["evaluate", "duc2004", "--limit", "0"], "argument --limit: 0 is out of range"),
        (["evaluate", "stories", "--seed", HUGE], "argument --seed:"),
        (["serve", "--port", "65536"], "argument --port: 65536 is out of range (0 to 65,535)"),
    ],
)
def test_out_of_range_options_are_usage_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], problem: str
) -> None:
    with pytest.raises(SystemExit) as stopped:
        main([*argv, "--db", str(tmp_path / "s.db")] if argv[0] in ("stories", "articles", "add", "run") else argv)
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert problem in err and "Traceback" not in err
    assert [line for line in err.splitlines() if "error:" in line] == [err.splitlines()[-1]]
    assert not (tmp_path / "s.db").exists()


def test_a_date_in_range_still_filters(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = tmp_path / "a.txt"
    text.write_text("---\npublished: 2026-03-02\n---\nThe harbour reopened on Monday after the storm.\n")
    db = str(tmp_path / "s.db")
    assert main(["add", str(text), "--db", db, "--quiet"]) == 0
    capsys.readouterr()
    assert main(["articles", "--db", db, "--since", "2026-03-01T00:00:00+14:00"]) == 0
    assert "2026-03-02" in capsys.readouterr().out
    assert main(["articles", "--db", db, "--since", "2026-03-03"]) == 0
    assert "2026-03-02" not in capsys.readouterr().out
