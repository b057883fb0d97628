"""``newsroundup archive``: its arguments, and the archive run with either engine."""

from __future__ import annotations

import argparse
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from newsroundup.arguments import add_aliases_argument, iso_datetime, whole_number
from newsroundup.errors import InputError

if TYPE_CHECKING:
    from newsroundup.engines.plan import Windows


def add_archive_command(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The ``archive`` subcommand."""
    p = sub.add_parser(
        "archive",
        help="an archive of articles -> Parquet tables of articles, copies, stories and roundups (local or Spark)",
        description=(
            "Read INPUTs (JSONL, JSONL.gz or Parquet files of articles with the fields of `summarize`'s JSONL, "
            "or folders of them), mark copies, group every article into stories and write each story's roundup; "
            "write the tables articles, rejected, copies, stories, roundups and sentences (and signatures and "
            "state, what a later batch continues from) as Parquet under --out. "
            "--engine spark runs the same plan as a Spark job (pip install 'newsroundup[spark]' and Java 17). "
            "When --out already holds an archive, the INPUTs are added to it: articles already archived are "
            "skipped, new ones join the archived stories (same ids) and only changed stories get a new roundup version."
        ),
    )
    p.add_argument("inputs", nargs="+", metavar="INPUT", help="JSONL(.gz) or Parquet file, or a folder of them")
    p.add_argument("--out", type=Path, required=True, metavar="DIR", help="folder for the Parquet tables")
    p.add_argument("--engine", choices=("local", "spark"), default="local", help="where to run (default local)")
    p.add_argument("--master", default="local[*]", metavar="URL",
                   help="Spark master with --engine spark: local[N] or spark://HOST:PORT (default local[*])")
    p.add_argument("--since", type=iso_datetime, metavar="DATE",
                   help="only articles published (or fetched) from DATE on, e.g. a day's batch of a larger dump; "
                        "undated articles are kept")
    p.add_argument("--grouping-window", type=whole_number(1), metavar="N",
                   help="group in windows of N articles (in time order): the first placed one by one, every later one "
                        "grouped on its own (in parallel with Spark) and its stories carried over by the articles they "
                        "share with the window before; default: every article placed one by one, as `run` does")
    p.add_argument("--grouping-overlap", type=whole_number(0), metavar="M",
                   help="with --grouping-window: the last M articles of a window warm up the next (default N/4)")
    p.add_argument("--words", type=whole_number(1), metavar="N", help="word budget per roundup (default 100)")
    add_aliases_argument(p)
    p.add_argument("--no-enrich", action="store_true", help="no key quotes, who's who or timeline (no spaCy)")
    p.add_argument("--quiet", action="store_true", help="no progress on stderr; the report still goes to stdout")
    p.set_defaults(handler=_cmd_archive)


def _cmd_archive(args: argparse.Namespace) -> int:
    """``newsroundup archive``: print the report as JSON; exit 1 when a roundup failed its check."""
    from dataclasses import asdict

    from newsroundup.annotate.parses import cache_settings
    from newsroundup.engines.archive import archive
    from newsroundup.engines.plan import PlanOptions
    from newsroundup.pipeline.options import enrich_options, grouping_options
    from newsroundup.pipeline.progress import say

    settings = args.settings
    options = PlanOptions(
        now=datetime.now(UTC),  # the clock is read here, at the edge
        threads=1,
        cache=settings.cache,
        parses=cache_settings(settings.cache, settings.parse_cache_mb),
        words=settings.words,
        enrich=None if args.no_enrich else enrich_options(settings),
        since=args.since,
        grouping=grouping_options(settings),
        windows=_windows(args),
    )

    def notify(line: str) -> None:
        if not args.quiet:
            say(f"newsroundup: {line}")

    report = archive(args.inputs, args.out, options, engine=args.engine, master=args.master, notify=notify)
    print(json.dumps(asdict(report), indent=2))
    return 1 if report.failures else 0


def _windows(args: argparse.Namespace) -> Windows | None:
    """The grouping windows the arguments ask for (an overlap alone is an error)."""
    from newsroundup.engines.plan import Windows

    if args.grouping_window is None:
        if args.grouping_overlap is not None:
            raise InputError("--grouping-overlap needs --grouping-window")
        return None
    overlap = args.grouping_window // 4 if args.grouping_overlap is None else args.grouping_overlap
    return Windows(args.grouping_window, overlap)
