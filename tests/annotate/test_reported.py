"""Reported speech: the learned cue table, each way a cue verb reports, speakers as written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsroundup.annotate import reported
from newsroundup.annotate.mentions import article_entities
from newsroundup.annotate.nlp import parse_texts
from newsroundup.annotate.reported import RELATIONS, reported_cues, reported_in_article
from newsroundup.annotate.speakers import SPEECH_VERBS
from newsroundup.model import Article, Quote


def test_the_shipped_cue_table_has_cues_for_every_relation_and_a_quoted_share() -> None:
    table = reported_cues()
    assert all(table.by_relation[r] for r in RELATIONS)
    assert "said" in table.by_relation["ccomp"]
    assert 0.0 < table.max_quoted_share <= 1.0


def test_an_unreadable_cue_table_falls_back_to_speech_verbs_with_a_clause(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = tmp_path / "reported_cues.json"
    broken.write_text(json.dumps({"cues": ["said"]}), encoding="utf-8")  # the old format: no relations
    monkeypatch.setattr(reported, "_CUES_FILE", broken)
    reported_cues.cache_clear()
    try:
        table = reported_cues()
        assert table.by_relation == {"ccomp": SPEECH_VERBS}
    finally:
        reported_cues.cache_clear()


def _reported(text: str) -> list[Quote]:
    article = Article(id="r", text=text)
    doc = parse_texts([text])[0]
    return reported_in_article(article, doc, article_entities(article, doc))


@pytest.mark.parametrize(
    ("text", "content", "cue"),
    [
        (
            "Senator Maria Lopez said the bridge would reopen next spring.",
            "the bridge would reopen next spring",
            "said",
        ),
        (
            "Senator Maria Lopez vowed to block the nomination of the new judge.",
            "to block the nomination of the new judge",
            "vowed",
        ),
        ("Governor Tom Reyes criticized the new tax plan on Monday.", "the new tax plan", "criticized"),
        (
            "Mayor Ann Lee called for an independent investigation into the shooting.",
            "an independent investigation into the shooting",
            "called",
        ),
    ],
)
def test_a_clause_an_infinitive_an_object_or_a_prepositional_object_is_reported_speech(
    nlp: object, text: str, content: str, cue: str
) -> None:
    found = _reported(text)
    assert [(q.text, q.cue, q.kind) for q in found] == [(content, cue, "reported")]
    assert all(text[q.span.start : q.span.end] == q.text for q in found)


def test_first_person_speakers_are_kept_as_written(nlp: object) -> None:
    found = _reported("I believe the new tax plan will hurt small farmers.")
    assert [(q.speaker, q.text) for q in found] == [("I", "the new tax plan will hurt small farmers")]


def test_a_clause_wholly_in_quotation_marks_is_left_to_direct_quotes(nlp: object) -> None:
    assert _reported("Senator Maria Lopez said “the bridge would reopen next spring.”") == []
