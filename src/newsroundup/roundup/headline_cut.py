"""A long lede shortened into a headline by leaving out whole clauses, the cut declared as spans and checked.

A sub-editor shortens "George Zimmerman, the neighborhood watch volunteer facing murder charges, is being sued
by an Orlando company" to "George Zimmerman is being sued by an Orlando company": whole modifiers go (an
apposition, a non-restrictive relative clause, an adverbial clause, a participle phrase, a trailing phrase of
time or place), the sentence's own words stay in their order, nothing is added. Which parts are whole
clauses is read from the sentence's dependency parse; what the headline then is follows from the parts left
out alone (:func:`cut_text`), so ``checker`` can verify a shortened headline against its span without a parse.

Never left out: the main verb, its subject and objects, a negation, an attribution ("according to ...", a
"said" clause: a claim stays attributed), a phrase that completes "be" ("is in police custody") or that the
verb needs ("depend on"), a day that is the verb's object ("spent Sunday visiting").
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

from newsroundup.model import Article
from newsroundup.text.sentences import ends_with_abbreviation

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

Cut = tuple[int, int]  # character offsets [start, end) into the sentence left out

MAX_CUTS = 3  # clauses left out of one sentence at most: more leaves a telegram, not a headline
MIN_WORDS = 6  # a shortened headline keeps at least this many words
# Modifier relations whose whole subtree can go: apposition, relative clause and participle phrase (after a
# comma only), adverbial clause, a phrase of time or place on the main verb, a day or time used as an adverb.
_CUTTABLE = frozenset({"appos", "relcl", "advcl", "acl", "prep", "npadvmod"})
_NOUN_MODIFIERS = frozenset({"appos", "relcl", "acl"})  # of a noun: only after a comma (else it defines the noun)
# Prepositions whose phrase on the main verb says when or where, not what: "arrested on Monday in Ohio".
_CIRCUMSTANCE = frozenset(
    {"in", "at", "on", "during", "after", "before", "since", "amid", "despite", "following", "near", "outside",
     "across", "throughout"}
)
_PARTICIPLE = frozenset({"VBN", "VBG"})
# Word forms, not lemmas: the project's parses are made without spaCy's lemmatizer (``annotate.nlp``).
_SPEECH = frozenset(
    f"{verb}{ending}"
    for verb in ("say", "tell", "report", "announce", "state", "add", "claim", "allege", "accord")
    for ending in ("", "s", "ed", "d", "ing")
) | {"said", "told", "according"}
_BE = frozenset({"be", "is", "are", "was", "were", "been", "being", "am", "'s", "'re", "’s", "’re"})
_SPACE = re.compile(r"\s+")
_PUNCT_START = re.compile(r"^[,.;:!?)\]’”]")


def cut_text(text: str, cuts: Sequence[Cut]) -> str:
    """``text`` (a sentence) without the ranges ``cuts`` (sorted, not overlapping), as a headline writes it.

    The final full stop goes (a headline has none), unless it closes an abbreviation ("U.S."). With cuts, the
    pieces left are joined with one space (none before punctuation), a comma, colon or dash left at the end goes,
    and when the opening words went, the new first letter is a capital.
    """
    if not cuts:
        return _without_full_stop(text)
    pieces: list[str] = []
    at = 0
    for start, end in cuts:
        pieces.append(text[at:start])
        at = end
    pieces.append(text[at:])
    joined = ""
    for piece in (p.strip() for p in pieces):
        if not piece:
            continue
        joined = f"{joined}{piece}" if not joined or _PUNCT_START.match(piece) else f"{joined} {piece}"
    joined = _without_full_stop(_SPACE.sub(" ", joined).strip().rstrip(" ,;:–—-"))
    return joined[:1].upper() + joined[1:] if cuts[0][0] == 0 else joined


def _without_full_stop(text: str) -> str:
    """``text`` without its closing full stop, kept when it closes an abbreviation ("in the U.S.")."""
    text = text.rstrip(" ")
    return text if ends_with_abbreviation(text) else text.rstrip(" .")


def cuttable_clauses(doc: Doc) -> list[Cut]:
    """The character ranges of ``doc`` (one sentence's parse) that are whole clauses a headline can leave out."""
    roots = [t for t in doc if t.head.i == t.i]
    if len(roots) != 1:
        return []  # the parser read more than one sentence: no cut is safe
    root = roots[0]
    if root.lower_ in _SPEECH:
        return []  # "Police say X, who ...": cutting inside the reported claim is left alone
    spans: list[Cut] = []
    n = len(doc)
    for token in doc:
        if not _cuttable(token, root):
            continue
        tokens = list(token.subtree)
        first, last = tokens[0].i, tokens[-1].i + 1
        if first == 0 and last >= n - 1:
            continue
        if first > 0 and not doc[first - 1].whitespace_:
            continue  # part of a word: "alcohol-related"
        if any(_keeps(t) for t in tokens):
            continue
        comma_before = first > 0 and doc[first - 1].text == ","
        comma_after = last < n and doc[last].text == ","
        if token.dep_ in _NOUN_MODIFIERS and not comma_before:
            continue  # "the man who shot him", "shirts emblazoned with ...": it defines its noun, it stays
        set_off = comma_before or (first == 0 and comma_after)  # ", after ..." or "After ..., X did"
        if token.dep_ == "advcl" and not set_off:
            continue  # "were watching when their daughter fell" is the news; the parser also misreads words as one
        if token.dep_ == "prep" and not (set_off or last >= n - 1):
            continue  # "can result in scars, according to ...": a phrase the verb needs is not set off
        if token.dep_ == "npadvmod" and token.i == token.head.i + 1 and last < n - 1 and not set_off:
            continue  # "spent Saturday visiting troops": a day right after its verb, with more to come, is its object
        # The commas that set it off go with it: both when it sits between its noun or verb and what follows
        # ("X, a former ..., said"), else the one before it (", WKMG reported" keeps its comma).
        if comma_before:
            first -= 1
            last += comma_after and (token.dep_ in _NOUN_MODIFIERS or token.i < token.head.i)
        elif comma_after:
            last += 1
        spans.append((doc[first].idx, doc[last - 1].idx + len(doc[last - 1].text)))
    return sorted(set(spans))


def _cuttable(token: Token, root: Token) -> bool:
    """Whether ``token`` heads a modifier whose whole subtree may go."""
    dep = token.dep_
    if dep not in _CUTTABLE or token.i == root.i:
        return False
    if dep == "acl" and token.tag_ not in _PARTICIPLE:
        return False  # "the decision to sign" — an infinitive completes its noun
    if dep in ("prep", "npadvmod"):
        on_main_verb = token.head.i == root.i or (token.head.dep_ == "conj" and token.head.head.i == root.i)
        if not on_main_verb or token.head.lower_ in _BE:
            return False
        if dep == "prep" and (token.lower_ not in _CIRCUMSTANCE or token.i == token.head.i + 1):
            return False  # right after its verb it is what the verb needs: "depend on", "result in"
        if dep == "npadvmod" and not all(t.ent_type_ in ("DATE", "TIME") for t in token.subtree):
            return False  # "died Tuesday", but not a noun phrase the parser misread as an adverb
    return True


def _keeps(token: Token) -> bool:
    """A token whose leaving would change what is claimed: a negation or an attribution (a verb of saying, not
    the noun "report" or the "States" of "the United States")."""
    if token.dep_ == "neg" or token.lower_ == "according":
        return True
    return token.lower_ in _SPEECH and token.pos_ in ("VERB", "AUX")


def shortenings(text: str, doc: Doc, max_words: int) -> list[tuple[Cut, ...]]:
    """Every set of at most ``MAX_CUTS`` clauses whose leaving out brings ``text`` to ``max_words`` words or fewer
    (and no fewer than ``MIN_WORDS``); the fewest cuts first."""
    clauses = cuttable_clauses(doc)
    found: list[tuple[Cut, ...]] = []
    for k in range(1, MAX_CUTS + 1):
        for combo in itertools.combinations(clauses, k):
            if any(a[1] > b[0] for a, b in itertools.pairwise(combo)):
                continue  # nested or overlapping: the outer cut alone is another combination
            words = len(cut_text(text, combo).split())
            if MIN_WORDS <= words <= max_words:
                found.append(combo)
    return found


class Shortener(Protocol):
    """The ways to shorten the sentence ``article.text[start:end]`` to ``max_words`` words (cuts relative to it)."""

    def __call__(self, article: Article, start: int, end: int, max_words: int) -> list[tuple[Cut, ...]]: ...


def parsed_shortener(articles: Sequence[Article], docs: Sequence[Doc]) -> Shortener:
    """A :class:`Shortener` reading the parses enrichment already made (``docs[i]`` of ``articles[i]``).

    A sentence of an article without a parse, or whose edges are not the parse's token edges, is not shortened.
    """
    parsed = {a.id: d for a, d in zip(articles, docs, strict=True)}

    def shorten(article: Article, start: int, end: int, max_words: int) -> list[tuple[Cut, ...]]:
        doc = parsed.get(article.id)
        span = doc.char_span(start, end) if doc is not None and doc.text == article.text else None
        if span is None:
            return []
        sentence = span.as_doc()
        text = article.text[start:end]
        # The span's doc keeps the space after its last token; the offsets are the sentence's all the same.
        return shortenings(text, sentence, max_words) if sentence.text.rstrip() == text else []

    return shorten
