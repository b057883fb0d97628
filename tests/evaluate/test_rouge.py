"""The ROUGE-1.5.5 wrapper on tiny invented texts with answers worked out by hand."""

from __future__ import annotations

import pytest

from newsroundup.errors import NewsroundupError
from newsroundup.evaluate.rouge import SystemScores, parse_rouge_output, rouge_options, score_systems

pytestmark = pytest.mark.usefixtures("private_cache")

REFERENCE = "The cat sat on the mat."
REFERENCES = {"c1": [REFERENCE], "c2": [REFERENCE]}


def _recalls(scores: SystemScores) -> list[float]:
    return [scores.rouge_1.recall, scores.rouge_2.recall, scores.rouge_l.recall, scores.rouge_su4.recall]


def test_published_duc_options_with_word_limit() -> None:
    assert " ".join(rouge_options(100)) == "-n 4 -m -l 100 -p 0.5 -c 95 -r 1000 -f A -t 0 -a -2 4 -u"
    assert rouge_options(250)[3:5] == ["-l", "250"]


def test_known_answers_for_many_systems_in_one_run() -> None:
    summaries = {
        "identical": {"c1": REFERENCE, "c2": REFERENCE},
        "disjoint": {"c1": "Dogs bark loudly.", "c2": "Dogs bark loudly."},
        # 3 of the reference's 6 unigrams, 2 of its 5 bigrams.
        "half": {"c1": "The cat sat.", "c2": "The cat sat."},
        'AT&T <b>"odd" name</b>': {"c1": '<The> cat & sat on "the" mat!', "c2": REFERENCE},
        "missing one": {"c1": REFERENCE},
    }
    scores = score_systems(summaries, REFERENCES)
    assert set(scores) == set(summaries)
    assert _recalls(scores["identical"]) == [100.0, 100.0, 100.0, 100.0]
    assert _recalls(scores["disjoint"]) == [0.0, 0.0, 0.0, 0.0]
    assert scores["half"].rouge_1.recall == 50.0
    assert scores["half"].rouge_2.recall == 40.0
    # ROUGE tokenizes punctuation and markup away: the odd summary is the reference's words.
    assert scores['AT&T <b>"odd" name</b>'].rouge_1.recall == 100.0
    # A missing summary scores 0 on its cluster; ROUGE reports its bootstrap mean over the two.
    missing = scores["missing one"].rouge_1
    assert 45 < missing.recall < 55
    assert missing.low == 0.0 and missing.high == 100.0


def test_word_limit_truncates_summaries() -> None:
    summaries = {"late": {"c1": "Zebras yawn. The cat sat on the mat."}}
    refs = {"c1": [REFERENCE]}
    assert score_systems(summaries, refs, words=2)["late"].rouge_1.recall == 0.0
    assert score_systems(summaries, refs, words=100)["late"].rouge_1.recall == 100.0


def test_references_are_required() -> None:
    with pytest.raises(NewsroundupError, match="no cluster has reference"):
        score_systems({"a": {"c1": "x"}}, {})
    with pytest.raises(NewsroundupError, match="'c1' has no non-empty reference"):
        score_systems({"a": {"c1": "x"}}, {"c1": ["  \n "]})


def test_parse_rouge_output() -> None:
    output = (
        "---------------------------------------------\n"
        "S0 ROUGE-1 Average_R: 0.38440 (95%-conf.int. 0.37011 - 0.39877)\n"
        "S0 ROUGE-1 Average_P: 0.38000 (95%-conf.int. 0.36000 - 0.39000)\n"
        "S0 ROUGE-SU4 Average_R: 0.13640 (95%-conf.int. 0.13000 - 0.14300)\n"
        "S1 ROUGE-W-1.2 Average_R: 0.10000 (95%-conf.int. 0.10000 - 0.10000)\n"
    )
    parsed = parse_rouge_output(output)
    assert set(parsed) == {"S0"}
    assert parsed["S0"]["rouge_1"].recall == 38.44
    assert (parsed["S0"]["rouge_1"].low, parsed["S0"]["rouge_1"].high) == (37.011, 39.877)
    assert parsed["S0"]["rouge_su4"].recall == 13.64
