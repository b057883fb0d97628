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
