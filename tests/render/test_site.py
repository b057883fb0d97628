"""Tests for render/site.py and render/atom.py: untrusted text stays text and every link resolves."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from newsroundup.errors import InputError
from newsroundup.model import Article, Quote, Roundup, RoundupSentence, Source, Span
from newsroundup.render.atom import FeedEntry, render_atom
from newsroundup.render.site import MANIFEST_FILE, SiteStory, pages_to_write, write_site
from newsroundup.store.stories import RoundupVersion, StoryRow
from sitecheck import site_problems

MAY = datetime(2026, 5, 4, 18, 0, tzinfo=UTC)
HOSTILE = '<script>alert("x")</script> & <img src=x onerror=alert(1)>'
TEXT = f'The bridge fell into the river. "{HOSTILE}," the engineer said.'


def _story(id: str, url: str | None, headline: str = "Bridge falls") -> SiteStory:
    article = Article("a1", TEXT, url=url, outlet=f"Herald {HOSTILE}", title=HOSTILE, published=MAY)
    copy = Article("a2", TEXT, url="javascript:alert(2)", outlet="Wire", syndicated_from="a1")
    quote_start = TEXT.index('"') + 1
    roundup = Roundup(
        story=id,
        headline=headline,
        sentences=(RoundupSentence(TEXT[:31], Span("a1", 0, 31)),),
        sources=(
            Source("a1", article.outlet, article.title, url, MAY),
            Source("a2", "Wire", None, copy.url, None, "a1"),
        ),
        method="concept-ilp",
        version="1",
        quotes=(Quote(HOSTILE, "Rhodri Penhallow", Span("a1", quote_start, quote_start + len(HOSTILE))),),
    )
    row = StoryRow(id, 0, MAY, MAY, 2, 1, None, MAY, headline, 1)
    return SiteStory(row, RoundupVersion(id, 1, "fp", MAY, roundup), [article, copy])


def test_untrusted_titles_text_and_urls_cannot_inject_markup_or_links(tmp_path: Path) -> None:
    stories = [
        _story("s1", "javascript:alert(1)", headline=HOSTILE),
        _story("s2", "https://herald.example/a1?x=1&y=<2>"),
    ]
    report = write_site(tmp_path, stories)
    assert report.stories == 2
    for page in tmp_path.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert "<script" not in html and "<img" not in html and "javascript:" not in html
    page = (tmp_path / "stories" / "s1.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;" in page
    assert 'href="#src-1"' in page  # no safe URL: the citation points at the sources list
    assert '(copy of <a href="#src-1">[1]</a>)' in page  # the wire copy names its original's number
    page = (tmp_path / "stories" / "s2.html").read_text(encoding="utf-8")
    assert 'href="https://herald.example/a1?x=1&amp;y=&lt;2&gt;#:~:text=' in page
    assert site_problems(tmp_path) == []


def test_a_merged_story_page_leads_to_the_live_story(tmp_path: Path) -> None:
    write_site(tmp_path, [_story("s1", None)], merged=[("s0", "s1"), ("s9", "gone")])
    assert (tmp_path / "stories" / "s0.html").is_file()
    assert not (tmp_path / "stories" / "s9.html").exists()  # its story has no page to lead to
    assert 'href="s1.html"' in (tmp_path / "stories" / "s0.html").read_text(encoding="utf-8")
    assert site_problems(tmp_path) == []


def test_an_empty_site_still_has_an_index_and_a_valid_feed(tmp_path: Path) -> None:
    report = write_site(tmp_path / "out", [])
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


def test_only_pages_that_are_missing_or_show_an_older_version_are_written_again(tmp_path: Path) -> None:
    first = write_site(tmp_path, [_story("s1", None), _story("s2", None)])
    assert first.written == 2
    assert pages_to_write(tmp_path, {"s1": 1, "s2": 1}) == set()
    assert pages_to_write(tmp_path, {"s1": 2, "s2": 1, "s3": 1}) == {"s1", "s3"}
    (tmp_path / "stories" / "s2.html").unlink()
    assert pages_to_write(tmp_path, {"s1": 1, "s2": 1}) == {"s2"}
    kept = _story("s1", None)
    again = write_site(tmp_path, [replace(kept, articles=None), _story("s2", None)])
    assert again.written == 1 and again.stories == 2
    assert site_problems(tmp_path) == []
    with pytest.raises(InputError, match="page of story s3 is out of date"):
        write_site(tmp_path, [replace(_story("s3", None), articles=None)])
    (tmp_path / MANIFEST_FILE).write_text('{"format": 0, "pages": {}}', encoding="utf-8")  # older templates
    assert pages_to_write(tmp_path, {"s1": 1, "s2": 1}) == {"s1", "s2"}
