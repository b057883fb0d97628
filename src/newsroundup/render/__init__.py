"""What readers open: roundups as Markdown, JSON and HTML; the reader's pages, the static site and the feed."""

from __future__ import annotations

import json
from collections.abc import Sequence

from newsroundup.model import Article, Roundup, roundup_to_json
from newsroundup.render.html import render_html
from newsroundup.render.markdown import render_markdown


def render(roundup: Roundup, articles: Sequence[Article], fmt: str) -> str:
    """Render ``roundup`` as ``md``, ``json`` or ``html`` text."""
    if fmt == "json":
        return json.dumps(roundup_to_json(roundup), indent=2, ensure_ascii=False) + "\n"
    if fmt == "html":
        return render_html(roundup, articles)
    return render_markdown(roundup)


__all__ = ["render", "render_html", "render_markdown"]
