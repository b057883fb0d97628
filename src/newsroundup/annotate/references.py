"""Who "he", "she" or "the minister" is: referents of pronouns and descriptions within one article."""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from newsroundup.annotate.aliases import fold, split_person_name
from newsroundup.annotate.mentions import ArticleEntities, ArticleEntity
from newsroundup.annotate.titles import ROLE_NOUNS, honorific_gender
from newsroundup.model import Article, Entity
from newsroundup.text.sentences import split_sentences

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

__all__ = ["PERSON_NOUNS", "Referent", "Salience", "first_mention", "noun_phrase", "short_mention"]

# Nouns that denote people, so that "he" or "she" may refer to a phrase built on them.
PERSON_NOUNS = ROLE_NOUNS | frozenset(
    """
    man woman boy girl person source insider friend neighbour neighbor parent child mourner fan
    student pilot passenger soldier policeman policewoman officer diplomat negotiator staffer
    spokeswoman spokesman employee customer investor trader guard firefighter rescuer medic
    """.split()
)
_SINGULAR_PRONOUNS = {"he": "m", "she": "f"}
_PLURAL_PRONOUNS = frozenset({"they"})
_LOOKBACK_SENTENCES = 3


@dataclass(frozen=True, slots=True)
class Referent:
    """Something a pronoun or description can point back to: a named entity or a described person."""

    name: str
    entity: ArticleEntity | None
    head: str
    start: int
    end: int
    main: bool = False

    @property
    def is_person(self) -> bool:
        """True for people, named or described."""
        if self.entity is not None:
            return self.entity.kind == "person"
        return self.head in PERSON_NOUNS


@dataclass(slots=True)
class _Sentence:
    start: int
    end: int
    referents: list[Referent]


def noun_phrase(token: Token) -> tuple[int, int]:
    """Character span of the noun phrase headed by ``token``, without clauses or appositives."""
    dropped: set[int] = set()
    for child in token.children:
        if child.dep_ in {"relcl", "acl", "appos", "advcl", "punct", "cc", "conj"} and child.i > token.i:
            dropped |= {t.i for t in child.subtree}
    tokens = [t for t in token.subtree if t.i not in dropped]
    kept = []
    for t in tokens:
        if t.i > token.i and t.text in {",", "—", "–", "(", ";"}:
            break
        kept.append(t)
    while kept and (kept[0].is_punct or kept[0].dep_ == "cc"):
        kept.pop(0)
    if not kept:
        return token.idx, token.idx + len(token.text)
    return kept[0].idx, kept[-1].idx + len(kept[-1].text)


def _merged(spans: Sequence[tuple[int, int]]) -> tuple[list[int], list[int]]:
    """Starts and ends of ``spans`` merged where they overlap, in order (for a bisect lookup)."""
    starts: list[int] = []
    ends: list[int] = []
    for a, b in sorted(spans):
        if starts and a < ends[-1]:
            ends[-1] = max(ends[-1], b)
        elif b > a:
            starts.append(a)
            ends.append(b)
    return starts, ends


class Salience:
    """The people and groups an article has been talking about, sentence by sentence."""

    def __init__(
        self, article: Article, doc: Doc, found: ArticleEntities, skip: Sequence[tuple[int, int]] = ()
    ):
        """Index the subjects of every sentence; ``skip`` are ranges (quoted speech) to ignore."""
        self.article = article
        self.doc = doc
        self.found = found
        self.genders: dict[str, str] = {}
        self._skip_starts, self._skip_ends = _merged(skip)
        self.sentences: list[_Sentence] = []
        for span in split_sentences(article.text):
            self.sentences.append(_Sentence(span.start, span.end, self._referents_in(span.start, span.end)))
        self._learned_until = 0
        self._learned_token = 0  # the first token learn_genders has not looked at
        self._learning = False

    def learn_genders(self, until: int) -> None:
        """Resolve the subject "he" and "she" before ``until`` in order, so each teaches a gender."""
        self._learning = True
        doc = self.doc
        i = self._learned_token
        while i < len(doc) and doc[i].idx < until:
            tok = doc[i]
            i += 1
            if tok.idx < self._learned_until or self._skipped(tok.idx):
                continue
            if tok.lower_ in _SINGULAR_PRONOUNS and tok.dep_ in {"nsubj", "nsubjpass"}:
                self.resolve_pronoun(tok.lower_, tok.idx)
        self._learned_token = max(self._learned_token, i)
        self._learned_until = max(self._learned_until, until)
        self._learning = False

    def _skipped(self, offset: int) -> bool:
        at = bisect.bisect_right(self._skip_starts, offset) - 1
        return at >= 0 and offset < self._skip_ends[at]

    def _referents_in(self, start: int, end: int) -> list[Referent]:
        """Subjects (and "according to" sources) in ``[start, end)``, then other people named there."""
        span = self.doc.char_span(start, end, alignment_mode="expand")
        if span is None:
            return []
        out: list[Referent] = []
        for tok in span:
            if self._skipped(tok.idx):
                continue
            according = tok.dep_ == "pobj" and tok.head.lower_ == "to" and tok.head.head.lower_ == "according"
            if not (according or tok.dep_ in {"nsubj", "nsubjpass"}) or tok.pos_ == "PRON":
                continue
            referent = self.referent_of(tok, main=according or tok.head.dep_ == "ROOT")
            if referent is not None:
                out.append(referent)
        for entity in self.found.entities:
            for mention in entity.mentions:
                inside = start <= mention.start < end and not self._skipped(mention.start)
                if inside and not any(r.entity is entity for r in out):
                    out.append(Referent(entity.name, entity, fold(entity.name), mention.start, mention.end))
        main = [r for r in out if r.main]
        return main + [r for r in out if not r.main]

    def referent_of(self, tok: Token, main: bool = False) -> Referent | None:
        """What the noun phrase headed by ``tok`` refers to: a named entity or a described person."""
        entity = self.found.at(tok.idx, tok.idx + len(tok.text))
        if entity is None:
            for child in tok.children:
                if child.dep_ == "appos":
                    named = self.found.at(child.idx, child.idx + len(child.text))
                    if named is not None and named.kind == "person":
                        entity = named
                        break
        start, end = noun_phrase(tok)
        if entity is not None:
            return Referent(entity.name, entity, fold(tok.text), start, end, main)
        if tok.pos_ not in {"NOUN", "PROPN"}:
            return None
        return Referent(self.article.text[start:end], None, fold(tok.text), start, end, main)

    def _sentence_index(self, offset: int) -> int:
        for i, sentence in enumerate(self.sentences):
            if sentence.start <= offset < sentence.end:
                return i
        return len(self.sentences) - 1

    def _candidates(self, offset: int, lookback: int = _LOOKBACK_SENTENCES) -> list[Referent]:
        """Referents before ``offset``: this sentence's first, then ``lookback`` sentences back."""
        index = self._sentence_index(offset)
        out: list[Referent] = []
        own = [r for r in self.sentences[index].referents if r.end <= offset] if index >= 0 else []
        out.extend(own)
        for back in range(index - 1, max(-1, index - 1 - lookback), -1):
            out.extend(self.sentences[back].referents)
        return out

    def _gender(self, referent: Referent) -> str | None:
        if referent.entity is not None and referent.entity.gender:
            return referent.entity.gender
        return self.genders.get(referent.name) or honorific_gender(referent.head)

    def resolve_pronoun(self, pronoun: str, offset: int) -> Referent | None:
        """The person (he, she) or group (they) a subject pronoun at ``offset`` refers to, if clear."""
        word = pronoun.lower()
        if offset > self._learned_until and not self._learning:
            self.learn_genders(offset)
        if word in _SINGULAR_PRONOUNS:
            gender = _SINGULAR_PRONOUNS[word]
            for referent in self._candidates(offset):
                if referent.is_person and self._gender(referent) in {None, gender}:
                    referent = self._settled(referent)
                    self._note_gender(referent, gender)
                    return referent
            return None
        if word in _PLURAL_PRONOUNS:
            for referent in self._candidates(offset):
                if referent.entity is not None and referent.entity.kind in {"organization", "group"}:
                    return referent
                if referent.is_person:
                    return None
        return None

    def _settled(self, referent: Referent) -> Referent:
        """A definite description ("the minister") replaced by whom it describes, when known."""
        if referent.entity is None and fold(referent.name).startswith(("the ", "this ", "that ")):
            resolved = self.resolve_description(referent.head, referent.start)
            if resolved is not None:
                return resolved
        return referent

    def _note_gender(self, referent: Referent, gender: str) -> None:
        if referent.entity is not None:
            referent.entity.gender = referent.entity.gender or gender
        else:
            self.genders.setdefault(referent.name, gender)

    def resolve_description(self, head: str, offset: int) -> Referent | None:
        """The named person "the minister" or the source "the official" at ``offset`` refers to."""
        head = fold(head)
        # Roles are stated once and used for the rest of the article: look back all the way.
        candidates = self._candidates(offset, lookback=len(self.sentences))
        for referent in candidates:
            if referent.entity is not None and referent.entity.kind == "person":
                words = {w.strip(".,") for role in referent.entity.roles for w in fold(role).split()}
                if head in words:
                    return referent
            elif referent.entity is None and referent.head == head:
                return referent
        for referent in candidates:
            entity = referent.entity
            if (
                entity is not None
                and entity.kind in {"organization", "group"}
                and fold(entity.name).endswith(head)
            ):
                return referent
        if head in PERSON_NOUNS:
            # "the negotiator" after "a member of the negotiating team": the unnamed source just cited.
            index = self._sentence_index(offset)
            recent = [
                r
                for i in (index, index - 1)
                if i >= 0
                for r in self.sentences[i].referents
                if r.entity is None and r.is_person and r.end <= offset and r.main
            ]
            if recent:
                return recent[0]
        return None

    def resolve_named_org(self, phrase: str, offset: int) -> ArticleEntity | None:
        """The organisation "the water authority" names, when the article names one ending so."""
        words = fold(re.sub(r"^(?:the|its|a)\s+", "", phrase, flags=re.IGNORECASE))
        for entity in self.found.entities:
            if entity.kind in {"organization", "group"} and fold(entity.name).endswith(words):
                return entity
        return None


def short_mention(entity: Entity) -> str:
    """The later-mention form of an entity: a person's surname, otherwise the canonical name."""
    if entity.kind == "person":
        given, surname = split_person_name(entity.name)
        return surname if given else entity.name
    return entity.name


def first_mention(entity: Entity) -> str:
    """Full name and role for a first mention: "Teodora Marsh, the interior minister"."""
    if not entity.roles:
        return entity.name
    role = re.sub(r"\s*\(\d{4}-\d{2}-\d{2}\)$", "", entity.roles[0]).strip()
    if not role:
        return entity.name
    if role[:1].isupper() and not re.match(r"(?:The|A|An)\b", role):
        return f"{role} {entity.name}"
    return f"{entity.name}, {role[:1].lower() + role[1:]}"
