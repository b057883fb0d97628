"""How a roundup names people: first mentions by full name and title, pronoun openings by name."""

from dataclasses import replace

import pytest

from newsroundup.annotate.openings import OpeningReference
from newsroundup.errors import CheckError
from newsroundup.model import Article, Entity, Roundup, RoundupSentence, Source, Span
from newsroundup.roundup.candidates import Candidate, build_candidates
from newsroundup.roundup.checker import check_roundup
from newsroundup.roundup.enrich import EnrichOptions
from newsroundup.roundup.mentions import first_naming, introduce, introduce_people, name_openings
from newsroundup.roundup.summarize import RoundupOptions, summarize
from newsroundup.roundup.write import write_roundup

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


# Pronoun openings: "She said ..." chosen without the sentence naming her gets her name.

MINISTRY = Article(
    "a",
    "Harbour Minister Ilse Brandvold visited the port of Tessel on Monday, touring the old grain sheds, the fish "
    "market and the yacht basin with local officials and a group of schoolchildren. "
    "She said the Tessel quay would close to cargo ships on June 1.",
    outlet="Tessel Herald",
)
WIRE = Article(
    "b",
    "The Tessel quay will close to cargo ships on June 1, the harbour ministry said on Monday, after engineers who "
    "examined the quay wall last month found deep cracks that they said could widen in winter storms.",
    outlet="Coast Wire",
)
SHIPPERS = Article(
    "c",
    "Shipping firms that use the Tessel quay said they had not been warned that it would close to cargo ships on "
    "June 1 and that moving their freight to other ports would cost them millions.",
    outlet="Freight Daily",
)
STORY = [MINISTRY, WIRE, SHIPPERS]
SHE_SAID = "She said the Tessel quay would close to cargo ships on June 1."


def test_a_pronoun_opening_chosen_alone_is_named_with_full_name_and_role() -> None:
    plain = summarize(STORY, RoundupOptions(words=20))
    assert all(not s.text.startswith("She") for s in plain.sentences), "without enrichment only with its predecessor"
    roundup = write_roundup(STORY, RoundupOptions(words=20, enrich=EnrichOptions()))
    (sentence,) = roundup.sentences
    assert sentence.text == "Harbour Minister Ilse Brandvold said the Tessel quay would close to cargo ships on June 1."
    assert sentence.rewritten and sentence.replaced == "She"
    assert sentence.source.text_in(MINISTRY) == SHE_SAID
    check_roundup(roundup, STORY, budget=20)


def test_a_pronoun_opening_right_after_its_source_predecessor_is_kept() -> None:
    roundup = write_roundup(STORY, RoundupOptions(words=50, enrich=EnrichOptions()))
    texts = [s.text for s in roundup.sentences]
    assert SHE_SAID in texts
    assert texts[texts.index(SHE_SAID) - 1].startswith("Harbour Minister Ilse Brandvold visited")
    assert not any(s.rewritten for s in roundup.sentences)
    check_roundup(roundup, STORY, budget=50)


BOARD = Article(
    "d",
    "Health board chair Miriam Castellane said the Ostby clinic would close in August. "
    "The board has advertised for a doctor eleven times since 2023. "
    "She said locum doctors had cost the board 1.4 million last year.",
)
_CHAIR = OpeningReference(
    start=BOARD.text.index("She said"),
    end=BOARD.text.index("She said") + 3,
    pronoun="She",
    name="Miriam Castellane",
    kind="person",
    roles=("Health board chair",),
    named_at=BOARD.text.index("Miriam"),
)
OPENINGS = {"d": {_CHAIR.start: _CHAIR}}


def _ordered(*positions: int) -> list[Candidate]:
    (sentences,) = build_candidates([BOARD], named_openings=OPENINGS)
    return [sentences[p] for p in positions]


def test_the_reader_who_met_the_person_gets_the_surname() -> None:
    first, named = name_openings(_ordered(0, 2), [BOARD], OPENINGS)
    assert not first.rewritten
    assert named.text == "Castellane said locum doctors had cost the board 1.4 million last year."
    assert named.replacement == "Castellane"


def test_a_first_mention_gets_the_title_and_an_unrelated_sentence_before_does_not_help() -> None:
    (named,) = name_openings(_ordered(2), [BOARD], OPENINGS)
    assert named.text.startswith("Health board chair Miriam Castellane said locum doctors")
    _, again = name_openings(_ordered(1, 2), [BOARD], OPENINGS)
    assert again.rewritten, "the sentence before is its predecessor but does not name her"


def test_a_descriptive_role_goes_in_apposition_unless_a_comma_follows() -> None:
    engineer = replace(_CHAIR, name="Ruth Ancell", roles=("a hydraulic engineer",))
    assert first_naming(engineer, " said the wall was sound.") == "Ruth Ancell, a hydraulic engineer,"
    assert first_naming(engineer, ", however, said the wall was sound.") == "Ruth Ancell"
    group = replace(_CHAIR, name="The Greens", kind="organization", roles=())
    assert first_naming(group) == "The Greens"


def _story(text: str, *bounds: tuple[int, int], people: tuple[Entity, ...] = (GOVERNOR,)) -> Roundup:
    return Roundup(
        story="s",
        headline="h",
        sentences=tuple(RoundupSentence(text[a:b], Span("m", a, b)) for a, b in bounds),
        sources=(Source("m", None, None, None),),
        method="test",
        version="1",
        entities=people,
    )


LATER = (
    "Governor Elena Marchetti announced a review of the Hollins Dam. "
    "Engineers inspected the spillway on Friday. "
    "Governor Elena Marchetti said the state would pay for repairs."
)


def test_a_later_full_mention_becomes_the_surname() -> None:
    article = Article("m", LATER)
    roundup = introduce_people(_story(LATER, (0, 63), (64, 107), (108, len(LATER))), budget=100)
    first, _, later = roundup.sentences
    assert not first.rewritten
    assert later.text == "Marchetti said the state would pay for repairs."
    check_roundup(roundup, [article], budget=100)
    other = Entity("Tom Marchetti", "person", ("Marchetti",))
    two = introduce_people(_story(LATER, (0, 63), (108, len(LATER)), people=(GOVERNOR, other)), budget=100)
    assert not any(s.rewritten for s in two.sentences), "two Marchettis: the surname would not say which"


def test_names_inside_quoted_speech_are_never_rewritten() -> None:
    text = '"Marchetti knew about the cracks," said Tom Brandt, the Senate minority leader.'
    article = Article("m", text)
    roundup = _story(text, (0, len(text)))
    assert introduce_people(roundup, budget=100) == roundup
    forged = replace(
        roundup,
        sentences=(
            replace(
                roundup.sentences[0],
                text=text.replace("Marchetti", "Governor Elena Marchetti"),
                rewritten=True,
                replaced="Marchetti",
                replacement="Governor Elena Marchetti",
            ),
        ),
    )
    with pytest.raises(CheckError, match="outside quoted speech"):
        check_roundup(forged, [article])


def test_a_surname_inside_a_company_name_is_not_the_person() -> None:
    founder = Entity("Erik Halvorsen", "person", ("Halvorsen",))
    text = (
        "Halvorsen Freight filed for bankruptcy on Monday. "
        "The company's founder, Erik Halvorsen, joined the crowd briefly."
    )
    roundup = _story(text, (0, 49), (50, len(text)), people=(founder,))
    assert introduce_people(roundup, budget=100) == roundup


def test_no_title_before_a_name_whose_role_follows_in_apposition() -> None:
    text = "Marchetti, the governor of the state, announced a review of the dam."
    roundup = introduce_people(_story(text, (0, len(text))), budget=100)
    assert roundup.sentences[0].text == "Elena Marchetti, the governor of the state, announced a review of the dam."
    check_roundup(roundup, [Article("m", text)], budget=100)
