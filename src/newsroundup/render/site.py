"""The static site of stories: an index, one page and one JSON file per story, and an Atom feed."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

import jinja2

from newsroundup.errors import InputError
from newsroundup.model import Article, Roundup
from newsroundup.render.atom import FeedEntry, render_atom
from newsroundup.render.html import safe_url, text_fragment_link
from newsroundup.render.json import roundup_to_dict
from newsroundup.render.markdown import source_label, source_numbers
from newsroundup.render.stories import ListedStory

STORIES_DIR = "stories"
FEED_FILE = "feed.atom"
INDEX_FILE = "index.html"
MANIFEST_FILE = ".newsroundup-site.json"  # which roundup version each story page shows
SITE_FORMAT = 2  # bump when templates change: every story page is then written again
FEED_ENTRIES = 100  # the most recently updated stories
_SAFE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$")  # ids become file names

# One stylesheet for every page, allowed by its hash: the pages run no script and load nothing.
_STYLE = """
body { font: 17px/1.55 Georgia, serif; max-width: 44rem; margin: 2rem auto; padding: 0 1rem; color: #1b1b1b; }
h1 { font-size: 1.6rem; line-height: 1.25; margin-bottom: .3rem; }
h2 { font-size: 1.15rem; margin-top: 2rem; }
a { color: #0645ad; }
nav, .meta, .note { color: #555; font: .85rem/1.4 sans-serif; }
.stories li { margin-bottom: 1.1rem; }
.stories .headline { font-size: 1.1rem; }
.sentence { margin: 0 0 .6rem; }
.cite { font: .75rem sans-serif; vertical-align: super; text-decoration: none; }
.sources li, .extras li { margin-bottom: .3rem; }
blockquote { margin: .6rem 0; padding-left: .8rem; border-left: 3px solid #bbb; }
"""


class RoundupEdition(Protocol):
    """A numbered version of a story's roundup (the store's ``RoundupVersion`` is one)."""

    @property
    def version(self) -> int: ...
    @property
    def created_at(self) -> datetime: ...
    @property
    def roundup(self) -> Roundup: ...


@dataclass(frozen=True, slots=True)
class SiteStory:
    """A story of the site: the story, its latest roundup version, and its articles when its page
    is to be written (None: the page already shows this version, see :func:`pages_to_write`)."""

    row: ListedStory
    version: RoundupEdition
    articles: Sequence[Article] | None = None


@dataclass(frozen=True, slots=True)
class SiteReport:
    """Where the site was written, how many story pages it has and how many were (re)written."""

    out: Path
    index: Path
    feed: Path
    stories: int
    written: int = 0


def check_site_folder(out: Path) -> None:
    """Raise ``InputError`` when ``out`` cannot be the site's folder (it is a file)."""
    if out.exists() and not out.is_dir():
        raise InputError(f"{out}: exists and is not a folder; give a folder for the site")


def pages_to_write(out: Path, versions: Mapping[str, int]) -> set[str]:
    """Ids of stories (id -> latest roundup version) whose page is missing or shows another version."""
    shown = _shown_versions(out)
    if shown is None:
        return set(versions)
    return {
        id
        for id, version in versions.items()
        if shown.get(id) != version or not (out / STORIES_DIR / f"{id}.html").is_file()
    }


def write_site(out: Path, stories: Sequence[SiteStory], merged: Sequence[tuple[str, str]] = ()) -> SiteReport:
    """Write the index, story pages, story JSON files and the Atom feed under ``out``.

    ``merged`` lists (old id, live id) of stories merged into another: their old page becomes a
    link to the live one, so links people kept still lead somewhere.
    """
    check_site_folder(out)
    try:
        (out / STORIES_DIR).mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"{out}: cannot create the site folder ({exc.strerror})") from exc
    shown = [s for s in stories if _SAFE_ID.match(s.row.id)]
    env = _environment()
    common = {"style": _STYLE, "csp": content_security_policy()}
    generated = datetime.now(UTC)
    pages = _shown_versions(out) or {}
    written = 0
    for story in shown:
        if story.articles is None:
            if pages.get(story.row.id) != story.version.version:
                raise InputError(f"{out}: the page of story {story.row.id} is out of date and no articles were given")
            continue
        page = env.get_template("site_story.html").render(story=_story_view(story, story.articles), **common)
        _write(out / STORIES_DIR / f"{story.row.id}.html", page)
        _write(out / STORIES_DIR / f"{story.row.id}.json", story_json(story, story.articles))
        pages[story.row.id] = story.version.version
        written += 1
    live = {s.row.id: s for s in shown}
    for old, into in merged:
        if _SAFE_ID.match(old) and into in live:
            page = env.get_template("site_merged.html").render(
                old=old, into=into, headline=live[into].version.roundup.headline, **common
            )
            _write(out / STORIES_DIR / f"{old}.html", page)
    index = env.get_template("site_index.html").render(
        stories=[_index_entry(s) for s in shown], generated=_date(generated), feed=FEED_FILE, **common
    )
    _write(out / INDEX_FILE, index)
    entries = [
        FeedEntry(
            id=s.row.id,
            title=s.version.roundup.headline or "(untitled story)",
            link=f"{STORIES_DIR}/{s.row.id}.html",
            updated=s.version.created_at,
            published=s.row.first_seen,
            summary=" ".join(sentence.text for sentence in s.version.roundup.sentences),
        )
        for s in sorted(shown, key=lambda s: s.version.created_at, reverse=True)[:FEED_ENTRIES]
    ]
    _write(out / FEED_FILE, render_atom(entries, title="newsroundup: stories", updated=generated, self_link=FEED_FILE))
    _write(out / MANIFEST_FILE, json.dumps({"format": SITE_FORMAT, "pages": pages}, sort_keys=True) + "\n")
    return SiteReport(out, out / INDEX_FILE, out / FEED_FILE, len(shown), written)


def content_security_policy() -> str:
    """The pages' CSP: nothing loads or runs but the one stylesheet, allowed by its hash."""
    digest = base64.b64encode(hashlib.sha256(_STYLE.encode("utf-8")).digest()).decode("ascii")
    return (
        f"default-src 'none'; style-src 'sha256-{digest}'; img-src 'none'; "
        "base-uri 'none'; form-action 'none'"
    )


def story_json(story: SiteStory, articles: Sequence[Article]) -> str:
    """One story as JSON: the story's record and its latest roundup (the roundup JSON)."""
    row = story.row
    data: dict[str, Any] = {
        "story": {
            "id": row.id,
            "version": story.version.version,
            "updated": story.version.created_at.isoformat(),
            "first_seen": _iso(row.first_seen),
            "last_seen": _iso(row.last_seen),
            "independent_sources": row.independent,
            "articles": [
                {"id": a.id, "outlet": a.outlet, "title": a.title, "url": a.url, "published": _iso(a.published),
                 "syndicated_from": a.syndicated_from}
                for a in articles
            ],
        },
        "roundup": roundup_to_dict(story.version.roundup),
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("newsroundup.render", "templates"),
        autoescape=True,  # titles, texts and URLs come from outside
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )


def _index_entry(story: SiteStory) -> dict[str, Any]:
    row, roundup = story.row, story.version.roundup
    lede = roundup.sentences[0].text if roundup.sentences else ""
    return {
        "id": row.id,
        "href": f"{STORIES_DIR}/{row.id}.html",
        "json": f"{STORIES_DIR}/{row.id}.json",
        "headline": roundup.headline or "(untitled story)",
        "lede": lede,
        "articles": row.articles,
        "independent": row.independent,
        "dates": _span_of_dates(row.first_seen, row.last_seen),
        "version": story.version.version,
    }


def _story_view(story: SiteStory, articles: Sequence[Article]) -> dict[str, Any]:
    """What the story template shows, with every link made safe (http(s) only) up front."""
    roundup: Roundup = story.version.roundup
    numbers = source_numbers(roundup)
    urls = {s.article: safe_url(s.url) for s in roundup.sources}
    by_id = {a.id: a for a in articles}

    def cite(article: str, start: int, end: int) -> dict[str, Any]:
        number = numbers.get(article)
        url = urls.get(article)
        source = by_id.get(article)
        href = f"#src-{number}" if number else None
        if url and source is not None:
            href = text_fragment_link(url, source.text[start:end])
        return {"number": number or "?", "href": href}

    return {
        "id": story.row.id,
        "headline": roundup.headline or "(untitled story)",
        "version": story.version.version,
        "updated": _date(story.version.created_at),
        "dates": _span_of_dates(story.row.first_seen, story.row.last_seen),
        "articles": story.row.articles,
        "independent": story.row.independent,
        "json": f"{story.row.id}.json",
        "sentences": [
            {"text": s.text, "cite": cite(s.source.article, s.source.start, s.source.end)} for s in roundup.sentences
        ],
        "quotes": [
            {"text": q.text, "speaker": q.speaker, "cite": cite(q.span.article, q.span.start, q.span.end)}
            for q in roundup.quotes
        ],
        "entities": [
            {"name": e.name, "kind": e.kind, "aliases": ", ".join(e.aliases), "roles": "; ".join(e.roles)}
            for e in roundup.entities
        ],
        "timeline": [
            {"when": t.label, "text": t.text,
             "cite": cite(t.source.article, t.source.start, t.source.end)}
            for t in roundup.timeline
        ],
        "disagreements": [
            {"fact": d.fact, "values": [
                {"value": v, "cite": cite(span.article, span.start, span.end)}
                for v, span in zip(d.values, d.sources, strict=True)
            ]}
            for d in roundup.disagreements
        ],
        "sources": [
            {"number": n, "label": source_label(s), "url": urls[s.article], "date": _date(s.published),
             "copy_of": s.syndicated_from, "original": numbers.get(s.syndicated_from or "")}
            for n, s in enumerate(roundup.sources, start=1)
        ],
        "warnings": list(roundup.warnings),
    }


def _shown_versions(out: Path) -> dict[str, Any] | None:
    """Story id -> roundup version its page shows, from the site's manifest; None when there is no
    manifest, it is unreadable, or it was written for other templates (every page is then rewritten)."""
    try:
        data = json.loads((out / MANIFEST_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("format") != SITE_FORMAT or not isinstance(data.get("pages"), dict):
        return None
    return dict(data["pages"])


def _span_of_dates(first: datetime | None, last: datetime | None) -> str:
    a, b = _date(first), _date(last)
    if a and b and a != b:
        return f"{a} – {b}"
    return a or b or "undated"


def _date(when: datetime | None) -> str | None:
    return when.astimezone(UTC).strftime("%Y-%m-%d") if when else None


def _iso(when: datetime | None) -> str | None:
    return when.isoformat() if when else None


def _write(path: Path, text: str) -> None:
    """Replace ``path`` atomically: readers see the old file or the new one, never half of one."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
