"""Enforce the provenance invariant: every roundup sentence, quote and timeline event matches the span it cites."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from newsroundup.annotate.quotemarks import find_quotations
from newsroundup.annotate.references import short_mention
from newsroundup.errors import CheckError
from newsroundup.model import Article, Entity, Roundup, RoundupSentence, Span, TimelineEvent
from newsroundup.roundup.headline_cut import Cut, cut_text
from newsroundup.roundup.mentions import introduce, quoted
from newsroundup.text.dates import find_dates

_OPENING_PRONOUNS = frozenset({"He", "She", "They", "It"})
_OPENING_ROLE = re.compile(r"The(?: [a-z]+){1,3}")  # "The minister", "The interior minister"


def roundup_problems(roundup: Roundup, articles: Iterable[Article], budget: int | None = None) -> list[str]:
    """Every way ``roundup`` breaks the invariant (empty when it holds)."""
    by_id = {a.id: a for a in articles}
    problems = []
    if problem := _headline_problem(roundup, by_id):
        problems.append(f"headline: {problem}")
    for number, sentence in enumerate(roundup.sentences, start=1):
        problem = _sentence_problem(sentence, by_id, roundup.entities)
        if problem:
            problems.append(f"sentence {number}: {problem}")
        problems.extend(f"sentence {number}: {p}" for p in _corroboration_problems(sentence, by_id))
    for number, exclusive in enumerate(roundup.exclusives, start=1):
        if problem := _verbatim_problem(exclusive.source, exclusive.text, by_id):
            problems.append(f"exclusive {number}: {problem}")
    for number, sentence in enumerate(roundup.whats_new, start=1):
        problem = _sentence_problem(sentence, by_id, roundup.entities)
        if problem:
            problems.append(f"what's new, sentence {number}: {problem}")
    for number, quote in enumerate(roundup.quotes, start=1):
        if problem := _verbatim_problem(quote.span, quote.text, by_id):
            problems.append(f"quote {number}: {problem}")
    for number, statement in enumerate(roundup.statements, start=1):
        if problem := _verbatim_problem(statement.span, statement.text, by_id):
            problems.append(f"statement {number}: {problem}")
    for number, event in enumerate(roundup.timeline, start=1):
        if problem := _verbatim_problem(event.source, event.text, by_id) or _date_problem(event, by_id):
            problems.append(f"timeline event {number}: {problem}")
    cited = {s.source.article for s in roundup.sentences + roundup.whats_new}
    if roundup.headline_source is not None:
        cited.add(roundup.headline_source.article)
    listed = {s.article for s in roundup.sources}
    missing = sorted(cited - listed)
    if missing:
        problems.append(f"cited articles missing from sources: {', '.join(missing)}")
    if budget is not None and roundup.words > budget:
        problems.append(f"{roundup.words} words, over the budget of {budget}")
    return problems


def check_roundup(roundup: Roundup, articles: Iterable[Article], budget: int | None = None) -> None:
    """Raise ``CheckError`` naming every sentence or quote that does not match its cited span."""
    problems = roundup_problems(roundup, articles, budget)
    if problems:
        raise CheckError(f"roundup {roundup.story!r} fails its check: " + "; ".join(problems))


def _verbatim_problem(span: Span, text: str, by_id: dict[str, Article]) -> str:
    """What is wrong with a passage given word for word (an exclusive, a key quote), or "" when nothing is."""
    article = by_id.get(span.article)
    if article is None:
        return f"cites unknown article {span.article!r}"
    if span.text_in(article) != text:
        return f"not verbatim in {article.id!r}"
    return ""


def _headline_problem(roundup: Roundup, by_id: dict[str, Article]) -> str:
    """What is wrong with a headline taken from a sentence, or "" when nothing is (or it is a title).

    It must be its sentence word for word but for the declared cuts, each inside the sentence, after the one
    before it, and whole words (``headline_cut.cut_text`` says how the rest is joined).
    """
    source = roundup.headline_source
    if source is None:
        return "clauses declared cut from no sentence" if roundup.headline_cuts else ""
    article, problem = _located(source, by_id)
    if article is None:
        return problem
    text = source.text_in(article)
    cuts: list[Cut] = []
    after = 0
    for cut in roundup.headline_cuts:
        start, end = cut.start - source.start, cut.end - source.start
        if cut.article != source.article or not after <= start < end <= len(text):
            return f"cut {cut.start}-{cut.end} is not inside its sentence after the cut before it"
        if not (_word_edge(text, start) and _word_edge(text, end)):
            return f"cut {cut.start}-{cut.end} splits a word"
        cuts.append((start, end))
        after = end
    if roundup.headline != cut_text(text, cuts):
        what = "without its declared cuts" if cuts else ""
        return f"differs from {source.article!r}[{source.start}:{source.end}] {what}".rstrip()
    return ""


def _located(span: Span, by_id: dict[str, Article]) -> tuple[Article | None, str]:
    """The article ``span`` cites when the span lies inside it; else None and what is wrong."""
    article = by_id.get(span.article)
    if article is None:
        return None, f"cites unknown article {span.article!r}"
    if not 0 <= span.start < span.end <= len(article.text):
        return None, f"span {span.start}-{span.end} is outside {span.article!r}"
    return article, ""


def _word_edge(text: str, at: int) -> bool:
    """Whether ``at`` is an edge of ``text``'s words (its ends, or beside a space or punctuation)."""
    if at in (0, len(text)):
        return True
    return not (text[at - 1].isalnum() and text[at].isalnum())


def _date_problem(event: TimelineEvent, by_id: dict[str, Article]) -> str:
    """What is wrong with a timeline event's date, or "" when its span states it.

    The span must hold a date expression that, resolved against its article's publication date
    (``text.dates.find_dates``), is the event's date at the event's precision, and that is not only
    the edge or stretch of a span ("since 2014", "over the next year").
    """
    article = by_id[event.source.article]
    if article.published is None:
        return f"dated {event.label}, but {article.id!r} has no publication date to resolve its dates against"
    found = find_dates(article.text, article.published, event.source.start, event.source.end)
    if any(m.precision == event.precision and m.when == event.when.date() and not m.span for m in found):
        return ""
    stated = ", ".join(f"{m.text!r}" for m in found if not m.span) or "no date"
    return f"dated {event.label}, but its span states {stated}"


def _sentence_problem(sentence: RoundupSentence, by_id: dict[str, Article], entities: Sequence[Entity]) -> str:
    """What is wrong with one sentence's citation, or "" when nothing is.

    A rewritten sentence may differ from its span only by one of two rewrites: a pronoun or a role
    ("The minister") opening the sentence (outside quoted speech) replaced by a name the same
    article gives before the span,
    with or without a role it states; or a name or alias of a person in ``entities`` replaced by
    how that person is introduced (``mentions.introduce``), or a later full mention by the surname.
    """
    span = sentence.source
    article, problem = _located(span, by_id)
    if article is None:
        return problem
    source = span.text_in(article)
    if not sentence.rewritten:
        if sentence.text == source:
            return ""
        return f"text differs from {span.article!r}[{span.start}:{span.end}]"
    replaced, replacement = sentence.replaced, sentence.replacement
    if not replaced or not replacement:
        return "marked rewritten but does not say what was replaced"
    if replaced in _OPENING_PRONOUNS or _OPENING_ROLE.fullmatch(replaced):
        return _opening_problem(sentence.text, source, replaced, replacement, article, span.start)
    if not any(
        source[:at] + replacement + source[at + len(replaced) :] == sentence.text and not quoted(source, at)
        for at in (m.start() for m in re.finditer(re.escape(replaced), source))
    ):
        return f"differs from its span by more than replacing {replaced!r} outside quoted speech"
    if not any(_renames(e, replaced, replacement) for e in entities):
        return f"replaces {replaced!r} by {replacement!r}, which is not how the roundup's people are named"
    return ""


def _corroboration_problems(sentence: RoundupSentence, by_id: dict[str, Article]) -> list[str]:
    """What is wrong with a sentence's corroborating reports: each a real span of another outlet's original."""
    cited = by_id.get(sentence.source.article)
    own = {cited.id, cited.syndicated_from} if cited else set()
    own_outlet = cited.outlet.casefold() if cited and cited.outlet else None
    problems = []
    seen: set[str] = set()
    for c in sentence.corroboration:
        article = by_id.get(c.article)
        if article is None:
            problems.append(f"corroboration cites unknown article {c.article!r}")
        elif not 0 <= c.start < c.end <= len(article.text):
            problems.append(f"corroboration span {c.start}-{c.end} is outside {c.article!r}")
        elif article.syndicated_from is not None:
            problems.append(f"corroboration cites {c.article!r}, a copy of another article")
        elif article.id in own or (own_outlet is not None and (article.outlet or "").casefold() == own_outlet):
            problems.append(f"corroboration cites {c.article!r}, the sentence's own outlet")
        elif c.outlet != article.outlet:
            problems.append(f"corroboration names outlet {c.outlet!r}, but {c.article!r} is from {article.outlet!r}")
        else:
            key = article.outlet.casefold() if article.outlet else f"\0{article.id}"
            if key in seen:
                problems.append(f"corroboration counts outlet {article.outlet or article.id!r} twice")
            seen.add(key)
    return problems


def _renames(entity: Entity, replaced: str, replacement: str) -> bool:
    """True when ``replaced`` → ``replacement`` introduces ``entity`` in full or shortens a later mention."""
    full = (entity.name, introduce(entity))
    introduced = replaced in (entity.name, *entity.aliases) and replacement in full
    shortened = replaced in full and replacement == short_mention(entity)
    return introduced or shortened


def _opening_problem(text: str, source: str, pronoun: str, name: str, article: Article, start: int) -> str:
    """What is wrong with naming the pronoun that opens ``source``, or "" when nothing is."""
    if not re.match(rf"{re.escape(pronoun)}\b", source) or text != name + source[len(pronoun) :]:
        return f"differs from its span by more than naming its opening {pronoun!r}"
    if any(m.open_start <= start < m.close_end for m in find_quotations(article.text)):
        return f"names a {pronoun!r} inside quoted speech"
    if not _named_before(name, article.text, start):
        return f"names {pronoun!r} as {name!r}, which {article.id!r} does not give before the sentence"
    return ""


def _named_before(naming: str, text: str, before: int) -> bool:
    """True when ``naming`` is a name the article gives before ``before``, with roles it states.

    ``naming`` is "Name", "Title Name" or "Name, role,": the name (possibly after "The") must occur
    before the sentence; a title or role must occur somewhere in the article.
    """
    name, _, role = naming.rstrip(",").partition(", ")
    if role and role.lower() not in text.lower():
        return False
    earlier = text[:before]
    words = name.split()
    for cut in range(len(words)):
        title, named = " ".join(words[:cut]), " ".join(words[cut:])
        if cut == 0 and named.startswith("The "):
            named = named[4:]
        found = re.search(rf"(?<![\w-]){re.escape(named)}\b", earlier)
        if found and named[:1].isupper() and (not title or title.lower() in text.lower()):
            return True
    return False
