"""One name per entity across a story's articles: surnames, titles, aliases, acronyms and misspellings."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from newsroundup.annotate.aliases import (
    BUILTIN_ALIASES,
    AliasEntry,
    AliasTable,
    fold,
    is_acronym,
    name_key,
)
from newsroundup.annotate.entity_merge import (
    Merger,
    Node,
    correct_name_kinds,
    correct_person_kinds,
    correct_place_kinds,
    is_full_name,
    settle_kind_ties,
)
from newsroundup.annotate.mentions import (
    ArticleEntities,
    ArticleEntity,
    add_alias_mentions,
    add_surname_mentions,
    article_entities,
)
from newsroundup.annotate.nlp import parse_texts
from newsroundup.annotate.roles import dated_roles, has_role
from newsroundup.model import Article, Entity, EntityKind

__all__ = ["StoryEntities", "group_article_entities", "group_entities"]


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
            people = [e for e in self.entities if e.kind == "person" and has_role(e, tail)]
            if len(people) == 1:
                return people[0].name
        return name

    def entity(self, name: str) -> Entity | None:
        """The story entity with canonical name ``name``."""
        return self.by_name.get(name)


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
    people = {e.name for f in found for e in f.entities if e.kind == "person" and is_full_name(e.name)}
    alias_names = aliases.names()
    for article_found in found:
        add_surname_mentions(article_found, people)
        add_alias_mentions(article_found, alias_names)
    common = _common_words(found, people)
    nodes = [
        Node(f.article, e, e.kind)
        for f in found
        for e in f.entities
        if not _is_furniture(e) and not (e.kind == "person" and fold(e.name) in common)
    ]
    for node in nodes:
        node.entry = _entry_of(node.entity, aliases)
        if node.entry is not None:
            node.kind = node.entry.kind
    correct_name_kinds(nodes)
    correct_person_kinds(nodes)
    correct_place_kinds(nodes)
    settle_kind_ties(nodes)
    merger = Merger(nodes)
    merger.join_alias_sets()
    merger.join_same_names()
    merger.join_spelling_variants()
    merger.join_acronyms()
    merger.join_surnames()
    merger.join_given_names()
    merger.join_short_org_names()
    return _story_entities(merger.groups())


# Words of page furniture the tagger takes for names: photo credits, share buttons, video players.
_FURNITURE_WORD = frozenset(
    "photo photos file videos video replay email e-mail sign follow slideshow getty images share subscribe "
    "twitter facebook instagram google+ newsletter".split()
)


def _is_furniture(entity: ArticleEntity) -> bool:
    """True for page furniture taken for an entity: a credit ("AP Photo/Christophe Ena") or, for a
    person, a name with a furniture word ("Follow Scott Stump", "Replay More Videos", "Twitter"); and for
    a word with no capital letter the tagger took for a name ("ghrelin"), or a "person" with digits in its
    name (an address, a slide counter).
    """
    if "/" in entity.name or not any(c.isupper() for c in entity.name):  # names are written with capitals
        return True
    if entity.kind == "person" and any(c.isdigit() for c in entity.name):  # "51 Baxter Road", "Photo 3 of 12"
        return True
    return entity.kind == "person" and any(w.lower() in _FURNITURE_WORD for w in entity.name.split())


def _common_words(found: Sequence[ArticleEntities], people: set[str]) -> set[str]:
    """One-word "persons" that the story's texts write as a common word ("Plane", "Underwater", "Features"
    from a caption or a section label): lower-cased at least once, and at least as often as capitalised
    after a lower-case word (mid-sentence, where a name keeps its capital and a common word loses it).
    A word of a full name of the story's people ("Swift" of Taylor Swift) is a surname, never common.
    """
    surnames = {fold(w) for name in people for w in name.split()}
    words = {e.name for f in found for e in f.entities if e.kind == "person" and len(e.name.split()) == 1}
    texts = [f.article.text for f in found]
    # Only the texts holding a word are searched (a long story has hundreds of one-word names): a word of
    # letters alone is found only where the text has it as a whole word.
    holding: dict[str, set[int]] = {}
    for i, text in enumerate(texts):
        for token in set(_WORD.findall(text)):
            holding.setdefault(token, set()).add(i)
    common: set[str] = set()
    for word in words:
        if fold(word) in surnames or not word[:1].isupper():
            continue
        lower, written = re.escape(word.lower()), re.escape(word)
        # The word first, its boundaries looked back at after it: a pattern opening with its literal is
        # searched for fast.
        as_lower = re.compile(rf"{lower}(?<![\w'’-]{lower})(?![\w'’-])")
        lowered = sum(len(as_lower.findall(texts[i])) for i in _holding(word.lower(), holding, texts))
        as_name = re.compile(rf"{written}(?<=[a-z,] {written})(?![\w-])")
        named = sum(len(as_name.findall(texts[i])) for i in _holding(word, holding, texts))
        if lowered and lowered >= named:
            common.add(fold(word))
    return common


_WORD = re.compile(r"\w+")


def _holding(word: str, holding: dict[str, set[int]], texts: list[str]) -> Iterable[int]:
    """The texts that can hold ``word`` as a whole word: by the index when it is one word of letters."""
    if _WORD.fullmatch(word):
        return sorted(holding.get(word, ()))
    return (i for i, text in enumerate(texts) if word in text)


def _entry_of(entity: ArticleEntity, aliases: AliasTable) -> AliasEntry | None:
    """The alias set one of the entity's names belongs to (a user entry before a built-in one)."""
    entries = [e for e in (aliases.lookup(n) for n in entity.names) if e is not None]
    user = [e for e in entries if aliases.is_user_entry(e)]
    chosen = user or entries
    return chosen[0] if chosen else None


def _story_entities(groups: list[list[Node]]) -> StoryEntities:
    """The merged groups as ``Entity`` records, most mentioned first."""
    records: list[tuple[int, int, Entity]] = []
    canonical: dict[tuple[str, str], str] = {}
    for order, members in enumerate(groups):
        entity = _entity_of(members)
        mentions = sum(len(n.entity.mentions) for n in members)
        records.append((-mentions, order, entity))
        for node in members:
            for name in (node.entity.name, *node.entity.names):
                canonical[(node.article.id, name_key(name))] = entity.name
    entities = [e for _, _, e in sorted(records, key=lambda r: (r[0], r[1]))]
    return StoryEntities(entities, canonical, {e.name: e for e in entities})


def _entity_of(members: list[Node]) -> Entity:
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
        # Words as written ("O'Grady" is one word, though its key "o grady" is two).
        written = {k: spelling[k].split() for k in spelling}
        candidates = list(spelling)
        if kind == "person":
            candidates = [k for k in candidates if len(written[k]) > 1] or candidates
        else:
            candidates = [k for k in candidates if not is_acronym(spelling[k])] or candidates
        # a spelling whose words the articles also use alone ("Conrad", "Anker") over a typing slip
        alone = Counter({k: counts[k] for k in spelling if len(written[k]) == 1})
        best = max(
            candidates,
            key=lambda k: (
                counts[k] + sum(alone[name_key(w)] for w in written[k]), len(written[k]), -first_seen[k]
            ),
        )
        name = spelling[best]
    aliases = tuple(
        spelling[k]
        for k in sorted(spelling, key=lambda k: first_seen[k])
        if name_key(spelling[k]) != name_key(name)
    )
    return Entity(name, kind, aliases, dated_roles(members))
