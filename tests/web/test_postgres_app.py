"""The web app on a PostgreSQL copy of the example store answers exactly as on the SQLite original."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import psycopg
from fastapi.testclient import TestClient
from livesite import WebStore

from newsroundup.pipeline.copy import copy_store
from newsroundup.store.postgres.pool import POOL_SIZE
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


def test_readers_share_a_bounded_pool_that_replaces_connections_the_server_dropped(
    web_store: WebStore, pg_server: PgServer
) -> None:
    url = pg_server.url()
    copy_store(web_store.db, url)
    paths = [f"/stories/{story}" for story in web_store.story_ids] + ["/api/v1/stories", "/api/v1/search?q=ferry"]

    def readers() -> int:
        with psycopg.connect(url, autocommit=True) as admin:
            row = admin.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE application_name = 'newsroundup' AND pid <> pg_backend_pid()"
            ).fetchone()
            return int(row[0]) if row else 0

    def ask_all(client: TestClient) -> None:
        with ThreadPoolExecutor(16) as pool:
            statuses = list(pool.map(lambda path: client.get(path).status_code, paths * 4))
        assert set(statuses) == {200}, statuses

    with TestClient(create_app(url, check_interval=0.0)) as client:
        ask_all(client)
        assert 1 <= readers() <= POOL_SIZE + 1  # the pool, and the event loop's change checks
        with psycopg.connect(url, autocommit=True) as admin:  # the server drops every reader connection
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE application_name = 'newsroundup' AND pid <> pg_backend_pid()"
            )
        for _ in range(3):  # a dropped change-check connection may fail one look; the pool checks before lending
            if client.get("/api/v1/search?q=ferry").status_code == 200:
                break
        ask_all(client)
        assert readers() <= POOL_SIZE + 1
