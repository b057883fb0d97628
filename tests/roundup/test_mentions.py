"""First mentions: a person met first by surname alone is introduced by full name and title."""

from newsroundup.model import Article, Entity, Roundup, RoundupSentence, Source, Span
from newsroundup.roundup.checker import check_roundup
from newsroundup.roundup.mentions import introduce, introduce_people

TEXT = (
    "Marchetti announced an independent review of the Hollins Dam on Friday. "
    "Marchetti said the state would pay for repairs."
)
ARTICLE = Article("a", TEXT)
GOVERNOR = Entity("Elena Marchetti", "person", aliases=("Marchetti",), roles=("Governor (2026-03-10)",))


def _roundup(*texts_at: tuple[int, int]) -> Roundup:
    return Roundup(
        story="s",
        headline="h",
        sentences=tuple(RoundupSentence(TEXT[a:b], Span("a", a, b)) for a, b in texts_at),
        sources=(Source("a", None, None, None),),
        method="test",
        version="1",
        entities=(GOVERNOR,),
    )


FIRST, SECOND = (0, 71), (72, len(TEXT))


def test_the_first_bare_surname_gets_full_name_and_title_and_still_checks() -> None:
    roundup = introduce_people(_roundup(FIRST, SECOND), budget=100)
    first, second = roundup.sentences
    assert first.text == "Governor Elena Marchetti announced an independent review of the Hollins Dam on Friday."
    assert first.rewritten and first.replaced == "Marchetti" and first.replacement == "Governor Elena Marchetti"
    assert not second.rewritten, "later mentions keep the short form"
    check_roundup(roundup, [ARTICLE], budget=100)


def test_no_introduction_when_it_would_break_the_budget() -> None:
    roundup = _roundup(FIRST, SECOND)
    assert introduce_people(roundup, budget=roundup.words + 1) == roundup


def test_descriptive_roles_are_not_put_before_the_name() -> None:
    assert introduce(GOVERNOR) == "Governor Elena Marchetti"
    engineer = Entity("Ruth Ancell", "person", roles=("a hydraulic engineer at the state water authority",))
    assert introduce(engineer) == "Ruth Ancell"
    owner = Entity("Dana Whitcomb", "person", roles=("Bellweather's chief executive",))
    assert introduce(owner) == "Dana Whitcomb"


def test_a_surname_inside_a_longer_name_or_after_a_title_is_left_alone() -> None:
    text = "Gov. Marchetti announced a review."
    article = Article("b", text)
    roundup = Roundup(
        story="s",
        headline="h",
        sentences=(RoundupSentence(text, Span("b", 0, len(text))),),
        sources=(Source("b", None, None, None),),
        method="test",
        version="1",
        entities=(GOVERNOR,),
    )
    assert introduce_people(roundup, budget=100) == roundup
    check_roundup(roundup, [article])
