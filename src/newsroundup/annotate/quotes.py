"""Direct quotations in an article and who said them, each checked verbatim against its span."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from newsroundup.annotate.aliases import fold
from newsroundup.annotate.mentions import ArticleEntities, ArticleEntity, article_entities
from newsroundup.annotate.nlp import parse_texts
from newsroundup.annotate.references import Referent, Salience, noun_phrase
from newsroundup.model import Article, Quote, Span
from newsroundup.text.sentences import split_sentences

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

__all__ = [
    "QuoteMarks",
    "attributions_in_article",
    "extract_quotes",
    "find_quotations",
    "quotes_in_article",
    "reported_in_article",
]

# Verbs that attribute speech or writing ("said", "told", "called ... 'x'", "according to").
SPEECH_VERBS = frozenset(
    """
    say says said saying tell tells told add adds added ask asks asked write writes wrote
    warn warns warned insist insists insisted note notes noted explain explains explained argue argues
    argued claim claims claimed state states stated declare declares declared announce announces
    announced reply replies replied respond responds responded recall recalls recalled acknowledge
    acknowledges acknowledged admit admits admitted concede concedes conceded continue continues
    continued promise promises promised vow vows vowed urge urges urged call calls called describe
    describes described deny denies denied criticize criticizes criticized criticise criticises
    criticised dismiss dismisses dismissed accuse accuses accused praise praises praised complain
    complains complained tweet tweets tweeted post posts posted shout shouts shouted whisper
    whispered predict predicts predicted confirm confirms confirmed stress stresses stressed
    emphasize emphasizes emphasized emphasise emphasised reiterate reiterates reiterated counter
    counters countered suggest suggests suggested observe observes observed testify testifies
    testified recount recounts recounted according yell yells yelled chant chants chanted scream screams
    screamed exclaim exclaims exclaimed joke jokes joked conclude concludes concluded quip quips quipped
    """.split()
)
_OPENERS = {"“": "curly", "``": "duc", "''": "duc", "‘": "single", '"': "straight"}
_CLOSERS = {"curly": "”", "duc": "''", "single": "’", "straight": '"'}
_MARK = re.compile(r"``|''|[“”‘’\"]")
_OPEN_BEFORE = re.compile(r"(?:^|[\s(\[—–\-/:;,])$")
_NEAR_AFTER_TOKENS = 8
_SUBJECT_PRONOUNS = frozenset({"he", "she", "they", "it"})
_DETERMINER_START = re.compile(r"^(?:A|An|The|One|Two|Three|Several|Some)\b")
# Generic nouns for an organisation: "the group said" is the organisation named just before.
_ORGANISATION_NOUNS = frozenset({"group", "company", "firm", "organization", "organisation", "movement"})
_ORG_LOOKBACK = 3
_PARTICIPLE_TOKENS = 8
_MAX_SPEAKER_WORDS = 16


@dataclass(frozen=True, slots=True)
class QuoteMarks:
    """Where a quotation sits: its marks ``[open_start, close_end)`` and its text ``[start, end)``."""

    open_start: int
    start: int
    end: int
    close_end: int
    paragraph: int


def find_quotations(text: str) -> list[QuoteMarks]:
    """Every span of ``text`` between quotation marks, in straight, curly, single-curly or ``...'' style.

    A quotation still open at the end of a paragraph counts only when the next paragraph opens with
    a quotation mark (the newspaper way of running a quote over several paragraphs).
    """
    out: list[QuoteMarks] = []
    paragraphs = _paragraphs(text)
    for number, (start, end) in enumerate(paragraphs):
        next_opens = number + 1 < len(paragraphs) and bool(
            re.match(r"\s*(?:``|''|[“‘\"])", text[paragraphs[number + 1][0] : paragraphs[number + 1][1]])
        )
        out.extend(_quotations_in(text, start, end, number, next_opens))
    return out


def _paragraphs(text: str) -> list[tuple[int, int]]:
    """Character ranges of the non-empty lines of ``text``."""
    out = []
    offset = 0
    for line in text.split("\n"):
        if line.strip():
            out.append((offset, offset + len(line)))
        offset += len(line) + 1
    return out


def _quotations_in(text: str, start: int, end: int, paragraph: int, runs_on: bool) -> list[QuoteMarks]:
    """The quotations of one paragraph ``text[start:end]``."""
    out: list[QuoteMarks] = []
    style: str | None = None
    open_start = open_end = 0
    for match in _MARK.finditer(text, start, end):
        mark = match.group()
        if style is None:
            if (mark in _OPENERS and _OPEN_BEFORE.search(text[max(start, match.start() - 1) : match.start()])) or (
                mark in _OPENERS and match.start() == start
            ):
                style, open_start, open_end = _OPENERS[mark], match.start(), match.end()
            continue
        if mark != _CLOSERS[style]:
            continue
        after = text[match.end() : match.end() + 1]
        if style == "single" and (after.isalnum() or _is_possessive(text, match.start())):
            continue  # an apostrophe: "region’s", "Brigades’ negotiating team"
        marks = _trimmed(text, open_start, open_end, match.start(), match.end(), paragraph)
        if marks is not None:
            out.append(marks)
        style = None
    if style is not None and runs_on:
        marks = _trimmed(text, open_start, open_end, end, end, paragraph)
        if marks is not None:
            out.append(marks)
    return out


def _is_possessive(text: str, index: int) -> bool:
    """True when ``’`` at ``index`` is a plural possessive ("Brigades’ team") rather than a closing mark."""
    before = text[max(0, index - 1) : index]
    nxt = re.match(r"\s+([a-z]+)", text[index + 1 : index + 30])
    return before == "s" and nxt is not None and nxt.group(1) not in {"said", "says", "added", "he", "she", "they"}


def _trimmed(text: str, open_start: int, start: int, end: int, close_end: int, paragraph: int) -> QuoteMarks | None:
    """Quotation marks with the quoted text trimmed of spaces and a trailing comma; None if empty."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] == ","):
        end -= 1
    if not any(c.isalpha() for c in text[start:end]):
        return None
    return QuoteMarks(open_start, start, end, close_end, paragraph)


def extract_quotes(article: Article) -> list[Quote]:
    """The attributed direct quotations of ``article``, each with its speaker and attribution span.

    The speaker is the article's fullest name for a person or organisation (pronouns and "the
    minister" are resolved within the article), or an unnamed source as the text describes it
    ("a senior Western diplomat"). Quotations without an attribution (scare quotes, titles) are left
    out. Every quote is verbatim: ``article.text[q.span.start:q.span.end] == q.text``.
    """
    doc = parse_texts([article.text])[0]
    return quotes_in_article(article, doc, article_entities(article, doc))


@dataclass(frozen=True, slots=True)
class _Attribution:
    """Who a quotation is attributed to and where the attribution is."""

    speaker: str
    start: int
    end: int
    speaker_start: int = -1
    speaker_end: int = -1
    cue: str = ""


def quotes_in_article(article: Article, doc: Doc, found: ArticleEntities, unresolved: bool = False) -> list[Quote]:
    """``extract_quotes`` for an article already parsed (``doc``) with its entities (``found``).

    With ``unresolved``, a quote whose pronoun speaker cannot be resolved is kept with the pronoun as
    written as its speaker (the who-said-what export); without, it is left out (roundups name people).
    """
    text = article.text
    marks = find_quotations(text)
    skip = [(m.start, m.end) for m in marks]
    salience = Salience(article, doc, found, skip)
    sentences = split_sentences(text)
    quotes: list[Quote] = []
    previous: tuple[QuoteMarks, _Attribution] | None = None
    for index, mark in enumerate(marks):
        before_start = _sentence_start(sentences, mark.open_start)
        if index and marks[index - 1].close_end > before_start and marks[index - 1].paragraph == mark.paragraph:
            before_start = marks[index - 1].close_end
        after_end = _sentence_end(sentences, max(mark.close_end - 1, mark.start))
        if index + 1 < len(marks) and marks[index + 1].open_start < after_end:
            after_end = marks[index + 1].open_start
        attribution = _attribute(doc, salience, mark, before_start, after_end, skip, unresolved)
        if attribution is None and previous is not None and _continues(text, previous[0], mark, before_start):
            attribution = previous[1]
        if attribution is None:
            continue
        quote_text = text[mark.start : mark.end]
        quotes.append(
            Quote(
                quote_text,
                attribution.speaker,
                Span(article.id, mark.start, mark.end),
                Span(article.id, attribution.start, attribution.end),
                kind="direct",
                cue=attribution.cue,
                speaker_span=_speaker_span(article.id, attribution),
            )
        )
        previous = (mark, attribution)
    return quotes


def _speaker_span(article_id: str, attribution: _Attribution) -> Span | None:
    if attribution.speaker_start < 0:
        return None
    return Span(article_id, attribution.speaker_start, attribution.speaker_end)


def _sentence_start(sentences: list, offset: int) -> int:  # type: ignore[type-arg]
    for s in sentences:
        if s.start <= offset < s.end:
            return int(s.start)
    return offset


def _sentence_end(sentences: list, offset: int) -> int:  # type: ignore[type-arg]
    for s in sentences:
        if s.start <= offset < s.end:
            return int(s.end)
    return offset


def _continues(text: str, prev: QuoteMarks, mark: QuoteMarks, before_start: int) -> bool:
    """True when an unattributed quotation carries on from the previous attributed one.

    It must open its sentence, and follow in the same paragraph or open the next one.
    """
    if text[before_start : mark.open_start].strip():
        return False
    return mark.paragraph in {prev.paragraph, prev.paragraph + 1}


def _attribute(
    doc: Doc,
    salience: Salience,
    mark: QuoteMarks,
    before_start: int,
    after_end: int,
    skip: list[tuple[int, int]],
    unresolved: bool = False,
) -> _Attribution | None:
    """Find the speech verb that introduces ``mark`` and resolve its subject to a speaker."""
    after = _verbs_in(doc, mark.close_end, after_end, skip)
    before = _verbs_in(doc, before_start, mark.open_start, skip)
    ordered: list[Token] = []
    if after and after[0][1] <= _NEAR_AFTER_TOKENS:
        ordered.append(after[0][0])
    ordered.extend(v for v, _ in reversed(before))
    ordered.extend(v for v, _ in after)
    for verb in ordered:
        found = _speaker_of(verb, salience, skip, unresolved)
        if found is not None:
            return found
    return None


def _verbs_in(doc: Doc, start: int, end: int, skip: list[tuple[int, int]]) -> list[tuple[Token, int]]:
    """Speech verbs in ``[start, end)`` outside quotations, with their token distance from ``start``."""
    if end <= start:
        return []
    span = doc.char_span(start, end, alignment_mode="contract")
    if span is None:
        return []
    out = []
    for distance, tok in enumerate(span):
        if tok.lower_ not in SPEECH_VERBS or any(a <= tok.idx < b for a, b in skip):
            continue
        if tok.lower_ == "according" and not (tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "to"):
            continue
        if tok.lower_ != "according" and tok.pos_ not in {"VERB", "AUX"}:
            continue
        out.append((tok, distance))
    return out


def _subject_of(verb: Token) -> Token | None:
    """The subject of a speech verb, or the source of "according to"."""
    if verb.lower_ == "according":
        to = next((c for c in verb.children if c.lower_ == "to"), None)
        if to is None and verb.i + 1 < len(verb.doc):
            to = verb.doc[verb.i + 1]
        return next((c for c in to.children if c.dep_ == "pobj"), None) if to is not None else None
    current: Token | None = verb
    for _ in range(3):
        if current is None:
            break
        subject = next((c for c in current.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
        if subject is not None:
            return subject
        current = (
            current.head
            if current.dep_ in {"conj", "xcomp", "advcl", "ccomp"} and current.head is not current
            else None
        )
    return None


def _speaker_of(
    verb: Token, salience: Salience, skip: list[tuple[int, int]], unresolved: bool = False
) -> _Attribution | None:
    """Resolve the subject of ``verb`` to a speaker name or a described source."""
    subject = _subject_of(verb)
    if subject is None or any(a <= subject.idx < b for a, b in skip):
        return None  # no subject, or one inside a quotation: not a speaker
    text = salience.article.text
    np_start, np_end = noun_phrase(subject)
    span_start = min(np_start, verb.idx)
    span_end = max(np_end, verb.idx + len(verb.text))
    cue = verb.text if verb.lower_ != "according" else "according to"

    def found(name: str) -> _Attribution | None:
        if len(name.split()) > _MAX_SPEAKER_WORDS:
            return None  # a parse gone wrong (a run-on quote as a subject), not a name or a description
        return _Attribution(name, span_start, span_end, np_start, np_end, cue)

    word = subject.lower_
    referent: Referent | None
    if subject.pos_ == "PRON":
        if word not in _SUBJECT_PRONOUNS:
            return None
        if word == "it":
            referent = salience.resolve_pronoun("they", subject.idx)
        else:
            referent = salience.resolve_pronoun(word, subject.idx)
        if referent is None:
            return found(subject.text) if unresolved else None
        return found(_name_of(referent, salience))
    referent = salience.referent_of(subject)
    if referent is None:
        if unresolved and subject.pos_ in {"NOUN", "PROPN"}:
            return found(_described_source(salience.doc, text, np_start, np_end))
        return None
    if referent.entity is not None:
        return found(referent.entity.name)
    determiner = fold(text[np_start:np_end]).split()[0] if text[np_start:np_end].strip() else ""
    if determiner in {"the", "this", "that"}:
        resolved = salience.resolve_description(referent.head, np_start)
        if resolved is not None:
            return found(_name_of(resolved, salience))
        org = salience.resolve_named_org(text[np_start:np_end], np_start)
        if org is None and referent.head in _ORGANISATION_NOUNS:
            org = _recent_organisation(salience, np_start, skip)
        if org is not None:
            return found(org.name)
    return found(_described_source(salience.doc, text, np_start, np_end))


def _recent_organisation(salience: Salience, offset: int, skip: list[tuple[int, int]]) -> ArticleEntity | None:
    """The organisation or group named last before ``offset`` within a few sentences, outside ``skip``
    (quoted speech): "The group said" after the group's name."""
    sentences = salience.sentences
    here = next((i for i, s in enumerate(sentences) if s.start <= offset < s.end), 0)
    earliest = sentences[max(0, here - _ORG_LOOKBACK)].start if sentences else 0
    best: tuple[int, ArticleEntity] | None = None
    for entity in salience.found.entities:
        if entity.kind not in {"organization", "group"}:
            continue
        for mention in entity.mentions:
            if any(a <= mention.start < b for a, b in skip):
                continue
            if earliest <= mention.start < offset and (best is None or mention.start > best[0]):
                best = (mention.start, entity)
    return best[1] if best else None


def _described_source(doc: Doc, text: str, start: int, end: int) -> str:
    """A described source ``text[start:end]`` with the participle phrase that identifies it.

    "a person briefed on the talks", not "a person"; a phrase after a comma is a clause, not kept.
    """
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is not None:
        for child in span.root.children:
            if child.dep_ != "acl" or child.tag_ not in {"VBN", "VBG"} or child.i < span.root.i:
                continue
            tokens = list(child.subtree)
            if not text[end : tokens[0].idx].strip() and len(tokens) <= _PARTICIPLE_TOKENS:
                end = tokens[-1].idx + len(tokens[-1].text)
            break
    return _described(text[start:end])


def _name_of(referent: Referent, salience: Salience) -> str:
    """A referent's name: the entity's fullest name, or the described source."""
    if referent.entity is not None:
        return referent.entity.name
    return _described_source(salience.doc, salience.article.text, referent.start, referent.end)


def _described(phrase: str) -> str:
    """A described source as the text gives it, with a sentence-initial article lower-cased."""
    phrase = phrase.strip()
    if _DETERMINER_START.match(phrase):
        phrase = phrase[0].lower() + phrase[1:]
    return phrase


def attributions_in_article(article: Article, doc: Doc, found: ArticleEntities) -> list[Quote]:
    """Every attribution of ``article``: its direct quotations and its reported speech, in text order."""
    direct = quotes_in_article(article, doc, found, unresolved=True)
    reported = reported_in_article(article, doc, found, direct)
    return sorted([*direct, *reported], key=lambda q: (q.span.start, q.kind))


# --- reported speech ---------------------------------------------------------------------------------

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
        if _subject_of(tok) is None:
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
        attribution = _speaker_of(verb, salience, skip, unresolved=True)
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
                speaker_span=_speaker_span(article.id, attribution),
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
