"""Spot sentences that lean on context: openings with a pronoun or a discourse connective."""

from __future__ import annotations

import re

# Pronouns and determiners whose referent must come from an earlier sentence.
_PRONOUNS = frozenset(
    """
    he she it they him her them his hers its their theirs we us our
    this that these those such
    """.split()
)

# Connectives that relate a sentence to one before it. Multi-word ones are matched as prefixes.
_CONNECTIVES = (
    "and",
    "but",
    "or",
    "nor",
    "so",
    "yet",
    "also",
    "still",
    "however",
    "meanwhile",
    "moreover",
    "furthermore",
    "nevertheless",
    "nonetheless",
    "therefore",
    "thus",
    "hence",
    "instead",
    "then",
    "later",
    "afterward",
    "afterwards",
    "besides",
    "otherwise",
    "indeed",
    "similarly",
    "likewise",
    "consequently",
    "accordingly",
    "additionally",
    "again",
    "even so",
    "in addition",
    "in contrast",
    "in turn",
    "in response",
    "as a result",
    "at the same time",
    "on the other hand",
    "for example",
    "for instance",
    "by contrast",
    "after that",
    "that is",
    "not only that",
    "the same",
    "the other",
    "the latter",
    "the former",
    "both",
    "another",
    "others",
    "other",
    "it's",
    "he's",
    "she's",
    "they're",
)

_OPENING = re.compile(r"""^(?:``|["“‘'(\[_—–-]|\s)*([A-Za-z’']+(?:\s+[A-Za-z’']+){0,3})""")
_CONNECTIVE_RE = re.compile(
    r"^(?:" + "|".join(re.escape(c) for c in sorted(_CONNECTIVES, key=len, reverse=True)) + r")\b",
    re.IGNORECASE,
)


def opening_word(sentence: str) -> str:
    """Return the first word of ``sentence``, lower-cased and without leading quotes."""
    match = _OPENING.match(sentence)
    if match is None:
        return ""
    return match.group(1).split()[0].lower()


def opens_with_pronoun(sentence: str) -> bool:
    """True when the sentence's first word is a pronoun or demonstrative needing a referent."""
    return opening_word(sentence).replace("’", "'") in _PRONOUNS


def opens_with_connective(sentence: str) -> bool:
    """True when the sentence begins with a discourse connective ("But", "However", "In addition")."""
    match = _OPENING.match(sentence)
    if match is None:
        return False
    return bool(_CONNECTIVE_RE.match(match.group(1).replace("’", "'")))


# A quantifier standing for people named before: "Several said ...", "Many were ...", "Some have ...".
_QUANTIFIER_SUBJECT = re.compile(
    r"^(?:several|many|some|most|all|few|each|none|neither|either)\s+"
    r"(?:of\s+them|said|say|says|told|added|were|are|was|is|have|had|has|will|would|could|did)\b",
    re.IGNORECASE,
)


# A subject pronoun right after a short time or place phrase: "By evening it had burned ...",
# "On Tuesday, he said ...", "Last week they voted ...".
_INTRO_THEN_PRONOUN = re.compile(
    r"^(?:by|on|in|at|after|before|later|earlier|since|until|during|last|this|next|overnight|"
    r"yesterday|today|tonight|then|now|again|still)\b(?:\s+[\w’'-]+){0,2}?,?\s+(?:he|she|it|they)\s+\w",
    re.IGNORECASE,
)


def opens_with_quantifier_subject(sentence: str) -> bool:
    """True for "Several said ...", "Many were ..." and the like: the people are in an earlier sentence."""
    match = _OPENING.match(sentence)
    return bool(match and _QUANTIFIER_SUBJECT.match(sentence[match.start(1) :]))


# A preposition and an object pronoun opening the sentence: "Behind him, …", "Among them were …", "Without it, …" —
# the person or thing is in an earlier sentence. ("Her" and the possessives are left out: "With her husband, Ann
# Lee …" names its person after.)
_PREPOSITION_PRONOUN = re.compile(
    r"^(?:for|to|with|like|unlike|without|despite|against|behind|beside|besides|before|after|among|amongst|from|"
    r"about|around|toward|towards|between|within|through|under|over|beyond|beneath|near|inside|outside|above|below)"
    r"\s+(?:him|them|it|us)\b",
    re.IGNORECASE,
)


def opens_dangling(sentence: str) -> bool:
    """True when a sentence cannot stand alone because of how it opens."""
    if opens_with_pronoun(sentence) or opens_with_connective(sentence) or opens_with_quantifier_subject(sentence):
        return True
    match = _OPENING.match(sentence)
    if match is None:
        return False
    rest = sentence[match.start(1) :]
    return bool(_INTRO_THEN_PRONOUN.match(rest) or _PREPOSITION_PRONOUN.match(rest))
