"""Named entities of one article: people, organisations, groups and places, with mentions and roles."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from newsroundup.annotate.aliases import (
    SURNAME_PARTICLES,
    acronym,
    fold,
    is_acronym,
    name_key,
    same_person,
    same_surname,
    split_person_name,
)
from newsroundup.annotate.kinds import LABEL_KIND, kind_of
from newsroundup.annotate.titles import (
    TITLE_WORDS,
    appositive_role,
    honorific_before,
    honorific_gender,
    split_given_names,
    stands_alone,
    strip_titles,
    title_before,
)
from newsroundup.model import Article, EntityKind
from newsroundup.text.clean import content_start
from newsroundup.text.tokens import STOPWORDS

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

_DETERMINERS = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)
_POSSESSIVE = re.compile(r"(?:['’]s|['’])$")
_NAME_TOKEN = r"(?:(?:al|el|ad|ash|as|an|bin|ibn|de|la|du|von|van)-)?[A-Z][\w'’]*(?:-[A-Za-z][\w'’]*)*"
_KNOWN_AS = re.compile(
    r"(?:also |better |commonly |locally |formerly )?known(?: in [A-Z][a-z]+)? as "
    rf"({_NAME_TOKEN}(?: (?:(?:of|the|de|la|du|von|van|bin|ibn) )?{_NAME_TOKEN}){{0,6}})"
)
_HONORIFICS_ONLY = frozenset("mr mrs ms miss dr prof sir dame".split())


@dataclass(frozen=True, slots=True)
class Mention:
    """One naming of an entity: its character span in the article text, titles excluded."""

    start: int
    end: int
    text: str


@dataclass(slots=True)
class ArticleEntity:
    """One entity as one article names it: every mention, the fullest name, stated roles."""

    name: str
    kind: EntityKind
    mentions: list[Mention] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    gender: str | None = None
    labels: list[str] = field(default_factory=list)

    def add_name(self, name: str) -> None:
        """Record another surface form, keeping the first spelling of each."""
        if all(name_key(n) != name_key(name) for n in self.names):
            self.names.append(name)

    @property
    def first_offset(self) -> int:
        """Where the article first names this entity."""
        return min((m.start for m in self.mentions), default=0)


@dataclass(slots=True)
class ArticleEntities:
    """The entities of one article, with a way back from a character offset to the entity named there."""

    article: Article
    entities: list[ArticleEntity]

    def at(self, start: int, end: int) -> ArticleEntity | None:
        """The entity with a mention overlapping ``[start, end)``, if any (the longest mention wins)."""
        best: tuple[int, ArticleEntity] | None = None
        for entity in self.entities:
            for mention in entity.mentions:
                if mention.start < end and start < mention.end:
                    size = mention.end - mention.start
                    if best is None or size > best[0]:
                        best = (size, entity)
        return best[1] if best else None


def _dateline_ends(text: str) -> list[tuple[int, int]]:
    """Character ranges of datelines and wire slugs at the start of lines ("CASTREL (CW) —")."""
    ranges = []
    offset = 0
    for line in text.split("\n"):
        skip = content_start(line)
        if skip:
            ranges.append((offset, offset + skip))
        offset += len(line) + 1
    return ranges


def _clean_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Trim a leading article and a trailing possessive or punctuation from ``text[start:end]``."""
    chunk = text[start:end]
    lead = _DETERMINERS.match(chunk)
    if lead:
        start += lead.end()
    chunk = text[start:end]
    tail = _POSSESSIVE.search(chunk)
    if tail and len(chunk) > tail.end() - tail.start() + 1:
        end -= tail.end() - tail.start()
    while end > start and text[end - 1] in ".,;:’'\"”":
        if text[end - 1] == "." and re.search(r"\b(?:[A-Z]|Inc|Corp|Co|Ltd|Jr|Sr)\.$", text[start:end]):
            break
        end -= 1
    return start, end


def article_entities(article: Article, doc: Doc) -> ArticleEntities:
    """Find and group the named entities of one parsed article (``doc`` is ``article.text`` parsed)."""
    text = article.text
    datelines = _dateline_ends(text)
    raw: list[tuple[Mention, EntityKind, str, list[Token], Span]] = []
    for ent in doc.ents:
        if ent.label_ not in LABEL_KIND:
            continue
        if any(a <= ent.start_char < b for a, b in datelines):
            continue
        tokens = list(ent)
        first, titles = strip_titles(tokens)
        first = _past_opening_word(tokens, first)
        start = tokens[first].idx
        start, end = _clean_span(text, start, ent.end_char)
        line_break = text.find("\n", start, end)
        if line_break != -1:  # a name ends with its line: "International Agency for Research on Cancer\n\n The"
            end = line_break
            while end > start and text[end - 1].isspace():
                end -= 1
            start, end = _clean_span(text, start, end)
        if end <= start or not any(c.isalpha() for c in text[start:end]):
            continue
        name = text[start:end]
        titles = title_before(ent) + titles
        titles, given = split_given_names(titles)
        if given and len(name.split()) == 1:
            # "Head teacher Fergus Allardyce" with only "Allardyce" tagged: Fergus is a name, not a role.
            start, name = given[0].idx, text[given[0].idx : end]
        else:
            titles += given
        kind = "person" if titles and ent.label_ != "ORG" else kind_of(name, ent.label_)
        if titles and any(fold(t.text).rstrip(".") in TITLE_WORDS for t in titles) and kind != "group":
            kind = "person" if len(name.split()) <= 4 and kind_of(name, "PERSON") == "person" else kind
        raw.append((Mention(start, end, name), kind, ent.label_, titles, ent))
    entities: list[ArticleEntity] = []
    for mention, kind, label, titles, ent in raw:
        entity = _attach(entities, mention, kind, text)
        entity.labels.append(label)
        _note_titles(entity, titles, text)
        role = appositive_role(ent, text) if entity.kind == "person" else None
        if role and role not in entity.roles:
            entity.roles.append(role)
    _add_defined_aliases(entities, text)
    _attach_acronyms(entities)
    found = ArticleEntities(article, entities)
    add_surname_mentions(found)
    return found


_FUNCTION_TAGS = frozenset({"SCONJ", "CCONJ", "ADV", "ADP", "DET", "PRON", "PART"})
_APOSTROPHES = frozenset("'’")


def _past_opening_word(tokens: list[Token], first: int) -> int:
    """Past a sentence's opening function word the tagger ran into the name ("Whether Reid", "If Obama"), and
    its clitic ("That's Tina Fey").

    Only a conjunction, adverb, preposition, determiner, pronoun or particle: "Will Lee" opening a sentence, with
    "Will" read as a verb, keeps its given name.
    """
    word = tokens[first]
    if not (word.is_sent_start and word.pos_ in _FUNCTION_TAGS and fold(word.text) in STOPWORDS):
        return first
    after = first + 1
    while after < len(tokens) and tokens[after].text[:1] in _APOSTROPHES:
        after += 1
    return after if after < len(tokens) else first


def _note_titles(entity: ArticleEntity, titles: list[Token], text: str) -> None:
    """Record gender and role from the titles before a mention ("Ms", "Interior Minister")."""
    if not titles:
        return
    for tok in titles:
        gender = honorific_gender(tok.text)
        if gender and entity.gender is None:
            entity.gender = gender
    role_tokens = [t for t in titles if fold(t.text).rstrip(".") not in _HONORIFICS_ONLY]
    if role_tokens and entity.kind == "person":
        role = text[role_tokens[0].idx : role_tokens[-1].idx + len(role_tokens[-1].text)]
        if stands_alone(role) and all(fold(role) != fold(r) for r in entity.roles):
            entity.roles.append(role)


def _attach(entities: list[ArticleEntity], mention: Mention, kind: EntityKind, text: str) -> ArticleEntity:
    """Add ``mention`` to the entity it names in this article, creating one when it is new."""
    name = mention.text
    key = name_key(name)
    single = len(name.split()) == 1
    if _particle_surname(name):
        # "Le Drian" (or the misspelt "Le Drain", tagged an organisation) after "Jean-Yves Le Drian".
        person = _by_surname(entities, mention, text)
        if person is not None:
            return person
    if single and kind == "person":
        person = _by_surname(entities, mention, text)
        if person is not None:
            return person
    # Same spelling: the same entity, whatever kind the tagger guessed this time (a one-word "person"
    # spelled like a place already named is that place: "Kelby's main street").
    for entity in entities:
        same_side = (kind == "person") == (entity.kind == "person") or (single and entity.kind == "place")
        if any(name_key(n) == key for n in entity.names) and same_side:
            entity.mentions.append(mention)
            return entity
    if single:
        if not _org_first_token(entities, name):
            person = _by_surname(entities, mention, text)
            if person is not None:
                return person
        # "Brightwater" after "Brightwater Partners" is the firm; "Malaysia" tagged a place after
        # "Malaysia Airlines" is the country, not the airline's short name.
        org = _org_first_token(entities, name)
        if org is not None and kind not in {"person", "place"}:
            org.mentions.append(mention)
            org.add_name(name)
            return org
    elif kind == "person":
        for entity in entities:
            if entity.kind == "person" and same_person(entity.name, name) and len(entity.name.split()) > 1:
                entity.mentions.append(mention)
                entity.add_name(name)
                return entity
        # A full name arriving after its surname alone ("Osterhaus ... Pavel Osterhaus").
        for entity in entities:
            if entity.kind == "person" and len(entity.name.split()) == 1 and same_person(entity.name, name):
                entity.mentions.append(mention)
                entity.add_name(name)
                entity.name = name
                return entity
    entity = ArticleEntity(name=name, kind=kind, mentions=[mention], names=[name])
    entity.gender = honorific_before(text, mention.start) if kind == "person" else None
    entities.append(entity)
    return entity


def _by_surname(entities: list[ArticleEntity], mention: Mention, text: str) -> ArticleEntity | None:
    """Attach a one-word mention to the nearest earlier full name with that surname, if any."""
    surname, start = mention.text, mention.start
    matches = [
        e
        for e in entities
        if e.kind == "person" and len(e.name.split()) > 1 and same_surname(split_person_name(e.name)[1], surname)
    ]
    honorific = honorific_before(text, start)
    if honorific:
        matches = [e for e in matches if e.gender in {None, honorific}] or matches
    if not matches:
        return None
    # The nearest earlier full name with this surname ("Marsh told reporters" → Teodora Marsh).
    entity = max(matches, key=lambda e: max(m.start for m in e.mentions))
    entity.mentions.append(mention)
    entity.add_name(surname)
    if honorific and entity.gender is None:
        entity.gender = honorific
    return entity


def _particle_surname(name: str) -> bool:
    """True for a name that is particles and one capitalised word: "Le Drian", "von der Leyen"."""
    words = name.split()
    return (
        len(words) > 1
        and all(fold(w) in SURNAME_PARTICLES for w in words[:-1])
        and words[-1][:1].isupper()
    )


def add_surname_mentions(found: ArticleEntities, people: Iterable[str] = ()) -> None:
    """Find surnames the tagger missed: of this article's people, and of ``people`` named elsewhere.

    A capitalised word equal to the surname of a person, outside every known mention, becomes a
    mention of that person (of a new surname-only entity when the person is named in another article).
    """
    text = found.article.text
    taken = [(m.start, m.end) for e in found.entities for m in e.mentions]
    local = {}
    for e in found.entities:
        if e.kind == "person" and len(e.name.split()) > 1:
            surname = split_person_name(e.name)[1]
            local[surname] = e  # "Le Drian" before "Drian", so the longer one is found first
            local.setdefault(surname.split()[-1], e)
    wanted = dict.fromkeys(local) | dict.fromkeys(p.split()[-1] for p in people if len(p.split()) > 1)
    words = set(_WORD.findall(text))
    for surname in wanted:
        if not words.issuperset(_WORD.findall(surname)):
            continue  # a surname whose words are not all in the text cannot be found there
        for match in _surname_pattern(surname).finditer(text):
            if any(a < match.end() and match.start() < b for a, b in taken):
                continue
            mention = Mention(match.start(), match.end(), surname)
            owner = local.get(surname) or next(
                (e for e in found.entities if e.kind == "person" and name_key(e.name) == name_key(surname)),
                None,
            )
            if owner is None:
                owner = ArticleEntity(name=surname, kind="person", names=[surname])
                found.entities.append(owner)
            owner.mentions.append(mention)
            taken.append((mention.start, mention.end))
    _add_misspelt_particle_surnames(found, taken)


_WORD = re.compile(r"\w+")


@lru_cache(maxsize=4096)
def _surname_pattern(surname: str) -> re.Pattern[str]:
    """A surname as a whole word (compiled once: a story's surnames are looked for in each of its articles)."""
    return re.compile(r"(?<![\w’'-])" + re.escape(surname) + r"(?![\w-])")


@lru_cache(maxsize=4096)
def _alias_pattern(name: str) -> re.Pattern[str]:
    """An alias as written, not inside a longer word or dotted name."""
    return re.compile(r"(?<![\w.-])" + re.escape(name) + r"(?![\w-]|\.\w)")


def _add_misspelt_particle_surnames(found: ArticleEntities, taken: list[tuple[int, int]]) -> None:
    """"Le Drain" untagged (or tagged a work of art) after "Jean-Yves Le Drian": the same particles
    and a spelling variant of the surname make it a mention of that person."""
    text = found.article.text
    for entity in [e for e in found.entities if e.kind == "person" and len(e.name.split()) > 1]:
        surname = split_person_name(entity.name)[1]
        words = surname.split()
        if len(words) < 2 or not _particle_surname(surname):
            continue
        particles = r"\s+".join(re.escape(w) for w in words[:-1])
        pattern = re.compile(r"(?<![\w’'-])" + particles + r"\s+([A-Z][\w’'-]+)", re.IGNORECASE)
        for match in pattern.finditer(text):
            if any(a < match.end() and match.start() < b for a, b in taken):
                continue
            if not match.group(1)[0].isupper() or not same_surname(surname, match.group()):
                continue
            entity.mentions.append(Mention(match.start(), match.end(), match.group()))
            entity.add_name(match.group())
            taken.append((match.start(), match.end()))


def add_alias_mentions(found: ArticleEntities, names: Iterable[tuple[str, EntityKind]]) -> None:
    """Find names from an alias table the tagger missed ("Daesh", "ISIL"), spelled exactly as listed."""
    text = found.article.text
    taken = [(m.start, m.end) for e in found.entities for m in e.mentions]
    for name, kind in names:
        if len(name) < 2 or not name[0].isupper():
            continue
        for match in _alias_pattern(name).finditer(text):
            if any(a < match.end() and match.start() < b for a, b in taken):
                continue
            mention = Mention(match.start(), match.end(), name)
            owner = next((e for e in found.entities if any(name_key(n) == name_key(name) for n in e.names)), None)
            if owner is None:
                owner = ArticleEntity(name=name, kind=kind, names=[name])
                found.entities.append(owner)
            owner.mentions.append(mention)
            taken.append((mention.start, mention.end))


def _org_first_token(entities: list[ArticleEntity], token: str) -> ArticleEntity | None:
    """The one multi-word organisation whose name starts with ``token`` ("Brightwater Partners")."""
    found = [
        e
        for e in entities
        if e.kind in {"organization", "group"}
        and len(e.name.split()) > 1
        and name_key(e.name.split()[0]) == name_key(token)
    ]
    return found[0] if len(found) == 1 else None


def _add_defined_aliases(entities: list[ArticleEntity], text: str) -> None:
    """Aliases the text defines: "National Emergency Agency (NEA)", "..., known in Arabic as X"."""
    for entity in entities:
        for mention in list(entity.mentions):
            after = text[mention.end : mention.end + 80]
            paren = re.match(r"\s*\(([A-Z][A-Za-z.]{1,7})\)", after)
            if paren and is_acronym(paren.group(1)) and paren.group(1).replace(".", "") == acronym(mention.text):
                start = mention.end + paren.start(1)
                entity.mentions.append(Mention(start, start + len(paren.group(1)), paren.group(1)))
                entity.add_name(paren.group(1))
            known = re.match(r",?\s*" + _KNOWN_AS.pattern, after)
            if known and entity.kind != "person":
                alias = known.group(1).rstrip(".,")
                start = mention.end + known.start(1)
                _claim(entities, entity, Mention(start, start + len(alias), alias))


def _claim(entities: list[ArticleEntity], owner: ArticleEntity, mention: Mention) -> None:
    """Give ``mention`` to ``owner``, taking it away from an entity the tagger made of it."""
    for entity in list(entities):
        if entity is owner:
            continue
        entity.mentions = [m for m in entity.mentions if not (m.start < mention.end and mention.start < m.end)]
        if not entity.mentions:
            entities.remove(entity)
    owner.mentions.append(mention)
    owner.add_name(mention.text)


def _attach_acronyms(entities: list[ArticleEntity]) -> None:
    """Acronyms standing alone ("the NEA said") join the one entity whose initials they spell."""
    for entity in list(entities):
        if not is_acronym(entity.name) or len(entity.names) > 1:
            continue
        letters = entity.name.replace(".", "")
        owners = [e for e in entities if e is not entity and any(acronym(n) == letters for n in e.names)]
        if len(owners) == 1:
            owners[0].mentions.extend(entity.mentions)
            owners[0].add_name(entity.name)
            entities.remove(entity)
