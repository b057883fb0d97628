"""Roles of a story's entities: as each article states them, dated, with spelling variants and restatements as one."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from newsroundup.annotate.aliases import fold
from newsroundup.model import Entity

if TYPE_CHECKING:
    from newsroundup.annotate.entity_merge import Node

__all__ = ["dated_roles", "has_role", "role_key"]

_ROLE_DATE = re.compile(r"\s*\(\d{4}-\d{2}-\d{2}\)$")


def has_role(entity: Entity, tail: str) -> bool:
    """True when one of ``entity``'s stated roles ends with the words ``tail`` (" chief executive")."""
    for role in entity.roles:
        words = fold(_ROLE_DATE.sub("", role))
        if (" " + words).endswith(tail):
            return True
    return False


def dated_roles(members: list[Node]) -> tuple[str, ...]:
    """Roles as the articles state them, one line per role, each with the date it was first stated.

    Spelling variants ("Defence"/"Defense", "U.S."/"US") are one role, and a role contained in a
    longer one ("Secretary" in "U.S. Defense Secretary") is that role: the most complete form is
    shown, longest first, with the earliest date any of its forms was stated.
    """
    first: dict[str, tuple[str, str | None]] = {}
    ordered = sorted(members, key=lambda n: n.article.published.timestamp() if n.article.published else 0.0)
    for node in ordered:
        when = node.article.published.date().isoformat() if node.article.published else None
        for stated in node.entity.roles:
            role = _clean_role(stated)
            if role:
                first.setdefault(role_key(role), (role, when))
    keys = sorted(first, key=lambda k: (-len(k.split()), -len(k)))
    kept: dict[str, tuple[str, str | None]] = {}
    for key in keys:
        owner = next((k for k in kept if _restates(key, k)), None)
        if owner is None:
            kept[key] = first[key]
            continue
        role, when = kept[owner]
        earlier = first[key][1]
        if earlier is not None and (when is None or earlier < when):
            kept[owner] = (role, earlier)
    return tuple(f"{role} ({when})" if when else role for role, when in kept.values())


# British and American spellings of role words, and the abbreviations of titles: one role either way.
_ROLE_SPELLING = {
    "defence": "defense", "labour": "labor", "organisation": "organization", "programme": "program",
    "gov": "governor", "sen": "senator", "rep": "representative", "atty": "attorney", "gen": "general",
    "lt": "lieutenant", "sgt": "sergeant", "cmdr": "commander", "supt": "superintendent", "dept": "department",
}


def _clean_role(role: str) -> str:
    """A role as shown: quotes and line breaks of the page trimmed, cut before a comma that opens an aside
    ("The Israeli prime minister, Binyamin Netanyahu, in a statement" → "The Israeli prime minister").
    """
    junk = " \t\n\"'“”‘’()[]"
    cut = re.split(r",|\n|;|\s[—–]\s", role.strip(junk), maxsplit=1)[0]
    return cut.strip(junk)


def role_key(role: str) -> str:
    """A key equal for spelling variants of one role: "the U.S. Defence Secretary" ~ "US Defense Secretary"."""
    words = re.sub(r"[^\w\s-]", "", re.sub(r"'s\b", "", fold(role)).replace(".", "")).split()
    while words and words[0] in {"the", "a", "an"}:
        words = words[1:]
    return " ".join(_ROLE_SPELLING.get(w, w) for w in words)


def _restates(short: str, long_: str) -> bool:
    """True when role key ``short`` is ``long_`` or words within it ("secretary" in "us defense secretary"),
    or, of two words or more, the same words in another order ("arizona former governor" in "former
    arizona governor", "goodlatte son" in "the son of rep bob goodlatte").

    Spaces and hyphens aside, so "u s defense secretary" and "us defense secretary" agree.
    """
    if f" {short} " in f" {long_} ":
        return True
    words = short.split()
    if len(words) > 1 and set(words) <= set(long_.split()):
        return True
    return short.replace(" ", "").replace("-", "") == long_.replace(" ", "").replace("-", "")
