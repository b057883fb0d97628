"""The ``aliases`` defect: one group, organisation or person under several names in the audited article.

A stitched article mixes its outlets' styles: "Islamic State" from one report, "Daesh" from another,
"ISIL" after "ISIS". Names are found through the alias tables (``annotate.aliases``: built-in sets, and the
user's alias file); a sentence is flagged when it names a group, organisation or person otherwise than the
article did first, unless its own source uses both names (then the mix is the source's style, not the
stitching), the article declared the short form in parentheses ("the Islamic State (IS)"), or the name is
the short form after the full one ("the United Nations ... the UN", ordinary style). Places are left out:
"the United States" and "U.S." in one article is ordinary style. Informational: nothing in the sentence is
false.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from newsroundup.annotate.aliases import BUILTIN_ALIASES, AliasEntry, AliasTable, is_acronym, name_key
from newsroundup.audit.provenance import Alignment, SentenceIndex
from newsroundup.model import Defect


@dataclass(frozen=True, slots=True)
class NameUse:
    """A name of an alias set as written at ``start`` of a text."""

    entry: AliasEntry
    written: str
    start: int

    @property
    def key(self) -> str:
        return name_key(self.written)


@lru_cache(maxsize=8)
def _names(table: AliasTable) -> tuple[re.Pattern[str], dict[str, AliasEntry]]:
    """One pattern for every name of ``table`` (longest first, whole words, as written), and each name's set."""
    by_name: dict[str, AliasEntry] = {}
    for entry in table.entries:
        for name in (entry.name, *entry.aliases):
            by_name.setdefault(name, entry)
    ordered = sorted(by_name, key=lambda n: (-len(n), n))
    pattern = re.compile(r"(?<![\w.-])(?:" + "|".join(re.escape(n) for n in ordered) + r")(?![\w-]|\.\w)")
    return pattern, by_name


_WORD_BEFORE = re.compile(r"([\w.'-]+)\s+(?:(of|de|du)\s+)?$")
_WORD_AFTER = re.compile(r"^\s*([\w.'-]+)")
_THE = re.compile(r"^the\s+", re.IGNORECASE)
_DETERMINERS = frozenset({"The", "A", "An", "This", "That", "In", "On", "At", "By", "For", "From", "With", "And"})


def name_uses(text: str, table: AliasTable = BUILTIN_ALIASES) -> list[NameUse]:
    """Every name of an alias set in ``text``, in order ("the UN" and "UN" are one name).

    A name inside a longer proper name is not one ("Latin America", "Bank of America"), nor a short form
    in a line of capitals ("THIS IS NOT").
    """
    if not table.entries:
        return []
    pattern, by_name = _names(table)
    uses = []
    for match in pattern.finditer(text):
        before = _WORD_BEFORE.search(text[max(0, match.start() - 40) : match.start()])
        word = before.group(1) if before else ""
        if word[:1].isupper() and word not in _DETERMINERS and not word.endswith("."):
            continue  # a capitalised word before it, in the same sentence: part of a longer name
        after = _WORD_AFTER.match(text[match.end() : match.end() + 40])
        shouted = [w.group(1) for w in (before, after) if w and len(w.group(1)) > 1]
        if match.group().isupper() and any(w.isupper() and w.isalpha() for w in shouted):
            continue
        uses.append(NameUse(by_name[match.group()], match.group(), match.start()))
    return uses


def _declared(text: str, use: NameUse, uses: Sequence[NameUse]) -> bool:
    """True when ``use`` is introduced in parentheses right after another name of its set ("Islamic State (IS)")."""
    before = text[: use.start].rstrip()
    if not before.endswith("(") or not text[use.start + len(use.written) :].lstrip().startswith(")"):
        return False
    head = before[:-1].rstrip()
    return any(
        u.entry is use.entry and u.key != use.key and head.endswith(u.written) for u in uses if u.start < use.start
    )


def _short(name: str) -> bool:
    """True for a short form: an acronym, with or without "the" ("UN", "the U.N.")."""
    return is_acronym(_THE.sub("", name))


def alias_defects(
    texts: Sequence[str], found: Sequence[Alignment], index: SentenceIndex, table: AliasTable = BUILTIN_ALIASES
) -> list[Defect | None]:
    """For each sentence: an ``aliases`` defect when it names an entity otherwise than the article did first."""
    offsets, at = [], 0
    for text in texts:
        offsets.append(at)
        at += len(text) + 1
    whole = " ".join(texts)
    uses = name_uses(whole, table)
    declared = {u.key for u in uses if _declared(whole, u, uses)}
    first: dict[str, tuple[NameUse, int]] = {}  # per alias set: the name the article used first, and its sentence
    out: list[Defect | None] = [None] * len(texts)
    sentence = 0
    by_id = {a.id: a for a in index.articles}
    said: dict[str, list[NameUse]] = {}  # the names each source uses, read once per source
    for use in uses:
        while sentence + 1 < len(texts) and offsets[sentence + 1] <= use.start:
            sentence += 1
        if use.entry.kind == "place":
            continue  # "the United States" and "U.S.", "Britain" and "the UK": one outlet's ordinary style
        earlier = first.setdefault(use.entry.name, (use, sentence))
        if earlier[0].key == use.key or use.key in declared or out[sentence] is not None:
            continue
        if _short(use.written) and not _short(earlier[0].written):
            continue  # the full name first, its short form after: ordinary style
        alignment = found[sentence]
        source = alignment.span.article if alignment.span is not None else None
        if source is not None and source not in said:
            said[source] = name_uses(by_id[source].text, table)
        if any(u.entry is use.entry and u.key == earlier[0].key for u in said.get(source or "", [])):
            continue  # its source says both: the source's own style
        out[sentence] = Defect(
            "aliases",
            f"{use.written!r} here, {earlier[0].written!r} in sentence {earlier[1] + 1}: one {use.entry.kind} "
            f"({use.entry.name}) under several names",
            (alignment.span,) if alignment.span is not None else (),
        )
    return out
