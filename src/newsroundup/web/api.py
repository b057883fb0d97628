"""The JSON API's records: typed models for the OpenAPI schema, and builders that make the JSON from the store.

The builders return plain dictionaries that the app encodes once and caches; the models only
describe them (the hot path never re-validates a payload).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel

from newsroundup.errors import InputError
from newsroundup.model import Article, Roundup
from newsroundup.render.entities import EntityEntry, entity_index
from newsroundup.render.pages import NotFound
from newsroundup.render.stories import story_detail, story_summary
from newsroundup.store import StoryRow
from newsroundup.store.base import Store
from newsroundup.store.views import article_record
from newsroundup.web.pages import highlighted

# -- models (the schema) --------------------------------------------------------------------------


class StorySummary(BaseModel):
    id: str
    headline: str | None
    articles: int
    independent_sources: int
    first_seen: datetime | None
    last_seen: datetime | None
    version: int
    lede: str | None
    outlets: list[str]


class StoryList(BaseModel):
    stories: list[StorySummary]


class ChangesModel(BaseModel):
    version: int
    previous_version: int | None
    headline_before: str | None
    added: list[str]
    removed: list[str]
    new_sources: list[dict[str, str | None]]


class StoryDetail(BaseModel):
    """A story, its latest roundup, and what changed since the version before."""

    story: StorySummary
    roundup: Roundup  # the record itself: its one serialisation is the schema
    changes: ChangesModel


class ArticleSummary(BaseModel):
    id: str
    url: str | None
    outlet: str | None
    title: str | None
    author: str | None
    published: datetime | None
    fetched_at: datetime | None
    language: str | None
    syndicated_from: str | None
    partial: bool
    story: str | None


class ArticleList(BaseModel):
    articles: list[ArticleSummary]


class ArticleDetail(ArticleSummary):
    text: str


class EntitySummary(BaseModel):
    key: str
    name: str
    kind: str
    stories: int


class EntityList(BaseModel):
    entities: list[EntitySummary]


class EntityDetail(BaseModel):
    key: str
    name: str
    kind: str
    aliases: list[str]
    roles: list[str]
    stories: list[StorySummary]


class StoryHitModel(BaseModel):
    id: str
    headline: str
    snippet: str
    highlights: list[str]


class ArticleHitModel(BaseModel):
    id: str
    title: str | None
    outlet: str | None
    published: datetime | None
    story: str | None
    snippet: str
    highlights: list[str]


class SearchResults(BaseModel):
    query: str
    stories: list[StoryHitModel]
    articles: list[ArticleHitModel]


class ErrorModel(BaseModel):
    detail: str


# -- builders ---------------------------------------------------------------------------------------


def stories_json(store: Store, *, since: datetime | None, min_sources: int, limit: int) -> dict[str, Any]:
    """Live stories with a roundup, most recently seen first."""
    rows = [row for row in store.story_rows(since=since, min_sources=min_sources) if row.version][:limit]
    return {"stories": [_story_summary(store, row) for row in rows]}


def story_json(store: Store, story_id: str) -> dict[str, Any]:
    """One story (following merges), its latest roundup and its changes since the version before."""
    try:
        row = store.story_row(story_id)
    except InputError as exc:
        raise NotFound(f"no story with id {story_id!r}") from exc
    versions = store.roundup_versions(row.id, limit=2)
    if not versions:
        raise NotFound(f"story {row.id} has no roundup yet")
    return story_detail(row, versions)


def articles_json(store: Store, *, story: str | None, limit: int) -> dict[str, Any]:
    """A story's articles (oldest first), or the most recent articles (newest first)."""
    if story is not None:
        try:
            live = store.story_row(story).id
        except InputError as exc:
            raise NotFound(f"no story with id {story!r}") from exc
        ids = store.story_article_ids(live)[:limit]
    else:
        ids = store.latest_article_ids(limit)
    return {"articles": [_article_summary(store, a) for a in store.articles_by_id(ids)]}


def article_json(store: Store, article_id: str) -> dict[str, Any]:
    """One article with its text."""
    found = store.articles(ids=[article_id])
    if not found:
        raise NotFound(f"no stored article with id {article_id!r}")
    return {**_article_summary(store, found[0]), "text": found[0].text}


def entities_json(store: Store) -> dict[str, Any]:
    """Every entity named by a live story's latest roundup, with how many stories name it."""
    entries = entity_index(store.entity_mentions()).values()
    return {
        "entities": [{"key": e.key, "name": e.name, "kind": e.kind, "stories": len(e.stories)} for e in entries]
    }


def entity_json(store: Store, key: str) -> dict[str, Any]:
    """One entity and the stories naming it."""
    entry: EntityEntry | None = entity_index(store.entity_mentions()).get(key)
    if entry is None:
        raise NotFound(f"no entity {key!r} in the stories")
    stories = []
    for story_id in entry.stories:
        try:
            stories.append(_story_summary(store, store.story_row(story_id)))
        except InputError:
            continue
    return {
        "key": entry.key,
        "name": entry.name,
        "kind": entry.kind,
        "aliases": list(entry.aliases),
        "roles": list(entry.roles),
        "stories": stories,
    }


def search_json(store: Store, query: str, limit: int) -> dict[str, Any]:
    """Stories and articles matching ``query``; snippets as plain text plus the matched words."""
    return {
        "query": query,
        "stories": [
            {"id": h.story, "headline": h.headline, **_snippet(h.snippet)} for h in store.search_stories(query, limit)
        ],
        "articles": [
            {
                "id": h.article,
                "title": h.title,
                "outlet": h.outlet,
                "published": h.published.isoformat() if h.published else None,
                "story": h.story,
                **_snippet(h.snippet),
            }
            for h in store.search_articles(query, limit)
        ],
    }


def _story_summary(store: Store, row: StoryRow) -> dict[str, Any]:
    versions = store.roundup_versions(row.id, limit=1) if row.version else []
    return story_summary(row, versions[0].roundup if versions else None)


def _article_summary(store: Store, article: Article) -> dict[str, Any]:
    record = article_record(article)
    record.pop("text")
    return {**record, "story": store.story_of(article.id)}


def _snippet(snippet: str) -> dict[str, Any]:
    parts = highlighted(snippet)
    return {"snippet": "".join(text for text, _ in parts), "highlights": [text for text, hit in parts if hit]}
