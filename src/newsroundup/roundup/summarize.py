"""Write the cited sentences and headline of one story's roundup (``write.write_roundup`` adds enrichment)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import timedelta
from typing import TYPE_CHECKING

from newsroundup.errors import InputError
from newsroundup.model import Article, Roundup, RoundupSentence, Source
from newsroundup.model import story_id as story_named_after
from newsroundup.roundup.candidates import Candidate, CandidateLimits, build_candidates
from newsroundup.roundup.headline import choose_headline
from newsroundup.roundup.headline_cut import Shortener
from newsroundup.roundup.mentions import Openings, name_openings, opening_extra_words
from newsroundup.roundup.order import order_sentences
from newsroundup.roundup.salience import SalienceOptions, concept_weights, model_weighs
from newsroundup.roundup.select import select_sentences
from newsroundup.roundup.update import NOTHING_NEW, UpdateOptions, mark_repeats, novel_weights, reported_concepts
from newsroundup.text.language import detect_language, story_language

if TYPE_CHECKING:
    from newsroundup.roundup.enrich import EnrichOptions

METHOD = "concept-ilp"
METHOD_VERSION = "2"
LATEST_WINDOW = timedelta(hours=24)


@dataclass(frozen=True, slots=True)
class RoundupOptions:
    """How a roundup is written; every field has a general-purpose default."""

    words: int = 100
    candidates: CandidateLimits = field(default_factory=CandidateLimits)
    salience: SalienceOptions = field(default_factory=SalienceOptions)
    enrich: EnrichOptions | None = None  # key quotes, who's who, timeline (roundup/write.py); None: none
    update: UpdateOptions = field(default_factory=UpdateOptions)  # what's new (``seen`` articles given)

    def __post_init__(self) -> None:
        if self.words < 1:
            raise InputError(f"the word budget must be positive, not {self.words}")


def summarize(
    articles: Sequence[Article],
    options: RoundupOptions | None = None,
    story_id: str | None = None,
    openings: Openings | None = None,
    seen: Sequence[Article] = (),
    shorten: Shortener | None = None,
) -> Roundup:
    """Write the roundup of ``articles``, all about one story, within ``options.words`` words.

    With ``seen`` (the articles a reader has already read), it is an update: what ``articles`` add
    to them, nothing they said (``roundup.update``); when nothing new is left, no sentence and a
    warning saying so.

    ``openings`` (from ``text.openings.opening_references``, per article id) are the sentences
    whose opening pronoun can be replaced by the name it stands for: they may be chosen without
    the sentence before them, and are named in the roundup when that sentence does not precede
    them (``mentions.name_openings``). Without it, such a sentence comes only with its predecessor.

    ``shorten`` (``headline_cut.parsed_shortener``) lets a lede too long for a headline become one without some
    of its clauses, declared in ``Roundup.headline_cuts``.
    """
    options = options or RoundupOptions()
    articles = [a for a in articles if a.text.strip()]
    if not articles:
        raise InputError("no article with text to summarize")
    every_article = articles
    articles, left_out = in_story_language(articles)
    openings = openings or {}
    independent = [a.syndicated_from is None for a in articles]
    latest = latest_articles(articles)
    candidates = build_candidates(articles, options.candidates, openings)
    weights = concept_weights(candidates, options.salience, independent, latest)
    # The headline speaks of what most sources report: a concept only one report states is an angle, which the
    # learned weights value (a summary may state it) but centrality must not. A story the model does not weigh
    # has its counted weights already.
    central = (
        concept_weights(candidates, replace(options.salience, weighting="pairs"), independent, latest)
        if model_weighs(options.salience, independent)
        else weights
    )
    if seen:
        reported = reported_concepts(seen, options.candidates)
        weights = novel_weights(weights, reported)
        central = novel_weights(central, reported)
        candidates = mark_repeats(candidates, reported, options.update)
    selection = select_sentences(
        candidates,
        weights,
        options.words,
        word_counts=_named_lengths(candidates, articles, openings),
        must_cite=latest if any(latest) else None,
    )
    ordered = order_sentences(selection.chosen, articles, latest)
    # A headline has no sentence before it: an opening pronoun is never named there, so it leans.
    standalone = build_candidates(articles, options.candidates) if openings else candidates
    sentences = tuple(name_openings(ordered, articles, openings))
    warnings = []
    if not sentences:
        warnings.append(
            NOTHING_NEW if seen else "no sentence could be used: the articles hold no complete, self-contained sentence"
        )
    if left_out:
        warnings.append(
            f"{len(left_out)} article(s) in another language than the roundup's "
            f"({', '.join(sorted(set(left_out.values())))}) left out of it; listed as sources"
        )
    if sum(independent) == 1:
        warnings.append("only one independent source: nothing here is corroborated by another outlet")
    headline = choose_headline(articles, standalone, central, latest, shorten)
    return Roundup(
        story=story_id or story_id_for(every_article),
        headline=headline.text,
        headline_source=headline.source,
        headline_cuts=headline.cuts,
        sentences=sentences,
        sources=cited_sources(every_article, sentences),
        method=METHOD,
        version=METHOD_VERSION,
        warnings=tuple(warnings),
    )


def in_story_language(articles: Sequence[Article]) -> tuple[list[Article], dict[str, str]]:
    """The articles in the story's language, and the others' ids with their language.

    An article's language is its ``language`` when known, else detected from its text; an article
    whose language cannot be told is kept.
    """
    languages = [_base_language(a.language) or detect_language(a.text) for a in articles]
    main = story_language(languages, [len(a.text) for a in articles])
    kept = [a for a, lang in zip(articles, languages, strict=True) if lang in (None, main)]
    others = {a.id: lang for a, lang in zip(articles, languages, strict=True) if lang not in (None, main)}
    return kept, others


def _base_language(tag: str | None) -> str | None:
    """``en`` for ``en-GB``, ``EN`` or ``en_US``; None for None or an empty tag."""
    return tag.replace("_", "-").split("-")[0].lower() or None if tag else None


def _named_lengths(
    candidates: Sequence[Sequence[Candidate]], articles: Sequence[Article], openings: Openings
) -> dict[tuple[int, int], int]:
    """Word counts of sentences whose opening pronoun may be named, at their longest naming."""
    out = {}
    for sents in candidates:
        for c in sents:
            reference = openings.get(articles[c.article_index].id, {}).get(c.start)
            if reference is not None:
                out[(c.article_index, c.position)] = c.n_words + opening_extra_words(reference, c.text)
    return out


def latest_articles(articles: Sequence[Article], window: timedelta = LATEST_WINDOW) -> list[bool]:
    """Which articles are the latest coverage of a story that has developed over more than ``window``.

    All false when fewer than two articles are dated or the coverage spans less than ``window``:
    then there is no "latest development" to bring forward.
    """
    dates = [a.published for a in articles if a.published is not None]
    if len(dates) < 2 or max(dates) - min(dates) <= window:
        return [False] * len(articles)
    since = max(dates) - window
    return [a.published is not None and a.published >= since for a in articles]


def story_id_for(articles: Sequence[Article]) -> str:
    """The id of the story these articles tell, named (as grouping names stories) after its first article.

    The first is the earliest published (undated ones last), ties broken by id, so the id does not
    depend on the order the articles are given in.
    """
    first = min(articles, key=lambda a: (a.published is None, a.published.timestamp() if a.published else 0.0, a.id))
    return story_named_after(first.id)


def cited_sources(articles: Sequence[Article], sentences: Sequence[RoundupSentence]) -> tuple[Source, ...]:
    """Every article of the story as a source: cited ones first, in order of first citation."""
    first_cited: dict[str, int] = {}
    for n, sentence in enumerate(sentences):
        first_cited.setdefault(sentence.source.article, n)
    ranked = sorted(
        range(len(articles)),
        key=lambda i: (first_cited.get(articles[i].id, len(sentences)), i),
    )
    return tuple(
        Source(
            article=a.id,
            outlet=a.outlet,
            title=a.title,
            url=a.url,
            published=a.published,
            syndicated_from=a.syndicated_from,
        )
        for a in (articles[i] for i in ranked)
    )
