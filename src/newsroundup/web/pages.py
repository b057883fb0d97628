"""The pages only the server has: search (the store's full-text index) and audit (a pasted text against the store)."""

from __future__ import annotations

import re

from newsroundup.annotate.aliases import BUILTIN_ALIASES, AliasTable
from newsroundup.errors import NewsroundupError
from newsroundup.pipeline.audit import AuditRun, audit_stored
from newsroundup.pipeline.load import LoadRules, article_from_line
from newsroundup.render.audit import render_audit_page
from newsroundup.render.links import Links
from newsroundup.render.pages import render_page, short_date
from newsroundup.store.base import Store
from newsroundup.store.search import HIGHLIGHT_END, HIGHLIGHT_START

SEARCH_RESULTS = 20
MAX_AUDIT_CHARS = 200_000  # the longest text ``POST /api/v1/audit`` and the audit page take
_MARKS = re.compile(f"([{HIGHLIGHT_START}{HIGHLIGHT_END}])")


def search_page(store: Store, links: Links, query: str) -> str:
    """Stories and articles matching ``query``."""
    links = links.at(0)
    stories = [
        {"href": links.story(hit.story), "headline": hit.headline, "snippet": highlighted(hit.snippet)}
        for hit in store.search_stories(query, SEARCH_RESULTS)
    ]
    articles = [
        {
            "href": links.article(hit.article),
            "title": hit.title or "(untitled article)",
            "outlet": hit.outlet or "(unknown outlet)",
            "date": short_date(hit.published),
            "story": links.story(hit.story) if hit.story else None,
            "snippet": highlighted(hit.snippet),
        }
        for hit in store.search_articles(query, SEARCH_RESULTS)
    ]
    title = f"Search: {query}" if query.strip() else "Search"
    return render_page("search.html", links, title=title, query=query, stories=stories, articles=articles)


def highlighted(snippet: str) -> list[tuple[str, bool]]:
    """A search snippet as (text, is a match) parts, so the template escapes text and marks matches."""
    parts: list[tuple[str, bool]] = []
    inside = False
    for part in _MARKS.split(snippet):
        if part == HIGHLIGHT_START:
            inside = True
        elif part == HIGHLIGHT_END:
            inside = False
        elif part:
            parts.append((part, inside))
    return parts


def audited(
    store: Store, text: str, title: str | None = None, outlet: str | None = None, aliases: AliasTable = BUILTIN_ALIASES
) -> AuditRun:
    """The audit of a pasted ``text`` against the stored articles (read-only: nothing is stored)."""
    record = {"id": "audited", "text": text, "title": title, "outlet": outlet}
    article = article_from_line(record, "the text to audit", LoadRules(), lambda _note: None)
    return audit_stored(store, article, aliases=aliases)


TOO_LONG = f"The text is longer than {MAX_AUDIT_CHARS:,} characters: audit a part of it."


def audit_page(
    links: Links, text: str | None = "", store: Store | None = None, aliases: AliasTable = BUILTIN_ALIASES
) -> tuple[int, str]:
    """The audit form with ``text``, and with ``store`` the audit of ``text`` against it: (status, page).

    ``text`` None: what was posted was too large to read.
    """
    if text is None or len(text) > MAX_AUDIT_CHARS:
        return 413, render_audit_page(links, (text or "")[:MAX_AUDIT_CHARS], MAX_AUDIT_CHARS, error=TOO_LONG)
    if store is None:
        return 200, render_audit_page(links, text, MAX_AUDIT_CHARS)
    if not text.strip():
        return 400, render_audit_page(links, text, MAX_AUDIT_CHARS, error="Paste a text to audit.")
    try:
        run = audited(store, text, aliases=aliases)
    except NewsroundupError as exc:
        return 400, render_audit_page(links, text, MAX_AUDIT_CHARS, error=str(exc))
    return 200, render_audit_page(links, text, MAX_AUDIT_CHARS, run.audit, run.sources)
