"""Key terms of a text: the capitalised words that look like names of people, places and groups."""

from __future__ import annotations

import re

# Runs of capitalised words ("Ilse Marten", "U.N.", "O'Neill") stand in for named entities.
_NAME_RUN = re.compile(r"\b[A-Z][A-Za-z'’.\-]*[A-Za-z](?:[ \t]+[A-Z][A-Za-z'’.\-]*[A-Za-z])*")
_MID_SENTENCE = re.compile(r"[a-z0-9,;:%)][ \t]$")
_LOWER_WORD = re.compile(r"\b[a-z][a-z'’\-]*")
_POSSESSIVE = re.compile(r"['’]s?$")
# Capitalised words that name no one: sentence openers, pronouns, titles, days and months.
_NOT_NAMES = frozenset(
    """
    a an the this that these those there here it its he she they we you i his her their our your
    in on at of for to from by with about after before during as if when while where why how what
    who which but and or so yet not no yes all some many most more several each every both
    mr mrs ms dr prof sir madam president minister governor mayor chief officials police
    monday tuesday wednesday thursday friday saturday sunday today yesterday tomorrow
    january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec ap afp reuters
    """.split()
)


def key_terms(text: str) -> frozenset[str]:
    """Lower-cased capitalised words of ``text`` that look like names (people, places, groups).

    The first word of a capitalised run that opens a sentence or a title is only a name if it is
    also capitalised somewhere mid-sentence; a word also written in lower case in the same text
    ("Government ... the government") is never a name.
    """
    lower = set(_LOWER_WORD.findall(text))
    terms: set[str] = set()
    for match in _NAME_RUN.finditer(text):
        words = match.group(0).split()
        mid_sentence = _MID_SENTENCE.search(text, max(0, match.start() - 2), match.start()) is not None
        for word in words if mid_sentence else words[1:]:
            term = _POSSESSIVE.sub("", word).rstrip(".").lower()
            if len(term) > 1 and term not in _NOT_NAMES and term not in lower:
                terms.add(term)
    return frozenset(terms)


_WORD = re.compile(r"[A-Za-z][a-z'’\-]*[a-z]|[A-Z][A-Z]+")
# Function words and the commonest verbs of news prose: they say nothing about what a text is about.
_STOP_WORDS = frozenset(
    """
    about above across after again against all almost along already also although always among and
    another any are around because been before being below between both but can could did does
    doing down during each either else even ever every few for from further had has have having
    her here hers herself him himself his how however into its itself just last least less made
    make many may might more most much must near need neither never next nor not now off often
    once one only onto other others our ours out over own per perhaps rather said same say says
    she should since some still such than that the their theirs them themselves then there these
    they this those though three through thus till too two under until upon very was were what
    whatever when where whether which while who whom whose why will with within without would yet
    you your yours new told year years week weeks day days time times like get got going went
    """.split()
)


def content_words(text: str, limit: int = 0) -> frozenset[str]:
    """Lower-cased words of ``text`` of three letters or more that are not function words.

    With ``limit``, only the ``limit`` most frequent of them (ties: first used first), which keeps
    a long article's profile as small as a short one's.
    """
    counts: dict[str, int] = {}
    for match in _WORD.finditer(text):
        word = _POSSESSIVE.sub("", match.group(0).lower())
        if len(word) > 2 and word not in _STOP_WORDS:
            counts[word] = counts.get(word, 0) + 1
    if limit and len(counts) > limit:
        ranked = sorted(counts, key=lambda word: -counts[word])  # stable: first used first among ties
        return frozenset(ranked[:limit])
    return frozenset(counts)
