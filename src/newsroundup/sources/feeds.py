"""Feeds and feed lists: RSS/Atom entries with feedparser, OPML outlines, and sniffing which is which."""

from __future__ import annotations

import calendar
import codecs
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from html import unescape
from typing import Any, Literal

from newsroundup.errors import SourceError
from newsroundup.sources.urls import canonical_url, is_web_url
from newsroundup.text.clean import clean_body, strip_controls

DocumentKind = Literal["feed", "opml", "html"]

_ROOT = re.compile(
    rb"""^(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*\?>\s*)?
        (?:<!--.*?-->\s*|<!DOCTYPE[^>]*>\s*|<\?[^>]*\?>\s*)*
        <([A-Za-z][\w:.-]*)""",
    re.VERBOSE | re.DOTALL,
)
_FEED_ROOTS = frozenset({b"rss", b"feed", b"rdf:rdf", b"rdf", b"channel"})
# A numeric character reference: feedparser's lenient parser calls chr() on it and crashes (the whole
# feed lost) when it names a surrogate or lies past U+10FFFF.
_CHARREF = re.compile(rb"&#(?:[xX]([0-9a-fA-F]{1,16})|([0-9]{1,20}));")
_WIDE_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# What lxml refuses in a text node ("All strings must be XML compatible"): C0 controls but tab and
# newlines, lone surrogates, and the two non-characters U+FFFE/U+FFFF.
_NOT_XML = re.compile("[\x00-\x08\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_BLOCK_TAGS = frozenset({"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr"})


@dataclass(frozen=True)
class FeedEntry:
    """One item of a feed: its link, and what the feed itself says (often only an excerpt)."""

    link: str | None
    title: str | None
    published: datetime | None
    author: str | None
    text: str


@dataclass(frozen=True)
class Feed:
    """A parsed feed: its title, its site link and its entries in feed order."""

    title: str | None
    link: str | None
    entries: tuple[FeedEntry, ...]
    problem: str | None = None  # why the feed was read leniently (not well-formed XML), if it was


def document_kind(data: bytes, content_type: str = "") -> DocumentKind:
    """Whether fetched bytes are a feed, an OPML list of feeds or (anything else) an HTML page."""
    match = _ROOT.match(data[:4096])
    root = match.group(1).lower() if match else b""
    if root == b"opml":
        return "opml"
    if root in _FEED_ROOTS or any(t in content_type for t in ("rss+xml", "atom+xml", "rdf+xml")):
        return "feed"
    return "html"


def parse_feed(data: bytes, source: str, content_type: str = "") -> Feed:
    """Parse an RSS or Atom document; raise ``SourceError`` when it has no entries and is broken."""
    import feedparser

    headers = {"content-type": content_type} if content_type else {}
    try:
        parsed = feedparser.parse(_usable_charrefs(data), response_headers=headers)
    except Exception as exc:  # feedparser's own failure: a clear error for this feed, the batch goes on
        reason = " ".join(f"{type(exc).__name__}: {exc}".split())[:200]
        raise SourceError(f"{source}: the feed parser failed on this document ({reason})", "bad-feed") from exc
    entries = tuple(e for e in (_entry(raw, source) for raw in parsed.entries) if e.link or e.text)
    if parsed.get("bozo") and not entries:
        problem = parsed.get("bozo_exception")
        raise SourceError(f"{source}: not a valid RSS or Atom feed ({problem})", "bad-feed")
    if not entries and not parsed.get("version"):
        raise SourceError(f"{source}: not an RSS or Atom feed", "bad-feed")
    channel = parsed.get("feed", {})
    problem = None
    if parsed.get("bozo") and not isinstance(parsed.get("bozo_exception"), feedparser.CharacterEncodingOverride):
        reason = " ".join(str(parsed.get("bozo_exception") or "not well-formed").split())[:200]
        problem = f"{source}: feed is not well-formed ({reason}); read leniently, {len(entries)} entries"
    return Feed(title=_text(channel.get("title")), link=_text(channel.get("link")), entries=entries, problem=problem)


def _usable_charrefs(data: bytes) -> bytes:
    """``data`` with every numeric character reference to no character (a surrogate, past U+10FFFF) as U+FFFD."""
    for bom, encoding in _WIDE_BOMS:
        if data.startswith(bom):  # UTF-16/32: the references are not ASCII bytes here
            text = data[len(bom):].decode(encoding, errors="replace").encode("utf-8", errors="replace")
            fixed = _usable_charrefs(text)
            return data if fixed == text else bom + fixed.decode("utf-8").encode(encoding)
    return _CHARREF.sub(_charref, data) if b"&#" in data else data


def _charref(match: re.Match[bytes]) -> bytes:
    hexadecimal, decimal = match.groups()
    code = int(hexadecimal, 16) if hexadecimal else int(decimal)
    return match.group(0) if code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else b"&#xFFFD;"


def parse_opml(data: bytes, source: str) -> list[str]:
    """The feed URLs (``xmlUrl``) of an OPML document, nested outlines included, in order."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, recover=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise SourceError(f"{source}: not valid OPML ({exc})", "bad-opml") from exc
    urls: list[str] = []
    for outline in root.iter("outline"):
        url = (outline.get("xmlUrl") or outline.get("xmlurl") or "").strip()
        if url and is_web_url(url) and url not in urls:
            urls.append(url)
    if not urls:
        raise SourceError(f"{source}: OPML lists no feed URLs (no outline with xmlUrl)", "bad-opml")
    return urls


def html_to_text(html: str) -> str:
    """Plain text of an HTML fragment (a feed's description or content), one paragraph a line."""
    html = _NOT_XML.sub("", html.replace("\x0b", "\n").replace("\x0c", "\n"))
    if "<" not in html:
        return clean_body(unescape(html))  # feedparser hands descriptions over as HTML: "AT&amp;T"
    from lxml import html as lxml_html
    from lxml.etree import ParserError

    try:
        root = lxml_html.fragment_fromstring(html, create_parent="div")
    except (ParserError, ValueError):
        return clean_body(re.sub(r"<[^>]+>", " ", html))
    for bad in root.xpath("//script|//style"):
        bad.drop_tree()
    for node in root.iterdescendants():
        if isinstance(node.tag, str) and node.tag.lower() in _BLOCK_TAGS:
            node.text = "\n" + (node.text or "")
            node.tail = "\n" + (node.tail or "")
    lines = (" ".join(line.split()) for line in root.text_content().split("\n"))
    return clean_body("\n".join(line for line in lines if line))


def _entry(entry: Any, source: str) -> FeedEntry:
    """A ``FeedEntry`` from a feedparser entry."""
    contents = entry.get("content") or []
    html = contents[0].get("value", "") if contents else entry.get("summary", "")
    link = _text(entry.get("link"))
    link = canonical_url(link, base=source if is_web_url(source) else None) if link else None
    return FeedEntry(
        link=link if link and is_web_url(link) else None,  # a bare guid ("a1") is no page to fetch
        title=_text(entry.get("title")),
        published=_when(entry.get("published_parsed") or entry.get("updated_parsed")),
        author=_text(entry.get("author")),
        text=html_to_text(html or ""),
    )


def _when(value: Any) -> datetime | None:
    """A UTC datetime from feedparser's parsed time tuple."""
    if not value:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(value), tz=UTC)
    except (OverflowError, ValueError, TypeError):
        return None


def _text(value: Any) -> str | None:
    """A stripped non-empty string or None."""
    return strip_controls(value).strip() or None if isinstance(value, str) else None
