"""The web app on a PostgreSQL copy of the example store answers exactly as on the SQLite original."""

from __future__ import annotations

from fastapi.testclient import TestClient
from livesite import WebStore

from newsroundup.pipeline.copy import copy_store
from newsroundup.web.app import create_app
from pgserver import PgServer


def test_the_api_pages_and_search_are_the_same_on_both_backends(web_store: WebStore, pg_server: PgServer) -> None:
    url = pg_server.url()
    copy_store(web_store.db, url)
    story = web_store.ferry_story
    paths = [
        "/api/v1/stories",
        f"/api/v1/stories/{story}",
        "/api/v1/articles?limit=5",
        "/api/v1/entities",
        "/api/v1/search?q=ferry",
        "/api/v1/search?q=strike%20cre",
        "/search?q=ferry",
        f"/stories/{story}",
        "/",
    ]
    with TestClient(create_app(web_store.db)) as sqlite, TestClient(create_app(url)) as postgres:
        for path in paths:
            a, b = sqlite.get(path), postgres.get(path)
            assert (path, b.status_code) == (path, a.status_code == 200 and 200)
            if path.startswith("/api/v1/search"):  # snippets are cut differently: same hits
                assert _hits(b.json()) == _hits(a.json()), path
            elif not path.startswith("/search"):  # the search page shows those snippets
                assert b.content == a.content, path


def _hits(data: dict[str, object]) -> dict[str, list[str]]:
    return {
        kind: sorted(str(h.get("id") or h.get("article") or h.get("story")) for h in items)  # type: ignore[union-attr]
        for kind, items in data.items()
        if isinstance(items, list)
    }
