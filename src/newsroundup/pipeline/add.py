"""``newsroundup add``: feeds, OPML, pages and files become stored articles, once each, copies linked."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from newsroundup.errors import InputError, SourceError
from newsroundup.grouping.copies import signature_of
from newsroundup.pipeline.fetched import entry_article, feed_entries, feed_outlet, page_aliases, page_article
from newsroundup.pipeline.keep import AddReport, Keeper, Progress
from newsroundup.pipeline.load import LoadRules, article_from_file, article_from_line, file_bytes
from newsroundup.sources.feeds import Feed, FeedEntry, document_kind, parse_feed, parse_opml
from newsroundup.sources.fetch import Fetched, Fetcher, FetchOptions
from newsroundup.sources.files import (
    FEED_SUFFIXES,
    HTML_SUFFIXES,
    JSONL_SUFFIXES,
    OPML_SUFFIXES,
    TEXT_SUFFIXES,
    NothingLeft,
    file_text,
)
from newsroundup.sources.identity import fingerprint
from newsroundup.sources.jsonl import jsonl_lines
from newsroundup.sources.urls import canonical_url, is_web_url
from newsroundup.store.base import ArticleSink

log = logging.getLogger(__name__)

ROBOTS_MAX_AGE = timedelta(hours=24)  # RFC 9309: a robots.txt may be cached for up to a day
PAGE_ATTEMPTS = 3  # a partial article's page is tried again on this many polls of its feed
JSONL_CHUNK_BYTES = 16 * 2**20  # a JSONL file is read and decoded this much at a time
_ALL_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES | FEED_SUFFIXES | OPML_SUFFIXES


@dataclass(frozen=True)
class AddOptions:
    """How ``add`` fetches and extracts."""

    fetch: FetchOptions = field(default_factory=FetchOptions)
    load: LoadRules = field(default_factory=LoadRules)  # extraction and size cap, as for every command
    workers: int = 8  # pages fetched at once (the per-host limit still applies)
    # A partial article's page is tried again when its feed is polled this long after the last try
    # (so that quick re-polls of unchanged feeds still send nothing but conditional requests).
    retry_partial_after: timedelta = timedelta(hours=1)


def add_sources(
    sources: Sequence[str],
    sink: ArticleSink,
    options: AddOptions | None = None,
    progress: Progress | None = None,
) -> AddReport:
    """Add every source (URL, file or folder) to ``sink``; failures are recorded, never raised."""
    options = options or AddOptions()
    robots = sink.robots_since(datetime.now(UTC) - ROBOTS_MAX_AGE)
    with Fetcher(options.fetch, robots=robots) as fetcher:
        adder = _Adder(sink, fetcher, options, progress or (lambda _item, _outcome: None))
        try:
            for source in sources:
                adder.add_source(source)
        finally:
            sink.save_robots(fetcher.fetched_robots())
        adder.report.requests = fetcher.requests
    return adder.report


class _Adder:
    """One run of ``add``: walks sources, feeds and OPML lists, fetching with the fetcher; the keeper stores."""

    def __init__(self, sink: ArticleSink, fetcher: Fetcher, options: AddOptions, progress: Progress) -> None:
        self.sink = sink
        self.fetcher = fetcher
        self.options = options
        self.progress = progress
        self.keeper = Keeper(sink, progress)
        self.report = self.keeper.report
        self._lists_read: set[str] = set()  # OPML lists expanded in this run: one that lists itself stops here

    # -- sources --------------------------------------------------------------------------------

    def add_source(self, source: str) -> None:
        """Add one command-line SOURCE."""
        try:
            if is_web_url(source):
                self._add_url(source)
                return
            path = Path(source)
            if path.is_dir():
                files = sorted(_files_under(path))
                if not files:
                    raise SourceError(f"{path}: folder has no article, feed or OPML files", "empty")
                for file in files:
                    self.add_source(str(file))
            elif path.is_file():
                self._add_file(path)
            else:
                raise SourceError(f"{source}: no such file or folder, and not an http(s) URL", "missing")
        except SourceError as exc:
            self.keeper.fail(source, "", exc)
        except Exception as exc:  # a bug or a library's surprise must not sink the rest of the batch
            log.info("unexpected error on %s", source, exc_info=True)
            self.keeper.fail(source, "", _unexpected(source, exc))

    def _add_url(self, url: str) -> None:
        """Fetch a URL and add it as a feed, an OPML list or a page, whichever it turns out to be."""
        state = self.sink.feed_state(url)
        if state is None and self.sink.article_for_url(canonical_url(url)) is not None:
            self.report.already += 1  # a page we already have: not fetched again
            self.progress(url, "already stored")
            return
        try:
            etag, modified = (state.etag, state.last_modified) if state else (None, None)
            fetched = self.fetcher.get(url, etag, modified)
        except SourceError as exc:
            if state is not None:
                self.sink.record_poll(url, status="failed", error=str(exc))
            raise
        if fetched.not_modified:
            self.report.feeds_polled += 1
            self.report.feeds_unchanged += 1
            self.sink.record_poll(url, status="not-modified")
            self.sink.clear_failure(url, "")
            self.progress(url, "feed unchanged")
            self._complete_partials(url)
            return
        kind = document_kind(fetched.content, fetched.content_type)
        if kind == "opml":
            self._add_list(url, parse_opml(fetched.content, url))
        elif kind == "feed":
            feed = parse_feed(fetched.content, url, fetched.content_type)
            new = self._add_feed(url, feed)
            self._complete_partials(url)
            self.report.feeds_polled += 1
            self.sink.record_poll(
                url, status="ok", title=feed.title, etag=fetched.etag,
                last_modified=fetched.last_modified, new=new,
            )
        else:
            article = page_article(url, fetched, self.options.load, self.keeper.warn)
            self.keeper.save(article, url, page_aliases(url, fetched.url, article))
        self.sink.clear_failure(url, "")

    def _add_file(self, path: Path) -> None:
        """Add one local file by its kind: feed, OPML, JSONL, HTML or text."""
        suffix = path.suffix.lower()
        if suffix not in _ALL_SUFFIXES:
            raise SourceError(f"{path}: unknown kind of file (expected {_suffix_list()})", "unsupported")
        source = str(path)
        if suffix in JSONL_SUFFIXES:
            self._add_jsonl(path)
            self.sink.clear_failure(source, "")
            return
        data = file_bytes(path, self.options.load.max_file_bytes)
        if suffix in OPML_SUFFIXES:
            self._add_list(source, parse_opml(data, source))
        elif suffix in FEED_SUFFIXES:
            self._add_feed(source, parse_feed(data, source))
        else:
            try:
                article = article_from_file(path, _decoded(path, data), self.options.load, self.keeper.warn)
            except NothingLeft as exc:
                self.keeper.skip(source, str(exc))
            except InputError as exc:
                raise SourceError(str(exc), "no-article") from exc
            else:
                self.keeper.save(article, source, [article.url] if article.url else [])
        self.sink.clear_failure(source, "")

    def _add_jsonl(self, path: Path) -> None:
        """Add each line of a JSONL file, read in line-aligned chunks; a bad line is a failure of that line only."""
        for chunk, first_line in _jsonl_chunks(path):
            try:
                text = _decoded(path, chunk)
            except SourceError as exc:
                if first_line == 1:
                    raise
                last = first_line + chunk.count(b"\n")
                self.keeper.fail(str(path), f"lines {first_line}-{last}", exc)
                continue
            for line in jsonl_lines(path, text, first_line):
                item = f"line {line.where.rsplit(':', 1)[1]}"
                if line.record is None:
                    self.keeper.fail(str(path), item, SourceError(f"{line.where}: {line.problem}", "bad-json"))
                    continue
                try:
                    article = article_from_line(line.record, line.where, self.options.load, self.keeper.warn)
                except NothingLeft as exc:
                    self.keeper.skip(f"{path} {item}", f"{line.where}: {exc}")
                    continue
                except InputError as exc:
                    self.keeper.fail(str(path), item, SourceError(f"{line.where}: {exc}", "bad-record"))
                    continue
                self.keeper.save(article, str(path), [article.url] if article.url else [], item=item)

    # -- feeds ----------------------------------------------------------------------------------

    def _add_list(self, source: str, feed_urls: list[str]) -> None:
        """Add every feed an OPML list names, once per run: a list that includes itself is not read again."""
        self._lists_read.add(canonical_url(source) if is_web_url(source) else source)
        for feed_url in feed_urls:
            if canonical_url(feed_url) in self._lists_read:
                again = f"{source}: lists {feed_url}, an OPML list read already; not read again"
                self.keeper.fail(source, feed_url, SourceError(again, "bad-opml"))
                continue
            self.add_source(feed_url)

    def _add_feed(self, source: str, feed: Feed) -> int:
        """Add a feed's entries, fetching each linked page; return how many were new."""
        entries = feed_entries(feed, source, self.options.load.max_feed_items, self.keeper.warn)
        fresh = [e for e in entries if not (e.link and self.sink.article_for_url(e.link))]
        self.report.already += len(entries) - len(fresh)
        outlet = feed_outlet(feed)
        added = 0
        workers = max(1, self.options.workers)
        with ThreadPoolExecutor(max_workers=workers) as pool:
            for entry, outcome in _fetched_in_batches(pool, self._entry_page, fresh, 4 * workers):
                item = entry.link or entry.title or "(untitled entry)"
                article, aliases, problem = entry_article(entry, outcome, outlet, self.options.load, self.keeper.warn)
                if article is None:
                    assert problem is not None
                    self.keeper.fail(source, item, problem)
                    continue
                if problem is not None:
                    note = f"{problem}; kept the feed's text (partial)"
                    self.sink.record_failure(source, item, problem.kind, note)
                    self.report.warnings.append(note)
                    self.progress(item, f"warning: {note}")
                if self.keeper.save(article, source, aliases, item=item, clear=problem is None):
                    added += 1
        return added

    def _entry_page(self, entry: FeedEntry) -> Fetched | SourceError | None:
        """Fetch an entry's page (in a worker thread); the error instead of raising it."""
        return self._page(entry.link) if entry.link else None

    def _page(self, url: str) -> Fetched | SourceError:
        """Fetch a page (in a worker thread); the error instead of raising it."""
        try:
            return self.fetcher.get(url)
        except SourceError as exc:
            return exc
        except Exception as exc:  # see add_source
            log.info("unexpected error on %s", url, exc_info=True)
            return _unexpected(url, exc)

    def _complete_partials(self, source: str) -> None:
        """Try again the pages of ``source``'s partial articles; store the full text of those that come."""
        before = datetime.now(UTC) - self.options.retry_partial_after
        pending = self.sink.partial_articles(source, PAGE_ATTEMPTS, before)
        if not pending:
            return
        with ThreadPoolExecutor(max_workers=max(1, self.options.workers)) as pool:
            pages = pool.map(self._page, [url for _, url in pending])
            for (article_id, url), page in zip(pending, pages, strict=True):
                try:
                    if isinstance(page, SourceError):
                        raise page
                    article = page_article(url, page, self.options.load, self.keeper.warn)
                except SourceError as exc:
                    self.sink.record_failure(source, url, exc.kind, f"{exc}; still partial")
                    continue
                signature = signature_of(article.text)
                if self.sink.complete_article(
                    article_id, article, fingerprint=fingerprint(article.text),
                    aliases=page_aliases(url, page.url, article),
                    minhash=signature.to_bytes(), shingles=signature.shingles,
                ):
                    self.sink.clear_failure(source, url)
                    self.report.completed += 1
                    self.progress(url, "completed")


def _unexpected(source: str, exc: Exception) -> SourceError:
    """A failure row for an error nobody planned for (run with -v to see the traceback)."""
    return SourceError(f"{source}: unexpected {type(exc).__name__}: {exc}", "unexpected")


def _files_under(folder: Path) -> Iterator[Path]:
    """The files ``add`` understands below ``folder``, hidden ones skipped."""
    for path in folder.rglob("*"):
        if any(part.startswith(".") for part in path.relative_to(folder).parts):
            continue
        if path.is_file() and path.suffix.lower() in _ALL_SUFFIXES:
            yield path


def _fetched_in_batches(
    pool: ThreadPoolExecutor, fetch: Callable[[FeedEntry], Fetched | SourceError | None],
    entries: list[FeedEntry], size: int,
) -> Iterator[tuple[FeedEntry, Fetched | SourceError | None]]:
    """Each entry with its fetched page, fetching ``size`` at a time: at most ``size`` pages are held at once."""
    for start in range(0, len(entries), size):
        batch = entries[start : start + size]
        yield from zip(batch, pool.map(fetch, batch), strict=True)


def _jsonl_chunks(path: Path, size: int | None = None) -> Iterator[tuple[bytes, int]]:
    """A JSONL file's bytes in chunks of about ``size`` (default ``JSONL_CHUNK_BYTES``) that end at a line end,
    each with its first line number.

    A file in UTF-16 or UTF-32 (by its BOM), where a newline byte is not a line end, is read whole.
    """
    size = size or JSONL_CHUNK_BYTES
    try:
        with path.open("rb") as handle:
            head = handle.read(4)
            if head.startswith((b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")):
                data = head + handle.read()
                if not data.strip():
                    raise SourceError(f"{path}: file is empty", "empty")
                yield data, 1
                return
            pending, line, empty = head, 1, True
            while True:
                block = handle.read(size)
                pending += block
                cut = pending.rfind(b"\n") + 1 if block else len(pending)
                if cut:
                    chunk, pending = pending[:cut], pending[cut:]
                    if chunk.strip():
                        empty = False
                        yield chunk, line
                    line += chunk.count(b"\n")
                if not block:
                    break
    except OSError as exc:
        raise SourceError(f"{path}: cannot be read ({exc.strerror or exc})", "unreadable") from exc
    if empty:
        raise SourceError(f"{path}: file is empty", "empty")


def _decoded(path: Path, data: bytes) -> str:
    """A local file's text; ``SourceError`` when it is binary or undecodable."""
    try:
        return file_text(data, path, records=path.suffix.lower() in JSONL_SUFFIXES)
    except InputError as exc:
        raise SourceError(str(exc), "unreadable") from exc


def _suffix_list() -> str:
    """The file suffixes ``add`` reads, for error messages."""
    return ", ".join(sorted(_ALL_SUFFIXES))
