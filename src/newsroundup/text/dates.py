"""Dates in articles: parsing publication dates and finding date expressions resolved against them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from newsroundup.model import DatePrecision
from newsroundup.text.date_expressions import DATE_EXPRESSION, Tense, add_months, number_value, resolve_match


def parse_iso_datetime(value: str) -> datetime:
    """Parse an ISO 8601 date or datetime; a value without a zone is taken as UTC.

    Raises ``ValueError`` for anything that is not ISO 8601, and ``DateOutOfRange`` (a ``ValueError``)
    for a date with no UTC time (``0001-01-01T00:00:00+14:00``), which would overflow wherever it is compared.
    """
    parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    parsed = parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    try:
        parsed.astimezone(UTC)
    except OverflowError:
        raise DateOutOfRange(f"{value.strip()[:80]!r} is outside the range of dates") from None
    return parsed


class DateOutOfRange(ValueError):
    """An ISO date or time that has no UTC equivalent (before year 1 or after year 9999 in UTC)."""


# Words that open a new clause: a tense cue on one side of one does not reach a date on the other
# ("will strike from Wednesday after talks collapsed on Monday").
_CLAUSE_BREAK = re.compile(r"[.;]|\b(?:after|because|although|though|whereas|when|while|but)\b", re.IGNORECASE)
# Quoted speech keeps its own tenses: "we will close it," the minister said on Thursday.
_QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"|``.*?''")
# Words near a date that put it in the future ("talks will resume on Monday", "payable Dec. 15").
_FUTURE_CUE = (
    r"will|would|'ll|shall|is to|are to|was to|were to|plans? to|planned|scheduled|expected to|expects? to|"
    r"expect|expects|expecting|due|set to|next|to begin|to start|to resume|until|"
    r"forecasts?|forecasted|predicts?|predicted|"
    r"agreed to|to meet|to vote|to hold|to return|to reopen|to sail|to decide|payable|effective|through"
)
# Words that put a clause in the past ("stepped down in March"); "-ed" words that are not verbs aside.
_PAST_CUE = (
    r"was|were|had|did|said|told|took|made|came|went|began|begun|rose|fell|won|lost|left|met|got|gave|saw|"
    r"became|bought|sold|brought|paid|held|led|ran|spent|ago|earlier|last|[a-z]{2,}(?<!e)(?<!hundr)ed"
)
_TENSE_CUE = re.compile(rf"\b(?:(?P<future>{_FUTURE_CUE})|(?P<past>{_PAST_CUE}))\b", re.IGNORECASE)
# A four-digit number right before these words is a count, not a year ("2000 troops").
_COUNTED = re.compile(r"\s+(?:[a-z]+s|people|percent|dollars?|feet|metres|meters|miles)\b")

# "over the next year", "within the coming month": spans starting now, told apart from dates.
_AHEAD_WORDS = {"next", "Next", "coming", "Coming"}
_SPAN_AHEAD = re.compile(r"\b(?:over|for|within|throughout|during|in)\s+the\s+$", re.IGNORECASE)
# The opening of a dateline right before its date: "WASHINGTON, " or "Davos, " at the start of a line.
_DATELINE = re.compile(r"(?:^|\n)\s*(?:\(\w+\)\s*)?[A-Z][A-Za-z.' -]{1,40},(?:\s+[A-Z][A-Za-z.]+,)?\s+$")


@dataclass(frozen=True, slots=True)
class DateMention:
    """A date expression in a text, ``[start, end)``, resolved against a publication date."""

    start: int
    end: int
    text: str
    when: date
    precision: DatePrecision


def find_dates(text: str, published: datetime | date, start: int = 0, end: int | None = None) -> list[DateMention]:
    """Date expressions in ``text[start:end]`` ("on Friday", "last year", "March 13") resolved.

    Relative expressions count from ``published``: a weekday is the latest such day on or before
    publication, or the next one when the clause speaks of the future ("will resume on Monday"); a
    month or a day without a year is the one the clause's tense points at, else the nearest.
    Durations ("for two weeks"), ages and counts ("2000 troops") are not dates.
    """
    base = published.date() if isinstance(published, datetime) else published
    stop = len(text) if end is None else end
    out: list[DateMention] = []
    for match in DATE_EXPRESSION.finditer(text, start, stop):
        if match.group("year") and not _is_year(match, text, base):
            continue
        if match.group("spelled") and _COUNTED.match(text, match.end()):
            continue
        if match.group("rel_word") in _AHEAD_WORDS and _SPAN_AHEAD.search(
            text, max(0, match.start() - 20), match.start()
        ):
            continue  # "over the next year" is a span from publication on, not a point in that year
        if match.group("shift_unit"):
            resolved = _shifted(match, text, out, base)
        elif _DATELINE.search(text, max(0, match.start() - 60), match.start()):
            resolved = resolve_match(match, base, None)  # "WASHINGTON, Jan. 5 (AP) -": the day of the report
        else:
            resolved = resolve_match(match, base, _tense(text, start, stop, match.start(), match.end()))
        if resolved is not None:
            s, e = match.span()
            while s < e and text[s].isspace():
                s += 1
            out.append(DateMention(s, e, text[s:e], resolved[0], resolved[1]))
    return out


def _is_year(match: re.Match[str], text: str, base: date) -> bool:
    """True when a four-digit number reads as a year: after "in"/"since", or a plausible year not counting things."""
    year = int(match.group("year"))
    if match.group("year_word"):
        return year <= base.year + 100
    if not 1900 <= year <= base.year + 30 or _COUNTED.match(text, match.end()):
        return False
    # "No. 1990", "page 2001", "Flight 1988": a number after a label is an identifier.
    before = text[max(0, match.start() - 12) : match.start()]
    return re.search(r"(?:No\.|[Nn]umber|[Pp]age|[Ff]light|[Rr]oute|[Rr]oom|[Pp]\.)\s*$", before) is None


def _shifted(
    match: re.Match[str], text: str, before: list[DateMention], base: date
) -> tuple[date, DatePrecision] | None:
    """ "a day earlier", "two weeks later", "a year earlier": counted from the date named last in the sentence.

    ("a day after" is left alone: it dates the sentence's event from another one, the other way round.)

    A day or week counts from an event, not from publication: without a day in its own sentence to
    count from, it is left unresolved rather than guessed. A year without one ("profit rose from a
    year earlier") counts from publication, as business news means it.
    """
    n = number_value(match.group("shift_n"))
    unit = match.group("shift_unit").lower()
    sign = -1 if match.group("shift_dir").lower() == "earlier" else 1
    anchor = next((m for m in reversed(before) if m.precision in ("day", "year")), None)
    if anchor is not None and re.search(r"[.!?]\s|\n", text[anchor.end : match.start()]):
        anchor = None
    if unit in ("month", "year"):
        if unit == "year":
            return date((anchor.when.year if anchor else base.year) + sign * n, 1, 1), "year"
        return add_months(anchor.when if anchor else base, sign * n), "month"
    if anchor is None or anchor.precision != "day":
        return None
    days = n * (7 if unit == "week" else 1)
    return anchor.when + timedelta(days=sign * days), "day"


def _tense(text: str, start: int, stop: int, at: int, after: int) -> Tense:
    """The tense of the clause holding ``text[at:after]``, quoted speech aside: its cue nearest the date.

    "sources said Monday that talks will resume" dates Monday by "said"; "guidelines published in
    early November will decide" dates November by "will". Without a cue in the clause, ``None``.
    """
    window = _QUOTED.sub(lambda m: " " * len(m.group()), text[start:at])
    breaks = [m.end() for m in _CLAUSE_BREAK.finditer(window)]
    cues = list(_TENSE_CUE.finditer(window, breaks[-1] if breaks else 0))
    rest = _QUOTED.sub(lambda m: " " * len(m.group()), text[after : min(stop, after + 120)])
    clause_end = _CLAUSE_BREAK.search(rest)
    later = _TENSE_CUE.search(rest, 0, clause_end.start() if clause_end else len(rest))
    before = cues[-1] if cues else None
    if before is not None and (later is None or len(window) - before.end() <= later.start()):
        # a future cue anywhere before the date in its clause governs it ("will begin ... on Sunday")
        return "future" if any(c.group("future") for c in cues) else "past"
    if later is None:
        return None
    return "future" if later.group("future") else "past"


def resolve_relative(
    expression: str, published: datetime | date, future: bool = False
) -> tuple[date, DatePrecision] | None:
    """Resolve one date expression ("yesterday", "last year", "Tuesday") against ``published``."""
    base = published.date() if isinstance(published, datetime) else published
    match = DATE_EXPRESSION.search(expression)
    return resolve_match(match, base, "future" if future else None) if match else None

