"""Tests for what's new in pipeline/: ``summarize --clusters --update`` lines and ``story ID --since``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsroundup.errors import InputError, NewsroundupError
from newsroundup.model import Article, Story, roundup_from_json, roundup_to_json
from newsroundup.pipeline.batch import summarize_clusters
from newsroundup.pipeline.run import WHATS_NEW_SHARE, with_whats_new
from newsroundup.pipeline.show import whats_new_text
from newsroundup.render.links import SiteLinks
from newsroundup.render.pages import Pages, feed_summary
from newsroundup.roundup.checker import check_roundup
from newsroundup.roundup.summarize import RoundupOptions, summarize
from newsroundup.roundup.update import NOTHING_NEW
from newsroundup.roundup.write import write_roundup
from newsroundup.store import Store
from roundup.test_update import EARLIER, NEW


def _doc(article: Article) -> dict[str, str | None]:
    published = article.published.isoformat() if article.published else None
    return {"id": article.id, "text": article.text, "outlet": article.outlet, "published": published}


def test_update_lines_summarize_the_new_documents_without_the_earlier_facts(tmp_path: Path) -> None:
    clusters = tmp_path / "updates.jsonl"
    lines = [
        {"id": "dam", "earlier": [_doc(a) for a in EARLIER], "documents": [_doc(a) for a in NEW]},
        {"id": "no-earlier", "documents": [_doc(NEW[0])]},
    ]
    clusters.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    out = list(summarize_clusters(clusters, RoundupOptions(words=60), quiet=True, update=True))
    assert [line["cluster"] for line in out] == ["dam"]  # the line without 'earlier' is skipped
    assert "crack" in out[0]["summary"] and "evacuated" not in out[0]["summary"]
    assert {s["source"]["article"] for s in out[0]["roundup"]["sentences"]} <= {"n1", "n2"}
    plain = list(summarize_clusters(clusters, RoundupOptions(words=60), quiet=True))
    assert [line["cluster"] for line in plain] == ["dam", "no-earlier"]  # without --update: as before


@pytest.fixture
def story_db(tmp_path: Path) -> Path:
    """One stored story: version 1 made from the earlier articles, then the newer ones added."""
    db = tmp_path / "news.db"
    with Store(db) as store:
        for n, article in enumerate(EARLIER + NEW):
            store.save_article(article, fingerprint=f"f{n}", source="test")
        ids = tuple(a.id for a in EARLIER)
        store.save_grouping({"format": 1}, article_seq=1, previous_seq=0, stories=[Story("s1", ids)], merged={})
        store.save_roundup("s1", "fp1", roundup_to_json(summarize(EARLIER, story_id="s1")), 2)
        every = ids + tuple(a.id for a in NEW)
        store.save_grouping({"format": 1}, article_seq=2, previous_seq=1, stories=[Story("s1", every)], merged={})
    return db


def test_whats_new_since_a_version_or_a_date(story_db: Path) -> None:
    options = RoundupOptions(words=60)
    text = whats_new_text(story_db, "s1", "1", "md", options)
    assert text.startswith("What's new since version 1 (2 newer articles, 2 read before)")
    assert "crack" in text and "evacuated" not in text
    data = json.loads(whats_new_text(story_db, "s1", "2026-03-03", "json", options))
    assert data["earlier"] == 2 and {s["source"]["article"] for s in data["roundup"]["sentences"]} <= {"n1", "n2"}
    with pytest.raises(NewsroundupError, match="no roundup version 7 \\(versions: 1\\)"):
        whats_new_text(story_db, "s1", "7", "md", options)
    with pytest.raises(InputError, match="neither a version number nor an ISO date"):
        whats_new_text(story_db, "s1", "last week", "md", options)
    with pytest.raises(NewsroundupError, match="no article since"):
        whats_new_text(story_db, "s1", "2027-01-01", "md", options)
    assert NOTHING_NEW not in data["roundup"]["warnings"]


def test_a_new_version_carries_whats_new_since_the_version_before(story_db: Path) -> None:
    options = RoundupOptions(words=80)
    with Store(story_db) as store:
        articles = store.articles_by_id(store.story_article_ids("s1"))
        roundup = with_whats_new(write_roundup(articles, options, story_id="s1"), articles, store, options)
        check_roundup(roundup, articles, options.words)
        assert roundup.whats_new_since == 1
        assert roundup.whats_new and {s.source.article for s in roundup.whats_new} <= {"n1", "n2"}
        assert sum(len(s.text.split()) for s in roundup.whats_new) <= options.words * WHATS_NEW_SHARE
        assert roundup_from_json(roundup_to_json(roundup)) == roundup  # kept with the version, as the record
        assert "What's new since version 1: " in feed_summary(roundup)
        first = [a for a in articles if a.id in {"e1", "e2"}]
        unchanged = with_whats_new(write_roundup(first, options, story_id="s1"), first, store, options)
        assert unchanged.whats_new_since is None and "What's new" not in feed_summary(unchanged)


def test_the_story_page_and_the_feed_show_whats_new(story_db: Path) -> None:
    options = RoundupOptions(words=80)
    with Store(story_db) as store:
        articles = store.articles_by_id(store.story_article_ids("s1"))
        roundup = with_whats_new(write_roundup(articles, options, story_id="s1"), articles, store, options)
        store.save_roundup("s1", "fp2", roundup_to_json(roundup), 2)
        pages = Pages(store, SiteLinks(0))
        page = pages.story("s1")
        feed = pages.feed()
    section = page[page.index('id="whats-new"') :]
    assert "What's new since version 1" in section and "crack" in section
    assert "What&#39;s new since version 1: " in feed or "What's new since version 1: " in feed
