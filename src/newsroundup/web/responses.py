"""How responses go out: security headers on every one, HEAD as GET, 500s, and kept bytes sent with ETag and gzip."""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from fastapi import Request
from fastapi.responses import Response

from newsroundup.render.pages import PAGE_POLICY
from newsroundup.web.cache import Cached, ResponseCache

log = logging.getLogger(__name__)

POLICY = f"{PAGE_POLICY}; frame-ancestors 'none'"
_SECURITY_HEADERS = [
    (b"content-security-policy", POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
]
HTML = "text/html; charset=utf-8"
JSON = "application/json"
ATOM = "application/atom+xml; charset=utf-8"

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class SecurityHeaders:
    """ASGI middleware adding the security headers to every HTTP response (pages, API, static, errors).

    It also answers HEAD as GET without the body, and turns an error escaping the app into a 500 that
    carries the headers too (Starlette's own error response is made outside every middleware).
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        head = scope["method"] == "HEAD"
        if head:
            scope = {**scope, "method": "GET"}
        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                message["headers"] = [*message.get("headers", []), *_SECURITY_HEADERS]
            elif head and message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except Exception:
            log.exception("%s %s failed", scope["method"], scope["path"])
            if started:
                raise
            body = b"" if head else json_bytes({"detail": "internal error; the server log has the details"})
            await send_with_headers({"type": "http.response.start", "status": 500, "headers": [
                (b"content-type", JSON.encode()), (b"content-length", b"%d" % len(body)),
            ]})
            await send_with_headers({"type": "http.response.body", "body": body})


class KeptResponses:
    """ASGI middleware sending a kept response straight away, without routing or validation (the hot path).

    Anything not kept yet goes on to the app, whose handlers make it and keep it under the same key.
    """

    def __init__(self, app: ASGIApp, cache: ResponseCache) -> None:
        self.app = app
        self.cache = cache

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        found = None
        if scope["type"] == "http" and scope["method"] == "GET":
            key = cache_key(scope)
            found = self.cache.get(key) or self.cache.replaced(key)
        if found is None:
            await self.app(scope, receive, send)
            return
        asked = dict(scope["headers"])
        tag = asked.get(b"if-none-match")
        gzip_ok = _gzip_ok(asked.get(b"accept-encoding"))
        status, headers, body = _kept(found, tag.decode("latin-1") if tag else None, gzip_ok)
        await send({"type": "http.response.start", "status": status, "headers": [
            (k.encode("latin-1"), v.encode("latin-1")) for k, v in headers.items()
        ]})
        await send({"type": "http.response.body", "body": body})


def cache_key(scope: Scope) -> str:
    """What a GET response is kept under: the path and the raw query."""
    query = scope.get("query_string", b"")
    return str(scope["path"]) + ("?" + query.decode("latin-1") if query else "")


def respond(request: Request, found: Cached) -> Response:
    """A kept response as the request takes it (gzip, 304)."""
    accepted = request.headers.get("accept-encoding")
    gzip_ok = _gzip_ok(accepted.encode("latin-1") if accepted else None)
    status, headers, body = _kept(found, request.headers.get("if-none-match"), gzip_ok)
    return Response(body, status_code=status, headers=headers)


def _kept(found: Cached, if_none_match: str | None, gzip_ok: bool) -> tuple[int, dict[str, str], bytes]:
    """Status, headers and body for a kept response: gzipped when the reader takes it, 304 when it has it."""
    headers = dict(found.headers)
    body = found.body
    if found.status == 200:
        etag = found.etag
        if found.gzipped is not None:
            headers["vary"] = "accept-encoding"
            if gzip_ok:
                body, etag = found.gzipped, etag[:-1] + '-gz"'  # another body, another tag
                headers["content-encoding"] = "gzip"
        headers.update({"etag": etag, "cache-control": "no-cache"})
        if if_none_match == etag:
            headers.pop("content-encoding", None)
            return 304, headers, b""
    return found.status, {**headers, "content-type": found.media_type, "content-length": str(len(body))}, body


def _gzip_ok(accept_encoding: bytes | None) -> bool:
    """Whether an Accept-Encoding header takes gzip (``gzip;q=0`` refuses it)."""
    if not accept_encoding:
        return False
    for part in accept_encoding.lower().split(b","):
        name, _, params = part.strip().partition(b";")
        if name.strip() in {b"gzip", b"*"}:
            return params.replace(b" ", b"") not in {b"q=0", b"q=0.0", b"q=0.00", b"q=0.000"}
    return False


def json_bytes(data: dict[str, Any]) -> bytes:
    """``data`` as compact UTF-8 JSON, the bytes every JSON response sends."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
