"""The checker: a roundup sentence must match its span exactly, or differ only by its stated rewrite."""

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from newsroundup.errors import CheckError
from newsroundup.model import Article, Entity, Roundup, RoundupSentence, Source, Span, TimelineEvent
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


def test_a_named_opening_must_name_someone_the_article_names_before_it() -> None:
    def named(replacement: str) -> list[str]:
        sentence = RoundupSentence(
            replacement + " said the dam would be rebuilt.", Span("a", 43, 77), True, "She", replacement
        )
        return roundup_problems(_roundup(sentence), [ARTICLE])

    assert not named("Governor Elena Marchetti")
    assert not named("Elena Marchetti")
    assert named("Tom Brandt"), "a name the article never gives"
    assert named("Prime Minister Elena Marchetti"), "a title the article never states"
    assert named("Elena Marchetti, the state treasurer,"), "a role the article never states"


def test_a_name_given_only_after_the_sentence_is_refused() -> None:
    article = Article("b", "She said the dam would be rebuilt. Governor Elena Marchetti spoke on Tuesday.")
    sentence = RoundupSentence(
        "Elena Marchetti said the dam would be rebuilt.", Span("b", 0, 34), True, "She", "Elena Marchetti"
    )
    roundup = Roundup("s", "h", (sentence,), (Source("b", None, None, None),), "test", "1")
    assert "does not give before the sentence" in "; ".join(roundup_problems(roundup, [article]))


def test_pronouns_inside_quotes_or_past_the_opening_are_not_named() -> None:
    text = 'Governor Elena Marchetti spoke on Tuesday. "It is sound. She will hold," she said of the dam.'
    article = Article("q", text)
    start = text.index("She will")
    inside = RoundupSentence(
        'Elena Marchetti will hold," she said of the dam.', Span("q", start, len(text)), True, "She", "Elena Marchetti"
    )
    problems = roundup_problems(Roundup("s", "h", (inside,), (Source("q", None, None, None),), "test", "1"), [article])
    assert "inside quoted speech" in "; ".join(problems)
    later = RoundupSentence(
        "Marchetti spoke on Tuesday.", Span("a", 0, 42), True, "Governor Elena Marchetti", "Marchetti"
    )
    assert roundup_problems(_roundup(later), [ARTICLE]), "only a person's introduction may replace a name"


def test_an_introduction_must_be_how_the_roundup_names_that_person() -> None:
    governor = Entity("Elena Marchetti", "person", ("Marchetti",), ("Governor (2026-03-10)",))
    article = Article("m", "Marchetti announced a review of the dam.")
    roundup = Roundup(
        "s",
        "h",
        (
            RoundupSentence(
                "Governor Elena Marchetti announced a review of the dam.",
                Span("m", 0, 40),
                True,
                "Marchetti",
                "Governor Elena Marchetti",
            ),
        ),
        (Source("m", None, None, None),),
        "test",
        "1",
        entities=(governor,),
    )
    check_roundup(roundup, [article])
    forged = replace(
        roundup,
        sentences=(
            replace(
                roundup.sentences[0],
                text="President Elena Marchetti announced a review of the dam.",
                replacement="President Elena Marchetti",
            ),
        ),
    )
    assert "not how the roundup's people are named" in "; ".join(roundup_problems(forged, [article]))


def test_an_opening_role_may_be_named_too() -> None:
    article = Article("r", "Governor Elena Marchetti spoke on Tuesday. The governor said the dam would be rebuilt.")
    sentence = RoundupSentence(
        "Elena Marchetti said the dam would be rebuilt.", Span("r", 43, 86), True, "The governor", "Elena Marchetti"
    )
    roundup = Roundup("s", "h", (sentence,), (Source("r", None, None, None),), "test", "1")
    check_roundup(roundup, [article])
    assert roundup_problems(replace(roundup, sentences=(replace(sentence, replaced="The gov"),)), [article])


def test_corroboration_must_cite_real_spans_of_other_outlets_originals() -> None:
    from newsroundup.model import Corroboration, Exclusive

    own = Article("a", ARTICLE.text, outlet="Herald")
    other = Article("b", "Marchetti spoke on Tuesday about the dam.", outlet="Courier")
    copy = Article("c", other.text, outlet="Wire", syndicated_from="b")
    same_outlet = Article("d", other.text, outlet="herald")
    sentence = RoundupSentence("Governor Elena Marchetti spoke on Tuesday.", Span("a", 0, 42))
    good = replace(sentence, corroboration=(Corroboration("b", 0, 41, "Courier"),))
    articles = [own, other, copy, same_outlet]
    check_roundup(_roundup(good), articles)
    for bad, problem in (
        (Corroboration("c", 0, 41, "Wire"), "a copy"),
        (Corroboration("d", 0, 41, "herald"), "own outlet"),
        (Corroboration("b", 0, 400, "Courier"), "outside"),
        (Corroboration("b", 0, 41, "Gazette"), "names outlet"),
        (Corroboration("zzz", 0, 1, None), "unknown article"),
    ):
        problems = roundup_problems(_roundup(replace(sentence, corroboration=(bad,))), articles)
        assert len(problems) == 1 and problem in problems[0], problems
    twice = replace(sentence, corroboration=(Corroboration("b", 0, 9, "Courier"), Corroboration("b", 0, 41, "Courier")))
    assert "twice" in roundup_problems(_roundup(twice), articles)[0]
    wrong = replace(_roundup(sentence), exclusives=(Exclusive("Marchetti spoke.", Span("b", 0, 41), "Courier"),))
    assert roundup_problems(wrong, articles) == ["exclusive 1: not verbatim in 'b'"]


def _with_timeline(*events: TimelineEvent) -> Roundup:
    return replace(_roundup(), timeline=events)


DATED = Article(
    "d",
    "The plan was agreed on Tuesday. Ministers will meet over the next year. Strikes have gone on since 2014.",
    published=datetime(2016, 1, 21, 9, tzinfo=UTC),
)


def test_a_timeline_event_dated_as_its_span_says_passes() -> None:
    event = TimelineEvent(datetime(2016, 1, 19, tzinfo=UTC), "The plan was agreed on Tuesday.", Span("d", 0, 31))
    assert roundup_problems(_with_timeline(event), [DATED]) == []


def test_a_timeline_event_with_another_date_or_precision_fails() -> None:
    text, span = "The plan was agreed on Tuesday.", Span("d", 0, 31)
    wrong_day = TimelineEvent(datetime(2016, 1, 12, tzinfo=UTC), text, span)
    wrong_precision = TimelineEvent(datetime(2016, 1, 19, tzinfo=UTC), text, span, "week")
    problems = roundup_problems(_with_timeline(wrong_day, wrong_precision), [DATED])
    assert len(problems) == 2
    assert problems[0].startswith("timeline event 1: dated 2016-01-12, but its span states 'on Tuesday'")


def test_a_timeline_event_dated_by_a_span_of_time_or_not_verbatim_fails() -> None:
    ahead = TimelineEvent(
        datetime(2017, 1, 1, tzinfo=UTC), "Ministers will meet over the next year.", Span("d", 32, 71), "year"
    )
    since = TimelineEvent(
        datetime(2014, 1, 1, tzinfo=UTC), "Strikes have gone on since 2014.", Span("d", 72, 104), "year"
    )
    edited = TimelineEvent(datetime(2016, 1, 19, tzinfo=UTC), "The plan was signed on Tuesday.", Span("d", 0, 31))
    problems = roundup_problems(_with_timeline(ahead, since, edited), [DATED])
    assert [p.split(":")[0] for p in problems] == ["timeline event 1", "timeline event 2", "timeline event 3"]
    assert "not verbatim" in problems[2]


def test_a_timeline_event_of_an_undated_article_fails() -> None:
    text = "Governor Elena Marchetti spoke on Tuesday."
    event = TimelineEvent(datetime(2016, 1, 19, tzinfo=UTC), text, Span("a", 0, 42))
    assert "no publication date" in roundup_problems(_with_timeline(event), [ARTICLE])[0]


LEDE = Article("L", "Mara Lindqvist, the harbour's chief engineer, was dismissed on Thursday after the pier fell.")


WHOLE_LEDE = Span("L", 0, 92)


def _headlined(headline: str, cuts: tuple[Span, ...] = (), source: Span | None = WHOLE_LEDE) -> Roundup:
    sources = (Source("L", None, None, None), Source("a", None, None, None))
    return replace(_roundup(), headline=headline, headline_source=source, headline_cuts=cuts, sources=sources)


def test_a_headline_taken_from_a_sentence_is_that_sentence_but_for_its_declared_cuts() -> None:
    appositive, trailing = Span("L", 14, 45), Span("L", 72, 91)
    assert LEDE.text[14:45] == ", the harbour's chief engineer," and LEDE.text[72:91] == "after the pier fell"
    for good in (
        _headlined(LEDE.text[:-1]),
        _headlined("Mara Lindqvist was dismissed on Thursday after the pier fell", (appositive,)),
        _headlined("Mara Lindqvist was dismissed on Thursday", (appositive, trailing)),
        _headlined("a title, checked by no sentence", source=None),
    ):
        assert roundup_problems(good, [LEDE]) == [], good.headline
    bad = {
        "not the sentence": _headlined("Mara Lindqvist was sacked on Thursday", (appositive, trailing)),
        "an undeclared cut": _headlined("Mara Lindqvist was dismissed on Thursday", (appositive,)),
        "a cut splitting a word": _headlined("Mara Lindqvist was dismissed on Thur", (appositive, Span("L", 67, 91))),
        "cuts out of order": _headlined("Mara Lindqvist was dismissed on Thursday", (trailing, appositive)),
        "a cut of another article": _headlined(
            "Mara Lindqvist was dismissed on Thursday", (appositive, Span("a", 72, 91))
        ),
        "cuts without a sentence": _headlined("Mara Lindqvist", (appositive,), source=None),
    }
    unlisted = replace(_headlined(LEDE.text[:-1]), sources=(Source("a", None, None, None),))
    assert roundup_problems(unlisted, [LEDE]) == ["cited articles missing from sources: L"]
    for why, roundup in bad.items():
        problems = roundup_problems(roundup, [LEDE, ARTICLE])
        assert problems and problems[0].startswith("headline: "), why


def test_a_headline_keeps_the_period_of_an_abbreviation_it_ends_with() -> None:
    article = Article("U", "Bitter cold gripped much of the U.S. The wind chill fell below zero.")
    kept = replace(
        _roundup(),
        headline="Bitter cold gripped much of the U.S.",
        headline_source=Span("U", 0, 36),
        sources=(Source("U", None, None, None),),
    )
    assert roundup_problems(kept, [article]) == []
    assert roundup_problems(replace(kept, headline="Bitter cold gripped much of the U.S"), [article])
    stop = replace(kept, headline="The wind chill fell below zero", headline_source=Span("U", 37, 68))
    assert roundup_problems(stop, [article]) == []
