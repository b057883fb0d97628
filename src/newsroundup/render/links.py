"""Where pages link to: the ``Links`` a page is rendered with, and the static site's relative ``.html`` links.

The server's links (root paths) live with the app in ``web/links.py``; both satisfy :class:`Links`.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from typing import Protocol

_SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$")
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


class Links(Protocol):
    """The hrefs one page uses; ``at(depth)`` gives the links for a page ``depth`` folders down."""

    @property
    def search(self) -> str | None: ...  # None: no search (a static site)
    @property
    def audit(self) -> str | None: ...  # None: no audit page (a static site)
    def at(self, depth: int) -> Links: ...
    def home(self) -> str: ...
    def story(self, story_id: str) -> str: ...
    def story_json(self, story_id: str) -> str: ...
    def article(self, article_id: str) -> str: ...
    def entity(self, key: str) -> str: ...
    def feed(self) -> str: ...
    def static(self, name: str) -> str: ...


def entity_key(name: str) -> str:
    """A stable key for an entity name, fit for a URL and a file name: ``Maren Holt`` → ``maren-holt``."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    slug = _NOT_SLUG.sub("-", ascii_name.lower()).strip("-")[:80]
    return slug or "e-" + hashlib.sha256(name.encode("utf-8")).hexdigest()[:12]


def file_name(id: str) -> str:
    """A file name for an id (article ids are often URLs): the id itself when it is safe, else a hash."""
    return id if _SAFE_NAME.match(id) else "a-" + hashlib.sha256(id.encode("utf-8")).hexdigest()[:20]


@dataclass(frozen=True, slots=True)
class SiteLinks:
    """Links of the static site: relative paths to ``.html`` files, ``depth`` folders below its root."""

    depth: int = 0

    @property
    def search(self) -> str | None:
        return None

    @property
    def audit(self) -> str | None:
        return None

    def at(self, depth: int) -> SiteLinks:
        return SiteLinks(depth)

    def _root(self) -> str:
        return "../" * self.depth

    def home(self) -> str:
        return f"{self._root()}index.html"

    def story(self, story_id: str) -> str:
        return f"{self._root()}stories/{file_name(story_id)}.html"

    def story_json(self, story_id: str) -> str:
        return f"{self._root()}stories/{file_name(story_id)}.json"

    def article(self, article_id: str) -> str:
        return f"{self._root()}articles/{file_name(article_id)}.html"

    def entity(self, key: str) -> str:
        return f"{self._root()}entities/{file_name(key)}.html"

    def feed(self) -> str:
        return f"{self._root()}feed.atom"

    def static(self, name: str) -> str:
        return f"{self._root()}static/{name}"
