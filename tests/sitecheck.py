"""Test helper: crawl a written static site and list every link that does not resolve."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit


class _Links(HTMLParser):
    """Collects hrefs/srcs, element ids, and script or inline-handler use of one page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.scripts = 0
        self.csp: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "script" or any(k.startswith("on") for k in values):
            self.scripts += 1
        if tag == "meta" and values.get("http-equiv", "").lower() == "content-security-policy":
            self.csp = values.get("content")
        for key in ("href", "src"):
            if key in values:
                self.links.append(values[key])
        if "id" in values:
            self.ids.add(values["id"])


def _parse(page: Path) -> _Links:
    parser = _Links()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


def site_problems(root: Path) -> list[str]:
    """Every broken relative link or anchor, non-http(s) absolute link, script, or missing CSP."""
    problems: list[str] = []
    pages = {page.resolve(): _parse(page) for page in root.rglob("*.html")}
    for page, parsed in pages.items():
        if parsed.scripts:
            problems.append(f"{page}: has script")
        if not parsed.csp or "default-src 'none'" not in parsed.csp:
            problems.append(f"{page}: no strict Content-Security-Policy")
        for link in parsed.links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc:
                if parts.scheme not in ("http", "https"):
                    problems.append(f"{page}: unsafe link {link!r}")
                continue
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            if not target.is_file():
                problems.append(f"{page}: link {link!r} leads nowhere")
                continue
            if parts.fragment:
                ids = pages[target].ids if target in pages else _parse(target).ids
                if parts.fragment not in ids:
                    problems.append(f"{page}: anchor {link!r} has no target")
    return problems
