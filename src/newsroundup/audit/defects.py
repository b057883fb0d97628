"""Defects of an audited sentence, each with the source spans that show it.

Misspelt names, changed numbers and quotes given to another speaker come from the word alignment
with the source span; dangling references from the source sentence before the pronoun; off-topic
sentences from how little their source (or, without one, their words) shares with the article's story.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence

from newsroundup.annotate.aliases import fold, same_name_token
from newsroundup.annotate.quotemarks import find_quotations
from newsroundup.audit.provenance import Alignment, SentenceIndex, SourceSentence, Token, tokens
from newsroundup.grouping.vectors import cached_embed
from newsroundup.model import Defect, Span
from newsroundup.text.date_expressions import CALENDAR_WORDS
from newsroundup.text.discourse import opening_word
from newsroundup.text.tokens import STOPWORDS, stem, words

# Set on the fit half of the generated development set (benchmarks/bench_audit.py).
OFF_TOPIC_WORDS = 0.15  # a source sharing less than this in content words with every other traced source ...
OFF_TOPIC_NAMES = 0.05  # ... and less than this in names ...
OFF_TOPIC_SENTENCES = 2  # ... that the article takes at most this many sentences from is off topic
# ... or, when it and another traced source each name at least OFF_TOPIC_MIN_NAMES people and places, less
# than this in words: another event of the same kind ("shot", "police", "hospital") but other names.
# Both set on the fit half of the incidents of benchmarks/bench_audit_stale.py (real gva-stream-dev reports).
OFF_TOPIC_NAMED_WORDS = 0.25
OFF_TOPIC_MIN_NAMES = 5
OFF_TOPIC_SENTENCE = 0.06  # an untraced sentence sharing less than this with the article's sources and text
# ... and whose meaning (all-MiniLM-L6-v2 cosine) is this far from every sentence traced to the story's sources:
# a sentence no source carries may say the story's facts in other words ("THAAD" and "the system").
OFF_TOPIC_MEANING = 0.35
# Openings that need a person or group named before ("It" is often impersonal: "It's unclear ...").
_SUBJECT_PRONOUNS = frozenset({"he", "she", "they", "his", "her", "their"})
_LOOKBACK = 2  # source sentences before a pronoun in which its referent is looked for
_NUMBER = re.compile(r"\d")
_NAME = re.compile(r"[A-Z][\w'’-]*")
# Capitalised words inside a sentence (after a lower-case word or comma): names, places, organisations.
_NAME_IN_TEXT = re.compile(r"(?<=[a-z,;:] )[A-Z][a-z]+(?: [A-Z][a-z]+)*")


def _is_name(token: Token) -> bool:
    """A capitalised word of two letters or more (a name, or part of one)."""
    return bool(_NAME.fullmatch(token.text)) and len(token.text) > 1 and token.text.lower() not in STOPWORDS


def _close_spelling(a: str, b: str) -> bool:
    """Two spellings of one name: sound-alike, or a small edit for the length (a typo)."""
    fa, fb = fold(a), fold(b)
    if fa == fb or min(len(fa), len(fb)) < 4:
        return False
    return same_name_token(a, b) or _typo_distance(fa, fb) <= max(1, min(len(fa), len(fb)) // 4)


def _typo_distance(a: str, b: str) -> int:
    """Edits between two words where swapping two neighbouring letters counts once (optimal string alignment)."""
    rows = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) + 1):
        rows[i][0] = i
    for j in range(len(b) + 1):
        rows[0][j] = j
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            rows[i][j] = min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + (a[i - 1] != b[j - 1]))
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                rows[i][j] = min(rows[i][j], rows[i - 2][j - 2] + 1)
    return rows[-1][-1]


def _inside(spans: Sequence[tuple[int, int]], token: Token) -> bool:
    """True when ``token`` lies within one of ``spans``."""
    return any(start <= token.start and token.end <= end for start, end in spans)


def edit_defects(found: Alignment, sentence_text: str) -> list[Defect]:
    """Misspellings, changed facts and misattributed quotes shown by the word edits against the source."""
    if found.span is None:
        return []
    quoted = [(q.open_start, q.close_end) for q in find_quotations(sentence_text)]
    out: list[Defect] = []
    article = found.span.article
    for tag, i1, i2, j1, j2 in found.opcodes:
        if tag != "replace":
            continue
        mine = found.sentence_tokens[i1:i2]
        theirs = found.source_tokens[j1:j2]
        evidence = (Span(article, theirs[0].start, theirs[-1].end),)
        written = " ".join(t.text for t in mine)
        original = " ".join(t.text for t in theirs)
        names_mine = [t for t in mine if _is_name(t) and t.text not in original]  # names the source lacks
        names_theirs = [t for t in theirs if _is_name(t)]
        if any(_NUMBER.search(t.text) for t in (*mine, *theirs)):
            out.append(Defect("changed_fact", f"{written!r} is {original!r} in the source", evidence))
        elif (
            names_mine
            and names_theirs
            and all(any(_close_spelling(a.text, b.text) for b in names_theirs) for a in names_mine)
        ):
            out.append(Defect("misspelling", f"{written!r} is spelt {original!r} in the source", evidence))
        elif names_mine and names_theirs and quoted and not _inside(quoted, mine[0]):
            out.append(
                Defect(
                    "misattributed_quote",
                    f"the quote is given to {written!r}; the source gives it to {original!r}",
                    evidence,
                )
            )
        elif names_mine and names_theirs:
            out.append(Defect("changed_fact", f"{written!r} is {original!r} in the source", evidence))
    return out


def dangling_reference(
    found: Alignment, sentence_text: str, before: str, earlier: Sequence[Alignment], index: SentenceIndex
) -> Defect | None:
    """A sentence opening with a pronoun whose referent, named before it in the source, is not in the article.

    ``before`` is the article's sentence before it (where a reader looks for the referent), ``earlier``
    the alignments of all the article's sentences before it.
    """
    word = opening_word(sentence_text).replace("’", "'").split("'")[0]  # "He's" and "They’re" are "he", "they"
    if word not in _SUBJECT_PRONOUNS or sentence_text[:1] in "\"“‘'" or found.span is None or found.sentence <= 0:
        return None
    here = index.sentences[found.sentence]
    if any(e.sentence == found.sentence - 1 for e in earlier):
        return None  # the article has the source's sentence before: the referent came along
    context = [
        s for s in index.sentences[max(0, found.sentence - _LOOKBACK) : found.sentence] if s.article == here.article
    ]
    if not context:
        return None
    names = {t.text for s in context for t in _tokens_of(index, s) if _is_name(t)}
    names -= {t.text for t in _tokens_of(index, here) if _is_name(t)}
    names = {name for name in names if name.lower() not in CALENDAR_WORDS}  # "Tuesday" is no one's name
    # Resolved when the article's sentence before names most of what the source names before the
    # pronoun (one shared place or adjective is not the referent).
    named = [name for name in names if re.search(rf"\b{re.escape(name)}\b", before)]
    if names and 2 * len(named) >= len(names):
        return None
    last = context[-1]
    # Without a name before it, the referent is whatever the source's sentence before describes.
    shown = (
        f"named before it in the source ({', '.join(sorted(names)[:4])})"
        if names
        else "in the source's sentence before"
    )
    return Defect(
        "dangling_reference",
        f"{sentence_text.split()[0]!r} refers to someone or something {shown}, not in this article",
        (index.span(last),),
    )


def _tokens_of(index: SentenceIndex, sentence: SourceSentence) -> list[Token]:
    """The words of a source sentence, with offsets into its article."""
    return tokens(index.text(sentence), sentence.start)


def _vector(text: str) -> Counter[str]:
    """Content-word stems of ``text``, counted."""
    return Counter(stem(w) for w in words(text) if w not in STOPWORDS and not w.isdigit() and len(w) > 2)


def _cosine(a: Counter[str], b: Counter[str], idf: dict[str, float]) -> float:
    dot = sum(a[t] * b[t] * idf.get(t, 1.0) ** 2 for t in a.keys() & b.keys())
    na = math.sqrt(sum((v * idf.get(t, 1.0)) ** 2 for t, v in a.items()))
    nb = math.sqrt(sum((v * idf.get(t, 1.0)) ** 2 for t, v in b.items()))
    return dot / (na * nb) if na and nb else 0.0


def _names(text: str) -> Counter[str]:
    """The names inside ``text`` (capitalised words after a lower-case word), lower-cased and counted.

    Day and month names are left out: two reports of different events share "Saturday" or "November".
    """
    return Counter(m for m in (n.lower() for n in _NAME_IN_TEXT.findall(text)) if m not in CALENDAR_WORDS)


def _named(names: dict[int, Counter[str]], source: int) -> bool:
    """True when ``source`` and another traced source name enough for names shared by none to tell."""
    return len(names[source]) >= OFF_TOPIC_MIN_NAMES and any(
        len(v) >= OFF_TOPIC_MIN_NAMES for k, v in names.items() if k != source
    )


def off_topic(texts: Sequence[str], found: Sequence[Alignment], index: SentenceIndex) -> list[Defect | None]:
    """For each sentence, an ``off_topic`` defect when it is about another story than the article's.

    A sentence traced to a stray source (see below) is off topic; an untraced sentence is off topic
    when its words share little with both the rest of the article and the sources of its story, and its
    meaning is far from every sentence traced to the story (``OFF_TOPIC_MEANING``; the embedder is loaded
    only when some untraced sentence is far in words).
    """
    taken = Counter(index.sentences[f.sentence].article for f in found if f.span is not None)
    traced = sorted(taken)
    # Only the traced sources are read (the rest of the pool may be large); the audited sentences and
    # those sources give the word weights.
    vectors = {a: _vector(index.articles[a].text) for a in traced}
    sentence_vectors = [_vector(t) for t in texts]
    frequency: Counter[str] = Counter()
    for vector in [*vectors.values(), *sentence_vectors]:
        frequency.update(vector.keys())
    documents = len(vectors) + len(texts)
    idf = {t: math.log((1 + documents) / (1 + n)) + 1 for t, n in frequency.items()}
    whole = sum(sentence_vectors, Counter())
    # A stray source: one the article takes a sentence or two from, sharing neither words nor names
    # with any other source the article is traced to (another incident of the same kind shares words
    # like "shot" and "police" but not the names and places).
    names = {a: _names(index.articles[a].text) for a in traced}
    words_near = {a: max((_cosine(vectors[a], vectors[b], idf) for b in traced if b != a), default=1.0) for a in traced}
    names_near = {a: max((_cosine(names[a], names[b], {}) for b in traced if b != a), default=1.0) for a in traced}
    stray = {
        a
        for a in traced
        if (
            words_near[a] < OFF_TOPIC_WORDS
            or (words_near[a] < OFF_TOPIC_NAMED_WORDS and _named(names, a))
        )
        and names_near[a] < OFF_TOPIC_NAMES
        and taken[a] <= OFF_TOPIC_SENTENCES
        and taken[a] < len(found) - taken[a]
    }
    main = [a for a in traced if a not in stray]
    story = sum((vectors[a] for a in main), Counter())
    out: list[Defect | None] = []
    far: dict[int, float] = {}  # untraced sentences far from the story in words, and that similarity
    for number, alignment in enumerate(found):
        if alignment.span is None:
            near = max(
                _cosine(sentence_vectors[number], whole - sentence_vectors[number], idf),
                _cosine(sentence_vectors[number], story, idf),
            )
            # Without a traced story there is nothing for a sentence to be off.
            if main and near < OFF_TOPIC_SENTENCE and sentence_vectors[number]:
                far[number] = near
            out.append(None)
            continue
        source = index.sentences[alignment.sentence].article
        if source not in stray:
            out.append(None)
            continue
        what = f"its source {index.articles[source].id!r} shares neither words nor names with the other sources"
        out.append(Defect("off_topic", f"{what} (similarity {words_near[source]:.2f})", (alignment.span,)))
    on_story = [
        k for k, f in enumerate(found) if f.span is not None and index.sentences[f.sentence].article not in stray
    ]
    if far and on_story:
        vectors_of = cached_embed([texts[k] for k in far] + [texts[k] for k in on_story])
        meaning = (vectors_of[: len(far)] @ vectors_of[len(far) :].T).max(axis=1)
        for (number, near), closest in zip(far.items(), meaning, strict=True):
            if closest < OFF_TOPIC_MEANING:
                out[number] = Defect(
                    "off_topic",
                    f"it shares little with the article's story and sources (similarity {near:.2f}, "
                    f"meaning {closest:.2f})",
                    (),
                )
    return out
