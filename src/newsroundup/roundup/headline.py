"""Choose a roundup's headline: the best source headline, else the story's most telling short sentence."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from newsroundup.model import Article
from newsroundup.roundup.candidates import Candidate
from newsroundup.roundup.salience import Concept, weight_of

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
    r"\((?:AP|Reuters|Getty|AFP)(?: Photo)?[/)]|\bphoto (?:taken|by|courtesy)\b|\bfile photo\b",
    re.IGNORECASE,
)
_THIRD_PERSON = re.compile(r"\b(?:he|she|him|her|his|hers|they|them|their)\b", re.IGNORECASE)
_NAME = re.compile(r"\b[A-Z][a-z]+")  # a capitalised word after the first: a name the pronoun can stand for
# Case matters: "US" is a country, "us" a person speaking.
_PERSONAL = re.compile(r"\b(?:I|I'm|I've|I'd|[Ww]e|[Ww]e're|[Ww]e've|[Oo]ur|us|[Mm]y|[Mm]e|[Yy]ou|[Yy]our|[Yy]ou're)\b")


def choose_headline(
    articles: Sequence[Article],
    candidates: Sequence[Sequence[Candidate]],
    weights: dict[Concept, float],
    latest: Sequence[bool] | None = None,
) -> str:
    """The title of the most central article; without titles, the most central short lede.

    Centrality is the concept weight an article (or sentence) states, so the headline speaks of
    what most sources report rather than of one outlet's angle. For a developing story, only the
    latest articles' titles compete (``latest``), so the headline says where the story stands now.
    """
    titled = [i for i, a in enumerate(articles) if a.title]
    if latest is not None and any(latest[i] for i in titled):
        titled = [i for i in titled if latest[i]]
    if titled:
        best = max(titled, key=lambda i: (_article_weight(candidates[i], weights), -i))
        return strip_outlet(articles[best].title or "")
    alone = [c for sents in candidates for c in sents if c.eligible and not c.needs_previous]
    plain = [c for c in alone if headline_problem(c.text) == ""]
    fit = [c for c in plain if c.n_words <= _MAX_HEADLINE_WORDS]
    short = [c for c in fit if c.n_words <= _GOOD_HEADLINE_WORDS]
    standalone = [c for c in alone if c.n_words <= _MAX_HEADLINE_WORDS]
    # Ledes first: they are written to say what happened, the way a headline does; then any sentence
    # a sub-editor would accept, short ones first; then a longer plain sentence (long, but neither a quote nor
    # a pronoun whose person the headline never names); only then any standalone sentence.
    pool = (
        [c for c in short if c.position == 0]
        or short
        or [c for c in fit if c.position == 0]
        or fit
        or [c for c in plain if c.position == 0]
        or plain
        or [c for c in standalone if c.position == 0]
        or standalone
    )
    if not pool:
        pool = [c for sents in candidates for c in sents if c.eligible] or [
            c for sents in candidates for c in sents
        ]
    if not pool:
        return ""

    def density(c: Candidate) -> tuple[float, int]:
        return weight_of(c.bigrams, weights) / math.sqrt(max(c.n_words, 1)), -c.position

    best_sentence = max(pool, key=density)
    return best_sentence.text.rstrip(" .")


def _article_weight(sentences: Sequence[Candidate], weights: dict[Concept, float]) -> float:
    """Concept weight an article states, each concept counted once."""
    return weight_of({b for c in sentences for b in c.bigrams}, weights)


def strip_outlet(title: str) -> str:
    """A source headline without its trailing " - Outlet" or " | Site" part and leading section labels ("WATCH:")."""
    stripped = _SECTION_LABEL.sub("", _OUTLET_SUFFIX.sub("", title.strip())).strip()
    return stripped or title.strip()


def headline_problem(sentence: str) -> str:
    """Why a sentence would not do as a headline ("" when it would): quote, caption, personal, question."""
    if _QUOTE_MARK.search(sentence):
        return "carries a quote"
    if _CAPTION.search(sentence):
        return "a photo caption"
    if _PERSONAL.search(sentence):
        return "speaks to or as a person"
    if sentence.rstrip().endswith("?"):
        return "a question"
    pronoun = _THIRD_PERSON.search(sentence)
    if pronoun and not _NAME.search(sentence, 1, pronoun.start()):
        return "a pronoun before any name"
    return ""
