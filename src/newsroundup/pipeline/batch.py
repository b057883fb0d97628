"""Summarize pre-grouped clusters from a JSONL file, one roundup per cluster."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsroundup.errors import InputError
from newsroundup.grouping.copies import mark_copies
from newsroundup.model import Article, roundup_to_json
from newsroundup.pipeline.load import LoadRules, article_from_line
from newsroundup.pipeline.progress import progress_bar, say
from newsroundup.roundup.checker import check_roundup
from newsroundup.roundup.summarize import RoundupOptions
from newsroundup.roundup.write import write_roundup
from newsroundup.sources.files import file_text
from newsroundup.sources.jsonl import jsonl_lines


@dataclass(frozen=True, slots=True)
class Cluster:
    """One line of a clusters file: its documents, those already read (update lines), or why it is unusable."""

    id: str
    documents: list[Any]
    earlier: list[Any]
    problem: str | None = None


def read_clusters(path: Path, update: bool = False) -> Iterator[Cluster]:
    """Each line of a clusters JSONL file; with ``update``, each line also needs an ``earlier`` list."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror or exc})") from exc
    text = file_text(data, path, records=True)
    lines = list(jsonl_lines(path, text))
    if not lines:
        raise InputError(f"{path}: no clusters (file is empty)")
    for line in lines:
        record = line.record
        if record is None or not isinstance(record.get("documents"), list):
            yield Cluster(line.where, [], [], line.problem or "expected an object with a 'documents' list")
        elif update and not isinstance(record.get("earlier"), list):
            yield Cluster(line.where, [], [], "expected an 'earlier' list (the documents already read) with --update")
        else:
            earlier = record.get("earlier") if update else []
            yield Cluster(str(record.get("id", line.where)), record["documents"], earlier or [])


def summarize_clusters(
    path: Path, options: RoundupOptions, rules: LoadRules | None = None, quiet: bool = False, update: bool = False
) -> Iterator[dict[str, Any]]:
    """One output record per usable cluster: ``{"cluster", "summary", "roundup"}``.

    Documents are read by the one loader's rules (id, size cap). Unusable clusters and documents
    are reported on stderr (unless ``quiet``) and skipped. With ``update``, each line's ``earlier``
    documents are what the reader has already read, and its roundup says only what ``documents`` add.
    """
    rules = rules or LoadRules()
    clusters = list(read_clusters(path, update))
    with progress_bar("summarizing clusters", total=len(clusters), quiet=quiet) as advance:
        for cluster in clusters:
            advance()
            if cluster.problem:
                _warn(f"{cluster.id}: {cluster.problem}; skipped", quiet)
                continue
            articles = _articles(cluster.id, "document", cluster.documents, rules, quiet)
            if not articles:
                _warn(f"{cluster.id}: no usable documents; skipped", quiet)
                continue
            seen = _articles(cluster.id, "earlier document", cluster.earlier, rules, quiet)
            articles = mark_copies(articles)
            roundup = write_roundup(articles, options, story_id=cluster.id, seen=seen)
            check_roundup(roundup, articles, options.words)
            yield {
                "cluster": cluster.id,
                "summary": "\n".join(s.text for s in roundup.sentences),
                "roundup": roundup_to_json(roundup),
            }


def _articles(cluster: str, kind: str, documents: list[Any], rules: LoadRules, quiet: bool) -> list[Article]:
    """The usable documents of one cluster line; each unusable one is reported and skipped."""
    articles = []
    for n, doc in enumerate(documents, start=1):
        try:
            articles.append(article_from_line(doc, f"{cluster}, {kind} {n}", rules, lambda note: _warn(note, quiet)))
        except InputError as exc:
            _warn(f"{cluster}, {kind} {n}: {exc}; skipped", quiet)
    return articles


def _warn(message: str, quiet: bool) -> None:
    if not quiet:
        say(f"warning: {message}")
