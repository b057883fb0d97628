"""Tests for evaluate/stories.py: B-cubed scoring and the ``evaluate stories`` benchmark run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsroundup.cli import main
from newsroundup.errors import InputError
from newsroundup.evaluate.stories import HDBSCAN, OURS, TFIDF, TFIDF_PAIRS, bcubed, evaluate_stories, format_table


def test_bcubed_of_a_worked_example() -> None:
    gold = {"a": "quake", "b": "quake", "c": "strike"}
    scores = bcubed({"a": "s1", "b": "s2", "c": "s2"}, gold)
    assert scores.precision == pytest.approx(2 / 3)
    assert scores.recall == pytest.approx(2 / 3)
    assert scores.f1 == pytest.approx(2 / 3)


def test_bcubed_of_perfect_and_of_lumped_clusterings() -> None:
    gold = {"a": "x", "b": "x", "c": "y", "d": "y"}
    assert bcubed({"a": "1", "b": "1", "c": "2", "d": "2"}, gold).f1 == 1.0
    lumped = bcubed(dict.fromkeys(gold, "all"), gold)
    assert lumped.recall == 1.0
    assert lumped.precision == pytest.approx(0.5)


def test_bcubed_needs_every_gold_item_predicted() -> None:
    with pytest.raises(ValueError, match="no predicted cluster"):
        bcubed({"a": "1"}, {"a": "x", "b": "x"})


def test_invented_clusters_are_grouped_perfectly_in_every_order(invented_duc: Path) -> None:
    results = evaluate_stories(data_dir=invented_duc, shuffles=2, quiet=True)
    assert results["articles"] == 6 and results["events"] == 2
    assert len(results["runs"]) == 2
    assert set(results["summary"]) == {OURS, TFIDF, TFIDF_PAIRS, HDBSCAN}
    ours = results["summary"][OURS]
    assert ours["f1"] == {"mean": 1.0, "min": 1.0, "max": 1.0}
    assert ours["stories"]["mean"] == 2.0
    assert ours["articles_per_second"]["min"] > 0
    table = format_table(results)
    assert "* newsroundup" in table and TFIDF in table


def test_the_events_split_into_a_tuning_half_and_a_held_out_half(invented_duc: Path) -> None:
    halves = {
        split: evaluate_stories(data_dir=invented_duc, shuffles=1, baselines=False, quiet=True, events=split)
        for split in ("tune", "held-out")
    }
    assert [halves[split]["events"] for split in halves] == [1, 1]
    assert halves["tune"]["events_split"] == "tune"
    heads = [set(halves[split]["runs"][0]["order_head"]) for split in halves]
    assert not heads[0] & heads[1]  # no article in both halves
    assert halves["tune"]["articles"] + halves["held-out"]["articles"] == 6
    with pytest.raises(InputError, match="unknown events split"):
        evaluate_stories(data_dir=invented_duc, shuffles=1, quiet=True, events="odd")  # type: ignore[arg-type]


def test_cli_writes_results_and_rejects_bad_options(
    invented_duc: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "stories.json"
    argv = ["evaluate", "stories", "--data", str(invented_duc), "--shuffles", "1", "--quiet", "--out", str(out)]
    assert main(argv) == 0
    # The learned default groups these 6 undated articles perfectly too, though in so young a stream
    # every shared name is in half of it (rarity is judged as among 100 articles: TermCounts.share_of_count).
    assert json.loads(out.read_text(encoding="utf-8"))["summary"][OURS]["f1"]["mean"] == 1.0
    with pytest.raises(SystemExit) as stopped:
        main([*argv[:4], "--shuffles", "0"])
    assert stopped.value.code == 2
    assert "argument --shuffles: 0 is out of range (1 to 1,000)" in capsys.readouterr().err
    assert main(["evaluate", "stories", "--data", str(tmp_path / "nowhere"), "--quiet"]) == 2
    assert "DUC 2004 data not found" in capsys.readouterr().err


def test_dataset_difficulty_counts_copies_across_events_and_bounds_f1() -> None:
    from newsroundup.evaluate.stories import dataset_difficulty
    from newsroundup.model import Article

    texts = {
        "q1": "A strong earthquake shook Velmora on Monday, collapsing houses in the old market.",
        "q2": "Rescuers in Velmora dug through the rubble of collapsed houses after the earthquake.",
        "s1": "Dockworkers in Port Alder walked out on Monday over pay, halting the container cranes.",
        "s2": "The Port Alder dockworkers strike over pay entered its second day with cranes idle.",
        "s3": "Rescuers in Velmora dug through the rubble of collapsed houses after the earthquake.",
    }
    gold = {"q1": "quake", "q2": "quake", "s1": "strike", "s2": "strike", "s3": "strike"}
    articles = [Article(id, text) for id, text in texts.items()]
    difficulty = dataset_difficulty(articles, gold)
    assert difficulty["identical_texts_across_events"] == 1
    # s3 (a copy of a quake text filed under the strike) must sit with q2: F1 below 1.
    assert 0.7 < difficulty["f1_ceiling"] < 1.0
    # q2 and s3 are each other's nearest neighbour across the two events; q1, s1, s2 find their own.
    assert difficulty["nearest_neighbour_same_event"] == pytest.approx(3 / 5)


def test_cli_scores_a_labelled_stream_beside_its_peers(
    invented_texts: dict[str, list[str]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    stream = tmp_path / "stream.jsonl"
    with stream.open("w", encoding="utf-8") as out:
        for gold, day in (("bridge", 3), ("festival", 20)):
            for n, text in enumerate(invented_texts[gold]):
                out.write(json.dumps({"id": f"{gold}-{n}", "text": text, "gold": gold,
                                      "published": f"2024-05-{day + n:02d}T09:00:00Z"}) + "\n")
    results = tmp_path / "stream.json"
    argv = ["evaluate", "stories", "--stream", str(stream), "--shuffles", "2", "--quiet", "--out", str(results)]
    assert main(argv) == 0
    written = json.loads(results.read_text(encoding="utf-8"))
    ours = written["summary"]["newsroundup-learned"]  # the default grouping setting
    assert ours["date_order"]["f1"] == 1.0 and ours["shuffled_f1_min"] == 1.0
    assert set(written["summary"]) == {"newsroundup-learned", "alone", "single-pass-tfidf-3d"}
    assert set(written["batch_peers"]) == {"tfidf-agglomerative-told-k", "hdbscan-embeddings"}
    assert written["summary"]["alone"]["date_order"]["f1"] < 1.0
    table = capsys.readouterr().out
    assert "newsroundup-learned" in table and "single-pass-tfidf-3d" in table
    with pytest.raises(SystemExit) as stopped:
        main([*argv[:4], "--order", "date", "--tfidf-threshold", "0", "--quiet"])
    assert stopped.value.code == 2
    assert "0 is out of range (more than 0 to 1)" in capsys.readouterr().err
    (tmp_path / "bad.jsonl").write_text('{"id": "a", "text": "No label."}\n', encoding="utf-8")
    assert main(["evaluate", "stories", "--stream", str(tmp_path / "bad.jsonl"), "--quiet"]) == 2
    assert "bad.jsonl:1: 'gold' must be" in capsys.readouterr().err
