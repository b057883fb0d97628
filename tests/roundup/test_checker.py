"""The checker: a roundup sentence must match its span exactly, or differ only by its stated rewrite."""

import pytest

from newsroundup.errors import CheckError
from newsroundup.model import Article, Roundup, RoundupSentence, Source, Span
from newsroundup.roundup.checker import check_roundup, roundup_problems

ARTICLE = Article("a", "Governor Elena Marchetti spoke on Tuesday. She said the dam would be rebuilt.")


def _roundup(*sentences: RoundupSentence) -> Roundup:
    return Roundup(
        story="s",
        headline="h",
        sentences=sentences,
        sources=(Source("a", None, None, None),),
        method="test",
        version="1",
    )


def test_exact_span_passes() -> None:
    check_roundup(
        _roundup(RoundupSentence("Governor Elena Marchetti spoke on Tuesday.", Span("a", 0, 42))), [ARTICLE]
    )


def test_a_changed_word_fails() -> None:
    bad = _roundup(RoundupSentence("Governor Elena Marchetti spoke on Monday.", Span("a", 0, 42)))
    with pytest.raises(CheckError, match="sentence 1"):
        check_roundup(bad, [ARTICLE])


def test_declared_pronoun_replacement_passes_and_anything_more_fails() -> None:
    good = RoundupSentence(
        "Marchetti said the dam would be rebuilt.",
        Span("a", 43, 77),
        True,
        replaced="She",
        replacement="Marchetti",
    )
    check_roundup(_roundup(good), [ARTICLE])
    sneaky = RoundupSentence(
        "Marchetti said the dam would never be rebuilt.", Span("a", 43, 77), True, "She", "Marchetti"
    )
    assert roundup_problems(_roundup(sneaky), [ARTICLE])


def test_unknown_article_bad_span_missing_source_and_budget_are_reported() -> None:
    problems = roundup_problems(
        _roundup(
            RoundupSentence("x", Span("zzz", 0, 1)),
            RoundupSentence("x", Span("a", 70, 500)),
        ),
        [ARTICLE],
        budget=1,
    )
    text = "; ".join(problems)
    assert "unknown article 'zzz'" in text
    assert "outside" in text
    assert "missing from sources" in text
    assert "over the budget" in text
