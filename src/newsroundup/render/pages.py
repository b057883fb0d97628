"""The reader's pages (home, story, article, entity, merged story, feed), for the web app and the static site.

One set of templates and one set of view builders: the server and the static site differ only in
their :class:`~newsroundup.render.links.Links`. Pages read an :class:`Archive` (the store is one).
Everything from articles is untrusted: templates autoescape, and only http(s) addresses become links.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime
from functools import cached_property
from typing import Any, Protocol

from newsroundup.errors import InputError
from newsroundup.model import Article, Roundup, Span
from newsroundup.render.atom import FeedEntry, render_atom
from newsroundup.render.entities import EntityEntry, EntityMention, entity_index
from newsroundup.render.html import citation, safe_url
from newsroundup.render.links import Links, entity_key
from newsroundup.render.markdown import only_here, outlet_name, source_label
from newsroundup.render.stories import ListedStory, RoundupEdition, outlets, roundup_changes
from newsroundup.render.templates import environment

HOME_STORIES = 100
FEED_ENTRIES = 100
STYLESHEET = "style.css"
# What the pages say in a <meta> CSP (a static site has no headers); the server's header adds
# frame-ancestors, which a <meta> policy cannot carry.
PAGE_POLICY = (
    "default-src 'none'; style-src 'self'; img-src 'self'; script-src 'none'; form-action 'self'; base-uri 'none'"
)
_PARAGRAPHS = re.compile(r"\n\s*\n|\n")


class Archive(Protocol):
    """What the pages read: stories, their roundup versions, articles and entities (the store is one)."""

    def story_rows(self) -> Sequence[ListedStory]: ...
    def merged_story_rows(self) -> Sequence[ListedStory]: ...
    def story_row(self, story_id: str, /) -> ListedStory: ...
    def roundup_versions(self, story_id: str, /, limit: int | None = None) -> Sequence[RoundupEdition]: ...
    def story_article_ids(self, story_id: str, /) -> Sequence[str]: ...
    def articles_by_id(self, ids: Sequence[str], /) -> Sequence[Article]: ...
    def articles(self, *, ids: Sequence[str] | None = None) -> Sequence[Article]: ...
    def story_of(self, article_id: str, /) -> str | None: ...
    def entity_mentions(self) -> Sequence[EntityMention]: ...


class NotFound(InputError):
    """The page or record asked for does not exist."""


class Moved(Exception):
    """The story asked for was merged into another one, which is where its page now is."""

    def __init__(self, story_id: str) -> None:
        super().__init__(story_id)
        self.story_id = story_id


class Pages:
    """Renders every page from one archive with one link scheme; pages come back as HTML text."""

    def __init__(self, archive: Archive, links: Links) -> None:
        self.archive = archive
        self.links = links

    @cached_property
    def entities(self) -> dict[str, EntityEntry]:
        """Every entity named by a live story's latest roundup, by key."""
        return entity_index(self.archive.entity_mentions())

    # -- pages -----------------------------------------------------------------------------------

    def home(self) -> str:
        """The latest stories: headline, first sentence, independent sources, outlets, time."""
        links = self.links.at(0)
        rows = [row for row in self.archive.story_rows() if row.version][:HOME_STORIES]
        stories = [self._listed(row, links) for row in rows]
        return render_page("home.html", links, title="Latest stories", stories=stories)

    def story(self, story_id: str) -> str:
        """A story's roundup: cited sentences with their sources in context, extras, sources, history."""
        links = self.links.at(1)
        row = self._story_row(story_id)
        versions = self.archive.roundup_versions(row.id)
        if not versions:
            raise NotFound(f"story {row.id} has no roundup yet")
        articles = self.archive.articles_by_id(self.archive.story_article_ids(row.id))
        view = _StoryView(row, versions[0].roundup, articles, links, self.entities)
        history = [
            _version_view(v, versions[n + 1] if n + 1 < len(versions) else None) for n, v in enumerate(versions)
        ]
        return render_page(
            "story.html", links, title=view.headline, story=view.page(versions[0].created_at), history=history
        )

    def article(self, article_id: str) -> str:
        """One stored article: where it is from, its story, and its text."""
        links = self.links.at(1)
        found = self.archive.articles(ids=[article_id])
        if not found:
            raise NotFound(f"no stored article with id {article_id!r}")
        article = found[0]
        story = self.archive.story_of(article.id)
        original = self.archive.articles(ids=[article.syndicated_from]) if article.syndicated_from else []
        view = {
            "title": article.title or "(untitled article)",
            "outlet": article.outlet or "(unknown outlet)",
            "author": article.author,
            "published": short_date(article.published),
            "fetched": short_date(article.fetched_at),
            "link": safe_url(article.url),
            "url_text": article.url if article.url and not safe_url(article.url) else None,
            "partial": article.partial,
            # a story without a roundup yet has no page to lead to
            "story": links.story(story) if story and self.archive.roundup_versions(story, limit=1) else None,
            "original": {"href": links.article(original[0].id), "label": _article_label(original[0])}
            if original
            else None,
            "paragraphs": [p.strip() for p in _PARAGRAPHS.split(article.text) if p.strip()],
        }
        return render_page("article.html", links, title=view["title"], article=view)

    def entity(self, key: str) -> str:
        """An entity and the stories naming it."""
        links = self.links.at(1)
        entry = self.entities.get(key)
        if entry is None:
            raise NotFound(f"no entity {key!r} in the stories")
        stories = []
        for story_id in entry.stories:
            try:
                stories.append(self._listed(self.archive.story_row(story_id), links))
            except InputError:
                continue  # merged or gone since the index was read
        view = {"name": entry.name, "kind": entry.kind, "aliases": entry.aliases, "roles": entry.roles}
        return render_page("entity.html", links, title=entry.name, entity=view, stories=stories)

    def merged(self, story_id: str) -> str:
        """The static site's page for a story merged into another: a link to the story it became."""
        links = self.links.at(1)
        row = self.archive.story_row(story_id)  # follows merges
        versions = self.archive.roundup_versions(row.id, limit=1)
        if row.id == story_id or not versions:
            raise NotFound(f"story {story_id} was not merged into a story with a roundup")
        story = {"href": links.story(row.id), "headline": versions[0].roundup.headline or "(untitled story)"}
        return render_page("merged.html", links, title="Story merged", story=story)

    def not_found(self, message: str) -> str:
        """The page for anything that is not there."""
        return not_found_page(self.links, message)

    def feed(self) -> str:
        """The Atom feed of the most recently updated stories (links relative to the feed)."""
        entries = []
        for row in self.archive.story_rows():
            versions = self.archive.roundup_versions(row.id, limit=1) if row.version else []
            if versions:
                roundup = versions[0].roundup
                entries.append(
                    FeedEntry(
                        id=row.id,
                        title=roundup.headline or "(untitled story)",
                        link=self.links.at(0).story(row.id).lstrip("/"),
                        updated=versions[0].created_at,
                        published=row.first_seen,
                        summary=feed_summary(roundup),
                    )
                )
        entries.sort(key=lambda e: e.updated, reverse=True)
        updated = entries[0].updated if entries else datetime(1970, 1, 1, tzinfo=UTC)
        return render_atom(entries[:FEED_ENTRIES], title="newsroundup: stories", updated=updated, self_link="feed.atom")

    # -- helpers ---------------------------------------------------------------------------------

    def _story_row(self, story_id: str) -> ListedStory:
        try:
            row = self.archive.story_row(story_id)
        except InputError as exc:
            raise NotFound(f"no story with id {story_id!r}") from exc
        if row.id != story_id:
            raise Moved(row.id)
        return row

    def _listed(self, row: ListedStory, links: Links) -> dict[str, Any]:
        """A story as lists show it."""
        versions = self.archive.roundup_versions(row.id, limit=1) if row.version else []
        roundup = versions[0].roundup if versions else None
        return {
            "id": row.id,
            "href": links.story(row.id),
            "headline": (roundup.headline if roundup else row.headline) or "(untitled story)",
            "lede": roundup.sentences[0].text if roundup and roundup.sentences else "",
            "independent": row.independent,
            "articles": row.articles,
            "outlets": outlets(roundup) if roundup else [],
            "when": _time(row.last_seen),
            "when_iso": row.last_seen.isoformat() if row.last_seen else None,
        }


def feed_summary(roundup: Roundup) -> str:
    """A feed entry's text: what's new since the version before when there is one, then the roundup."""
    summary = " ".join(s.text for s in roundup.sentences)
    if roundup.whats_new_since is None:
        return summary
    new = " ".join(s.text for s in roundup.whats_new) or "Nothing new of substance."
    return f"What's new since version {roundup.whats_new_since}: {new} — The story so far: {summary}"


def not_found_page(links: Links, message: str) -> str:
    """The page for anything that is not there (it reads nothing from the store)."""
    return render_page("not_found.html", links.at(0), title="Not found", message=message)


class _StoryView:
    """What the story template shows; every citation gets a number and its source in context."""

    def __init__(
        self,
        row: ListedStory,
        roundup: Roundup,
        articles: Sequence[Article],
        links: Links,
        entities: dict[str, EntityEntry],
    ) -> None:
        self.row = row
        self.roundup = roundup
        self.articles = {a.id: a for a in articles}
        self.ordered = list(articles)
        self.links = links
        self.entities = entities
        self.headline = roundup.headline or "(untitled story)"
        self.cited = 0

    def cite(self, span: Span) -> dict[str, Any]:
        """The next citation number and what its source block shows."""
        self.cited += 1
        article = self.articles.get(span.article)
        url = article.url if article else None
        context = citation(span, article, self.cited, safe_url(url))
        return {
            "n": self.cited,
            "before": context.before,
            "cited": context.cited,
            "after": context.after,
            "link": context.link,
            "url_text": url if url and not safe_url(url) else None,
            "outlet": (article.outlet if article else None) or "the source",
            "label": _article_label(article) if article else span.article,
            "href": self.links.article(span.article),
        }

    def headline_from(self) -> dict[str, Any] | None:
        """Where a headline taken from a sentence comes from, and how many clauses a shortened lede left out."""
        span = self.roundup.headline_source
        if span is None:
            return None
        article = self.articles.get(span.article)
        return {
            "href": self.links.article(span.article),
            "outlet": (article.outlet if article else None) or "the source",
            "shortened": len(self.roundup.headline_cuts),
        }

    def sentences(self) -> list[dict[str, Any]]:
        """The roundup's sentences, numbered [1]..[N], then the reports corroborating each (numbered after)."""
        r = self.roundup
        out: list[dict[str, Any]] = [
            {"text": s.text, "cite": self.cite(s.source), "only": only_here(r, s)} for s in r.sentences
        ]
        for entry, sentence in zip(out, r.sentences, strict=True):
            entry["reported_by"] = len(sentence.corroboration) + 1
            entry["also"] = [
                self.cite(c.span) | {"outlet": outlet_name(c.outlet)} for c in sentence.corroboration
            ]
        return out

    def page(self, updated: datetime) -> dict[str, Any]:
        r = self.roundup
        sentences = self.sentences()
        listed = {s.source for s in r.sentences}
        return {
            "id": self.row.id,
            "headline": self.headline,
            "headline_from": self.headline_from(),
            "json": self.links.story_json(self.row.id),
            "dates": _dates(self.row.first_seen, self.row.last_seen),
            "updated": _time(updated),
            "articles": self.row.articles,
            "independent": self.row.independent,
            "outlets": outlets(r),
            "sentences": sentences,
            "whats_new_since": r.whats_new_since,
            "whats_new": [{"text": s.text, "cite": self.cite(s.source)} for s in r.whats_new],
            "quotes": [{"text": q.text, "speaker": q.speaker, "cite": self.cite(q.span)} for q in r.quotes],
            "statements": [
                {"text": q.text, "speaker": q.speaker, "cue": q.cue, "cite": self.cite(q.span)} for q in r.statements
            ],
            "entities": [
                {
                    "name": e.name,
                    "kind": e.kind,
                    "aliases": ", ".join(e.aliases),
                    "roles": "; ".join(e.roles),
                    "href": self.links.entity(entity_key(e.name)) if entity_key(e.name) in self.entities else None,
                }
                for e in r.entities
            ],
            "timeline": [
                {"when": t.when.date().isoformat(), "label": t.label, "text": t.text, "cite": self.cite(t.source)}
                for t in r.timeline
            ],
            "disagreements": [
                {
                    "fact": d.fact,
                    "values": [{"value": v, "cite": self.cite(s)} for v, s in zip(d.values, d.sources, strict=True)],
                }
                for d in r.disagreements
            ],
            "exclusives": [
                {"text": e.text, "outlet": outlet_name(e.outlet), "cite": self.cite(e.source)}
                for e in r.exclusives
                if e.source not in listed
            ],
            "sources": self.sources(),
            "warnings": list(r.warnings),
        }

    def sources(self) -> list[dict[str, Any]]:
        """The story's articles grouped by outlet, copies folded under the original they copy."""
        copies: dict[str, list[Article]] = {}
        for article in self.ordered:
            if article.syndicated_from in self.articles:
                copies.setdefault(article.syndicated_from, []).append(article)
        groups: dict[str, dict[str, Any]] = {}
        for article in self.ordered:
            if article.syndicated_from in self.articles:
                continue
            outlet = article.outlet or "(unknown outlet)"
            group = groups.setdefault(outlet.casefold(), {"outlet": outlet, "articles": []})
            entry = self._source(article)
            entry["copies"] = [self._source(copy) for copy in copies.get(article.id, [])]
            group["articles"].append(entry)
        return [groups[key] for key in sorted(groups)]

    def _source(self, article: Article) -> dict[str, Any]:
        return {
            "outlet": article.outlet or "(unknown outlet)",
            "title": article.title or "(untitled article)",
            "href": self.links.article(article.id),
            "date": short_date(article.published),
            "link": safe_url(article.url),
            "copy": article.syndicated_from is not None,
        }


def _version_view(version: RoundupEdition, previous: RoundupEdition | None) -> dict[str, Any]:
    """One roundup version and what it says that the one before did not."""
    changes = roundup_changes(
        version.roundup, version.version, previous.roundup if previous else None, previous.version if previous else None
    )
    return {
        "version": version.version,
        "when": _time(version.created_at),
        "headline": version.roundup.headline,
        "first": previous is None,
        "headline_before": changes.headline_before,
        "added": [s.text for s in changes.added] if previous else [],
        "removed": [s.text for s in changes.removed],
        "new_sources": [source_label(s) for s in changes.new_sources],
    }


def render_page(template: str, links: Links, **context: Any) -> str:
    """One page from its template, with the links and the Content-Security-Policy every page carries."""
    return environment().get_template(template).render(links=links, policy=PAGE_POLICY, **context)


def _article_label(article: Article) -> str:
    return " — ".join(p for p in (article.outlet, article.title) if p) or article.id


def _dates(first: datetime | None, last: datetime | None) -> str:
    a, b = short_date(first), short_date(last)
    if a and b and a != b:
        return f"{a} – {b}"
    return a or b or "undated"


def short_date(when: datetime | None) -> str | None:
    """A date as pages show it (UTC, ``2026-04-13``); None for no date."""
    return when.astimezone(UTC).strftime("%Y-%m-%d") if when else None


def _time(when: datetime | None) -> str | None:
    return when.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC") if when else None
