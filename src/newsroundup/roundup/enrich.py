"""Add who said what to a finished roundup: key quotes, who's who, timeline and disagreements."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from newsroundup.annotate.aliases import BUILTIN_ALIASES, AliasTable, fold
from newsroundup.annotate.entities import StoryEntities, group_article_entities
from newsroundup.annotate.mentions import article_entities
from newsroundup.annotate.nlp import parse_texts
from newsroundup.annotate.quotemarks import chars_inside, find_quotations
from newsroundup.annotate.quotes import quotes_in_article
from newsroundup.annotate.reported import reported_in_article, speaker_salience
from newsroundup.model import (
    Article,
    DatePrecision,
    Disagreement,
    Entity,
    Quote,
    Roundup,
    Span,
    TimelineEvent,
)
from newsroundup.roundup.candidates import build_candidates
from newsroundup.roundup.mentions import introduce_people
from newsroundup.roundup.salience import SHARED_CONCEPTS, concept_weights
from newsroundup.text.dates import find_dates
from newsroundup.text.sentences import split_sentences
from newsroundup.text.tokens import spelled_value

if TYPE_CHECKING:
    from spacy.tokens import Doc

__all__ = ["EnrichOptions", "enrich_roundup", "find_disagreements", "key_statements", "story_timeline"]


@dataclass(frozen=True, slots=True)
class EnrichOptions:
    """How much to add: numbers of key quotes, who's-who entries and timeline events."""

    key_quotes: int = 5
    quotes_per_speaker: int = 2
    min_quote_words: int = 4
    statements: int = 8  # reported speech of named speakers ("who said what"), at most quotes_per_speaker each
    people: int = 12
    timeline_events: int = 12
    aliases: AliasTable = BUILTIN_ALIASES
    # Two outlets' numbers further apart in time than this describe different moments, not a dispute.
    disagreement_window: timedelta = timedelta(hours=72)
    # Which other outlets state each sentence's fact, and what one outlet alone says (roundup/corroborate.py).
    corroborate: bool = True
    # Text a story's enrichment parses at most (~50,000 words, some 80 articles): a longer story is enriched
    # from a share of its articles (roundup/write.py: articles_to_parse), so that cost stays bounded.
    max_characters: int = 300_000


def enrich_roundup(
    roundup: Roundup,
    articles: Sequence[Article],
    options: EnrichOptions | None = None,
    budget: int | None = None,
    docs: Sequence[Doc] | None = None,
) -> Roundup:
    """Return ``roundup`` with key quotes, who's who, timeline and disagreements from ``articles``.

    Each article is parsed once (one batched spaCy call for all of them, or ``docs`` when the
    caller parsed them already); quote speakers are given
    by the story's canonical names, so one person appears under one name everywhere. With a word
    ``budget``, a person first met by surname alone in the summary is introduced by full name and
    title where the budget allows (``introduce_people``).
    """
    options = options or EnrichOptions()
    docs = docs if docs is not None else parse_texts([a.text for a in articles])
    found = [article_entities(a, d) for a, d in zip(articles, docs, strict=True)]
    story = group_article_entities(found, options.aliases)
    present = {a.id for a in articles}
    quotes: list[Quote] = []
    reported: list[Quote] = []
    for a, d, f in zip(articles, docs, found, strict=True):
        if a.syndicated_from in present:
            continue  # a copy's quotes are cited from the original
        salience = speaker_salience(a, d, f)  # built once: three passes resolve speakers with it
        quotes += [_canonical_quote(q, story) for q in quotes_in_article(a, d, f, salience=salience)]
        direct = quotes_in_article(a, d, f, unresolved=True, salience=salience)
        own = [q for q in reported_in_article(a, d, f, direct, salience=salience) if not _quoted(q, direct)]
        reported += [_canonical_quote(q, story) for q in own]
    key = key_quotes(quotes, story, options)
    enriched = replace(
        roundup,
        quotes=tuple(key),
        statements=tuple(key_statements(reported, story, options)),
        entities=tuple(whos_who(story, key, options)),
        timeline=tuple(story_timeline(articles, options.timeline_events)),
        disagreements=tuple(find_disagreements(articles, options.disagreement_window)),
    )
    return enriched if budget is None else introduce_people(enriched, budget)


def _quoted(statement: Quote, direct: Sequence[Quote]) -> bool:
    """True when more than half of ``statement`` is inside the article's direct quotes: the key quotes'
    business, not reported speech in the writer's words."""
    inside = chars_inside(statement.span.start, statement.span.end, ((q.span.start, q.span.end) for q in direct))
    return inside * 2 > statement.span.end - statement.span.start


def _canonical_quote(quote: Quote, story: StoryEntities) -> Quote:
    """The quote with its speaker under the story's name for them."""
    return replace(quote, speaker=story.name_for(quote.span.article, quote.speaker))


def key_quotes(quotes: Sequence[Quote], story: StoryEntities, options: EnrichOptions) -> list[Quote]:
    """The quotes worth showing: whole statements by named, prominent speakers, each said once.

    A quote repeated by several outlets counts once (the first report) and ranks higher; a speaker
    gets at most ``options.quotes_per_speaker`` quotes; fragments shorter than
    ``options.min_quote_words`` words are left out.
    """
    seen: dict[str, tuple[Quote, int]] = {}
    for quote in quotes:
        key = fold(quote.text).strip(" .,!?")
        if len(quote.text.split()) < options.min_quote_words:
            continue
        first, count = seen.get(key, (quote, 0))
        seen[key] = (first, count + 1)
    mentions = {e.name: len(e.aliases) + 1 for e in story.entities}

    def score(item: tuple[Quote, int]) -> tuple[float, int]:
        quote, repeats = item
        named = story.entity(quote.speaker) is not None
        words = len(quote.text.split())
        whole = quote.text[:1].isupper()  # a whole statement, not the tail of a split quote
        return (
            (2.0 if named else 0.5)
            + (0.5 if whole else 0.0)
            + repeats
            + 0.2 * mentions.get(quote.speaker, 0)
            + min(words, 30) / 30,
            -quote.span.start,
        )

    ranked = sorted(seen.values(), key=score, reverse=True)
    out: list[Quote] = []
    per_speaker: dict[str, int] = {}
    for quote, _ in ranked:
        if per_speaker.get(quote.speaker, 0) >= options.quotes_per_speaker:
            continue
        per_speaker[quote.speaker] = per_speaker.get(quote.speaker, 0) + 1
        out.append(quote)
        if len(out) == options.key_quotes:
            break
    return out


def key_statements(reported: Sequence[Quote], story: StoryEntities, options: EnrichOptions) -> list[Quote]:
    """Who said what in the writer's words: reported speech of speakers the story names (a described
    source such as "a senior official" is left out), ranked and limited as key quotes are."""
    named = [q for q in reported if story.entity(q.speaker) is not None]
    return key_quotes(named, story, replace(options, key_quotes=options.statements))


def whos_who(story: StoryEntities, quotes: Sequence[Quote], options: EnrichOptions) -> list[Entity]:
    """People and groups a reader should know: speakers of key quotes first, then those with roles."""
    speakers = {q.speaker for q in quotes}
    chosen = [e for e in story.entities if e.name in speakers]
    for entity in story.entities:
        if entity in chosen or entity.kind == "place":
            continue
        if entity.roles or (entity.kind != "person" and entity.aliases):
            chosen.append(entity)
    return chosen[: options.people]


def story_timeline(articles: Sequence[Article], limit: int = 12) -> list[TimelineEvent]:
    """Dated events of the story, one per date, each cited to the first sentence stating it.

    Relative dates ("on Friday", "yesterday", "last year", "next week") are resolved against each
    article's publication date and keep their precision: a sentence with a day-precise date is an
    event of that day, one with only "in March" an event of that month; a date that only bounds a
    span ("since 2014", "over the past year") dates no event. Articles without a date are
    skipped. Only sentences a roundup could use count (complete, datelines outside the span, not
    copies) and only those on the story's topic (stating a concept several articles share), so an
    aside about another event never becomes a story event. The ``limit`` most reported dates are
    kept, shown by date and, on one date, the more precise first.
    """
    candidates = build_candidates(articles)
    # "On the topic" means shared: the counted weighting keeps only concepts several reports state.
    weights = concept_weights(candidates, SHARED_CONCEPTS, independent=[a.syndicated_from is None for a in articles])
    by_date: dict[tuple[datetime, int], tuple[int, TimelineEvent]] = {}
    order = sorted(range(len(articles)), key=lambda i: articles[i].published or datetime.max.replace(tzinfo=UTC))
    for index in order:
        article = articles[index]
        if article.published is None:
            continue
        quoted = [(m.open_start, m.close_end) for m in find_quotations(article.text)]
        for cand in candidates[index]:
            if not cand.eligible or not any(b in weights for b in cand.bigrams):
                continue
            # "tomorrow" in quoted speech is not the reporter's date; "since 2014" or "over the past
            # year" bound a stretch of time, not the day of an event
            mentions = [
                m
                for m in find_dates(article.text, article.published, cand.start, cand.end)
                if not m.span and not any(a <= m.start < b for a, b in quoted)
            ]
            if not mentions:
                continue
            # The date of the event, not of its telling ("repairs begin next week, the council said
            # on Wednesday"), and a day before a coarser period.
            told = [_REPORTED.search(article.text, max(0, m.start - 40), m.start) is not None for m in mentions]
            ranked = sorted(zip(told, mentions, strict=True), key=lambda t: (t[0], t[1].precision != "day"))
            mention = ranked[0][1]
            when = datetime(mention.when.year, mention.when.month, mention.when.day, tzinfo=UTC)
            key = (when, _PRECISIONS.index(mention.precision))
            event = TimelineEvent(when, cand.text, Span(article.id, cand.start, cand.end), mention.precision)
            count, first = by_date.get(key, (0, event))
            by_date[key] = (count + 1, first)
    # Keep the dates most reported on (days before coarser periods), then show them in date order.
    busiest = sorted(by_date.items(), key=lambda item: (-item[1][0], item[0][1], item[0][0]))[:limit]
    return [event for _, (_, event) in sorted(busiest, key=lambda item: item[0])]


_PRECISIONS: tuple[DatePrecision, ...] = ("day", "week", "month", "quarter", "season", "year")
# A date right after a speech verb dates the telling, not the event.
_REPORTED = re.compile(
    r"\b(?:said|says|told(?: \w+){0,2}|announced|added|confirmed|reported|stated|wrote)\s+$", re.IGNORECASE
)


# Facts we compare across outlets: the words that name them, and whether the number only grows
# as reporting goes on (a death toll), so that a later, larger number is an update, not a dispute.
_FACTS: tuple[tuple[str, re.Pattern[str], bool], ...] = tuple(
    (name, re.compile(pattern, re.IGNORECASE), grows)
    for name, pattern, grows in (
        ("killed", r"\b(?:killed|killing|dead|died|deaths?|death toll|bodies|fatalities)\b", True),
        ("injured", r"\b(?:injured|injuring|wounded|hurt)\b", True),
        ("missing", r"\bmissing\b", True),
        ("displaced", r"\b(?:displaced|evacuated|homeless|forced from their homes|in shelters)\b", True),
        ("arrested", r"\b(?:arrested|arrests)\b", True),
        ("prisoners", r"\b(?:prisoners|detainees|hostages)\b", False),
        ("jobs", r"\b(?:jobs|layoffs|laid off|job cuts)\b", False),
        ("debt", r"\b(?:debts?|owed|owes|owing|liabilities)\b", False),
        ("cost", r"\b(?:cost|costs|price|budget)\b", False),
    )
)
_NUMBER = re.compile(
    r"(?P<money>[$€£]\s?)?(?P<num>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?:\s+(?P<scale>million|billion))?"
    r"|\b(?P<word>(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:-(?:one|two|three|four|five|"
    r"six|seven|eight|nine))?|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen)\b",
    re.IGNORECASE,
)
_NOT_A_COUNT = re.compile(
    r"^\s*(?:-year|years?|percent|%|days?|hours?|weeks?|months?|a\.m\.|p\.m\.)", re.IGNORECASE
)
_WINDOW = 48  # characters around a number in which the fact's words must appear


@dataclass(frozen=True, slots=True)
class _Claim:
    article: Article
    fact: str
    value: float
    written: str
    sentence: Span


def _value(match: re.Match[str]) -> float | None:
    """The number a match stands for ("3,400", "$1.2 billion", "Thirty-seven")."""
    if match.group("word"):
        return float(spelled_value(match.group("word")))
    number = float(match.group("num").replace(",", ""))
    scale = {"million": 1e6, "billion": 1e9}.get((match.group("scale") or "").lower(), 1.0)
    return number * scale


_UNDATED = datetime(2000, 1, 1, tzinfo=UTC)  # any fixed day: relative dates still end where they end


def _claims(article: Article) -> list[_Claim]:
    """The first number the article gives for each fact, outside quotations and dates."""
    text = article.text
    quoted = [(m.start, m.end) for m in find_quotations(text)]
    # Only where the dates are matters here, not what they resolve to: an undated article needs no clock.
    dates = [(d.start, d.end) for d in find_dates(text, article.published or _UNDATED)]
    out: dict[str, _Claim] = {}
    for sentence in split_sentences(text):
        for match in _NUMBER.finditer(text, sentence.start, sentence.end):
            if any(a <= match.start() < b for a, b in quoted + dates):
                continue
            if _NOT_A_COUNT.match(text, match.end()) or (
                match.group("num")
                and re.fullmatch(r"(?:19|20)\d\d", match.group("num"))
                and not match.group("money")
            ):
                continue
            value = _value(match)
            if value is None:
                continue
            fact = _nearest_fact(text, match.start(), match.end(), sentence.start, sentence.end)
            if fact is None or fact in out:
                continue
            money = bool(match.group("money"))
            if money != (fact in {"debt", "cost"}):
                continue
            out[fact] = _Claim(
                article, fact, value, match.group(0), Span(article.id, sentence.start, sentence.end)
            )
    return list(out.values())


def _nearest_fact(text: str, start: int, end: int, lo: int, hi: int) -> str | None:
    """The fact whose words appear closest to the number at ``[start, end)``, within the sentence."""
    best: tuple[int, str] | None = None
    window_start, window_end = max(lo, start - _WINDOW), min(hi, end + _WINDOW)
    for name, pattern, _ in _FACTS:
        for match in pattern.finditer(text, window_start, window_end):
            distance = match.start() - end if match.start() >= end else start - match.end()
            if best is None or distance < best[0]:
                best = (distance, name)
    return best[1] if best else None


def find_disagreements(
    articles: Sequence[Article], window: timedelta = timedelta(hours=72)
) -> list[Disagreement]:
    """Counts and amounts that two outlets state differently, each value with its citation.

    Compared only between different outlets whose articles appeared within ``window`` of each
    other; for numbers that only grow as reporting goes on (a death toll), a later, larger number is
    an update and is not flagged.
    """
    grows = {name: g for name, _, g in _FACTS}
    claims = [c for a in articles for c in _claims(a)]
    out: list[Disagreement] = []
    for fact in [name for name, _, _ in _FACTS]:
        group = sorted((c for c in claims if c.fact == fact), key=lambda c: _when(c.article))
        pairs = []
        for i, first in enumerate(group):
            for second in group[i + 1 :]:
                if first.article.outlet == second.article.outlet or first.value == second.value:
                    continue
                apart = _when(second.article) - _when(first.article)
                if apart > window:
                    continue
                if grows[fact] and second.value > first.value and apart > timedelta(hours=12):
                    continue
                pairs.append((first, second))
        if pairs:
            first, second = pairs[0]
            out.append(Disagreement(fact, (first.written, second.written), (first.sentence, second.sentence)))
    return out


def _when(article: Article) -> datetime:
    """Publication time for ordering; undated articles sort last."""
    return article.published or datetime.max.replace(tzinfo=UTC)
