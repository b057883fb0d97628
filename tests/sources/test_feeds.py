"""Feeds, OPML and sniffing: RSS and Atom entries, broken XML, outlines, HTML excerpts to text."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from newsroundup.errors import SourceError
from newsroundup.sources.feeds import document_kind, html_to_text, parse_feed, parse_opml

RSS = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Marrowby Courier</title><link>https://courier.example/</link>
<item><title>Bridge closes for repairs</title><link>https://courier.example/bridge?utm_source=rss</link>
<pubDate>Tue, 03 Mar 2026 09:30:00 GMT</pubDate><author>tove@courier.example (Tove Lindqvist)</author>
<description>&lt;p&gt;The harbour bridge will close.&lt;/p&gt;&lt;p&gt;Ferries will run.&lt;/p&gt;
</description></item>
<item><title>No link here</title><description>Only text.</description></item>
</channel></rss>"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Pellham Post</title>
<entry><title>Storm floods square</title><link href="https://post.example/storm"/>
<updated>2026-03-01T10:00:00Z</updated>
<content type="html">&lt;p&gt;Water rose fast.&lt;/p&gt;</content></entry>
</feed>"""


def test_rss_entries_with_canonical_links_dates_and_text() -> None:
    feed = parse_feed(RSS, "https://courier.example/rss")
    assert feed.title == "Marrowby Courier"
    first, second = feed.entries
    assert first.link == "https://courier.example/bridge"  # tracking parameter stripped
    assert first.published == datetime(2026, 3, 3, 9, 30, tzinfo=UTC)
    assert first.text == "The harbour bridge will close.\nFerries will run."
    assert second.link is None and second.text == "Only text."


def test_atom_entries() -> None:
    (entry,) = parse_feed(ATOM, "atom.xml").entries
    assert entry.link == "https://post.example/storm" and entry.text == "Water rose fast."


def test_malformed_xml_without_entries_is_a_clear_error() -> None:
    with pytest.raises(SourceError) as caught:
        parse_feed(b"<rss><channel><item><title>broken", "https://bad.example/feed")
    assert caught.value.kind == "bad-feed" and "https://bad.example/feed" in str(caught.value)


def test_opml_lists_feed_urls_in_nested_outlines() -> None:
    opml = b"""<?xml version="1.0"?><opml version="2.0"><head><title>My feeds</title></head><body>
    <outline text="Local"><outline text="Courier" xmlUrl="https://courier.example/rss"/>
    <outline text="Post" type="rss" xmlUrl="https://post.example/atom"/></outline>
    <outline text="Not a feed" htmlUrl="https://x.example/"/></body></opml>"""
    assert parse_opml(opml, "feeds.opml") == ["https://courier.example/rss", "https://post.example/atom"]
    with pytest.raises(SourceError, match=r"feeds\.opml: not valid OPML"):
        parse_opml(b"<opml><body><outline", "feeds.opml")


def test_document_kind_sniffs_feeds_opml_and_pages() -> None:
    assert document_kind(RSS) == "feed" and document_kind(ATOM) == "feed"
    assert document_kind(b"<?xml version='1.0'?>\n<!-- list --><opml version='2.0'>") == "opml"
    assert document_kind(b"<!DOCTYPE html><html><body>hi</body></html>") == "html"
    assert document_kind(b"{}", "application/rss+xml") == "feed"


def test_html_to_text_keeps_paragraphs_and_drops_scripts() -> None:
    html = "<div><p>First <b>bold</b> line.</p><script>alert(1)</script><p>Second line.</p></div>"
    assert html_to_text(html) == "First bold line.\nSecond line."


@pytest.mark.parametrize("reference", ["&#xD800;", "&#55296;", "&#x110000;", "&#99999999999;"])
@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_a_reference_to_no_character_costs_nothing_but_itself(reference: str, encoding: str) -> None:
    # feedparser's lenient parser called chr() on these and crashed: the whole feed was lost as "unexpected"
    document = (
        f'<?xml version="1.0" encoding="{encoding}"?><rss version="2.0"><channel><title>T</title>'
        f"<item><title>Bad {reference} title</title><description>Broken & text {reference}</description></item>"
        "<item><title>Good</title><link>https://example.org/good</link><description>Fine.</description></item>"
        "</channel></rss>"
    )
    feed = parse_feed(document.encode(encoding), "bad.xml")
    assert [e.title for e in feed.entries] == ["Bad \ufffd title", "Good"]
    assert feed.entries[0].text == "Broken & text \ufffd"


def test_control_characters_and_surrogates_in_entry_html_are_dropped() -> None:
    # lxml refused to set a text node holding them ("All strings must be XML compatible")
    assert html_to_text("<p>one\x08 two</p>\x1a<p>three\ud800\uffff four\x0bfive</p>") == "one two\nthree four\nfive"
