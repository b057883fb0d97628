"""Sentences that open with "He", "She", "They", "It" or "The minister": whom they mean, when that is clear."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from newsroundup.annotate.aliases import fold
from newsroundup.annotate.mentions import ArticleEntities, ArticleEntity, article_entities
from newsroundup.annotate.nlp import parse_texts
from newsroundup.annotate.quotemarks import find_quotations
from newsroundup.annotate.references import Referent, Salience
from newsroundup.annotate.titles import ROLE_NOUNS
from newsroundup.model import Article, EntityKind
from newsroundup.text.clean import content_start

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

__all__ = ["OpeningReference", "opening_references", "resolve_opening_reference"]


@dataclass(frozen=True, slots=True)
class OpeningReference:
    """A sentence that opens with a subject pronoun, and the named person or group it refers to."""

    start: int  # the pronoun ("He") or role ("The minister"), as a character span of the article text
    end: int
    pronoun: str  # its text
    name: str  # the fullest name the article gives the referent before the pronoun
    kind: EntityKind
    roles: tuple[str, ...]  # as the article states them
    named_at: int  # where the article last names the referent before the pronoun


_OPENING_PRONOUN = re.compile(r"(He|She|They|It)\b")
_PERSON_PRONOUNS = frozenset({"he", "she"})
_OPENING_LOOKBACK = 2  # sentences before the pronoun's own in which the referent must be named
_MAX_DESCRIPTION_WORDS = 3  # "The minister", "The interior minister", "The deputy foreign minister"


def opening_references(
    article: Article, doc: Doc, found: ArticleEntities | None = None
) -> dict[int, OpeningReference]:
    """Every sentence of ``article`` opening with a subject pronoun or role whose referent is clear and named.

    Keyed by the pronoun's offset (where the sentence's text starts). "He" and "she" refer to the
    person the article was just talking about (gender-checked); "they" and "it" to a named
    organisation or group, and only when no person or thing was talked about since. The referent
    must be named in the same sentence or the two before it, by a name that can stand alone: a
    person's full name (a surname alone does not introduce anyone), an organisation's name. "The
    minister" as subject refers to the one person the article named before with that role. A
    pronoun inside quoted speech is never resolved.
    """
    text = article.text
    if found is None:
        found = article_entities(article, doc)
    quoted = [(m.open_start, m.close_end) for m in find_quotations(text)]
    salience = Salience(article, doc, found, quoted)
    tokens = {t.idx: t for t in doc}
    out: dict[int, OpeningReference] = {}
    for index, sentence in enumerate(salience.sentences):
        start = sentence.start + content_start(text[sentence.start : sentence.end])
        token = tokens.get(start)
        if token is None or salience._skipped(start):
            continue
        resolved = _pronoun_referent(salience, token, index) or _description_referent(found, token)
        if resolved is None:
            continue
        end, entity, named_at = resolved
        name = _standalone_name(entity, text, start)
        if name is None:
            continue
        roles = tuple(r for r in entity.roles if r.lower() in text.lower())
        out[start] = OpeningReference(start, end, text[start:end], name, entity.kind, roles, named_at)
    return out


def _pronoun_referent(salience: Salience, token: Token, index: int) -> tuple[int, ArticleEntity, int] | None:
    """For a subject pronoun opening sentence ``index``: its end, named referent and where it is named."""
    text = salience.article.text
    match = _OPENING_PRONOUN.match(text, token.idx)
    if match is None or token.dep_ not in {"nsubj", "nsubjpass"}:
        return None
    if token.lower_ == "it" and _impersonal(token):
        return None
    referent = _opening_referent(salience, token.lower_, token.idx)
    if referent is None:
        return None
    entity = referent.entity or _named_in_apposition(referent, salience.found, text)
    if entity is None:
        return None
    # Sentences wholly inside quoted speech continue their speaker's sentence: not counted.
    between = salience.sentences[salience._sentence_index(referent.start) + 1 : index]
    if sum(not salience._skipped(s.start) for s in between) >= _OPENING_LOOKBACK:
        return None
    named_at = max((m.start for m in entity.mentions if m.start < token.idx), default=referent.start)
    return match.end(), entity, named_at


def _description_referent(found: ArticleEntities, token: Token) -> tuple[int, ArticleEntity, int] | None:
    """For an opening "The minister" (a role as subject): its end, and the one person named
    before with that role; None when nobody or more than one person fits."""
    head = token.head
    if token.text != "The" or token.dep_ != "det" or head.dep_ not in {"nsubj", "nsubjpass"}:
        return None
    words = head.doc[token.i + 1 : head.i + 1]
    if head.lower_ not in ROLE_NOUNS or len(words) > _MAX_DESCRIPTION_WORDS:
        return None
    if any(not w.is_alpha or w.pos_ == "PROPN" for w in words):
        return None  # "The Halden mayor", "The minister's aide": not a bare role
    people = [
        e
        for e in found.entities
        if e.kind == "person"
        and any(m.start < token.idx for m in e.mentions)
        and head.lower_ in {w.strip(".,") for role in e.roles for w in fold(role).split()}
    ]
    if len(people) != 1:
        return None
    named_at = max(m.start for m in people[0].mentions if m.start < token.idx)
    return head.idx + len(head.text), people[0], named_at


# Verbs whose subject "it" is usually nobody: "It is unclear ...", "It took two days ...".
_IMPERSONAL_VERBS = frozenset(
    """
    be is was were been being 's seem seems seemed appear appears appeared remain remains remained
    become becomes became take takes took taken emerge emerges emerged rain rains rained snow snowed
    happen happens happened matter matters mattered look looks looked feel feels felt sound sounds
    make makes made mean means meant
    """.split()
)


def _impersonal(token: Token) -> bool:
    """True when an opening "it" is likely a dummy subject ("It is unclear whether ...")."""
    head = token.head
    return head.pos_ not in {"VERB", "AUX"} or head.lower_ in _IMPERSONAL_VERBS


def _opening_referent(salience: Salience, word: str, offset: int) -> Referent | None:
    """The referent of an opening "he"/"she" (a person) or "they"/"it" (a named organisation)."""
    if word in _PERSON_PRONOUNS:
        return salience.resolve_pronoun(word, offset)
    # "They" or "it" as a group: the nearest thing talked about must be a named organisation; a
    # person or an unnamed thing ("the fire", "residents") in between makes the pronoun theirs.
    for referent in salience._candidates(offset):
        entity = referent.entity
        if entity is not None and entity.kind in {"organization", "group"}:
            return referent
        if entity is None or entity.kind == "person":
            return None
    return None


def _named_in_apposition(referent: Referent, found: ArticleEntities, text: str) -> ArticleEntity | None:
    """The person named right after a description: "The leader of the opposition, Ronan Delacourt,"."""
    if not referent.is_person:
        return None
    after = re.match(r",\s*", text[referent.end : referent.end + 3])
    if after is None:
        return None
    named = found.at(referent.end + after.end(), referent.end + after.end() + 1)
    return named if named is not None and named.kind == "person" else None


def _standalone_name(entity: ArticleEntity, text: str, before: int) -> str | None:
    """How to name ``entity`` to a reader who has not met it, from what the article says before ``before``.

    A person needs a full name (two words or more) named before the pronoun; an organisation keeps
    the article's "the" ("The Greens"). None when the article gives nothing that stands alone.
    """
    earlier = text[:before]
    names = [entity.name] + [n for n in entity.names if n != entity.name]
    for name in names:
        if entity.kind == "person" and len(name.split()) < 2:
            continue
        at = earlier.rfind(name)
        if at == -1:
            continue
        if entity.kind != "person" and earlier[max(0, at - 4) : at].lower() == "the ":
            return "The " + name
        return name
    return None


def resolve_opening_reference(
    article: Article,
    sentence_start: int,
    sentence_end: int,
    known: Sequence[str] = (),
    doc: Doc | None = None,
) -> tuple[int, int, str] | None:
    """Replace a sentence-opening subject pronoun with the name it refers to, when that is clear.

    Returns ``(start, end, replacement)`` with ``article.text[start:end]`` the pronoun ("He"), or
    None when the sentence does not open with a subject pronoun or its referent is not a named
    person or group of the same article (see ``opening_references``). ``replacement`` is the full
    name, or the short form (a surname) when the full name is already in ``known`` (names the
    reader has met).
    """
    text = article.text
    if not 0 <= sentence_start < sentence_end <= len(text):
        return None
    if doc is None:
        doc = parse_texts([text])[0]
    start = sentence_start + content_start(text[sentence_start:sentence_end])
    reference = opening_references(article, doc).get(start)
    if reference is None:
        return None
    name = reference.name
    if reference.kind == "person" and any(fold(k) == fold(name) for k in known):
        name = name.split()[-1]
    return reference.start, reference.end, name
