"""Choose a roundup's headline: the best source headline, else the story's most telling short sentence."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from newsroundup.model import Article, Span
from newsroundup.roundup.candidates import Candidate, is_caption
from newsroundup.roundup.headline_cut import Cut, Shortener, cut_text
from newsroundup.roundup.salience import Concept, weight_of
from newsroundup.text.discourse import opens_dangling
from newsroundup.text.tokens import content_bigrams, words

_OUTLET_SUFFIX = re.compile(r"\s+(?:[-–—|•:]\s+[^-–—|•:]{2,40})$")
# Section labels and kickers that sites put before a title: "WATCH:", "UPDATED -", "Breaking News |".
_SECTION_LABEL = re.compile(
    r"^\s*(?:(?:breaking(?: news)?|watch|video|photos?|gallery|live|updated?|update|exclusive|opinion|analysis|"
    r"editorial|just in|developing|news|op-ed|podcast|listen|read|must see|trending)\b\s*(?:[:|–—-]+|\s-\s)\s*)+",
    re.IGNORECASE,
)
_MAX_HEADLINE_WORDS = 22  # a sentence longer than this is a headline only when no shorter plain one exists
_GOOD_HEADLINE_WORDS = 16  # one this long or shorter is preferred, as a sub-editor would
# What a headline made from a sentence must not be: a quote (or a sentence carrying one), a photo
# caption, a sentence addressing the reader or speaking as "I"/"we" (outside quotes, which are
# excluded anyway), or one that is only a question.
_QUOTE_MARK = re.compile(r"[\"“”]|``|''|(?:^|\s)‘|’(?:\s|$)")
_CAPTION = re.compile(
    r"^\s*(?:FILE\b|In this (?:\w+ )*(?:photo|image|picture|file)|Photo\b|Pictured\b|Image\b|\(?AP Photo)|"
    r"\((?:AP|Reuters|Getty|AFP)(?: Photo)?[/)]|\b(?:photo|photograph|image) (?:taken|by|courtesy|provided)\b|"
    r"\bfile photo\b|\bin this (?:\w+ ){0,3}(?:photo|photograph|image|picture)\b|\bGetty Images\b|"
    r"\((?:L|R|left|right|cent(?:er|re))\)",
    re.IGNORECASE,
)
_TRANSCRIPT_LABEL = re.compile(r"^\s*[A-Z][A-Z.'’ -]{1,40}:\s")  # "MARTIN: It started out as a walk …"
_THIRD_PERSON = re.compile(r"\b(?:he|she|him|her|his|hers|they|them|their)\b", re.IGNORECASE)
_NAME = re.compile(r"\b[A-Z][a-z]+")  # a capitalised word after the first: a name the pronoun can stand for
# Case matters: "US" is a country, "us" a person speaking.
_PERSONAL = re.compile(
    r"\b(?:I|I'm|I've|I'd|[Ww]e|[Ww]e're|[Ww]e've|[Oo]ur|us|[Mm]y|[Mm]e|[Yy]ou|[Yy]our|[Yy]ou're|[Ll]et['’]s)\b"
)


@dataclass(frozen=True, slots=True)
class Headline:
    """A roundup's headline and where it comes from: an article's title (no ``source``), or the sentence
    ``source``, word for word but for the clauses ``cuts`` (spans of the same article) a shortened lede leaves out
    (``headline_cut.cut_text`` says how the rest is joined); the full stop a sentence ends with is dropped."""

    text: str
    source: Span | None = None
    cuts: tuple[Span, ...] = ()


@dataclass(frozen=True, slots=True)
class _Option:
    """A sentence as a headline: whole, or without some of its clauses (``cuts``, relative to the sentence)."""

    candidate: Candidate
    text: str
    cuts: tuple[Cut, ...] = ()

    @property
    def n_words(self) -> int:
        return len(self.text.split())

    @property
    def bigrams(self) -> frozenset[tuple[str, str]]:
        if not self.cuts:
            return self.candidate.bigrams
        return frozenset(content_bigrams(list(words(self.text))))


def choose_headline(
    articles: Sequence[Article],
    candidates: Sequence[Sequence[Candidate]],
    weights: dict[Concept, float],
    latest: Sequence[bool] | None = None,
    shorten: Shortener | None = None,
) -> Headline:
    """The title of the most central article; without titles, the most central short lede.

    Centrality is the concept weight an article (or sentence) states, so the headline speaks of
    what most sources report rather than of one outlet's angle. For a developing story, only the
    latest articles' titles compete (``latest``), so the headline says where the story stands now.
    With ``shorten``, a lede too long for a headline also competes without some of its clauses.
    """
    titled = [i for i, a in enumerate(articles) if a.title]
    if latest is not None and any(latest[i] for i in titled):
        titled = [i for i in titled if latest[i]]
    if titled:
        best = max(titled, key=lambda i: (_article_weight(candidates[i], weights), -i))
        return Headline(strip_outlet(articles[best].title or ""))
    alone = [_Option(c, c.text) for sents in candidates for c in sents if c.eligible and not c.needs_previous]
    plain = [o for o in alone if headline_problem(o.text) == ""]
    fit = [o for o in plain if o.n_words <= _MAX_HEADLINE_WORDS]
    short = [o for o in fit if o.n_words <= _GOOD_HEADLINE_WORDS]
    standalone = [o for o in alone if o.n_words <= _MAX_HEADLINE_WORDS]
    shortened = _shortened_ledes(articles, plain, shorten) if shorten is not None else []
    # Ledes first: they are written to say what happened, the way a headline does (a long one without some of
    # its clauses); then any sentence a sub-editor would accept, short ones first; then a longer plain sentence
    # (long, but neither a quote nor a pronoun whose person the headline never names); only then any standalone
    # sentence.
    pool = (
        [o for o in short if o.candidate.position == 0] + shortened
        or short
        or [o for o in fit if o.candidate.position == 0]
        or fit
        or [o for o in plain if o.candidate.position == 0]
        or plain
        or [o for o in standalone if o.candidate.position == 0]
        or standalone
    )
    if not pool:
        pool = [_Option(c, c.text) for sents in candidates for c in sents if c.eligible] or [
            _Option(c, c.text) for sents in candidates for c in sents
        ]
    if not pool:
        return Headline("")

    def density(o: _Option) -> tuple[float, int]:
        return weight_of(o.bigrams, weights) / math.sqrt(max(o.n_words, 1)), -o.candidate.position

    best_option = max(pool, key=density)
    chosen = best_option.candidate
    article = articles[chosen.article_index].id
    return Headline(
        cut_text(chosen.text, best_option.cuts),
        Span(article, chosen.start, chosen.end),
        tuple(Span(article, chosen.start + a, chosen.start + b) for a, b in best_option.cuts),
    )


def _shortened_ledes(articles: Sequence[Article], plain: Sequence[_Option], shorten: Shortener) -> list[_Option]:
    """Each lede too long for a headline, shortened every way ``shorten`` finds that leaves a plain headline
    standing alone."""
    out = []
    for option in plain:
        c = option.candidate
        if c.position != 0 or c.n_words <= _GOOD_HEADLINE_WORDS:
            continue
        for cuts in shorten(articles[c.article_index], c.start, c.end, _GOOD_HEADLINE_WORDS):
            text = cut_text(c.text, cuts)
            # Leaving out the opening can leave a pronoun or a connective first ("After ..., however, she ..."):
            # the sentence then leans on what went.
            if headline_problem(text) == "" and not opens_dangling(text):
                out.append(_Option(c, text, cuts))
    return out


def _article_weight(sentences: Sequence[Candidate], weights: dict[Concept, float]) -> float:
    """Concept weight an article states, each concept counted once."""
    return weight_of({b for c in sentences for b in c.bigrams}, weights)


def strip_outlet(title: str) -> str:
    """A source headline without its trailing " - Outlet" or " | Site" part and leading section labels ("WATCH:")."""
    stripped = _SECTION_LABEL.sub("", _OUTLET_SUFFIX.sub("", title.strip())).strip()
    return stripped or title.strip()


def headline_problem(sentence: str) -> str:
    """Why a sentence would not do as a headline ("" when it would): quote, caption, personal, transcript line,
    question, or a pronoun before any name."""
    if _QUOTE_MARK.search(sentence):
        return "carries a quote"
    if _CAPTION.search(sentence) or is_caption(sentence):
        return "a photo caption"
    if _PERSONAL.search(sentence):
        return "speaks to or as a person"
    if _TRANSCRIPT_LABEL.match(sentence):
        return "a transcript line"
    if sentence.rstrip().endswith("?"):
        return "a question"
    pronoun = _THIRD_PERSON.search(sentence)
    if pronoun and not _NAME.search(sentence, 1, pronoun.start()):
        return "a pronoun before any name"
    return ""
