"""Parse local files into articles: plain text (with front matter), JSONL records; decode their bytes."""

from __future__ import annotations

import codecs
import re
from pathlib import Path
from typing import Any

from newsroundup.errors import InputError
from newsroundup.model import Article
from newsroundup.text.clean import clean_body
from newsroundup.text.dates import DateOutOfRange, parse_iso_datetime
from newsroundup.text.language import detect_language

TEXT_SUFFIXES = frozenset({".txt", ".text", ".md"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
FEED_SUFFIXES = frozenset({".xml", ".rss", ".atom"})
OPML_SUFFIXES = frozenset({".opml"})
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n---[ \t]*\n", re.DOTALL)
_FRONT_MATTER_KEYS = frozenset({"title", "outlet", "url", "published", "id", "syndicated_from", "language"})


_UTF_BOMS = (  # UTF-32 first: its little-endian BOM starts with UTF-16's
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"), (codecs.BOM_UTF8, "utf-8-sig"),
)
# Control characters no text file holds (tab, newlines and form feed are text); U+FFFD marks undecodable bytes.
_NOT_TEXT = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f\ufffd]")
MAX_NOT_TEXT = 0.01  # above this share of control characters a file is binary, not text with a stray NUL


def decode_text(data: bytes) -> str | None:
    """Decode bytes by their BOM (UTF-8/16/32), as UTF-8, else by detection; None when it is not text."""
    for bom, encoding in _UTF_BOMS:
        if data.startswith(bom):
            # A bad code unit becomes U+FFFD, which file_text counts: one in real text is dropped, many refuse
            # the file (random bytes after a BOM hold a lone surrogate every ~30 units).
            return data.decode(encoding, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if data.count(b"\x00") > MAX_NOT_TEXT * len(data):
        return None  # charset detection would call NUL-laden bytes some UTF-16/32 without a BOM
    data = data.replace(b"\x00", b"")  # a stray NUL in otherwise legacy-encoded text
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000]).best()
    if best is None or best.encoding is None:
        # No encoding fits: UTF-8 with its bad sequences as U+FFFD, which file_text counts (a few in text
        # are dropped; binary data is refused as such).
        return data.decode("utf-8", errors="replace")
    return data.decode(best.encoding, errors="replace")


def file_text(data: bytes, where: object, *, records: bool = False) -> str:
    """The text of a file's bytes, stray NULs and control characters dropped; ``InputError`` naming ``where``.

    Refused: an empty file, bytes no encoding fits, and text with more than 1% control characters
    (binary data that happens to decode). A few NUL bytes anywhere in real text are dropped, not fatal.
    ``records`` (JSONL): a file with a line that opens an object is read whatever its other lines hold,
    so that junk on some lines is those lines' problem and never loses a good record.
    """
    if not data.strip():
        raise InputError(f"{where}: file is empty")
    text = decode_text(data)
    if text is None:
        raise InputError(f"{where}: not readable as text (binary, or an unknown encoding)")
    bad = len(_NOT_TEXT.findall(text))
    has_records = records and any(line.lstrip().startswith("{") for line in text.splitlines())
    if bad > MAX_NOT_TEXT * len(text) and not has_records:
        raise InputError(f"{where}: binary file, not text ({bad:,} control characters in {len(text):,})")
    text = _NOT_TEXT.sub("", text) if bad else text
    if not text.strip():
        raise InputError(f"{where}: file is empty")
    return text


def article_from_text(path: Path, text: str, default_id: str = "") -> Article:
    """A plain-text article; raise ``InputError`` when it has no body.

    Optional front matter (``---`` lines around ``key: value`` lines: title, outlet, url, published,
    id, syndicated_from) gives its metadata; then a short first line followed by a blank line is
    its title. Without an ``id`` there, the article gets ``default_id``.
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
        return article_from_record(record, default_id=default_id)
    except NothingLeft as exc:
        raise NothingLeft(f"{path}: {exc}") from exc
    except InputError as exc:
        raise InputError(f"{path}: {exc}") from exc


class NothingLeft(InputError):
    """A record whose text is all page furniture or punctuation: nothing of it is an article."""


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
        except DateOutOfRange as exc:
            raise InputError(f"'published' is outside the range of dates: {published[:80]!r}") from exc
        except ValueError as exc:
            raise InputError(f"'published' is not an ISO date: {published[:80]!r}") from exc
    raw_id = record.get("id")
    if raw_id is not None and (isinstance(raw_id, bool) or not isinstance(raw_id, str | int)):
        raise InputError("'id' must be a string or a whole number")
    article_id = str(raw_id) if raw_id not in (None, "") else default_id
    text = clean_body(body)
    if not text.strip():
        raise NothingLeft("record's 'text' has nothing left once cleaned (only punctuation or page furniture)")
    return Article(
        id=article_id,
        text=text,
        language=_optional_str(record.get("language")) or detect_language(text),
        url=_optional_str(record.get("url")),
        outlet=_optional_str(record.get("outlet")),
        title=_optional_str(record.get("title")),
        published=when,
        syndicated_from=_optional_str(record.get("syndicated_from")),
    )


def _optional_str(value: Any) -> str | None:
    """A stripped string, or None for anything empty or not a string."""
    return value.strip() or None if isinstance(value, str) else None
