"""Page furniture in pasted web text: the learned line score and its use in clean_body."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from newsroundup.text.clean import clean_body
from newsroundup.text.furniture import FEATURES, features, furniture_score, looks_like_furniture

LABELS = Path(__file__).resolve().parents[1] / "fixtures/furniture/multinews_lines.jsonl"

FURNITURE = [
    "Image copyright Patrick Evans",
    "Get The Times of Israel's Daily Edition by email and never miss our top stories Free Sign Up",
    "Read or Share this story: https://usat.ly/2BWn3mr",
    "The Associated Press contributed to this report.",
    "Follow CBSMIAMI.COM: Facebook | Twitter",
    "Media playback is unsupported on your device",
]
PROSE = [
    "The mayor said on Monday that the bridge would reopen next week after repairs costing $2 million.",
    '"We did not know them and we could not recognize them," Steck said, outside his hotel in Kathmandu.',
    "Officers found the car abandoned near the river on Tuesday morning, police said.",
]


@pytest.mark.parametrize("line", FURNITURE)
def test_furniture_lines_are_recognised(line: str) -> None:
    assert looks_like_furniture(line), furniture_score(line)


@pytest.mark.parametrize("line", PROSE)
def test_reporting_is_not_furniture(line: str) -> None:
    assert not looks_like_furniture(line), furniture_score(line)


def test_features_are_one_vector_per_line() -> None:
    assert len(features("Advertisement")) == len(FEATURES)
    assert furniture_score("   ") == 0.0


def test_clean_body_drops_learned_furniture_and_keeps_prose_verbatim() -> None:
    text = "\n".join([FURNITURE[0], PROSE[0], FURNITURE[2], PROSE[2]])
    assert clean_body(text) == PROSE[0] + "\n" + PROSE[2]


def test_labels_name_lines_not_texts() -> None:
    for raw in LABELS.read_text(encoding="utf-8").splitlines():
        label = json.loads(raw)
        assert set(label) == {"part", "document", "line", "sha1", "furniture"}
        assert label["part"] in {"fit", "heldout"}


def _dev_lines(clusters: Path, part: str) -> list[tuple[str, bool]]:
    with clusters.open(encoding="utf-8") as f:
        docs = {d["id"]: d["text"].split("\n") for line in f for d in json.loads(line)["documents"]}
    out = []
    for raw in LABELS.read_text(encoding="utf-8").splitlines():
        label = json.loads(raw)
        if label["part"] == part:
            text = docs[label["document"]][label["line"]].strip()
            assert hashlib.sha1(text.encode()).hexdigest()[:10] == label["sha1"]
            out.append((text, label["furniture"]))
    return out


def test_held_out_lines_precision_and_recall(multinews_dev: Path) -> None:
    lines = _dev_lines(multinews_dev, "heldout")
    flagged = [is_f for text, is_f in lines if looks_like_furniture(text)]
    precision = sum(flagged) / len(flagged)
    recall = sum(flagged) / sum(is_f for _, is_f in lines)
    assert precision >= 0.9 and recall >= 0.4, (precision, recall)


def test_an_article_stored_on_one_line_is_kept_whole() -> None:
    # a real case: a DUC 2004 wire story of 1,400 words with no line break matched furniture cues somewhere
    # in its length (a web address, "subscriptions", "advertising") and was emptied whole
    article = " ".join([
        "America Online is on the verge of agreeing to buy Netscape, executives involved in the talks said on Sunday.",
        "The deal would give AOL the www.netscape.com site, among the most visited on the World Wide Web.",
        "AOL sells subscriptions to more than 14 million households and earns a growing share from advertising.",
        "Netscape has lost ground to Microsoft, whose browser ships with Windows, analysts said.",
        "Its shares have more than doubled in the last month and closed Friday at $39.1875, up $2.625.",
        "Executives would watch a video of the browser at the Dulles headquarters.",
    ] * 6)
    assert looks_like_furniture(article[:600])  # its opening alone scores as furniture: many cues, few words
    assert clean_body(article) == article
