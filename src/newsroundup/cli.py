"""The command line: parses arguments and calls the stages; errors become one line on stderr."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from newsroundup.arguments import (
    add_aliases_argument,
    add_db_argument,
    add_extraction_argument,
    add_fetch_arguments,
    iso_datetime,
    whole_number,
)
from newsroundup.engines.commands import add_archive_command
from newsroundup.errors import NewsroundupError
from newsroundup.evaluate.commands import add_evaluate_commands
from newsroundup.pipeline.audit import add_audit_command
from newsroundup.pipeline.dbcommands import add_db_commands
from newsroundup.settings import Settings, load_settings, setting_names
from newsroundup.version import __version__
from newsroundup.web.commands import add_web_commands

if TYPE_CHECKING:

    from newsroundup.pipeline.add import AddOptions
    from newsroundup.roundup.enrich import EnrichOptions


def build_parser() -> argparse.ArgumentParser:
    """The ``newsroundup`` argument parser with all its subcommands."""
    parser = argparse.ArgumentParser(
        prog="newsroundup",
        description="Turn many news articles into cited, coherent roundups.",
    )
    parser.add_argument("--version", action="version", version=f"newsroundup {__version__}")
    parser.add_argument(
        "--config", type=Path, metavar="FILE",
        help="TOML settings file (default: $NEWSROUNDUP_CONFIG, else ./newsroundup.toml if present)",
    )
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
    p.add_argument(
        "--update", action="store_true",
        help="with --clusters: each line's 'earlier' documents were read already; say only what 'documents' add",
    )
    p.add_argument("--words", type=whole_number(1), metavar="N", help="word budget (default 100)")
    add_aliases_argument(p)
    p.add_argument("--format", choices=("md", "json", "html"), default="md", help="output format")
    p.add_argument(
        "--enrich",
        action="store_true",
        help="add key quotes, who's who, timeline and disagreements (loads spaCy; a few seconds more)",
    )
    p.add_argument("--quiet", action="store_true", help="no progress or warnings on stderr")
    p.add_argument("--db", metavar="PATH|URL", help="with --ids: the article store to read")
    p.add_argument("--ids", nargs="+", metavar="ID", help="summarize these stored articles (see `articles`)")
    add_extraction_argument(p)
    p.set_defaults(handler=_cmd_summarize)

    p = sub.add_parser("config", help="print the settings in force and where each came from")
    p.set_defaults(handler=_cmd_config)
    p = sub.add_parser("models", help="build the model files newsroundup runs on (once; kept in the cache folder)")
    msub = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    msub.add_parser("build", help="export all-MiniLM-L6-v2 to ONNX and quantize it (skips what is built)").set_defaults(
        handler=_cmd_models_build
    )

    _add_store_commands(sub)
    _add_story_commands(sub)
    add_audit_command(sub)
    add_web_commands(sub)
    add_db_commands(sub)

    add_evaluate_commands(sub)
    add_archive_command(sub)
    from newsroundup.pipeline.quotes import add_quotes_command

    add_quotes_command(sub)
    return parser


def _cmd_config(args: argparse.Namespace) -> int:
    """``newsroundup config``: defaults < config file < environment < flags, one line per setting."""
    sys.stdout.write(args.settings.describe())
    return 0


def _cmd_models_build(args: argparse.Namespace) -> int:
    """``newsroundup models build``: say what was built (or already was) and where."""
    from newsroundup.grouping.vectors import build_models

    for model in build_models():
        print(f"{'built' if model.built else 'already built'}: {model.name}: {model.path}")
    return 0


def _cmd_summarize(args: argparse.Namespace) -> int:
    """``newsroundup summarize``."""
    from newsroundup.pipeline.load import LoadRules
    from newsroundup.roundup.summarize import RoundupOptions

    settings = args.settings
    options = RoundupOptions(words=settings.words, enrich=_enrich_options(settings) if args.enrich else None)
    rules = LoadRules(extraction=settings.extraction)
    if args.clusters is not None:
        if args.paths:
            raise NewsroundupError("give either PATHs or --clusters, not both")
        from newsroundup.pipeline.batch import summarize_clusters

        for line in summarize_clusters(args.clusters, options, rules, quiet=args.quiet, update=args.update):
            sys.stdout.write(json.dumps(line, ensure_ascii=False) + "\n")
        return 0
    if args.update:
        raise NewsroundupError("summarize: --update goes with --clusters FILE")
    if not args.paths and not args.ids:
        raise NewsroundupError("summarize: give at least one PATH, --ids ID... or --clusters FILE")
    if args.paths and args.ids:
        raise NewsroundupError("summarize: give either PATHs or --ids, not both")
    from newsroundup.pipeline.summarize import roundup_of_files, roundup_of_stored
    from newsroundup.render import render

    if args.ids:
        roundup, articles = roundup_of_stored(args.settings.db, args.ids, options)
    else:
        roundup, articles = roundup_of_files(args.paths, options, rules, _warner(args.quiet))
    sys.stdout.write(render(roundup, articles, args.format))
    return 0


def _warner(quiet: bool) -> Callable[[str], None]:
    """Print each warning on stderr as ``warning: ...``, or nothing when ``quiet``."""
    from newsroundup.pipeline.progress import say

    return (lambda _line: None) if quiet else (lambda line: say(f"warning: {line}"))


def _add_store_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The ``add``, ``status`` and ``articles`` subcommands (sources and the article store)."""
    p = sub.add_parser(
        "add",
        help="add feeds, OPML, pages or files to the article store",
        description=(
            "Add SOURCEs to the store: RSS/Atom feed URLs or files, OPML files, web page URLs, saved "
            "HTML, JSONL or text files, or folders of them. Each article is stored once; wire copies "
            "are linked to the earliest copy. Failures are recorded and the rest carries on."
        ),
    )
    p.add_argument("sources", nargs="+", metavar="SOURCE", help="URL, file or folder")
    add_db_argument(p)
    add_fetch_arguments(p)
    p.add_argument(
        "--quiet", action="store_true", help="no progress bar or warnings on stderr (errors are still printed)"
    )
    p.add_argument("-v", "--verbose", action="store_true", help="log every item on stderr")
    p.set_defaults(handler=_cmd_add)

    p = sub.add_parser("status", help="what the article store holds: articles, outlets, failures, feeds")
    add_db_argument(p)
    p.add_argument("--failures", action="store_true", help="also list every failure with its reason")
    p.set_defaults(handler=_cmd_status)

    p = sub.add_parser("articles", help="list or export stored articles")
    add_db_argument(p)
    p.add_argument(
        "--since", type=iso_datetime, metavar="DATE", help="only articles published (or fetched) since DATE (ISO)"
    )
    p.add_argument("--outlet", metavar="NAME", help="only articles from this outlet")
    p.add_argument("--format", choices=("table", "jsonl"), default="table", help="output format")
    p.set_defaults(handler=_cmd_articles)


def _add_options(args: argparse.Namespace) -> AddOptions:
    """The fetching and extraction options of ``add`` and ``run``."""
    from newsroundup.pipeline.options import add_options

    return add_options(
        args.settings, args.command, allow_private=args.allow_private, ignore_robots=args.ignore_robots,
        delay=args.delay, timeout=args.timeout, retries=args.retries,
    )


def _enrich_options(settings: Settings) -> EnrichOptions:
    """Enrichment as the settings say (the alias file on top of the built-in aliases)."""
    from newsroundup.pipeline.options import enrich_options

    return enrich_options(settings)


def _cmd_add(args: argparse.Namespace) -> int:
    """``newsroundup add``: exit 0 when everything was added, 1 when some sources or items failed."""
    import logging

    from newsroundup.pipeline.add import add_sources
    from newsroundup.pipeline.progress import AddProgress
    from newsroundup.store.base import open_store

    options = _add_options(args)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.ERROR, format="%(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)  # our fetcher logs each request itself
    db = args.settings.db
    with open_store(db) as store, AddProgress(quiet=args.quiet) as progress:
        report = add_sources(args.sources, store, options, progress)
    if not args.quiet:
        print(
            f"{db}: {report.added} added ({report.copies} copies, {report.partial} partial), "
            f"{report.completed} partial completed, {report.already} already stored, "
            f"{len(report.failures)} failed, {len(report.skipped)} skipped (nothing of an article in them)",
            file=sys.stderr,
        )
    return 1 if report.failures else 0


def _cmd_status(args: argparse.Namespace) -> int:
    """``newsroundup status``."""
    from newsroundup.pipeline.show import status_report

    sys.stdout.write(status_report(args.settings.db, args.failures))
    return 0


def _cmd_articles(args: argparse.Namespace) -> int:
    """``newsroundup articles``."""
    from newsroundup.pipeline.show import articles_text

    sys.stdout.write(articles_text(args.settings.db, args.since, args.outlet, args.format))
    return 0


def _add_story_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The ``run``, ``stories`` and ``story`` subcommands (stories and the static site)."""
    p = sub.add_parser(
        "run",
        help="add sources, group articles into stories, refresh roundups and write the site",
        description=(
            "Add SOURCEs (as `add` does), place new articles into stories, write a new roundup version "
            "for each story whose articles changed, and write the web app's pages as a static site (home, "
            "story, article and entity pages, one JSON file per story, Atom feed) into --out, rewriting only "
            "pages that changed."
        ),
    )
    p.add_argument("sources", nargs="*", metavar="SOURCE", help="URL, file or folder (none: just refresh)")
    add_db_argument(p)
    p.add_argument("--out", type=Path, default=Path("roundups"), metavar="DIR", help="site folder (default ./roundups)")
    p.add_argument("--words", type=whole_number(1), metavar="N", help="word budget per roundup (default 100)")
    add_aliases_argument(p)
    p.add_argument(
        "--no-enrich", action="store_true", help="no key quotes, who's who or timeline (skips loading spaCy)"
    )
    p.add_argument(
        "--regroup",
        action="store_true",
        help="group every stored article again from an empty state (done by itself when the saved one is unreadable)",
    )
    add_fetch_arguments(p)
    p.add_argument(
        "--quiet", action="store_true", help="no progress, warnings or story lines on stderr (errors are still printed)"
    )
    p.set_defaults(handler=_cmd_run)

    p = sub.add_parser("stories", help="list stories: id, headline, articles, independent sources, dates")
    add_db_argument(p)
    p.add_argument("--since", type=iso_datetime, metavar="DATE", help="only stories seen since DATE (ISO)")
    p.add_argument(
        "--min-sources", type=whole_number(0), default=0, metavar="N", help="only stories with N+ independent outlets"
    )
    p.add_argument("--format", choices=("table", "json"), default="table", help="output format")
    p.set_defaults(handler=_cmd_stories)

    p = sub.add_parser(
        "story", help="one story's roundup; --changes: what is new since its last version; --why: why it is one story"
    )
    p.add_argument("story_id", metavar="ID", help="story id (see `newsroundup stories`)")
    add_db_argument(p)
    p.add_argument("--changes", action="store_true", help="also show what changed since the previous version")
    p.add_argument("--why", action="store_true",
                   help="why these articles are together: what each shares with the others, the nearest other story")
    p.add_argument(
        "--since", metavar="VERSION|DATE",
        help="what's new: a cited summary of what the story's newer articles add since roundup VERSION or DATE (ISO)",
    )
    p.add_argument("--format", choices=("md", "json", "html"), default="md", help="output format")
    p.set_defaults(handler=_cmd_story)


def _cmd_run(args: argparse.Namespace) -> int:
    """``newsroundup run``: exit 0 unless a source or item failed (stories without a roundup are reported)."""
    import logging

    from newsroundup.pipeline.options import grouping_options
    from newsroundup.pipeline.progress import AddProgress, say
    from newsroundup.pipeline.run import RunOptions, run
    from newsroundup.store.base import open_store

    enrich = None if args.no_enrich else _enrich_options(args.settings)
    grouping = grouping_options(args.settings)
    options = RunOptions(
        words=args.settings.words, enrich=enrich, add=_add_options(args), regroup=args.regroup, grouping=grouping
    )

    logging.basicConfig(level=logging.ERROR, format="%(message)s")  # failures are printed once, by progress

    def notify(line: str) -> None:
        if not args.quiet:
            say(f"newsroundup: {line}")

    with open_store(args.settings.db) as store, AddProgress(quiet=args.quiet) as progress:
        report = run(args.sources, store, args.out, options, add_progress=progress, notify=notify)
    if report.site is not None and not args.quiet:
        print(f"newsroundup: open {report.site.index.resolve().as_uri()}", file=sys.stderr)
    return 1 if report.failed else 0


def _cmd_stories(args: argparse.Namespace) -> int:
    """``newsroundup stories``."""
    from newsroundup.pipeline.show import stories_text

    sys.stdout.write(stories_text(args.settings.db, args.since, args.min_sources, args.format))
    return 0


def _cmd_story(args: argparse.Namespace) -> int:
    """``newsroundup story``."""
    from newsroundup.pipeline.show import story_text, story_why_text, whats_new_text

    if args.why:
        if args.changes or args.since is not None:
            raise NewsroundupError("story: give --why alone, not with --changes or --since")
        sys.stdout.write(story_why_text(args.settings.db, args.story_id, args.format))
        return 0
    if args.since is not None:
        if args.changes:
            raise NewsroundupError("story: give either --changes or --since, not both")
        from newsroundup.roundup.summarize import RoundupOptions

        options = RoundupOptions(words=args.settings.words)
        sys.stdout.write(whats_new_text(args.settings.db, args.story_id, args.since, args.format, options))
        return 0
    sys.stdout.write(story_text(args.settings.db, args.story_id, args.format, changes=args.changes))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the process exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        flags = {name: getattr(args, name, None) for name in setting_names()}
        args.settings = load_settings(os.environ, flags, config=args.config)
        restore = _configure_models(args.settings)
        try:
            return int(args.handler(args))
        finally:
            restore()
    except NewsroundupError as exc:
        from newsroundup.render.markdown import terminal_text

        print(f"newsroundup: error: {terminal_text(str(exc))}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("newsroundup: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


def _configure_models(settings: Settings) -> Callable[[], None]:
    """Hand the model loaders and the evaluation cache their settings (they read no environment).

    Returns what puts the previous ones back, so that a command run in-process (tests) leaves none behind.
    """
    from newsroundup.annotate import nlp, parses
    from newsroundup.evaluate import cache
    from newsroundup.grouping import vectors

    models = vectors.configure(vectors.ModelSettings(threads=settings.embed_threads, cache=settings.cache))
    helper = nlp.configure(parse_helper=settings.parse_helper)
    root = cache.configure(settings.cache)
    kept = parses.configure(parses.cache_settings(settings.cache, settings.parse_cache_mb))

    def restore() -> None:
        vectors.configure(models)
        nlp.configure(helper)
        cache.configure(root)
        parses.configure(kept)

    return restore
