"""``newsroundup db``: ``migrate`` (bring a store's schema up to date), ``reindex`` (build its search indexes
anew) and ``copy`` (move a whole store)."""

from __future__ import annotations

import argparse
import sys

from newsroundup.arguments import add_db_argument
from newsroundup.errors import InputError


def add_db_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The ``db`` subcommand and its actions."""
    p = sub.add_parser("db", help="manage the store: bring its schema up to date, copy it to another backend")
    dsub = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    m = dsub.add_parser("migrate", help="apply the schema migrations the store lacks (writing commands do it too)")
    add_db_argument(m)
    m.set_defaults(handler=_cmd_migrate)
    r = dsub.add_parser(
        "reindex",
        help="build the full-text indexes (articles, latest roundups) anew from the stored rows, in one transaction",
    )
    add_db_argument(r)
    r.set_defaults(handler=_cmd_reindex)
    c = dsub.add_parser(
        "copy",
        help="copy everything from one store to a new or empty one (SQLite file <-> postgresql:// URL), checked",
    )
    c.add_argument("source", metavar="SRC", nargs="?", help="the store to copy: a SQLite file or a postgresql:// URL")
    c.add_argument(
        "destination", metavar="DST", nargs="?", help="a new or empty store: a SQLite file or a postgresql:// URL"
    )
    c.add_argument("--from", dest="from_store", metavar="SRC", help="the store to copy (instead of SRC)")
    c.add_argument("--to", dest="to_store", metavar="DST", help="the new or empty store (instead of DST)")
    c.set_defaults(handler=_cmd_copy)


def _cmd_migrate(args: argparse.Namespace) -> int:
    from newsroundup.store.base import open_store

    with open_store(args.settings.db) as store:
        print(f"{store.path}: schema version {store.schema_version}")
    return 0


def _cmd_reindex(args: argparse.Namespace) -> int:
    import time

    from newsroundup.store.base import open_store

    with open_store(args.settings.db, existing=True) as store:
        print(f"{store.path}: rebuilding the search indexes…", file=sys.stderr)
        began = time.perf_counter()
        articles = store.rebuild_search()
        seconds = time.perf_counter() - began
    rate = f", {articles / seconds:,.0f} articles/s" if seconds > 0 and articles else ""
    print(f"{store.path}: {articles:,} articles indexed in {seconds:.1f} s{rate}")
    return 0


def _cmd_copy(args: argparse.Namespace) -> int:
    from newsroundup.pipeline.copy import copy_store
    from newsroundup.settings import is_postgres_url

    given = (
        _one_of(args.source, args.from_store, "SRC", "--from"),
        _one_of(args.destination, args.to_store, "DST", "--to"),
    )
    source, destination = (a if is_postgres_url(a) else a.strip() for a in given)
    checks = copy_store(source, destination)
    for check in checks:
        print(f"{check.table:<18} {check.rows:>9} rows  sha256 {check.checksum[:16]}  same")
    print(f"copied {source} -> {destination}: every table has the same rows and checksum", file=sys.stderr)
    return 0


def _one_of(positional: str | None, option: str | None, name: str, flag: str) -> str:
    """The store given as ``name`` or as ``flag`` (one of the two, not both)."""
    if positional is not None and option is not None:
        raise InputError(f"db copy: give the store as {name} or as {flag}, not both")
    found = positional if positional is not None else option
    if found is None:
        raise InputError(f"db copy: give {flag} (or {name}): db copy --from SQLITE_PATH --to postgresql://...")
    return found
