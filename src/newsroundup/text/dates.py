"""Dates in articles: parsing publication dates (and, with the timeline, resolving relative ones)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from newsroundup.model import DatePrecision


def parse_iso_datetime(value: str) -> datetime:
    """Parse an ISO 8601 date or datetime; a value without a zone is taken as UTC.

    Raises ``ValueError`` for anything that is not ISO 8601.
    """
    parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTHS = "january february march april may june july august september october november december".split()
_MONTH_ABBR = {m[:3]: i + 1 for i, m in enumerate(_MONTHS)} | {"sept": 9}
_NUMBER_WORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
}
_MONTH_RE = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)(?:\.(?=\s+\d))?"
)
# A year written after a month ("November 19, 1887"): any year from 1600 on.
_YEAR_RE = r"(?:1[6-9]|20)\d\d\b"
_DATE_EXPRESSION = re.compile(
    rf"""\b(?:
        (?P<rel_word>last|next|this)\s+(?P<rel_unit>week|month|year|weekend)
      | (?P<ago_n>\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten)\s+
            (?P<ago_unit>day|week|month|year)s?\s+ago
      | (?P<shift_n>\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten)\s+
            (?P<shift_unit>day|week)s?\s+(?P<shift_dir>earlier|later)\b
      | (?P<day_word>yesterday|today|tonight|tomorrow)
      | (?P<wd_mod>last|next|this|on|early|late)?\s*
            (?P<weekday>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b
      | (?P<md_month>{_MONTH_RE})\s+(?P<md_day>\d{{1,2}})(?!\d)(?:st|nd|rd|th)?
            (?:,?\s+(?P<md_year>{_YEAR_RE}))?
      | (?P<dm_day>(?<!\d)\d{{1,2}})\s+(?P<dm_month>{_MONTH_RE})(?:\s+(?P<dm_year>{_YEAR_RE}))?
      | (?P<my_month>{_MONTH_RE})\s+(?P<my_year>{_YEAR_RE})
      | (?P<in_word>in|since|during|until|by)\s+(?P<in_month>{_MONTH_RE})\b(?!\.?\s+\d)
      | (?:in|since|during|until|by|of)\s+(?P<year>(?:18|19|20)\d\d)\b
    )""",
    re.VERBOSE,
)
# Words that open a new clause: a future cue before one of them does not reach a date after it
# ("will strike from Wednesday after talks collapsed on Monday").
_CLAUSE_BREAK = re.compile(r"[.;]|\b(?:after|because|although|though|whereas|when|while|but)\b", re.IGNORECASE)
# Quoted speech keeps its own tenses: "we will close it," the minister said on Thursday.
_QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"|``.*?''")
# Words before a date that put it in the future ("talks will resume on Monday").
_FUTURE_CUE = re.compile(
    r"\b(?:will|would|'ll|shall|is to|are to|was to|were to|plans? to|planned|scheduled|expected to|"
    r"due to|set to|next|to begin|to start|to resume|until|forecasts?|forecasted|predicts?|predicted|"
    r"agreed to|to meet|to vote|to hold|to return|to reopen|to sail|to decide)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class DateMention:
    """A date expression in a text, ``[start, end)``, resolved against a publication date."""

    start: int
    end: int
    text: str
    when: date
    precision: DatePrecision


def find_dates(
    text: str, published: datetime | date, start: int = 0, end: int | None = None
) -> list[DateMention]:
    """Date expressions in ``text[start:end]`` ("on Friday", "last year", "March 13") resolved.

    Relative expressions count from ``published``: a weekday is the latest such day on or before
    publication, or the next one when the clause speaks of the future ("will resume on Monday").
    """
    base = published.date() if isinstance(published, datetime) else published
    stop = len(text) if end is None else end
    out: list[DateMention] = []
    for match in _DATE_EXPRESSION.finditer(text, start, stop):
        if match.group("shift_unit"):
            resolved = _shifted(match, text, out)
        else:
            resolved = _resolve(match, base, _in_future_clause(text, start, match.start()))
        if resolved is not None:
            s, e = match.span()
            while s < e and text[s].isspace():
                s += 1
            out.append(DateMention(s, e, text[s:e], resolved[0], resolved[1]))
    return out


def _shifted(match: re.Match[str], text: str, before: list[DateMention]) -> tuple[date, DatePrecision] | None:
    """ "a day earlier", "two weeks later": counted from the day named last in the same sentence.

    ("a day after" is left alone: it dates the sentence's event from another one, the other way round.)

    Such a date counts from an event, not from publication; without a day in its own sentence to
    count from, it is left unresolved rather than guessed.
    """
    anchor = next((m for m in reversed(before) if m.precision == "day"), None)
    if anchor is None or re.search(r"[.!?]\s|\n", text[anchor.end : match.start()]):
        return None
    word = match.group("shift_n").lower()
    n = int(word) if word.isdigit() else _NUMBER_WORDS[word]
    days = n * (7 if match.group("shift_unit") == "week" else 1)
    sign = -1 if match.group("shift_dir").lower() == "earlier" else 1
    return anchor.when + timedelta(days=sign * days), "day"


def _in_future_clause(text: str, start: int, at: int) -> bool:
    """True when the clause holding ``text[at]`` speaks of the future, quoted speech aside."""
    window = _QUOTED.sub(lambda m: " " * len(m.group()), text[start:at])
    breaks = [m.end() for m in _CLAUSE_BREAK.finditer(window)]
    return bool(_FUTURE_CUE.search(window, breaks[-1] if breaks else 0))


def resolve_relative(
    expression: str, published: datetime | date, future: bool = False
) -> tuple[date, DatePrecision] | None:
    """Resolve one date expression ("yesterday", "last year", "Tuesday") against ``published``."""
    base = published.date() if isinstance(published, datetime) else published
    match = _DATE_EXPRESSION.search(expression)
    return _resolve(match, base, future) if match else None


def _month(name: str) -> int:
    """Month number of a month name or abbreviation."""
    return _MONTH_ABBR[name.lower().rstrip(".")[:4] if name.lower().startswith("sept") else name.lower()[:3]]


def _resolve(match: re.Match[str], base: date, future: bool) -> tuple[date, DatePrecision] | None:
    """The date one matched expression stands for, and how precise it is."""
    g = match.groupdict()
    if g["day_word"]:
        offset = {"yesterday": -1, "today": 0, "tonight": 0, "tomorrow": 1}[g["day_word"]]
        return base + timedelta(days=offset), "day"
    if g["weekday"]:
        return _weekday(
            base, _WEEKDAYS.index(g["weekday"].lower()), (g["wd_mod"] or "").lower(), future
        ), "day"
    if g["rel_unit"]:
        return _relative_unit(base, g["rel_word"], g["rel_unit"])
    if g["ago_unit"]:
        n = int(g["ago_n"]) if g["ago_n"].isdigit() else _NUMBER_WORDS[g["ago_n"].lower()]
        unit = g["ago_unit"]
        if unit == "day":
            return base - timedelta(days=n), "day"
        if unit == "week":
            return base - timedelta(weeks=n), "week"
        if unit == "month":
            return _add_months(base, -n), "month"
        return date(base.year - n, 1, 1), "year"
    if g["md_month"] or g["dm_month"]:
        month = _month(g["md_month"] or g["dm_month"])
        day = int(g["md_day"] or g["dm_day"])
        year_text = g["md_year"] or g["dm_year"]
        year = int(year_text) if year_text else _nearest_year(base, month, day, future)
        try:
            return date(year, month, day), "day"
        except ValueError:
            return None
    if g["my_month"]:
        return date(int(g["my_year"]), _month(g["my_month"]), 1), "month"
    if g["in_month"]:
        return _month_year(base, _month(g["in_month"]), g["in_word"].lower(), future), "month"
    if g["year"]:
        return date(int(g["year"]), 1, 1), "year"
    return None


def _month_year(base: date, month: int, word: str, future: bool) -> date:
    """The month meant by "in May", "since March" or "by June" in text published on ``base``.

    "since" looks back and "until"/"by" or a future clause look ahead (this month included);
    otherwise the nearest such month, so "in May" written in April is next month.
    """
    here = base.year * 12 + base.month - 1
    options = [(base.year + step) * 12 + month - 1 for step in (-1, 0, 1)]
    if word == "since":
        index = max(o for o in options if o <= here)
    elif future or word in {"until", "by"}:
        index = min(o for o in options if o >= here)
    else:
        index = min(options, key=lambda o: (abs(o - here), o > here))
    return date(index // 12, index % 12 + 1, 1)


def _weekday(base: date, weekday: int, modifier: str, future: bool) -> date:
    """The weekday meant by "on Friday", "last Friday" or "next Friday" in text published on ``base``.

    In a future clause the publication day itself counts ("sailings will resume on Tuesday" in
    Tuesday's paper is that day); "next Friday" is always a later day.
    """
    if modifier == "next" or (future and modifier != "last"):
        ahead = (weekday - base.weekday()) % 7
        if ahead == 0 and modifier == "next":
            ahead = 7
        return base + timedelta(days=ahead)
    back = (base.weekday() - weekday) % 7
    if modifier == "last" and back == 0:
        back = 7
    return base - timedelta(days=back)


def _relative_unit(base: date, word: str, unit: str) -> tuple[date, DatePrecision]:
    """ "last week", "this month", "next year" and the like."""
    step = {"last": -1, "this": 0, "next": 1}[word.lower()]
    if unit == "year":
        return date(base.year + step, 1, 1), "year"
    if unit == "month":
        return _add_months(base, step), "month"
    if unit == "weekend":
        saturday = base - timedelta(days=(base.weekday() - 5) % 7) + timedelta(weeks=max(step, 0))
        return saturday, "day"
    monday = base - timedelta(days=base.weekday()) + timedelta(weeks=step)
    return monday, "week"


def _add_months(base: date, months: int) -> date:
    """The first day of the month ``months`` away from ``base``'s month."""
    index = base.year * 12 + base.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _nearest_year(base: date, month: int, day: int, future: bool) -> int:
    """The year of a "March 13" without a year: this year, unless that is far on the wrong side."""
    try:
        candidate = date(base.year, month, day)
    except ValueError:
        return base.year
    if not future and candidate > base + timedelta(days=31):
        return base.year - 1
    if future and candidate < base - timedelta(days=31):
        return base.year + 1
    return base.year
