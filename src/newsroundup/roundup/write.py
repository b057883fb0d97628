"""The roundup stage's one entry point: a story's articles → its Roundup, enriched when the options say so."""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence

from newsroundup.model import Article, Roundup
from newsroundup.roundup.candidates import candidates_shared
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
    (``annotate.openings.opening_references``), and a headline be a long lede without some of its clauses
    (``headline_cut``). A story longer than ``options.enrich.max_characters``
    is enriched from a share of its articles that fits (``articles_to_parse``); every article still
    takes part in the summary and its corroboration.
    """
    options = options or RoundupOptions()
    with candidates_shared():
        return _written(articles, options, story_id, seen)


def _written(
    articles: Sequence[Article], options: RoundupOptions, story_id: str | None, seen: Sequence[Article]
) -> Roundup:
    """:func:`write_roundup`'s steps."""
    if options.enrich is None:
        return summarize(articles, options, story_id, seen=seen)
    from newsroundup.annotate.nlp import parse_texts
    from newsroundup.annotate.openings import opening_references
    from newsroundup.roundup.enrich import enrich_roundup
    from newsroundup.roundup.headline_cut import parsed_shortener

    articles = [a for a in articles if a.text.strip()]
    read = articles_to_parse(articles, options.enrich.max_characters)
    docs = parse_texts([a.text for a in read])
    openings = {a.id: opening_references(a, d) for a, d in zip(read, docs, strict=True)}
    roundup = summarize(articles, options, story_id, openings, seen=seen, shorten=parsed_shortener(read, docs))
    enriched = enrich_roundup(roundup, read, options.enrich, budget=options.words, docs=docs)
    if not options.enrich.corroborate:
        return enriched
    from newsroundup.roundup.corroborate import corroborate

    return corroborate(enriched, articles)


def articles_to_parse(articles: Sequence[Article], max_characters: int) -> list[Article]:
    """The articles enrichment reads: all of them when their text fits in ``max_characters``, else a share
    that does, in their given order: originals before copies (a copy adds no new words), and among those,
    one article per outlet in turn (each outlet's first, last, middle, quarters ...), so that the share
    keeps every voice and spans the story's time. Parsing costs time and memory in proportion to the
    text: a story of thousands of articles would otherwise take minutes and gigabytes for a few key
    quotes and names.
    """
    if sum(len(a.text) for a in articles) <= max_characters:
        return list(articles)
    by_outlet: dict[str, list[int]] = {}
    for copies in (False, True):
        ranked = sorted(
            (i for i, a in enumerate(articles) if (a.syndicated_from is not None) == copies),
            key=lambda i: (_when(articles[i]), i),
        )
        for i in ranked:
            by_outlet.setdefault(f"{copies}\t{articles[i].outlet or articles[i].id}", []).append(i)
    order: list[int] = []
    queues = [_spread(q) for q in by_outlet.values()]  # originals' outlets first, each spread over its time
    for originals in (True, False):
        mine = [q for q in queues if (articles[q[0]].syndicated_from is None) == originals]
        for turn in range(max((len(q) for q in mine), default=0)):
            order.extend(q[turn] for q in mine if turn < len(q))
    chosen: set[int] = set()
    left = max_characters
    for i in order:
        size = len(articles[i].text)
        if size <= left:
            chosen.add(i)
            left -= size
    return [a for i, a in enumerate(articles) if i in chosen]


def _spread(items: list[int]) -> list[int]:
    """``items`` (in time order) reordered first, last, then the middle of each gap in turn."""
    if len(items) <= 2:
        return items
    out = [items[0], items[-1]]
    gaps = deque([(0, len(items) - 1)])
    while gaps:
        low, high = gaps.popleft()
        if high - low >= 2:
            middle = (low + high) // 2
            out.append(items[middle])
            gaps.extend(((low, middle), (middle, high)))
    return out


def _when(article: Article) -> float:
    """An article's time for ordering (published, else fetched; undated last)."""
    when = article.published or article.fetched_at
    return when.timestamp() if when else float("inf")
