"""``newsroundup serve``: the app under uvicorn, bound to loopback unless told otherwise."""

from __future__ import annotations

import contextlib
import gc
import ipaddress
import socket
import sys
from collections.abc import Sequence
from pathlib import Path

import uvicorn

from newsroundup.grouping.options import GroupingOptions
from newsroundup.roundup.enrich import EnrichOptions
from newsroundup.store.base import open_store
from newsroundup.web.app import create_app

LOOPBACK_NAMES = ("localhost", "127.0.0.1", "[::1]")
_ANY_ADDRESS = {"", "0.0.0.0", "::", "[::]"}


def host_pattern(text: str) -> str:
    """One allowed Host value as the Host check compares it: lower case, an IPv6 address in brackets.

    ``*`` (any host) and ``*.example.org`` (any name under it) are patterns; raises ``ValueError`` for
    anything else with a ``*``, a port, or characters no host name has.
    """
    name = text.strip().lower()
    if name.startswith("[") and name.endswith("]"):
        name = name[1:-1]
    try:
        address = ipaddress.ip_address(name)
    except ValueError:
        pass
    else:
        return f"[{address.compressed}]" if address.version == 6 else address.compressed
    if name == "*":
        return name
    if "*" in name[1:] or (name.startswith("*") and not name.startswith("*.")):
        raise ValueError(f"{text!r}: a wildcard must be the whole name (*) or lead it (*.example.org)")
    label = name.removeprefix("*.").rstrip(".")
    if not label or not all(part and all(c.isalnum() or c in "-_" for c in part) for part in label.split(".")):
        raise ValueError(f"{text!r} is not a host name or address (give no scheme, port or path)")
    return name.rstrip(".")


def default_allowed_hosts(host: str) -> tuple[str, ...]:
    """The Host values ``serve`` answers by default: the loopback names and the address it is bound to.

    Bound to every address (``0.0.0.0`` or ``::``), also this machine's name and the addresses it
    resolves to. A name an attacker controls (DNS rebinding) is never among them.
    """
    allowed = list(LOOPBACK_NAMES)
    if host.strip() in _ANY_ADDRESS:
        names = [socket.gethostname()]
        with contextlib.suppress(OSError):
            names += [str(info[4][0]) for info in socket.getaddrinfo(names[0], None)]
    else:
        names = [host]
    for name in names:
        try:
            pattern = host_pattern(name.partition("%")[0])  # an IPv6 scope (fe80::1%eth0) is not in a Host header
        except ValueError:
            continue
        if pattern not in allowed:
            allowed.append(pattern)
    return tuple(allowed)


class _Server(uvicorn.Server):
    """uvicorn's server, saying once where it listens when it is ready."""

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        # Everything loaded so far (modules, the app, settings) lives as long as the server: moved out of the
        # garbage collector's reach, a full collection no longer walks it on the request path (with it, 50-70 ms
        # pauses hit requests several times a minute under load: benchmarks/bench_web.py).
        gc.collect()
        gc.freeze()
        if self.started and self.servers:
            host, port = self.servers[0].sockets[0].getsockname()[:2]
            shown = f"[{host}]" if ":" in host else host
            print(f"serving http://{shown}:{port}", file=sys.stderr, flush=True)


def serve(db: Path | str, *, host: str = "127.0.0.1", port: int = 8000, token: str | None = None,
          access_log: bool = False, enrich: EnrichOptions | None = None,
          grouping: GroupingOptions | None = None, allowed_hosts: Sequence[str] | None = None) -> None:
    """Serve the store at ``db`` until interrupted (port 0: any free port, said on stderr).

    Only requests whose Host is in ``allowed_hosts`` are answered (default: :func:`default_allowed_hosts`).
    """
    open_store(db, existing=True).close()  # a clear error for a missing or unusable store; schema brought up to date
    hosts = default_allowed_hosts(host) if allowed_hosts is None else tuple(allowed_hosts)
    app = create_app(db, token, enrich=enrich, grouping=grouping, allowed_hosts=hosts)
    config = uvicorn.Config(
        app, host=host, port=port, log_level="warning", access_log=access_log, loop="auto", http="auto",
        server_header=False,
    )
    _Server(config).run()
