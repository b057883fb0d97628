"""A real HTTP server on 127.0.0.1 for the source tests, and realistic invented article pages."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

Body = bytes | Callable[["Handler"], None]


@dataclass
class Route:
    """What one path answers: status, headers, body (or a function writing the response), delay."""

    body: Body = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    etag: str | None = None  # when set, answers If-None-Match with 304


@dataclass
class Hit:
    """One request the server received."""

    path: str
    headers: dict[str, str]
    when: float


class Handler(BaseHTTPRequestHandler):
    """Serves the routes of its ``LoopbackServer``."""

    server: LoopbackServer
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        headers = {k.lower(): v for k, v in self.headers.items()}
        self.server.hits.append(Hit(self.path, headers, time.monotonic()))
        route = self.server.routes.get(self.path)
        if route is None:
            route = Route(b"not found", status=404)
        if route.delay:
            time.sleep(route.delay)
        if callable(route.body):
            route.body(self)
            return
        if route.etag and self.headers.get("If-None-Match") == route.etag:
            self.send_response(304)
            self.send_header("ETag", route.etag)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(route.status)
        headers = {"Content-Type": "text/html; charset=utf-8", **route.headers}
        if route.etag:
            headers["ETag"] = route.etag
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(route.body)))
        self.end_headers()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(route.body)

    def log_message(self, format: str, *args: object) -> None:
        pass


class LoopbackServer(ThreadingHTTPServer):
    """The test server; ``url(path)`` gives a full URL to it."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.routes: dict[str, Route] = {}
        self.hits: list[Hit] = []

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}{path}"

    def add(self, path: str, body: Body = b"", **kwargs: object) -> str:
        """Serve ``body`` at ``path``; return the URL."""
        self.routes[path] = Route(body, **kwargs)  # type: ignore[arg-type]
        return self.url(path)

    def paths(self) -> list[str]:
        return [hit.path for hit in self.hits]

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # clients that hang up early (size caps, timeouts) are expected


def article_page(
    title: str, paragraphs: list[str], canonical: str | None = None, extra_head: str = ""
) -> str:
    """A realistic article page: navigation, cookie banner, byline, body, related links, footer."""
    link = f'<link rel="canonical" href="{canonical}">' if canonical else ""
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title} | The Marrowby Courier</title>{link}
<meta property="og:site_name" content="The Marrowby Courier">{extra_head}</head>
<body>
<div class="cookie-banner">We use cookies to improve your experience.
<a href="/privacy">Accept all cookies</a></div>
<nav><a href="/">Home</a> <a href="/local">Local</a> <a href="/sport">Sport</a>
<a href="/weather">Weather</a></nav>
<main><article>
<h1>{title}</h1>
<p class="byline">By Tove Lindqvist, Courier staff</p>
{body}
</article>
<aside><h2>Related</h2><ul><li><a href="/a">Ferry timetable changes</a></li>
<li><a href="/b">Council budget talks stall</a></li></ul></aside></main>
<footer>© 2026 The Marrowby Courier. All rights reserved.</footer>
</body></html>"""


PARAGRAPHS = [
    "The city council of Marrowby voted on Tuesday to close the old harbour bridge for six weeks "
    "after engineers found cracks in two of the supports that carry the road over the water.",
    "Mayor Ilse Varga told reporters that the decision had not been easy, but that the safety of "
    "the roughly nine thousand people who cross the bridge each day had to come first.",
    "Ferries will run every twenty minutes between the north quay and the market steps while the "
    "repairs are carried out, and the fares will be waived until the bridge reopens in the spring.",
    "Shop owners on Quay Street said they feared a drop in trade, and asked the council to put up "
    "signs at the edge of town pointing visitors to the ferry landing and the free car parks.",
]
