"""Summarize pre-grouped clusters from a JSONL file, one roundup per cluster."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from newsroundup.errors import InputError
from newsroundup.grouping.copies import mark_copies
from newsroundup.model import roundup_to_json
from newsroundup.pipeline.load import LoadRules, article_from_line
from newsroundup.pipeline.progress import progress_bar
from newsroundup.roundup.checker import check_roundup
from newsroundup.roundup.summarize import RoundupOptions
from newsroundup.roundup.write import write_roundup
from newsroundup.sources.files import decode_text
from newsroundup.sources.jsonl import jsonl_lines


def read_clusters(path: Path) -> Iterator[tuple[str, list[Any], str | None]]:
    """Yield ``(cluster id, documents, problem)`` per line of a clusters JSONL file."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror or exc})") from exc
    text = decode_text(data) if b"\x00" not in data[:8192] else None
    if text is None:
        raise InputError(f"{path}: not a text file")
    lines = list(jsonl_lines(path, text))
    if not lines:
        raise InputError(f"{path}: no clusters (file is empty)")
    for line in lines:
        record = line.record
        if record is None or not isinstance(record.get("documents"), list):
            yield line.where, [], line.problem or "expected an object with a 'documents' list"
            continue
        yield str(record.get("id", line.where)), record["documents"], None


def summarize_clusters(
    path: Path, options: RoundupOptions, rules: LoadRules | None = None, quiet: bool = False
) -> Iterator[dict[str, Any]]:
    """One output record per usable cluster: ``{"cluster", "summary", "roundup"}``.

    Documents are read by the one loader's rules (id, size cap). Unusable clusters and documents
    are reported on stderr (unless ``quiet``) and skipped.
    """
    rules = rules or LoadRules()
    clusters = list(read_clusters(path))
    with progress_bar("summarizing clusters", total=len(clusters), quiet=quiet) as advance:
        for cluster_id, documents, problem in clusters:
            advance()
            if problem:
                _warn(f"{cluster_id}: {problem}; skipped", quiet)
                continue
            articles = []
            for n, doc in enumerate(documents, start=1):
                try:
                    where = f"{cluster_id}, document {n}"
                    articles.append(article_from_line(doc, where, rules, lambda note: _warn(note, quiet)))
                except InputError as exc:
                    _warn(f"{cluster_id}, document {n}: {exc}; skipped", quiet)
            if not articles:
                _warn(f"{cluster_id}: no usable documents; skipped", quiet)
                continue
            articles = mark_copies(articles)
            roundup = write_roundup(articles, options, story_id=cluster_id)
            check_roundup(roundup, articles, options.words)
            yield {
                "cluster": cluster_id,
                "summary": "\n".join(s.text for s in roundup.sentences),
                "roundup": roundup_to_json(roundup),
            }


def _warn(message: str, quiet: bool) -> None:
    if not quiet:
        print(f"warning: {message}", file=sys.stderr)
