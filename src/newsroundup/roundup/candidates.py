"""Cut articles into candidate sentences with their spans, lexical features and coherence flags."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, replace
from typing import Literal

from newsroundup.annotate.quotemarks import find_quotations
from newsroundup.model import Article
from newsroundup.text.clean import ARCHIVE_NOTICE, content_start
from newsroundup.text.discourse import opens_dangling
from newsroundup.text.furniture import looks_like_furniture
from newsroundup.text.sentences import split_sentences
from newsroundup.text.tokens import content_bigrams, stem, words

_TERMINAL = re.compile(r"""[.!]["'”’)\]]*$|[.!]''$""")
# Ending on an ellipsis: a teaser cut off mid-sentence ("The researchers also are investigating whether...").
# (One ending on "…" already fails ``_TERMINAL``.)
_CUT_OFF = re.compile(r"""\.\.\.["'”’)\]]*$""")
# A photo caption's opening: "In this May 24, 2016, file photo, …", "In this Saturday, July 1, 2017, photo, …", "In this
# image released by …" — a date (words, numbers, commas) or "file" between "In this" and the picture, never other words
# ("In this case, the video showed" is reporting).
_CAPTION_OPENING = re.compile(
    r"^\W*In this\s+(?:(?:[A-Z][a-z]+\.?|\d{1,4}(?:st|nd|rd|th)?|file|undated|handout|aerial|photo),?\s+){0,6}"
    r"(?:photo|photograph|image|picture|video|frame grab)s?\b"
)
# A photo caption's date: the weekday with the full date and year ("… speaks to supporters at a rally Thursday, Oct. 3,
# 2013, in Haltom City, Texas."). Wire style writes "on Thursday" or "Oct. 3" in a story and the whole form only under
# a picture.
_CAPTION_DATE = re.compile(
    r"\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday),? (?:Jan|Feb|March|April|May|June|July|Aug|Sept?|"
    r"Oct|Nov|Dec)[a-z]*\.? \d{1,2}(?:st|nd|rd|th)?,? (?:19|20)\d\d\b"
)
# Where a person stands in a photo ("Sen. Bill Nelson, left, and Gov. Rick Scott"; "Rapinoe, front, fends off"):
# a caption, not reporting.
_CAPTION_POSITION = re.compile(
    r",\s+(?:(?:second |third )?(?:from )?(?:left|right)|cent(?:er|re)|front|rear|top|bottom|foreground|background)\s*,"
)
_PRONOUN_ATTRIBUTION = re.compile(
    r"""\b(?:he|she|they)\s+(?:said|says|added|told|asked|continued|explained|noted|declared|insisted|
    argued|warned|stressed|wrote|recalled|acknowledged|conceded|replied|answered|admitted)\b""",
    re.IGNORECASE | re.VERBOSE,
)
_FIRST_WORD = re.compile(r"^\w+")
# First-person words ("I say", "I'm", "we", "our"); an "I" after a capitalised word inside a sentence
# is a numeral or part of a name ("World War I", "Elizabeth I") and is checked apart.
_FIRST_PERSON = re.compile(
    r"\bI(?=\s+[a-z]|['’](?:m|ve|d|ll)\b)|\b(?:me|my|My|mine|myself|we|We|our|Our|ours|us|ourselves|[Ll]et['’]s)\b"
)
_WORD_BEFORE = re.compile(r"([A-Za-z]+)[^\w]*$")
# Words that speak to someone ("you can", "your account"), and a sentence opening with a verb that tells the reader
# what to do ("Please check", "Click below", "Follow us", "Watch the clip above"): outside quotes and with nobody
# said to speak, the page speaks to its reader — a notice, an instruction, a pitch, a column's aside — not a report.
_SECOND_PERSON = re.compile(r"\b(?:[Yy]ou|[Yy]our|[Yy]ours|[Yy]ourself|[Yy]ourselves)\b")
_TO_DO = (
    "Please|Click|Tap|Scroll|Swipe|Subscribe|Follow|Share|Download|Visit|Watch|Look|See|Read|Learn|Check|Sign|Join|"
    "Register|Log|Send|Email|E-mail|Call|Contact|Donate|Shop|Imagine"
)
# ... also after a lead-in that says what for: "For more about chronic pain, visit …", "To learn more, click here."
_IMPERATIVE = re.compile(
    rf"^\W*(?:(?:For (?:more|further)|To (?:learn|find out|read|see|get|sign up|subscribe|donate))\b[^,]{{0,80}},\s*"
    rf"(?i:{_TO_DO})|(?:{_TO_DO}))\b(?![-'’])"
)
# Who says it, in the sentence itself: a speech verb outside the quotes ("..., Carter said"), or a
# transcript's speaker label opening it ("CARTER: I say ...").
_SPEECH = re.compile(
    r"(?<!\bI )(?<!\bwe )(?<!\bWe )(?<!\bam )(?<!\bwas )(?<!\bwere )(?<!\bbe )(?<!\bbeen )"  # not "I said", "was told"
    r"\b(?:said|says|told|tells|added|adds|asked|wrote|writes|reads|according to|declared|insisted|explained|"
    r"noted|warned|stressed|recalled|acknowledged|replied|answered|admitted|argued|continued|tweeted|posted)\b"
)
_SPEAKER_LABEL = re.compile(r"^[A-Z][A-Za-z.'’ -]{1,40}:\s")
_QUOTED = re.compile(r"``.*?''|“.*?”|\".*?\"", re.DOTALL)
_FURNITURE_WORDS = re.compile(
    r"\b(?:click here|advertisement|subscribe|sign up|cookies?|newsletter|all rights reserved)\b|https?://|"
    r"\b(?:download|get)\s+(?:the|our)\s+(?:[\w’'-]+\s+){0,4}app\b|\bbreaking news (?:emails|alerts)\b|"  # pitches
    r"\bwww\.|@\w|\bfile photo\b|^FILE\s*[-–—]|\bJUST WATCHED\b|\bReplay More Videos\b|"
    r"^(?:Updated?|Correction|Editor's note|Note|Audio|Video|Image|Photo|Credits?)\s*:|"
    r"\(\s*(?:AP|AFP|Reuters|EPA)\s+Photos?\b|\bEnlarge (?:Image|Photo)\b",  # a caption's credit, a gallery's button
    re.IGNORECASE,
)
# A list of labelled fields ("MPAA Rating: R. Running time: 91 MIN."): a box of facts about the page, not prose.
_FIELD = re.compile(r"(?:^|[.;,]\s+)[A-Z][A-Za-z]*(?: [A-Za-z]+){0,2}:\s")
_FIELDS = 2
# A sentence mostly in capitals is a headline or a shout ("I TOLD YOU THE FILM WAS DIFFERENT!"), not reporting.
_CAPITALISED_WORD = re.compile(r"\b[A-Z][A-Z'’]+\b")
_LETTER_WORD = re.compile(r"\b[A-Za-z][A-Za-z'’]+\b")
_SHOUTED_WORDS = 4
_SHOUTED_SHARE = 0.7


@dataclass(frozen=True, slots=True)
class Candidate:
    """One sentence of one article, or a quotation running over several, as selection sees it."""

    article_index: int
    position: int  # index of the sentence in its article
    start: int
    end: int
    text: str
    tokens: tuple[str, ...]  # lower-cased words
    stems: tuple[str, ...]
    bigrams: frozenset[tuple[str, str]]
    needs_previous: bool  # leans on the sentence before it (pronoun, connective, "he said")
    eligible: bool
    reason: str  # why not eligible ("" when eligible)
    last: int = -1  # the last sentence a quotation of several sentences covers (-1: only its own)

    @property
    def through(self) -> int:
        """The position of the last sentence it covers (the sentence before the next candidate)."""
        return max(self.last, self.position)

    @property
    def n_words(self) -> int:
        """Words as the budget counts them (whitespace-separated)."""
        return len(self.text.split())


@dataclass(frozen=True, slots=True)
class CandidateLimits:
    """Which sentences may be selected at all."""

    min_words: int = 6
    max_words: int = 60
    # A sentence that leans on the one before it ("He said ...", "But ..."): "with-previous" may
    # be chosen only together with that sentence, "never" is not eligible, "free" is treated like
    # any other sentence (only for measuring what the constraint is worth).
    leaning: Literal["with-previous", "never", "free"] = "with-previous"


def build_candidates(
    articles: Sequence[Article],
    limits: CandidateLimits | None = None,
    named_openings: Mapping[str, Collection[int]] | None = None,
) -> list[list[Candidate]]:
    """Return, for each article, its sentences as candidates in text order.

    A copy of another article given here is not eligible: its sentences are cited from the original.
    ``named_openings`` gives, per article id, the offsets of sentence-opening pronouns that will be
    replaced by a name when needed: such a sentence does not lean on the one before it.
    """
    limits = limits or CandidateLimits()
    present = {a.id for a in articles}
    named = named_openings or {}
    built = _built.get()
    if built is None:
        return [
            _article_candidates(i, a, limits, a.syndicated_from in present, named.get(a.id, ()))
            for i, a in enumerate(articles)
        ]
    out = []
    for i, a in enumerate(articles):
        copy, openings = a.syndicated_from in present, frozenset(named.get(a.id, ()))
        key = (a.id, a.text, limits, copy, openings)
        if key not in built:
            built[key] = _article_candidates(i, a, limits, copy, openings)
        kept = built[key]
        out.append(kept if not kept or kept[0].article_index == i else [replace(c, article_index=i) for c in kept])
    return out


_Key = tuple[str, str, CandidateLimits, bool, frozenset[int]]
_built: ContextVar[dict[_Key, list[Candidate]] | None] = ContextVar("built_candidates", default=None)


@contextmanager
def candidates_shared() -> Iterator[None]:
    """Within this block, :func:`build_candidates` builds each article's candidates once for the same limits
    and openings, and gives them again to later calls (the steps of one roundup each ask for them).
    """
    token = _built.set({})
    try:
        yield
    finally:
        _built.reset(token)


def _article_candidates(
    index: int, article: Article, limits: CandidateLimits, copy: bool, named: Collection[int]
) -> list[Candidate]:
    """Candidates for one article: one per sentence; a quotation running over several sentences is one candidate
    at its first sentence (when it fits the limits), and the sentences after its first are never chosen alone."""
    spans = []
    for span in split_sentences(article.text):
        raw = article.text[span.start : span.end]
        spans.append((span.start + content_start(raw), span.end))
    out = []
    tells = [False]  # whether the sentence before names a speaker ("Carter told reporters: ...")
    for position, (start, end) in enumerate(spans):
        cand, told = _candidate(index, article, position, start, end, limits, copy, named, tells[-1])
        out.append(cand)
        tells.append(told)
    for first, last in _quotations_over_sentences(article.text, spans):
        whole, _ = _candidate(index, article, first, spans[first][0], spans[last][1], limits, copy, named, tells[first])
        out[first] = replace(whole, last=last)
        for inside in range(first + 1, last + 1):
            out[inside] = replace(out[inside], eligible=False, needs_previous=False, reason=_INSIDE_QUOTE)
    for position in _in_archive_notices(article.text, spans):
        out[position] = replace(out[position], eligible=False, needs_previous=False, reason=_FURNITURE)
    return out


_INSIDE_QUOTE = "inside a quotation of several sentences"
_FURNITURE = "page furniture"
_QUOTE_SENTENCES = 6  # the most sentences one quotation is followed over


def _quotations_over_sentences(text: str, spans: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """The first and last sentence of each quotation (``annotate.quotemarks``) that runs over several sentences,
    at most ``_QUOTE_SENTENCES``; none inside another."""
    starts = [start for start, _ in spans]
    out: list[tuple[int, int]] = []
    for marks in find_quotations(text):
        first = bisect_right(starts, marks.open_start) - 1
        last = bisect_right(starts, marks.close_end - 1) - 1
        if first >= 0 and first < last < first + _QUOTE_SENTENCES and (not out or first > out[-1][1]):
            out.append((first, last))
    return out


def _in_archive_notices(text: str, spans: Sequence[tuple[int, int]]) -> list[int]:
    """The positions of the sentences that share a line with a sentence of a web archive's notice.

    ``clean_body`` drops such lines from text it cleans; text stored before it knew a notice's wording still has them.
    """
    notices = [start for start, end in spans if ARCHIVE_NOTICE.search(text, start, end)]
    if not notices:
        return []
    breaks = [i for i, char in enumerate(text) if char == "\n"]
    lines = {bisect_right(breaks, start) for start in notices}
    return [i for i, (start, _) in enumerate(spans) if bisect_right(breaks, start) in lines]


def _candidate(
    index: int,
    article: Article,
    position: int,
    start: int,
    end: int,
    limits: CandidateLimits,
    copy: bool,
    named: Collection[int],
    told_before: bool,
) -> tuple[Candidate, bool]:
    """The candidate for ``article.text[start:end]``, and whether it names a speaker for the sentence after it."""
    text = article.text[start:end]
    tokens = tuple(words(text))
    if start in named:
        leans = _attributes_to_a_pronoun(_FIRST_WORD.sub("", text, count=1))
    else:
        leans = opens_dangling(text) or _attributes_to_a_pronoun(text)
    reason = "copy of another source" if copy else _ineligibility(text, len(text.split()), limits)
    unnamed = speaker_unnamed(text)
    addressed = not unnamed and speaks_to_reader(text)
    if (unnamed or addressed) and not reason:
        if told_before:
            leans = True  # its speaker is the one the sentence before names: chosen only with it
        elif unnamed:
            reason = "first person whose speaker the reader is not told"
        else:
            reason = "speaks to the reader"
    tells = not unnamed and bool(_SPEECH.search(_QUOTED.sub(" ", text)))
    if leans and not reason and limits.leaning == "never":
        reason = "leans on the sentence before it"
    candidate = Candidate(
        article_index=index,
        position=position,
        start=start,
        end=end,
        text=text,
        tokens=tokens,
        stems=tuple(stem(t) for t in tokens),
        bigrams=frozenset(content_bigrams(list(tokens))),
        needs_previous=leans and limits.leaning != "free",
        eligible=not reason,
        reason=reason,
    )
    return candidate, tells


def speaker_unnamed(text: str) -> bool:
    """True for a sentence in the first person whose speaker it does not name.

    "I say on the ground because Daesh is retreating." from a transcript, or a quotation standing
    alone, leaves the reader guessing who speaks; "“I will stay,” Carter said." and a transcript
    line opening with its speaker's label ("CARTER: I say ...") do not.
    """
    if _names_its_speaker(text):
        return False
    for match in _FIRST_PERSON.finditer(text):
        if match.group() != "I":
            return True
        before = _WORD_BEFORE.search(text, 0, match.start())
        if before is None or not before.group(1)[0].isupper() or before.start() == 0:
            return True  # "I" opening the sentence, or after a lower-case word: the speaker's
    return False


def _names_its_speaker(text: str) -> bool:
    """True when the sentence says who speaks: a transcript's speaker label, or a speech verb outside quotes."""
    return bool(_SPEAKER_LABEL.match(text) or _SPEECH.search(_QUOTED.sub(" ", text)))


def speaks_to_reader(text: str) -> bool:
    """True for a sentence in the second person or telling the reader what to do, outside quotes, that names
    nobody speaking.

    "You can add location information to your Tweets", "Please check your email" and "Click below to sign the
    Petition" are the page speaking to its reader; "“You have to leave,” the officer told them." and "CARTER: You
    know ..." name who speaks, and a quoted "you" ("the “stand your ground” law", a banner reading “Take off your
    ...”) is someone else's word.
    """
    if _names_its_speaker(text):
        return False
    outside = _QUOTED.sub(" ", text)
    if _IMPERATIVE.match(outside):
        return True
    for match in _SECOND_PERSON.finditer(outside):
        before = _WORD_BEFORE.search(outside, 0, match.start())
        if match.group()[0].islower() or before is None or not before.group(1)[0].isupper():
            return True  # a capitalised "Your" after a capitalised word is in a title: "How to Train Your Dragon"
    return False


def is_caption(text: str) -> bool:
    """True for a photo caption by its form: where a person stands in the picture, an opening "In this … photo",
    or the weekday with the full date."""
    return bool(_CAPTION_POSITION.search(text) or _CAPTION_OPENING.match(text) or _CAPTION_DATE.search(text))


def _attributes_to_a_pronoun(text: str) -> bool:
    """True for "``...,'' he said." and the like: the speaker is only a pronoun, outside the quotes."""
    return bool(_PRONOUN_ATTRIBUTION.search(_QUOTED.sub(" ", text)))


def _ineligibility(text: str, n_words: int, limits: CandidateLimits) -> str:
    """Why ``text`` cannot stand in a roundup, or "" when it can."""
    if n_words < limits.min_words:
        return "too short"
    if n_words > limits.max_words:
        return "too long"
    if not _TERMINAL.search(text) or _CUT_OFF.search(text):
        return "not a complete sentence"  # headlines, captions, cut-off text, questions
    if not (text[0].isupper() or text[0].isdigit() or text[0] in "\"“`'‘"):
        return "starts mid-sentence"
    if not _quotes_balanced(text):
        return "part of a longer quote"
    if (
        _FURNITURE_WORDS.search(text)
        or ARCHIVE_NOTICE.search(text)
        or len(_FIELD.findall(text)) >= _FIELDS
        or is_caption(text)
        or looks_like_furniture(text)
    ):
        return _FURNITURE
    if _shouted(text):
        return "written in capitals: a headline or a shout"
    return ""


def _shouted(text: str) -> bool:
    """True when most words of ``text``, and at least ``_SHOUTED_WORDS``, are written in capitals."""
    capitals = len(_CAPITALISED_WORD.findall(text))
    return capitals >= _SHOUTED_WORDS and capitals >= _SHOUTED_SHARE * len(_LETTER_WORD.findall(text))


def _quotes_balanced(text: str) -> bool:
    """True when every quotation opened in ``text`` is closed in it, and none is closed unopened."""
    if text.count("``") != text.count("''"):
        return False
    if text.count("“") != text.count("”"):
        return False
    straight = text.replace("``", "").replace("''", "")
    return straight.count('"') % 2 == 0
