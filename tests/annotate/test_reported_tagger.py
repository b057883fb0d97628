"""The reported-speech CRF: its labels and spans, the shipped model, and what reported speech keeps from it."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import pytest

from newsroundup.annotate import reported
from newsroundup.annotate.mentions import article_entities
from newsroundup.annotate.nlp import parse_texts
from newsroundup.annotate.reported import reported_candidates, reported_in_article, tagger_candidates
from newsroundup.annotate.reported_tagger import bio_labels, reported_tagger, tag_spans, token_features
from newsroundup.model import Article, Quote

TEXT = "Senator Maria Lopez said the bridge would reopen next spring. Rain fell all day."


def test_labels_and_spans_round_trip(nlp: object) -> None:
    doc = parse_texts([TEXT])[0]
    content = (TEXT.index("the bridge"), TEXT.index(" next spring") + len(" next spring"))
    tags = bio_labels(doc, [content])
    assert tags[: [t.text for t in doc].index("the") + 2][-2:] == ["B", "I"]
    assert tags.count("B") == 1
    assert tag_spans(doc, tags) == [content]


def test_features_mark_candidates_and_attributions(nlp: object) -> None:
    doc = parse_texts([TEXT])[0]
    candidates = tagger_candidates(reported_candidates(doc, every_verb=True))
    bridge = TEXT.index("bridge")
    features = token_features(doc, candidates, [(bridge, bridge + 6, "reported")])
    token = next(t.i for t in doc if t.idx == bridge)
    assert "c_rel=ccomp" in features[token]
    assert "nr=reported" in features[token] and "nrB=reported" in features[token]
    assert "nr=reported" not in features[token - 1]
    assert "-1:w=the" in features[token] and "1:w=would" in features[token]


def test_the_shipped_crf_loads_and_a_broken_one_is_none(tmp_path: Path) -> None:
    assert reported_tagger() is not None
    broken = tmp_path / "reported_tagger.crfsuite"
    broken.write_bytes(b"not a model")
    assert reported_tagger(broken) is None
    assert reported_tagger(tmp_path / "missing.crfsuite") is None


def _reported(text: str, crf: Literal["shipped"] | None = "shipped") -> list[Quote]:
    article = Article(id="t", text=text)
    doc = parse_texts([text])[0]
    return reported_in_article(article, doc, article_entities(article, doc), crf=crf)


def test_tagged_reported_speech_has_a_speaker_and_a_span_of_the_text(nlp: object) -> None:
    text = (
        "Defense Secretary Ash Carter said Tuesday that the coalition had retaken the city.\n\n"
        "The weather in the region was hot. According to a senior defense official, the strikes will continue."
    )
    found = _reported(text)
    assert found, "the CRF tagged nothing"
    for q in found:
        assert q.kind == "reported" and q.speaker
        assert text[q.span.start : q.span.end] == q.text
        assert q.text == q.text.strip(" ,.;:\"'“”")  # no punctuation at either edge
    said = next(q for q in found if q.cue == "said")
    assert "retaken the city" in said.text and "Carter" in said.speaker
    assert not any("weather" in q.text for q in found)


def test_without_the_crf_reported_speech_is_the_logistic_model_s(nlp: object, monkeypatch: pytest.MonkeyPatch) -> None:
    untagged = _reported(TEXT, crf=None)
    monkeypatch.setattr(reported, "reported_tagger", lambda: None)
    assert _reported(TEXT) == untagged
    assert [q.text for q in untagged] == ["the bridge would reopen next spring"]
