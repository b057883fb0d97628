"""``newsroundup audit``: an article file (or standard input) and source files → its audit, and the command."""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from newsroundup.annotate.aliases import BUILTIN_ALIASES, AliasTable, alias_table
from newsroundup.arguments import add_fetch_arguments
from newsroundup.audit import audit, check_audit
from newsroundup.errors import InputError, SourceError
from newsroundup.model import Article, Audit
from newsroundup.pipeline.load import LoadRules, Warn, article_from_file, file_bytes, load_articles
from newsroundup.pipeline.progress import say
from newsroundup.render.audit import render_audit
from newsroundup.sources.files import FEED_SUFFIXES, file_text
from newsroundup.sources.urls import is_web_url
from newsroundup.text.sentences import split_sentences

if TYPE_CHECKING:  # fetching (httpx) is imported only when a URL is given: audit of files starts faster
    from newsroundup.sources.fetch import Fetched, Fetcher, FetchOptions


def read_audited(path: str, rules: LoadRules, warn: Warn, fetch: FetchOptions | None = None) -> Article:
    """The article to audit from a text or HTML file, ``-`` for standard input, or an http(s) URL (fetched with
    the guards of ``add``: address checks, robots.txt, size caps; ``fetch``); ``InputError`` when unusable."""
    if is_web_url(path):
        with _fetcher(fetch) as fetcher:
            return _page(fetcher, path, rules, warn)  # a SourceError is a one-line InputError
    if path == "-":
        data, where = sys.stdin.buffer.read(), Path("stdin.txt")
    else:
        where = Path(path)
        if not where.is_file():
            raise InputError(f"{path}: no such file")
        data = where.read_bytes()
    text = file_text(data, path)
    return article_from_file(where, text, rules, warn)


@dataclass(frozen=True, slots=True)
class AuditRun:
    """An audit and the source articles it was made against (the HTML report shows them in context)."""

    audit: Audit
    sources: tuple[Article, ...]


def audit_files(
    article_path: str,
    source_paths: Sequence[str | Path],
    rules: LoadRules,
    warn: Warn,
    fetch: FetchOptions | None = None,
    aliases: AliasTable = BUILTIN_ALIASES,
) -> AuditRun:
    """Audit the article at ``article_path`` against every article under ``source_paths`` (checked)."""
    article = read_audited(article_path, rules, warn, fetch)
    sources = load_sources(source_paths, rules, warn, fetch)
    result = audit(article, sources, aliases)
    check_audit(result, sources)
    for warning in result.warnings:
        warn(warning)
    return AuditRun(result, tuple(sources))


def load_sources(
    source_paths: Sequence[str | Path], rules: LoadRules, warn: Warn, fetch: FetchOptions | None = None
) -> list[Article]:
    """The source articles: files, folders and JSONL as ``summarize`` reads them; and, as ``add`` takes them,
    http(s) URLs of pages or feeds and feed files (a feed's entries, each from its page when it can be fetched,
    else from the feed's own text). A page or feed that cannot be fetched or has no article is left out, with a
    warning; the others are still used."""
    urls = [str(p) for p in source_paths if is_web_url(str(p))]
    feeds = [Path(p) for p in source_paths if not is_web_url(str(p)) and Path(p).suffix.lower() in FEED_SUFFIXES]
    paths = [p for p in source_paths if not is_web_url(str(p)) and Path(p) not in feeds]
    sources: list[Article] = []
    if paths or not (urls or feeds):
        loaded = load_articles(paths, rules)
        for warning in loaded.warnings:
            warn(warning)
        sources += loaded.articles
    problems: list[str] = []
    if urls or feeds:
        with _fetcher(fetch) as fetcher:
            for source in [*urls, *feeds]:
                try:
                    sources += _fetched_sources(fetcher, str(source), rules, warn)
                except SourceError as exc:
                    problems.append(str(exc))
                    warn(f"{exc} (left out of the sources)")
    if not sources:
        raise InputError(f"no usable sources: {'; '.join(problems)}")
    return sources


def _fetched_sources(fetcher: Fetcher, source: str, rules: LoadRules, warn: Warn) -> list[Article]:
    """The articles of a page or feed URL, or of a feed file: a page's article, or a feed's entries."""
    from newsroundup.pipeline.fetched import entry_article, feed_entries, feed_outlet, page_article
    from newsroundup.sources.feeds import document_kind, parse_feed

    if is_web_url(source):
        fetched = fetcher.get(source)
        data, content_type = fetched.content, fetched.content_type
    else:
        data, content_type = file_bytes(Path(source), rules.max_file_bytes), ""
    if document_kind(data, content_type) != "feed":
        if not is_web_url(source):
            raise SourceError(f"{source}: not an RSS or Atom feed", "bad-feed")
        return [page_article(source, fetched, rules, warn)]
    feed = parse_feed(data, source, content_type)
    outlet = feed_outlet(feed)
    articles = []
    for entry in feed_entries(feed, source, rules.max_feed_items, warn):
        page: Fetched | SourceError | None = None
        if entry.link:
            try:
                page = fetcher.get(entry.link)
            except SourceError as exc:
                page = exc
        article, _, problem = entry_article(entry, page, outlet, rules, warn)
        if problem is not None:
            warn(f"{problem} ({'the feed text is used' if article else 'left out of the sources'})")
        if article is not None:
            articles.append(article)
    if not articles:
        raise SourceError(f"{source}: the feed has no entry with article text", "no-article")
    return articles


def _fetcher(fetch: FetchOptions | None) -> Fetcher:
    """A fetcher with ``add``'s guards (fetching is imported only when a URL is given)."""
    from newsroundup.sources.fetch import Fetcher, FetchOptions

    return Fetcher(fetch or FetchOptions())


def _page(fetcher: Fetcher, url: str, rules: LoadRules, warn: Warn) -> Article:
    """The article of the page at ``url``, fetched and extracted as ``add`` does."""
    from newsroundup.pipeline.fetched import page_article

    return page_article(url, fetcher.get(url), rules, warn)


_WORD = re.compile(r"[^\W\d_]{4,}")
CANDIDATES_PER_QUERY = 5
QUERY_WORDS = 5  # words per query, all required: enough to pick out the sentence among 100,000 articles
MAX_STORED_SOURCES = 100


class ArticleFound(Protocol):
    """A search hit: the id of the article found."""

    @property
    def article(self) -> str: ...


class ArticleSearch(Protocol):
    """What a store-backed audit needs: full-text search over stored articles, and the articles."""

    def search_articles(self, text: str, limit: int = 20) -> Sequence[ArticleFound]: ...
    def articles_by_id(self, ids: Sequence[str], /) -> Sequence[Article]: ...


def stored_candidates(store: ArticleSearch, article: Article, limit: int = MAX_STORED_SOURCES) -> list[Article]:
    """The stored articles that may hold a sentence of ``article``, found through the store's full-text index.

    Each sentence asks twice (its five longest words, all required, then the next five), so a sentence with
    one word changed or misspelt is still found by the other query; the audit then aligns against these
    only, however large the store.
    """
    found: dict[str, None] = {}
    for span in split_sentences(article.text):
        words = sorted(set(_WORD.findall(article.text[span.start : span.end])), key=lambda w: (-len(w), w))
        for group in (words[:QUERY_WORDS], words[QUERY_WORDS : 2 * QUERY_WORDS]):
            if len(group) < 2:
                continue
            for hit in store.search_articles(" ".join(group), limit=CANDIDATES_PER_QUERY):
                if hit.article != article.id:
                    found.setdefault(hit.article)
        if len(found) >= limit:
            break
    return list(store.articles_by_id(list(found)[:limit]))


def audit_stored(
    store: ArticleSearch, article: Article, extra: Sequence[Article] = (), aliases: AliasTable = BUILTIN_ALIASES
) -> AuditRun:
    """Audit ``article`` against the stored articles that may hold its sentences (and ``extra`` sources); checked."""
    sources = [*extra, *(a for a in stored_candidates(store, article) if a.id not in {e.id for e in extra})]
    result = audit(article, sources, aliases)
    check_audit(result, sources)
    return AuditRun(result, tuple(sources))


def add_audit_command(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The ``audit`` subcommand: trace a stitched article to its sources, sentence by sentence."""
    p = sub.add_parser(
        "audit",
        help="trace each sentence of an article to its source span and report defects",
        description=(
            "For every sentence of ARTICLE (a text or HTML file, - for standard input, or an http(s) URL "
            "fetched as add fetches pages): the source "
            "article and exact span it came from among the sources (--against), the match kind (verbatim, edited, "
            "paraphrase, none) and defects (no_source, off_topic, misspelling, changed_fact, "
            "misattributed_quote, dangling_reference, aliases, stale), each with its evidence span."
        ),
    )
    p.add_argument("article", metavar="ARTICLE", help="the article to audit (file, - for stdin, or URL)")
    p.add_argument(
        "--against", "--sources", dest="sources", nargs="+", default=[], metavar="SOURCE",
        help="source files, folders, JSONL or page URLs (--sources is the same option)",
    )
    p.add_argument(
        "--db", metavar="PATH|URL",
        help="also audit against the article store (candidates found through its full-text index)",
    )
    p.add_argument("--format", choices=("md", "json", "html"), default="md", help="output format")
    p.add_argument("--out", type=Path, metavar="FILE", help="write the report to FILE instead of standard output")
    p.add_argument("--quiet", action="store_true", help="no warnings on stderr")
    add_fetch_arguments(p)
    p.set_defaults(handler=_cmd_audit)


def _cmd_audit(args: argparse.Namespace) -> int:
    """``newsroundup audit``."""
    rules = LoadRules(extraction=args.settings.extraction)
    fetch = None
    if any(is_web_url(str(p)) for p in (args.article, *args.sources)):
        from newsroundup.pipeline.options import add_options  # as add fetches; imported only for a URL

        fetch = add_options(
            args.settings, "audit", allow_private=args.allow_private, ignore_robots=args.ignore_robots,
            delay=args.delay, timeout=args.timeout, retries=args.retries,
        ).fetch

    def warn(line: str) -> None:
        if not args.quiet:
            say(f"warning: {line}")

    aliases = alias_table(args.settings.aliases)
    if not args.sources and args.db is None:
        raise InputError("audit: give --against SOURCE... and/or --db PATH")
    if args.db is None:
        run = audit_files(args.article, args.sources, rules, warn, fetch, aliases)
    else:
        from newsroundup.store.base import open_store

        article = read_audited(args.article, rules, warn, fetch)
        sources = load_sources(args.sources, rules, warn, fetch) if args.sources else []
        with open_store(args.db, existing=True) as store:
            run = audit_stored(store, article, sources, aliases)
        for warning in run.audit.warnings:
            warn(warning)
    report = render_audit(run.audit, args.format, run.sources)
    if args.out is None:
        sys.stdout.write(report)
        return 0
    try:
        args.out.write_text(report, encoding="utf-8")
    except OSError as exc:
        raise InputError(f"{args.out}: cannot be written ({exc.strerror or exc})") from exc
    return 0
