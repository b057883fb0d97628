"""Direct quotations in an article and who said them, each checked verbatim against its span."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from newsroundup.annotate.mentions import ArticleEntities, article_entities
from newsroundup.annotate.nlp import parse_texts
from newsroundup.annotate.quotemarks import QuoteMarks, find_quotations, paragraphs
from newsroundup.annotate.references import Salience
from newsroundup.annotate.reported import reported_in_article, speaker_salience
from newsroundup.annotate.reported_tagger import CrfChoice
from newsroundup.annotate.speakers import SPEECH_VERBS, Attribution, speaker_of, speaker_span
from newsroundup.model import Article, Quote, Span
from newsroundup.text.sentences import split_sentences

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

__all__ = ["attributions_in_article", "extract_quotes", "quotes_in_article"]

_NEAR_AFTER_TOKENS = 8


def extract_quotes(article: Article) -> list[Quote]:
    """The attributed direct quotations of ``article``, each with its speaker and attribution span.

    The speaker is the article's fullest name for a person or organisation (pronouns and "the
    minister" are resolved within the article), or an unnamed source as the text describes it
    ("a senior Western diplomat"). Quotations without an attribution (scare quotes, titles) are left
    out. Every quote is verbatim: ``article.text[q.span.start:q.span.end] == q.text``.
    """
    doc = parse_texts([article.text])[0]
    return quotes_in_article(article, doc, article_entities(article, doc))


def quotes_in_article(
    article: Article, doc: Doc, found: ArticleEntities, unresolved: bool = False, salience: Salience | None = None
) -> list[Quote]:
    """``extract_quotes`` for an article already parsed (``doc``) with its entities (``found``).

    With ``unresolved``, a quote whose pronoun speaker cannot be resolved is kept with the pronoun as
    written as its speaker (the who-said-what export); without, it is left out (roundups name people).
    ``salience``: the article's ``speaker_salience``, when the caller built it already.
    """
    text = article.text
    marks = find_quotations(text)
    skip = [(m.start, m.end) for m in marks]
    salience = salience or speaker_salience(article, doc, found)
    sentences = split_sentences(text)
    lines = paragraphs(text)
    quotes: list[Quote] = []
    previous: tuple[QuoteMarks, Attribution] | None = None
    for index, mark in enumerate(marks):
        if _names_a_work(text, mark):
            continue
        before_start = _sentence_start(sentences, mark.open_start)
        if index and marks[index - 1].close_end > before_start and marks[index - 1].paragraph == mark.paragraph:
            before_start = marks[index - 1].close_end
        after_end = _sentence_end(sentences, max(mark.close_end - 1, mark.start))
        if index + 1 < len(marks) and marks[index + 1].open_start < after_end:
            after_end = marks[index + 1].open_start
        attribution = _attribute(doc, salience, mark, before_start, after_end, skip, unresolved)
        if attribution is None and previous is not None and _continues(text, previous[0], mark, before_start):
            attribution = previous[1]
        if attribution is None and not any(c.isalpha() for c in text[mark.close_end : after_end]):
            attribution = _previous_paragraph_speaker(doc, salience, mark, lines, skip)
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
                speaker_span=speaker_span(article.id, attribution),
            )
        )
        previous = (mark, attribution)
    return quotes


_TITLE_CONTEXT = re.compile(r"(?:['’]s|\b(?:on|in|of|at|from|for|with|like|the|a|an))\s*$", re.IGNORECASE)
_MAX_TITLE_WORDS = 8


def _names_a_work(text: str, mark: QuoteMarks) -> bool:
    """True for a quotation that names a work, show or project rather than quoting anyone: a few words,
    each longer one capitalised, after a possessive, an article or a preposition (told ABC's “Good
    Morning America”, on “Meet the Press”, the “Growth and Opportunity Project”)."""
    words = re.findall(r"[^\W\d_][\w’'-]*", text[mark.start : mark.end])
    long_words = [w for w in words if len(w) > 3]
    if not long_words or len(words) > _MAX_TITLE_WORDS or any(not w[0].isupper() for w in long_words):
        return False
    return bool(_TITLE_CONTEXT.search(text[max(0, mark.open_start - 12) : mark.open_start]))


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


def _previous_paragraph_speaker(
    doc: Doc, salience: Salience, mark: QuoteMarks, lines: list[tuple[int, int]], skip: list[tuple[int, int]]
) -> Attribution | None:
    """The speaker of a quotation that opens its paragraph with no cue of its own: the subject of the
    speech verb heading the last sentence of the paragraph before ("Bolton called it a disgrace.\n\n“To
    have a President who ...”"), outside quoted speech."""
    text = salience.article.text
    if mark.paragraph == 0 or text[lines[mark.paragraph][0] : mark.open_start].strip():
        return None
    start, end = lines[mark.paragraph - 1]
    span = doc.char_span(start, end, alignment_mode="contract")
    if span is None or not len(span):
        return None
    root = span[-1].sent.root
    if not start <= root.idx < end or root.lower_ not in SPEECH_VERBS or root.pos_ not in {"VERB", "AUX"}:
        return None
    return None if any(a <= root.idx < b for a, b in skip) else speaker_of(root, salience, skip)


def _attribute(
    doc: Doc,
    salience: Salience,
    mark: QuoteMarks,
    before_start: int,
    after_end: int,
    skip: list[tuple[int, int]],
    unresolved: bool = False,
) -> Attribution | None:
    """Find the speech verb that introduces ``mark`` and resolve its subject to a speaker."""
    after = _verbs_in(doc, mark.close_end, after_end, skip)
    before = _verbs_in(doc, before_start, mark.open_start, skip)
    ordered: list[Token] = []
    if after and after[0][1] <= _NEAR_AFTER_TOKENS:
        ordered.append(after[0][0])
    ordered.extend(v for v, _ in reversed(before))
    ordered.extend(v for v, _ in after)
    for verb in ordered:
        found = speaker_of(verb, salience, skip, unresolved)
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


def attributions_in_article(
    article: Article, doc: Doc, found: ArticleEntities, crf: CrfChoice = "shipped"
) -> list[Quote]:
    """Every attribution of ``article``: its direct quotations and its reported speech, in text order
    (``crf``: the reported-speech CRF, see ``reported_in_article``)."""
    salience = speaker_salience(article, doc, found)
    direct = quotes_in_article(article, doc, found, unresolved=True, salience=salience)
    reported = reported_in_article(article, doc, found, direct, crf, salience)
    return sorted([*direct, *reported], key=lambda q: (q.span.start, q.kind))
