"""Command-line arguments shared by cli.py and web/commands.py: store, fetching, extraction, aliases."""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from newsroundup.settings import EXTRACTIONS, MAX_COUNT
from newsroundup.text.dates import parse_iso_datetime


def whole_number(low: int, high: int = MAX_COUNT) -> Callable[[str], int]:
    """An argparse type: a whole number from ``low`` to ``high`` (a usage error, exit 2, otherwise)."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text[:40]!r} is not a whole number") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{text[:40]} is out of range ({low} to {high:,})")
        return value

    return parse


def number(low: float, high: float, *, above_low: bool = False, unit: str = "") -> Callable[[str], float]:
    """An argparse type: a finite number from ``low`` (exclusive with ``above_low``) to ``high``, in ``unit``."""
    of_unit = f" of {unit}" if unit else ""
    in_unit = f" {unit}" if unit else ""

    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text[:40]!r} is not a number{of_unit}") from None
        if not math.isfinite(value) or value > high or value < low or (above_low and value == low):
            bound = f"more than {low:g}" if above_low else f"{low:g}"
            raise argparse.ArgumentTypeError(f"{text[:40]} is out of range ({bound} to {high:g}{in_unit})")
        return value

    return parse


def seconds(low: float, high: float, *, above_low: bool = False) -> Callable[[str], float]:
    """An argparse type: a finite number of seconds from ``low`` (exclusive with ``above_low``) to ``high``."""
    return number(low, high, above_low=above_low, unit="seconds")


def iso_datetime(text: str) -> datetime:
    """An argparse type: an ISO date or time (UTC when it names no zone) that has a UTC equivalent."""
    try:
        return parse_iso_datetime(text)
    except ValueError as exc:
        problem = str(exc) if "range of dates" in str(exc) else f"{text[:80]!r} is not an ISO date or time"
        raise argparse.ArgumentTypeError(problem) from None


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
    p.add_argument(
        "--delay", type=seconds(0, 3600), default=1.0, metavar="S", help="seconds between requests to a host"
    )
    p.add_argument(
        "--timeout", type=seconds(0, 3600, above_low=True), default=20.0, metavar="S",
        help="seconds allowed per response",
    )
    p.add_argument("--retries", type=whole_number(0, 100), default=2, metavar="N", help="retries after 5xx or timeouts")
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
