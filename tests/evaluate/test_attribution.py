"""The PolNeAR loader and scorer, and the regex baseline, on tiny hand-made articles (no model)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsroundup.errors import InputError
from newsroundup.evaluate.attribution_peers import baseline_quotes
from newsroundup.evaluate.attribution_score import Counts, Found, match, score
from newsroundup.evaluate.polnear import gold_direct, gold_reported, load_polnear, quoted_stretches

TEXT = (
    "“We will not stop,” said Jean-Yves Le Drian. "
    "He called the plan a “con” and said the talks had failed, officials said."
)


def _write(tmp_path: Path, rows: list[dict[str, object]]) -> Path:
    path = tmp_path / "articles.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def _article(tmp_path: Path) -> Path:
    direct_end = TEXT.index("” said") + 1
    mixed_start = TEXT.index("the plan")
    mixed_end = TEXT.index(" and said")
    reported_start = TEXT.index("the talks")
    reported_end = TEXT.index(", officials")
    row = {
        "id": "a1",
        "split": "dev",
        "text": TEXT,
        "attributions": [
            {
                "start": 0,
                "end": direct_end,
                "speaker": "Jean-Yves Le Drian",
                "speaker_start": 25,
                "speaker_end": 43,
                "kind": "direct",
                "cue": "said",
            },
            {
                "start": mixed_start,
                "end": mixed_end,
                "speaker": "He",
                "speaker_start": 45,
                "speaker_end": 47,
                "speaker_is_pronoun": True,
                "kind": "mixed",
                "cue": "called",
            },
            {
                "start": reported_start,
                "end": reported_end,
                "speaker": "He",
                "speaker_start": 45,
                "speaker_end": 47,
                "speaker_is_pronoun": True,
                "kind": "indirect",
                "cue": "said",
            },
        ],
    }
    return _write(tmp_path, [row, {**row, "id": "t1", "split": "train"}])


def test_loader_keeps_one_split_and_builds_direct_and_reported_gold(tmp_path: Path) -> None:
    articles = load_polnear(_article(tmp_path), "dev")
    assert [a.id for a in articles] == ["a1"]
    article = articles[0]
    assert [TEXT[s:e] for s, e, _ in gold_direct(article)] == ["We will not stop"]
    assert [TEXT[s:e] for s, e, _ in gold_direct(article, mixed=True)] == ["We will not stop", "con"]
    assert len(gold_reported(article)) == 2


def test_a_bad_line_is_a_one_line_input_error(tmp_path: Path) -> None:
    path = _write(tmp_path, [{"id": "x"}])
    path.write_text(path.read_text() + "not json\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"articles.jsonl:1"):
        load_polnear(path)


def test_spans_outside_the_text_are_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, [{"id": "x", "text": "short", "attributions": [{"start": 0, "end": 99, "kind": "direct"}]}])
    with pytest.raises(InputError, match="outside the text"):
        load_polnear(path)


def test_quoted_stretches_run_on_when_the_close_is_missing() -> None:
    text = "“First part,” he said. “Second part runs on"
    assert [text[s:e] for s, e in quoted_stretches(text, 0, len(text))] == ["First part", "Second part runs on"]


def test_match_is_one_to_one_and_respects_the_threshold() -> None:
    text = "one two three four five six seven eight nine ten"
    whole = (0, len(text))
    half = (0, text.index(" six"))
    assert match(text, [whole, whole], [whole], 0.8) == [(0, 0)]
    assert match(text, [half], [whole], 0.8) == []
    assert match(text, [half], [whole], 0.3) == [(0, 0)]


def test_score_counts_speakers_and_ignores_partial_quotes_inside_mixed_content(tmp_path: Path) -> None:
    article = load_polnear(_article(tmp_path), "dev")[0]
    start = TEXT.index("We")
    con = TEXT.index("con")
    found = [
        Found("direct", start, start + len("We will not stop"), "Jean-Yves Le Drian", 30, 43),
        Found("direct", con, con + 3, "Jean-Yves Le Drian", 45, 47),
    ]
    counts = Counts()
    score(article, found, "direct", 0.8, counts)
    assert (counts.found, counts.gold, counts.matched, counts.speaker_right) == (1, 1, 1, 1)
    wrong = Counts()
    score(article, [Found("direct", start, start + 16, "Someone Else", 0, 1)], "direct", 0.8, wrong)
    assert (wrong.matched, wrong.speaker_right) == (1, 0)
    assert wrong.scores()["speaker_accuracy"] == 0.0


def test_baseline_takes_quotes_next_to_said_with_a_name() -> None:
    text = '"It is over," said Maria Lopez. The "flood" came later.'
    found = baseline_quotes(text)
    assert next((text[f.start : f.end], f.speaker) for f in found) == ("It is over", "Maria Lopez")
    assert baseline_quotes('The "flood" came.') == []


def test_quoted_stretches_close_a_double_mark_with_a_double_mark_only() -> None:
    text = "“Using the word ‘self-deportation’ ― it’s a horrific comment,” Priebus said."
    assert [text[s:e] for s, e in quoted_stretches(text, 0, len(text))] == [
        "Using the word ‘self-deportation’ ― it’s a horrific comment"
    ]


def test_a_gold_attribution_without_a_source_is_matched_but_its_speaker_not_judged(tmp_path: Path) -> None:
    row = json.loads(_article(tmp_path).read_text(encoding="utf-8").splitlines()[0])
    for a in row["attributions"]:
        a.update(speaker="", speaker_start=None, speaker_end=None, speaker_is_pronoun=False)
    article = load_polnear(_write(tmp_path, [row]), "dev")[0]
    start = TEXT.index("We")
    counts = Counts()
    score(article, [Found("direct", start, start + 16, "Jean-Yves Le Drian", 30, 43)], "direct", 0.8, counts)
    assert (counts.matched, counts.speaker_judged, counts.no_gold_speaker) == (1, 0, 1)
    assert counts.scores()["speaker_not_judged_no_gold_source"] == 1
