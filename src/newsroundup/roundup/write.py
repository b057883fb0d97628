"""The roundup stage's one entry point: a story's articles → its Roundup, enriched when the options say so."""

from __future__ import annotations

from collections.abc import Sequence

from newsroundup.model import Article, Roundup
from newsroundup.roundup.summarize import RoundupOptions, summarize


def write_roundup(
    articles: Sequence[Article],
    options: RoundupOptions | None = None,
    story_id: str | None = None,
    seen: Sequence[Article] = (),
) -> Roundup:
    """The roundup of ``articles`` (one story); with ``options.enrich``, key quotes, who's who, timeline too,
    and (``options.enrich.corroborate``) each sentence's corroborating outlets and the story's exclusives.

    With ``seen``, the articles a reader has already read: what's new, an update that leaves out what
    they reported (``summarize.summarize``).

    Enriching parses each article once (spaCy) for both steps: the parse also lets selection take a
    sentence that opens with "He" or "She" on its own, naming the person it refers to
    (``annotate.openings.opening_references``).
    """
    options = options or RoundupOptions()
    if options.enrich is None:
        return summarize(articles, options, story_id, seen=seen)
    from newsroundup.annotate.nlp import parse_texts
    from newsroundup.annotate.openings import opening_references
    from newsroundup.roundup.enrich import enrich_roundup

    articles = [a for a in articles if a.text.strip()]
    docs = parse_texts([a.text for a in articles])
    openings = {a.id: opening_references(a, d) for a, d in zip(articles, docs, strict=True)}
    roundup = summarize(articles, options, story_id, openings, seen=seen)
    enriched = enrich_roundup(roundup, articles, options.enrich, budget=options.words, docs=docs)
    if not options.enrich.corroborate:
        return enriched
    from newsroundup.roundup.corroborate import corroborate

    return corroborate(enriched, articles)
