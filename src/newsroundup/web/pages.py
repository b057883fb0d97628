"""The search page, the one page only the server has (it asks the store's full-text index)."""

from __future__ import annotations

import re

from newsroundup.render.links import Links
from newsroundup.render.pages import render_page, short_date
from newsroundup.store.base import Store
from newsroundup.store.search import HIGHLIGHT_END, HIGHLIGHT_START

SEARCH_RESULTS = 20
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
