"""Words, stems and stopwords: the lexical view of sentences used for salience and redundancy."""

from __future__ import annotations

import re
from functools import lru_cache

# Runs of letters and digits, as ROUGE tokenizes: "Sen's" is "sen" + "s", "12,000" is "12" + "000".
_WORD = re.compile(r"[A-Za-z0-9]+")

STOPWORDS = frozenset(
    """
    a about above after again against all almost also although am among an and any are as at be became
    because been before being below between both but by can could did do does doing down during each
    either else ever every few for from further had has have having he her here hers herself him himself
    his how however i if in into is it its itself just least less let like made make many may me might
    more most much must my myself near neither no nor not now of off often on once one only or other our
    ours ourselves out over own per perhaps quite rather said same say says she should since so some
    such than that the their theirs them themselves then there these they this those though through thus
    to too under until up upon us very was we were what when where whether which while who whom whose
    why will with within without would yet you your yours yourself yourselves mr mrs ms
    """.split()
)


@lru_cache(maxsize=1)
def _porter() -> object:
    """The Porter stemmer (ROUGE-1.5.5 stems with Porter), built once."""
    import snowballstemmer

    return snowballstemmer.stemmer("porter")


def words(text: str) -> list[str]:
    """The words of ``text`` in order, lower-cased, punctuation removed."""
    return [w.lower() for w in _WORD.findall(text)]


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The Porter stem of a lower-cased word."""
    stemmer = _porter()
    return str(stemmer.stemWord(word))  # type: ignore[attr-defined]


def stems(text: str) -> list[str]:
    """Porter stems of the words of ``text``."""
    return [stem(w) for w in words(text)]


def content_bigrams(tokens: list[str]) -> list[tuple[str, str]]:
    """Adjacent pairs of stems of ``tokens`` (lower-cased words), except pairs of two stopwords."""
    stemmed = [stem(t) for t in tokens]
    return [
        (stemmed[i], stemmed[i + 1])
        for i in range(len(tokens) - 1)
        if not (tokens[i] in STOPWORDS and tokens[i + 1] in STOPWORDS)
    ]


# Cardinal numbers written as words, as news writes small counts ("two yachts", "forty-one people").
WORD_NUMBERS = {
    w: i
    for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
        "sixteen seventeen eighteen nineteen twenty".split()
    )
} | {"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
_SPELLED = re.compile(
    r"\b(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:-(?:one|two|three|four|five|six|seven|"
    r"eight|nine))?|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
    r"sixteen|seventeen|eighteen|nineteen)\b",
    re.IGNORECASE,
)


def spelled_value(word: str) -> int:
    """The value of a spelled cardinal ("three", "Forty-one")."""
    return sum(WORD_NUMBERS.get(part, 0) for part in word.lower().split("-"))


def spelled_numbers(text: str) -> list[re.Match[str]]:
    """The cardinals from two to ninety-nine written as words in ``text`` ("one" is left out: "one of them")."""
    return list(_SPELLED.finditer(text))

