"""The HTTP app: reader pages, the JSON API under /api/v1, the Atom feed, and token-guarded admin actions.

Pages and JSON are made once per change of the store and sent as ready bytes (with an ETag);
the store is opened read-only, one connection per server thread. Every response carries a strict
Content-Security-Policy; nothing on a page runs script.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from collections.abc import Awaitable, Callable, MutableMapping
from datetime import datetime
from importlib.resources import files
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Query, Request
from fastapi.responses import JSONResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from newsroundup.errors import NewsroundupError
from newsroundup.model import Audit, audit_to_json
from newsroundup.render.pages import PAGE_POLICY, STYLESHEET, Moved, NotFound, Pages, not_found_page
from newsroundup.roundup.enrich import EnrichOptions
from newsroundup.store.base import Store, open_store
from newsroundup.text.dates import parse_iso_datetime
from newsroundup.version import __version__
from newsroundup.web import api
from newsroundup.web.cache import CHECK_INTERVAL, Cached, Readers, ResponseCache
from newsroundup.web.links import ServerLinks
from newsroundup.web.pages import search_page

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
MAX_LIMIT = 1000
_BEARER = HTTPBearer(auto_error=False, description="the token given to `newsroundup serve`")

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class SecurityHeaders:
    """ASGI middleware adding the security headers to every HTTP response (pages, API, static, errors)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *_SECURITY_HEADERS]
            await send(message)

        await self.app(scope, receive, send_with_headers)


class KeptResponses:
    """ASGI middleware sending a kept response straight away, without routing or validation (the hot path).

    Anything not kept yet goes on to the app, whose handlers make it and keep it under the same key.
    """

    def __init__(self, app: ASGIApp, cache: ResponseCache) -> None:
        self.app = app
        self.cache = cache

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        found = self.cache.get(cache_key(scope)) if scope["type"] == "http" and scope["method"] == "GET" else None
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


class SourceRequest(BaseModel):
    source: str = Field(description="a feed or page URL, or a file or folder path on the server")


class AddResult(BaseModel):
    added: int
    copies: int
    partial: int
    already: int
    failures: list[str]


class RunRequest(BaseModel):
    words: int = Field(default=100, ge=1, le=1000, description="word budget per roundup")
    enrich: bool = Field(default=True, description="key quotes, who's who and timeline")


class RunResult(BaseModel):
    grouped: int
    new_stories: list[str]
    merged: dict[str, str]
    written: list[tuple[str, int]]
    failures: list[str]


def create_app(
    db: Path | str,
    token: str | None = None,
    *,
    check_interval: float = CHECK_INTERVAL,
    enrich: EnrichOptions | None = None,
) -> FastAPI:
    """The app over the store at ``db`` (which must exist at the current schema); admin only with ``token``.

    Changes to the store show within ``check_interval`` seconds. ``enrich``: how the admin run enriches
    roundups when asked to (default: the built-in aliases).
    """
    readers = Readers(db)
    cache = ResponseCache(lambda: readers.get().data_version(), interval=check_interval)
    style = files("newsroundup.render").joinpath("static", STYLESHEET).read_bytes()
    links = ServerLinks(style_version=hashlib.blake2b(style, digest_size=6).hexdigest())

    app = FastAPI(
        title="newsroundup",
        version=__version__,
        description="Stories, cited roundups, articles and entities from a newsroundup store.",
        docs_url=None,  # the interactive docs load script from a CDN, which the policy forbids
        redoc_url=None,
    )
    app.add_middleware(KeptResponses, cache=cache)
    app.add_middleware(SecurityHeaders)  # added last: outermost, so it sees every response

    async def cached(request: Request, make: Callable[[Store], Cached], *, by_query: bool = False) -> Response:
        # Only the API's queries choose what is sent: a page asked for with any query is the same page.
        key = cache_key(request.scope) if by_query else str(request.scope["path"])
        found = await cache.fetch(key, lambda: run_in_threadpool(lambda: make(readers.get())))
        return _respond(request, found)

    def page(build: Callable[[Pages], str]) -> Callable[[Store], Cached]:
        def make(store: Store) -> Cached:
            pages = Pages(store, links)
            try:
                return Cached(build(pages).encode(), HTML)
            except Moved as moved:
                return Cached(b"", HTML, 301, headers=(("location", links.story(moved.story_id)),))
            except NotFound as exc:
                return Cached(pages.not_found(str(exc)).encode(), HTML, 404)

        return make

    def data(build: Callable[[Store], dict[str, Any]]) -> Callable[[Store], Cached]:
        def make(store: Store) -> Cached:
            try:
                return Cached(_json(build(store)), JSON)
            except NotFound as exc:
                return Cached(_json({"detail": str(exc)}), JSON, 404)

        return make

    # -- pages ------------------------------------------------------------------------------------

    @app.get("/", response_class=Response, include_in_schema=False)
    async def home(request: Request) -> Response:
        return await cached(request, page(lambda p: p.home()))

    @app.get("/stories/{story_id}", response_class=Response, include_in_schema=False)
    async def story(request: Request, story_id: str) -> Response:
        return await cached(request, page(lambda p: p.story(story_id)))

    @app.get("/articles/{article_id:path}", response_class=Response, include_in_schema=False)
    async def article(request: Request, article_id: str) -> Response:
        return await cached(request, page(lambda p: p.article(article_id)))

    @app.get("/entities/{key}", response_class=Response, include_in_schema=False)
    async def entity(request: Request, key: str) -> Response:
        return await cached(request, page(lambda p: p.entity(key)))

    @app.get("/search", response_class=Response, include_in_schema=False)
    async def search(q: str = Query("", max_length=500)) -> Response:
        body = await run_in_threadpool(lambda: search_page(readers.get(), links, q))
        return Response(body, media_type=HTML, headers={"cache-control": "no-cache"})

    @app.get("/static/{name}", response_class=Response, include_in_schema=False)
    async def static(request: Request, name: str) -> Response:
        if name != STYLESHEET:
            raise StarletteHTTPException(404)
        return await cached(request, lambda _store: Cached(style, "text/css; charset=utf-8"))

    @app.get("/feed.atom", response_class=Response, include_in_schema=False)
    async def feed(request: Request) -> Response:
        return await cached(request, lambda store: Cached(Pages(store, links).feed().encode(), ATOM))

    # -- JSON API ---------------------------------------------------------------------------------

    not_found: dict[int | str, dict[str, Any]] = {404: {"model": api.ErrorModel, "description": "no such record"}}

    @app.get("/api/v1/stories", response_model=api.StoryList, tags=["stories"])
    async def api_stories(
        request: Request,
        since: str | None = Query(None, description="only stories seen since this ISO date or time"),
        min_sources: int = Query(0, ge=0, description="only stories with at least this many independent sources"),
        limit: int = Query(100, ge=1, le=MAX_LIMIT),
    ) -> Response:
        """Live stories with a roundup, most recently seen first."""
        when = _since(since)
        if isinstance(when, Response):
            return when
        build = data(lambda s: api.stories_json(s, since=when, min_sources=min_sources, limit=limit))
        return await cached(request, build, by_query=True)

    @app.get("/api/v1/stories/{story_id}", response_model=api.StoryDetail, responses=not_found, tags=["stories"])
    async def api_story(request: Request, story_id: str) -> Response:
        """A story, its latest roundup (the roundup JSON) and what changed since the version before."""
        return await cached(request, data(lambda s: api.story_json(s, story_id)))

    @app.get("/api/v1/articles", response_model=api.ArticleList, responses=not_found, tags=["articles"])
    async def api_articles(
        request: Request,
        story: str | None = Query(None, description="only this story's articles (oldest first)"),
        limit: int = Query(100, ge=1, le=MAX_LIMIT),
    ) -> Response:
        """The most recent articles, or one story's articles."""
        return await cached(request, data(lambda s: api.articles_json(s, story=story, limit=limit)), by_query=True)

    @app.get("/api/v1/articles/{article_id:path}", response_model=api.ArticleDetail, responses=not_found,
             tags=["articles"])
    async def api_article(request: Request, article_id: str) -> Response:
        """One article with its text."""
        return await cached(request, data(lambda s: api.article_json(s, article_id)))

    @app.get("/api/v1/entities", response_model=api.EntityList, tags=["entities"])
    async def api_entities(request: Request) -> Response:
        """Every person, organisation, group and place the stories' roundups name."""
        return await cached(request, data(api.entities_json))

    @app.get("/api/v1/entities/{key}", response_model=api.EntityDetail, responses=not_found, tags=["entities"])
    async def api_entity(request: Request, key: str) -> Response:
        """One entity and the stories naming it."""
        return await cached(request, data(lambda s: api.entity_json(s, key)))

    @app.get("/api/v1/search", response_model=api.SearchResults, tags=["search"])
    async def api_search(
        q: str = Query(..., max_length=500), limit: int = Query(20, ge=1, le=100)
    ) -> Response:
        """Stories and articles matching the words of ``q`` (full-text, the last word as a prefix)."""
        body = await run_in_threadpool(lambda: _json(api.search_json(readers.get(), q, limit)))
        return Response(body, media_type=JSON)

    bad_request: dict[int | str, dict[str, Any]] = {400: {"model": api.ErrorModel, "description": "unusable text"}}

    @app.post("/api/v1/audit", response_model=Audit, responses=bad_request, tags=["audit"])
    async def api_audit(body: AuditRequest) -> Response:
        """Audit a stitched article against the stored articles: for each sentence its source span, match and defects.

        Read-only: nothing is stored. Candidate sources are found through the store's full-text index.
        """
        try:
            data = await run_in_threadpool(lambda: _audit(readers.get(), body))
        except NewsroundupError as exc:
            return JSONResponse({"detail": str(exc)}, status_code=400)
        return Response(_json(data), media_type=JSON)

    if token:
        _add_admin_routes(app, db, token, enrich or EnrichOptions())

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if request.url.path.startswith("/api/") or exc.status_code != 404:
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)
        return Response(not_found_page(links, "There is no page at this address."), 404, media_type=HTML)

    return app


def _respond(request: Request, found: Cached) -> Response:
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


MAX_AUDIT_CHARS = 200_000


class AuditRequest(BaseModel):
    """A text to audit (as extracted, plain text), with its title and outlet when known."""

    text: str = Field(min_length=1, max_length=MAX_AUDIT_CHARS)
    title: str | None = Field(None, max_length=1000)
    outlet: str | None = Field(None, max_length=200)


def _audit(store: Store, body: AuditRequest) -> dict[str, Any]:
    from newsroundup.pipeline.audit import audit_stored
    from newsroundup.pipeline.load import LoadRules, article_from_line

    record = {"id": "audited", "text": body.text, "title": body.title, "outlet": body.outlet}
    article = article_from_line(record, "the text to audit", LoadRules(), lambda _note: None)
    return audit_to_json(audit_stored(store, article).audit)


def _json(data: dict[str, Any]) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()


def _since(text: str | None) -> datetime | Response | None:
    if not text:
        return None
    try:
        return parse_iso_datetime(text)
    except ValueError:
        return JSONResponse({"detail": f"since: {text!r} is not an ISO date or time"}, status_code=400)


def _add_admin_routes(app: FastAPI, db: Path | str, token: str, enrich: EnrichOptions) -> None:
    """The write actions, each behind ``Authorization: Bearer TOKEN`` (only added when a token is set)."""
    lock = threading.Lock()  # one write action at a time

    def authorized(credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_BEARER)]) -> None:
        given = credentials.credentials if credentials else ""
        if not hmac.compare_digest(given.encode(), token.encode()):
            raise StarletteHTTPException(401, "missing or wrong token", headers={"www-authenticate": "Bearer"})

    guard = [Depends(authorized)]
    refused: dict[int | str, dict[str, Any]] = {401: {"model": api.ErrorModel, "description": "missing or wrong token"}}

    @app.post("/api/v1/admin/sources", response_model=AddResult, dependencies=guard, responses=refused, tags=["admin"])
    async def admin_add(body: SourceRequest) -> AddResult:
        """Add a feed, page, file or folder to the store."""
        return await run_in_threadpool(lambda: _add(db, body.source, lock))

    @app.post("/api/v1/admin/run", response_model=RunResult, dependencies=guard, responses=refused, tags=["admin"])
    async def admin_run(body: RunRequest | None = None) -> RunResult:
        """Group new articles into stories and refresh the roundups of the stories that changed."""
        return await run_in_threadpool(lambda: _run(db, body or RunRequest(), enrich, lock))


def _add(db: Path | str, source: str, lock: threading.Lock) -> AddResult:
    from newsroundup.pipeline.add import add_sources

    with lock, open_store(db) as store:
        report = add_sources([source], store)
    return AddResult(
        added=report.added, copies=report.copies, partial=report.partial, already=report.already,
        failures=report.failures,
    )


def _run(db: Path | str, options: RunRequest, enrich: EnrichOptions, lock: threading.Lock) -> RunResult:
    from newsroundup.pipeline.run import group_new_articles, refresh_roundups
    from newsroundup.roundup.summarize import RoundupOptions

    roundup = RoundupOptions(words=options.words, enrich=enrich if options.enrich else None)
    with lock, open_store(db) as store:
        try:
            grouping = group_new_articles(store)
            refresh = refresh_roundups(store, roundup)
        except NewsroundupError as exc:
            return RunResult(grouped=0, new_stories=[], merged={}, written=[], failures=[str(exc)])
    return RunResult(
        grouped=grouping.grouped,
        new_stories=list(grouping.created),
        merged=dict(grouping.merged),
        written=list(refresh.written),
        failures=list(refresh.failures),
    )
