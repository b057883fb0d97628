"""``newsroundup audit``: an article file (or standard input) and source files → its audit, and the command."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from newsroundup.arguments import add_extraction_argument
from newsroundup.audit import audit, check_audit
from newsroundup.errors import InputError
from newsroundup.model import Article, Audit
from newsroundup.pipeline.load import LoadRules, Warn, article_from_file, load_articles
from newsroundup.render.audit import render_audit
from newsroundup.sources.files import decode_text


def read_audited(path: str, rules: LoadRules, warn: Warn) -> Article:
    """The article to audit from a text or HTML file, or ``-`` for standard input; ``InputError`` when unusable."""
    if path == "-":
        data, where = sys.stdin.buffer.read(), Path("stdin.txt")
    else:
        where = Path(path)
        if not where.is_file():
            raise InputError(f"{path}: no such file")
        data = where.read_bytes()
    if not data.strip():
        raise InputError(f"{path}: the article to audit is empty")
    text = decode_text(data)
    if text is None:
        raise InputError(f"{path}: not readable as text (unknown encoding)")
    return article_from_file(where, text, rules, warn)


@dataclass(frozen=True, slots=True)
class AuditRun:
    """An audit and the source articles it was made against (the HTML report shows them in context)."""

    audit: Audit
    sources: tuple[Article, ...]


def audit_files(article_path: str, source_paths: Sequence[str | Path], rules: LoadRules, warn: Warn) -> AuditRun:
    """Audit the article at ``article_path`` against every article under ``source_paths`` (checked)."""
    article = read_audited(article_path, rules, warn)
    loaded = load_articles(source_paths, rules)
    for warning in loaded.warnings:
        warn(warning)
    result = audit(article, loaded.articles)
    check_audit(result, loaded.articles)
    for warning in result.warnings:
        warn(warning)
    return AuditRun(result, tuple(loaded.articles))


def add_audit_command(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The ``audit`` subcommand: trace a stitched article to its sources, sentence by sentence."""
    p = sub.add_parser(
        "audit",
        help="trace each sentence of an article to its source span and report defects",
        description=(
            "For every sentence of ARTICLE (a text or HTML file, or - for standard input): the source "
            "article and exact span it came from among the --sources, the match kind (verbatim, edited, "
            "paraphrase, none) and defects (no_source, off_topic, misspelling, changed_fact, "
            "misattributed_quote, dangling_reference), each with its evidence span."
        ),
    )
    p.add_argument("article", metavar="ARTICLE", help="the article to audit (file, or - for stdin)")
    p.add_argument("--sources", nargs="+", required=True, metavar="PATH", help="source files or folders")
    p.add_argument("--format", choices=("md", "json", "html"), default="md", help="output format")
    p.add_argument("--out", type=Path, metavar="FILE", help="write the report to FILE instead of standard output")
    p.add_argument("--quiet", action="store_true", help="no warnings on stderr")
    add_extraction_argument(p)
    p.set_defaults(handler=_cmd_audit)


def _cmd_audit(args: argparse.Namespace) -> int:
    """``newsroundup audit``."""
    rules = LoadRules(extraction=args.settings.extraction)

    def warn(line: str) -> None:
        if not args.quiet:
            print(f"warning: {line}", file=sys.stderr)

    run = audit_files(args.article, args.sources, rules, warn)
    report = render_audit(run.audit, args.format, run.sources)
    if args.out is None:
        sys.stdout.write(report)
        return 0
    try:
        args.out.write_text(report, encoding="utf-8")
    except OSError as exc:
        raise InputError(f"{args.out}: cannot be written ({exc.strerror or exc})") from exc
    return 0
