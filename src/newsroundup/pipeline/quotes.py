"""``newsroundup quotes PATH...``: every attribution (who said what, direct and reported) of the articles."""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, Any

from newsroundup.arguments import add_extraction_argument
from newsroundup.model import Article, Quote

# Inputs this large likely hold enough articles for the attribution worker (four batches of news-length
# articles are ~100 KB): it is started before they are read. Smaller ones start it only if they need it.
_WARM_BYTES = 100_000
FIELDS = (
    "article",
    "kind",
    "text",
    "start",
    "end",
    "speaker",
    "speaker_as_written",
    "speaker_start",
    "speaker_end",
    "cue",
)


def add_quotes_command(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("quotes", help="who said what: every direct quote and reported statement of the articles")
    p.add_argument("paths", nargs="+", metavar="PATH", help="article files or folders (.txt, .html, .jsonl)")
    p.add_argument("--format", dest="quotes_format", choices=("jsonl", "csv", "md"), default="jsonl")
    p.add_argument("--kind", dest="quotes_kind", choices=("direct", "reported", "all"), default="all")
    add_extraction_argument(p)
    p.set_defaults(handler=_cmd_quotes)


def _cmd_quotes(args: argparse.Namespace) -> int:
    from newsroundup.annotate.attribution_worker import warm_up
    from newsroundup.pipeline.load import LoadRules, load_articles
    from newsroundup.pipeline.progress import say

    if _bytes_in(args.paths) >= _WARM_BYTES:
        warm_up()  # the worker's model loads while the articles are read
    loaded = load_articles(args.paths, LoadRules(extraction=args.settings.extraction))
    for warning in loaded.warnings:
        say(f"warning: {warning}")
    write_records(attribution_records(loaded.articles, args.quotes_kind), args.quotes_format, sys.stdout)
    return 0


def _bytes_in(paths: Sequence[str]) -> int:
    """The size of the files at ``paths`` (folders walked; a path that cannot be read counts 0)."""
    total = 0
    for path in map(Path, paths):
        try:
            if path.is_dir():
                total += sum(f.stat().st_size for f in path.rglob("*") if f.is_file())
            elif path.is_file():
                total += path.stat().st_size
        except OSError:
            continue
    return total


def attribution_records(articles: Sequence[Article], kind: str = "all") -> Iterator[dict[str, Any]]:
    """One record per attribution (offsets into each article's text as given), article by article."""
    from newsroundup.annotate.attribution_worker import attributions_of

    for article, quotes in attributions_of(articles):
        for quote in quotes:
            if kind in {"all", quote.kind}:
                yield record(article, quote)


def record(article: Article, quote: Quote) -> dict[str, Any]:
    span = quote.speaker_span
    return {
        "article": article.id,
        "kind": quote.kind,
        "text": quote.text,
        "start": quote.span.start,
        "end": quote.span.end,
        "speaker": quote.speaker,
        "speaker_as_written": article.text[span.start : span.end] if span else None,
        "speaker_start": span.start if span else None,
        "speaker_end": span.end if span else None,
        "cue": quote.cue,
    }


def write_records(records: Iterator[dict[str, Any]], fmt: str, out: IO[str]) -> None:
    """Write ``records`` as JSON lines, CSV (header first) or a Markdown list."""
    if fmt == "csv":
        writer = csv.DictWriter(out, fieldnames=FIELDS)
        writer.writeheader()
        for r in records:
            writer.writerow(r)
        return
    for r in records:
        if fmt == "md":
            shown = f"“{r['text']}”" if r["kind"] == "direct" else r["text"]
            out.write(f"- **{r['speaker']}** ({r['kind']}, {r['cue']}): {shown} — {r['article']}\n")
        else:
            out.write(json.dumps(r, ensure_ascii=False) + "\n")


