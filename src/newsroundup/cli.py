"""The command line: parses arguments and calls the stages; errors become one line on stderr."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from newsroundup import __version__
from newsroundup.errors import NewsroundupError


def build_parser() -> argparse.ArgumentParser:
    """The ``newsroundup`` argument parser with all its subcommands."""
    parser = argparse.ArgumentParser(
        prog="newsroundup",
        description="Turn many news articles into cited, coherent roundups.",
    )
    parser.add_argument("--version", action="version", version=f"newsroundup {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    p = sub.add_parser(
        "summarize",
        help="write one roundup from articles about one story",
        description=(
            "Summarize PATHs (text, HTML or JSONL files, or folders of them) as one story, or, "
            "with --clusters, every cluster of a JSONL file as its own story (one JSON line each)."
        ),
    )
    p.add_argument("paths", nargs="*", metavar="PATH", help="article files or folders (one story)")
    p.add_argument("--clusters", type=Path, metavar="FILE", help="JSONL of pre-grouped clusters")
    p.add_argument("--words", type=int, default=100, metavar="N", help="word budget (default 100)")
    p.add_argument("--format", choices=("md", "json", "html"), default="md", help="output format")
    p.add_argument("--quiet", action="store_true", help="no progress or warnings on stderr")
    p.set_defaults(handler=_cmd_summarize)

    p = sub.add_parser("evaluate", help="score newsroundup against benchmark data and peers")
    esub = p.add_subparsers(dest="benchmark", metavar="BENCHMARK")
    esub.required = True
    e = esub.add_parser(
        "duc2004",
        help="DUC 2004 Task 2: ROUGE and coherence vs. sumy and 13 published systems",
    )
    e.add_argument("--data", type=Path, help="folder with clusters.jsonl and peers.jsonl")
    e.add_argument("--words", type=int, default=100, metavar="N", help="word budget (default 100)")
    e.add_argument("--limit", type=int, metavar="K", help="only the first K clusters (smoke runs)")
    e.add_argument("--no-sumy", action="store_true", help="skip the sumy baselines")
    e.add_argument(
        "--out",
        type=Path,
        default=Path("benchmarks/results/duc2004.json"),
        help="where to write the JSON results (default benchmarks/results/duc2004.json)",
    )
    e.add_argument("--quiet", action="store_true", help="no progress on stderr")
    e.set_defaults(handler=_cmd_evaluate_duc2004)
    return parser


def _cmd_summarize(args: argparse.Namespace) -> int:
    """``newsroundup summarize``."""
    from newsroundup.roundup.summarize import RoundupOptions

    options = RoundupOptions(words=args.words)
    if args.clusters is not None:
        if args.paths:
            raise NewsroundupError("give either PATHs or --clusters, not both")
        from newsroundup.roundup.batch import summarize_clusters

        for line in summarize_clusters(args.clusters, options, quiet=args.quiet):
            sys.stdout.write(json.dumps(line, ensure_ascii=False) + "\n")
        return 0
    if not args.paths:
        raise NewsroundupError("summarize: give at least one PATH, or --clusters FILE")
    from newsroundup.render import render
    from newsroundup.roundup.summarize import summarize
    from newsroundup.sources.files import load_articles

    loaded = load_articles(args.paths)
    if not args.quiet:
        for warning in loaded.warnings:
            print(f"warning: {warning}", file=sys.stderr)
    roundup = summarize(loaded.articles, options)
    sys.stdout.write(render(roundup, loaded.articles, args.format))
    return 0


def _cmd_evaluate_duc2004(args: argparse.Namespace) -> int:
    """``newsroundup evaluate duc2004``."""
    from newsroundup.evaluate.duc2004 import evaluate_duc2004, format_table

    results = evaluate_duc2004(
        data_dir=args.data,
        words=args.words,
        limit=args.limit,
        with_sumy=not args.no_sumy,
        quiet=args.quiet,
    )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(format_table(results))
    print(f"results written to {args.out}", file=sys.stderr)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the process exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "words", 1) is not None and getattr(args, "words", 1) < 1:
        parser.error("--words must be a positive number")
    try:
        return int(args.handler(args))
    except NewsroundupError as exc:
        print(f"newsroundup: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("newsroundup: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
