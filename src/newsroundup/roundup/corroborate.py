"""Which independent outlets report each roundup sentence's fact, and which facts one outlet alone reports.

Two sentences state the same fact when the same-fact model (``text/same_fact.py``: a small logistic model
over pair features, trained from hand-labelled pairs of real development clusters) says so. Copies of
another article never count, and two articles of one outlet are one report, as in
``model.independent_outlets``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from difflib import SequenceMatcher

import numpy as np
import numpy.typing as npt

from newsroundup.annotate.aliases import edit_distance
from newsroundup.model import Article, Corroboration, Disagreement, Exclusive, Roundup, Span
from newsroundup.roundup.candidates import Candidate, build_candidates
from newsroundup.roundup.salience import SHARED_CONCEPTS, concept_weights, weight_of
from newsroundup.text.date_expressions import CALENDAR_WORDS, MONTH_ABBREVIATIONS
from newsroundup.text.same_fact import (
    NUMBER,
    Lexical,
    SameFactModel,
    SharedWords,
    features_of,
    lexical,
    same_fact_model,
    unshared_bound,
)
from newsroundup.text.tokens import STOPWORDS, spelled_numbers, spelled_value, stem

__all__ = ["CorroborationOptions", "corroborate"]

Embed = Callable[[Sequence[str]], npt.NDArray[np.float32]]


@dataclass(frozen=True, slots=True)
class CorroborationOptions:
    """How corroboration is looked for: the sentences compared and how many exclusives are listed."""

    min_words: int = 5  # shorter sentences (datelines, bylines, captions) state no fact worth matching
    shortlist: int = 2  # sentences per other outlet embedded and scored: the lexically closest
    min_cosine: float = 0.35  # pairs further apart are never the same fact (and are not scored)
    exclusives: int = 5  # facts one outlet alone states, listed besides the roundup's own
    # Sentences embedded and scored per sentence at most: the lexically closest of the other outlets'
    # shortlists. A story of 30 outlets or fewer never reaches it; one of hundreds of outlets (thousands
    # of articles) would otherwise embed tens of thousands of sentences.
    max_candidates: int = 60


@dataclass(frozen=True, slots=True)
class _Sentence:
    article: Article
    outlet: str  # the outlet's key: two articles of one outlet are one report
    start: int
    end: int
    text: str
    eligible: bool
    salience: float


def _outlet_key(article: Article) -> str:
    """One key per independent report: the outlet's name, or the article itself when it has none."""
    return article.outlet.casefold() if article.outlet else f"\0{article.id}"


def corroborate(
    roundup: Roundup,
    articles: Sequence[Article],
    embed: Embed | None = None,
    options: CorroborationOptions | None = None,
    model: SameFactModel | None = None,
) -> Roundup:
    """``roundup`` with each sentence's corroboration and the story's exclusives filled in.

    Only originals count (an article copying another is skipped), one corroborating sentence per
    outlet other than the sentence's own. Exclusives are the roundup's sentences that no other
    outlet states, then up to ``options.exclusives`` of the story's most salient sentences that no
    other outlet states; none are listed when the story has one outlet only.
    ``embed`` maps texts to L2-normalised rows (default: the project's sentence embedder, rows kept in the
    parse cache).
    """
    options = options or CorroborationOptions()
    model = model or same_fact_model()
    originals = [a for a in articles if a.syndicated_from is None and a.text.strip()]
    if embed is None:  # each sentence embedded once: a story's next roundup embeds only its new sentences
        from newsroundup.grouping.vectors import cached_embed

        embed = cached_embed
    pool = _sentences(originals, options)
    texts = [s.text for s in pool] + [s.text for s in roundup.sentences]
    read = [lexical(t) for t in texts]
    outlets = sorted({s.outlet for s in pool})
    by_id = {a.id: a for a in articles}
    owners = [s.outlet for s in pool] + [_own_outlet(s.source.article, by_id) for s in roundup.sentences]
    rows = list(range(len(pool), len(texts)))
    if len(outlets) > 1:
        ranked = sorted(
            (i for i, s in enumerate(pool) if s.eligible and s.salience > 0),
            key=lambda i: (-pool[i].salience, i),
        )
        rows += ranked[: 3 * options.exclusives]  # enough to find the exclusives among
    # Only pairs that could be called the same fact at the best cosine are embedded: the lexical
    # features alone rule most pairs out, and embedding is what costs.
    best_cosine = 1.0 if model.weights[0] >= 0 else options.min_cosine
    sharing = SharedWords(read[: len(pool)]) if unshared_bound(model, best_cosine) < model.threshold else None
    possible: dict[int, list[int]] = {}
    for row in rows:
        per_outlet: dict[str, list[tuple[float, int]]] = {}
        # A pair that shares no word, name or number can only be called the same fact by its cosine and
        # negation: when even the best of those stays under the threshold, only sharing sentences are scored.
        scored = range(len(pool)) if sharing is None else sharing.with_any_of(read[row])
        for j in scored:
            other = pool[j]
            if other.outlet == owners[row]:
                continue
            bound = model.probability(features_of(read[row], read[j], best_cosine))
            if bound >= model.threshold:
                per_outlet.setdefault(other.outlet, []).append((bound, j))
        shortlisted = [pair for found in per_outlet.values() for pair in sorted(found)[-options.shortlist :]]
        closest = sorted(shortlisted, key=lambda pair: (-pair[0], pair[1]))[: options.max_candidates]
        possible[row] = sorted(j for _, j in closest)
    needed = sorted({row for row in rows if possible[row]} | {j for js in possible.values() for j in js})
    at = {row: n for n, row in enumerate(needed)}
    vectors = embed([texts[row] for row in needed]) if needed else np.zeros((0, 0), dtype=np.float32)

    def matches(row: int) -> list[tuple[int, float]]:
        """The best same-fact sentence of each other outlet for text ``row``, with its probability."""
        best: dict[str, tuple[float, int]] = {}
        for j in possible.get(row, []):
            cosine = float(vectors[at[j]] @ vectors[at[row]])
            if cosine < options.min_cosine:
                continue
            probability = model.probability(features_of(read[row], read[j], cosine))
            if probability >= model.threshold and (pool[j].outlet not in best or probability > best[pool[j].outlet][0]):
                best[pool[j].outlet] = (probability, j)
        return [(best[outlet][1], best[outlet][0]) for outlet in sorted(best)]

    sentences = []
    disputed: set[Span] = set()
    unsure: set[Span] = set()
    disagreements = list(roundup.disagreements)
    for n, sentence in enumerate(roundup.sentences):
        row = len(pool) + n
        found = matches(row)
        # The same fact with other numbers is a disagreement, not a corroboration.
        conflicting = [
            j
            for j, _ in found
            if _numbers_conflict(read[row], read[j], sentence.text, pool[j].text)
            or _name_conflict(sentence.text, pool[j].text)
        ]
        for j in conflicting:
            other = pool[j]
            disputed.add(sentence.source)
            there = Span(other.article.id, other.start, other.end)
            disagreement = _disagreement(sentence.text, sentence.source, other.text, there)
            if disagreement and not any(set(d.sources) == set(disagreement.sources) for d in disagreements):
                disagreements.append(disagreement)
        agreeing = [(j, probability) for j, probability in found if j not in conflicting]
        # A listed report is the best of its outlet's sentences, so it needs more than the pair threshold; one
        # between the two may state the fact: the sentence is then neither corroborated nor the outlet's alone.
        reports = tuple(
            Corroboration(pool[j].article.id, pool[j].start, pool[j].end, pool[j].article.outlet)
            for j, probability in agreeing
            if probability >= model.listed_threshold
        )
        if agreeing and not reports:
            unsure.add(sentence.source)
        sentences.append(replace(sentence, corroboration=reports))
    exclusives: list[Exclusive] = []
    if len(outlets) > 1:
        # The roundup's own uncorroborated sentences first (flagged where they are shown), then the
        # story's most salient facts that one outlet alone states.
        for sentence in sentences:
            cited = by_id.get(sentence.source.article)
            if cited is not None and not sentence.corroboration and sentence.source not in disputed | unsure:
                exclusives.append(Exclusive(sentence.source.text_in(cited), sentence.source, cited.outlet))
        listed = {e.source for e in exclusives}
        others = 0
        for i in ranked[: 3 * options.exclusives]:
            if others == options.exclusives:
                break
            s = pool[i]
            span = Span(s.article.id, s.start, s.end)
            if span not in listed and not matches(i):
                exclusives.append(Exclusive(s.text, span, s.article.outlet))
                others += 1
    return replace(
        roundup, sentences=tuple(sentences), exclusives=tuple(exclusives), disagreements=tuple(disagreements)
    )


def _numbers_conflict(a: Lexical, b: Lexical, first: str, second: str) -> bool:
    """Both sentences give numbers and none of them is the same, or both count one thing with other numbers
    ("leaving two yachts missing" / "three yachts remain missing", beside the two dead both give)."""
    return bool(a.numbers and b.numbers and not a.numbers & b.numbers) or _counted_conflict(first, second) is not None


# The words right after a number, up to punctuation ("two yacht crew members", "725-mile"): the thing it counts is
# among them.
_AFTER = re.compile(r"(?:[ -][A-Za-z]+){1,3}")
# A verb form right before a number, hedges between ("injuring about 180", "killing at least 60").
_VERB_BEFORE = re.compile(
    r"\b([A-Za-z]+(?:ing|ed))\s+(?:(?:about|nearly|almost|some|roughly|around|approximately|over|more than|"
    r"at least|up to|only|just)\s+)*$",
    re.IGNORECASE,
)
_COUNT_DIGITS = 15
_PLURALS = frozenset({"people", "men", "women", "children", "police", "feet", "teeth", "mice", "staff", "personnel"})


def _counts(text: str) -> dict[str, list[tuple[int, str]]]:
    """What ``text`` counts: the stem of the thing each number (digits or words) counts, with the numbers' values
    and how they are written. The thing is the first plural of the words right after the number ("two yacht crew
    members": members; "three yachts": yachts), or the first word after a one; a number with none counts nothing
    ("the 115-yacht fleet", "in 2014, ..."). A number right after a verb ("injuring about 180", "killed 60 people")
    also counts what the verb did (keyed ``~`` and the verb's stem)."""
    out: dict[str, list[tuple[int, str]]] = {}
    for match in [*NUMBER.finditer(text), *spelled_numbers(text)]:
        written = match.group(0)
        digits = written.replace(",", "")
        if written[0].isdigit():  # a run of digits too long for a count (an identifier, or junk) counts nothing
            value = int(digits) if digits.isdigit() and len(digits) <= _COUNT_DIGITS else None
        else:
            value = spelled_value(written)
        if value is None:
            continue
        verb = _VERB_BEFORE.search(text, 0, match.start())
        if verb is not None:
            out.setdefault("~" + stem(verb.group(1).lower()), []).append((value, written))
        after = _AFTER.match(text, match.end())
        for word in re.findall(r"[A-Za-z]+", after.group(0).lower()) if after else ():
            if word in STOPWORDS:
                break
            if value == 1 or word in _PLURALS or (word.endswith("s") and not word.endswith(("ss", "us", "is"))):
                out.setdefault(stem(word), []).append((value, written))
                break
    return out


def _counted_conflict(first: str, second: str) -> tuple[str, str] | None:
    """The first thing both sentences count with no number in common, as each writes its number; else None."""
    theirs = _counts(second)
    for thing, mine in _counts(first).items():
        other = theirs.get(thing)
        if other and not {v for v, _ in mine} & {v for v, _ in other}:
            return mine[0][1], other[0][1]
    return None


_TOKEN = re.compile(r"[A-Za-z][\w'’.-]*|\d[\d,.]*")
_NAME_WORDS = 3  # the longest name one report puts where the other puts another
_NAME_SHARE = 0.6  # the share of the longer sentence's words both must have, in the same order
# Days and months are dates, not names: a report of the same fact on another day is not a disagreement about who.
_CALENDAR = CALENDAR_WORDS | MONTH_ABBREVIATIONS


def _name_conflict(first: str, second: str) -> tuple[str, str] | None:
    """The names of the one place where two reports of a fact differ, when that place is a name in both and the
    names are not one person's variants ("Defense Secretary Ash Carter will lead …" / "Defense Secretary Jim
    Mattis will lead …"; not "Ash Carter" / "Ashton Carter", not a misspelling); else None."""
    a, b = _words(first), _words(second)
    matcher = SequenceMatcher(None, [w.lower() for w in a], [w.lower() for w in b], autojunk=False)
    opcodes = matcher.get_opcodes()
    differ = [op for op in opcodes if op[0] != "equal"]
    same = sum(i2 - i1 for tag, i1, i2, _, _ in opcodes if tag == "equal")
    if len(differ) != 1 or differ[0][0] != "replace" or same < _NAME_SHARE * max(len(a), len(b)):
        return None
    _, i1, i2, j1, j2 = differ[0]
    mine, theirs = a[i1:i2], b[j1:j2]
    if not (len(mine) <= _NAME_WORDS and len(theirs) <= _NAME_WORDS):
        return None
    if not all(w[0].isupper() and w.lower() not in STOPWORDS | _CALENDAR for w in [*mine, *theirs]):
        return None
    one, other = " ".join(mine), " ".join(theirs)
    variants = {w.lower() for w in mine} & {w.lower() for w in theirs} or any(
        x.lower().startswith(y.lower()) or y.lower().startswith(x.lower()) for x in mine for y in theirs
    )
    if variants or edit_distance(one.lower(), other.lower()) <= 2:
        return None
    return one, other


def _words(text: str) -> list[str]:
    """The words and numbers of ``text``, a sentence's final period off ("Paris." is "Paris"; "U.S." stays)."""
    return [w[:-1] if w.endswith(".") and w.count(".") == 1 else w for w in _TOKEN.findall(text)]


def _disagreement(first: str, first_span: Span, second: str, second_span: Span) -> Disagreement | None:
    """Two reports of one fact that differ: in a name, the two names; in numbers, those of the first thing both
    count differently, else each sentence's first number (digits or words); as written."""
    names = _name_conflict(first, second)
    if names is not None:
        opening = " ".join(first.split()[:8])
        return Disagreement(f"the name in “{opening}…”", names, (first_span, second_span))
    counted = _counted_conflict(first, second)
    numbers = counted or (_first_number(first), _first_number(second))
    if numbers[0] is None or numbers[1] is None:
        return None
    opening = " ".join(first.split()[:8])
    return Disagreement(f"the numbers in “{opening}…”", (numbers[0], numbers[1]), (first_span, second_span))


def _first_number(text: str) -> str | None:
    """The first number of ``text`` as written, in digits or in words."""
    found = [m for m in (NUMBER.search(text), *spelled_numbers(text)[:1]) if m is not None]
    return min(found, key=lambda m: m.start()).group(0) if found else None


def _own_outlet(article_id: str, by_id: dict[str, Article]) -> str:
    """The outlet key a roundup sentence speaks for: its article's, or the original's for a copy."""
    cited = by_id.get(article_id)
    if cited is None:
        return ""
    original = by_id.get(cited.syndicated_from or "")
    return _outlet_key(original or cited)


def _sentences(originals: Sequence[Article], options: CorroborationOptions) -> list[_Sentence]:
    """Every sentence of the originals long enough to state a fact, with its salience for the story."""
    candidates = build_candidates(originals)
    weights = concept_weights(candidates, SHARED_CONCEPTS, independent=[True] * len(originals))
    return [
        _Sentence(
            originals[c.article_index],
            _outlet_key(originals[c.article_index]),
            c.start,
            c.end,
            c.text,
            c.eligible,
            _salience(c, weights),
        )
        for per_article in candidates
        for c in per_article
        if c.n_words >= options.min_words
    ]


def _salience(candidate: Candidate, weights: dict[tuple[str, str], float]) -> float:
    """How much of the story's shared concepts the sentence states."""
    return weight_of(candidate.bigrams, weights)
