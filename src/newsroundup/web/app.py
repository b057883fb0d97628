"""The HTTP app: reader pages, the JSON API under /api/v1, the Atom feed, and token-guarded admin actions.

Pages and JSON are made once per change of the store and sent as ready bytes (with an ETag);
the store is opened read-only, one connection per server thread. Every response carries a strict
Content-Security-Policy; nothing on a page runs script.
"""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from datetime import datetime
from importlib.resources import files
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from fastapi import FastAPI, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.trustedhost import TrustedHostMiddleware

from newsroundup.annotate.aliases import AliasTable
from newsroundup.errors import NewsroundupError
from newsroundup.grouping.options import GroupingOptions
from newsroundup.model import Audit, audit_to_json
from newsroundup.render.pages import STYLESHEET, Moved, NotFound, Pages, not_found_page
from newsroundup.roundup.enrich import EnrichOptions
from newsroundup.store.base import Store
from newsroundup.text.dates import DateOutOfRange, parse_iso_datetime
from newsroundup.version import __version__
from newsroundup.web import api
from newsroundup.web.admin import AdminGuard, add_admin_routes
from newsroundup.web.cache import CHECK_INTERVAL, OTHER_BYTES, PAGE_BYTES, Cached, Readers, ResponseCache
from newsroundup.web.links import ServerLinks
from newsroundup.web.pages import MAX_AUDIT_CHARS, audit_page, audited, search_page
from newsroundup.web.responses import ATOM, HTML, JSON, KeptResponses, SecurityHeaders, cache_key, json_bytes, respond

MAX_LIMIT = 1000
MAX_SOURCES = 1_000_000  # any larger number overflows the database's integers (it was a 500)


def create_app(
    db: Path | str,
    token: str | None = None,
    *,
    check_interval: float = CHECK_INTERVAL,
    enrich: EnrichOptions | None = None,
    grouping: GroupingOptions | None = None,
    allowed_hosts: Sequence[str] = ("*",),
    page_bytes: int = PAGE_BYTES,
    other_bytes: int = OTHER_BYTES,
) -> FastAPI:
    """The app over the store at ``db`` (which must exist at the current schema); admin only with ``token``.

    Changes to the store show within two ``check_interval``s (see :class:`ResponseCache`). ``enrich``: how
    the admin run enriches roundups when asked to (default: the built-in aliases); ``grouping``: how it
    groups a store grouped for the first time (a grouped store keeps its own settings). ``allowed_hosts``:
    the Host header values answered (``*.example.org`` patterns; ``*``: any), any other gets a 400
    (``serve`` passes loopback and the address it binds). ``page_bytes`` / ``other_bytes``: how much of
    the store's pages and of everything else (404s, API queries) is kept ready (``app.state.cache``).
    """
    readers = Readers(db)
    aliases = (enrich or EnrichOptions()).aliases  # the audit's alias sets, as the roundups use them
    cache = ResponseCache(readers.data_version, interval=check_interval, page_bytes=page_bytes, other_bytes=other_bytes)
    style = files("newsroundup.render").joinpath("static", STYLESHEET).read_bytes()
    links = ServerLinks(style_version=hashlib.blake2b(style, digest_size=6).hexdigest())

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        readers.close()  # the pooled PostgreSQL connections, when the server stops

    app = FastAPI(
        lifespan=lifespan,
        title="newsroundup",
        version=__version__,
        description="Stories, cited roundups, articles and entities from a newsroundup store.",
        docs_url=None,  # the interactive docs load script from a CDN, which the policy forbids
        redoc_url=None,
    )
    app.state.cache = cache
    app.add_middleware(KeptResponses, cache=cache)
    if token:
        app.add_middleware(AdminGuard, token=token)  # the token before any body is read
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=list(allowed_hosts), www_redirect=False)
    app.add_middleware(SecurityHeaders)  # added last: outermost, so it sees every response

    async def cached(request: Request, make: Callable[[Store], Cached], *, by_query: bool = False) -> Response:
        # Only the API's queries choose what is sent: a page asked for with any query is the same page.
        key = cache_key(request.scope) if by_query else str(request.scope["path"])
        found = await cache.fetch(key, lambda: run_in_threadpool(lambda: readers.read(make)))
        return respond(request, found)

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
                return Cached(json_bytes(build(store)), JSON)
            except NotFound as exc:
                return Cached(json_bytes({"detail": str(exc)}), JSON, 404)

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
        body = await run_in_threadpool(lambda: readers.read(lambda s: search_page(s, links, q)))
        return Response(body, media_type=HTML, headers={"cache-control": "no-cache"})

    @app.get("/audit", response_class=Response, include_in_schema=False)
    async def audit_form() -> Response:
        _, body = audit_page(links)
        return Response(body, media_type=HTML, headers={"cache-control": "no-cache"})

    @app.post("/audit", response_class=Response, include_in_schema=False)
    async def audit_text(request: Request) -> Response:
        """The form's text audited against the store; read-only, and nothing of it is kept."""
        text = await _form_text(request, 4 * MAX_AUDIT_CHARS + 1024)  # a character is at most 4 bytes
        if text is None:
            status, body = audit_page(links, None)
        else:
            status, body = await run_in_threadpool(
                lambda: readers.read(lambda s: audit_page(links, text, s, aliases))
            )
        return Response(body, status, media_type=HTML, headers={"cache-control": "no-store"})

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

    no_date: dict[int | str, dict[str, Any]] = {400: {"model": api.ErrorModel, "description": "since is unusable"}}

    @app.get("/api/v1/stories", response_model=api.StoryList, responses=no_date, tags=["stories"])
    async def api_stories(
        request: Request,
        since: str | None = Query(None, description="only stories seen since this ISO date or time"),
        min_sources: int = Query(
            0, ge=0, le=MAX_SOURCES, description="only stories with at least this many independent sources"
        ),
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
        body = await run_in_threadpool(lambda: json_bytes(readers.read(lambda s: api.search_json(s, q, limit))))
        return Response(body, media_type=JSON)

    bad_request: dict[int | str, dict[str, Any]] = {400: {"model": api.ErrorModel, "description": "unusable text"}}

    @app.post("/api/v1/audit", response_model=Audit, responses=bad_request, tags=["audit"])
    async def api_audit(body: AuditRequest) -> Response:
        """Audit a stitched article against the stored articles: for each sentence its source span, match and defects.

        Read-only: nothing is stored. Candidate sources are found through the store's full-text index.
        """
        try:
            data = await run_in_threadpool(lambda: readers.read(lambda s: _audit(s, body, aliases)))
        except NewsroundupError as exc:
            return JSONResponse({"detail": str(exc)}, status_code=400)
        return Response(json_bytes(data), media_type=JSON)

    if token:
        add_admin_routes(app, db, token, enrich or EnrichOptions(), grouping)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if request.url.path.startswith("/api/") or exc.status_code != 404:
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)
        return Response(not_found_page(links, "There is no page at this address."), 404, media_type=HTML)

    return app


async def _form_text(request: Request, limit: int) -> str | None:
    """The ``text`` field of a posted form (URL-encoded), "" when it has none; None when the body passes ``limit``."""
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            return None
    fields = parse_qs(body.decode("utf-8", "replace"), max_num_fields=20)
    return fields.get("text", [""])[0].replace("\r\n", "\n")


class AuditRequest(BaseModel):
    """A text to audit (as extracted, plain text), with its title and outlet when known."""

    text: str = Field(min_length=1, max_length=MAX_AUDIT_CHARS)
    title: str | None = Field(None, max_length=1000)
    outlet: str | None = Field(None, max_length=200)


def _audit(store: Store, body: AuditRequest, aliases: AliasTable) -> dict[str, Any]:
    return audit_to_json(audited(store, body.text, body.title, body.outlet, aliases).audit)


def _since(text: str | None) -> datetime | Response | None:
    if not text:
        return None
    try:
        return parse_iso_datetime(text)
    except DateOutOfRange as exc:
        return JSONResponse({"detail": f"since: {exc}"}, status_code=400)
    except ValueError:
        return JSONResponse({"detail": f"since: {text[:80]!r} is not an ISO date or time"}, status_code=400)
