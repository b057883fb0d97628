"""Merging per-article entities into story entities, on hand-built entities (no parse): kinds and names."""

from __future__ import annotations

import re

from newsroundup.annotate.entities import group_article_entities
from newsroundup.annotate.mentions import ArticleEntities, ArticleEntity, Mention
from newsroundup.model import Article, EntityKind


def _entity(text: str, name: str, kind: EntityKind, *spellings: str) -> ArticleEntity:
    mentions = [Mention(text.index(s), text.index(s) + len(s), s) for s in (spellings or (name,))]
    return ArticleEntity(name, kind, mentions=mentions, names=list(dict.fromkeys([name, *spellings])))


def _found(*articles: tuple[str, list[ArticleEntity]]) -> list[tuple[str, EntityKind]]:
    """The story's (name, kind) pairs from hand-built entities, one article per text."""
    found = [ArticleEntities(Article(id=f"a{n}", text=t), es) for n, (t, es) in enumerate(articles)]
    return [(e.name, e.kind) for e in group_article_entities(found).entities]


def _entities(*articles: tuple[str, list[tuple[str, EntityKind, tuple[str, ...]]]]) -> list[tuple[str, EntityKind]]:
    built = ((text, [_entity(text, name, kind, *s) for name, kind, s in entities]) for text, entities in articles)
    return _found(*built)


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


def test_a_name_tagged_two_kinds_across_articles_is_one_entity_of_the_kind_most_mentions_have() -> None:
    first = "The White House said so."
    second = "Reporters gathered outside the White House."
    third = "The White House denied it."
    entities = _entities(
        (first, [("White House", "organization", ())]),
        (third, [("White House", "organization", ())]),
        (second, [("White House", "place", ())]),
    )
    assert [kind for name, kind in entities if name == "White House"] == ["organization"]


def test_a_tie_between_two_kinds_is_one_entity_of_the_kind_the_story_gives_first() -> None:
    entities = _entities(
        ("Mercedes Pascual studied it.", [("Mercedes Pascual", "person", ())]),
        ("Mercedes Pascual was cited.", [("Mercedes Pascual", "organization", ())]),
    )
    assert [kind for name, kind in entities if name == "Mercedes Pascual"] == ["person"]
    entities = _entities(
        ("Mega Millions sold tickets.", [("Mega Millions", "organization", ())]),
        ("Mega Millions grew.", [("Mega Millions", "person", ())]),
        ("Players of Mega Millions waited.", [("Mega Millions", "place", ())]),
    )
    assert [kind for name, kind in entities if name == "Mega Millions"] == ["organization"]
    # a tie for a word of another person's name of the story: that family's person
    story = _story(
        ("Trump left the meeting.", [("Trump", "organization", ())]),
        ("Trump spoke on Friday.", [("Trump", "person", ())]),
        ("Donald Trump Jr. and Melania Trump watched.", [
            ("Donald Trump Jr.", "person", ()), ("Melania Trump", "person", ()),
        ]),
    )
    assert "Trump" not in story or story["Trump"] == "person"
    assert all(kind == "person" for kind in story.values()), story


def test_a_one_word_name_tagged_a_person_and_a_place_equally_often_is_the_place() -> None:
    story = _story(
        ("Climbers left Solukhumbu on Monday.", [("Solukhumbu", "person", ())]),
        ("Rescuers flew to Solukhumbu.", [("Solukhumbu", "place", ())]),
    )
    assert story == {"Solukhumbu": "place"}


def test_a_surname_tagged_otherwise_beside_a_full_name_the_story_mostly_tags_a_person_is_that_person() -> None:
    # the tagger takes the full name for an organisation once, for a person twice; the surname alone for an
    # organisation in the article that names him in full
    first = "Vitalii Sediuk rushed the carpet. Sediuk was held."
    story = _story(
        (first, [("Vitalii Sediuk", "organization", ()), ("Sediuk", "organization", ())]),
        ("Vitalii Sediuk, a prankster, was held.", [("Vitalii Sediuk", "person", ())]),
        ("Police named Vitalii Sediuk.", [("Vitalii Sediuk", "person", ())]),
    )
    assert story == {"Vitalii Sediuk": "person"}


def test_a_surname_tagged_as_a_place_beside_the_full_name_is_that_person() -> None:
    text = "Nancy Pelosi spoke on Monday. Pelosi said the vote would wait."
    story = _entities((text, [("Nancy Pelosi", "person", ()), ("Pelosi", "place", ())]))
    assert story == [("Nancy Pelosi", "person")]


def test_a_surname_stays_a_place_when_its_person_is_named_only_elsewhere_and_never_tagged_alone() -> None:
    story = _story(
        ("Michael Jordan retired.", [("Michael Jordan", "person", ())]),
        ("Aid reached Jordan on Friday.", [("Jordan", "place", ())]),
    )
    assert story == {"Michael Jordan": "person", "Jordan": "place"}


def test_a_full_name_also_tagged_otherwise_vouches_for_none_of_its_words() -> None:
    # the tagger takes the product for a person twice, for an organisation once
    first = "The Fitbit Charge HR counts steps, Fitbit said."
    story = _story(
        (first, [("Fitbit Charge HR", "person", ()), ("Fitbit", "organization", ())]),
        ("Buyers of the Fitbit Charge HR sued.", [("Fitbit Charge HR", "organization", ())]),
        ("The Fitbit Charge HR sold well.", [("Fitbit Charge HR", "person", ())]),
    )
    assert story == {"Fitbit Charge HR": "person", "Fitbit": "organization"}


def test_a_company_named_for_its_founder_stays_a_company() -> None:
    text = "Thomas Kinkade painted cottages. Thomas Kinkade Co. sold the prints."
    story = _story((text, [("Thomas Kinkade", "person", ()), ("Thomas Kinkade Co.", "organization", ())]))
    assert story["Thomas Kinkade Co."] == "organization"


def test_a_one_word_person_the_story_writes_as_a_common_word_is_no_person() -> None:
    first = "Underwater\nSearchers sent a drone underwater on Monday, and the drone went underwater again."
    second = "Lena Brook said the searchers would stay. Brook said the weather helped."
    third = "Crews led by Brook returned. Brook hopes a brook nearby is clear."
    story = _story(
        (first, [("Underwater", "person", ())]),
        (second, [("Lena Brook", "person", ("Lena Brook", "Brook"))]),
        (third, [("Brook", "person", ("Brook",))]),
    )
    assert "Underwater" not in story  # lower-cased twice, never capitalised mid-sentence
    assert story.get("Lena Brook") == "person"  # a surname of the story's full names stays a person


def test_a_one_word_name_capitalised_mid_sentence_more_often_than_lower_cased_stays_a_person() -> None:
    text = "Crews led by Marsh arrived, said Marsh, and the marsh flooded. Then Marsh left."
    story = _story((text, [("Marsh", "person", ("Marsh",))]))
    assert story.get("Marsh") == "person"


def _every(text: str, name: str, kind: EntityKind) -> ArticleEntity:
    """``name`` as one entity with a mention at each place ``text`` writes it (as the tagger tags a repeated name)."""
    mentions = [Mention(m.start(), m.end(), name) for m in re.finditer(re.escape(name), text)]
    return ArticleEntity(name, kind, mentions=mentions, names=[name])


def test_a_surname_tagged_an_organisation_less_often_than_its_person_is_named_is_that_person() -> None:
    first = "Meryl Streep will play the lead. Meryl Streep said she was honoured, and Meryl Streep smiled."
    second = "The film stars Streep as the prime minister."
    story = _found(
        (first, [_every(first, "Meryl Streep", "person")]), (second, [_every(second, "Streep", "organization")])
    )
    assert story == [("Meryl Streep", "person")]


def test_an_organisation_named_more_often_than_a_person_with_its_word_stays_an_organisation() -> None:
    first = "Apple sold more phones. Apple said demand was strong, and Apple raised its forecast."
    second = "The singer Fiona Apple played on Sunday."
    story = _found(
        (first, [_every(first, "Apple", "organization")]), (second, [_every(second, "Fiona Apple", "person")])
    )
    assert ("Apple", "organization") in story and ("Fiona Apple", "person") in story


def test_one_name_written_with_and_without_a_hyphen_is_one_person() -> None:
    story = _story(
        ("Kim Jong-Un spoke.", [("Kim Jong-Un", "person", ())]),
        ("Kim Jong Un left.", [("Kim Jong Un", "person", ())]),
        ("Ann Mercy-Fitzgerald sang.", [("Mercy-Fitzgerald", "person", ())]),
        ("Mercy Fitzgerald sang.", [("Mercy Fitzgerald", "person", ())]),
    )
    assert len(story) == 2 and {"Kim Jong-Un", "Kim Jong Un"} & set(story)


def test_a_one_word_person_that_is_an_organisations_short_name_is_that_organisation() -> None:
    first = "Northwestern University opened a lab. Northwestern said it cost $5 million."
    story = _story(
        (first, [("Northwestern University", "organization", ("Northwestern University", "Northwestern"))]),
        ("A study by Northwestern was cited.", [("Northwestern", "person", ())]),
    )
    assert list(story.values()) == ["organization"]  # one entity, under the name most mentions use
