"""``newsroundup summarize``: the articles of one story, from files or the store, → its roundup."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from newsroundup.grouping.copies import mark_copies
from newsroundup.model import Article, Roundup
from newsroundup.pipeline.load import LoadRules, Warn, load_articles
from newsroundup.roundup.summarize import RoundupOptions
from newsroundup.roundup.write import write_roundup
from newsroundup.store.base import open_store


def roundup_of_files(
    paths: Sequence[str | Path], options: RoundupOptions, rules: LoadRules, warn: Warn
) -> tuple[Roundup, list[Article]]:
    """Load every article under ``paths`` (one story), link copies, write its roundup."""
    loaded = load_articles(paths, rules)
    for warning in loaded.warnings:
        warn(warning)
    articles = mark_copies(loaded.articles)
    return write_roundup(articles, options), articles


def roundup_of_stored(db: Path | str, ids: Sequence[str], options: RoundupOptions) -> tuple[Roundup, list[Article]]:
    """The roundup of stored articles ``ids`` (copies already linked when they were added)."""
    with open_store(db, existing=True) as store:
        articles = store.articles_by_id(ids)
    return write_roundup(articles, options), articles
