"""Read articles from local files and folders: plain text, saved HTML pages and JSONL records."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from newsroundup.errors import InputError
from newsroundup.model import Article
from newsroundup.sources.html import article_from_html
from newsroundup.sources.jsonl import jsonl_lines
from newsroundup.text.clean import clean_body
from newsroundup.text.dates import parse_iso_datetime

TEXT_SUFFIXES = frozenset({".txt", ".text", ".md"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n---[ \t]*\n", re.DOTALL)
_FRONT_MATTER_KEYS = frozenset({"title", "outlet", "url", "published", "id", "syndicated_from"})
MAX_ARTICLE_CHARS = 400_000  # ~70k words: far beyond any article; protects selection time


@dataclass
class LoadResult:
    """Articles read from the inputs, and one warning per input or record that was skipped."""

    articles: list[Article] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def load_articles(paths: Iterable[str | Path]) -> LoadResult:
    """Read every article under ``paths``; raise ``InputError`` when nothing usable is found."""
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
            for article in _load_file(file, result.warnings):
                if article.id in seen:
                    result.warnings.append(f"{file}: article id {article.id!r} given twice; kept the first")
                    continue
                seen.add(article.id)
                result.articles.append(article)
    if not result.articles:
        reasons = "; ".join(result.warnings) or "no input given"
        raise InputError(f"no usable articles: {reasons}")
    return result


def _files_under(folder: Path) -> Iterator[Path]:
    """Yield the readable article files below ``folder``, skipping hidden files."""
    for path in folder.rglob("*"):
        if any(part.startswith(".") for part in path.relative_to(folder).parts):
            continue
        if path.is_file() and path.suffix.lower() in TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES:
            yield path


def _load_file(path: Path, warnings: list[str]) -> list[Article]:
    """Read one file into articles, appending a warning for anything skipped."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        warnings.append(f"{path}: cannot be read ({exc.strerror or exc})")
        return []
    if not data.strip():
        warnings.append(f"{path}: file is empty")
        return []
    if b"\x00" in data[:8192]:
        warnings.append(f"{path}: binary file, not text")
        return []
    text = decode_text(data)
    if text is None:
        warnings.append(f"{path}: not readable as text (unknown encoding)")
        return []
    suffix = path.suffix.lower()
    if suffix in JSONL_SUFFIXES:
        return _articles_from_jsonl(path, text, warnings)
    if suffix in HTML_SUFFIXES:
        article = article_from_html(text, article_id=path.stem, url=None)
        if article is None:
            warnings.append(f"{path}: no article text found in the page")
            return []
        return [_capped(article, path, warnings)]
    try:
        return [_capped(article_from_text(path, text), path, warnings)]
    except InputError as exc:
        warnings.append(str(exc))
        return []


def decode_text(data: bytes) -> str | None:
    """Decode bytes as UTF-8 (with or without BOM), else by detection; None when it is not text."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000]).best()
    if best is None or best.encoding is None:
        return None
    return data.decode(best.encoding, errors="replace")


def article_from_text(path: Path, text: str) -> Article:
    """A plain-text article; raise ``InputError`` when it has no body.

    Optional front matter (``---`` lines around ``key: value`` lines: title, outlet, url, published,
    id, syndicated_from) gives its metadata; then a short first line followed by a blank line is
    its title.
    """
    record: dict[str, Any] = {}
    match = _FRONT_MATTER.match(text)
    if match:
        for line in match.group(1).splitlines():
            key, sep, value = line.partition(":")
            if sep and key.strip().lower() in _FRONT_MATTER_KEYS:
                record[key.strip().lower()] = value.strip()
        text = text[match.end() :]
    head, sep, rest = text.lstrip().partition("\n\n")
    short_head = sep and "\n" not in head and len(head.split()) <= 20
    if "title" not in record and short_head and not head.rstrip().endswith("."):
        record["title"], text = head.strip(), rest
    record["text"] = text
    try:
        return article_from_record(record, default_id=path.stem)
    except InputError as exc:
        raise InputError(f"{path}: {exc}") from exc


def _articles_from_jsonl(path: Path, text: str, warnings: list[str]) -> list[Article]:
    """Articles from a JSONL file, one object per line; bad lines become warnings."""
    articles = []
    for line in jsonl_lines(path, text):
        if line.record is None:
            warnings.append(f"{line.where}: {line.problem}")
            continue
        try:
            article = article_from_record(line.record, default_id=f"{path.stem}-{line.where.rsplit(':', 1)[1]}")
        except InputError as exc:
            warnings.append(f"{line.where}: {exc}")
            continue
        articles.append(_capped(article, Path(line.where), warnings))
    if not articles and not warnings:
        warnings.append(f"{path}: no records")
    return articles


def article_from_record(record: Any, default_id: str) -> Article:
    """Build an article from a JSON object with at least ``text``; raise ``InputError`` otherwise."""
    if not isinstance(record, dict):
        raise InputError("record is not a JSON object")
    body = record.get("text")
    if not isinstance(body, str) or not body.strip():
        raise InputError("record has no 'text'")
    published = record.get("published")
    when = None
    if isinstance(published, str) and published.strip():
        try:
            when = parse_iso_datetime(published)
        except ValueError as exc:
            raise InputError(f"'published' is not an ISO date: {published!r}") from exc
    raw_id = record.get("id")
    article_id = str(raw_id) if raw_id not in (None, "") else default_id
    return Article(
        id=article_id,
        text=clean_body(body),
        url=_optional_str(record.get("url")),
        outlet=_optional_str(record.get("outlet")),
        title=_optional_str(record.get("title")),
        published=when,
        syndicated_from=_optional_str(record.get("syndicated_from")),
    )


def _optional_str(value: Any) -> str | None:
    """A stripped string, or None for anything empty or not a string."""
    return value.strip() or None if isinstance(value, str) else None


def _capped(article: Article, where: Path, warnings: list[str]) -> Article:
    """Cut an oversized article at a paragraph boundary, with a warning."""
    if len(article.text) <= MAX_ARTICLE_CHARS:
        return article
    cut = article.text.rfind("\n", 0, MAX_ARTICLE_CHARS)
    cut = cut if cut > MAX_ARTICLE_CHARS // 2 else MAX_ARTICLE_CHARS
    warnings.append(f"{where}: article is {len(article.text):,} characters; used the first {cut:,}")
    return replace(article, text=article.text[:cut])

