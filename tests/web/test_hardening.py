"""The web app's edges, on a small store (fast): the Host allow-list, the admin token checked before any body
is read, the Content-Security-Policy README states, and the kept responses bounded by bytes under a 404 flood."""

from __future__ import annotations

import asyncio
import html
import socket
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from newsroundup.cli import build_parser, main
from newsroundup.errors import InputError
from newsroundup.model import Article
from newsroundup.store import Store
from newsroundup.web.app import create_app
from newsroundup.web.cache import ResponseCache
from newsroundup.web.responses import POLICY
from newsroundup.web.server import LOOPBACK_NAMES, default_allowed_hosts, host_pattern

README = Path(__file__).resolve().parents[2] / "README.md"
WHEN = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "news.db"
    with Store(path) as store:
        article = Article("harbour-1", "The harbour reopened on Monday after the storm.", outlet="Harbor Times",
                          title="Harbour reopens", published=WHEN)
        store.save_article(article, fingerprint="f1", source="test")
    return path


# -- Host allow-list ------------------------------------------------------------------------------------


def test_only_the_allowed_hosts_are_answered_and_the_refusal_carries_the_headers(db: Path) -> None:
    app = create_app(db, allowed_hosts=(*LOOPBACK_NAMES, "*.example.org"))
    with TestClient(app, base_url="http://127.0.0.1:8000") as client:
        for host in ("127.0.0.1:8000", "localhost:8000", "LOCALHOST", "[::1]:8000", "news.example.org"):
            assert client.get("/api/v1/articles", headers={"host": host}).status_code == 200, host
        for host in ("attacker.example.com", "example.org.attacker.com", "evilexample.org", "127.0.0.2", "[::1"):
            refused = client.get("/api/v1/articles", headers={"host": host})
            assert refused.status_code == 400 and "harbour" not in refused.text, host
            assert refused.headers["content-security-policy"] == POLICY, host
        # a kept response is not sent to a refused host either (the check is before the kept responses)
        assert client.get("/", headers={"host": "localhost"}).status_code == 200
        assert client.get("/", headers={"host": "rebound.attacker.com"}).status_code == 400


def test_serve_allows_loopback_and_its_own_address_by_default() -> None:
    assert default_allowed_hosts("127.0.0.1") == LOOPBACK_NAMES
    assert default_allowed_hosts("192.168.1.40") == (*LOOPBACK_NAMES, "192.168.1.40")
    assert default_allowed_hosts("::1") == LOOPBACK_NAMES
    assert default_allowed_hosts("news.example.org") == (*LOOPBACK_NAMES, "news.example.org")
    everywhere = default_allowed_hosts("0.0.0.0")
    assert everywhere[:3] == LOOPBACK_NAMES and host_pattern(socket.gethostname()) in everywhere
    assert "*" not in everywhere
    assert build_parser().parse_args(["serve"]).allowed_hosts is None  # serve computes the default
    hosts = "News.Example.org, ::1,*.example.net,news.example.org"
    given = build_parser().parse_args(["serve", "--allowed-hosts", hosts])
    assert given.allowed_hosts == ("news.example.org", "[::1]", "*.example.net")


@pytest.mark.parametrize("value", ["exa*mple.org", "*example.org", "example.org:8000", "http://example.org", ",", ""])
def test_an_unusable_allowed_host_is_a_usage_error(value: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_code:
        main(["serve", "--allowed-hosts", value])
    assert exit_code.value.code == 2
    err = capsys.readouterr().err
    assert "argument --allowed-hosts" in err and "Traceback" not in err


# -- admin: the token first ---------------------------------------------------------------------------------


def test_admin_refuses_a_caller_without_the_token_before_reading_the_body(db: Path) -> None:
    with TestClient(create_app(db, token="s3cret")) as client:
        refusal = {"detail": "missing or wrong token"}
        bodies: list[dict[str, object]] = [
            {"content": b"{not json", "headers": {"content-type": "application/json"}},
            {"json": {"source": ["not", "a", "string"]}},
            {"json": {"words": "lots"}},
            {},
        ]
        for path in ("/api/v1/admin/sources", "/api/v1/admin/run"):
            for body in bodies:
                for auth in ({}, {"authorization": "Bearer wrong"}, {"authorization": "Basic s3cret"}):
                    headers = {**body.get("headers", {}), **auth}  # type: ignore[dict-item]
                    response = client.post(path, content=body.get("content"), json=body.get("json"), headers=headers)
                    assert response.status_code == 401, (path, body, auth)
                    assert response.json() == refusal and response.headers["www-authenticate"] == "Bearer"
                    assert response.headers["content-security-policy"] == POLICY
        # other methods and unknown admin paths say nothing either (no 405 listing methods, no 404)
        others = (("GET", "/api/v1/admin/run"), ("PUT", "/api/v1/admin/sources"), ("GET", "/api/v1/admin/x"))
        for method, path in others:
            assert client.request(method, path).status_code == 401, (method, path)
        # with the token, the same malformed bodies are 422s that say why
        auth = {"authorization": "bearer s3cret"}  # the scheme in any case
        json_type = {"content-type": "application/json"}
        bad = client.post("/api/v1/admin/sources", content=b"{not json", headers={**auth, **json_type})
        assert bad.status_code == 422 and "json" in bad.text.lower()
        assert client.post("/api/v1/admin/run", json={"words": "lots"}, headers=auth).status_code == 422


# -- Content-Security-Policy -------------------------------------------------------------------------------


def test_pages_run_no_script_by_policy_and_readme_states_the_policy(db: Path) -> None:
    directives = dict(part.strip().split(" ", 1) for part in POLICY.split(";"))
    assert directives["default-src"] == "'none'" and directives["script-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    with TestClient(create_app(db)) as client:
        page = client.get("/")
        assert page.headers["content-security-policy"] == POLICY
        assert "script-src 'none'" in html.unescape(page.text)  # the page's own <meta> (a static site has no headers)
    assert f"`{POLICY}`" in README.read_text(encoding="utf-8")


# -- kept responses bounded by bytes ------------------------------------------------------------------------


def test_a_404_flood_keeps_memory_bounded_and_never_pushes_out_the_stores_pages(db: Path) -> None:
    # The bound is set small so the flood is 20 times what it may keep (benchmarks/bench_fuzz.py floods
    # 20,000 addresses at the default bounds); each 404 page echoes its long address.
    bound = 128 * 1024
    app = create_app(db, check_interval=3600.0, other_bytes=bound)
    cache: ResponseCache = app.state.cache
    missing = 2_000
    padding = "x" * 400

    async def get(path: str, headers: tuple[tuple[bytes, bytes], ...] = ()) -> int:
        sent: list[dict[str, object]] = []

        async def receive() -> dict[str, object]:
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message: dict[str, object]) -> None:
            sent.append(message)

        scope = {
            "type": "http", "method": "GET", "path": path, "raw_path": path.encode(), "query_string": b"",
            "headers": [(b"host", b"localhost"), *headers], "http_version": "1.1", "scheme": "http",
            "server": ("localhost", 80), "client": ("127.0.0.1", 5000), "root_path": "",
        }
        await app(scope, receive, send)
        return int(str(sent[0]["status"]))

    async def flood() -> int:
        assert await get("/") == 200 and await get("/articles/harbour-1") == 200
        kept = cache.get("/"), cache.get("/articles/harbour-1")
        pages = cache.size
        peak = 0
        for n in range(missing):
            path = f"/stories/{padding}{n}" if n % 2 else f"/api/v1/stories/{padding}{n}"
            assert await get(path) == 404
            peak = max(peak, cache.size - pages)
        assert (cache.get("/"), cache.get("/articles/harbour-1")) == kept  # the same objects, still kept
        assert kept[0] is not None and await get("/", ((b"if-none-match", kept[0].etag.encode()),)) == 304
        return peak

    peak = asyncio.run(flood())
    assert bound * 0.9 < peak <= bound  # the pool filled up and never went over
    assert 0 < cache.counts()[1] < missing / 10  # the oldest 404s were dropped, the newest kept


def test_kept_responses_are_dropped_least_recently_used_first_by_bytes() -> None:
    from newsroundup.web.cache import Cached

    cache = ResponseCache(lambda: 1, interval=3600.0, page_bytes=10_000, other_bytes=3_000)
    cache.refresh()  # the first look at the store (it starts a generation)
    page = Cached(b"p" * 600, "text/html")
    for n in range(10):
        cache.put(f"/stories/s{n}", page, cache.generation)
    cache.get("/stories/s0")  # used: kept over s1, s2, ...
    for n in range(10, 14):
        cache.put(f"/stories/s{n}", page, cache.generation)
    kept = [n for n in range(14) if cache.get(f"/stories/s{n}") is not None]
    assert 0 in kept and 1 not in kept and 13 in kept and cache.size <= 10_000 + 3_000
    cache.put("/huge", Cached(b"h" * 20_000, "text/html"), cache.generation)  # larger than its pool: not kept
    assert cache.get("/huge") is None
    miss = Cached(b"m" * 100, "text/html", 404)
    for n in range(100):
        cache.put(f"/nope/{n}", miss, cache.generation)
    assert all(cache.get(f"/stories/s{n}") is not None for n in kept)  # no page was pushed out by the 404s
    assert cache.get("/nope/99") is not None and cache.get("/nope/0") is None


def test_allowed_hosts_come_from_the_config_file_or_the_environment_too(tmp_path: Path) -> None:
    from newsroundup.settings import load_settings

    config = tmp_path / "newsroundup.toml"
    config.write_text('allowed_hosts = ["news.example.org", "*.example.net"]\n', encoding="utf-8")
    settings = load_settings({}, config=config)
    assert settings.allowed_hosts == ("news.example.org", "*.example.net")
    assert "allowed_hosts = news.example.org, *.example.net  (config file" in settings.describe()
    from_environment = load_settings({"NEWSROUNDUP_ALLOWED_HOSTS": "a.example.org, b.example.org"}, config=config)
    assert from_environment.allowed_hosts == ("a.example.org", "b.example.org")
    flag = load_settings({}, {"allowed_hosts": ("c.example.org",)}, config=config)
    assert flag.allowed_hosts == ("c.example.org",)
    config.write_text("allowed_hosts = [1, 2]\n", encoding="utf-8")
    with pytest.raises(InputError, match="allowed_hosts must be host names"):
        load_settings({}, config=config)


def test_a_bad_configured_host_is_one_line_naming_the_config_file(
    tmp_path: Path, db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "newsroundup.toml"
    config.write_text('allowed_hosts = ["bad host name/"]\n', encoding="utf-8")
    assert main(["--config", str(config), "serve", "--db", str(db)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"newsroundup: error: config file {config}: allowed_hosts ") and "\n" not in err
