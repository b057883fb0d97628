"""The people, organisations, groups and places named across stories, each with the stories naming it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from newsroundup.render.links import entity_key


class EntityMention(Protocol):
    """An entity as one story's latest roundup names it (the store's ``EntityMention`` is one)."""

    @property
    def story(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def aliases(self) -> tuple[str, ...]: ...
    @property
    def roles(self) -> tuple[str, ...]: ...


@dataclass(frozen=True, slots=True)
class EntityEntry:
    """One entity across stories: its key, name and kind, every alias and role stated, and its stories."""

    key: str
    name: str
    kind: str
    aliases: tuple[str, ...]
    roles: tuple[str, ...]
    stories: tuple[str, ...]  # most recently seen first


def entity_index(mentions: Iterable[EntityMention]) -> dict[str, EntityEntry]:
    """Mentions grouped by entity key (the name as the most recent story gives it wins), in mention order."""
    grouped: dict[str, list[EntityMention]] = {}
    for mention in mentions:
        grouped.setdefault(entity_key(mention.name), []).append(mention)
    return {
        key: EntityEntry(
            key=key,
            name=found[0].name,
            kind=found[0].kind,
            aliases=_unique(a for m in found for a in m.aliases),
            roles=_unique(r for m in found for r in m.roles),
            stories=_unique(m.story for m in found),
        )
        for key, found in grouped.items()
    }


def _unique(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))
