"""Decode fetched bytes to text: BOM, valid UTF-8, HTTP charset, meta or XML charset, detection."""

from __future__ import annotations

import codecs
import re

_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)
_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?([\w.:-]+)|<\?xml[^>]+encoding\s*=\s*["']([\w.:-]+)""",
    re.IGNORECASE,
)
_SINGLE_BYTE_LATIN = re.compile(
    r"^(?:cp125[0-8]|windows-125[0-8]|iso8859_\d+|latin_?\d|mac_\w+|cp8\d\d)$", re.IGNORECASE
)
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
# What browsers actually mean by these labels (WHATWG Encoding Standard).
_ALIASES = {"iso-8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252", "us-ascii": "cp1252",
            "ascii": "cp1252", "x-sjis": "shift_jis", "gb2312": "gb18030", "gbk": "gb18030"}


def header_charset(content_type: str | None) -> str | None:
    """The charset named in a Content-Type header, if any."""
    match = _HEADER_CHARSET.search(content_type or "")
    return match.group(1) if match else None


def declared_charset(data: bytes) -> str | None:
    """The charset a document declares in a ``<meta>`` tag or XML declaration (first 4 KB)."""
    match = _META_CHARSET.search(data[:4096])
    if not match:
        return None
    return (match.group(1) or match.group(2)).decode("ascii", "replace")


def decode_document(data: bytes, content_type: str | None = None) -> str:
    """Decode a fetched document, trusting evidence in order: BOM, UTF-8, HTTP, meta, detection.

    Valid UTF-8 with non-ASCII bytes wins over a declared single-byte charset: such text is
    practically never meant as Latin-1, so the declaration is the thing that is wrong.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    for label in (header_charset(content_type), declared_charset(data)):
        text = _strict(data, label)
        if text is not None:
            return text
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000]).best()
    guess = best.encoding if best is not None and best.encoding else None
    if guess is None or _SINGLE_BYTE_LATIN.match(guess):
        # Detection cannot tell the Latin code pages apart on short text; like browsers, default
        # to windows-1252 whenever it fits.
        text = _strict(data, "cp1252")
        if text is not None:
            return text
    return data.decode(guess or "cp1252", errors="replace")


def _strict(data: bytes, label: str | None) -> str | None:
    """``data`` decoded with ``label`` when the label is known and the bytes fit it, else None."""
    if not label:
        return None
    name = _ALIASES.get(label.lower(), label)
    try:
        codecs.lookup(name)
    except LookupError:
        return None
    for candidate in (name, "latin-1") if name == "cp1252" else (name,):
        try:
            return data.decode(candidate)
        except UnicodeDecodeError:
            continue
    return None
