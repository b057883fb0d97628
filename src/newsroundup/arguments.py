"""Command-line arguments shared by cli.py and web/commands.py: store, fetching, extraction, aliases."""

from __future__ import annotations

import argparse
from pathlib import Path

from newsroundup.settings import EXTRACTIONS


def add_db_argument(p: argparse.ArgumentParser) -> None:
    """The article store a command reads or writes."""
    p.add_argument(
        "--db", metavar="PATH|URL",
        help="article store: a SQLite file or a postgresql:// URL (default: $NEWSROUNDUP_DB, else ./newsroundup.db)",
    )


def add_fetch_arguments(p: argparse.ArgumentParser) -> None:
    """How sources are fetched and extracted: the options ``add`` and ``run`` share."""
    p.add_argument(
        "--allow-private", action="store_true", help="allow fetching from loopback and private networks"
    )
    p.add_argument("--ignore-robots", action="store_true", help="do not obey robots.txt")
    p.add_argument("--delay", type=float, default=1.0, metavar="S", help="seconds between requests to a host")
    p.add_argument("--timeout", type=float, default=20.0, metavar="S", help="seconds allowed per response")
    p.add_argument("--retries", type=int, default=2, metavar="N", help="retries after 5xx or timeouts")
    add_extraction_argument(p)


def add_extraction_argument(p: argparse.ArgumentParser) -> None:
    """How pages are extracted: the same choice for every command that reads articles."""
    p.add_argument(
        "--extraction",
        choices=EXTRACTIONS,
        help="trafilatura trade-off for pages (default: precision, best in benchmarks)",
    )


def add_aliases_argument(p: argparse.ArgumentParser) -> None:
    """The alias file that enrichment reads on top of the built-in aliases."""
    p.add_argument(
        "--aliases", type=Path, metavar="FILE", help="TOML alias file: [[entity]] name, kind, aliases (enrichment)"
    )
