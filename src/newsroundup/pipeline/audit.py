"""``newsroundup audit``: an article file (or standard input) and source files → its audit."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from newsroundup.audit import audit, check_audit
from newsroundup.errors import InputError
from newsroundup.model import Article, Audit
from newsroundup.pipeline.load import LoadRules, Warn, article_from_file, load_articles
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


def audit_files(article_path: str, source_paths: Sequence[str | Path], rules: LoadRules, warn: Warn) -> Audit:
    """Audit the article at ``article_path`` against every article under ``source_paths`` (checked)."""
    article = read_audited(article_path, rules, warn)
    loaded = load_articles(source_paths, rules)
    for warning in loaded.warnings:
        warn(warning)
    result = audit(article, loaded.articles)
    check_audit(result, loaded.articles)
    for warning in result.warnings:
        warn(warning)
    return result
