"""Roles of one person across a story: spelling variants and nested forms shown once, dated."""

from __future__ import annotations

from datetime import UTC, datetime

from newsroundup.annotate.entity_merge import Node
from newsroundup.annotate.mentions import ArticleEntity
from newsroundup.annotate.roles import dated_roles, role_key
from newsroundup.model import Article


def _node(day: int, *roles: str) -> Node:
    article = Article(id=f"a{day}", text="", outlet="o", published=datetime(2016, 1, day, tzinfo=UTC))
    return Node(article, ArticleEntity("Ash Carter", "person", roles=list(roles)), "person")


def test_spelling_variants_are_one_role() -> None:
    assert role_key("the U.S. Defence Secretary") == role_key("US Defense Secretary")
    assert role_key("U.S Defense Secretary") == role_key("U.S. Defense Secretary")


def test_variants_and_nested_roles_make_one_line_with_the_earliest_date() -> None:
    members = [
        _node(21, "Defence Secretary", "U.S. Defense Secretary"),
        _node(20, "US Defense Secretary", "Secretary"),
        _node(22, "U.S Defense Secretary", "former senator"),
    ]
    assert dated_roles(members) == ("US Defense Secretary (2016-01-20)", "former senator (2016-01-22)")


def test_page_quotes_line_breaks_and_asides_are_trimmed_from_roles() -> None:
    members = [_node(20, '"\n\n Another resident', "The Israeli prime minister, Binyamin Netanyahu, in a statement")]
    assert dated_roles(members) == ("The Israeli prime minister (2016-01-20)", "Another resident (2016-01-20)")


def test_an_abbreviated_title_restates_the_longer_role() -> None:
    assert dated_roles([_node(21, "Nevada Governor"), _node(20, "Gov.")]) == ("Nevada Governor (2016-01-20)",)


def test_the_same_words_in_another_order_restate_the_longer_role() -> None:
    members = [
        _node(21, "a former Arizona governor", "Arizona’s former governor"),
        _node(22, "mother of Tavin Price", "Price's mother"),
    ]
    assert dated_roles(members) == ("mother of Tavin Price (2016-01-22)", "a former Arizona governor (2016-01-21)")


def test_a_role_of_other_words_stays_its_own_line() -> None:
    members = [_node(20, "Virginia Rep.", "U.S. Rep.")]
    assert dated_roles(members) == ("Virginia Rep. (2016-01-20)", "U.S. Rep. (2016-01-20)")
