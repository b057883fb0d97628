"""Split article text into sentences as character spans, tuned for news prose."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Abbreviations that end with a period but rarely end a sentence in news text.
_ABBREVIATIONS = frozenset(
    """
    mr mrs ms dr prof sen rep gov gen lt col maj capt sgt cmdr adm pres supt insp det atty
    sens reps govs gens cpl pvt pfc spc sfc cpt brig ens cdr pte lcpl sgts ofc dep
    st mt ft jr sr messrs mmes rev fr hon amb gov's
    inc corp co ltd llc plc bros dept univ assn
    jan feb mar apr aug sept sep oct nov dec
    no nos vol vs etc approx est fig ca cf al
    ala ariz ark calif colo conn del fla ga ill ind kan ky la md mass mich minn miss mo mont
    neb nev okla ore pa tenn tex va vt wash wis wyo
    """.split()
)

# Sentence-final punctuation, then optional closing quotes/brackets, then whitespace.
_BOUNDARY = re.compile(r"""[.!?]+(?:["'”’)\]]|'')*(?=\s)""")
_NEXT_START = re.compile(r"""\s+(?:``|["“‘(\[])?\s*([A-Z0-9])""")
_WORD_BEFORE = re.compile(r"""([A-Za-z][A-Za-z.'’]*)$""")
_INITIALS = re.compile(r"^(?:[A-Za-z]\.)+[A-Za-z]?$")
_LINE_BREAK = re.compile(r"\n+")


@dataclass(frozen=True, slots=True)
class SentenceSpan:
    """A sentence as ``[start, end)`` offsets into the text it was split from."""

    start: int
    end: int


def _is_abbreviation(text: str, dot: int) -> bool:
    """True when the period at ``dot`` closes an abbreviation or an initial, not a sentence."""
    match = _WORD_BEFORE.search(text, max(0, dot - 40), dot)
    if match is None:
        return False
    word = match.group(1)
    if word.lower().rstrip(".") in _ABBREVIATIONS:
        return True
    if len(word) == 1 and word.isupper():
        return True  # a middle initial: "George W. Bush"
    # "U.S." / "U.N." / "p.m.": a dotted acronym rarely ends a news sentence.
    return bool(_INITIALS.match(word + "."))


def ends_with_abbreviation(text: str) -> bool:
    """True when ``text`` ends with a period that closes an abbreviation or an initial ("in the U.S.", "Minn.")."""
    stripped = text.rstrip()
    return stripped.endswith(".") and not stripped.endswith("..") and _is_abbreviation(stripped, len(stripped) - 1)


def split_sentences(text: str) -> list[SentenceSpan]:
    """Return the sentences of ``text`` as spans with surrounding whitespace excluded.

    Line breaks always end a sentence (web text keeps captions, bylines and paragraphs on lines
    of their own); within a line a sentence ends at ``.``, ``!`` or ``?`` (plus closing quotes)
    followed by whitespace and a capital, a digit or an opening quote, unless the period closes
    an abbreviation or an initial.
    """
    spans: list[SentenceSpan] = []
    line_start = 0
    for brk in [*_LINE_BREAK.finditer(text), None]:
        line_end = brk.start() if brk else len(text)
        _split_line(text, line_start, line_end, spans)
        if brk is None:
            break
        line_start = brk.end()
    return spans


def _split_line(text: str, start: int, end: int, out: list[SentenceSpan]) -> None:
    """Append the sentences of ``text[start:end]`` to ``out``."""
    cursor = start
    for match in _BOUNDARY.finditer(text, start, end):
        stop = match.end()
        nxt = _NEXT_START.match(text, stop, end)
        if nxt is None:
            continue
        first_punct = match.start()
        # An abbreviation followed by a capital may still end a sentence ("in the U.S. The ..."),
        # but we cannot tell without parsing; keeping it joined is the safer error.
        if match.group() == "." and _is_abbreviation(text, first_punct):
            continue
        _append_trimmed(text, cursor, stop, out)
        cursor = stop
    _append_trimmed(text, cursor, end, out)


def _append_trimmed(text: str, start: int, end: int, out: list[SentenceSpan]) -> None:
    """Append ``text[start:end]`` without its surrounding whitespace, if anything is left."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start < end:
        out.append(SentenceSpan(start, end))
