"""``evaluate multinews`` end to end on invented clusters; its furniture and headline checks on invented lines."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsroundup.cli import main
from newsroundup.errors import DataError
from newsroundup.evaluate.multinews import evaluate_multinews, furniture_counts, headline_counts

pytestmark = pytest.mark.usefixtures("private_cache")

SUMY = {"sumy-LexRank", "sumy-TextRank", "sumy-LSA"}


def test_every_system_is_scored_in_one_run_with_its_furniture_and_headline_checks(invented_duc: Path) -> None:
    results = evaluate_multinews(invented_duc, part="all", words=40, quiet=True)
    systems = results["systems"]
    assert set(systems) == {"newsroundup", *SUMY}
    assert results["clusters"] == 2 and results["check_failures"] == 0
    for row in systems.values():
        assert row["rouge_2_vs_lexrank"] is not None and row["sentences"] > 0
        assert row["headline"]["headlines"] == 2 and row["headline"]["none"] == 0
    assert systems["sumy-LexRank"]["rouge_2_vs_lexrank"] == 1.0
    assert systems["newsroundup"]["rouge_1"] > 20.0


def test_the_fit_part_is_the_first_125_clusters(invented_duc: Path) -> None:
    assert evaluate_multinews(invented_duc, part="fit", words=40, with_sumy=False, quiet=True)["clusters"] == 2
    with pytest.raises(DataError, match="no clusters in the held-out part"):
        evaluate_multinews(invented_duc, part="held-out", words=40, with_sumy=False, quiet=True)


def test_furniture_is_counted_by_whole_phrases_and_headlines_by_the_headline_rules() -> None:
    counts = furniture_counts(
        {
            "a": "The carrier had more than 52 million subscribers at the end of June.\nSubscribe to our newsletter.",
            "b": "The council compared 83 road safety advertisements from six countries.\n(AP Photo/Ana Ruiz)",
        }
    )
    assert counts["sentences"] == 4 and counts["furniture_independent"] == 2
    heads = headline_counts(
        {
            "a": "Council closes the old library on Mill Road",
            "b": "He said the library would close",
            "c": "The council voted on Monday night to close the old library on Mill Road and sell the building soon",
            "d": "",
        }
    )
    assert heads == {"headlines": 4, "breaking_rules": 1, "over_16_words": 1, "none": 1}


def test_the_command_writes_its_results_and_refuses_a_folder_without_clusters(
    invented_duc: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "results.json"
    argv = ["evaluate", "multinews", "--data", str(invented_duc), "--part", "all", "--words", "40"]
    assert main([*argv, "--no-sumy", "--quiet", "--out", str(out)]) == 0
    assert set(json.loads(out.read_text(encoding="utf-8"))["systems"]) == {"newsroundup"}
    assert "newsroundup" in capsys.readouterr().out
    assert main(["evaluate", "multinews", "--data", str(tmp_path / "none"), "--quiet"]) == 2
    assert capsys.readouterr().err.strip().count("\n") == 0
