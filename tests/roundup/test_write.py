"""What enrichment reads of a story: everything when it fits, else a bounded share of every voice."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from newsroundup.model import Article
from newsroundup.roundup.write import articles_to_parse

START = datetime(2026, 3, 1, tzinfo=UTC)


def _article(n: int, outlet: str, size: int = 1000, copy_of: str | None = None) -> Article:
    return Article(
        id=f"a{n}", text="x" * size, outlet=outlet, published=START + timedelta(hours=n), syndicated_from=copy_of
    )


def test_a_story_that_fits_is_read_whole_in_its_order() -> None:
    articles = [_article(n, f"Outlet {n % 3}") for n in range(10)]
    assert articles_to_parse(articles, 10_000) == articles


def test_a_long_story_is_read_within_the_budget_every_outlet_first_copies_last() -> None:
    # 40 articles of one busy outlet, one article of each of three others, and wire copies.
    busy = [_article(n, "Daily Wire") for n in range(40)]
    others = [_article(100 + n, name) for n, name in enumerate(["Herald", "Gazette", "Observer"])]
    copies = [_article(200 + n, "Echo", copy_of="a0") for n in range(5)]
    articles = busy[:20] + others + copies + busy[20:]
    chosen = articles_to_parse(articles, 10_000)
    assert sum(len(a.text) for a in chosen) <= 10_000 and len(chosen) == 10
    assert {a.outlet for a in chosen} >= {"Herald", "Gazette", "Observer"}  # every outlet's voice
    assert not any(a.syndicated_from for a in chosen)  # originals first: the budget ran out before copies
    assert [a.id for a in chosen] == [a.id for a in articles if a in chosen]  # in the story's order
    busy_chosen = [a for a in chosen if a.outlet == "Daily Wire"]
    assert busy[0] in busy_chosen and busy[-1] in busy_chosen and busy[19] in busy_chosen  # first, last, middle


def test_an_article_larger_than_what_is_left_is_skipped_for_smaller_ones() -> None:
    articles = [_article(0, "A", 6000), _article(1, "B", 6000), _article(2, "C", 3000)]
    assert [a.id for a in articles_to_parse(articles, 9000)] == ["a0", "a2"]


def test_the_share_is_every_article_when_the_budget_allows_all_and_grows_with_it() -> None:
    articles = [_article(n, f"Outlet {n % 4}") for n in range(30)]
    shares = [{a.id for a in articles_to_parse(articles, budget)} for budget in (5_000, 12_000, 30_000)]
    assert shares[0] < shares[1] < shares[2] == {a.id for a in articles}
