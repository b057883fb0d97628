"""Token-guarded admin actions: add a source, group new articles and refresh roundups, one write at a time."""

from __future__ import annotations

import hmac
import threading
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, FastAPI
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from newsroundup.errors import NewsroundupError
from newsroundup.grouping.options import GroupingOptions
from newsroundup.roundup.enrich import EnrichOptions
from newsroundup.store.base import open_store
from newsroundup.web import api
from newsroundup.web.responses import ASGIApp, Receive, Scope, Send

ADMIN_PATH = "/api/v1/admin"
_BEARER = HTTPBearer(auto_error=False, description="the token given to `newsroundup serve`")


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


def token_matches(authorization: bytes | None, token: str) -> bool:
    """Whether an Authorization header's value is ``Bearer TOKEN`` (the scheme in any case), in constant time."""
    scheme, _, given = (authorization or b"").strip().partition(b" ")
    if scheme.lower() != b"bearer":
        given = b""
    return hmac.compare_digest(given.strip(), token.encode())


class AdminGuard:
    """ASGI middleware refusing any request under /api/v1/admin without the token, before anything reads its body.

    The routes check the token too (FastAPI dependencies, which also put it in the schema), but FastAPI
    validates a body before its dependencies run: a caller without the token would learn the schema
    from a 422. Here such a caller only ever gets the 401.
    """

    def __init__(self, app: ASGIApp, token: str) -> None:
        self.app = app
        self.token = token

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = str(scope.get("path", ""))
        admin = scope["type"] == "http" and (path == ADMIN_PATH or path.startswith(ADMIN_PATH + "/"))
        if admin and not token_matches(dict(scope["headers"]).get(b"authorization"), self.token):
            await _refused()(scope, receive, send)
            return
        await self.app(scope, receive, send)


def _refused() -> JSONResponse:
    return JSONResponse({"detail": "missing or wrong token"}, status_code=401, headers={"www-authenticate": "Bearer"})


def add_admin_routes(
    app: FastAPI, db: Path | str, token: str, enrich: EnrichOptions, grouping: GroupingOptions | None = None
) -> None:
    """The write actions, each behind ``Authorization: Bearer TOKEN`` (only added when a token is set).

    The app must also run :class:`AdminGuard` with the same token (the check before the body is read).
    """
    lock = threading.Lock()  # one write action at a time

    def authorized(credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_BEARER)]) -> None:
        given = f"Bearer {credentials.credentials}".encode("latin-1") if credentials else None
        if not token_matches(given, token):
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
        return await run_in_threadpool(lambda: _run(db, body or RunRequest(), enrich, grouping, lock))


def _add(db: Path | str, source: str, lock: threading.Lock) -> AddResult:
    from newsroundup.pipeline.add import add_sources

    with lock, open_store(db) as store:
        report = add_sources([source], store)
    return AddResult(
        added=report.added, copies=report.copies, partial=report.partial, already=report.already,
        failures=report.failures,
    )


def _run(
    db: Path | str, options: RunRequest, enrich: EnrichOptions, grouping_options: GroupingOptions | None,
    lock: threading.Lock,
) -> RunResult:
    from newsroundup.pipeline.run import group_new_articles, refresh_roundups
    from newsroundup.roundup.summarize import RoundupOptions

    roundup = RoundupOptions(words=options.words, enrich=enrich if options.enrich else None)
    with lock, open_store(db) as store:
        try:
            grouping = group_new_articles(store, options=grouping_options)
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
