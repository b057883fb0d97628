"""Test helper: what a served or exported page holds (links, ids, classes, scripts), read with html.parser."""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser


@dataclass
class Element:
    """A start tag and its attributes."""

    tag: str
    attrs: dict[str, str]


class Page(HTMLParser):
    """Every element of one page, and the text inside each element with an id."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self.texts: dict[str, str] = {}
        self._open: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {k: v or "" for k, v in attrs})
        self.elements.append(element)
        if tag not in {"meta", "link", "input", "br", "img"}:
            self._open.append((tag, element.attrs.get("id")))
            if element.attrs.get("id"):
                self.texts.setdefault(element.attrs["id"], "")

    def handle_endtag(self, tag: str) -> None:
        while self._open:
            if self._open.pop()[0] == tag:
                break

    def handle_data(self, data: str) -> None:
        for _, id in self._open:
            if id:
                self.texts[id] += data

    @property
    def ids(self) -> set[str]:
        return {e.attrs["id"] for e in self.elements if "id" in e.attrs}

    def links(self) -> list[str]:
        return [e.attrs[k] for e in self.elements for k in ("href", "src", "action") if k in e.attrs]

    def with_class(self, name: str) -> list[Element]:
        return [e for e in self.elements if name in e.attrs.get("class", "").split()]


def parse(html: str) -> Page:
    """The page read from ``html``."""
    page = Page()
    page.feed(html)
    page.close()
    return page
