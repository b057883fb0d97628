"""Reported speech in an article: what a cue verb reports ("said (that) X", "vowed to X", "denied X"), with speakers."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from newsroundup.annotate.mentions import ArticleEntities
from newsroundup.annotate.quotemarks import QuoteMarks, chars_inside, find_quotations
from newsroundup.annotate.references import Salience
from newsroundup.annotate.reported_model import ReportedModel, candidate_features, reported_model
from newsroundup.annotate.reported_tagger import (
    CrfChoice,
    TokenIndex,
    lemma,
    reported_tagger,
    tag,
    token_features,
)
from newsroundup.annotate.speakers import SPEECH_VERBS, Attribution, speaker_of, speaker_span, subject_of
from newsroundup.model import Article, Quote, Span

if TYPE_CHECKING:
    import pycrfsuite
    from spacy.tokens import Doc, Token

__all__ = [
    "NOUN_RELATIONS",
    "RELATIONS",
    "Candidate",
    "choose_candidates",
    "features_of",
    "noun_source",
    "reported_candidates",
    "reported_in_article",
    "scored_candidates",
    "source_of",
    "speaker_salience",
    "tagger_candidates",
]

# What a cue verb reports, by grammatical relation: a clause ("said (that) X"), an infinitive ("vowed to
# X"), an object ("denied the report", "called him a liar") or a prepositional object ("called for X").
# Whether a verb's content is reported speech is decided by a logistic model over the candidate's
# features (annotate/reported_model.py), learned from PolNeAR's train split by
# scripts/train_reported_model.py; without it, SPEECH_VERBS with a clause.
RELATIONS = ("ccomp", "xcomp", "dobj", "prep")
# A noun reports too: "his claim that X", "warnings from experts that X", "her promise to X", "his support
# for X"; its source is its possessor, the agent of a "by"/"from" phrase, or the subject of the verb it is
# the object of ("made the claim that X"). So do an adjective ("X is critical of Y": "adj_prep", its source
# the subject) and a passive verb with an agent ("The meeting was reported by Politico": "passive", the
# content is the subject, the source the agent).
NOUN_RELATIONS = ("noun_that", "noun_to", "noun_prep")
_NOUN_PREPOSITIONS = frozenset({"of", "for", "on", "to", "about", "against"})
_NOUN_AGENTS = frozenset({"by", "from"})
# A content of one word can be reported speech ("endorsed Cruz"); the model weighs its length.
_MIN_CONTENT_TOKENS = 1
_MIN_ACCORDING_TOKENS = 3
_MAX_QUOTED_SHARE = 0.5
# A tagged content with no reported speech of the model under it takes the speaker of a candidate it
# overlaps at least this much (the overlap the benchmark counts as a match).
_MIN_CANDIDATE_JACCARD = 0.3
_FIRST_AND_SECOND_PERSON = frozenset({"i", "we", "you"})


@dataclass(frozen=True, slots=True)
class Candidate:
    """A cue verb, how it reports (one of ``RELATIONS`` or "according"), its cue form, content span, the
    share of the content inside quotation marks and the model's probability that it is reported speech."""

    verb: Token
    relation: str
    cue: str
    start: int
    end: int
    quoted_share: float = 0.0
    opens_quoted: bool = False
    probability: float = 1.0
    source: Token | None = None  # a cue noun's source ("his" of "his claim that ..."); a verb's is its subject


def source_of(candidate: Candidate) -> Token | None:
    """Who ``candidate`` reports: the cue noun's source, else the cue verb's subject."""
    return candidate.source if candidate.source is not None else subject_of(candidate.verb)


def reported_candidates(doc: Doc, model: ReportedModel | None = None, every_verb: bool = False) -> list[Candidate]:
    """Every content reported by a cue verb in ``doc``, at most one per verb (its most likely relation),
    and the rest of the sentence around "according to Y".

    ``every_verb`` (for training): every verb with a subject, once per relation it has a content in,
    unscored. A cue inside quotation marks is left out, and so is a direct quote (``choose_candidates``).
    """
    marks = find_quotations(doc.text)
    skip = [(m.start, m.end) for m in marks]
    found = []
    for c in _contents(doc):
        if any(a <= c.verb.idx < b for a, b in skip):
            continue
        quoted = chars_inside(c.start, c.end, skip) / max(1, c.end - c.start)
        opens = any(m.open_start <= c.start < m.close_end for m in marks)
        found.append(replace(c, quoted_share=quoted, opens_quoted=opens))
    return found if every_verb else scored_candidates(found, model)


def scored_candidates(found: list[Candidate], model: ReportedModel | None = None) -> list[Candidate]:
    """Of every verb's candidates (``reported_candidates(doc, every_verb=True)``), the reported speech:
    scored by the logistic model and chosen (``choose_candidates``)."""
    model = model or reported_model()
    if model is None:
        scored = [
            replace(c, probability=float(c.relation in {"ccomp", "according"} and c.verb.lower_ in SPEECH_VERBS))
            for c in found
        ]
        return choose_candidates(scored, 0.5, _MAX_QUOTED_SHARE)
    scored = [replace(c, probability=model.probability(features_of(c))) for c in found]
    return choose_candidates(scored, model.threshold, model.max_quoted_share)


def choose_candidates(scored: list[Candidate], threshold: float, max_quoted_share: float) -> list[Candidate]:
    """Of scored candidates, per verb the most likely one at ``threshold`` or above, and not a direct
    quote (a content that opens with a quotation and is over ``max_quoted_share`` in quotation marks:
    "He said that “...”" or "Ali “walked the walk”" are reported speech with a quoted part); then the
    outermost of each subject (``_outermost``)."""
    best: dict[int, Candidate] = {}
    for c in scored:
        if c.probability < threshold or (c.opens_quoted and c.quoted_share > max_quoted_share):
            continue
        if c.verb.i not in best or c.probability > best[c.verb.i].probability:
            best[c.verb.i] = c
    return _outermost(sorted(best.values(), key=lambda c: c.verb.i))


def features_of(candidate: Candidate) -> list[str]:
    """The model's features of ``candidate`` (see ``reported_model.candidate_features``)."""
    return candidate_features(
        candidate.verb,
        candidate.relation,
        candidate.cue,
        (candidate.start, candidate.end),
        source_of(candidate),
        candidate.quoted_share,
        candidate.opens_quoted,
    )


def _outermost(found: list[Candidate]) -> list[Candidate]:
    """Leave out a cue inside another content of the same subject: in "X vowed to block the plan",
    blocking the plan is part of what X vowed, not a second report."""
    subjects = [source_of(c) for c in found]
    return [
        c
        for c, subject in zip(found, subjects, strict=True)
        if not any(
            d is not c and d.start <= c.verb.idx < d.end and subject is not None and other == subject
            for d, other in zip(found, subjects, strict=True)
        )
    ]


def _contents(doc: Doc) -> list[Candidate]:
    """Every verb with a subject, once per relation it has a content in, and each "according to"."""
    out = []
    for tok in doc:
        if tok.lower_ == "according":
            found = _according_to(doc, tok)
            if found is not None:
                out.append(found)
            continue
        if tok.pos_ == "NOUN":
            out.extend(_nominal(tok))
            continue
        if tok.dep_ == "acomp":
            out.extend(_adjectival(tok))
            continue
        if tok.pos_ not in {"VERB", "AUX"} or subject_of(tok) is None:
            continue
        passive = _passive(tok)
        if passive is not None:
            out.append(passive)
        for relation in RELATIONS:
            content = _content(tok, relation)
            if content is None:
                continue
            cue = tok.lower_ if relation != "prep" else f"{tok.lower_} {content[0].lower_}"
            out.append(Candidate(tok, relation, cue, content[1], content[2]))
        if tok.dep_ == "parataxis" and tok.head.i != tok.i:
            # "The bigger risk, he said, is a clash": the cue sits inside the clause it reports
            inside = {t.i for t in tok.subtree}
            parts = _trimmed([t for t in tok.head.subtree if t.i not in inside])
            if len(parts) >= _MIN_CONTENT_TOKENS:
                out.append(Candidate(tok, "parataxis", tok.lower_, parts[0].idx, parts[-1].idx + len(parts[-1].text)))
    return out


def _nominal(noun: Token) -> list[Candidate]:
    """What a noun with a source reports in a clause after it: "his claim that X" (``noun_that``), "her
    promise to X" (``noun_to``)."""
    source = noun_source(noun)
    if source is None:
        return []
    out = []
    if source.dep_ == "poss":
        # "his support for X": only a possessor makes the noun someone's (the "use of force" is no one's)
        out.extend(_prepositional(noun, "noun_prep", _NOUN_PREPOSITIONS, source))
    for clause in noun.children:
        if clause.i < noun.i or clause.dep_ not in {"acl", "ccomp"}:
            continue
        if any(c.dep_ == "mark" and c.lower_ == "that" for c in clause.children):
            relation = "noun_that"
        elif clause.dep_ == "acl" and any(c.dep_ == "aux" and c.lower_ == "to" for c in clause.children):
            relation = "noun_to"
        else:
            continue
        parts = _trimmed(list(clause.subtree))
        if len(parts) >= _MIN_CONTENT_TOKENS:
            out.append(
                Candidate(noun, relation, noun.lower_, parts[0].idx, parts[-1].idx + len(parts[-1].text), source=source)
            )
    return out


def _prepositional(cue: Token, relation: str, prepositions: frozenset[str] | None, source: Token) -> list[Candidate]:
    """The object of each preposition after ``cue`` (of ``prepositions``, or any), as ``relation``."""
    out = []
    for prep in cue.children:
        if prep.dep_ != "prep" or prep.i < cue.i or (prepositions is not None and prep.lower_ not in prepositions):
            continue
        parts = _trimmed([t for c in prep.children if c.dep_ in {"pobj", "pcomp"} for t in c.subtree])
        if len(parts) >= _MIN_CONTENT_TOKENS:
            start, end = parts[0].idx, parts[-1].idx + len(parts[-1].text)
            out.append(Candidate(cue, relation, f"{cue.lower_} {prep.lower_}", start, end, source=source))
    return out


def _adjectival(adjective: Token) -> list[Candidate]:
    """"X is critical of Y", "proud of Y", "open to Y": the object of the adjective's preposition, its
    source the subject of the verb the adjective completes."""
    source = subject_of(adjective.head) if adjective.head is not adjective else None
    return [] if source is None else _prepositional(adjective, "adj_prep", None, source)


def _passive(verb: Token) -> Candidate | None:
    """"The meeting was first reported by Politico": the passive subject is the content, the agent the source."""
    subject = next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
    agent = next((c for c in verb.children if c.dep_ == "agent"), None)
    source = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent is not None else None
    if subject is None or source is None:
        return None
    parts = _trimmed(list(subject.subtree))
    if len(parts) < _MIN_CONTENT_TOKENS:
        return None
    return Candidate(verb, "passive", verb.lower_, parts[0].idx, parts[-1].idx + len(parts[-1].text), source=source)


def noun_source(noun: Token) -> Token | None:
    """The source of a cue noun: its possessor ("his claim"), the agent of a "by"/"from" phrase ("warnings
    from experts"), or the subject of the verb it is the object of ("officials made the claim")."""
    possessor = next((c for c in noun.children if c.dep_ == "poss"), None)
    if possessor is not None:
        return possessor
    for prep in noun.children:
        if prep.dep_ == "prep" and prep.lower_ in _NOUN_AGENTS:
            agent = next((c for c in prep.children if c.dep_ == "pobj"), None)
            if agent is not None:
                return agent
    if noun.dep_ == "dobj" and noun.head.pos_ in {"VERB", "AUX"}:
        return subject_of(noun.head)
    return None


def _according_to(doc: Doc, tok: Token) -> Candidate | None:
    """The rest of the sentence around "according to Y"."""
    nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
    if nxt is None or nxt.lower_ != "to":
        return None
    phrase = {t.i for t in tok.subtree} | {t.i for t in nxt.subtree}
    rest = [t for t in tok.sent if t.i not in phrase and not t.is_punct and not t.is_space]
    if len(rest) < _MIN_ACCORDING_TOKENS:
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
        if relation == "dobj" and roots:
            # "called him a liar": the object and what it is called
            roots = roots + [c for c in verb.children if c.dep_ == "oprd"]
    if not roots:
        return None
    parts = _trimmed([t for c in roots for t in c.subtree])
    if len(parts) < _MIN_CONTENT_TOKENS:
        return None
    return heads[0], parts[0].idx, parts[-1].idx + len(parts[-1].text)


def _trimmed(parts: list[Token]) -> list[Token]:
    """Tokens in text order without spaces, and without punctuation at either end."""
    parts = sorted((t for t in parts if not t.is_space), key=lambda t: t.i)
    while parts and parts[-1].is_punct:
        parts.pop()
    while parts and parts[0].is_punct:
        parts.pop(0)
    return parts


def speaker_salience(article: Article, doc: Doc, found: ArticleEntities) -> Salience:
    """Who ``article`` is talking about, as direct quotes and reported speech resolve their speakers:
    quoted speech skipped. Build it once per article and give it to both (``salience=``)."""
    return Salience(article, doc, found, [(m.start, m.end) for m in find_quotations(article.text)])


def reported_in_article(
    article: Article,
    doc: Doc,
    found: ArticleEntities,
    direct: Sequence[Quote] = (),
    crf: CrfChoice = "shipped",
    salience: Salience | None = None,
) -> list[Quote]:
    """Reported speech in ``article``: content span, cue verb and resolved speaker, kind ``reported``.

    The candidates the logistic model keeps (and colon lines) come first; then a CRF (``crf``: the
    shipped one when it is there, None for none) decides token by token what is reported (``_tagged``).
    A content mostly inside quotation marks (over the learned share) is a direct quote's business, left out.
    ``salience``: the article's ``speaker_salience``, when the caller built it already.
    """
    text = article.text
    marks = find_quotations(text)
    skip = [(m.start, m.end) for m in marks]
    salience = salience or speaker_salience(article, doc, found)
    everything = reported_candidates(doc, every_verb=True)
    colon = _colon_attributions(article, found, skip)
    out: list[Quote] = list(colon)
    for candidate in scored_candidates(everything):
        quote = _quote(article, candidate, candidate.start, candidate.end, salience, skip)
        if quote is not None:
            out.append(quote)
    tagger = reported_tagger() if crf == "shipped" else crf
    if tagger is None:
        return out
    # A "Name: claim" line is kept as the rule finds it; the CRF decides the rest.
    tagged = _tagged(article, doc, tagger, everything, [*direct, *out], salience, marks)
    lines = [(q.span.start, q.span.end) for q in colon]
    return colon + [q for q in tagged if not any(a < q.span.end and q.span.start < b for a, b in lines)]


def _quote(
    article: Article, candidate: Candidate, start: int, end: int, salience: Salience, skip: list[tuple[int, int]]
) -> Quote | None:
    """``article``'s text from ``start`` to ``end`` reported by ``candidate``'s speaker, or None when
    its cue has no speaker."""
    verb = candidate.verb
    attribution = speaker_of(verb, salience, skip, unresolved=True, subject=candidate.source) or (
        _speaker_as_written(verb, skip) if candidate.source is None else None
    )
    if attribution is None:
        return None
    return Quote(
        article.text[start:end],
        attribution.speaker,
        Span(article.id, start, end),
        Span(article.id, attribution.start, attribution.end),
        kind="reported",
        cue=attribution.cue,
        speaker_span=speaker_span(article.id, attribution),
    )


def _tagged(
    article: Article,
    doc: Doc,
    tagger: pycrfsuite.Tagger,
    everything: list[Candidate],
    found: list[Quote],
    salience: Salience,
    marks: list[QuoteMarks],
) -> list[Quote]:
    """The contents the CRF tags, each with a speaker: that of the reported speech found by the model
    it shares the most words with, else that of the candidate it overlaps most (token Jaccard at least
    ``_MIN_CANDIDATE_JACCARD``), else none and the span is left out (nothing is attributed to no one).

    A content starts and ends on a word and keeps the closing mark of a quotation it opens. PolNeAR counts
    quoted contents as reported speech too (mixed attributions), so they stay; the story page leaves out
    those that are mostly a direct quote (roundup/enrich.py).
    """
    skip = [(m.start, m.end) for m in marks]
    index = TokenIndex(doc)
    features = token_features(
        doc, tagger_candidates(everything), [(q.span.start, q.span.end, q.kind) for q in found], index
    )
    reported = [(q, index.content(q.span.start, q.span.end)) for q in found if q.kind == "reported"]
    candidates = [(c, index.content(c.start, c.end)) for c in everything]
    out: list[Quote] = []
    for start, end in tag(tagger, doc, features):
        words = index.content(start, end)
        if not words:
            continue
        start, end = doc[min(words)].idx, doc[max(words)].idx + len(doc[max(words)].text)
        end = max([end] + [m.close_end for m in marks if start <= m.open_start < end < m.close_end <= end + 2])
        shared, quote = max(((len(words & w), q) for q, w in reported), default=(0, None), key=lambda p: p[0])
        if quote is not None and shared:
            out.append(replace(quote, text=article.text[start:end], span=Span(article.id, start, end)))
            continue
        ranked = sorted(
            ((len(words & w) / len(words | w), c) for c, w in candidates if words & w), key=lambda p: -p[0]
        )
        for jaccard, candidate in ranked:
            if jaccard < _MIN_CANDIDATE_JACCARD:
                break
            linked = _quote(article, candidate, start, end, salience, skip)
            if linked is not None:
                out.append(linked)
                break
    return out


def tagger_candidates(candidates: Iterable[Candidate]) -> list[tuple[int, int, str, str]]:
    """``candidates`` as the CRF's features take them: (start, end, relation, cue lemma)."""
    return [(c.start, c.end, c.relation, lemma(c.verb)) for c in candidates]


def _speaker_as_written(verb: Token, skip: list[tuple[int, int]]) -> Attribution | None:
    """"I", "we" or "you" as the subject of a cue outside quotation marks (an author's or a
    transcript's own words): the speaker is the pronoun as written."""
    subject = subject_of(verb)
    if subject is None or subject.lower_ not in _FIRST_AND_SECOND_PERSON or any(a <= subject.idx < b for a, b in skip):
        return None
    start, end = min(subject.idx, verb.idx), max(subject.idx + len(subject.text), verb.idx + len(verb.text))
    return Attribution(subject.text, start, end, subject.idx, subject.idx + len(subject.text), verb.text)


_COLON_LINE = re.compile(r"^([A-Z][^\n:]{0,80}?):[ \t]+(\S[^\n]{10,})$", re.MULTILINE)
_TRANSCRIPT_TAG = re.compile(r"[A-Z][A-Z.’'-]+(?: [A-Z][A-Z.’'-]+){0,2}")
_COLON_SOURCES = frozenset({"poll", "polls", "survey", "report", "study", "sources", "officials", "aides"})
_MAX_COLON_WORDS = 8


def _colon_attributions(article: Article, found: ArticleEntities, skip: list[tuple[int, int]]) -> list[Quote]:
    """"Graham: Trump's rhetoric is destroying the party's chance." — a line opening with a named
    person or organisation (or "X on Y"), a transcript's speaker tag ("TAPPER:", when two lines or
    more open with one) or a source noun ("Poll:") and a colon reports what they said."""
    text = article.text
    lines = [m for m in _COLON_LINE.finditer(text) if len(m.group(1).split()) <= _MAX_COLON_WORDS]
    transcript = sum(bool(_TRANSCRIPT_TAG.fullmatch(m.group(1))) for m in lines) >= 2
    out = []
    for match in lines:
        name_start, name_end = match.span(1)
        speaker = _colon_speaker(found, match.group(1), name_start, name_end, transcript)
        if speaker is None:
            continue
        start, end = match.span(2)
        while end > start and text[end - 1] in " .":
            end -= 1
        quoted = chars_inside(start, end, skip)
        if any(a - 1 <= start < b for a, b in skip) and quoted > _MAX_QUOTED_SHARE * (end - start):
            continue  # a direct quote
        out.append(
            Quote(
                text[start:end],
                speaker[0],
                Span(article.id, start, end),
                Span(article.id, name_start, name_end + 1),
                kind="reported",
                cue=":",
                speaker_span=Span(article.id, name_start, speaker[1]),
            )
        )
    return out


def _colon_speaker(
    found: ArticleEntities, prefix: str, start: int, end: int, transcript: bool
) -> tuple[str, int] | None:
    """(speaker, end of the speaker as written) of a line opening ``prefix:``, or None."""
    for e in found.entities:
        if e.kind not in {"person", "organization", "group"}:
            continue
        mention = next((m for m in e.mentions if m.start == start and m.end <= end), None)
        if mention is not None:
            return e.name, mention.end
    if transcript and _TRANSCRIPT_TAG.fullmatch(prefix):
        return prefix, end
    if prefix.split()[0].lower() in _COLON_SOURCES and len(prefix.split()) <= 3:
        return prefix, end
    return None
