"""Where served pages link to: paths from the server's root (the static site's links are in render/links.py)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from newsroundup.render.links import entity_key

__all__ = ["ServerLinks", "entity_key"]  # entity_key: the keys in /entities/KEY


@dataclass(frozen=True, slots=True)
class ServerLinks:
    """Links of the served pages: paths from the server's root (ids percent-encoded)."""

    style_version: str = ""

    @property
    def search(self) -> str | None:
        return "/search"

    @property
    def audit(self) -> str | None:
        return "/audit"

    def at(self, depth: int) -> ServerLinks:
        return self

    def home(self) -> str:
        return "/"

    def story(self, story_id: str) -> str:
        return f"/stories/{quote(story_id, safe='')}"

    def story_json(self, story_id: str) -> str:
        return f"/api/v1/stories/{quote(story_id, safe='')}"

    def article(self, article_id: str) -> str:
        return f"/articles/{quote(article_id, safe='')}"

    def entity(self, key: str) -> str:
        return f"/entities/{quote(key, safe='')}"

    def feed(self) -> str:
        return "/feed.atom"

    def static(self, name: str) -> str:
        return f"/static/{name}" + (f"?v={self.style_version}" if self.style_version else "")
