"""Stories for people and pipes: the ``stories`` listing, a story's JSON, and what changed between two versions."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from newsroundup.model import Roundup, RoundupSentence, Source, roundup_to_json

_HEADLINE_WIDTH = 70


class ListedStory(Protocol):
    """What a listing shows of a story (the store's ``StoryRow`` is one)."""

    @property
    def id(self) -> str: ...
    @property
    def first_seen(self) -> datetime | None: ...
    @property
    def last_seen(self) -> datetime | None: ...
    @property
    def articles(self) -> int: ...
    @property
    def independent(self) -> int: ...
    @property
    def headline(self) -> str | None: ...
    @property
    def version(self) -> int: ...


class RoundupEdition(Protocol):
    """A numbered version of a story's roundup (the store's ``RoundupVersion`` is one)."""

    @property
    def version(self) -> int: ...
    @property
    def created_at(self) -> datetime: ...
    @property
    def roundup(self) -> Roundup: ...


@dataclass(frozen=True, slots=True)
class RoundupChanges:
    """What a roundup version says that the one before it did not, and what it no longer says."""

    version: int
    previous: int | None
    headline_before: str | None
    added: tuple[RoundupSentence, ...]
    removed: tuple[RoundupSentence, ...]
    new_sources: tuple[Source, ...]


def roundup_changes(
    roundup: Roundup, version: int, previous: Roundup | None, previous_version: int | None
) -> RoundupChanges:
    """Sentences added and removed (by text) and sources new since ``previous`` (everything when None)."""
    if previous is None:
        return RoundupChanges(version, None, None, roundup.sentences, (), roundup.sources)
    before = {s.text for s in previous.sentences}
    after = {s.text for s in roundup.sentences}
    known = {s.article for s in previous.sources}
    return RoundupChanges(
        version=version,
        previous=previous_version,
        headline_before=previous.headline if previous.headline != roundup.headline else None,
        added=tuple(s for s in roundup.sentences if s.text not in before),
        removed=tuple(s for s in previous.sentences if s.text not in after),
        new_sources=tuple(s for s in roundup.sources if s.article not in known),
    )


def changes_markdown(changes: RoundupChanges) -> str:
    """The changes as a Markdown section."""
    if changes.previous is None:
        return f"## Changes\n\nVersion {changes.version} is the first version of this story.\n"
    lines = [f"## Changes since version {changes.previous}", ""]
    if changes.headline_before is not None:
        lines += [f"Headline was: {changes.headline_before}", ""]
    lines += _listed("New sentences", [f"+ {s.text}" for s in changes.added])
    lines += _listed("Removed sentences", [f"- {s.text}" for s in changes.removed])
    lines += _listed(
        "New sources",
        [f"* {' — '.join(p for p in (s.outlet, s.title) if p) or s.article}" for s in changes.new_sources],
    )
    if not (changes.added or changes.removed or changes.new_sources or changes.headline_before):
        lines += ["Nothing a reader would notice changed.", ""]
    return "\n".join(lines)


def changes_to_dict(changes: RoundupChanges) -> dict[str, Any]:
    """The changes as JSON-ready data."""
    return {
        "version": changes.version,
        "previous_version": changes.previous,
        "headline_before": changes.headline_before,
        "added": [s.text for s in changes.added],
        "removed": [s.text for s in changes.removed],
        "new_sources": [
            {"article": s.article, "outlet": s.outlet, "title": s.title, "url": s.url} for s in changes.new_sources
        ],
    }


def stories_table(rows: Sequence[ListedStory]) -> str:
    """``newsroundup stories`` as an aligned table, most recently seen first."""
    table = [("id", "last seen", "first seen", "articles", "sources", "headline")]
    for row in rows:
        headline = row.headline or "(no roundup yet)"
        if len(headline) > _HEADLINE_WIDTH:
            headline = headline[: _HEADLINE_WIDTH - 1] + "…"
        table.append(
            (row.id, _short(row.last_seen), _short(row.first_seen), str(row.articles), str(row.independent), headline)
        )
    widths = [max(len(r[i]) for r in table) for i in range(5)]
    lines = [
        f"{r[0]:<{widths[0]}}  {r[1]:<{widths[1]}}  {r[2]:<{widths[2]}}  {r[3]:>{widths[3]}}  "
        f"{r[4]:>{widths[4]}}  {r[5]}".rstrip()
        for r in table
    ]
    return "\n".join(lines) + "\n"


def story_record(row: ListedStory) -> dict[str, Any]:
    """One listed story as a JSON object."""
    return {
        "id": row.id,
        "headline": row.headline,
        "articles": row.articles,
        "independent_sources": row.independent,
        "first_seen": row.first_seen.isoformat() if row.first_seen else None,
        "last_seen": row.last_seen.isoformat() if row.last_seen else None,
        "version": row.version,
    }


def story_summary(row: ListedStory, roundup: Roundup | None) -> dict[str, Any]:
    """A story as the JSON API lists it: its record, first sentence and outlets."""
    return {
        **story_record(row),
        "lede": roundup.sentences[0].text if roundup and roundup.sentences else None,
        "outlets": outlets(roundup) if roundup else [],
    }


def story_detail(row: ListedStory, versions: Sequence[RoundupEdition]) -> dict[str, Any]:
    """A story's JSON (the API's and the site's ``stories/ID.json``): its summary, latest roundup and changes.

    ``versions`` are its roundup versions, newest first (the latest two are enough).
    """
    latest, previous = versions[0], (versions[1] if len(versions) > 1 else None)
    changes = roundup_changes(
        latest.roundup, latest.version, previous.roundup if previous else None, previous.version if previous else None
    )
    return {
        "story": story_summary(row, latest.roundup),
        "roundup": roundup_to_json(latest.roundup),
        "changes": changes_to_dict(changes),
    }


def outlets(roundup: Roundup) -> list[str]:
    """The outlets of a roundup's original (not copied) sources, in source order, each once."""
    names: dict[str, str] = {}
    for source in roundup.sources:
        if source.outlet and source.syndicated_from is None:
            names.setdefault(source.outlet.casefold(), source.outlet)
    return list(names.values())


def _listed(title: str, items: list[str]) -> list[str]:
    return [f"{title}:", "", *items, ""] if items else []


def _short(when: datetime | None) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%d %H:%M") if when else "-"
