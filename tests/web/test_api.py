"""Tests for the JSON API (web/api.py) on the example store: records, filters, 404s and the OpenAPI schema."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import UTC, datetime
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from livesite import WebStore

from newsroundup.model import Roundup, roundup_from_json, roundup_to_json
from newsroundup.store import Store
from newsroundup.web import api
from newsroundup.web.app import create_app


@pytest.fixture(scope="module")
def client(web_store: WebStore) -> Iterator[TestClient]:
    with TestClient(create_app(web_store.db)) as client:
        yield client


def test_the_schema_lists_every_route_with_its_typed_response(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    assert set(schema["paths"]) == {
        "/api/v1/stories", "/api/v1/stories/{story_id}", "/api/v1/articles", "/api/v1/articles/{article_id}",
        "/api/v1/entities", "/api/v1/entities/{key}", "/api/v1/search", "/api/v1/audit",
    }  # no admin routes without a token, no pages
    story = schema["paths"]["/api/v1/stories/{story_id}"]["get"]["responses"]
    assert story["200"]["content"]["application/json"]["schema"]["$ref"].endswith("/StoryDetail")
    assert story["404"]["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorModel")
    components = schema["components"]["schemas"]
    assert {"Roundup", "RoundupSentence", "Span", "ArticleDetail"} <= set(components)
    # the roundup's schema is generated from the record: every field, and the read-only counts
    roundup_fields = {f.name for f in dataclasses.fields(Roundup)}
    roundup_schema = next(v for k, v in components.items() if k.startswith("Roundup") and "headline" in v["properties"])
    assert set(roundup_schema["properties"]) == roundup_fields | {"words", "independent_sources"}


def test_stories_are_listed_newest_first_and_filtered(client: TestClient, web_store: WebStore) -> None:
    stories = api.StoryList.model_validate(client.get("/api/v1/stories").json()).stories
    assert [s.id for s in stories] == list(web_store.story_ids)
    ferry = next(s for s in stories if s.id == web_store.ferry_story)
    assert ferry.articles == 11 and ferry.independent_sources == 4 and ferry.lede and len(ferry.outlets) == 4
    several = client.get("/api/v1/stories", params={"min_sources": 2}).json()["stories"]
    assert web_store.hostile_story not in [s["id"] for s in several] and len(several) == len(stories) - 1
    recent = client.get("/api/v1/stories", params={"since": "2026-04-13"}).json()["stories"]
    since = datetime(2026, 4, 13, tzinfo=UTC)
    assert {s["id"] for s in recent} == {s.id for s in stories if s.last_seen and s.last_seen >= since} != set()
    assert len(client.get("/api/v1/stories", params={"limit": 2}).json()["stories"]) == 2
    bad = client.get("/api/v1/stories", params={"since": "last week"})
    assert bad.status_code == 400 and "since" in bad.json()["detail"]
    assert client.get("/api/v1/stories", params={"limit": 0}).status_code == 422


def test_a_story_is_its_latest_roundup_json_with_its_changes(client: TestClient, web_store: WebStore) -> None:
    data = client.get(f"/api/v1/stories/{web_store.ferry_story}").json()
    detail = api.StoryDetail.model_validate(data)
    with Store(web_store.db) as store:
        latest = store.roundup_versions(web_store.ferry_story, limit=1)[0]
    assert data["roundup"] == roundup_to_json(latest.roundup)  # the roundup JSON, model.py's one serialisation
    assert roundup_from_json(data["roundup"]) == latest.roundup == detail.roundup
    assert detail.story.version == latest.version and detail.changes.previous_version is None
    missing = client.get("/api/v1/stories/nope")
    assert missing.status_code == 404 and missing.json() == {"detail": "no story with id 'nope'"}


def test_articles_of_a_story_and_one_article_with_its_text(client: TestClient, web_store: WebStore) -> None:
    listed = api.ArticleList.model_validate(
        client.get("/api/v1/articles", params={"story": web_store.ferry_story}).json()
    ).articles
    with Store(web_store.db) as store:
        assert [a.id for a in listed] == store.story_article_ids(web_store.ferry_story)
        first = store.articles(ids=[listed[0].id])[0]
    assert all(a.story == web_store.ferry_story for a in listed)
    one = client.get(f"/api/v1/articles/{quote(first.id, safe='')}").json()
    assert api.ArticleDetail.model_validate(one).text == first.text and one["url"] == first.url
    assert len(client.get("/api/v1/articles", params={"limit": 3}).json()["articles"]) == 3
    assert client.get("/api/v1/articles", params={"story": "nope"}).status_code == 404
    assert client.get("/api/v1/articles/nope").status_code == 404


def test_entities_and_the_stories_naming_them(client: TestClient, web_store: WebStore) -> None:
    entities = api.EntityList.model_validate(client.get("/api/v1/entities").json()).entities
    assert len(entities) > 5 and all(e.stories >= 1 for e in entities)
    with Store(web_store.db) as store:
        named = store.roundup_versions(web_store.ferry_story, limit=1)[0].roundup.entities[0].name
    entry = next(e for e in entities if e.name == named)
    detail = api.EntityDetail.model_validate(client.get(f"/api/v1/entities/{entry.key}").json())
    assert web_store.ferry_story in [s.id for s in detail.stories] and len(detail.stories) == entry.stories
    assert client.get("/api/v1/entities/nobody-at-all").status_code == 404


def test_search_returns_matching_stories_and_articles_with_the_matched_words(
    client: TestClient, web_store: WebStore
) -> None:
    found = api.SearchResults.model_validate(client.get("/api/v1/search", params={"q": "ferry"}).json())
    assert web_store.ferry_story in [s.id for s in found.stories]
    assert found.articles and all(hit.highlights for hit in found.articles)
    assert "\x02" not in found.articles[0].snippet
    hostile = client.get("/api/v1/search", params={"q": "Kelmoor pier"}).json()
    assert [a["id"] for a in hostile["articles"]] == ["hostile-harbour-notice"]
    assert client.get("/api/v1/search").status_code == 422  # q is required


def test_an_unchanged_record_is_not_sent_again(client: TestClient) -> None:
    first = client.get("/api/v1/stories")
    assert first.headers["content-type"] == "application/json" and first.headers["etag"]
    assert client.get("/api/v1/stories", headers={"if-none-match": first.headers["etag"]}).status_code == 304
