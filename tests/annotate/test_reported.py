"""Reported speech: the learned cue table, each way a cue verb reports, speakers as written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsroundup.annotate import reported
from newsroundup.annotate.mentions import article_entities
from newsroundup.annotate.nlp import parse_texts
from newsroundup.annotate.reported import reported_in_article
from newsroundup.annotate.reported_model import ReportedModel, rare, reported_model
from newsroundup.model import Article, Quote


def test_the_shipped_model_has_weights_a_threshold_and_a_quoted_share() -> None:
    model = reported_model()
    assert model is not None
    assert model.weights["cue|rel=said|ccomp"] > 0
    assert 0.0 < model.threshold < 1.0
    assert 0.0 < model.max_quoted_share <= 0.5  # a content mostly in quotation marks is a direct quote


def test_an_unreadable_model_is_none(tmp_path: Path) -> None:
    broken = tmp_path / "reported_model.json"
    broken.write_text(json.dumps({"cues": ["said"]}), encoding="utf-8")  # an old format: no weights
    assert reported_model(broken) is None


def test_without_a_model_speech_verbs_with_a_clause_are_reported(
    nlp: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(reported, "reported_model", lambda: None)
    doc = parse_texts(["Senator Maria Lopez said the bridge would reopen next spring."])[0]
    assert [(c.cue, c.relation) for c in reported.reported_candidates(doc)] == [("said", "ccomp")]


def _reported(text: str) -> list[Quote]:
    """Reported speech as the candidates and the logistic model find it (the CRF over them: test_reported_tagger)."""
    article = Article(id="r", text=text)
    doc = parse_texts([text])[0]
    return reported_in_article(article, doc, article_entities(article, doc), crf=None)


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


def test_a_cue_inside_the_clause_it_reports_reports_that_clause(nlp: object) -> None:
    text = "The bigger risk, officials said, is a clash between the two navies."
    found = _reported(text)
    assert [q.cue for q in found] == ["said"]
    assert found[0].text.startswith("The bigger risk") and found[0].text.endswith("the two navies")


def test_transcript_tags_and_source_nouns_before_a_colon_report_speech(nlp: object) -> None:
    text = (
        "TAPPER: Do you think the governor has campaigned as a healer?\n\n"
        "FALLIN: I think he is trying to campaign as a healer of the country."
    )
    found = [(q.speaker, q.cue) for q in _reported(text) if q.cue == ":"]
    assert found == [("TAPPER", ":"), ("FALLIN", ":")]
    assert [q.speaker for q in _reported("Poll: Sanders leads Clinton by four points nationally") if q.cue == ":"] == [
        "Poll"
    ]


def test_one_colon_tag_alone_is_not_a_transcript(nlp: object) -> None:
    assert [q for q in _reported("UPDATE: the story was changed at noon today.") if q.cue == ":"] == []


def test_a_feature_without_a_weight_weighs_as_its_rare_form() -> None:
    model = ReportedModel({"cue|rel=<rare>|ccomp": 2.0, "cue|rel=said|ccomp": -1.0}, 0.0, 0.5, 0.5)
    assert rare("cue|rel=quipped|ccomp") == "cue|rel=<rare>|ccomp"
    assert model.probability(["cue|rel=quipped|ccomp"]) > 0.85
    assert model.probability(["cue|rel=said|ccomp"]) < 0.3
    assert model.probability(["negated"]) == 0.5  # no weight and no rare form: nothing


@pytest.mark.parametrize(
    ("text", "relation", "content", "source"),
    [
        ("Trump repeated his claim that the election was rigged.", "noun_that", "that the election was rigged", "his"),
        ("The senator made the claim that taxes would rise.", "noun_that", "that taxes would rise", "senator"),
        ("Clinton's promise to raise the minimum wage drew cheers.", "noun_to", "to raise the minimum wage", "Clinton"),
        ("Trump defended his support for the Iraq war.", "noun_prep", "the Iraq war", "his"),
        ("Speaker Paul Ryan has often been critical of the trade deal.", "adj_prep", "the trade deal", "Ryan"),
        ("The secret meeting was first reported by Politico.", "passive", "The secret meeting", "Politico"),
    ],
)
def test_a_noun_an_adjective_or_a_passive_with_a_source_reports_its_content(
    nlp: object, text: str, relation: str, content: str, source: str
) -> None:
    """Exactly one candidate of the relation (and for a noun, none of another noun relation) with its source."""
    doc = parse_texts([text])[0]
    kinds = set(reported.NOUN_RELATIONS) if relation in reported.NOUN_RELATIONS else {relation}
    found = [c for c in reported.reported_candidates(doc, every_verb=True) if c.relation in kinds]
    assert [(c.relation, text[c.start : c.end], str(reported.source_of(c))) for c in found] == [
        (relation, content, source)
    ]


def test_a_noun_without_a_source_is_no_candidate(nlp: object) -> None:
    doc = parse_texts(["The fact that the bridge was closed surprised nobody in town."])[0]
    found = reported.reported_candidates(doc, every_verb=True)
    assert [c for c in found if c.relation in reported.NOUN_RELATIONS] == []


def test_a_noun_of_no_one_reports_nothing_through_its_preposition(nlp: object) -> None:
    doc = parse_texts(["The use of force was debated at length in the chamber."])[0]
    assert [c for c in reported.reported_candidates(doc, every_verb=True) if c.relation == "noun_prep"] == []


def test_a_relative_pronoun_speaks_for_the_noun_it_follows(nlp: object) -> None:
    text = "Senator Maria Lopez, who said the bridge would reopen next spring, left the meeting early."
    found = [q for q in _reported(text) if q.cue == "said"]
    assert [(q.text, q.speaker) for q in found] == [("the bridge would reopen next spring", "Maria Lopez")]
    assert found[0].speaker_span is not None
    assert text[found[0].speaker_span.start : found[0].speaker_span.end] == "who"  # as written
