"""Find and load benchmark data: the DUC 2004 Task 2 clusters, references and published peer summaries."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsroundup.errors import DataError, InputError
from newsroundup.model import Article
from newsroundup.sources.files import NothingLeft, article_from_record
from newsroundup.sources.jsonl import jsonl_lines

CLUSTERS_FILE = "clusters.jsonl"
PEERS_FILE = "peers.jsonl"
# src/newsroundup/evaluate/datasets.py -> the repository root, for a checkout next to ../shared/data.
_REPO_ROOT = Path(__file__).resolve().parents[3]


@dataclass(frozen=True, slots=True)
class Cluster:
    """One DUC topic: its articles in collection (chronological) order and its reference summaries."""

    id: str
    articles: tuple[Article, ...]
    references: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Duc2004:
    """The clusters of DUC 2004 Task 2 and the published systems' summaries of them."""

    folder: Path
    clusters: tuple[Cluster, ...]
    peers: dict[str, dict[str, str]]  # system -> cluster id -> summary


def locate_duc2004(data_dir: Path | None = None) -> Path:
    """The DUC 2004 folder: ``data_dir`` (``Settings.data``), else ``../shared/data/duc2004``.

    ``data_dir`` may be the folder holding ``clusters.jsonl`` or its parent holding ``duc2004/``.
    The last fallback is tried next to the repository checkout, then from the working directory.
    """
    if data_dir is not None:
        candidates = [data_dir, data_dir / "duc2004"]
    else:
        candidates = [_REPO_ROOT.parent / "shared/data/duc2004", Path("../shared/data/duc2004")]
    for folder in candidates:
        if (folder / CLUSTERS_FILE).is_file():
            return folder
    tried = ", ".join(str(c) for c in dict.fromkeys(candidates))
    raise DataError(
        f"DUC 2004 data not found (looked for {CLUSTERS_FILE} in {tried}); give --data DIR or set NEWSROUNDUP_DATA"
    )


def load_duc2004(data_dir: Path | None = None, limit: int | None = None) -> Duc2004:
    """Load the clusters (the first ``limit`` when given) and the peer summaries of those clusters."""
    if limit is not None and limit < 1:
        raise DataError(f"--limit must be a positive number of clusters, not {limit}")
    folder = locate_duc2004(data_dir)
    clusters = load_clusters(folder / CLUSTERS_FILE)
    if limit is not None:
        clusters = clusters[:limit]
    peers = load_peers(folder / PEERS_FILE, {c.id for c in clusters})
    return Duc2004(folder=folder, clusters=tuple(clusters), peers=peers)


def load_clusters(path: Path) -> list[Cluster]:
    """Clusters from a JSONL file of ``{"id", "documents": [{"id", "text"}], "references": [...]}``."""
    clusters: list[Cluster] = []
    seen: set[str] = set()
    for where, record in jsonl_records(path):
        cluster_id = _string(record, "id", where)
        if cluster_id in seen:
            raise DataError(f"{where}: cluster id {cluster_id!r} appears twice")
        seen.add(cluster_id)
        documents = record.get("documents")
        if not isinstance(documents, list) or not documents:
            raise DataError(f"{where}: cluster {cluster_id!r} has no 'documents' list")
        # A document that is all page furniture (an archive's notice, say) is no article: left out, the
        # others keep their ids (D1, D2, ... count every document of the record).
        read = (_article(doc, f"{cluster_id}/D{n}", where) for n, doc in enumerate(documents, 1))
        articles = tuple(article for article in read if article is not None)
        if not articles:
            raise DataError(f"{where}: cluster {cluster_id!r} has no document with article text")
        references = record.get("references")
        if (
            not isinstance(references, list)
            or not references
            or not all(isinstance(r, str) and r.strip() for r in references)
        ):
            raise DataError(f"{where}: cluster {cluster_id!r} needs 'references', a list of non-empty strings")
        clusters.append(Cluster(id=cluster_id, articles=articles, references=tuple(references)))
    if not clusters:
        raise DataError(f"{path}: no clusters in the file")
    return clusters


def load_peers(path: Path, cluster_ids: set[str]) -> dict[str, dict[str, str]]:
    """Peer summaries (system -> cluster -> summary) for the given clusters, systems in file order."""
    if not path.is_file():
        raise DataError(f"{path}: the published peer summaries are missing")
    peers: dict[str, dict[str, str]] = {}
    for where, record in jsonl_records(path):
        system = _string(record, "system", where)
        cluster = _string(record, "cluster", where)
        summary = record.get("summary")
        if not isinstance(summary, str):
            raise DataError(f"{where}: 'summary' must be a string")
        by_cluster = peers.setdefault(system, {})
        if cluster in cluster_ids:
            by_cluster[cluster] = summary
    return peers


def jsonl_records(path: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    """Yield (``file:line``, object) for every non-blank line of a JSONL file."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise DataError(f"{path}: cannot be read ({exc.strerror or exc})") from exc
    except UnicodeDecodeError as exc:
        raise DataError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
    for line in jsonl_lines(path, text):
        if line.record is None:
            raise DataError(f"{line.where}: {line.problem}")
        yield line.where, line.record


def _string(record: dict[str, Any], key: str, where: str) -> str:
    """A required non-empty string field."""
    value = record.get(key)
    if not isinstance(value, str) or not value.strip():
        raise DataError(f"{where}: missing or empty {key!r}")
    return value


def _article(document: Any, default_id: str, where: str) -> Article | None:
    """An article from one cluster document, cleaned exactly as ``summarize --clusters`` cleans it; None when
    cleaning leaves nothing of it."""
    try:
        return article_from_record(document, default_id=default_id)
    except NothingLeft:
        return None
    except InputError as exc:
        raise DataError(f"{where}: document {default_id}: {exc}") from exc
