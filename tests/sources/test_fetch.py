"""Fetching against a real loopback server: caps, retries, redirects, robots.txt, charsets, politeness."""

from __future__ import annotations

import gzip
import itertools
import threading
import time
import zlib

import pytest

from loopback import PARAGRAPHS, Handler, LoopbackServer, article_page
from newsroundup.errors import SourceError
from newsroundup.sources.fetch import USER_AGENT, Fetcher, FetchOptions

FAST = FetchOptions(allow_private=True, delay=0.0, timeout=2.0, retries=1, backoff=0.05, max_bytes=1_000_000)


def fetch(url: str, options: FetchOptions = FAST, **kwargs: str) -> object:
    with Fetcher(options) as fetcher:
        return fetcher.get(url, **kwargs)


def failure(url: str, options: FetchOptions = FAST) -> SourceError:
    with pytest.raises(SourceError) as caught:
        fetch(url, options)
    return caught.value


def test_fetches_a_page_with_a_clear_user_agent(web: LoopbackServer) -> None:
    url = web.add("/story", article_page("Bridge closes", PARAGRAPHS).encode())
    with Fetcher(FAST) as fetcher:
        page = fetcher.get(url)
    assert page.status == 200 and "harbour bridge" in page.text()
    hit = next(h for h in web.hits if h.path == "/story")
    assert hit.headers["user-agent"] == USER_AGENT and "newsroundup" in USER_AGENT


def test_retries_a_server_error_then_succeeds(web: LoopbackServer) -> None:
    calls = []

    def flaky(handler: Handler) -> None:
        calls.append(1)
        status = 503 if len(calls) == 1 else 200
        handler.send_response(status)
        handler.send_header("Content-Length", "2")
        handler.end_headers()
        handler.wfile.write(b"ok")

    url = web.add("/flaky", flaky)
    assert fetch(url).content == b"ok"  # type: ignore[attr-defined]
    assert len(calls) == 2


def test_gives_up_after_retries_and_does_not_retry_404(web: LoopbackServer) -> None:
    assert failure(web.add("/down", b"no", status=500)).kind == "http-500"
    assert web.paths().count("/down") == 2  # one retry
    error = failure(web.add("/gone", b"no", status=404))
    assert error.kind == "http-404" and "/gone" in str(error)
    assert web.paths().count("/gone") == 1


def test_slow_response_times_out(web: LoopbackServer) -> None:
    answered = threading.Event()

    def late(handler: Handler) -> None:
        time.sleep(1.5)
        handler.send_response(200)
        handler.end_headers()
        handler.wfile.write(b"late")
        answered.set()

    error = failure(web.add("/slow", late), FetchOptions(allow_private=True, delay=0, timeout=0.3, retries=0))
    assert error.kind == "timeout" and "timed out" in str(error)
    assert not answered.is_set()  # the fetcher gave up before the server answered, not after


def test_trickling_response_hits_the_whole_response_deadline(web: LoopbackServer) -> None:
    def trickle(handler: Handler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Length", "100")
        handler.end_headers()
        for _ in range(100):
            handler.wfile.write(b"x")
            handler.wfile.flush()
            time.sleep(0.02)

    impatient = FetchOptions(allow_private=True, delay=0, timeout=0.4, retries=0)
    error = failure(web.add("/trickle", trickle), impatient)
    assert error.kind == "timeout"


def test_declared_huge_response_is_refused_before_reading(web: LoopbackServer) -> None:
    def huge(handler: Handler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Length", str(50 * 2**20))
        handler.end_headers()
        handler.wfile.write(b"a" * 65536)  # the client must hang up long before 50 MB

    error = failure(web.add("/huge", huge))
    assert error.kind == "too-large" and "52,428,800 bytes" in str(error)


def test_streamed_50mb_response_is_cut_at_the_cap(web: LoopbackServer) -> None:
    sent = []

    def endless(handler: Handler) -> None:
        handler.send_response(200)
        handler.send_header("Transfer-Encoding", "chunked")
        handler.end_headers()
        chunk = b"b" * 65536
        try:
            for _ in range(800):  # 50 MB, generated as it goes
                handler.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                sent.append(len(chunk))
            handler.wfile.write(b"0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):
            pass

    error = failure(web.add("/stream", endless))
    assert error.kind == "too-large"
    assert sum(sent) < 20 * 2**20  # the client stopped reading early


def test_gzip_bomb_is_stopped_at_the_decompression_cap(web: LoopbackServer) -> None:
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    zeros = bytes(2**20)
    bomb = b"".join(packer.compress(zeros) for _ in range(64)) + packer.flush()  # 64 MB inflated
    assert len(bomb) < 100_000
    url = web.add("/bomb", bomb, headers={"Content-Encoding": "gzip"})
    error = failure(url)
    assert error.kind == "too-large" and "decompressed" in str(error)


def test_gzip_response_is_decompressed(web: LoopbackServer) -> None:
    url = web.add("/gz", gzip.compress("café au lait".encode()), headers={"Content-Encoding": "gzip"})
    assert fetch(url).text() == "café au lait"  # type: ignore[attr-defined]


def test_redirects_are_followed_and_loops_stopped(web: LoopbackServer) -> None:
    web.add("/old", b"", status=301, headers={"Location": "/new"})
    web.add("/new", b"fresh")
    page = fetch(web.url("/old"))
    assert page.content == b"fresh" and page.url == web.url("/new")  # type: ignore[attr-defined]
    web.add("/a", b"", status=302, headers={"Location": "/b"})
    web.add("/b", b"", status=302, headers={"Location": "/a"})
    error = failure(web.url("/a"))
    assert error.kind == "redirect-loop" and "loop" in str(error)


def test_too_many_redirects(web: LoopbackServer) -> None:
    for i in range(8):
        web.add(f"/r{i}", b"", status=307, headers={"Location": f"/r{i + 1}"})
    assert failure(web.url("/r0")).kind == "redirect-loop"


def test_robots_txt_is_respected_unless_told_otherwise(web: LoopbackServer) -> None:
    web.add("/robots.txt", b"User-agent: *\nDisallow: /private/\n", headers={"Content-Type": "text/plain"})
    web.add("/private/page", b"secret")
    web.add("/public", b"hello")
    with Fetcher(FAST) as fetcher:
        with pytest.raises(SourceError) as caught:
            fetcher.get(web.url("/private/page"))
        assert caught.value.kind == "robots" and "robots.txt" in str(caught.value)
        assert fetcher.get(web.url("/public")).content == b"hello"
    assert "/private/page" not in web.paths()
    assert web.paths().count("/robots.txt") == 1  # fetched once per origin and run
    ignoring = FetchOptions(allow_private=True, delay=0, respect_robots=False)
    assert fetch(web.url("/private/page"), ignoring).content == b"secret"  # type: ignore[attr-defined]


def test_unreachable_robots_txt_means_disallow(web: LoopbackServer) -> None:
    web.add("/robots.txt", b"", status=503)
    web.add("/page", b"hello")
    assert failure(web.url("/page")).kind == "robots"


def test_loopback_is_refused_without_allow_private(web: LoopbackServer) -> None:
    url = web.add("/page", b"hello")
    error = failure(url, FetchOptions(delay=0))
    assert error.kind == "blocked-private" and "--allow-private" in str(error)
    assert web.hits == []  # nothing was sent


def test_conditional_get_answers_not_modified(web: LoopbackServer) -> None:
    url = web.add("/feed", b"<rss/>", etag='"v1"')
    with Fetcher(FAST) as fetcher:
        first = fetcher.get(url)
        again = fetcher.get(url, etag=first.etag, last_modified="Mon, 02 Mar 2026 10:00:00 GMT")
    assert first.etag == '"v1"' and again.not_modified and again.content == b""
    last = web.hits[-1]
    assert last.headers["if-none-match"] == '"v1"' and "if-modified-since" in last.headers


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ("Café Zoë, naïve".encode("cp1252"), "text/html; charset=windows-1252"),  # HTTP charset
        (b'<meta charset="iso-8859-1">' + "Café Zoë, naïve".encode("latin-1"), "text/html"),  # meta
        ("Café Zoë, naïve".encode(), "text/html; charset=iso-8859-1"),  # wrong charset: really UTF-8
        ("Café Zoë, naïve".encode("utf-16"), "text/html"),  # BOM
    ],
)
def test_charsets_are_decoded(web: LoopbackServer, body: bytes, content_type: str) -> None:
    url = web.add("/page", body, headers={"Content-Type": content_type})
    assert "Café Zoë, naïve" in fetch(url).text()  # type: ignore[attr-defined]


def test_politeness_delay_spaces_requests_to_one_host(web: LoopbackServer) -> None:
    for i in range(3):
        web.add(f"/p{i}", b"x")
    options = FetchOptions(allow_private=True, delay=0.2, respect_robots=False)
    with Fetcher(options) as fetcher:
        for i in range(3):
            fetcher.get(web.url(f"/p{i}"))
    starts = [h.when for h in web.hits]
    assert all(b - a >= 0.18 for a, b in itertools.pairwise(starts))


def test_guarded_requests_connect_to_the_checked_address_with_the_real_host_name() -> None:
    import ipaddress

    with Fetcher(FetchOptions()) as fetcher:
        request = fetcher._request(
            "https://news.example:8443/story?id=7", {}, ipaddress.ip_address("93.184.215.14")
        )
    assert str(request.url) == "https://93.184.215.14:8443/story?id=7"
    assert request.headers["host"] == "news.example:8443"
    assert request.extensions["sni_hostname"] == "news.example"
