"""Where quotations sit in a text: the spans between quotation marks, in every newspaper style."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["QuoteMarks", "chars_inside", "find_quotations", "paragraphs"]

_OPENERS = {"“": "curly", "``": "duc", "''": "duc", "‘": "single", '"': "straight"}
# A double quotation opened curly may close straight and the other way round (texts edited by several
# hands mix them); single and wire-style marks close only their own kind.
_CLOSERS = {"curly": ("”", '"'), "duc": ("''",), "single": ("’",), "straight": ('"', "”")}
_MARK = re.compile(r"``|''|[“”‘’\"]")
_OPEN_BEFORE = re.compile(r"(?:^|[\s(\[—–\-/:;,])$")


@dataclass(frozen=True, slots=True)
class QuoteMarks:
    """Where a quotation sits: its marks ``[open_start, close_end)`` and its text ``[start, end)``."""

    open_start: int
    start: int
    end: int
    close_end: int
    paragraph: int


def find_quotations(text: str) -> list[QuoteMarks]:
    """Every span of ``text`` between quotation marks, in straight, curly, single-curly or ``...'' style.

    A quotation still open at the end of a paragraph counts only when the next paragraph opens with
    a quotation mark (the newspaper way of running a quote over several paragraphs).
    """
    out: list[QuoteMarks] = []
    lines = paragraphs(text)
    for number, (start, end) in enumerate(lines):
        next_opens = number + 1 < len(lines) and bool(
            re.match(r"\s*(?:``|''|[“‘\"])", text[lines[number + 1][0] : lines[number + 1][1]])
        )
        out.extend(_quotations_in(text, start, end, number, next_opens))
    return out


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Character ranges of the non-empty lines of ``text``."""
    out = []
    offset = 0
    for line in text.split("\n"):
        if line.strip():
            out.append((offset, offset + len(line)))
        offset += len(line) + 1
    return out


def _quotations_in(text: str, start: int, end: int, paragraph: int, runs_on: bool) -> list[QuoteMarks]:
    """The quotations of one paragraph ``text[start:end]``."""
    out: list[QuoteMarks] = []
    style: str | None = None
    open_start = open_end = 0
    for match in _MARK.finditer(text, start, end):
        mark = match.group()
        if style is None:
            if (mark in _OPENERS and _OPEN_BEFORE.search(text[max(start, match.start() - 1) : match.start()])) or (
                mark in _OPENERS and match.start() == start
            ):
                style, open_start, open_end = _OPENERS[mark], match.start(), match.end()
            continue
        if mark not in _CLOSERS[style]:
            continue
        after = text[match.end() : match.end() + 1]
        if style == "single" and (after.isalnum() or _is_possessive(text, match.start())):
            continue  # an apostrophe: "region’s", "Brigades’ negotiating team"
        marks = _trimmed(text, open_start, open_end, match.start(), match.end(), paragraph)
        if marks is not None:
            out.append(marks)
        style = None
    if style is not None and runs_on:
        marks = _trimmed(text, open_start, open_end, end, end, paragraph)
        if marks is not None:
            out.append(marks)
    return out


def _is_possessive(text: str, index: int) -> bool:
    """True when ``’`` at ``index`` is a plural possessive ("Brigades’ team") rather than a closing mark."""
    before = text[max(0, index - 1) : index]
    nxt = re.match(r"\s+([a-z]+)", text[index + 1 : index + 30])
    return before == "s" and nxt is not None and nxt.group(1) not in {"said", "says", "added", "he", "she", "they"}


def _trimmed(text: str, open_start: int, start: int, end: int, close_end: int, paragraph: int) -> QuoteMarks | None:
    """Quotation marks with the quoted text trimmed of spaces and a trailing comma; None if empty."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] == ","):
        end -= 1
    if not any(c.isalpha() for c in text[start:end]):
        return None
    return QuoteMarks(open_start, start, end, close_end, paragraph)


def chars_inside(start: int, end: int, spans: Iterable[tuple[int, int]]) -> int:
    """How many characters of ``start..end`` lie inside ``spans`` (a character in two spans counts twice)."""
    return sum(max(0, min(end, b) - max(start, a)) for a, b in spans)
