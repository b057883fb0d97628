"""Enforce the provenance invariant: every roundup sentence and quote matches the span it cites."""

from __future__ import annotations

from collections.abc import Iterable

from newsroundup.errors import CheckError
from newsroundup.model import Article, Roundup, RoundupSentence


def roundup_problems(roundup: Roundup, articles: Iterable[Article], budget: int | None = None) -> list[str]:
    """Every way ``roundup`` breaks the invariant (empty when it holds)."""
    by_id = {a.id: a for a in articles}
    problems = []
    for number, sentence in enumerate(roundup.sentences, start=1):
        problem = _sentence_problem(sentence, by_id)
        if problem:
            problems.append(f"sentence {number}: {problem}")
    for number, quote in enumerate(roundup.quotes, start=1):
        article = by_id.get(quote.span.article)
        if article is None:
            problems.append(f"quote {number}: cites unknown article {quote.span.article!r}")
        elif quote.span.text_in(article) != quote.text:
            problems.append(f"quote {number}: not verbatim in {article.id!r}")
    cited = {s.source.article for s in roundup.sentences}
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


def _sentence_problem(sentence: RoundupSentence, by_id: dict[str, Article]) -> str:
    """What is wrong with one sentence's citation, or "" when nothing is."""
    span = sentence.source
    article = by_id.get(span.article)
    if article is None:
        return f"cites unknown article {span.article!r}"
    if not 0 <= span.start < span.end <= len(article.text):
        return f"span {span.start}-{span.end} is outside {span.article!r}"
    source = span.text_in(article)
    if not sentence.rewritten:
        if sentence.text == source:
            return ""
        return f"text differs from {span.article!r}[{span.start}:{span.end}]"
    if not sentence.replaced or sentence.replacement is None:
        return "marked rewritten but does not say what was replaced"
    at = source.find(sentence.replaced)
    while at != -1:
        expected = source[:at] + sentence.replacement + source[at + len(sentence.replaced) :]
        if expected == sentence.text:
            return ""
        at = source.find(sentence.replaced, at + 1)
    return f"differs from its span by more than replacing {sentence.replaced!r}"
