"""One name per entity across a story's articles: surnames, titles, aliases, acronyms and misspellings."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from newsroundup.annotate.aliases import (
    BUILTIN_ALIASES,
    AliasEntry,
    AliasTable,
    acronym,
    fold,
    is_acronym,
    name_key,
    same_given_name,
    same_name_token,
    same_person,
)
from newsroundup.annotate.mentions import (
    ArticleEntities,
    ArticleEntity,
    add_alias_mentions,
    add_surname_mentions,
    article_entities,
)
from newsroundup.annotate.nlp import parse_texts
from newsroundup.model import Article, Entity, EntityKind

__all__ = ["StoryEntities", "group_article_entities", "group_entities"]

_ROLE_DATE = re.compile(r"\s*\(\d{4}-\d{2}-\d{2}\)$")


@dataclass(slots=True)
class _Node:
    """One article's entity while the story's entities are being merged."""

    article: Article
    entity: ArticleEntity
    kind: EntityKind
    entry: AliasEntry | None = None
    parent: int = -1


@dataclass(slots=True)
class StoryEntities:
    """The merged entities of a story, and the story name of each article-level entity."""

    entities: list[Entity]
    canonical: dict[tuple[str, str], str] = field(default_factory=dict)
    by_name: dict[str, Entity] = field(default_factory=dict)

    def name_for(self, article_id: str, name: str) -> str:
        """The story's name for what ``article_id`` calls ``name`` (``name`` itself when unknown).

        A description like "the water authority" becomes the one organisation of the story whose
        name ends with those words ("Brenna Water Authority").
        """
        known = self.canonical.get((article_id, name_key(name)))
        if known is not None:
            return known
        words = fold(name)
        if words.startswith("the ") and len(words.split()) >= 2:
            tail = " " + words.removeprefix("the ")
            owners = [
                e
                for e in self.entities
                if e.kind in {"organization", "group"} and (" " + fold(e.name)).endswith(tail)
            ]
            if len(owners) == 1:
                return owners[0].name
            # "the chief executive" in an article that never says who that is: the one person the
            # story gives that role.
            people = [e for e in self.entities if e.kind == "person" and _has_role(e, tail)]
            if len(people) == 1:
                return people[0].name
        return name

    def entity(self, name: str) -> Entity | None:
        """The story entity with canonical name ``name``."""
        return self.by_name.get(name)


def _has_role(entity: Entity, tail: str) -> bool:
    """True when one of ``entity``'s stated roles ends with the words ``tail`` (" chief executive")."""
    for role in entity.roles:
        words = fold(_ROLE_DATE.sub("", role))
        if (" " + words).endswith(tail):
            return True
    return False


def group_entities(articles: Sequence[Article], aliases: AliasTable = BUILTIN_ALIASES) -> list[Entity]:
    """Find the people, organisations, groups and places of ``articles``, one record per entity.

    Within and across articles a surname joins the full name, titles are set aside as roles,
    acronyms the text defines or that spell an entity's initials join it, known alias sets
    (``aliases``; see ``load_alias_file``) apply, and spelling variants of a person's name merge
    when their given names agree. Roles carry the publication date of the article stating them.
    """
    docs = parse_texts([a.text for a in articles])
    found = [article_entities(a, d) for a, d in zip(articles, docs, strict=True)]
    return group_article_entities(found, aliases).entities


def group_article_entities(
    found: Sequence[ArticleEntities], aliases: AliasTable = BUILTIN_ALIASES
) -> StoryEntities:
    """Merge already extracted per-article entities into story entities (see ``group_entities``)."""
    people = {e.name for f in found for e in f.entities if e.kind == "person" and _is_full_name(e.name)}
    alias_names = aliases.names()
    for article_found in found:
        add_surname_mentions(article_found, people)
        add_alias_mentions(article_found, alias_names)
    nodes = [_Node(f.article, e, e.kind) for f in found for e in f.entities if not _is_furniture(e)]
    for node in nodes:
        node.entry = _entry_of(node.entity, aliases)
        if node.entry is not None:
            node.kind = node.entry.kind
    _correct_person_kinds(nodes)
    merger = _Merger(nodes)
    merger.join_alias_sets()
    merger.join_same_names()
    merger.join_spelling_variants()
    merger.join_acronyms()
    merger.join_surnames()
    merger.join_given_names()
    merger.join_short_org_names()
    return merger.story_entities()


# Words of page furniture the tagger takes for names: photo credits, share buttons, video players.
_FURNITURE_WORD = frozenset(
    "photo photos file videos video replay email e-mail sign follow slideshow getty images share subscribe "
    "twitter facebook instagram google+ newsletter".split()
)


def _is_furniture(entity: ArticleEntity) -> bool:
    """True for page furniture taken for an entity: a credit ("AP Photo/Christophe Ena") or, for a
    person, a name with a furniture word ("Follow Scott Stump", "Replay More Videos", "Twitter").
    """
    if "/" in entity.name:
        return True
    return entity.kind == "person" and any(w.lower() in _FURNITURE_WORD for w in entity.name.split())


def _begins(words: list[str], longer: list[str]) -> bool:
    """True when the one-word name ``words`` is the given name of the full name ``longer``."""
    return len(longer) > 1 and _is_full_name(" ".join(longer)) and same_given_name(words[0], longer[0])


def _entry_of(entity: ArticleEntity, aliases: AliasTable) -> AliasEntry | None:
    """The alias set one of the entity's names belongs to (a user entry before a built-in one)."""
    entries = [e for e in (aliases.lookup(n) for n in entity.names) if e is not None]
    user = [e for e in entries if aliases.is_user_entry(e)]
    chosen = user or entries
    return chosen[0] if chosen else None


def _is_full_name(name: str) -> bool:
    """True for a person's name with given name and surname."""
    return len(name.split()) > 1


def _correct_person_kinds(nodes: list[_Node]) -> None:
    """A two- or three-word "organisation" that is another article's person is that person."""
    people = [n.entity.name for n in nodes if n.kind == "person" and _is_full_name(n.entity.name)]
    for node in nodes:
        name = node.entity.name
        if node.kind == "person" or node.entry is not None or not 2 <= len(name.split()) <= 4:
            continue
        if any(same_person(name, p) for p in people if name_key(p) != name_key(name)):
            node.kind = "person"
            node.entity.kind = "person"


class _Merger:
    """Union-find over the story's per-article entities, with guards against merging two people."""

    def __init__(self, nodes: list[_Node]) -> None:
        self.nodes = nodes
        for i, node in enumerate(nodes):
            node.parent = i

    def root(self, i: int) -> int:
        """The representative of ``i``'s group."""
        while self.nodes[i].parent != i:
            self.nodes[i].parent = self.nodes[self.nodes[i].parent].parent
            i = self.nodes[i].parent
        return i

    def members(self, i: int) -> list[_Node]:
        """Every node in ``i``'s group."""
        r = self.root(i)
        return [n for j, n in enumerate(self.nodes) if self.root(j) == r]

    def union(self, i: int, j: int) -> bool:
        """Merge the groups of ``i`` and ``j`` unless that would join different entities."""
        ri, rj = self.root(i), self.root(j)
        if ri == rj:
            return True
        a, b = self.members(ri), self.members(rj)
        if not self._compatible(a, b):
            return False
        self.nodes[rj].parent = ri
        return True

    @staticmethod
    def _compatible(a: list[_Node], b: list[_Node]) -> bool:
        """Guards: one alias set per entity, people only with people, full names that agree."""
        entries = {n.entry.name for n in a + b if n.entry is not None}
        if len(entries) > 1:
            return False
        a_person = any(n.kind == "person" for n in a)
        b_person = any(n.kind == "person" for n in b)
        if a_person != b_person:
            return False
        if a_person:
            full_a = {n.entity.name for n in a if _is_full_name(n.entity.name)}
            full_b = {n.entity.name for n in b if _is_full_name(n.entity.name)}
            if not all(same_person(x, y) for x in full_a for y in full_b):
                return False
            genders = {n.entity.gender for n in a + b if n.entity.gender}
            if len(genders) > 1:
                return False
        return {n.kind == "place" for n in a} == {n.kind == "place" for n in b}

    def _pairs(self) -> list[tuple[int, int]]:
        """Every unordered pair of node indices."""
        n = len(self.nodes)
        return [(i, j) for i in range(n) for j in range(i + 1, n)]

    def join_alias_sets(self) -> None:
        """Entities in one alias set (built-in or the user's file) are one entity."""
        first: dict[str, int] = {}
        for i, node in enumerate(self.nodes):
            if node.entry is not None:
                self.union(first.setdefault(node.entry.name, i), i)

    def join_same_names(self) -> None:
        """Entities sharing a spelling of a name (one-word person names excepted: surnames are shared)."""
        seen: dict[tuple[bool, str], int] = {}
        for i, node in enumerate(self.nodes):
            person = node.kind == "person"
            for name in node.entity.names:
                if person and not _is_full_name(name):
                    continue
                key = (person, name_key(name))
                if key in seen:
                    self.union(seen[key], i)
                else:
                    seen[key] = i

    def join_spelling_variants(self) -> None:
        """People whose full names are one name spelled differently ("Naser al-Kadiri")."""
        for i, j in self._pairs():
            a, b = self.nodes[i], self.nodes[j]
            if a.kind != "person" or b.kind != "person":
                continue
            full = _is_full_name(a.entity.name) and _is_full_name(b.entity.name)
            if full and same_person(a.entity.name, b.entity.name):
                self.union(i, j)

    def join_acronyms(self) -> None:
        """An acronym standing alone joins the one entity whose initials it spells ("U.N.", "NEA")."""
        for i, node in enumerate(self.nodes):
            if node.kind == "person" or node.entry is not None or not is_acronym(node.entity.name):
                continue
            letters = node.entity.name.replace(".", "")
            owners = {
                self.root(j)
                for j, other in enumerate(self.nodes)
                if other.kind != "person"
                and j != i
                and not is_acronym(other.entity.name)
                and any(acronym(n) == letters for n in other.entity.names)
            }
            if len(owners) == 1:
                self.union(owners.pop(), i)

    def join_surnames(self) -> None:
        """A surname alone joins the one person of the story with that surname."""
        for i, node in enumerate(self.nodes):
            name = node.entity.name
            if node.kind != "person" or _is_full_name(name):
                continue
            owners = {
                self.root(j)
                for j, other in enumerate(self.nodes)
                if other.kind == "person"
                and _is_full_name(other.entity.name)
                and same_name_token(other.entity.name.split()[-1], name)
                and (node.entity.gender is None or other.entity.gender in {None, node.entity.gender})
            }
            if len(owners) == 1:
                self.union(owners.pop(), i)

    def join_given_names(self) -> None:
        """A given name alone ("Kip") joins the one person of the story it begins ("Kip Harding").

        Only a name that is no person's surname, not already joined to a full name, and the given
        name of exactly one full name of the story (nicknames and clipped forms allowed: "Mike" for
        "Michael Auldridge").
        """
        surnames = {
            name_key(n.entity.name.split()[-1])
            for n in self.nodes
            if n.kind == "person" and _is_full_name(n.entity.name)
        }
        given = {
            name_key(n.entity.name.split()[0])
            for n in self.nodes
            if n.kind == "person" and _is_full_name(n.entity.name)
        }
        alone: dict[str, int] = {}
        for i, node in enumerate(self.nodes):
            words = node.entity.name.split()
            if node.kind != "person" or len(words) != 1 or name_key(words[0]) in surnames:
                continue
            if any(_is_full_name(m.entity.name) for m in self.members(self.root(i))):
                continue
            owners = {
                self.root(j)
                for j, other in enumerate(self.nodes)
                if j != i and other.kind == "person" and _begins(words, other.entity.name.split())
            }
            if len(owners) == 1:
                self.union(owners.pop(), i)
            elif not owners and name_key(words[0]) not in given:
                # a name the story never completes ("Princess Diana", "Diana"): one person throughout
                self.union(alone.setdefault(name_key(words[0]), i), i)

    def join_short_org_names(self) -> None:
        """A short form joins the one organisation it shortens ("Brightwater", "Red Cross")."""
        surnames = {name_key(n.entity.name.split()[-1]) for n in self.nodes if n.kind == "person"}
        for i, node in enumerate(self.nodes):
            if node.kind not in {"organization", "group"} or node.entry is not None:
                continue
            key = name_key(node.entity.name)
            owners: set[int] = set()
            for j, other in enumerate(self.nodes):
                if j == i or other.kind not in {"organization", "group"}:
                    continue
                for long_name in other.entity.names:
                    long_key = name_key(long_name)
                    if long_key == key or len(long_key.split()) < 2:
                        continue
                    starts = len(key.split()) == 1 and long_key.split()[0] == key and key not in surnames
                    of_the = len(key.split()) >= 2 and (
                        long_key.endswith(" of the " + key) or long_key.endswith(" of " + key)
                    )
                    if starts or of_the:
                        owners.add(self.root(j))
            if len(owners) == 1:
                self.union(owners.pop(), i)

    def story_entities(self) -> StoryEntities:
        """The merged groups as ``Entity`` records, most mentioned first."""
        groups: dict[int, list[_Node]] = {}
        for i, node in enumerate(self.nodes):
            groups.setdefault(self.root(i), []).append(node)
        records: list[tuple[int, int, Entity]] = []
        canonical: dict[tuple[str, str], str] = {}
        for order, members in enumerate(groups.values()):
            entity = _entity_of(members)
            mentions = sum(len(n.entity.mentions) for n in members)
            records.append((-mentions, order, entity))
            for node in members:
                for name in (node.entity.name, *node.entity.names):
                    canonical[(node.article.id, name_key(name))] = entity.name
        entities = [e for _, _, e in sorted(records, key=lambda r: (r[0], r[1]))]
        return StoryEntities(entities, canonical, {e.name: e for e in entities})


def _entity_of(members: list[_Node]) -> Entity:
    """One ``Entity`` from a merged group: canonical name, kind, aliases and dated roles."""
    entry = next((n.entry for n in members if n.entry is not None), None)
    counts: Counter[str] = Counter()
    spelling: dict[str, str] = {}
    first_seen: dict[str, int] = {}
    for node in members:
        for mention in node.entity.mentions:
            key = name_key(mention.text)
            counts[key] += 1
            spelling.setdefault(key, mention.text)
            first_seen.setdefault(key, len(first_seen))
        for name in node.entity.names:
            spelling.setdefault(name_key(name), name)
            first_seen.setdefault(name_key(name), len(first_seen))
    kinds = Counter(n.kind for n in members)
    kind: EntityKind = entry.kind if entry else kinds.most_common(1)[0][0]
    if entry is not None:
        name = entry.name
    else:
        candidates = list(spelling)
        if kind == "person":
            candidates = [k for k in candidates if len(k.split()) > 1] or candidates
        else:
            candidates = [k for k in candidates if not is_acronym(spelling[k])] or candidates
        # a spelling whose words the articles also use alone ("Conrad", "Anker") over a typing slip
        words = Counter({k: counts[k] for k in spelling if len(k.split()) == 1})
        best = max(
            candidates,
            key=lambda k: (counts[k] + sum(words[w] for w in k.split()), len(k.split()), -first_seen[k]),
        )
        name = spelling[best]
    aliases = tuple(
        spelling[k]
        for k in sorted(spelling, key=lambda k: first_seen[k])
        if name_key(spelling[k]) != name_key(name)
    )
    return Entity(name, kind, aliases, _dated_roles(members))


def _dated_roles(members: list[_Node]) -> tuple[str, ...]:
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


# British and American spellings of role words: one role either way.
_ROLE_SPELLING = {"defence": "defense", "labour": "labor", "organisation": "organization", "programme": "program"}


def _clean_role(role: str) -> str:
    """A role as shown: quotes and line breaks of the page trimmed, cut before a comma that opens an aside
    ("The Israeli prime minister, Binyamin Netanyahu, in a statement" → "The Israeli prime minister").
    """
    junk = " \t\n\"'“”‘’()[]"
    cut = re.split(r",|\n|;|\s[—–]\s", role.strip(junk), maxsplit=1)[0]
    return cut.strip(junk)


def role_key(role: str) -> str:
    """A key equal for spelling variants of one role: "the U.S. Defence Secretary" ~ "US Defense Secretary"."""
    words = re.sub(r"[^\w\s-]", "", fold(role).replace(".", "")).split()
    while words and words[0] in {"the", "a", "an"}:
        words = words[1:]
    return " ".join(_ROLE_SPELLING.get(w, w) for w in words)


def _restates(short: str, long_: str) -> bool:
    """True when role key ``short`` is ``long_`` or words within it ("secretary" in "us defense secretary").

    Spaces and hyphens aside, so "u s defense secretary" and "us defense secretary" agree.
    """
    if f" {short} " in f" {long_} ":
        return True
    return short.replace(" ", "").replace("-", "") == long_.replace(" ", "").replace("-", "")
