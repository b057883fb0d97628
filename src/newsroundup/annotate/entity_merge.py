"""Merging a story's per-article entities into one per entity: union-find with guards against joining two people."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from newsroundup.annotate.aliases import (
    AliasEntry,
    acronym,
    fold,
    is_acronym,
    name_key,
    same_given_name,
    same_name_token,
    same_person,
)
from newsroundup.annotate.mentions import ArticleEntity
from newsroundup.model import Article, EntityKind

__all__ = ["Merger", "Node", "correct_name_kinds", "correct_person_kinds", "is_full_name", "settle_kind_ties"]


@dataclass(slots=True)
class Node:
    """One article's entity while the story's entities are being merged."""

    article: Article
    entity: ArticleEntity
    kind: EntityKind
    entry: AliasEntry | None = None
    parent: int = -1


def _begins(words: list[str], longer: list[str]) -> bool:
    """True when the one-word name ``words`` is the given name of the full name ``longer``."""
    return len(longer) > 1 and is_full_name(" ".join(longer)) and same_given_name(words[0], longer[0])


def is_full_name(name: str) -> bool:
    """True for a person's name with given name and surname."""
    return len(name.split()) > 1


def correct_name_kinds(nodes: list[Node]) -> None:
    """One kind per name, and a short name is its person's, where the tagger labels a name differently.

    - A one-word "organisation" or "place" that is the surname or given name of the one person of the
      story who has it is that person, when the same article names that person in full ("Nancy Pelosi
      ... Pelosi said") or another article tags the word as a person, or (an organisation) when the story
      names that person more often than it tags the word ("Streep" beside Meryl Streep; not "Apple" beside
      the singer Fiona Apple in a story about the company).
    - The same name tagged as different kinds across the story ("Mercedes Pascual" a person in one article,
      an organisation in another; "White House" an organisation and a place) takes the kind of most of its
      mentions, before and after the short names are settled; a tie is left for ``settle_kind_ties``.
    Names in an alias set keep their set's kind.
    """
    free = [n for n in nodes if n.entry is None]
    by_name = _by_written_name(free)
    # A full name also tagged otherwise ("Fitbit Charge HR", a product) vouches for none of its words, but the
    # surname of one most of whose mentions are a person's ("Vitalii Sediuk", now a person throughout).
    # (A one-word name is settled after, once the person whose surname it may be had its say.)
    mixed = {key for key, same in by_name.items() if len({n.kind for n in same}) > 1 and is_full_name(key)}
    tied: set[str] = set()  # full names tagged two kinds equally often: left as tagged for now
    for key in mixed:
        if not _settle_kind(by_name[key], ties_too=False):
            tied.add(key)
    owners: dict[str, set[str]] = {}  # a surname or given name -> the full names of the story with it
    in_article: set[tuple[str, str]] = set()
    for person in nodes:
        written = _written(person.entity.name)
        if person.kind != "person" or not is_full_name(person.entity.name) or written in tied:
            continue
        words = person.entity.name.split()
        for word in (words[-1],) if written in mixed else (words[0], words[-1]):
            owners.setdefault(name_key(word), set()).add(name_key(person.entity.name))
            in_article.add((person.article.id, name_key(word)))
    short_people = {name_key(n.entity.name) for n in nodes if n.kind == "person" and not is_full_name(n.entity.name)}
    person_mentions = _mentions_by_name(nodes, "person", full=True)  # a full name's, across the story
    word_mentions = _mentions_by_name(free, "organization", full=False)  # a one-word organisation's
    for node in free:
        key = name_key(node.entity.name)
        if node.kind not in {"organization", "place"} or is_full_name(node.entity.name):
            continue
        owner = owners.get(key, set())
        # An organisation mentioned less often than the one person whose surname it is ("Streep"): that person.
        outnumbered = node.kind == "organization" and len(owner) == 1 and (
            person_mentions[next(iter(owner))] > word_mentions[key]
        )
        if len(owner) == 1 and ((node.article.id, key) in in_article or key in short_people or outnumbered):
            node.kind = node.entity.kind = "person"
    for same in by_name.values():
        _settle_kind(same, ties_too=False)


def settle_kind_ties(nodes: list[Node]) -> None:
    """One kind for a name the story tags two kinds equally often, once every other correction had its say (a
    one-word "person" that names a place of the story is that place first): a name is one entry of the who's who,
    not one per kind the tagger guessed. The kind the story gives it first, or a person's when the name ends in the
    surname of another person of the story ("Trump" beside "Melania Trump")."""
    surnames: dict[str, set[str]] = {}  # the surname of a full name the story tags a person -> those names
    for node in nodes:
        if node.kind == "person" and is_full_name(node.entity.name):
            key = name_key(node.entity.name)
            surnames.setdefault(key.split()[-1], set()).add(key)
    for same in _by_written_name(n for n in nodes if n.entry is None).values():
        key = name_key(same[0].entity.name)
        _settle_kind(same, ties_too=True, person_first=bool(key and surnames.get(key.split()[-1], set()) - {key}))


def _by_written_name(nodes: Iterable[Node]) -> dict[str, list[Node]]:
    """``nodes`` by their name as written, in order (suffixes kept: "Thomas Kinkade Co." is no person)."""
    by_name: dict[str, list[Node]] = {}
    for node in nodes:
        by_name.setdefault(_written(node.entity.name), []).append(node)
    return by_name


def _settle_kind(same: list[Node], ties_too: bool, person_first: bool = False) -> bool:
    """Give every node of one name (``same``, in story order) the kind most of its mentions are tagged; with
    ``ties_too``, on a tie a person when ``person_first`` (the name ends with the surname of another person of
    the story: "Trump" beside "Melania Trump") and the tagger called it one, else the tied kind the story gives it
    first. False when a tie is left as tagged."""
    weight: dict[EntityKind, int] = {}
    for node in same:
        weight[node.kind] = weight.get(node.kind, 0) + max(1, len(node.entity.mentions))
    top = max(weight.values())
    if not ties_too and sum(w == top for w in weight.values()) > 1:
        return False
    tied = [n.kind for n in same if weight[n.kind] == top]
    kind = "person" if person_first and "person" in tied else tied[0]
    for node in same:
        node.kind = node.entity.kind = kind
    return True


def _mentions_by_name(nodes: Iterable[Node], kind: EntityKind, full: bool) -> Counter[str]:
    """Mentions across the story of each name of ``kind`` that is (``full``) or is not a full name."""
    counts: Counter[str] = Counter()
    for node in nodes:
        if node.kind == kind and is_full_name(node.entity.name) == full:
            counts[name_key(node.entity.name)] += len(node.entity.mentions)
    return counts


def _written(name: str) -> str:
    """``name`` folded to its words as written: case, accents and punctuation aside, nothing dropped."""
    return " ".join(re.findall(r"\w+", fold(name)))


def correct_person_kinds(nodes: list[Node]) -> None:
    """A two- or three-word "organisation" that is another article's person is that person."""
    # Each distinct name once: a story of many articles names one person in many of them.
    people = list(dict.fromkeys(n.entity.name for n in nodes if n.kind == "person" and is_full_name(n.entity.name)))
    verdicts: dict[str, bool] = {}
    for node in nodes:
        name = node.entity.name
        if node.kind == "person" or node.entry is not None or not 2 <= len(name.split()) <= 4:
            continue
        if name not in verdicts:
            verdicts[name] = any(same_person(name, p) for p in people if name_key(p) != name_key(name))
        if verdicts[name]:
            node.kind = "person"
            node.entity.kind = "person"


def correct_place_kinds(nodes: list[Node]) -> None:
    """A one-word "person" that names one of the story's places ("Orkney" beside "Orkney Islands") and no
    person's full name holds is that place: the tagger took a place for a surname. So too for the short name an
    article gives one of the story's organisations ("Northwestern" for Northwestern University)."""
    places: set[str] = set()
    short_orgs: set[str] = set()
    for node in nodes:
        if node.kind == "place":
            key = name_key(node.entity.name)
            places.update((key, key.split()[0]) if key else ())
        elif node.kind == "organization" and is_full_name(node.entity.name):
            short_orgs.update(name_key(n) for n in node.entity.names if not is_full_name(n))
    in_full_names = {
        word for n in nodes if n.kind == "person" and is_full_name(n.entity.name)
        for word in name_key(n.entity.name).split()
    }
    for node in nodes:
        key = name_key(node.entity.name)
        if node.kind != "person" or node.entry is not None or len(node.entity.name.split()) != 1:
            continue
        if key in in_full_names:
            continue
        if key in places:
            node.kind = node.entity.kind = "place"
        elif key in short_orgs:
            node.kind = node.entity.kind = "organization"


class Merger:
    """Union-find over the story's per-article entities, with guards against merging two people."""

    def __init__(self, nodes: list[Node]) -> None:
        self.nodes = nodes
        for i, node in enumerate(nodes):
            node.parent = i
        # Each group's node indices by its root, kept up to date by ``union``: listing a group's members
        # never scans every node (that made merging a story of thousands of articles quadratic per union).
        self._groups: dict[int, list[int]] = {i: [i] for i in range(len(nodes))}

    def root(self, i: int) -> int:
        """The representative of ``i``'s group."""
        while self.nodes[i].parent != i:
            self.nodes[i].parent = self.nodes[self.nodes[i].parent].parent
            i = self.nodes[i].parent
        return i

    def members(self, i: int) -> list[Node]:
        """Every node in ``i``'s group, in index order."""
        return [self.nodes[j] for j in sorted(self._groups[self.root(i)])]

    def union(self, i: int, j: int) -> bool:
        """Merge the groups of ``i`` and ``j`` unless that would join different entities."""
        ri, rj = self.root(i), self.root(j)
        if ri == rj:
            return True
        a, b = self.members(ri), self.members(rj)
        if not self._compatible(a, b):
            return False
        self.nodes[rj].parent = ri
        self._groups[ri].extend(self._groups.pop(rj))
        return True

    @staticmethod
    def _compatible(a: list[Node], b: list[Node]) -> bool:
        """Guards: one alias set per entity, people only with people, full names that agree."""
        entries = {n.entry.name for n in a + b if n.entry is not None}
        if len(entries) > 1:
            return False
        a_person = any(n.kind == "person" for n in a)
        b_person = any(n.kind == "person" for n in b)
        if a_person != b_person:
            return False
        if a_person:
            full_a = {n.entity.name for n in a if is_full_name(n.entity.name)}
            full_b = {n.entity.name for n in b if is_full_name(n.entity.name)}
            if not all(same_person(x, y) for x in full_a for y in full_b):
                return False
            genders = {n.entity.gender for n in a + b if n.entity.gender}
            if len(genders) > 1:
                return False
        return {n.kind == "place" for n in a} == {n.kind == "place" for n in b}

    def join_alias_sets(self) -> None:
        """Entities in one alias set (built-in or the user's file) are one entity."""
        first: dict[str, int] = {}
        for i, node in enumerate(self.nodes):
            if node.entry is not None:
                self.union(first.setdefault(node.entry.name, i), i)

    def join_same_names(self) -> None:
        """Entities sharing a spelling of a name (one-word person names excepted: surnames are shared; but not
        one that is a full name written with a hyphen, "Mercy-Fitzgerald" beside "Mercy Fitzgerald")."""
        people = (node.entity for node in self.nodes if node.kind == "person")
        full = {name_key(n) for entity in people for n in entity.names if is_full_name(n)}
        # Each name's groups that the guards keep apart ("Pittsburgh" the place and the school board that
        # "Pittsburgh" also names): a node joins the first that takes it, else starts another.
        seen: dict[tuple[bool, str], list[int]] = {}
        for i, node in enumerate(self.nodes):
            person = node.kind == "person"
            for name in node.entity.names:
                if person and not is_full_name(name) and name_key(name) not in full:
                    continue
                known = seen.setdefault((person, name_key(name)), [])
                if not any(self.union(j, i) for j in known):
                    known.append(i)

    def join_spelling_variants(self) -> None:
        """People whose full names are one name spelled differently ("Naser al-Kadiri")."""
        full = [i for i, n in enumerate(self.nodes) if n.kind == "person" and is_full_name(n.entity.name)]
        verdicts: dict[tuple[str, str], bool] = {}  # by the two names: a name recurs in many articles
        for at, i in enumerate(full):
            a = self.nodes[i].entity.name
            for j in full[at + 1 :]:
                b = self.nodes[j].entity.name
                same = verdicts.get((a, b))
                if same is None:
                    same = verdicts[(a, b)] = same_person(a, b)
                if same:
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
        full = [
            (j, other.entity.name.split()[-1], other.entity.gender)
            for j, other in enumerate(self.nodes)
            if other.kind == "person" and is_full_name(other.entity.name)
        ]
        for i, node in enumerate(self.nodes):
            name = node.entity.name
            if node.kind != "person" or is_full_name(name):
                continue
            owners = {
                self.root(j)
                for j, surname, gender in full
                if same_name_token(surname, name)
                and (node.entity.gender is None or gender in {None, node.entity.gender})
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
            if n.kind == "person" and is_full_name(n.entity.name)
        }
        given = {
            name_key(n.entity.name.split()[0])
            for n in self.nodes
            if n.kind == "person" and is_full_name(n.entity.name)
        }
        alone: dict[str, int] = {}
        for i, node in enumerate(self.nodes):
            words = node.entity.name.split()
            if node.kind != "person" or len(words) != 1 or name_key(words[0]) in surnames:
                continue
            if any(is_full_name(m.entity.name) for m in self.members(self.root(i))):
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

    def groups(self) -> list[list[Node]]:
        """The merged groups, each a list of nodes, in the order their first node comes."""
        groups: dict[int, list[Node]] = {}
        for i, node in enumerate(self.nodes):
            groups.setdefault(self.root(i), []).append(node)
        return list(groups.values())
