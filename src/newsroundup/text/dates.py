"""Dates in articles: parsing publication dates and finding date expressions resolved against them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from newsroundup.model import DatePrecision
from newsroundup.text.date_expressions import (
    DATE_EXPRESSION,
    DAY_OF_MONTH_FORMS,
    PERIOD_EXPRESSION,
    Tense,
    add_months,
    number_value,
    resolve_match,
    resolve_period,
)


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
_CLAUSE_BREAK = re.compile(
    r"[.;]|\b(?:after|because|although|though|whereas|when|while|but|who|which)\b", re.IGNORECASE
)
# Quoted speech keeps its own tenses: "we will close it," the minister said on Thursday.
_QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"|``.*?''")
# Words near a date that put it in the future ("talks will resume on Monday", "payable Dec. 15").
_FUTURE_CUE = (
    r"will|would|'ll|shall|is to|are to|was to|were to|plans? to|planned|scheduled|expected to|expects? to|"
    r"expect|expects|expecting|due|set to|next|to begin|to start|to resume|until|"
    r"forecasts?|forecasted|predicts?|predicted|"
    r"agreed to|to meet|to vote|to hold|to return|to reopen|to sail|to decide|payable|effective|"
    r"through(?=\s+(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday))"
)
# Words that put a clause in the past ("stepped down in March"); "-ed" words that are not verbs aside.
_PAST_CUE = (
    r"was|were|had|did|said|told|took|made|came|went|began|begun|rose|fell|won|lost|left|met|got|gave|saw|"
    r"became|bought|sold|brought|paid|held|led|ran|spent|ago|earlier|last|[a-z]{2,}(?<!e)(?<!hundr)ed"
)
# A past speech verb right before the date ("sources said Monday", "told reporters on Friday").
_TOLD = re.compile(r"(?:said|told|announced|reported|confirmed)(?:\s+(?:reporters|journalists))?\s+(?:on\s+)?")
_TENSE_CUE = re.compile(rf"\b(?:(?P<future>{_FUTURE_CUE})|(?P<past>{_PAST_CUE}))\b", re.IGNORECASE)
# A four-digit number right before these words is a count, not a year ("2000 troops").
# (Not verbs and small words ending in s: "1990 was", "the year two thousand has".)
_COUNTED = re.compile(
    r"\s+(?!(?:has|was|is|as|does|says|this|its|his|us|thus|plus|whereas|versus)\b)"
    r"(?:[a-z]+s|people|percent|dollars?|feet|metres|meters|miles)\b"
)

# "over the next year", "within the coming month": spans starting now, told apart from dates.
_AHEAD_WORDS = {"next", "Next", "coming", "Coming"}
_SPAN_AHEAD = re.compile(r"\b(?:over|for|within|throughout|during|in)\s+the\s+$", re.IGNORECASE)
# The opening of a dateline right before its date: "WASHINGTON, " or "Davos, " at the start of a line.
_DATELINE = re.compile(r"(?:^|\n)\s*(?:\(\w+\)\s*)?[A-Z][A-Za-z.' -]{1,40},(?:\s+[A-Z][A-Za-z.]+,)?\s+$")
# Dates named from another date the text gave ("On May 22, 1995, ... the following year", "that day").
_WEEKDAY_NAMES = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
_ANCHORED = re.compile(
    rf"""\b(?:
        (?P<an_dir>(?i:the\s+(?:following|previous|preceding|prior|ensuing|same)|that))\s+
            (?P<an_unit>(?i:day|week|month|year)\b|{_WEEKDAY_NAMES}\b)
      | (?i:the\s+next\s+day)\b
    )""",
    re.VERBOSE,
)
# The end of this year or month as a deadline ("by year end", "by the end of the month"),
# "earlier in the year" and "the current fiscal year" or "the full year" of results (not "the full
# year ended June 30", a stretch): periods of publication. "since year-end" starts a span at a day; left out.
_PERIOD_OF_PUBLICATION = re.compile(
    r"\b(?:(?P<pe_word>(?i:by|at|around|before|until|till|through|toward|towards|near|since|after))\s+"
    r"(?P<pe>(?i:(?:the\s+)?(?:year[-\s]end|year's\s+end|end\s+of\s+the\s+(?P<pe_unit>year|month))))"
    r"|(?P<in_period>(?i:(?:earlier|later)\s+in\s+the\s+(?P<ip_unit>year|month|day)))"
    r"|(?P<this_year>(?i:the\s+(?:current|full)\s+(?:fiscal\s+|calendar\s+)?year|this\s+fiscal\s+year)))\b"
    r"(?!\s+(?:ended|ending|to\s+date|\d))"
)
# Words of a sentence about business results, where "the third quarter" is a quarter of a year.
_BUSINESS = re.compile(
    r"\b(?:profits?|earnings|loss|losses|revenues?|sales|results|net|income|growth|economy|GDP|output|"
    r"shares?|dividends?|charges?|percent|fiscal|quarterly|earned|reported)\b|%|\$|£|€",
    re.IGNORECASE,
)
# How far back a date named before may anchor "the following year" or "that day".
_ANCHOR_REACH = 1000
# Words that make a date the edge of a span rather than the day of an event.
_SPAN_EDGE = re.compile(r"\b(?:since|until|till|through|from|between)\s+(?:the\s+)?$", re.IGNORECASE)
_SPAN_JOIN = re.compile(r"\s*(?:to|and|through|until|till|-|–)\s*", re.IGNORECASE)
_SPAN_STRETCH = re.compile(r"\b(?:over|for|throughout|during|in)\s+the\s+$", re.IGNORECASE)
# After "the year-earlier": a stretch of months or a quarter, not the year before.
_YEAR_EARLIER_STRETCH = re.compile(r"\s+(?:\w+\s+)?(?:months|weeks|quarters?|periods?|half)\b")
# A weekday said of every week: "each Thursday", "Monday and Tuesday nights".
_EVERY = re.compile(r"\b(?:each|every)\s+$", re.IGNORECASE)
_WEEKDAY_SET = re.compile(rf"(?:\s+(?:and|or)\s+(?:{_WEEKDAY_NAMES}))?\s+(?:nights|mornings|afternoons|evenings)\b")
# A weekday mention and the day of the month after it: "Sunday, March 8", "Friday the 5th March".
_ENDS_WITH_WEEKDAY = re.compile(rf"\b(?:{_WEEKDAY_NAMES})$")
_WEEKDAY_TO_DAY = re.compile(r",?\s+(?:the\s+)?")
# A capitalised word here is inside a sentence, so a name: "USA Today", "told Today".
_MID_SENTENCE = re.compile(r"[\w,]\s+$")
# "the people of tomorrow", "the music of today": a time of life, not a day.
_GENERIC_DAY = re.compile(r"\b(?:the|a)\s+[a-z]+\s+of\s+$", re.IGNORECASE)
# A year right after a capitalised word inside a sentence is part of a name ("called Orion 1980").
_NAME_BEFORE_YEAR = re.compile(r"[a-z,]\s+(?P<word>[A-Z][a-z]+)\s+$")
_NOT_NAMES = frozenset(
    "in since during until by of from through before after and or the early late mid spring summer fall autumn "
    "winter christmas easter for at on to with between year fiscal".split()
    + "january february march april may june july august september october november december".split()
)


@dataclass(frozen=True, slots=True)
class DateMention:
    """A date expression in a text, ``[start, end)``, resolved against a publication date."""

    start: int
    end: int
    text: str
    when: date
    precision: DatePrecision
    span: bool = False  # the edge or stretch of a span ("since 2014", "over the past year"), not an event's date


def find_dates(text: str, published: datetime | date, start: int = 0, end: int | None = None) -> list[DateMention]:
    """Date expressions in ``text[start:end]`` ("on Friday", "last year", "March 13") resolved.

    Relative expressions count from ``published``: a weekday is the latest such day on or before
    publication, or the next one when the clause speaks of the future ("will resume on Monday"); a
    month or a day without a year is the one the clause's tense points at, else the nearest.
    "the following year", "the previous Friday", "that day" and "the next day" count from the date
    the text named last (left unresolved without one); "by year end" and "by the end of the month"
    are this year and month. Durations ("for two weeks"), ages and counts ("2000 troops") are not
    dates; the edges and stretches of spans ("since 2014", "over the past year") are, marked ``span``.
    """
    base = published.date() if isinstance(published, datetime) else published
    stop = len(text) if end is None else end
    return _find(text, base, start, stop, anchored=True)


def _find(text: str, base: date, start: int, stop: int, anchored: bool) -> list[DateMention]:
    """``find_dates`` on ``text[start:stop]``; with ``anchored``, also dates named from another date."""
    matches: list[tuple[int, int, re.Match[str]]] = [
        (m.start(), 0, m) for m in DATE_EXPRESSION.finditer(text, start, stop)
    ]
    if anchored:
        matches += [(m.start(), 1, m) for m in _ANCHORED.finditer(text, start, stop)]
        matches += [(m.start(), 2, m) for m in _PERIOD_OF_PUBLICATION.finditer(text, start, stop)]
        matches += [(m.start(), 3, m) for m in PERIOD_EXPRESSION.finditer(text, start, stop)]
        matches.sort(key=lambda t: (t[0], t[2].start() - t[2].end(), t[1]))  # at one place, the longest
    out: list[DateMention] = []
    taken = start
    for at, kind, match in matches:
        if at < taken:
            continue  # inside a longer expression already read ("Monday" of "the following Monday")
        taken = match.end()
        if kind == 1:
            resolved = _anchored(match, text, out, base, start)
        elif kind == 2:
            resolved = _period_of_publication(match, base, out)
        elif kind == 3:
            resolved = _quarter_or_season(match, text, base, start, stop)
        else:
            resolved = _resolve(match, text, out, base, start, stop)
        if resolved is not None:
            s, e = match.span()
            if kind == 2 and match.group("pe"):
                s = match.start("pe")
            while s < e and text[s].isspace():
                s += 1
            span = _is_span(text, match, s) or bool(
                out and out[-1].span and _SPAN_JOIN.fullmatch(text, out[-1].end, s)
            )  # "from 2011 to 2016", "between January 1 and September 26"
            if kind == 0 and _names_its_weekday(match, text, out):
                s, span = out.pop().start, False  # "Sunday, March 8": one date, the day the numbers give
            out.append(DateMention(s, e, text[s:e], resolved[0], resolved[1], span))
    return out


def _names_its_weekday(match: re.Match[str], text: str, before: list[DateMention]) -> bool:
    """True when a day of the month comes right after a weekday found last ("Sunday, March 8")."""
    if not before or not any(match.group(f"{form}_month") for form in DAY_OF_MONTH_FORMS):
        return False
    last = before[-1]
    joined = _WEEKDAY_TO_DAY.fullmatch(text, last.end, match.start()) is not None
    return joined and _ENDS_WITH_WEEKDAY.search(last.text) is not None


def _resolve(
    match: re.Match[str], text: str, out: list[DateMention], base: date, start: int, stop: int
) -> tuple[date, DatePrecision] | None:
    """The date of one ``DATE_EXPRESSION`` match, or ``None`` when it is no date."""
    if match.group("year") and not _is_year(match, text, base):
        return None
    if match.group("spelled") and _COUNTED.match(text, match.end()):
        return None
    if match.group("rel_word") in _AHEAD_WORDS and _SPAN_AHEAD.search(text, max(0, match.start() - 20), match.start()):
        return None  # "over the next year" is a span from publication on, not a point in that year
    if match.group("day_word") and _GENERIC_DAY.search(text, max(0, match.start() - 30), match.start()):
        return None
    if match.group("year_adj") and _YEAR_EARLIER_STRETCH.match(text, match.end()):
        return None  # "the year-earlier nine months" is a stretch, "the year-earlier quarter" a quarter
    if match.group("shift_unit"):
        return _shifted(match, text, out, base)
    if match.group("weekday") and (
        _EVERY.search(text, max(0, match.start() - 8), match.start()) or _WEEKDAY_SET.match(text, match.end())
    ):
        return None  # "each Thursday", "on Monday and Tuesday nights": a weekly habit, not a day
    if _DATELINE.search(text, max(0, match.start() - 60), match.start()):
        return resolve_match(match, base, None)  # "WASHINGTON, Jan. 5 (AP) -": the day of the report
    day_word = match.group("day_word") or ""
    if day_word[:1].isupper() and _MID_SENTENCE.search(text, max(0, match.start() - 8), match.start()):
        return None  # a capitalised "Today" inside a sentence is a name: "USA Today", "the Today show"
    if base.weekday() == 6 and (match.group("rel_word") or "").lower() == "last" and match.group("rel_unit") == "week":
        return base - timedelta(days=6), "week"  # in Sunday's paper, the week of Monday to Saturday just gone
    return resolve_match(match, base, _tense(text, start, stop, match.start(), match.end()))


def _is_span(text: str, match: re.Match[str], s: int) -> bool:
    """True when a date marks where a span starts or ends ("since 2014") or stretches ("over the past year")."""
    lead = text[max(0, match.start() - 16) : match.start()] + text[match.start() : s]
    head = text[s : match.end()].split(None, 1)[0].lower() if s < match.end() else ""
    if head in ("since", "until", "till", "through", "from", "between") or _SPAN_EDGE.search(lead):
        return True
    return head in ("past", "last", "next", "coming") and _SPAN_STRETCH.search(lead) is not None


def _anchor(text: str, before: list[DateMention], base: date, at: int, start: int) -> DateMention | None:
    """The date named last before ``at`` (within ``_ANCHOR_REACH`` characters), or ``None``."""
    if before and at - before[-1].end <= _ANCHOR_REACH:
        return before[-1]
    if start > 0 and not before:
        earlier = _find(text, base, max(0, at - _ANCHOR_REACH), start, anchored=False)
        if earlier:
            return earlier[-1]
    return None


def _anchored(
    match: re.Match[str], text: str, before: list[DateMention], base: date, start: int
) -> tuple[date, DatePrecision] | None:
    """ "the following year", "the previous Friday", "that day", "the next day": from the date named last.

    Without such a date nearby, or with one too coarse ("that day" after "in 1995"), left unresolved.
    """
    anchor = _anchor(text, before, base, match.start(), start)
    if anchor is None:
        return None
    direction = (match.group("an_dir") or "the next").split()[-1].lower()
    unit = (match.group("an_unit") or "day").lower()
    step = {"following": 1, "next": 1, "ensuing": 1, "previous": -1, "preceding": -1, "prior": -1}.get(direction, 0)
    fine = {"day": 0, "week": 1, "month": 2, "year": 3}
    if unit in _WEEKDAY_NAMES.lower().split("|"):
        if anchor.precision != "day" or step == 0:
            return None
        target = _WEEKDAY_NAMES.lower().split("|").index(unit)
        days = (target - anchor.when.weekday()) % 7 or 7
        return anchor.when + timedelta(days=days if step > 0 else days - 7 if days != 7 else -7), "day"
    if fine[anchor.precision] > fine[unit]:
        return None
    if unit == "day":
        return anchor.when + timedelta(days=step), "day"
    if unit == "week":
        return anchor.when - timedelta(days=anchor.when.weekday()) + timedelta(weeks=step), "week"
    if unit == "month":
        return add_months(anchor.when, step), "month"
    return date(anchor.when.year + step, 1, 1), "year"


def _quarter_or_season(
    match: re.Match[str], text: str, base: date, start: int, stop: int
) -> tuple[date, DatePrecision] | None:
    """A quarter of business results ("third-quarter profit") or a season ("last fall").

    A quarter counts only in a sentence about money or business: "in the fourth quarter" of a game
    is no date.
    """
    if match.group("q_ord"):
        before = text[max(0, match.start() - 200) : match.start()]
        after = text[match.end() : match.end() + 200]
        head = before[max((m.end() for m in re.finditer(r"[.!?]\s", before)), default=0) :]
        tail = after[: next((m.start() for m in re.finditer(r"[.!?](?:\s|$)", after)), len(after))]
        if not _BUSINESS.search(head + " " + tail):
            return None
    return resolve_period(match, base, _tense(text, start, stop, match.start(), match.end()))


def _period_of_publication(
    match: re.Match[str], base: date, before: list[DateMention]
) -> tuple[date, DatePrecision] | None:
    """ "by year end", "by the end of the month", "earlier in the year": this year or month.

    "later in the day" is the day named last, if near, else the day of publication.
    """
    if (match.group("pe_word") or "").lower() in ("since", "after"):
        return None
    if (match.group("ip_unit") or "").lower() == "day":
        near = before[-1] if before and match.start() - before[-1].end <= _ANCHOR_REACH else None
        return (near.when if near is not None and near.precision == "day" else base), "day"
    unit = (match.group("pe_unit") or match.group("ip_unit") or "year").lower()
    if unit == "month":
        return date(base.year, base.month, 1), "month"
    return date(base.year, 1, 1), "year"


def _is_year(match: re.Match[str], text: str, base: date) -> bool:
    """True when a four-digit number reads as a year: after "in"/"since", or a plausible year not counting things."""
    year = int(match.group("year"))
    if match.group("year_word"):
        return year <= base.year + 100
    if not 1900 <= year <= base.year + 30 or _COUNTED.match(text, match.end()):
        return False
    # "No. 1990", "page 2001", "Flight 1988": a number after a label is an identifier.
    before = text[max(0, match.start() - 12) : match.start()]
    if re.search(r"(?:No\.|[Nn]umber|[Pp]age|[Ff]light|[Rr]oute|[Rr]oom|[Pp]\.|[Cc]opyright|©|\([Cc]\))\s*$", before):
        return False
    # "Orion 1980": a year right after a capitalised word inside a sentence names something.
    lead = text[max(0, match.start() - 20) : match.start()]
    named = _NAME_BEFORE_YEAR.search(lead)
    return named is None or named.group("word").lower() in _NOT_NAMES


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
    if sign > 0 and anchor is None:
        return None  # "a year later" counts from an event, never from publication
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
    # (the date itself stays in view, for cues that look at it: "through Sunday")
    seen = window + text[at:after]
    cues = [c for c in _TENSE_CUE.finditer(seen, breaks[-1] if breaks else 0) if c.end() <= len(window)]
    rest = _QUOTED.sub(lambda m: " " * len(m.group()), text[after : min(stop, after + 120)])
    clause_end = _CLAUSE_BREAK.search(rest)
    later = _TENSE_CUE.search(rest, 0, clause_end.start() if clause_end else len(rest))
    before = cues[-1] if cues else None
    if before is not None and _TOLD.fullmatch(window, before.start()):
        return "past"  # "sources said Monday": the day of the telling, whatever the clause says before
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

