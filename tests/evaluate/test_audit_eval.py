"""``newsroundup evaluate audit``: scoring audits of labelled stitched articles, and its bad input."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from newsroundup.cli import main
from newsroundup.evaluate.audit import Tally

WIRE = (
    "Flood water closed the Harbour Road bridge in Dunmere on Monday morning. "
    "Engineers said the bridge would stay shut for at least 48 hours."
)
POST = (
    "About 300 homes lost power as the river rose overnight. "
    "Mayor Ines Calder urged residents of the lower town to move their cars to higher ground."
)
DISTRACTOR = "The Solvik Marathon was won by Amara Tesh on Sunday in a course record."
UNSOURCED = "Local cafes offered free soup to stranded commuters."


def _span(text: str, part: str) -> tuple[int, int]:
    start = text.index(part)
    return start, start + len(part)


def _case(split: str) -> dict[str, Any]:
    """A stitched article: a verbatim sentence, one with a changed number, one with no source."""
    first = "Flood water closed the Harbour Road bridge in Dunmere on Monday morning."
    changed = "About 500 homes lost power as the river rose overnight."
    article = f"{first} {changed} {UNSOURCED}"
    gold = []
    for sentence, source, part, defects in (
        (first, "wire", first, []),
        (changed, "post", "About 300 homes lost power as the river rose overnight.", ["changed_fact"]),
        (UNSOURCED, None, None, ["no_source"]),
    ):
        start, end = _span(article, sentence)
        span = None
        if source is not None and part is not None:
            s, e = _span(WIRE if source == "wire" else POST, part)
            span = {"article": source, "start": s, "end": e}
        gold.append({"start": start, "end": end, "source": span, "defects": defects})
    return {
        "id": f"case-{split}",
        "split": split,
        "article": {"id": "stitched", "text": article},
        "sources": [
            {"id": "wire", "text": WIRE, "outlet": "Meridian Wire"},
            {"id": "post", "text": POST, "outlet": "Northgate Post"},
            {"id": "other", "text": DISTRACTOR, "outlet": "Lakeshore Sentinel"},
        ],
        "gold": gold,
    }


def _write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_each_split_is_scored_beside_the_peer(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = _write(tmp_path / "cases.jsonl", [json.dumps(_case("fit")), json.dumps(_case("heldout"))])
    out = tmp_path / "results.json"
    assert main(["evaluate", "audit", "--data", str(data), "--out", str(out)]) == 0
    results = json.loads(out.read_text(encoding="utf-8"))
    assert set(results["splits"]) == {"fit", "heldout"}
    held = results["splits"]["heldout"]
    assert held["cases"] == 1 and held["sentences"] == 3
    ours = held["audit"]
    assert ours["provenance"] == {"precision": 1.0, "recall": 1.0, "claims": 2, "gold_sourced": 2}
    assert ours["changed_fact"]["recall"] == 1.0 and ours["no_source"]["recall"] == 1.0
    assert held["tfidf_nearest_sentence"]["changed_fact"]["gold"] == 1  # the peer is scored on the same gold
    table = capsys.readouterr().out
    assert "heldout  audit" in table and "tfidf_nearest_sentence" in table


def test_a_wrong_or_missing_claim_costs_precision_and_recall() -> None:
    case = _case("heldout")
    texts = {s["id"]: s["text"] for s in case["sources"]}
    gold = case["gold"]
    other = {"article": "other", "start": 0, "end": len(DISTRACTOR)}
    said = [
        (gold[0]["start"], gold[0]["end"], other, set()),  # the wrong source
        (gold[1]["start"], gold[1]["end"], None, {"no_source"}),  # a source missed, a false no_source
        (gold[2]["start"], gold[2]["end"], None, {"no_source"}),
    ]
    tally = Tally()
    tally.add(gold, said, texts)
    scores = tally.scores()
    assert scores["provenance"]["precision"] == 0.0 and scores["provenance"]["recall"] == 0.0
    assert scores["no_source"]["precision"] == 0.5 and scores["no_source"]["recall"] == 1.0
    assert scores["changed_fact"]["recall"] == 0.0


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{not json", ":2: not valid JSON"),
        (json.dumps({"id": "x", "article": {"id": "a", "text": "t"}, "gold": []}), "missing 'sources'"),
        (json.dumps(_case("fit") | {"split": "train"}), "split 'train'"),
        (
            json.dumps(_case("fit") | {"gold": [{"start": 0, "end": 9999, "source": None, "defects": []}]}),
            "outside the article",
        ),
    ],
)
def test_a_bad_case_is_a_one_line_error_naming_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], line: str, message: str
) -> None:
    data = _write(tmp_path / "cases.jsonl", [json.dumps(_case("fit")), line])
    assert main(["evaluate", "audit", "--data", str(data), "--out", str(tmp_path / "r.json")]) != 0
    err = capsys.readouterr().err.strip()
    assert message in err and f"{data}:2: " in err and "\n" not in err
    assert not (tmp_path / "r.json").exists()


def test_a_missing_or_empty_file_is_a_one_line_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    empty = _write(tmp_path / "e.jsonl", [""])
    for path, message in ((tmp_path / "none.jsonl", "cannot be read"), (empty, "no audit")):
        assert main(["evaluate", "audit", "--data", str(path), "--out", str(tmp_path / "r.json")]) != 0
        err = capsys.readouterr().err.strip()
        assert message in err and "\n" not in err
