"""Sentence openings ("She said ...", "The minister said ...") resolved to the name they stand for."""

from __future__ import annotations

from newsroundup.annotate.nlp import parse_texts
from newsroundup.annotate.openings import opening_references, resolve_opening_reference
from newsroundup.model import Article
from newsroundup.text.sentences import split_sentences

TEXT = (
    "Harbour Minister Ilse Brandvold visited the port of Tessel on Monday. "
    "She said the cranes would be repaired by spring.\n\n"
    "The dockworkers' union, the Tessel Port Workers, rejected the plan. "
    "They said the money was not in the budget.\n\n"
    "Brandvold and Mayor Daniel Okoro met for two hours. He said the talks had been useful.\n\n"
    "It rained all day. He left early."
)


def _sentence(text: str, starts_with: str) -> tuple[int, int]:
    for span in split_sentences(text):
        if text[span.start : span.end].startswith(starts_with):
            return span.start, span.end
    raise AssertionError(starts_with)


def test_a_pronoun_opening_is_replaced_by_the_full_name(nlp: object) -> None:
    article = Article(id="port", text=TEXT)
    start, end = _sentence(TEXT, "She said the cranes")
    assert resolve_opening_reference(article, start, end) == (start, start + 3, "Ilse Brandvold")


def test_a_name_the_reader_has_met_becomes_the_surname(nlp: object) -> None:
    article = Article(id="port", text=TEXT)
    start, end = _sentence(TEXT, "She said the cranes")
    assert resolve_opening_reference(article, start, end, known=["Ilse Brandvold"]) == (
        start,
        start + 3,
        "Brandvold",
    )


def test_he_skips_a_woman_named_just_before(nlp: object) -> None:
    article = Article(id="port", text=TEXT)
    start, end = _sentence(TEXT, "He said the talks")
    found = resolve_opening_reference(article, start, end)
    assert found is not None and found[2] == "Daniel Okoro"


def test_no_replacement_without_a_clear_named_referent(nlp: object) -> None:
    article = Article(id="port", text=TEXT)
    for opening in ("It rained", "He left early", "Harbour Minister"):
        start, end = _sentence(TEXT, opening)
        assert resolve_opening_reference(article, start, end) is None, opening


def _openings(text: str) -> dict[str, str]:
    """Sentence openings of ``text`` that ``opening_references`` names, as {first words: name}."""
    article = Article(id="t", text=text)
    found = opening_references(article, parse_texts([text])[0])
    return {text[start : start + 20]: ref.name for start, ref in found.items()}


def test_opening_references_name_people_and_organisations_only_when_clear(nlp: object) -> None:
    text = (
        "Carrow Mining said on Tuesday that eleven miners were trapped. It said all of them were alive.\n\n"
        "Residents gathered at the chapel near the pit. They said nobody had told them anything.\n\n"
        "The leader of the opposition on the city council, Ronan Delacourt, attacked the company. "
        "He said the mine should have been closed years ago.\n\n"
        "Ms. Quarry, who runs the chapel, opened its doors. She said the families could stay."
    )
    found = _openings(text)
    assert found.get("It said all of them ") == "Carrow Mining"
    assert found.get("He said the mine sho") == "Ronan Delacourt", "a description named in apposition"
    assert not any(k.startswith("They said") for k in found), "unnamed residents are nobody to name"
    assert not any(k.startswith("She said") for k in found), "a surname alone introduces nobody"


def test_no_pronoun_inside_quoted_speech_is_named(nlp: object) -> None:
    text = (
        'Council leader Hannah Oduya spoke for an hour. "We waited too long. He never called us back," '
        "she said of the transport minister.\n\n"
        '"He was always going to take the blame," said Hannah Oduya.'
    )
    assert _openings(text) == {}


def test_a_dummy_it_is_not_an_organisation(nlp: object) -> None:
    lede = "Carrow Mining said on Tuesday that eleven miners were trapped. "
    assert _openings(lede + "It is unclear whether the men can be reached today.") == {}
    assert _openings(lede + "It took rescuers two days to reach them.") == {}
    assert _openings(lede + "It has been fined twice since 2020.") == {"It has been fined tw": "Carrow Mining"}


def test_the_minister_is_named_only_when_one_person_holds_that_role(nlp: object) -> None:
    lede = "Interior Minister Teodora Marsh flew to Kelby on Thursday. Rescue teams searched the river. "
    ending = "The minister said the government would open an inquiry."
    assert _openings(lede + ending) == {"The minister said th": "Teodora Marsh"}
    second = "Finance Minister Pavel Osterhaus promised money for the villages. "
    assert _openings(lede + second + ending) == {}, "two ministers: not clear which"
