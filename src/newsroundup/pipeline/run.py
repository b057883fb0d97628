"""``newsroundup run``: add sources, group new articles into stories, refresh changed roundups, write the site.

This module composes the stages around the store (like the CLI, it sits at the edge): each step
reads what the step before left in the store, so a run interrupted anywhere is finished by the next.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from newsroundup.errors import InputError, NewsroundupError
from newsroundup.grouping.options import GroupingOptions
from newsroundup.grouping.signals import article_signals
from newsroundup.grouping.state import index_changes, index_from_dict
from newsroundup.grouping.stories import StoryIndex
from newsroundup.grouping.vectors import DEFAULT_BACKEND, Backend
from newsroundup.model import Article, Roundup, independent_outlets, roundup_to_json
from newsroundup.pipeline.add import AddOptions, add_sources
from newsroundup.pipeline.keep import AddReport, Progress
from newsroundup.render.site import SiteReport, check_site_folder, write_site
from newsroundup.roundup.checker import check_roundup
from newsroundup.roundup.enrich import EnrichOptions
from newsroundup.roundup.summarize import RoundupOptions
from newsroundup.roundup.write import write_roundup
from newsroundup.store.base import Store

if TYPE_CHECKING:
    from newsroundup.annotate.nlp import ParseAhead

Notify = Callable[[str], None]
GROUPING_ATTEMPTS = 3  # another run may save its grouping between our read and our write
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
WHATS_NEW_SHARE = 0.5  # of the word budget, for what's new since the previous version


@dataclass(frozen=True)
class RunOptions:
    """How ``run`` works; every field has a default fit for the command line."""

    words: int = 100
    # key quotes, who's who, timeline and disagreements on story pages; None: none (spaCy not loaded)
    enrich: EnrichOptions | None = field(default_factory=EnrichOptions)
    add: AddOptions = field(default_factory=AddOptions)
    backend: Backend = DEFAULT_BACKEND
    grouping: GroupingOptions | None = None  # only for a store that has no grouping yet (or regroup)
    regroup: bool = False  # group every stored article again from an empty state


@dataclass(frozen=True)
class GroupReport:
    """What grouping did: articles placed, stories started, merged and changed."""

    grouped: int = 0
    created: tuple[str, ...] = ()
    merged: dict[str, str] = field(default_factory=dict)
    changed: tuple[str, ...] = ()
    regrouped: str | None = None  # why every article was grouped again, when it was


@dataclass(frozen=True)
class RefreshReport:
    """Roundups written (story id, version), stories whose article set had not changed, failures, and stories
    another worker was writing at the same time (left to it)."""

    written: tuple[tuple[str, int], ...] = ()
    unchanged: tuple[str, ...] = ()
    failures: tuple[str, ...] = ()
    busy: tuple[str, ...] = ()


@dataclass(frozen=True)
class RunReport:
    """Everything one ``run`` did."""

    added: AddReport | None
    grouping: GroupReport
    refresh: RefreshReport
    site: SiteReport | None

    @property
    def failed(self) -> bool:
        """True when a source or an item failed; a story without a new roundup is reported, not a failure."""
        return bool(self.added and self.added.failures)


def run(
    sources: Sequence[str],
    store: Store,
    out: Path | None,
    options: RunOptions | None = None,
    *,
    add_progress: Progress | None = None,
    notify: Notify | None = None,
) -> RunReport:
    """Add ``sources`` to ``store``, group, refresh the roundups that changed and write the site to ``out``."""
    options = options or RunOptions()
    say = notify or (lambda _line: None)
    if out is not None:
        check_site_folder(out)  # before any work, not after it
    added = add_sources(sources, store, options.add, add_progress) if sources else None
    if added is not None:
        say(
            f"added {added.added} articles ({added.copies} copies), {added.already} already stored, "
            f"{len(added.failures)} failed, {len(added.skipped)} skipped (nothing of an article in them)"
        )
    grouping = group_new_articles(store, options.backend, options.grouping, regroup=options.regroup, notify=say)
    if grouping.regrouped:
        say(f"grouped every stored article again: {grouping.regrouped}")
    say(
        f"grouped {grouping.grouped} articles: {len(grouping.created)} new stories, "
        f"{len(grouping.merged)} merged, {len(grouping.changed)} changed"
    )
    refresh = refresh_roundups(store, RoundupOptions(words=options.words, enrich=options.enrich), notify=say)
    say(
        f"roundups: {len(refresh.written)} written, {len(refresh.unchanged)} unchanged, "
        f"{len(refresh.failures)} stories without a new roundup"
        + (f", {len(refresh.busy)} being written by another worker" if refresh.busy else "")
    )
    site = None
    if out is not None:
        site = write_site(store, out)
        say(f"site: {site.index} ({site.stories} stories, {site.written} pages written)")
    return RunReport(added, grouping, refresh, site)


def group_new_articles(
    store: Store,
    backend: Backend = DEFAULT_BACKEND,
    options: GroupingOptions | None = None,
    *,
    regroup: bool = False,
    notify: Notify | None = None,
) -> GroupReport:
    """Place every article stored since the last grouping into a story, oldest first, and save.

    ``regroup`` starts from an empty state and places every stored article again. That is also
    done, and said in the report, when the saved state cannot be read (written by a version of
    newsroundup that saved it differently, or damaged): the articles are all in the store, so
    nothing is lost. Stories that come out with the same first article keep their ids; the old
    ids of the others lead to the stories now holding their articles.
    """
    for _attempt in range(GROUPING_ATTEMPTS):
        report = _group_once(store, backend, options, regroup)
        if report is not None:
            return report
        if notify is not None:
            notify("another run saved its stories first: grouping again from them")
    raise InputError(f"{store.path}: other runs kept grouping articles at the same time; run again later")


def _group_once(
    store: Store, backend: Backend, options: GroupingOptions | None, regroup: bool
) -> GroupReport | None:
    """One try of :func:`group_new_articles`; None when another run saved its grouping first."""
    saved = store.grouping_state()
    reason = "asked for" if regroup else None
    index = StoryIndex(options)
    if saved.state is not None and not regroup:
        try:
            index = index_from_dict(saved.state)
        except InputError as exc:
            reason = f"the saved grouping cannot be used ({exc})"
    regroup = reason is not None
    rows = store.articles_after(0 if regroup else saved.article_seq)
    if not rows:
        return GroupReport()
    fresh = [(seq, a) for seq, a in rows if index.story_of(a.id) is None]
    fresh.sort(key=lambda pair: (_when(pair[1]), pair[0]))  # coverage arrives in time order
    articles = [a for _, a in fresh]
    now = datetime.now(UTC)  # the clock is read here, at the edge, never inside a stage
    placements = index.add_all(article_signals(articles, backend=backend, now=now)) if articles else []
    # In placement order, never a set's: stories get their row numbers (and the home page its ties) from this order,
    # so a re-run after a crash, or any other run, numbers them as this one does.
    merged = {gone: index.resolve(gone) for p in placements for gone in p.merged}
    touched = dict.fromkeys(index.resolve(p.story) for p in placements)
    changed = sorted(touched, key=lambda s: index.story(s).first_seen or _EPOCH)
    stories = [index.story(id) for id in changed]
    known = {row.id for row in store.story_rows()} if regroup else set()  # before saving: the old stories
    created = tuple(p.story for p in placements if p.created and p.story not in merged and p.story not in known)
    shared, story_states, gone_states = index_changes(index)
    saved_now = store.save_grouping(
        shared,
        story_states=story_states,
        gone_states=gone_states,
        article_seq=max(seq for seq, _ in rows),
        previous_seq=saved.article_seq,
        stories=stories,
        merged=merged,
        regrouped=regroup,
    )
    return GroupReport(len(placements), created, merged, tuple(changed), reason) if saved_now else None


def refresh_roundups(store: Store, options: RoundupOptions, *, notify: Notify | None = None) -> RefreshReport:
    """Write a new roundup version for every story whose article set changed since its last one.

    Each roundup must pass ``check_roundup`` before it is kept. One story never sinks the others:
    when the enriched roundup fails, the plain one is tried; a story that still gets none (no usable
    text, a refused check, an unexpected error) is reported with its reason and keeps its previous
    version, or none.
    """
    say = notify or (lambda _line: None)
    written: list[tuple[str, int]] = []
    unchanged: list[str] = []
    failures: list[str] = []
    busy: list[str] = []
    stale = store.stale_story_ids()
    ahead = _ParseAhead(store, stale) if options.enrich is not None else None
    try:
        for n, story_id in enumerate(stale):
            if ahead is not None:
                ahead.at(n)
            with store.claim_story(story_id) as mine:
                if not mine:  # another worker is writing this story's version now
                    busy.append(story_id)
                    continue
                articles = store.articles_by_id(store.story_article_ids(story_id))
                fingerprint = article_set_fingerprint(articles)
                # read once claimed: another worker may just have saved
                latest = store.roundup_fingerprint(story_id)
                if latest == fingerprint:
                    unchanged.append(story_id)
                    continue
                roundup, reason = _checked_roundup(articles, options, story_id, store)
                if roundup is None:
                    kept = "keeps its last version" if latest else "has none yet"
                    line = f"story {story_id}: no new roundup ({reason}); {kept}"
                    failures.append(line)
                    say(f"error: {line}")
                    continue
                version = store.save_roundup(
                    story_id, fingerprint, roundup_to_json(roundup), independent_sources(articles)
                )
            written.append((story_id, version))
            say(f"story {story_id} v{version}: {roundup.headline}")
    finally:
        if ahead is not None:
            ahead.at(len(stale))  # the helper's last answer collected: it is free again
    return RefreshReport(tuple(written), tuple(unchanged), tuple(failures), tuple(busy))


class _ParseAhead:
    """The next stale story's articles parsed on the second core (``annotate.nlp.parse_ahead``) while this
    process writes the current story's roundup, so that an enriched refresh finds them in the parse cache."""

    def __init__(self, store: Store, stale: Sequence[str]) -> None:
        self.store = store
        self.stale = stale
        self.pending: ParseAhead | None = None  # handed over for the next story

    def at(self, n: int) -> None:
        """Story ``n`` is next: keep the parses handed over for it, and hand over story ``n + 1``'s."""
        from newsroundup.annotate.nlp import parse_ahead

        if self.pending is not None:
            self.pending.keep()
            self.pending = None
        if n + 1 >= len(self.stale):
            return
        story = self.stale[n + 1]
        articles = self.store.articles_by_id(self.store.story_article_ids(story))
        if self.store.roundup_fingerprint(story) != article_set_fingerprint(articles):  # else it is skipped
            self.pending = parse_ahead([a.text for a in articles])


def _checked_roundup(
    articles: Sequence[Article], options: RoundupOptions, story_id: str, store: Store
) -> tuple[Roundup | None, str]:
    """A roundup of the story that passes its checker, else None and the reason (one line)."""
    attempts = [options] if options.enrich is None else [options, replace(options, enrich=None)]
    reason = ""
    for attempt in attempts:
        try:
            roundup = with_whats_new(write_roundup(articles, attempt, story_id=story_id), articles, store, attempt)
            if not roundup.sentences:
                return None, "no article has a usable sentence"
            check_roundup(roundup, articles, budget=attempt.words)
            return roundup, ""
        except NewsroundupError as exc:
            reason = str(exc)
        except Exception as exc:  # a bug in one story must not cost the others their roundups
            reason = f"unexpected {type(exc).__name__}: {' '.join(str(exc).split())[:200]}"
    return None, reason


def with_whats_new(roundup: Roundup, articles: Sequence[Article], store: Store, options: RoundupOptions) -> Roundup:
    """``roundup`` with what its story's articles added since its latest stored version say that was not said before.

    The articles of that version are those it listed as sources; the update (``roundup.update``) gets
    half the word budget and no enrichment. Unchanged when there is no earlier version or no new article.
    """
    previous = store.roundup_versions(roundup.story, limit=1)
    if not previous:
        return roundup
    read = {source.article for source in previous[0].roundup.sources}
    seen = [a for a in articles if a.id in read]
    new = [a for a in articles if a.id not in read]
    if not seen or not new:
        return roundup
    words = max(1, int(options.words * WHATS_NEW_SHARE))
    update = write_roundup(new, replace(options, words=words, enrich=None), story_id=roundup.story, seen=seen)
    return replace(roundup, whats_new=update.sentences, whats_new_since=previous[0].version)


def article_set_fingerprint(articles: Sequence[Article]) -> str:
    """A digest of what a roundup is made from: the articles' ids, texts and copy links, in any order."""
    lines = sorted(
        f"{a.id}\t{a.syndicated_from or ''}\t{hashlib.sha256(a.text.encode('utf-8')).hexdigest()}"
        for a in articles
    )
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()[:32]


def independent_sources(articles: Sequence[Article]) -> int:
    """Distinct outlets among the articles that are not copies of another (an unnamed outlet counts once each)."""
    return independent_outlets(articles)


def _when(article: Article) -> datetime:
    """When an article appeared: published, else fetched, else the epoch (undated go first)."""
    return article.published or article.fetched_at or _EPOCH
