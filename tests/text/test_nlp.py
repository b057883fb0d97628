"""The spaCy pipeline: loaded once per process, batched, offsets into the original text."""

from __future__ import annotations

from newsroundup.text.nlp import load_nlp, parse_texts


def test_the_pipeline_is_loaded_once(nlp: object) -> None:
    assert load_nlp() is nlp


def test_parsed_offsets_match_the_input_text(nlp: object) -> None:
    texts = ["“We will rebuild,” said Mayor Ana Ferreira.", "", "The ``wire'' style."]
    docs = parse_texts(texts)
    assert len(docs) == 3
    for text, doc in zip(texts, docs, strict=True):
        for token in doc:
            assert text[token.idx : token.idx + len(token.text)] == token.text
    assert any(ent.label_ == "PERSON" and ent.text.endswith("Ana Ferreira") for ent in docs[0].ents)


def test_nothing_to_parse_loads_nothing() -> None:
    assert parse_texts([]) == []


def test_parts_of_speech_match_the_models_own_attribute_ruler(nlp: object) -> None:
    texts = [
        "There is nothing he has not tried, but she said that it was over.\n\n"
        "  Nobody had been told whether the ferries would run, so they waited.",
        "Did they? “I have,” the minister said. Those who left were given something to eat.",
        "\n",
    ]
    ours = parse_texts(texts)
    spacys = list(load_nlp().pipe(texts))  # every component, the attribute ruler included
    for mine, reference in zip(ours, spacys, strict=True):
        assert [(t.pos_, t.tag_, t.dep_) for t in mine] == [(t.pos_, t.tag_, t.dep_) for t in reference]
    assert {t.pos_ for doc in ours for t in doc} >= {"AUX", "PRON", "SCONJ", "PART", "SPACE", "VERB"}
