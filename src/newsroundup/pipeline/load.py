"""One article loader for every command: the same extraction, size cap and id rule (summarize, add, run)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from newsroundup.errors import InputError, SourceError
from newsroundup.model import Article
from newsroundup.settings import Extraction
from newsroundup.sources.files import (
    HTML_SUFFIXES,
    JSONL_SUFFIXES,
    TEXT_SUFFIXES,
    article_from_record,
    article_from_text,
    file_text,
)
from newsroundup.sources.html import article_from_html
from newsroundup.sources.identity import content_id
from newsroundup.sources.jsonl import jsonl_lines
from newsroundup.sources.urls import canonical_url, is_web_url

MAX_ARTICLE_CHARS = 400_000  # ~70k words: far beyond any article; protects selection time
MAX_FEED_ITEMS = 10_000  # entries read from one feed document (real feeds carry 10-100; archives a few thousand)
MAX_FILE_BYTES = 32 * 2**20  # a local feed, list, page or text file (remote ones are capped at 10 MiB by fetch)
Warn = Callable[[str], None]  # takes one warning line: "<input>: <what was skipped or cut>"


@dataclass(frozen=True)
class LoadRules:
    """How pages are extracted and how big an input may be, the same for every command (the size policy).

    An article's text past ``max_chars`` is cut with a warning; a feed's entries past ``max_feed_items``
    are not read, with a warning; a local file other than JSONL past ``max_file_bytes`` is refused
    (JSONL files are read in line-aligned chunks, so their size is not bounded).
    """

    extraction: Extraction = "precision"  # best body-text F1 in benchmarks/bench_sources.py
    max_chars: int = MAX_ARTICLE_CHARS
    max_feed_items: int = MAX_FEED_ITEMS
    max_file_bytes: int = MAX_FILE_BYTES


@dataclass
class LoadResult:
    """Articles read from the inputs, and one warning per input or record that was skipped or cut."""

    articles: list[Article] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def identified(article: Article) -> Article:
    """The one id rule: the id the input gives, else the canonical URL, else a hash of the text.

    An http(s) URL is canonicalised; any other address is kept as given (shown as text, never linked)
    but never becomes the id.
    """
    web = canonical_url(article.url) if article.url and is_web_url(article.url) else None
    return replace(article, id=article.id or web or content_id(article.text), url=web or article.url)


def capped(article: Article, where: str, rules: LoadRules, warn: Warn) -> Article:
    """Cut an oversized article at a paragraph boundary, with a warning naming ``where``."""
    limit = rules.max_chars
    if len(article.text) <= limit:
        return article
    cut = article.text.rfind("\n", 0, limit)
    cut = cut if cut > limit // 2 else limit
    warn(f"{where}: article is {len(article.text):,} characters; used the first {cut:,}")
    return replace(article, text=article.text[:cut])


def load_articles(paths: Iterable[str | Path], rules: LoadRules | None = None) -> LoadResult:
    """Read every article under ``paths``; raise ``InputError`` when nothing usable is found."""
    rules = rules or LoadRules()
    result = LoadResult()
    seen: set[str] = set()
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            raise InputError(f"{path}: no such file or folder")
        files = sorted(_files_under(path)) if path.is_dir() else [path]
        if path.is_dir() and not files:
            result.warnings.append(f"{path}: folder has no .txt, .html or .jsonl files")
        for file in files:
            for article in _load_file(file, rules, result.warnings):
                if article.id in seen:
                    result.warnings.append(f"{file}: article id {article.id!r} given twice; kept the first")
                    continue
                seen.add(article.id)
                result.articles.append(article)
    if not result.articles:
        reasons = "; ".join(result.warnings) or "no input given"
        raise InputError(f"no usable articles: {reasons}")
    return result


def article_from_file(path: Path, text: str, rules: LoadRules, warn: Warn) -> Article:
    """The article of one text or HTML file (already decoded); ``InputError`` when it holds none."""
    if path.suffix.lower() in HTML_SUFFIXES:
        article = article_from_html(text, "", None, extraction=rules.extraction)
        if article is None:
            raise InputError(f"{path}: no article text found in the page")
    else:
        article = article_from_text(path, text, default_id="")
    return capped(identified(article), str(path), rules, warn)


def article_from_line(record: object, where: str, rules: LoadRules, warn: Warn) -> Article:
    """The article of one JSONL record; ``InputError`` when it is not one."""
    return capped(identified(article_from_record(record, default_id="")), where, rules, warn)


def _files_under(folder: Path) -> Iterator[Path]:
    """Yield the readable article files below ``folder``, skipping hidden files."""
    for path in folder.rglob("*"):
        if any(part.startswith(".") for part in path.relative_to(folder).parts):
            continue
        if path.is_file() and path.suffix.lower() in TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES:
            yield path


def _load_file(path: Path, rules: LoadRules, warnings: list[str]) -> list[Article]:
    """Read one file into articles, appending a warning for anything skipped."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        warnings.append(f"{path}: cannot be read ({exc.strerror or exc})")
        return []
    try:
        text = file_text(data, path, records=path.suffix.lower() in JSONL_SUFFIXES)
    except InputError as exc:
        warnings.append(str(exc))
        return []
    if path.suffix.lower() in JSONL_SUFFIXES:
        return _articles_from_jsonl(path, text, rules, warnings)
    try:
        return [article_from_file(path, text, rules, warnings.append)]
    except InputError as exc:
        warnings.append(str(exc))
        return []


def _articles_from_jsonl(path: Path, text: str, rules: LoadRules, warnings: list[str]) -> list[Article]:
    """Articles from a JSONL file, one object per line; bad lines become warnings."""
    articles = []
    for line in jsonl_lines(path, text):
        if line.record is None:
            warnings.append(f"{line.where}: {line.problem}")
            continue
        try:
            articles.append(article_from_line(line.record, line.where, rules, warnings.append))
        except InputError as exc:
            warnings.append(f"{line.where}: {exc}")
    if not articles and not warnings:
        warnings.append(f"{path}: no records")
    return articles


def file_bytes(path: Path, limit: int) -> bytes:
    """A local file's bytes; ``SourceError`` when it cannot be read, is empty or is past ``limit`` bytes."""
    try:
        size = path.stat().st_size
        if size > limit:
            raise SourceError(
                f"{path}: file is {size / 2**20:,.1f} MiB; feeds, lists, pages and text files are read up to "
                f"{limit / 2**20:,.0f} MiB (give many articles as JSONL, which has no size limit)", "too-large",
            )
        data = path.read_bytes()
    except OSError as exc:
        raise SourceError(f"{path}: cannot be read ({exc.strerror or exc})", "unreadable") from exc
    if not data.strip():
        raise SourceError(f"{path}: file is empty", "empty")
    return data
