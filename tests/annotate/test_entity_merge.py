"""Merging per-article entities into story entities, on hand-built entities (no parse): kinds and names."""

from __future__ import annotations

from newsroundup.annotate.entities import group_article_entities
from newsroundup.annotate.mentions import ArticleEntities, ArticleEntity, Mention
from newsroundup.model import Article, EntityKind


def _entity(text: str, name: str, kind: EntityKind, *spellings: str) -> ArticleEntity:
    mentions = [Mention(text.index(s), text.index(s) + len(s), s) for s in (spellings or (name,))]
    return ArticleEntity(name, kind, mentions=mentions, names=list(dict.fromkeys([name, *spellings])))


def _entities(*articles: tuple[str, list[tuple[str, EntityKind, tuple[str, ...]]]]) -> list[tuple[str, EntityKind]]:
    found = []
    for n, (text, entities) in enumerate(articles):
        article = Article(id=f"a{n}", text=text)
        found.append(ArticleEntities(article, [_entity(text, name, kind, *s) for name, kind, s in entities]))
    return [(e.name, e.kind) for e in group_article_entities(found).entities]


def _story(*articles: tuple[str, list[tuple[str, EntityKind, tuple[str, ...]]]]) -> dict[str, EntityKind]:
    return dict(_entities(*articles))


def test_one_place_is_one_entity_even_when_an_organisation_shares_its_name() -> None:
    first = "The Pittsburgh Public School board met in Pittsburgh on Monday."
    second = "Parents in Pittsburgh said the Pittsburgh Public Schools plan was late."
    third = "Pittsburgh teachers waited."
    entities = _entities(
        (first, [("Pittsburgh Public School", "organization", ("Pittsburgh Public School", "Pittsburgh"))]),
        (second, [("Pittsburgh", "place", ()), ("Pittsburgh Public Schools", "organization", ())]),
        (third, [("Pittsburgh", "place", ())]),
    )
    assert [kind for name, kind in entities if name == "Pittsburgh"] == ["place"]


def test_a_one_word_person_that_names_a_place_of_the_story_is_that_place() -> None:
    text = "Orkney was home to the earl. The Orkney Islands lie north of Scotland. Mary Ross lived there."
    story = _story((text, [
        ("Orkney", "person", ()), ("Orkney Islands", "place", ()), ("Mary Ross", "person", ()),
    ]))
    assert story["Orkney"] == "place" and story["Mary Ross"] == "person"
    # a surname the story gives a person keeps being a person, whatever place shares it
    text = "Jordan scored. Michael Jordan played in Jordan Park."
    story = _story((text, [
        ("Jordan", "person", ()), ("Michael Jordan", "person", ()), ("Jordan Park", "place", ()),
    ]))
    assert story["Michael Jordan"] == "person" and story.get("Jordan", "person") == "person"


def test_lowercase_words_and_numbered_names_are_no_entities() -> None:
    text = "The hormone ghrelin rose, the van left 51 Baxter Road and Ann Lee spoke."
    story = _story((text, [
        ("ghrelin", "person", ()), ("van", "person", ()), ("51 Baxter Road", "person", ()), ("Ann Lee", "person", ()),
    ]))
    assert story == {"Ann Lee": "person"}


def test_the_fullest_spelling_of_a_name_with_an_apostrophe_is_its_name() -> None:
    text = "O'Grady dug. Oliver O'Grady said the site was old. O'Grady smiled."
    story = _story((text, [("Oliver O'Grady", "person", ("O'Grady", "Oliver O'Grady", "O'Grady"))]))
    assert "Oliver O'Grady" in story
