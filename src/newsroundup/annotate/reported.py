"""Reported speech in an article: clauses a cue verb reports ("said (that) ..."), with their speakers."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from newsroundup.annotate.mentions import ArticleEntities
from newsroundup.annotate.quotemarks import find_quotations
from newsroundup.annotate.references import Salience
from newsroundup.annotate.speakers import SPEECH_VERBS, speaker_of, speaker_span, subject_of
from newsroundup.model import Article, Quote, Span

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

__all__ = ["reported_candidates", "reported_cues", "reported_in_article"]

# Verb forms that report speech or thought with a clause ("said (that) ...", "believes ..."), learned
# from PolNeAR's train split by scripts/train_reported_cues.py; before training, SPEECH_VERBS.
_CUES_FILE = Path(__file__).with_name("reported_cues.json")
_MIN_CONTENT_TOKENS = 3
_MAX_QUOTED_SHARE = 0.5


@lru_cache(maxsize=1)
def reported_cues() -> frozenset[str]:
    """The verb forms taken as cues of reported speech (package data, else the speech verbs)."""
    try:
        data = json.loads(_CUES_FILE.read_text(encoding="utf-8"))
        return frozenset(str(c) for c in data["cues"])
    except (OSError, ValueError, KeyError):
        return SPEECH_VERBS


def reported_candidates(doc: Doc, cues: frozenset[str] | None = None) -> list[tuple[Token, int, int]]:
    """(cue verb, content start, content end) for every clause reported by a cue verb in ``doc``:
    the verb's clausal complement ("said (that) X", "X, officials said"), or the rest of the
    sentence around "according to Y". ``cues`` empty: any verb with a complement (for training)."""
    allowed = reported_cues() if cues is None else cues
    skip = [(m.start, m.end) for m in find_quotations(doc.text)]
    out = [
        (verb, start, end) for verb, start, end in _clauses(doc, allowed) if not _mostly_quoted(verb, start, end, skip)
    ]
    return out


def _mostly_quoted(verb: Token, start: int, end: int, skip: list[tuple[int, int]]) -> bool:
    """True for a cue inside a quotation or a clause mostly inside quotation marks (a direct quote)."""
    if any(a <= verb.idx < b for a, b in skip):
        return True
    quoted = sum(max(0, min(end, b) - max(start, a)) for a, b in skip)
    return quoted > _MAX_QUOTED_SHARE * (end - start)


def _clauses(doc: Doc, allowed: frozenset[str]) -> list[tuple[Token, int, int]]:
    out = []
    for tok in doc:
        word = tok.lower_
        if word == "according":
            nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
            if nxt is None or nxt.lower_ != "to":
                continue
            sentence = tok.sent
            phrase = {t.i for t in tok.subtree} | {t.i for t in nxt.subtree}
            rest = [t for t in sentence if t.i not in phrase and not t.is_punct and not t.is_space]
            if len(rest) >= _MIN_CONTENT_TOKENS:
                out.append((tok, rest[0].idx, rest[-1].idx + len(rest[-1].text)))
            continue
        if (allowed and word not in allowed) or tok.pos_ not in {"VERB", "AUX"}:
            continue
        if subject_of(tok) is None:
            continue
        content = [c for c in tok.children if c.dep_ == "ccomp"]
        if not content:
            continue
        parts = [t for c in content for t in c.subtree if not t.is_space]
        while parts and parts[-1].is_punct:
            parts.pop()
        while parts and parts[0].is_punct:
            parts.pop(0)
        if len(parts) < _MIN_CONTENT_TOKENS:
            continue
        parts.sort(key=lambda t: t.i)
        out.append((tok, parts[0].idx, parts[-1].idx + len(parts[-1].text)))
    return out


def reported_in_article(
    article: Article, doc: Doc, found: ArticleEntities, direct: Sequence[Quote] = ()
) -> list[Quote]:
    """Reported speech in ``article``: content span, cue verb and resolved speaker, kind ``reported``.

    A clause that is mostly inside quotation marks is a direct quote's business and is left out.
    """
    text = article.text
    marks = find_quotations(text)
    skip = [(m.start, m.end) for m in marks]
    salience = Salience(article, doc, found, skip)
    out: list[Quote] = []
    out.extend(_colon_attributions(article, found, skip))
    for verb, start, end in reported_candidates(doc):
        attribution = speaker_of(verb, salience, skip, unresolved=True)
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
