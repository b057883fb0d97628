"""Tests for the web app's defences: security headers, a hostile article rendered inert, admin behind a token,
loopback by default, and one-line errors for a bad store."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from fastapi.testclient import TestClient
from livesite import HOSTILE_ARTICLE, LiveServer, WebStore, start_server, stop_server
from pagecheck import parse

from newsroundup.cli import build_parser, main
from newsroundup.store import Store
from newsroundup.web.app import create_app

POLICY = (
    "default-src 'none'; style-src 'self'; img-src 'self'; script-src 'none'; form-action 'self'; "
    "base-uri 'none'; frame-ancestors 'none'"
)
HOSTILE_TITLE = "Harbour notice <script>alert(1)</script> posted at Kelmoor pier"


@pytest.fixture(scope="module")
def client(web_store: WebStore) -> Iterator[TestClient]:
    with TestClient(create_app(web_store.db)) as client:
        yield client


def _copy(db: Path, to: Path) -> Path:
    with sqlite3.connect(db) as source, sqlite3.connect(to) as target:
        source.backup(target)
    return to


def _assert_secure_headers(headers: httpx.Headers, what: str) -> None:
    assert headers["content-security-policy"] == POLICY, what
    assert headers["x-content-type-options"] == "nosniff", what
    assert headers["referrer-policy"] == "no-referrer", what


def test_every_kind_of_response_carries_the_security_headers(client: TestClient, web_store: WebStore) -> None:
    paths = [
        "/", f"/stories/{web_store.ferry_story}", "/search?q=ferry", "/feed.atom", "/static/style.css",
        "/api/v1/stories", "/api/v1/stories/nope", "/no/such/page", "/openapi.json", "/api/v1/stories?limit=0",
    ]
    for path in paths * 2:  # the second time from the kept responses
        _assert_secure_headers(client.get(path).headers, path)
    etag = client.get("/").headers["etag"]
    _assert_secure_headers(client.get("/", headers={"if-none-match": etag}).headers, "304")


def test_the_hostile_article_is_shown_as_text_and_runs_nothing(client: TestClient, web_store: WebStore) -> None:
    paths = ["/", f"/stories/{web_store.hostile_story}", f"/articles/{HOSTILE_ARTICLE}", "/search?q=Kelmoor"]
    for path in paths:
        html = client.get(path).text
        page = parse(html)
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html, path
        assert not [e for e in page.elements if e.tag in {"script", "img", "iframe", "object", "embed"}], path
        assert not [e for e in page.elements if any(name.startswith("on") for name in e.attrs)], path
        for link in page.links():
            assert urlsplit(link).scheme in {"", "http", "https"} and "javascript:" not in link.lower(), (path, link)
    heading = "<h1>" + HOSTILE_TITLE.replace("<", "&lt;").replace(">", "&gt;") + "</h1>"
    assert heading in client.get(f"/stories/{web_store.hostile_story}").text
    article = client.get(f"/articles/{HOSTILE_ARTICLE}").text
    assert heading in article
    assert '<span class="source-url">Address (not a web link): javascript:alert(1)</span>' in article
    assert "&lt;img src=x onerror=alert(1)&gt;" in article
    record = client.get(f"/api/v1/articles/{HOSTILE_ARTICLE}")
    assert record.headers["content-type"] == "application/json" and record.json()["title"] == HOSTILE_TITLE


def test_admin_routes_do_not_exist_without_a_token(client: TestClient) -> None:
    for path in ("/api/v1/admin/sources", "/api/v1/admin/run"):
        response = client.post(path, json={"source": "/etc"}, headers={"authorization": "Bearer anything"})
        assert response.status_code == 404, path


def test_admin_needs_the_token_and_then_adds_and_runs(web_store: WebStore, tmp_path: Path) -> None:
    db = _copy(web_store.db, tmp_path / "admin.db")
    notice = tmp_path / "lighthouse.txt"
    notice.write_text(
        "---\ntitle: Lighthouse keeper retires after forty years\noutlet: Harbor Times\n---\n"
        "The last keeper of the Skerrow lighthouse retired on Friday after forty years, the harbour board said.\n",
        encoding="utf-8",
    )
    with TestClient(create_app(db, token="s3cret", check_interval=0.0)) as client:
        assert "/api/v1/admin/run" in client.get("/openapi.json").json()["paths"]
        for headers in ({}, {"authorization": "Bearer wrong"}, {"authorization": "Basic s3cret"}):
            refused = client.post("/api/v1/admin/sources", json={"source": str(notice)}, headers=headers)
            assert refused.status_code == 401 and refused.headers["www-authenticate"] == "Bearer", headers
        assert client.post("/api/v1/admin/run", headers={"authorization": "Bearer wrong"}).status_code == 401
        with Store(db) as store:
            assert not store.search_articles("Skerrow")  # nothing was added by the refused calls
        auth = {"authorization": "Bearer s3cret"}
        added = client.post("/api/v1/admin/sources", json={"source": str(notice)}, headers=auth)
        assert added.status_code == 200 and added.json()["added"] == 1
        ran = client.post("/api/v1/admin/run", json={"enrich": False}, headers=auth).json()
        assert ran["grouped"] == 1 and len(ran["written"]) == 1 and not ran["failures"]
        stories = client.get("/api/v1/stories").json()["stories"]
        assert "Lighthouse keeper retires after forty years" in [s["headline"] for s in stories]


def test_serve_listens_on_loopback_by_default_and_takes_the_token_from_the_environment(
    web_store: WebStore, live_server: LiveServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert build_parser().parse_args(["serve"]).host == "127.0.0.1"
    assert live_server.url.startswith("http://127.0.0.1:")
    response = httpx.get(live_server.url + f"/stories/{web_store.ferry_story}")
    assert response.status_code == 200
    _assert_secure_headers(response.headers, "served by uvicorn")
    assert httpx.post(live_server.url + "/api/v1/admin/run").status_code == 404
    monkeypatch.setenv("NEWSROUNDUP_TOKEN", "from-the-environment")
    server = start_server(web_store.db)
    try:
        assert httpx.post(server.url + "/api/v1/admin/run").status_code == 401
        assert [line for line in server.stderr if line.strip()] == [f"serving {server.url}"]
    finally:
        stop_server(server.process)


@pytest.mark.parametrize("command", ["serve", "export"])
def test_a_missing_or_unusable_store_is_one_line_and_exit_2(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"this is not a database at all" * 100)
    extra = ["--site", str(tmp_path / "site")] if command == "export" else []
    for db in (tmp_path / "missing.db", garbage, tmp_path):
        assert main([command, "--db", str(db), *extra]) == 2
        err = capsys.readouterr().err
        assert err.startswith("newsroundup: error: ") and err.count("\n") == 1 and str(db) in err, err


@pytest.mark.parametrize(
    ("query", "status", "problem"),
    [
        ("since=0001-01-01T00:00:00%2B14:00", 400, "since: '0001-01-01T00:00:00+14:00' is outside the range of dates"),
        ("since=9999-12-31T23:59:59-14:00", 400, "is outside the range of dates"),
        ("since=tuesday", 400, "since: 'tuesday' is not an ISO date or time"),
        ("min_sources=99999999999999999999999", 422, "less than or equal to 1000000"),
        ("limit=1e9", 422, "valid integer"),
    ],
)
def test_unusable_query_values_are_client_errors_that_say_why(
    client: TestClient, query: str, status: int, problem: str
) -> None:
    response = client.get(f"/api/v1/stories?{query}")
    assert response.status_code == status
    assert problem in response.text
    _assert_secure_headers(response.headers, query)


def test_head_answers_like_get_without_the_body(client: TestClient, web_store: WebStore) -> None:
    for path in ["/", f"/stories/{web_store.ferry_story}", "/api/v1/stories", "/feed.atom", "/no/such/page"]:
        got, head = client.get(path), client.head(path)
        assert head.status_code == got.status_code, path
        assert head.content == b"", path
        assert head.headers.get("etag") == got.headers.get("etag"), path
        _assert_secure_headers(head.headers, f"HEAD {path}")


def test_a_server_error_is_a_500_with_the_security_headers(
    web_store: WebStore, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    db = _copy(web_store.db, tmp_path / "broken.db")
    with TestClient(create_app(db, check_interval=0)) as client:
        with sqlite3.connect(db) as broken:
            broken.execute("DROP TABLE stories")  # a store damaged under a running server
        response = client.get("/api/v1/stories?limit=7")
        head = client.head("/api/v1/stories?limit=8")
    assert response.status_code == 500 and head.status_code == 500
    assert response.json() == {"detail": "internal error; the server log has the details"}
    assert "Traceback" not in response.text and head.content == b""
    _assert_secure_headers(response.headers, "500")
    _assert_secure_headers(head.headers, "HEAD 500")
    assert "no such table: stories" in caplog.text  # the details are in the log
