"""``newsroundup serve``: the app under uvicorn, bound to loopback unless told otherwise."""

from __future__ import annotations

import socket
import sys
from pathlib import Path

import uvicorn

from newsroundup.grouping.options import GroupingOptions
from newsroundup.roundup.enrich import EnrichOptions
from newsroundup.store.base import open_store
from newsroundup.web.app import create_app


class _Server(uvicorn.Server):
    """uvicorn's server, saying once where it listens when it is ready."""

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        if self.started and self.servers:
            host, port = self.servers[0].sockets[0].getsockname()[:2]
            shown = f"[{host}]" if ":" in host else host
            print(f"serving http://{shown}:{port}", file=sys.stderr, flush=True)


def serve(db: Path | str, *, host: str = "127.0.0.1", port: int = 8000, token: str | None = None,
          access_log: bool = False, enrich: EnrichOptions | None = None,
          grouping: GroupingOptions | None = None) -> None:
    """Serve the store at ``db`` until interrupted (port 0: any free port, said on stderr)."""
    open_store(db, existing=True).close()  # a clear error for a missing or unusable store; schema brought up to date
    app = create_app(db, token, enrich=enrich, grouping=grouping)
    config = uvicorn.Config(
        app, host=host, port=port, log_level="warning", access_log=access_log, loop="auto", http="auto",
        server_header=False,
    )
    _Server(config).run()
