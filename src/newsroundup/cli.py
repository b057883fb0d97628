"""The command line: parses arguments and calls the stages; errors become one line on stderr."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from newsroundup.errors import NewsroundupError
from newsroundup.settings import Settings, load_settings, setting_names
from newsroundup.version import __version__

if TYPE_CHECKING:
    from datetime import datetime

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
    p.add_argument("--words", type=int, metavar="N", help="word budget (default 100)")
    _add_aliases_argument(p)
    p.add_argument("--format", choices=("md", "json", "html"), default="md", help="output format")
    p.add_argument(
        "--enrich",
        action="store_true",
        help="add key quotes, who's who, timeline and disagreements (loads spaCy; a few seconds more)",
    )
    p.add_argument("--quiet", action="store_true", help="no progress or warnings on stderr")
    p.add_argument("--db", type=Path, metavar="PATH", help="with --ids: the article store to read")
    p.add_argument("--ids", nargs="+", metavar="ID", help="summarize these stored articles (see `articles`)")
    _add_extraction_argument(p)
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
    _add_web_commands(sub)

    p = sub.add_parser("evaluate", help="score newsroundup against benchmark data and peers")
    esub = p.add_subparsers(dest="benchmark", metavar="BENCHMARK")
    esub.required = True
    e = esub.add_parser(
        "duc2004",
        help="DUC 2004 Task 2: ROUGE and coherence vs. sumy and 13 published systems",
    )
    e.add_argument("--data", type=Path, help="folder with clusters.jsonl and peers.jsonl")
    e.add_argument("--words", dest="eval_words", type=int, default=100, metavar="N", help="word budget (default 100)")
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
    e = esub.add_parser(
        "stories",
        help="story grouping on DUC 2004 as one shuffled stream: B-cubed vs. two batch baselines",
    )
    e.add_argument("--data", type=Path, help="folder with clusters.jsonl")
    e.add_argument("--shuffles", type=int, default=5, metavar="N", help="shuffled streams (default 5)")
    e.add_argument("--seed", type=int, default=0, help="seed of the first shuffle (default 0)")
    e.add_argument(
        "--events",
        choices=("all", "tune", "held-out"),
        default="all",
        help="all events, or one half of them, alternately by id: tune (1st, 3rd, ...) or held-out (default all)",
    )
    e.add_argument(
        "--out",
        type=Path,
        default=Path("benchmarks/results/stories.json"),
        help="where to write the JSON results (default benchmarks/results/stories.json)",
    )
    e.add_argument("--quiet", action="store_true", help="no progress on stderr")
    e.set_defaults(handler=_cmd_evaluate_stories)
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

        for line in summarize_clusters(args.clusters, options, rules, quiet=args.quiet):
            sys.stdout.write(json.dumps(line, ensure_ascii=False) + "\n")
        return 0
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
    return (lambda _line: None) if quiet else (lambda line: print(f"warning: {line}", file=sys.stderr))


def _add_store_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The ``add``, ``status`` and ``articles`` subcommands (sources and the article store)."""
    db_help = "article store (default: $NEWSROUNDUP_DB, else ./newsroundup.db)"
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
    p.add_argument("--db", type=Path, metavar="PATH", help=db_help)
    _add_fetch_arguments(p)
    p.add_argument("--quiet", action="store_true", help="no progress bar or error lines on stderr")
    p.add_argument("-v", "--verbose", action="store_true", help="log every item on stderr")
    p.set_defaults(handler=_cmd_add)

    p = sub.add_parser("status", help="what the article store holds: articles, outlets, failures, feeds")
    p.add_argument("--db", type=Path, metavar="PATH", help=db_help)
    p.add_argument("--failures", action="store_true", help="also list every failure with its reason")
    p.set_defaults(handler=_cmd_status)

    p = sub.add_parser("articles", help="list or export stored articles")
    p.add_argument("--db", type=Path, metavar="PATH", help=db_help)
    p.add_argument("--since", metavar="DATE", help="only articles published (or fetched) since DATE (ISO)")
    p.add_argument("--outlet", metavar="NAME", help="only articles from this outlet")
    p.add_argument("--format", choices=("table", "jsonl"), default="table", help="output format")
    p.set_defaults(handler=_cmd_articles)


def _add_fetch_arguments(p: argparse.ArgumentParser) -> None:
    """How sources are fetched and extracted: the options ``add`` and ``run`` share."""
    p.add_argument(
        "--allow-private", action="store_true", help="allow fetching from loopback and private networks"
    )
    p.add_argument("--ignore-robots", action="store_true", help="do not obey robots.txt")
    p.add_argument("--delay", type=float, default=1.0, metavar="S", help="seconds between requests to a host")
    p.add_argument("--timeout", type=float, default=20.0, metavar="S", help="seconds allowed per response")
    p.add_argument("--retries", type=int, default=2, metavar="N", help="retries after 5xx or timeouts")
    _add_extraction_argument(p)


def _add_extraction_argument(p: argparse.ArgumentParser) -> None:
    """How pages are extracted: the same choice for every command that reads articles."""
    p.add_argument(
        "--extraction",
        choices=("precision", "default", "recall", "fast"),
        help="trafilatura trade-off for pages (default: precision, best in benchmarks)",
    )


def _add_aliases_argument(p: argparse.ArgumentParser) -> None:
    """The alias file that enrichment reads on top of the built-in aliases."""
    p.add_argument(
        "--aliases", type=Path, metavar="FILE", help="TOML alias file: [[entity]] name, kind, aliases (enrichment)"
    )


def _enrich_options(settings: Settings) -> EnrichOptions:
    """Enrichment as the settings say: the built-in aliases, with the alias file on top when one is set."""
    from newsroundup.annotate.aliases import load_alias_file
    from newsroundup.roundup.enrich import EnrichOptions

    return EnrichOptions(aliases=load_alias_file(settings.aliases)) if settings.aliases else EnrichOptions()


def _add_options(args: argparse.Namespace) -> AddOptions:
    """The fetching and extraction options given on the command line."""
    from newsroundup.pipeline.add import AddOptions
    from newsroundup.pipeline.load import LoadRules
    from newsroundup.sources.fetch import FetchOptions

    if args.delay < 0 or args.timeout <= 0 or args.retries < 0:
        raise NewsroundupError(f"{args.command}: --delay and --retries must be >= 0, --timeout > 0")
    fetch = FetchOptions(
        allow_private=args.allow_private,
        respect_robots=not args.ignore_robots,
        delay=args.delay,
        timeout=args.timeout,
        retries=args.retries,
    )
    return AddOptions(fetch=fetch, load=LoadRules(extraction=args.settings.extraction))


def _cmd_add(args: argparse.Namespace) -> int:
    """``newsroundup add``: exit 0 when everything was added, 1 when some sources or items failed."""
    import logging

    from newsroundup.pipeline.add import add_sources
    from newsroundup.pipeline.progress import AddProgress
    from newsroundup.store import Store

    options = _add_options(args)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.ERROR, format="%(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)  # our fetcher logs each request itself
    db = args.settings.db
    with Store(db) as store, AddProgress(quiet=args.quiet) as progress:
        report = add_sources(args.sources, store, options, progress)
    if not args.quiet:
        print(
            f"{db}: {report.added} added ({report.copies} copies, {report.partial} partial), "
            f"{report.completed} partial completed, {report.already} already stored, "
            f"{len(report.failures)} failed",
            file=sys.stderr,
        )
    return 1 if report.failures else 0


def _cmd_status(args: argparse.Namespace) -> int:
    """``newsroundup status``."""
    from newsroundup.store import Store
    from newsroundup.store.views import failures_text, status_text

    db = args.settings.db
    with Store.existing(db) as store:
        sys.stdout.write(status_text(store.status(), str(db)))
        if args.failures:
            sys.stdout.write(failures_text(store.failures()))
    return 0


def _since(args: argparse.Namespace) -> datetime | None:
    """The ``--since`` of ``articles`` and ``stories`` as a datetime; a one-line error if it is no ISO date."""
    from newsroundup.text.dates import parse_iso_datetime

    if not args.since:
        return None
    try:
        return parse_iso_datetime(args.since)
    except ValueError as exc:
        raise NewsroundupError(f"{args.command}: --since {args.since!r} is not an ISO date") from exc


def _cmd_articles(args: argparse.Namespace) -> int:
    """``newsroundup articles``."""
    from newsroundup.store import Store
    from newsroundup.store.views import articles_jsonl, articles_table

    since = _since(args)
    with Store.existing(args.settings.db) as store:
        articles = store.articles(since=since, outlet=args.outlet)
    if args.format == "jsonl":
        sys.stdout.writelines(articles_jsonl(articles))
    else:
        sys.stdout.write(articles_table(articles))
    return 0


def _add_story_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The ``run``, ``stories`` and ``story`` subcommands (stories and the static site)."""
    db_help = "article store (default: $NEWSROUNDUP_DB, else ./newsroundup.db)"
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
    p.add_argument("--db", type=Path, metavar="PATH", help=db_help)
    p.add_argument("--out", type=Path, default=Path("roundups"), metavar="DIR", help="site folder (default ./roundups)")
    p.add_argument("--words", type=int, metavar="N", help="word budget per roundup (default 100)")
    _add_aliases_argument(p)
    p.add_argument(
        "--no-enrich", action="store_true", help="no key quotes, who's who or timeline (skips loading spaCy)"
    )
    p.add_argument(
        "--regroup",
        action="store_true",
        help="group every stored article again from an empty state (done by itself when the saved one is unreadable)",
    )
    _add_fetch_arguments(p)
    p.add_argument("--quiet", action="store_true", help="no progress on stderr")
    p.set_defaults(handler=_cmd_run)

    p = sub.add_parser("stories", help="list stories: id, headline, articles, independent sources, dates")
    p.add_argument("--db", type=Path, metavar="PATH", help=db_help)
    p.add_argument("--since", metavar="DATE", help="only stories seen since DATE (ISO)")
    p.add_argument("--min-sources", type=int, default=0, metavar="N", help="only stories with N+ independent outlets")
    p.add_argument("--format", choices=("table", "json"), default="table", help="output format")
    p.set_defaults(handler=_cmd_stories)

    p = sub.add_parser("story", help="one story's roundup, and with --changes what is new since its last version")
    p.add_argument("story_id", metavar="ID", help="story id (see `newsroundup stories`)")
    p.add_argument("--db", type=Path, metavar="PATH", help=db_help)
    p.add_argument("--changes", action="store_true", help="also show what changed since the previous version")
    p.add_argument("--format", choices=("md", "json", "html"), default="md", help="output format")
    p.set_defaults(handler=_cmd_story)


def _cmd_run(args: argparse.Namespace) -> int:
    """``newsroundup run``: exit 0 when everything worked, 1 when a source, item or roundup failed."""
    import logging

    from newsroundup.pipeline.progress import AddProgress
    from newsroundup.pipeline.run import RunOptions, run
    from newsroundup.store import Store

    enrich = None if args.no_enrich else _enrich_options(args.settings)
    options = RunOptions(words=args.settings.words, enrich=enrich, add=_add_options(args), regroup=args.regroup)

    logging.basicConfig(level=logging.ERROR, format="%(message)s")  # failures are printed once, by progress

    def notify(line: str) -> None:
        if not args.quiet:
            print(f"newsroundup: {line}", file=sys.stderr)

    with Store(args.settings.db) as store, AddProgress(quiet=args.quiet) as progress:
        report = run(args.sources, store, args.out, options, add_progress=progress, notify=notify)
    if report.site is not None and not args.quiet:
        print(f"newsroundup: open {report.site.index.resolve().as_uri()}", file=sys.stderr)
    return 1 if report.failed else 0


def _cmd_stories(args: argparse.Namespace) -> int:
    """``newsroundup stories``."""
    from newsroundup.render.stories import stories_table, story_record
    from newsroundup.store import Store

    since = _since(args)
    with Store.existing(args.settings.db) as store:
        rows = store.story_rows(since=since, min_sources=args.min_sources)
    if args.format == "json":
        sys.stdout.writelines(json.dumps(story_record(r), ensure_ascii=False) + "\n" for r in rows)
    else:
        sys.stdout.write(stories_table(rows))
    return 0


def _cmd_story(args: argparse.Namespace) -> int:
    """``newsroundup story``."""
    from newsroundup.render import render, roundup_to_dict
    from newsroundup.render.stories import changes_markdown, changes_to_dict, roundup_changes, story_record
    from newsroundup.store import Store

    with Store.existing(args.settings.db) as store:
        row = store.story_row(args.story_id)
        versions = store.roundup_versions(row.id, limit=2)
        if not versions:
            raise NewsroundupError(f"story {row.id} has no roundup yet (run `newsroundup run`)")
        articles = store.articles_by_id(store.story_article_ids(row.id)) if args.format == "html" else []
    latest = versions[0]
    previous = versions[1] if len(versions) > 1 else None
    changes = roundup_changes(
        latest.roundup, latest.version, previous.roundup if previous else None, previous.version if previous else None
    )
    if args.format == "json":
        data = {"story": story_record(row), "roundup": roundup_to_dict(latest.roundup)}
        if args.changes:
            data["changes"] = changes_to_dict(changes)
        sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    elif args.format == "html":
        if args.changes:
            raise NewsroundupError("story: --changes is shown with --format md or json")
        sys.stdout.write(render(latest.roundup, articles, "html"))
    else:
        sys.stdout.write(render(latest.roundup, [], "md"))
        if args.changes:
            sys.stdout.write("\n" + changes_markdown(changes))
    return 0


def _add_web_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The ``serve`` and ``export`` subcommands (the web app and its pages as a static site)."""
    db_help = "article store (default: $NEWSROUNDUP_DB, else ./newsroundup.db)"
    p = sub.add_parser(
        "serve",
        help="serve stories, roundups, search and the JSON API over HTTP",
        description=(
            "Serve the store's stories as web pages and a JSON API under /api/v1 (schema at /openapi.json). "
            "Read-only unless a token is given: then POST /api/v1/admin/sources and /api/v1/admin/run "
            "accept `Authorization: Bearer TOKEN`."
        ),
    )
    p.add_argument("--db", type=Path, metavar="PATH", help=db_help)
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this machine only)")
    p.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000; 0: any free port)")
    p.add_argument("--token", metavar="TOKEN", help="enable admin actions with this token (or $NEWSROUNDUP_TOKEN)")
    _add_aliases_argument(p)
    p.add_argument("--access-log", action="store_true", help="log every request on stderr")
    p.set_defaults(handler=_cmd_serve)

    p = sub.add_parser("export", help="write the web app's pages as a static site (as `run --out` does)")
    p.add_argument("--db", type=Path, metavar="PATH", help=db_help)
    p.add_argument("--site", type=Path, required=True, metavar="DIR", help="folder to write the site into")
    p.set_defaults(handler=_cmd_export)


def _cmd_serve(args: argparse.Namespace) -> int:
    """``newsroundup serve``: runs until interrupted."""
    from newsroundup.web.server import serve

    if not 0 <= args.port <= 65535:
        raise NewsroundupError(f"serve: --port {args.port} is not a port number (0-65535)")
    settings = args.settings
    serve(
        settings.db, host=args.host, port=args.port, token=settings.token, access_log=args.access_log,
        enrich=_enrich_options(settings),
    )
    return 0


def _cmd_export(args: argparse.Namespace) -> int:
    """``newsroundup export``."""
    from newsroundup.render.site import write_site
    from newsroundup.store import Store

    with Store.existing(args.settings.db) as store:
        report = write_site(store, args.site)
    print(
        f"newsroundup: {report.index} ({report.stories} stories, {report.articles} articles, "
        f"{report.entities} entities; {report.written} pages written)",
        file=sys.stderr,
    )
    return 0


def _cmd_evaluate_duc2004(args: argparse.Namespace) -> int:
    """``newsroundup evaluate duc2004``."""
    from newsroundup.evaluate.duc2004 import evaluate_duc2004, format_table

    results = evaluate_duc2004(
        data_dir=args.settings.data,
        words=args.eval_words,
        limit=args.limit,
        with_sumy=not args.no_sumy,
        quiet=args.quiet,
    )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(format_table(results))
    print(f"results written to {args.out}", file=sys.stderr)
    return 0


def _cmd_evaluate_stories(args: argparse.Namespace) -> int:
    """``newsroundup evaluate stories``."""
    from newsroundup.evaluate.stories import evaluate_stories, format_table

    if args.shuffles < 1:
        raise NewsroundupError(f"--shuffles must be a positive number, not {args.shuffles}")
    results = evaluate_stories(
        data_dir=args.settings.data, shuffles=args.shuffles, seed=args.seed, events=args.events, quiet=args.quiet
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
        flags = {name: getattr(args, name, None) for name in setting_names()}
        args.settings = load_settings(os.environ, flags, config=args.config)
        restore = _configure_models(args.settings)
        try:
            return int(args.handler(args))
        finally:
            restore()
    except NewsroundupError as exc:
        print(f"newsroundup: error: {exc}", file=sys.stderr)
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
    from newsroundup.annotate import nlp
    from newsroundup.evaluate import cache
    from newsroundup.grouping import vectors

    models = vectors.configure(vectors.ModelSettings(threads=settings.embed_threads, cache=settings.cache))
    helper = nlp.configure(parse_helper=settings.parse_helper)
    root = cache.configure(settings.cache)

    def restore() -> None:
        vectors.configure(models)
        nlp.configure(helper)
        cache.configure(root)

    return restore
