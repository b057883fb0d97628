"""Stories as an Atom feed (RFC 4287): one entry per story, updated when its roundup changes."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from xml.etree import ElementTree as ET

from newsroundup.render.html import safe_url

ATOM_NS = "http://www.w3.org/2005/Atom"
# Characters XML 1.0 cannot carry at all (control characters from scraped pages): dropped.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One story in the feed: id, headline, link to its page, when it changed, and its summary."""

    id: str
    title: str
    link: str
    updated: datetime
    summary: str
    published: datetime | None = None


def render_atom(
    entries: Sequence[FeedEntry], *, title: str, updated: datetime, self_link: str | None = None
) -> str:
    """The feed as XML text; links are relative to the feed's own location unless absolute http(s)."""
    ET.register_namespace("", ATOM_NS)
    feed = ET.Element(_tag("feed"))
    _text(feed, "id", "urn:newsroundup:stories")
    _text(feed, "title", title)
    _text(feed, "updated", _stamp(updated))
    _text(ET.SubElement(feed, _tag("author")), "name", "newsroundup")
    _text(feed, "generator", "newsroundup")
    if self_link:
        ET.SubElement(feed, _tag("link"), rel="self", href=self_link)
    for entry in sorted(entries, key=lambda e: (_stamp(e.updated), e.id), reverse=True):
        node = ET.SubElement(feed, _tag("entry"))
        _text(node, "id", f"urn:newsroundup:story:{entry.id}")
        _text(node, "title", entry.title)
        _text(node, "updated", _stamp(entry.updated))
        if entry.published is not None:
            _text(node, "published", _stamp(entry.published))
        if _relative_or_web(entry.link):
            ET.SubElement(node, _tag("link"), rel="alternate", type="text/html", href=entry.link)
        _text(node, "summary", entry.summary).set("type", "text")
    ET.indent(feed)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"


def _tag(name: str) -> str:
    return f"{{{ATOM_NS}}}{name}"


def _text(parent: ET.Element, name: str, text: str) -> ET.Element:
    node = ET.SubElement(parent, _tag(name))
    node.text = _NOT_XML.sub("", text)
    return node


def _stamp(when: datetime) -> str:
    """RFC 3339 in UTC (a naive time is taken as UTC)."""
    aware = when if when.tzinfo else when.replace(tzinfo=UTC)
    return aware.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _relative_or_web(link: str) -> bool:
    """A site-relative path or an http(s) URL: never ``javascript:`` or ``data:``."""
    return ":" not in link.split("/", 1)[0] or safe_url(link) is not None
