"""``newsroundup serve`` and ``export``: their arguments, and the web app or its pages as a static site."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from newsroundup.arguments import add_aliases_argument, add_db_argument, whole_number
from newsroundup.errors import InputError


def add_web_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The ``serve`` and ``export`` subcommands (the web app and its pages as a static site)."""
    p = sub.add_parser(
        "serve",
        help="serve stories, roundups, search and the JSON API over HTTP",
        description=(
            "Serve the store's stories as web pages and a JSON API under /api/v1 (schema at /openapi.json). "
            "Read-only unless a token is given: then POST /api/v1/admin/sources and /api/v1/admin/run "
            "accept `Authorization: Bearer TOKEN`."
        ),
    )
    add_db_argument(p)
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this machine only)")
    p.add_argument(
        "--port", type=whole_number(0, 65535), default=8000, help="port to listen on (default 8000; 0: any free port)"
    )
    p.add_argument("--token", metavar="TOKEN", help="enable admin actions with this token (or $NEWSROUNDUP_TOKEN)")
    p.add_argument(
        "--allowed-hosts", type=_host_list, metavar="HOST[,HOST...]",
        help="answer only requests for these host names (*.example.org for a domain, * for any; default: "
        "localhost, 127.0.0.1, [::1] and the --host address; or the allowed_hosts setting); others get 400, "
        "which stops DNS rebinding",
    )
    add_aliases_argument(p)
    p.add_argument("--access-log", action="store_true", help="log every request on stderr")
    p.set_defaults(handler=_cmd_serve)

    p = sub.add_parser("export", help="write the web app's pages as a static site (as `run --out` does)")
    add_db_argument(p)
    p.add_argument("--site", type=Path, required=True, metavar="DIR", help="folder to write the site into")
    p.set_defaults(handler=_cmd_export)


def _cmd_serve(args: argparse.Namespace) -> int:
    """``newsroundup serve``: runs until interrupted."""
    from newsroundup.pipeline.options import enrich_options, grouping_options
    from newsroundup.web.server import serve

    settings = args.settings
    hosts = args.allowed_hosts
    if hosts is None and settings.allowed_hosts is not None:
        try:
            hosts = _host_list(",".join(settings.allowed_hosts))
        except argparse.ArgumentTypeError as exc:
            where = settings.origins.get("allowed_hosts", "settings")
            raise InputError(f"{where}: allowed_hosts {exc}") from None
    serve(
        settings.db, host=args.host, port=args.port, token=settings.token, access_log=args.access_log,
        enrich=enrich_options(settings), grouping=grouping_options(settings), allowed_hosts=hosts,
    )
    return 0


def _host_list(text: str) -> tuple[str, ...]:
    """``--allowed-hosts``: comma-separated host names, addresses or patterns."""
    from newsroundup.web.server import host_pattern

    try:
        hosts = tuple(dict.fromkeys(host_pattern(part) for part in text.split(",") if part.strip()))
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    if not hosts:
        raise argparse.ArgumentTypeError("give at least one host name (or * for any)")
    return hosts


def _cmd_export(args: argparse.Namespace) -> int:
    """``newsroundup export``."""
    from newsroundup.render.site import write_site
    from newsroundup.store.base import open_store

    with open_store(args.settings.db, existing=True) as store:
        report = write_site(store, args.site)
    print(
        f"newsroundup: {report.index} ({report.stories} stories, {report.articles} articles, "
        f"{report.entities} entities; {report.written} pages written)",
        file=sys.stderr,
    )
    return 0
