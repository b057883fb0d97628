"""What ``add`` keeps: each article stored once, copies linked to their original, failures and warnings reported."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from newsroundup.errors import SourceError
from newsroundup.grouping.copies import Signature, SyndicationIndex, signature_of
from newsroundup.model import Article
from newsroundup.sources.identity import fingerprint
from newsroundup.store.base import ArticleSink

log = logging.getLogger(__name__)


@dataclass
class AddReport:
    """What an ``add`` did: counts, and one line per failure."""

    added: int = 0
    copies: int = 0
    partial: int = 0
    completed: int = 0  # partial articles whose page could be had this time
    already: int = 0
    feeds_polled: int = 0
    feeds_unchanged: int = 0
    requests: int = 0
    failures: list[str] = field(default_factory=list)  # nothing was stored for these
    warnings: list[str] = field(default_factory=list)  # stored, but not completely
    # Nothing of an article in them (all page furniture or punctuation once cleaned): left out, which is no failure
    skipped: list[str] = field(default_factory=list)


# Called for each item done: (what it was, what happened: "added", ..., or "error: <reason>"),
# and for notes on an item that is not done yet ("warning: <reason>").
Progress = Callable[[str, str], None]


class Keeper:
    """One ``add`` run's storing and reporting: the sink, the syndication index and the running report."""

    def __init__(self, sink: ArticleSink, progress: Progress) -> None:
        self.sink = sink
        self.progress = progress
        self.report = AddReport()
        self.index = SyndicationIndex()
        self._seen_seq = 0
        self._failing: set[tuple[str, str]] | None = None  # (source, item) failed before: read once per run

    def save(
        self, article: Article, source: str, aliases: Sequence[str], item: str = "", clear: bool = True
    ) -> bool:
        """Store one article unless it is already there, linking it to the original it copies."""
        if article.fetched_at is None:
            article = replace(article, fetched_at=datetime.now(UTC))
        print_ = fingerprint(article.text)
        label = article.url or item or source
        if self.sink.find_same(article, print_) is not None:
            self.report.already += 1
            self.sink.save_article(article, fingerprint=print_, source=source, aliases=aliases)
            self.progress(label, "already stored")
            return False
        self._refresh_index()
        signature = signature_of(article.text)
        when = article.published or article.fetched_at
        if article.syndicated_from:
            self.index.load(article.id, signature, when, article.syndicated_from)
            links: dict[str, str | None] = {}
        else:
            links = self.index.link(article.id, signature, when)
            article = replace(article, syndicated_from=links.get(article.id))
        stored = self.sink.save_article(
            article, fingerprint=print_, source=source, aliases=aliases,
            minhash=signature.to_bytes(), shingles=signature.shingles, links=links,
        )
        if not stored:
            self.report.already += 1
            self.progress(label, "already stored")
            return False
        if clear and item and (source, item) in self._failed_before():
            self.sink.clear_failure(source, item)
        self.report.added += 1
        self.report.copies += article.syndicated_from is not None
        self.report.partial += article.partial
        outcome = f"copy of {article.syndicated_from}" if article.syndicated_from else "added"
        log.info("%s: %s", label, outcome)
        self.progress(label, outcome)
        return True

    def _failed_before(self) -> set[tuple[str, str]]:
        """The items with a recorded failure: only those need one forgotten when they succeed (a
        statement per stored article otherwise, a round trip each on a database server)."""
        if self._failing is None:
            self._failing = {(f[0], f[1]) for f in self.sink.failures()}
        return self._failing

    def _refresh_index(self) -> None:
        """Index articles stored since the last look (by this run or a concurrent one)."""
        for row in self.sink.signatures_after(self._seen_seq):
            self._seen_seq = max(self._seen_seq, row.seq)
            signature = Signature.from_bytes(row.minhash, row.shingles)
            self.index.load(row.article_id, signature, row.when, row.syndicated_from)

    def warn(self, note: str) -> None:
        """A loader's warning (an article cut at the size cap): kept in the report and shown."""
        self.report.warnings.append(note)
        self.progress(note.split(": ", 1)[0], f"warning: {note}")

    def skip(self, item: str, reason: str) -> None:
        """Leave out an input with nothing of an article in it (all page furniture): reported, not a failure."""
        self.report.skipped.append(reason)
        self.progress(item, f"warning: skipped, {reason}")

    def fail(self, source: str, item: str, error: SourceError) -> None:
        """Record a failure in the sink and the report; the run carries on."""
        self.sink.record_failure(source, item, error.kind, str(error))
        self._failed_before().add((source, item))
        self.report.failures.append(str(error))
        log.warning("%s", error)
        self.progress(item or source, f"error: {error}")
