"""Tests for render/site.py and render/atom.py: the static site from a real store, untrusted text stays
text, every link resolves, and a later write touches only what changed."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from xml.etree import ElementTree as ET

from newsroundup.model import (
    Article,
    Disagreement,
    Entity,
    Quote,
    Roundup,
    RoundupSentence,
    Source,
    Span,
    Story,
    roundup_to_json,
)
from newsroundup.render.atom import FeedEntry, render_atom
from newsroundup.render.site import MANIFEST_FILE, write_site
from newsroundup.store import Store
from sitecheck import site_problems

MAY = datetime(2026, 5, 4, 18, 0, tzinfo=UTC)
HOSTILE = '<script>alert("x")</script> & <img src=x onerror=alert(1)>'
TEXT = f'The bridge fell into the river. "{HOSTILE}," the engineer said.'


def _articles(story: str, url: str | None) -> list[Article]:
    original = Article(f"{story}-a", TEXT, url=url, outlet=f"Herald {HOSTILE}", title=HOSTILE, published=MAY)
    copy = Article(f"{story}-b", TEXT, url=f"javascript:alert('{story}')", outlet="Wire", syndicated_from=original.id)
    return [original, copy]


def _roundup(story: str, articles: list[Article], headline: str, entity: str) -> Roundup:
    first, copy = articles
    quote_start = TEXT.index('"') + 1
    return Roundup(
        story=story,
        headline=headline,
        sentences=(RoundupSentence(TEXT[:31], Span(first.id, 0, 31)),),
        sources=(
            Source(first.id, first.outlet, first.title, first.url, MAY),
            Source(copy.id, copy.outlet, None, copy.url, None, first.id),
        ),
        method="concept-ilp",
        version="1",
        quotes=(Quote(HOSTILE, "Rhodri Penhallow", Span(first.id, quote_start, quote_start + len(HOSTILE))),),
        entities=(Entity(entity, "person", roles=(f"engineer {HOSTILE}",)),),
    )


def _store(path: Path, stories: dict[str, str | None], entity: str = "Rhodri Penhallow") -> Store:
    """A store holding two articles (an original and its wire copy) and one roundup version per story."""
    store = Store(path)
    articles = {id: _articles(id, url) for id, url in stories.items()}
    for story_articles in articles.values():
        for article in story_articles:
            store.save_article(article, fingerprint=article.id, source="test")
    store.save_grouping(
        {"format": 1},
        article_seq=len(stories) * 2,
        previous_seq=0,
        stories=[Story(id, tuple(a.id for a in found), MAY, MAY) for id, found in articles.items()],
        merged={},
    )
    for id, found in articles.items():
        store.save_roundup(id, "fp1", roundup_to_json(_roundup(id, found, HOSTILE, entity)), 1)
    return store


def test_untrusted_titles_text_and_urls_cannot_inject_markup_or_links(tmp_path: Path) -> None:
    urls = {"s1": "javascript:alert(1)", "s2": "https://herald.example/a?x=1&y=<2>"}
    with _store(tmp_path / "news.db", urls) as store:
        report = write_site(store, tmp_path / "site")
    site = tmp_path / "site"
    assert (report.stories, report.articles, report.entities) == (2, 4, 1)
    assert report.written == 2 + 4 + 1 + 1  # story, article and entity pages, and the home page
    for page in site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert "<script" not in html and "<img" not in html and '="javascript:' not in html, page
    page = (site / "stories" / "s1.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;" in page
    assert 'href="../articles/s1-a.html"' in page  # no safe URL: the citation still leads to the stored article
    assert "Address (not a web link): javascript:alert(1)" in page
    page = (site / "stories" / "s2.html").read_text(encoding="utf-8")
    assert 'href="https://herald.example/a?x=1&amp;y=&lt;2&gt;"' in page
    data = json.loads((site / "stories" / "s2.json").read_text(encoding="utf-8"))
    assert data["story"]["id"] == "s2" and data["roundup"]["headline"] == HOSTILE
    assert data["changes"]["previous_version"] is None
    assert site_problems(site) == []


def test_originals_are_not_called_copies_and_disagreements_list_each_value(tmp_path: Path) -> None:
    """View keys named like dict methods ("copy", "values") must reach the template as data."""
    with _store(tmp_path / "news.db", {"s1": "https://herald.example/a"}) as store:
        first, copy = store.articles_by_id(["s1-a", "s1-b"])
        roundup = replace(
            _roundup("s1", [first, copy], "Bridge falls", "Rhodri Penhallow"),
            disagreements=(Disagreement("people hurt", ("3", "5"), (Span(first.id, 0, 31), Span(copy.id, 0, 31))),),
        )
        store.save_roundup("s1", "fp2", roundup_to_json(roundup), 2)
        write_site(store, tmp_path / "site")
    page = (tmp_path / "site" / "stories" / "s1.html").read_text(encoding="utf-8")
    original_entry = page[page.index('href="../articles/s1-a.html"', page.index('id="sources"')) :].split("</li>")[0]
    assert "(a copy)" not in original_entry and "1 copy of this article" in original_entry
    assert "people hurt: 3 " in page and "5 " in page
    assert site_problems(tmp_path / "site") == []


def test_an_article_whose_story_has_no_roundup_yet_does_not_link_to_it(tmp_path: Path) -> None:
    from newsroundup.render.links import SiteLinks
    from newsroundup.render.pages import Pages

    with _store(tmp_path / "news.db", {"s1": None}) as store:
        store.save_grouping(
            {"format": 1}, article_seq=3, previous_seq=2,
            stories=[Story("s1", ("s1-a", "s1-b"), MAY, MAY), Story("s9", ("s9-a",), MAY, MAY)], merged={},
        )
        pier = Article("s9-a", "A new pier opened in Kelmoor.", published=MAY)
        store.save_article(pier, fingerprint="s9", source="test")
        pages = Pages(store, SiteLinks(0))
        assert 'href="../stories/s1.html"' in pages.article("s1-a")
        assert "stories/s9" not in pages.article("s9-a")


def test_a_merged_story_page_leads_to_the_story_it_became(tmp_path: Path) -> None:
    with _store(tmp_path / "news.db", {"s1": None, "s2": None}) as store:
        store.save_grouping(
            {"format": 1}, article_seq=5, previous_seq=4,
            stories=[Story("s1", ("s1-a", "s1-b", "s2-a", "s2-b"), MAY, MAY)], merged={"s2": "s1"},
        )
        first = write_site(store, tmp_path / "site")
        again = write_site(store, tmp_path / "site")
    page = (tmp_path / "site" / "stories" / "s2.html").read_text(encoding="utf-8")
    assert "This story was merged into" in page and 'href="../stories/s1.html"' in page
    assert first.stories == 1 and again.written == 0
    assert site_problems(tmp_path / "site") == []


def test_an_empty_site_still_has_a_home_page_and_a_valid_feed(tmp_path: Path) -> None:
    with Store(tmp_path / "news.db") as store:
        report = write_site(store, tmp_path / "out")
    assert "No stories yet" in report.index.read_text(encoding="utf-8")
    assert ET.parse(report.feed).getroot().tag == "{http://www.w3.org/2005/Atom}feed"
    assert site_problems(tmp_path / "out") == []


def test_the_feed_drops_characters_xml_cannot_carry_and_unsafe_links() -> None:
    entries = [
        FeedEntry("s1", "Bad\x00title\x1b <b>", "stories/s1.html", MAY, "Sum\x0cmary & more"),
        FeedEntry("s2", "Two", "javascript:alert(1)", datetime(2026, 5, 5), "Second"),
    ]
    root = ET.fromstring(render_atom(entries, title="t", updated=MAY))
    ns = "{http://www.w3.org/2005/Atom}"
    found = root.findall(f"{ns}entry")
    assert [e.findtext(f"{ns}title") for e in found] == ["Two", "Badtitle <b>"]  # newest first
    assert found[0].find(f"{ns}link") is None
    assert found[1].findtext(f"{ns}summary") == "Summary & more"
    assert found[0].findtext(f"{ns}updated") == "2026-05-05T00:00:00Z"


def _contents(site: Path) -> dict[str, bytes]:
    return {str(p.relative_to(site)): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def test_only_pages_of_what_changed_are_written_again(tmp_path: Path) -> None:
    site = tmp_path / "site"
    with _store(tmp_path / "news.db", {"s1": None, "s2": None}) as store:
        assert write_site(store, site).written == 2 + 4 + 1 + 1
        before = _contents(site)
        assert write_site(store, site).written == 0 and _contents(site) == before

        # s1 gets a second version naming someone else: its page and JSON, the home page and the feed
        # change; the entity page now lists only s2, and a page for the new name appears.
        s1 = _articles("s1", None)
        store.save_roundup("s1", "fp2", roundup_to_json(_roundup("s1", s1, "Bridge reopens", "Ines Vautrin")), 1)
        report = write_site(store, site)
        after = _contents(site)
        changed = {name for name in after if before.get(name) != after[name]}
        assert changed == {
            "stories/s1.html", "stories/s1.json", "index.html", "feed.atom", MANIFEST_FILE,
            "entities/rhodri-penhallow.html", "entities/ines-vautrin.html",
        }
        assert report.written == 4  # the story, both entity pages and the home page: its articles' pages are the same
        assert "Bridge reopens" not in after["entities/rhodri-penhallow.html"].decode()

        (site / "stories" / "s2.html").unlink()  # a page gone from the folder is written again
        assert write_site(store, site).written == 1 and _contents(site) == after

        (site / MANIFEST_FILE).write_text('{"format": "other pages"}', encoding="utf-8")
        (site / "articles" / "s2-a.html").write_text("edited", encoding="utf-8")
        assert write_site(store, site).written == 1 and _contents(site) == after  # every page rendered, one differed

        # Nobody names Rhodri Penhallow any more: the page goes.
        s2 = _articles("s2", None)
        store.save_roundup("s2", "fp2", roundup_to_json(_roundup("s2", s2, "Bridge reopens", "Ines Vautrin")), 1)
        write_site(store, site)
    assert not (site / "entities" / "rhodri-penhallow.html").exists()
    assert site_problems(site) == []


def test_a_sentence_lists_the_outlets_corroborating_it_after_its_own_citation(tmp_path: Path) -> None:
    from newsroundup.model import Corroboration, Exclusive

    with _store(tmp_path / "news.db", {"s1": "https://herald.example/a"}) as store:
        first, copy = store.articles_by_id(["s1-a", "s1-b"])
        other = Article("s1-c", TEXT, outlet="Courier", title="Bridge down", published=MAY)
        store.save_article(other, fingerprint=other.id, source="test")
        story = Story("s1", (first.id, copy.id, other.id), MAY, MAY)
        store.save_grouping({"format": 1}, article_seq=3, previous_seq=2, stories=[story], merged={})
        base = _roundup("s1", [first, copy], "Bridge falls", "Rhodri Penhallow")
        sentence = replace(base.sentences[0], corroboration=(Corroboration(other.id, 0, 31, "Courier"),))
        alone = Exclusive(TEXT[32:], Span(first.id, 32, len(TEXT)), first.outlet)
        roundup = replace(base, sentences=(sentence,), exclusives=(alone,))
        store.save_roundup("s1", "fp2", roundup_to_json(roundup), 2)
        write_site(store, tmp_path / "site")
    page = (tmp_path / "site" / "stories" / "s1.html").read_text(encoding="utf-8")
    said = page[page.index('id="roundup"') :].split("</p>")[0]
    assert said.index(">[1]</a>") < said.index("reported by 2 outlets: also")
    assert 'href="#src-2"' in said and ">Courier</a>" in said  # the corroboration is numbered after the sentence
    assert 'id="src-2"' in page and "Only one outlet reports" in page
    assert site_problems(tmp_path / "site") == []


def test_temporary_files_of_a_writer_that_died_are_removed_and_a_live_writers_kept(tmp_path: Path) -> None:
    """kill -9 in the middle of a page write leaves its temporary file; the next write removes it."""
    import os
    import subprocess
    import sys
    import time

    dead = int(subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                              text=True, check=True).stdout)
    site = tmp_path / "site"
    (site / "stories").mkdir(parents=True)
    left = site / "stories" / f".s1.html.{dead}.k2x9q0aa.tmp"  # as _write names them
    writing = site / f".index.html.{os.getpid()}.b7c1d2ee.tmp"  # a run writing the same site now
    forgotten = site / "articles" / ".a1.html.x7c1d2ee.tmp"  # no writer named, written long ago
    for path in (left, writing, forgotten):
        path.parent.mkdir(exist_ok=True)
        path.write_text("half a page", encoding="utf-8")
    hours_ago = time.time() - 7200
    os.utime(forgotten, (hours_ago, hours_ago))
    with _store(tmp_path / "news.db", {"s1": None}) as store:
        write_site(store, site)
    assert not left.exists() and not forgotten.exists()
    assert writing.exists()
    assert not [p for p in site.rglob("*.tmp") if p != writing]  # the writes themselves left none


def test_a_shortened_headline_says_whose_sentence_it_is_and_how_many_clauses_went(tmp_path: Path) -> None:
    with _store(tmp_path / "news.db", {"s1": "https://herald.example/a", "s2": None}) as store:
        first, copy = store.articles_by_id(["s1-a", "s1-b"])
        base = _roundup("s1", [first, copy], "The bridge fell", "Rhodri Penhallow")
        # "The bridge fell into the river." without "into the river": one clause declared cut.
        shortened = replace(base, headline_source=Span(first.id, 0, 31), headline_cuts=(Span(first.id, 16, 30),))
        store.save_roundup("s1", "fp2", roundup_to_json(shortened), 2)
        write_site(store, tmp_path / "site")
    page = (tmp_path / "site" / "stories" / "s1.html").read_text(encoding="utf-8")
    note = page[page.index('class="headline-from"') :].split("</p>")[0]
    assert 'href="../articles/s1-a.html"' in note and "shortened by leaving out 1 clause." in note
    assert "&lt;script&gt;" in note and "<script>" not in note  # the outlet's name is text, never markup
    other = (tmp_path / "site" / "stories" / "s2.html").read_text(encoding="utf-8")
    assert "headline-from" not in other  # a title (no sentence) says nothing
    assert site_problems(tmp_path / "site") == []
