import json
import math
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from newsroundup.model import Article
from newsroundup.roundup.candidates import build_candidates
from newsroundup.roundup.salience import (
    CONCEPT_FEATURES,
    MODEL_FILE,
    ConceptModel,
    SalienceOptions,
    concept_features,
    concept_model,
    concept_weights,
    learned_weights,
)

ROOT = Path(__file__).resolve().parents[2]

REPORTS = [
    "Floods closed the Danube bridge on Monday. Rescue crews searched the river banks. Schools stayed shut.",
    "Officials said floods closed the Danube bridge. The mayor asked for patience. Rescue crews searched all night.",
    "Water rose for a third day. Floods closed the Danube bridge, \"a disaster\", one driver said.",
]


def _candidates() -> list:
    return build_candidates([Article(id=f"a{i}", text=t) for i, t in enumerate(REPORTS)])


def test_features_count_reports_sentences_ledes_and_positions() -> None:
    concepts, rows = concept_features(_candidates(), [0, 1, 2])
    row = dict(zip(CONCEPT_FEATURES, rows[concepts.index(("danub", "bridg"))], strict=True))
    assert row["share"] == 1.0  # all three reports state it
    assert row["reports"] == pytest.approx(math.log(4))
    assert row["sentences"] == pytest.approx(math.log(4))
    assert row["lede_share"] == pytest.approx(2 / 3)  # the third report states it second
    assert row["top3_share"] == 1.0
    assert row["first_position"] == 0.0
    assert row["relative_first"] == pytest.approx((0 + 0 + 1 / 2) / 3)
    assert row["cluster"] == pytest.approx(math.log(3))
    assert row["quoted_share"] == pytest.approx(1 / 3)
    assert row["number"] == 0.0 and row["stopword"] == 0.0
    crews = dict(zip(CONCEPT_FEATURES, rows[concepts.index(("rescu", "crew"))], strict=True))
    assert crews["share"] == pytest.approx(2 / 3) and crews["lede_share"] == 0.0
    assert crews["first_position"] == pytest.approx(math.log(2))


def test_a_left_out_report_adds_nothing() -> None:
    concepts, _ = concept_features(_candidates(), [0])
    assert ("mayor", "ask") not in concepts and ("danub", "bridg") in concepts


def test_what_every_report_leads_with_outweighs_what_one_mentions_last() -> None:
    weights = concept_weights(_candidates(), SalienceOptions(weighting="learned"))
    assert weights[("danub", "bridg")] > weights.get(("school", "stay"), 0.0)
    assert all(w > 0 for w in weights.values())


def test_weights_are_odds_above_the_floor_and_capped() -> None:
    model = ConceptModel(np.zeros(len(CONCEPT_FEATURES)), bias=0.0, floor=0.6)
    assert learned_weights(_candidates(), [0, 1, 2], SalienceOptions(), model=model) == {}
    model = ConceptModel(np.zeros(len(CONCEPT_FEATURES)), bias=0.0, floor=0.5)
    assert set(learned_weights(_candidates(), [0, 1, 2], SalienceOptions(), model=model).values()) == {1.0}
    sure = ConceptModel(np.zeros(len(CONCEPT_FEATURES)), bias=100.0, floor=0.5)
    assert max(learned_weights(_candidates(), [0, 1, 2], SalienceOptions(), model=sure).values()) == pytest.approx(99.0)


def test_the_latest_reports_ledes_weigh_more() -> None:
    model = ConceptModel(np.zeros(len(CONCEPT_FEATURES)), bias=0.0, floor=0.5)
    weights = learned_weights(_candidates(), [0, 1, 2], SalienceOptions(), [False, False, True], model)
    assert weights[("water", "rose")] == 2.0 and weights[("rescu", "crew")] == 1.0


def test_a_model_of_other_features_is_refused() -> None:
    raw = json.loads((ROOT / "src/newsroundup/roundup" / MODEL_FILE).read_text(encoding="utf-8"))
    raw["weights"] = {"share": 1.0}
    with pytest.raises(RuntimeError, match="train_concept_model"):
        ConceptModel.from_json(json.dumps(raw))


def test_the_shipped_model_is_what_its_script_trains(tmp_path: Path, multinews_dev: Path) -> None:
    out = tmp_path / MODEL_FILE
    data = multinews_dev.parent.parent  # the folder holding multinews-dev/
    subprocess.run(
        [sys.executable, str(ROOT / "scripts/train_concept_model.py"), "--data", str(data), "--out", str(out)],
        check=True, capture_output=True, env=dict(os.environ, PYTHONPATH=str(ROOT / "src")),
    )
    shipped = ConceptModel.from_json((ROOT / "src/newsroundup/roundup" / MODEL_FILE).read_text(encoding="utf-8"))
    trained = ConceptModel.from_json(out.read_text(encoding="utf-8"))
    assert np.allclose(trained.weights, shipped.weights, atol=1e-5) and trained.bias == pytest.approx(shipped.bias)
    assert concept_model().floor == trained.floor


def test_stories_larger_than_the_model_was_fitted_on_are_weighed_by_pairs() -> None:
    candidates = build_candidates([Article(id=f"a{i}", text=REPORTS[i % 3]) for i in range(7)])
    assert concept_weights(candidates, SalienceOptions(weighting="learned", learned_reports=6)) == concept_weights(
        candidates, SalienceOptions(weighting="pairs")
    )
    assert concept_weights(candidates, SalienceOptions(weighting="learned", learned_reports=7)) != concept_weights(
        candidates, SalienceOptions(weighting="pairs")
    )
