"""Reported speech in an article: what a cue verb reports ("said (that) X", "vowed to X", "denied X"), with speakers."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from newsroundup.annotate.mentions import ArticleEntities
from newsroundup.annotate.quotemarks import find_quotations
from newsroundup.annotate.references import Salience
from newsroundup.annotate.speakers import SPEECH_VERBS, Attribution, speaker_of, speaker_span, subject_of
from newsroundup.model import Article, Quote, Span

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

__all__ = ["RELATIONS", "Candidate", "ReportedCues", "reported_candidates", "reported_cues", "reported_in_article"]

# What a cue verb reports, by grammatical relation: a clause ("said (that) X"), an infinitive ("vowed to
# X"), an object ("denied the report") or a prepositional object ("called for X"). Which verb forms cue
# reported speech in each relation, and how much of a content may sit inside quotation marks, are
# learned from PolNeAR's train split by scripts/train_reported_cues.py; before training, SPEECH_VERBS
# with a clause.
RELATIONS = ("ccomp", "xcomp", "dobj", "prep")
_CUES_FILE = Path(__file__).with_name("reported_cues.json")
_MIN_CONTENT_TOKENS = 3
_MAX_QUOTED_SHARE = 0.5
_FIRST_AND_SECOND_PERSON = frozenset({"i", "we", "you"})


@dataclass(frozen=True, slots=True)
class ReportedCues:
    """Cue forms per relation (a prepositional cue is "verb preposition") and the largest quoted share."""

    by_relation: Mapping[str, frozenset[str]]
    max_quoted_share: float = _MAX_QUOTED_SHARE


@dataclass(frozen=True, slots=True)
class Candidate:
    """A cue verb, how it reports (one of ``RELATIONS`` or "according"), its cue form and content span."""

    verb: Token
    relation: str
    cue: str
    start: int
    end: int


@lru_cache(maxsize=1)
def reported_cues() -> ReportedCues:
    """The cues of reported speech (package data, else the speech verbs with a clause)."""
    try:
        data = json.loads(_CUES_FILE.read_text(encoding="utf-8"))
        by_relation = {r: frozenset(str(c) for c in data["cues"].get(r, ())) for r in RELATIONS}
        return ReportedCues(by_relation, float(data["max_quoted_share"]))
    except (OSError, ValueError, KeyError, AttributeError, TypeError):
        return ReportedCues({"ccomp": SPEECH_VERBS})


def reported_candidates(doc: Doc, cues: ReportedCues | None = None, every_verb: bool = False) -> list[Candidate]:
    """Every content reported by a cue verb in ``doc``, at most one per verb (the first relation of
    ``RELATIONS`` it has a cue for), and the rest of the sentence around "according to Y".

    ``every_verb`` (for training): every verb with a subject, once per relation it has a content in.
    A cue inside quotation marks, or a content more than the cues' quoted share inside them, is left out.
    """
    table = reported_cues() if cues is None else cues
    skip = [(m.start, m.end) for m in find_quotations(doc.text)]
    out = []
    for found in _contents(doc, table, every_verb):
        if any(a <= found.verb.idx < b for a, b in skip):
            continue
        quoted = sum(max(0, min(found.end, b) - max(found.start, a)) for a, b in skip)
        if quoted > table.max_quoted_share * (found.end - found.start):
            continue
        out.append(found)
    return out if every_verb else _outermost(out)


def _outermost(found: list[Candidate]) -> list[Candidate]:
    """Leave out a cue inside another content of the same subject: in "X vowed to block the plan",
    blocking the plan is part of what X vowed, not a second report."""
    subjects = [subject_of(c.verb) for c in found]
    return [
        c
        for c, subject in zip(found, subjects, strict=True)
        if not any(
            d is not c and d.start <= c.verb.idx < d.end and subject is not None and other == subject
            for d, other in zip(found, subjects, strict=True)
        )
    ]


def _contents(doc: Doc, table: ReportedCues, every_verb: bool) -> list[Candidate]:
    out = []
    for tok in doc:
        if tok.lower_ == "according":
            found = _according_to(doc, tok)
            if found is not None:
                out.append(found)
            continue
        if tok.pos_ not in {"VERB", "AUX"} or subject_of(tok) is None:
            continue
        for relation in RELATIONS:
            content = _content(tok, relation)
            if content is None:
                continue
            cue = tok.lower_ if relation != "prep" else f"{tok.lower_} {content[0].lower_}"
            if every_verb or cue in table.by_relation.get(relation, ()):
                out.append(Candidate(tok, relation, cue, content[1], content[2]))
                if not every_verb:
                    break
    return out


def _according_to(doc: Doc, tok: Token) -> Candidate | None:
    """The rest of the sentence around "according to Y"."""
    nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
    if nxt is None or nxt.lower_ != "to":
        return None
    phrase = {t.i for t in tok.subtree} | {t.i for t in nxt.subtree}
    rest = [t for t in tok.sent if t.i not in phrase and not t.is_punct and not t.is_space]
    if len(rest) < _MIN_CONTENT_TOKENS:
        return None
    return Candidate(tok, "according", "according to", rest[0].idx, rest[-1].idx + len(rest[-1].text))


def _content(verb: Token, relation: str) -> tuple[Token, int, int] | None:
    """(the token heading it, start, end) of what ``verb`` reports in ``relation``, if it has one."""
    if relation == "prep":
        heads = [
            p for p in verb.children if p.dep_ == "prep" and p.i > verb.i and any(c.dep_ == "pobj" for c in p.children)
        ][:1]
        roots = [c for p in heads for c in p.children if c.dep_ == "pobj"]
    else:
        heads = roots = [c for c in verb.children if c.dep_ == relation]
    if not roots:
        return None
    parts = [t for c in roots for t in c.subtree if not t.is_space]
    while parts and parts[-1].is_punct:
        parts.pop()
    while parts and parts[0].is_punct:
        parts.pop(0)
    if len(parts) < _MIN_CONTENT_TOKENS:
        return None
    parts.sort(key=lambda t: t.i)
    return heads[0], parts[0].idx, parts[-1].idx + len(parts[-1].text)


def reported_in_article(
    article: Article, doc: Doc, found: ArticleEntities, direct: Sequence[Quote] = ()
) -> list[Quote]:
    """Reported speech in ``article``: content span, cue verb and resolved speaker, kind ``reported``.

    A content mostly inside quotation marks (over the learned share) is a direct quote's business, left out.
    """
    text = article.text
    marks = find_quotations(text)
    skip = [(m.start, m.end) for m in marks]
    salience = Salience(article, doc, found, skip)
    out: list[Quote] = []
    out.extend(_colon_attributions(article, found, skip))
    for candidate in reported_candidates(doc):
        verb, start, end = candidate.verb, candidate.start, candidate.end
        attribution = speaker_of(verb, salience, skip, unresolved=True) or _speaker_as_written(verb, skip)
        if attribution is None:
            continue
        out.append(
            Quote(
                text[start:end],
                attribution.speaker,
                Span(article.id, start, end),
                Span(article.id, attribution.start, attribution.end),
                kind="reported",
                cue=attribution.cue,
                speaker_span=speaker_span(article.id, attribution),
            )
        )
    return out


def _speaker_as_written(verb: Token, skip: list[tuple[int, int]]) -> Attribution | None:
    """"I", "we" or "you" as the subject of a cue outside quotation marks (an author's or a
    transcript's own words): the speaker is the pronoun as written."""
    subject = subject_of(verb)
    if subject is None or subject.lower_ not in _FIRST_AND_SECOND_PERSON or any(a <= subject.idx < b for a, b in skip):
        return None
    start, end = min(subject.idx, verb.idx), max(subject.idx + len(subject.text), verb.idx + len(verb.text))
    return Attribution(subject.text, start, end, subject.idx, subject.idx + len(subject.text), verb.text)


_COLON_LINE = re.compile(r"^([A-Z][\w.’'-]*(?: [A-Z][\w.’'-]*){0,3}(?: camp)?): (\S.{10,})$", re.MULTILINE)


def _colon_attributions(article: Article, found: ArticleEntities, skip: list[tuple[int, int]]) -> list[Quote]:
    """"Graham: Trump's rhetoric is destroying the party's chance." — a line opening with a named
    person or organisation and a colon (headlines, transcripts) reports what they said."""
    text = article.text
    out = []
    for match in _COLON_LINE.finditer(text):
        name_start, name_end = match.span(1)
        entity = next(
            (
                e
                for e in found.entities
                if e.kind in {"person", "organization", "group"}
                and any(m.start == name_start and m.end <= name_end for m in e.mentions)
            ),
            None,
        )
        if entity is None:
            continue
        start, end = match.span(2)
        while end > start and text[end - 1] in " .":
            end -= 1
        if sum(max(0, min(end, b) - max(start, a)) for a, b in skip) > _MAX_QUOTED_SHARE * (end - start):
            continue
        out.append(
            Quote(
                text[start:end],
                entity.name,
                Span(article.id, start, end),
                Span(article.id, name_start, name_end + 1),
                kind="reported",
                cue=":",
                speaker_span=Span(article.id, name_start, name_end),
            )
        )
    return out
