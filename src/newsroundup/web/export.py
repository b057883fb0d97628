"""``newsroundup export --site``: the server's pages as a static site (relative links, no search)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

from newsroundup.errors import InputError
from newsroundup.store import Store
from newsroundup.web import api
from newsroundup.web.links import SiteLinks, file_name
from newsroundup.web.pages import STYLESHEET, Pages


@dataclass(frozen=True, slots=True)
class ExportReport:
    """Where the site went and how many pages of each kind it has."""

    out: Path
    stories: int
    articles: int
    entities: int


def export_site(store: Store, out: Path) -> ExportReport:
    """Write the home page, every story, article and entity page, story JSON, the feed and the stylesheet."""
    if out.exists() and not out.is_dir():
        raise InputError(f"{out}: exists and is not a folder; give a folder for the site")
    for folder in ("stories", "articles", "entities", "static"):
        try:
            (out / folder).mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise InputError(f"{out}: cannot create the site folder ({exc.strerror or exc})") from exc
    links = SiteLinks()
    pages = Pages(store, links)
    _write(out / "index.html", pages.home())
    stories = [row.id for row in store.story_rows() if row.version]
    for story_id in stories:
        _write(out / "stories" / f"{file_name(story_id)}.html", pages.story(story_id))
        data = api.story_json(store, story_id)
        _write(out / "stories" / f"{file_name(story_id)}.json", json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    articles = [article.id for article in store.articles()]
    for article_id in articles:
        _write(out / "articles" / f"{file_name(article_id)}.html", pages.article(article_id))
    for key in pages.entities:
        _write(out / "entities" / f"{file_name(key)}.html", pages.entity(key))
    _write(out / "feed.atom", pages.feed())
    (out / "static" / STYLESHEET).write_bytes(files("newsroundup.web").joinpath("static", STYLESHEET).read_bytes())
    return ExportReport(out, len(stories), len(articles), len(pages.entities))


def _write(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8", newline="\n")
