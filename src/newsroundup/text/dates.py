"""Dates in articles: parsing publication dates and finding date expressions resolved against them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Literal

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
_TENS_WORDS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_TEENS_WORDS = {
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
_NUMBER = r"\d+|[Aa]n?|[Oo]ne|[Tt]wo|[Tt]hree|[Ff]our|[Ff]ive|[Ss]ix|[Ss]even|[Ee]ight|[Nn]ine|[Tt]en"
_MONTH_RE = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)(?:\.(?=\s+\d))?"
)
# A month named alone ("in March", "last April"): full names or dotted abbreviations; "May" only
# after a word that makes it a month, since it is also a verb.
_MONTH_ALONE_RE = (
    r"(?:January|February|March|April|June|July|August|September|October|November|December|"
    r"(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.)"
)
_MONTH_WORD = (
    r"(?i:last|next|this|in|since|during|until|till|by|through|from|before|after|early|mid|mid-|late|of|"
    r"between|and|to|or)"
)
# A year written after a month ("November 19, 1887"): any year from 1600 on.
_YEAR_RE = r"(?:1[6-9]|20)\d\d\b"
# A year spoken in a transcript: "nineteen ninety-six", "two thousand".
_SPELLED_YEAR = (
    r"(?i:nineteen[\s-](?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
    r"(?:[\s-](?:one|two|three|four|five|six|seven|eight|nine))?|ten|eleven|twelve|thirteen|fourteen|fifteen|"
    r"sixteen|seventeen|eighteen|nineteen)|two[\s-]thousand)\b"
)
_DATE_EXPRESSION = re.compile(
    rf"""\b(?:
        (?:(?P<sp_month>{_MONTH_ALONE_RE})\s+)?(?P<spelled>{_SPELLED_YEAR})
      | (?P<rel_word>(?i:last|next|this|past|coming))\s+(?P<rel_unit>week|month|year|weekend)\b
      | (?P<ago_n>{_NUMBER})\s+(?P<ago_unit>(?i:day|week|month|year))s?\s+(?i:ago)\b
      | (?P<shift_n>{_NUMBER})\s+(?P<shift_unit>(?i:day|week|month|year))s?\s+(?P<shift_dir>(?i:earlier|later))\b
      | (?P<year_adj>(?i:year)-(?:earlier|ago))\b
      | (?P<day_word>(?i:yesterday|today|tonight|tomorrow))\b
      | (?P<wd_mod>(?i:last|next|this|on|early|late)\s+)?
            (?P<weekday>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b
      | (?P<md_month>{_MONTH_RE})\s+(?P<md_day>\d{{1,2}})(?!\d)(?:st|nd|rd|th)?\b
            (?:,?\s+(?P<md_year>{_YEAR_RE}))?
      | (?P<dm_day>(?<!\d)\d{{1,2}})\s+(?P<dm_month>{_MONTH_RE})(?:\s+(?P<dm_year>{_YEAR_RE}))?
      | (?P<my_month>{_MONTH_RE})\s+(?P<my_year>{_YEAR_RE})
      | (?:(?P<in_word>{_MONTH_WORD})\s+(?P<in_month>{_MONTH_RE}\b)
            |(?<!each\s)(?<!every\s)(?P<month_alone>{_MONTH_ALONE_RE}))
            (?!\.?\s+\d)(?!\s+[A-Z][a-z])
      | (?:(?P<year_word>(?i:in|since|during|until|by|of|from|through|before|after))\s+)?
            (?:(?<=mid-)|(?<![\d$£€#.,/-]))(?P<year>(?:1[89]|20)\d\d)(?![\d%]|[.,/:-]\d|s\b|\s+(?:GMT|UTC|[AP]M|hours?)\b)
    )""",
    re.VERBOSE,
)
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

Tense = Literal["future", "past"] | None
# Without a tense, news speaks of the past more than of the future: a date ahead of publication is
# taken only when it is clearly nearer ("payable Jan. 2" in November) than the one behind.
_AHEAD_COST = 1.5


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
    for match in _DATE_EXPRESSION.finditer(text, start, stop):
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
            resolved = _resolve(match, base, None)  # "WASHINGTON, Jan. 5 (AP) -": the day of the report
        else:
            resolved = _resolve(match, base, _tense(text, start, stop, match.start(), match.end()))
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
    word = match.group("shift_n").lower()
    n = int(word) if word.isdigit() else _NUMBER_WORDS[word]
    unit = match.group("shift_unit").lower()
    sign = -1 if match.group("shift_dir").lower() == "earlier" else 1
    anchor = next((m for m in reversed(before) if m.precision in ("day", "year")), None)
    if anchor is not None and re.search(r"[.!?]\s|\n", text[anchor.end : match.start()]):
        anchor = None
    if unit in ("month", "year"):
        if unit == "year":
            return date((anchor.when.year if anchor else base.year) + sign * n, 1, 1), "year"
        return _add_months(anchor.when if anchor else base, sign * n), "month"
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
    match = _DATE_EXPRESSION.search(expression)
    return _resolve(match, base, "future" if future else None) if match else None


def _month(name: str) -> int:
    """Month number of a month name or abbreviation."""
    return _MONTH_ABBR[name.lower().rstrip(".")[:4] if name.lower().startswith("sept") else name.lower()[:3]]


def _spelled_year(words: str) -> int:
    """The year of "nineteen ninety-six" or "two thousand"."""
    parts = re.split(r"[\s-]+", words.lower())
    if parts[0] == "two":
        return 2000
    rest = parts[1:]
    if rest[0] in _TEENS_WORDS:
        return 1900 + _TEENS_WORDS[rest[0]]
    return 1900 + _TENS_WORDS[rest[0]] + (_NUMBER_WORDS[rest[1]] if len(rest) > 1 else 0)


def _resolve(match: re.Match[str], base: date, tense: Tense) -> tuple[date, DatePrecision] | None:
    """The date one matched expression stands for, and how precise it is."""
    g = match.groupdict()
    if g["spelled"]:
        year = _spelled_year(g["spelled"])
        if g["sp_month"]:
            return date(year, _month(g["sp_month"]), 1), "month"
        return date(year, 1, 1), "year"
    if g["day_word"]:
        offset = {"yesterday": -1, "today": 0, "tonight": 0, "tomorrow": 1}[g["day_word"].lower()]
        return base + timedelta(days=offset), "day"
    if g["weekday"]:
        modifier = (g["wd_mod"] or "").strip().lower()
        return _weekday(base, _WEEKDAYS.index(g["weekday"].lower()), modifier, tense == "future"), "day"
    if g["rel_unit"]:
        return _relative_unit(base, g["rel_word"].lower(), g["rel_unit"].lower())
    if g["ago_unit"]:
        n = int(g["ago_n"]) if g["ago_n"].isdigit() else _NUMBER_WORDS[g["ago_n"].lower()]
        unit = g["ago_unit"].lower()
        if unit == "day":
            return base - timedelta(days=n), "day"
        if unit == "week":
            return base - timedelta(weeks=n), "week"
        if unit == "month":
            return _add_months(base, -n), "month"
        return date(base.year - n, 1, 1), "year"
    if g["year_adj"]:
        return date(base.year - 1, 1, 1), "year"
    if g["md_month"] or g["dm_month"]:
        month = _month(g["md_month"] or g["dm_month"])
        day = int(g["md_day"] or g["dm_day"])
        year_text = g["md_year"] or g["dm_year"]
        year = int(year_text) if year_text else _nearest_year(base, month, day, tense)
        try:
            return date(year, month, day), "day"
        except ValueError:
            return None
    if g["my_month"]:
        return date(int(g["my_year"]), _month(g["my_month"]), 1), "month"
    if g["in_month"] or g["month_alone"]:
        word = (g["in_word"] or "").lower()
        return _month_year(base, _month(g["in_month"] or g["month_alone"]), word, tense), "month"
    if g["year"]:
        return date(int(g["year"]), 1, 1), "year"
    return None


def _month_year(base: date, month: int, word: str, tense: Tense) -> date:
    """The month meant by "in May", "last March", "since March" or "by June" in text published on ``base``.

    "last" is the latest such month before this one and "next" the first after it; "since" or a
    past clause look back and "until"/"by" or a future clause look ahead (this month included);
    otherwise the nearest such month, so "in May" written in April is next month.
    """
    here = base.year * 12 + base.month - 1
    options = [(base.year + step) * 12 + month - 1 for step in (-1, 0, 1)]
    if word == "last":
        index = max(o for o in options if o < here)
    elif word == "next":
        index = min(o for o in options if o > here)
    elif word == "this":
        index = options[1]
    elif word == "since" or (tense == "past" and word not in {"until", "by"}):
        index = max(o for o in options if o <= here)
    elif tense == "future" or word in {"until", "by"}:
        index = min(o for o in options if o >= here)
    else:
        index = min(options, key=lambda o: (o - here) * _AHEAD_COST if o > here else here - o)
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
    """ "last week", "this month", "next year", "the past year" and the like."""
    step = {"last": -1, "past": -1, "this": 0, "next": 1, "coming": 1}[word]
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


def _nearest_year(base: date, month: int, day: int, tense: Tense) -> int:
    """The year of a "March 13" without a year: the tense's side of publication, else the nearest.

    A month's leeway either way: "on March 13" in a past clause of March 20's paper may still be
    next year's only if it is over a month ahead.
    """
    try:
        options = [date(base.year + step, month, day) for step in (-1, 0, 1)]
    except ValueError:
        return base.year
    if tense == "past":
        return max(o for o in options if o <= base + timedelta(days=31)).year
    if tense == "future":
        return min(o for o in options if o >= base - timedelta(days=31)).year
    return min(options, key=lambda o: (o - base).days * _AHEAD_COST if o > base else (base - o).days).year
