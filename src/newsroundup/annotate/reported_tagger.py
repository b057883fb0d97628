"""Reported speech tagged token by token: a linear-chain CRF marks the contents of reported speech.

Each article is one sequence of tokens labelled B/I/O (B opens a reported content, I continues it, O is
outside). A token's features are its word, tags and dependency, its head, its first ancestors, the nearest
speech-verb ancestor and the relation under it, quotation marks, sentence and paragraph edges, the two
tokens either side, the candidates of ``reported`` (every verb's content by relation, unscored) and the
attributions the rules and the logistic model found (direct and reported). The CRF is learned on
PolNeAR's train split by ``scripts/train_reported_tagger.py`` (package data ``reported_tagger.crfsuite``);
``reported.reported_in_article`` links each tagged span to a cue and its speaker.
"""

from __future__ import annotations

import threading
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Literal, TypeAlias

from newsroundup.annotate.quotemarks import find_quotations
from newsroundup.annotate.speakers import SPEECH_VERBS

if TYPE_CHECKING:
    import pycrfsuite
    from spacy.tokens import Doc, Token

__all__ = [
    "MODEL_FILE",
    "CrfChoice",
    "Features",
    "TokenIndex",
    "bio_labels",
    "lemma",
    "reported_tagger",
    "tag",
    "tag_spans",
    "token_features",
]

MODEL_FILE = Path(__file__).with_name("reported_tagger.crfsuite")
Features = list[dict[str, float]]
# Which CRF tags reported speech: a loaded tagger, "shipped" (``reported_tagger()``, when there) or None (none).
CrfChoice: TypeAlias = "pycrfsuite.Tagger | Literal['shipped'] | None"
_NEIGHBOURS = (-2, -1, 1, 2)
_MAX_ANCESTORS = 3
_MAX_CUE_DEPTH = 4
_TAGGING = threading.Lock()  # a crfsuite tagger holds its lattice: one article at a time


def token_features(
    doc: Doc,
    candidates: Iterable[tuple[int, int, str, str]],
    attributions: Iterable[tuple[int, int, str]],
    index: TokenIndex | None = None,
) -> Features:
    """One feature dict per token of ``doc``. ``candidates`` are (start, end, relation, cue lemma) of
    every verb's content (``reported_candidates(doc, every_verb=True)``); ``attributions`` (start, end,
    kind) what the rules and the logistic model found; ``index`` the doc's ``TokenIndex``, if built."""
    index = index or TokenIndex(doc)
    words = _Words(doc, [(m.start, m.end) for m in find_quotations(doc.text)], index)
    own: Features = [{} for _ in range(len(doc))]
    for sent in doc.sents:
        shared = _sentence_features(words, sent.start, sent.end)
        root = sent.root.i
        for i in range(sent.start, sent.end):
            own[i] = _own(i, words, shared, root)
    for start, end, relation, cue in candidates:
        inside = index.indices(start, end)
        for k, i in enumerate(inside):
            own[i][f"c_rel={relation}"] = 1.0
            own[i][f"c_cue={cue}"] = 1.0
            own[i][f"c_rc={relation}|{cue}"] = 1.0
            if k == 0:
                own[i][f"c_B={relation}"] = 1.0
        if inside and inside[-1] + 1 < len(doc):
            own[inside[-1] + 1][f"c_after={relation}"] = 1.0
    for start, end, kind in attributions:
        for k, i in enumerate(index.indices(start, end)):
            own[i][f"nr={kind}"] = 1.0
            if k == 0:
                own[i][f"nrB={kind}"] = 1.0
    out = []
    n = len(doc)
    for i, f in enumerate(own):
        g = dict(f)
        for off in _NEIGHBOURS:
            j = i + off
            if not 0 <= j < n:
                g[f"{off}:pad"] = 1.0
                continue
            g[f"{off}:w={words.lower[j]}"] = 1.0
            g[f"{off}:p={words.pos[j]}"] = 1.0
            if abs(off) == 1:
                g[f"{off}:d={words.dep[j]}"] = 1.0
                if words.quoted[j]:
                    g[f"{off}:inq"] = 1.0
        out.append(g)
    return out


class _Words:
    """A doc's token attributes read once, as arrays (spaCy builds a Token object on every ``doc[i]``,
    ``t.head`` and ancestor): words, tags, and each token's head as an index (the root's is itself)."""

    def __init__(self, doc: Doc, marks: list[tuple[int, int]], index: TokenIndex) -> None:
        n = len(doc)
        rows = doc.to_array(["LOWER", "POS", "TAG", "DEP", "LEMMA", "SENT_START"]).tolist() if n else []
        heads = doc.to_array("HEAD").astype("int64").tolist() if n else []  # relative offsets
        name = _Names(doc)
        self.lower = [name(r[0]) for r in rows]
        self.pos = [name(r[1]) for r in rows]
        self.tag = [name(r[2]) for r in rows]
        self.dep = [name(r[3]) for r in rows]
        self.lemma = [_lemma(name(r[4]), lower) for r, lower in zip(rows, self.lower, strict=True)]
        self.head = [i + offset for i, offset in enumerate(heads)]
        self.quoted = [False] * n
        for start, end in marks:
            for i in index.indices(start, end):
                self.quoted[i] = True
        text, starts = doc.text, index.starts
        ends = [*starts[1:], len(text)][: len(starts)]  # a token and its whitespace run to the next token
        self.newline = ["\n" in text[a:b] for a, b in zip(starts, ends, strict=True)]
        self.starts = [r[5] == 1 for r in rows]


class _Names:
    """The strings of a doc's attribute ids, each looked up once."""

    def __init__(self, doc: Doc) -> None:
        self._strings = doc.vocab.strings
        self._known: dict[int, str] = {0: ""}

    def __call__(self, key: int) -> str:
        found = self._known.get(key)
        if found is None:
            found = self._known[key] = self._strings[key]
        return found


def _own(i: int, words: _Words, sentence: dict[str, float], root: int) -> dict[str, float]:
    """The features of token ``i`` itself (its neighbours' are added by ``token_features``)."""
    head = words.head[i]
    f = {
        "bias": 1.0,
        f"w={words.lower[i]}": 1.0,
        f"l={words.lemma[i]}": 1.0,
        f"p={words.pos[i]}": 1.0,
        f"t={words.tag[i]}": 1.0,
        f"d={words.dep[i]}": 1.0,
        f"hl={words.lemma[head]}": 1.0,
        f"hp={words.pos[head]}": 1.0,
        f"dhd={words.dep[i]}|{words.dep[head]}": 1.0,
    }
    if words.quoted[i]:
        f["inq"] = 1.0
    if i + 1 < len(words.starts) and words.starts[i + 1]:
        f["send"] = 1.0
    if i > 0 and words.newline[i - 1]:
        f["para"] = 1.0
    child = i
    for depth, j in enumerate(_ancestors(i, words.head), 1):
        if depth <= _MAX_ANCESTORS:
            f[f"a{depth}d={words.dep[child]}|{words.pos[j]}"] = 1.0
        lemma = words.lemma[j]
        if words.pos[j] in {"VERB", "AUX", "NOUN"} and (lemma in SPEECH_VERBS or words.lower[j] in SPEECH_VERBS):
            f[f"cue={words.dep[child]}"] = 1.0
            f[f"cuel={lemma}"] = 1.0
            f[f"cued={min(depth, _MAX_CUE_DEPTH)}"] = 1.0
            break
        if words.pos[j] == "VERB" and depth <= _MAX_CUE_DEPTH:
            f[f"va{depth}={lemma}"] = 1.0
        child = j
    f.update(sentence)
    if words.starts[i]:
        f["sstart"] = 1.0
    f["root=" + ("before" if i < root else "at" if i == root else "after")] = 1.0
    return f


def _ancestors(i: int, head: list[int]) -> Iterator[int]:
    """The indices of token ``i``'s head, its head's head, ... up to the root (as ``Token.ancestors``)."""
    for _ in range(len(head)):  # a parse has no cycle; the bound only makes sure
        if head[i] == i:
            return
        i = head[i]
        yield i


def _sentence_features(words: _Words, start: int, end: int) -> dict[str, float]:
    """What the sentence of tokens ``start..end`` gives each of them: whether it holds "according" and a
    speech verb."""
    f: dict[str, float] = {}
    if "according" in words.lower[start:end]:
        f["s_according"] = 1.0
    if any(words.pos[i] == "VERB" and words.lemma[i] in SPEECH_VERBS for i in range(start, end)):
        f["s_speech"] = 1.0
    return f


def lemma(token: Token) -> str:
    """The token's lemma, or its lower-cased word when the parse has no lemmas (the pipeline leaves
    its lemmatizer out): "said" stays "said", which SPEECH_VERBS lists with the other forms."""
    return _lemma(token.lemma_, token.lower_)


def _lemma(lemma: str, lower: str) -> str:
    """``lemma`` of a token's lemma and lower-cased word as written."""
    return (lemma or lower).lower()


class TokenIndex:
    """Which tokens of a doc lie in a character span, by bisection over their start offsets."""

    def __init__(self, doc: Doc) -> None:
        rows = doc.to_array(["IDX", "IS_SPACE", "IS_PUNCT"]).tolist() if len(doc) else []
        self.starts: list[int] = [r[0] for r in rows]
        self.spaces = [bool(r[1]) for r in rows]
        self.words = [not (r[1] or r[2]) for r in rows]

    def indices(self, start: int, end: int) -> range:
        """The indices of the tokens that start within ``start..end`` (character offsets)."""
        return range(bisect_left(self.starts, start), bisect_left(self.starts, end))

    def content(self, start: int, end: int) -> set[int]:
        """The indices of the tokens in ``start..end`` that are neither punctuation nor space."""
        return {i for i in self.indices(start, end) if self.words[i]}


def bio_labels(doc: Doc, contents: Iterable[tuple[int, int]]) -> list[str]:
    """B/I/O per token of ``doc`` for the character spans ``contents``: I inside one, B at its first token."""
    out = ["O"] * len(doc)
    index = TokenIndex(doc)
    for start, end in contents:
        inside = [i for i in index.indices(start, end) if not index.spaces[i]]
        for k, i in enumerate(inside):
            if k == 0:
                out[i] = "B"
            elif out[i] == "O":
                out[i] = "I"
    return out


def tag_spans(doc: Doc, tags: Sequence[str]) -> list[tuple[int, int]]:
    """Character spans of the B/I runs of ``tags`` (a run may cross sentences and paragraphs)."""
    out: list[tuple[int, int]] = []
    current: list[int] | None = None
    for t, tag in zip(doc, tags, strict=True):
        if tag == "B" or (tag == "I" and current is None):
            if current:
                out.append((current[0], current[1]))
            current = [t.idx, t.idx + len(t.text)]
        elif tag == "I" and current is not None:
            current[1] = t.idx + len(t.text)
        elif current is not None and not t.is_space:
            out.append((current[0], current[1]))
            current = None
    if current:
        out.append((current[0], current[1]))
    return out


@lru_cache(maxsize=1)
def reported_tagger(path: Path | None = None) -> pycrfsuite.Tagger | None:
    """The shipped CRF (``reported_tagger.crfsuite``), or None when it (or python-crfsuite) is missing
    or unreadable: reported speech then comes from the logistic model alone."""
    try:
        import pycrfsuite

        tagger = pycrfsuite.Tagger()
        tagger.open(str(path or MODEL_FILE))
    except (ImportError, OSError, ValueError):
        return None
    return tagger


def tag(tagger: pycrfsuite.Tagger, doc: Doc, features: Features) -> list[tuple[int, int]]:
    """The character spans ``tagger`` marks as reported contents in ``doc``."""
    if not len(doc):
        return []
    with _TAGGING:
        tags = tagger.tag(features)
    return tag_spans(doc, tags)
