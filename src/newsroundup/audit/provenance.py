"""Provenance: align each sentence of an audited text to the exact span of a source article it came from.

Two steps, as plagiarism detectors do: character n-gram TF-IDF finds a few candidate source
sentences quickly, then a word-level alignment of each candidate gives the exact span, the score and
the match kind (verbatim, edited, paraphrase or none). A sentence the words do not trace is then
compared with the same candidates for meaning (``paraphrases``): the same-fact model of corroboration
calls a paraphrase of a whole source sentence.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

import numpy as np
from scipy import sparse

from newsroundup.annotate.aliases import fold
from newsroundup.grouping.vectors import cached_embed
from newsroundup.model import Article, MatchKind, Span
from newsroundup.text.same_fact import features_of, lexical, same_fact_model
from newsroundup.text.sentences import split_sentences

_DIMENSIONS = 1 << 20
_NGRAMS = (3, 4, 5)
_CANDIDATES = 5
# Set on the fit half of the generated development set (benchmarks/bench_audit.py reports both halves).
EDITED_RATIO = 0.75  # word alignment ratio at or above which a sentence is the source's, edited
PARAPHRASE_RATIO = 0.45  # below EDITED_RATIO but with this ratio and PARAPHRASE_COSINE: same facts, other words
PARAPHRASE_COSINE = 0.5
# A paraphrase by meaning: both sentences of at least this many words (shorter ones, a title or a name, state
# no fact), as corroboration compares them.
PARAPHRASE_MIN_WORDS = 5
_TOKEN = re.compile(r"\w+(?:['’]\w+)*|[^\w\s]")


@dataclass(frozen=True, slots=True)
class Token:
    """A word or punctuation mark and its ``[start, end)`` in the text it was read from."""

    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class SourceSentence:
    """A sentence of a source article: ``articles[article]`` and its span."""

    article: int
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Alignment:
    """The best source span found for one sentence, with its word alignment."""

    span: Span | None
    match: MatchKind
    score: float  # share of aligned words (difflib ratio over words)
    sentence: int  # index into the index's sentences, -1 when none
    opcodes: tuple[tuple[str, int, int, int, int], ...] = ()  # word edits: sentence words vs source words
    sentence_tokens: tuple[Token, ...] = ()
    source_tokens: tuple[Token, ...] = ()


def tokens(text: str, offset: int = 0) -> list[Token]:
    """The words and punctuation of ``text`` with offsets shifted by ``offset``."""
    return [Token(m.group(), m.start() + offset, m.end() + offset) for m in _TOKEN.finditer(text)]


def _plain(text: str) -> str:
    """The folded text's words, single-spaced, with a space at each end (n-grams see word edges)."""
    return " " + " ".join(re.findall(r"\w+", fold(text))) + " "


def _matrix(texts: Sequence[str]) -> sparse.csr_matrix:
    """Raw hashed character n-gram counts of ``texts``' folded words, one row each.

    All texts are hashed in one pass over their joined characters (a polynomial hash of each window,
    deterministic across runs); the windows that run from one text into the next are dropped.
    """
    plains = [_plain(text) for text in texts]
    codes = np.frombuffer("".join(plains).encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
    lengths = np.array([len(p) for p in plains], dtype=np.int64)
    ends = np.cumsum(lengths)
    owner = np.repeat(np.arange(len(texts)), lengths)  # the text each character belongs to
    rows, cols = [], []
    for n in _NGRAMS:
        if len(codes) < n:
            continue
        value = np.zeros(len(codes) - n + 1, dtype=np.int64)
        for k in range(n):
            value = (value * 1_000_003 + codes[k : len(codes) - n + 1 + k] + n) & 0xFFFFFFFF
        starts = owner[: len(value)]
        inside = np.arange(len(value)) + n <= ends[starts]
        rows.append(starts[inside])
        cols.append(value[inside] & (_DIMENSIONS - 1))
    row = np.concatenate(rows) if rows else np.zeros(0, dtype=np.int64)
    col = np.concatenate(cols) if cols else np.zeros(0, dtype=np.int64)
    data = np.ones(len(row), dtype=np.float32)
    matrix = sparse.csr_matrix((data, (row, col)), shape=(len(texts), _DIMENSIONS))
    matrix.sum_duplicates()
    return matrix


def _normalised(matrix: sparse.csr_matrix, idf: np.ndarray) -> sparse.csr_matrix:
    """Sublinear TF times IDF, rows scaled to unit length."""
    weighted = matrix.copy()
    weighted.data = 1.0 + np.log(weighted.data)
    weighted = weighted.multiply(idf).tocsr()
    norms = np.sqrt(np.asarray(weighted.multiply(weighted).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sparse.csr_matrix(sparse.diags(1.0 / norms) @ weighted)


class SentenceIndex:
    """The sentences of the source articles, searchable by character n-gram TF-IDF."""

    def __init__(self, articles: Sequence[Article]) -> None:
        self.articles = list(articles)
        self.sentences = [
            SourceSentence(number, s.start, s.end)
            for number, article in enumerate(self.articles)
            for s in split_sentences(article.text)
        ]
        texts = [self.text(s) for s in self.sentences]
        counts = _matrix(texts)
        present = np.bincount(counts.indices, minlength=_DIMENSIONS).astype(np.float32)
        self._idf = np.log((1.0 + len(texts)) / (1.0 + present)) + 1.0
        self._vectors = _normalised(counts, self._idf)

    def text(self, sentence: SourceSentence) -> str:
        """The text of a source sentence."""
        return self.articles[sentence.article].text[sentence.start : sentence.end]

    def candidates(self, texts: Sequence[str], k: int = _CANDIDATES) -> list[list[tuple[int, float]]]:
        """For each text, the ``k`` source sentences with the highest cosine, best first."""
        if not self.sentences or not texts:
            return [[] for _ in texts]
        scores = (_normalised(_matrix(texts), self._idf) @ self._vectors.T).toarray()
        out = []
        for row in scores:
            top = np.argsort(-row, kind="stable")[:k]
            out.append([(int(i), float(row[i])) for i in top if row[i] > 0])
        return out

    def span(self, sentence: SourceSentence) -> Span:
        """The source sentence as a span of its article."""
        return Span(self.articles[sentence.article].id, sentence.start, sentence.end)


def align(text: str, index: SentenceIndex, candidates: Sequence[tuple[int, float]]) -> Alignment:
    """The best of ``candidates`` for the sentence ``text``: exact span, score and match kind."""
    mine = tokens(text)
    words = [fold(t.text) for t in mine]
    best: Alignment | None = None
    best_key = (-1.0, -1.0)
    for number, cosine in candidates:
        sentence = index.sentences[number]
        source = index.text(sentence)
        theirs = tokens(source, sentence.start)
        matcher = SequenceMatcher(None, words, [fold(t.text) for t in theirs], autojunk=False)
        ratio = matcher.ratio()
        if (ratio, cosine) <= best_key:
            continue
        best_key = (ratio, cosine)
        span, opcodes = _matched_span(index, sentence, theirs, matcher)
        kind = _kind(text, index.articles[sentence.article].text, span, ratio, cosine)
        best = Alignment(span, kind, round(ratio, 4), number, opcodes, tuple(mine), tuple(theirs))
    if best is None or best.match == "none":
        score = best.score if best else 0.0
        return Alignment(None, "none", score, -1)
    return best


def paraphrases(
    texts: Sequence[str],
    found: Sequence[Alignment],
    index: SentenceIndex,
    candidates: Sequence[Sequence[tuple[int, float]]],
) -> list[Alignment]:
    """``found`` with each untraced sentence traced to the candidate that states the same fact in other words.

    The same-fact model (``text/same_fact.py``, fitted on hand-labelled pairs of real reports) decides; its
    probability is the match's score. Both sentences need ``PARAPHRASE_MIN_WORDS`` words. The embedder is
    loaded only when some sentence is untraced.
    """
    untraced = [k for k, f in enumerate(found) if f.span is None and len(texts[k].split()) >= PARAPHRASE_MIN_WORDS]
    source_text = {i: index.text(index.sentences[i]) for k in untraced for i, _ in candidates[k]}
    asked = [
        (k, rows)
        for k in untraced
        if (rows := [i for i, _ in candidates[k] if len(source_text[i].split()) >= PARAPHRASE_MIN_WORDS])
    ]
    if not asked:
        return list(found)
    sources = sorted({i for _, rows in asked for i in rows})
    vectors = cached_embed([texts[k] for k, _ in asked] + [source_text[i] for i in sources])
    row_of = {i: len(asked) + n for n, i in enumerate(sources)}
    read = {i: lexical(source_text[i]) for i in sources}  # each source sentence read once, not once per asker
    model = same_fact_model()
    out = list(found)
    for n, (k, rows) in enumerate(asked):
        mine = lexical(texts[k])
        probability, best = max(
            ((model.probability(features_of(mine, read[i], float(vectors[n] @ vectors[row_of[i]]))), i) for i in rows),
            key=lambda pair: pair[0],
        )
        if probability >= model.threshold:
            out[k] = Alignment(index.span(index.sentences[best]), "paraphrase", round(probability, 4), best)
    return out


def _matched_span(
    index: SentenceIndex, sentence: SourceSentence, theirs: list[Token], matcher: SequenceMatcher[str]
) -> tuple[Span, tuple[tuple[str, int, int, int, int], ...]]:
    """The part of the source sentence the words align with (from first to last aligned word), and the edits."""
    blocks = [b for b in matcher.get_matching_blocks() if b.size]
    article = index.articles[sentence.article]
    if not blocks:
        return index.span(sentence), ()
    first, last = blocks[0].b, blocks[-1].b + blocks[-1].size - 1
    # Words of the source sentence before the first or after the last aligned word that the audited
    # sentence replaced are part of its span too (an edited first or last word).
    opcodes = tuple(matcher.get_opcodes())
    for tag, _i1, _i2, j1, j2 in opcodes:
        if tag == "replace":
            first, last = min(first, j1), max(last, j2 - 1)
    return Span(article.id, theirs[first].start, theirs[last].end), opcodes


def _kind(text: str, source: str, span: Span, ratio: float, cosine: float) -> MatchKind:
    """Verbatim when the span's text is the sentence exactly; else edited, paraphrase or none by score."""
    if source[span.start : span.end] == text:
        return "verbatim"
    if ratio >= EDITED_RATIO:
        return "edited"
    if ratio >= PARAPHRASE_RATIO and cosine >= PARAPHRASE_COSINE:
        return "paraphrase"
    return "none"


def copies_of(index: SentenceIndex, found: Alignment) -> tuple[Span, ...]:
    """Other source articles carrying the found span's words in the same order (wire copies)."""
    if found.span is None:
        return ()
    wanted = found.span
    words = re.findall(r"\w+", index.articles[index.sentences[found.sentence].article].text[wanted.start : wanted.end])
    if not words:
        return ()
    # Same words, any punctuation or spacing between them, any case.
    pattern = re.compile(r"\W+".join(re.escape(w) for w in words), re.IGNORECASE)
    out = []
    for article in index.articles:
        if article.id != wanted.article and (match := pattern.search(article.text)):
            out.append(Span(article.id, match.start(), match.end()))
    return tuple(out)
