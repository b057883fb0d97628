"""The static site: the web app's pages as files with relative links, rewritten only where the store changed.

``run --out`` and ``export --site`` both write it. A manifest in the site folder records which
roundup version each story page shows and what each entity page was made from, so a later write
renders only the pages of stories with a new version (with their articles' pages), the entity
pages naming them, merged-story pages, the home page and the feed; a page whose text did not
change is not written again.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import time
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Any

from newsroundup.errors import InputError
from newsroundup.render.entities import EntityEntry
from newsroundup.render.links import SiteLinks
from newsroundup.render.pages import STYLESHEET, Archive, Pages
from newsroundup.render.stories import story_detail

INDEX_FILE = "index.html"
FEED_FILE = "feed.atom"
MANIFEST_FILE = ".newsroundup-site.json"
SITE_FORMAT = 3  # bump when pages change without a template change: every page is then rendered again
_FOLDERS = ("stories", "articles", "entities", "static")
_TEMP_SUFFIX = ".tmp"
_STALE_TEMP_SECONDS = 3600.0  # a temporary file this old was left by a writer that died (on any machine)


@dataclass(frozen=True, slots=True)
class SiteReport:
    """Where the site is, what it holds (live stories, their articles, entities) and how many pages were written."""

    out: Path
    index: Path
    feed: Path
    stories: int
    articles: int
    entities: int
    written: int  # HTML pages written this time (unchanged pages are left alone)


@dataclass(slots=True)
class _Manifest:
    """What the pages in the folder were made from (empty: nothing is known, every page is rendered)."""

    stories: dict[str, int] = field(default_factory=dict)  # story id -> roundup version its page shows
    merged: dict[str, list[Any]] = field(default_factory=dict)  # old id -> [live id, its version]
    entities: dict[str, str] = field(default_factory=dict)  # entity key -> digest of what its page shows


def check_site_folder(out: Path) -> None:
    """Raise ``InputError`` when ``out`` cannot be the site's folder (it is a file)."""
    if out.exists() and not out.is_dir():
        raise InputError(f"{out}: exists and is not a folder; give a folder for the site")


def write_site(archive: Archive, out: Path) -> SiteReport:
    """Write (or bring up to date) the site of ``archive`` in ``out``: home page, story pages and JSON,
    article and entity pages, pages of merged stories leading to the story they became, feed, stylesheet."""
    check_site_folder(out)
    for folder in _FOLDERS:
        try:
            (out / folder).mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise InputError(f"{out}: cannot create the site folder ({exc.strerror or exc})") from exc
    _remove_stale_temporaries(out)
    links = SiteLinks()
    pages = Pages(archive, links)
    before = _read_manifest(out)
    now = _Manifest()
    writer = _Writer(out)
    rows = [row for row in archive.story_rows() if row.version]
    for row in rows:
        now.stories[row.id] = row.version
        if before.stories.get(row.id) == row.version and writer.has(links.story(row.id), links.story_json(row.id)):
            continue
        writer.page(links.story(row.id), pages.story(row.id))
        detail = story_detail(row, archive.roundup_versions(row.id, limit=2))
        writer.file(links.story_json(row.id), json.dumps(detail, indent=2, ensure_ascii=False) + "\n")
        for article_id in archive.story_article_ids(row.id):
            writer.page(links.article(article_id), pages.article(article_id))
    for old in archive.merged_story_rows():
        try:
            live = archive.story_row(old.id)  # follows merges
        except InputError:
            continue
        if live.id not in now.stories:
            continue  # the story it became has no page (yet)
        now.merged[old.id] = [live.id, now.stories[live.id]]
        if before.merged.get(old.id) != now.merged[old.id] or not writer.has(links.story(old.id)):
            writer.page(links.story(old.id), pages.merged(old.id))
    for key, entry in pages.entities.items():
        now.entities[key] = _entity_digest(entry, now.stories)
        if before.entities.get(key) != now.entities[key] or not writer.has(links.entity(key)):
            writer.page(links.entity(key), pages.entity(key))
    for key in before.entities.keys() - now.entities.keys():
        (out / links.entity(key)).unlink(missing_ok=True)  # no live story names it any more
    writer.page(INDEX_FILE, pages.home())
    writer.file(FEED_FILE, pages.feed())
    writer.file(links.static(STYLESHEET), _stylesheet())
    manifest = {"format": _site_format(), "stories": now.stories, "merged": now.merged, "entities": now.entities}
    writer.file(MANIFEST_FILE, json.dumps(manifest, sort_keys=True) + "\n")
    articles = sum(row.articles for row in rows)
    return SiteReport(out, out / INDEX_FILE, out / FEED_FILE, len(rows), articles, len(now.entities), writer.pages)


class _Writer:
    """Writes files under the site folder, only when their text changed, counting the HTML pages written."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.pages = 0

    def has(self, *paths: str) -> bool:
        """Whether every one of these files is there."""
        return all((self.out / path).is_file() for path in paths)

    def page(self, path: str, html: str) -> None:
        if self.file(path, html):
            self.pages += 1

    def file(self, path: str, text: str) -> bool:
        """Write ``text`` to ``path`` unless it already holds exactly that; True when written."""
        target = self.out / path
        try:
            if target.read_text(encoding="utf-8") == text:
                return False
        except (OSError, ValueError):
            pass  # missing or unreadable: write it
        _write(target, text)
        return True


def _remove_stale_temporaries(out: Path) -> None:
    """Remove the temporary files of writers that died mid-write (a kill -9 leaves its ``_write`` file).

    A file is stale when the process named in it is no longer running here, or when it is older than
    ``_STALE_TEMP_SECONDS`` (a writer on another machine sharing the folder); another run writing the
    same site now keeps its files.
    """
    now = time.time()
    for folder in (out, *(out / name for name in _FOLDERS)):
        for path in folder.glob(f".*{_TEMP_SUFFIX}"):
            try:
                old = now - path.stat().st_mtime > _STALE_TEMP_SECONDS
                if old or not _running(_writer_of(path.name)):
                    path.unlink()
            except OSError:
                continue  # gone already


def _writer_of(name: str) -> int:
    """The process id in a temporary file's name ``.{file}.{pid}.{random}.tmp``; 0 when it names none."""
    parts = name.rsplit(".", 3)
    return int(parts[1]) if len(parts) == 4 and parts[1].isascii() and parts[1].isdigit() else 0


def _running(pid: int) -> bool:
    """Whether a process ``pid`` runs on this machine (0: unknown, treated as running)."""
    if pid <= 0:
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True


def _read_manifest(out: Path) -> _Manifest:
    """The site's manifest; empty when there is none, it is unreadable, or it was written for other pages."""
    try:
        data = json.loads((out / MANIFEST_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return _Manifest()
    if not isinstance(data, dict) or data.get("format") != _site_format():
        return _Manifest()
    stories, merged, entities = (data.get(name) for name in ("stories", "merged", "entities"))
    if not (isinstance(stories, dict) and isinstance(merged, dict) and isinstance(entities, dict)):
        return _Manifest()
    return _Manifest(stories, merged, entities)


def _entity_digest(entry: EntityEntry, versions: dict[str, int]) -> str:
    """What an entity page shows: the entity and the version of each story it lists."""
    shown = [entry.name, entry.kind, entry.aliases, entry.roles, [[s, versions.get(s)] for s in entry.stories]]
    return hashlib.sha256(json.dumps(shown).encode("utf-8")).hexdigest()[:24]


@lru_cache(maxsize=1)
def _site_format() -> str:
    """SITE_FORMAT and a digest of the templates and stylesheet: pages made with others are all rendered again."""
    digest = hashlib.sha256()
    package = files("newsroundup.render")
    for folder in ("templates", "static"):
        for item in sorted(package.joinpath(folder).iterdir(), key=lambda i: i.name):
            if item.is_file():
                digest.update(item.name.encode("utf-8") + b"\0" + item.read_bytes())
    return f"{SITE_FORMAT}-{digest.hexdigest()[:16]}"


def _stylesheet() -> str:
    return files("newsroundup.render").joinpath("static", STYLESHEET).read_text(encoding="utf-8")


def _write(path: Path, text: str) -> None:
    """Replace ``path`` atomically: readers see the old file or the new one, never half of one.

    The temporary file is named after this process (see ``_remove_stale_temporaries``).
    """
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.{os.getpid()}.", suffix=_TEMP_SUFFIX)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
