"""The DUC 2004 harness end to end: invented data always, the real data when it is present."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from newsroundup.errors import DataError
from newsroundup.evaluate.datasets import Cluster, locate_duc2004
from newsroundup.evaluate.duc2004 import OURS, evaluate_duc2004, format_table, run_newsroundup
from newsroundup.model import Article
from newsroundup.settings import load_settings

pytestmark = pytest.mark.usefixtures("private_cache")

CLI = (sys.executable, "-m", "newsroundup", "evaluate", "duc2004")
SUMY = {"sumy-LexRank", "sumy-TextRank", "sumy-LSA"}
PUBLISHED = {
    "Lead", "LexRank", "Centroid", "FreqSum", "TsSum", "GreedyKL", "CLASSY04", "CLASSY11",
    "Submodular", "DPP", "OCCAMS_V", "RegSum", "ICSISumm",
}  # fmt: skip
ROW_KEYS = {
    "rouge_1", "rouge_2", "rouge_l", "rouge_su4", "seconds_per_cluster", "dangling_share",
    "near_duplicate_share", "datelines", "failures",
}  # fmt: skip


def _duc_folder() -> Path:
    try:
        return locate_duc2004(load_settings(os.environ).data)  # $NEWSROUNDUP_DATA, else next to the checkout
    except DataError:
        pytest.skip("DUC 2004 data is not on this machine (set NEWSROUNDUP_DATA)")


def _row(rouge_2: float, seconds: float | None = None) -> dict[str, Any]:
    return {
        "rouge_1": 30.0, "rouge_2": rouge_2, "rouge_l": 25.0, "rouge_su4": 10.0,
        "seconds_per_cluster": seconds, "dangling_share": 0.125, "near_duplicate_share": 0.0,
        "datelines": 0, "failures": 0,
    }  # fmt: skip


def test_table_is_sorted_by_rouge_2_and_marks_ours() -> None:
    results = {
        "ours": OURS,
        "clusters": 2,
        "check_failures": 0,
        "wall_seconds": 3.0,
        "settings": {"words": 100, "rouge_options": "-n 4"},
        "systems": {"Lead": _row(6.13), OURS: _row(10.5, 0.25), "ICSISumm": _row(9.81)},
    }
    lines = format_table(results).splitlines()
    body = lines[3:6]
    assert [line.split()[0] for line in body] == ["*", "ICSISumm", "Lead"]
    assert body[0].startswith(f"* {OURS}") and "0.250" in body[0] and "12.5%" in body[0]
    assert body[1].split()[5] == "-"  # no timing for published systems
    assert len({len(line) for line in lines[1:6]}) == 1  # aligned columns


def test_invented_clusters_end_to_end(invented_duc: Path) -> None:
    results = evaluate_duc2004(invented_duc, words=40, quiet=True)
    systems = results["systems"]
    assert set(systems) == {OURS, *SUMY, "FirstSentence", "Unrelated"}
    assert all(set(row) >= ROW_KEYS for row in systems.values())
    assert results["clusters"] == 2
    assert results["check_failures"] == 0
    assert results["settings"]["rouge_options"].startswith("-n 4 -m -l 40 ")
    assert systems["Unrelated"]["rouge_1"] == 0.0
    assert systems[OURS]["rouge_1"] > 20.0
    assert systems[OURS]["summary_words"] <= 40
    assert systems[OURS]["failures"] == 0
    assert systems[OURS]["seconds_per_cluster"] > 0
    assert systems["sumy-LexRank"]["seconds_per_cluster"] > 0
    assert systems["FirstSentence"]["seconds_per_cluster"] is None
    json.dumps(results)  # the CLI writes it as JSON


def test_a_cluster_we_cannot_summarize_is_a_recorded_failure(invented_texts: dict[str, list[str]]) -> None:
    empty = Cluster(id="e1", articles=(Article(id="e1/D1", text="  \n "),), references=("A reference.",))
    festival = tuple(Article(id=f"f/D{n}", text=t) for n, t in enumerate(invented_texts["festival"], start=1))
    usable = Cluster(id="f", articles=festival, references=("A reference.",))
    run, problems = run_newsroundup([empty, usable], words=60)
    assert set(run.failures) == {"e1"} and run.summaries["e1"] == ""
    assert run.summaries["f"] and problems == {}
    assert set(run.seconds) == {"e1", "f"} and run.setup_seconds > 0


def test_duc2004_smoke_two_clusters() -> None:
    folder = _duc_folder()
    results = evaluate_duc2004(folder, words=100, limit=2, quiet=True)
    assert set(results["systems"]) == {OURS, *SUMY, *PUBLISHED}
    assert results["clusters"] == 2
    assert results["check_failures"] == 0
    ours = results["systems"][OURS]
    assert ours["failures"] == 0 and ours["summary_words"] <= 100
    assert 0 < ours["rouge_2"] <= ours["rouge_1"] <= 100


def test_cli_writes_results_for_every_system(tmp_path: Path) -> None:
    folder = _duc_folder()
    out = tmp_path / "duc.json"
    done = subprocess.run(
        [*CLI, "--data", str(folder), "--limit", "2", "--out", str(out), "--quiet"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    results = json.loads(out.read_text(encoding="utf-8"))
    assert set(results["systems"]) == {OURS, *SUMY, *PUBLISHED}
    assert f"* {OURS}" in done.stdout


def test_cli_missing_data_is_one_line_error(tmp_path: Path) -> None:
    done = subprocess.run(
        [*CLI, "--data", str(tmp_path / "none"), "--out", str(tmp_path / "x.json")],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr.startswith("newsroundup: error: DUC 2004 data not found")
    assert done.stderr.count("\n") == 1
    assert not (tmp_path / "x.json").exists()
