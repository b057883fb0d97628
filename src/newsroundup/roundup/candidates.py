"""Cut articles into candidate sentences with their spans, lexical features and coherence flags."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, replace
from typing import Literal

from newsroundup.model import Article
from newsroundup.text.clean import content_start
from newsroundup.text.discourse import opens_dangling
from newsroundup.text.furniture import looks_like_furniture
from newsroundup.text.sentences import split_sentences
from newsroundup.text.tokens import content_bigrams, stem, words

_TERMINAL = re.compile(r"""[.!]["'”’)\]]*$|[.!]''$""")
_PRONOUN_ATTRIBUTION = re.compile(
    r"""\b(?:he|she|they)\s+(?:said|says|added|told|asked|continued|explained|noted|declared|insisted|
    argued|warned|stressed|wrote|recalled|acknowledged|conceded|replied|answered|admitted)\b""",
    re.IGNORECASE | re.VERBOSE,
)
_FIRST_WORD = re.compile(r"^\w+")
_QUOTED = re.compile(r"``.*?''|“.*?”|\".*?\"", re.DOTALL)
_FURNITURE_WORDS = re.compile(
    r"\b(?:click here|advertisement|subscribe|sign up|cookies?|newsletter|all rights reserved)\b|https?://|"
    r"\bwww\.|@\w",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Candidate:
    """One sentence of one article, as selection sees it."""

    article_index: int
    position: int  # index of the sentence in its article
    start: int
    end: int
    text: str
    tokens: tuple[str, ...]  # lower-cased words
    stems: tuple[str, ...]
    bigrams: frozenset[tuple[str, str]]
    needs_previous: bool  # leans on the sentence before it (pronoun, connective, "he said")
    eligible: bool
    reason: str  # why not eligible ("" when eligible)

    @property
    def n_words(self) -> int:
        """Words as the budget counts them (whitespace-separated)."""
        return len(self.text.split())


@dataclass(frozen=True, slots=True)
class CandidateLimits:
    """Which sentences may be selected at all."""

    min_words: int = 6
    max_words: int = 60
    # A sentence that leans on the one before it ("He said ...", "But ..."): "with-previous" may
    # be chosen only together with that sentence, "never" is not eligible, "free" is treated like
    # any other sentence (only for measuring what the constraint is worth).
    leaning: Literal["with-previous", "never", "free"] = "with-previous"


def build_candidates(
    articles: Sequence[Article],
    limits: CandidateLimits | None = None,
    named_openings: Mapping[str, Collection[int]] | None = None,
) -> list[list[Candidate]]:
    """Return, for each article, its sentences as candidates in text order.

    A copy of another article given here is not eligible: its sentences are cited from the original.
    ``named_openings`` gives, per article id, the offsets of sentence-opening pronouns that will be
    replaced by a name when needed: such a sentence does not lean on the one before it.
    """
    limits = limits or CandidateLimits()
    present = {a.id for a in articles}
    named = named_openings or {}
    built = _built.get()
    if built is None:
        return [
            _article_candidates(i, a, limits, a.syndicated_from in present, named.get(a.id, ()))
            for i, a in enumerate(articles)
        ]
    out = []
    for i, a in enumerate(articles):
        copy, openings = a.syndicated_from in present, frozenset(named.get(a.id, ()))
        key = (a.id, a.text, limits, copy, openings)
        if key not in built:
            built[key] = _article_candidates(i, a, limits, copy, openings)
        kept = built[key]
        out.append(kept if not kept or kept[0].article_index == i else [replace(c, article_index=i) for c in kept])
    return out


_Key = tuple[str, str, CandidateLimits, bool, frozenset[int]]
_built: ContextVar[dict[_Key, list[Candidate]] | None] = ContextVar("built_candidates", default=None)


@contextmanager
def candidates_shared() -> Iterator[None]:
    """Within this block, :func:`build_candidates` builds each article's candidates once for the same limits
    and openings, and gives them again to later calls (the steps of one roundup each ask for them).
    """
    token = _built.set({})
    try:
        yield
    finally:
        _built.reset(token)


def _article_candidates(
    index: int, article: Article, limits: CandidateLimits, copy: bool, named: Collection[int]
) -> list[Candidate]:
    """Candidates for one article."""
    out = []
    for position, span in enumerate(split_sentences(article.text)):
        raw = article.text[span.start : span.end]
        start = span.start + content_start(raw)
        text = article.text[start : span.end]
        tokens = tuple(words(text))
        stems = tuple(stem(t) for t in tokens)
        if start in named:
            leans = _attributes_to_a_pronoun(_FIRST_WORD.sub("", text, count=1))
        else:
            leans = opens_dangling(text) or _attributes_to_a_pronoun(text)
        reason = "copy of another source" if copy else _ineligibility(text, len(text.split()), limits)
        if leans and not reason and limits.leaning == "never":
            reason = "leans on the sentence before it"
        out.append(
            Candidate(
                article_index=index,
                position=position,
                start=start,
                end=span.end,
                text=text,
                tokens=tokens,
                stems=stems,
                bigrams=frozenset(content_bigrams(list(tokens))),
                needs_previous=leans and limits.leaning != "free",
                eligible=not reason,
                reason=reason,
            )
        )
    return out


def _attributes_to_a_pronoun(text: str) -> bool:
    """True for "``...,'' he said." and the like: the speaker is only a pronoun, outside the quotes."""
    return bool(_PRONOUN_ATTRIBUTION.search(_QUOTED.sub(" ", text)))


def _ineligibility(text: str, n_words: int, limits: CandidateLimits) -> str:
    """Why ``text`` cannot stand in a roundup, or "" when it can."""
    if n_words < limits.min_words:
        return "too short"
    if n_words > limits.max_words:
        return "too long"
    if not _TERMINAL.search(text):
        return "not a complete sentence"  # headlines, captions, cut-off text, questions
    if not (text[0].isupper() or text[0].isdigit() or text[0] in "\"“`'‘"):
        return "starts mid-sentence"
    if not _quotes_balanced(text):
        return "part of a longer quote"
    if _FURNITURE_WORDS.search(text) or looks_like_furniture(text):
        return "page furniture"
    return ""


def _quotes_balanced(text: str) -> bool:
    """True when every quotation opened in ``text`` is closed in it, and none is closed unopened."""
    if text.count("``") != text.count("''"):
        return False
    if text.count("“") != text.count("”"):
        return False
    straight = text.replace("``", "").replace("''", "")
    return straight.count('"') % 2 == 0
