"""Date expressions: the pattern that finds them and the calendar arithmetic that resolves one against a date."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Literal

from newsroundup.model import DatePrecision
from newsroundup.text.tokens import WORD_NUMBERS

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTHS = "january february march april may june july august september october november december".split()
_MONTH_ABBR = {m[:3]: i + 1 for i, m in enumerate(_MONTHS)} | {"sept": 9}
# Day and month names: capitalised like names, but they say when, not who or where.
CALENDAR_WORDS = frozenset((*_WEEKDAYS, *_MONTHS))
MONTH_ABBREVIATIONS = frozenset(_MONTH_ABBR)  # "jan" … "dec" and "sept"
# Counts and spelled years read from the one table of number words (text/tokens.py).
_NUMBER_WORDS = {"a": 1, "an": 1} | {w: v for w, v in WORD_NUMBERS.items() if 1 <= v <= 10}
_TENS_WORDS = {w: v for w, v in WORD_NUMBERS.items() if v >= 20}
_TEENS_WORDS = {w: v for w, v in WORD_NUMBERS.items() if 10 <= v <= 19}
# Days of the month written as words, as transcripts give them ("March eighth", "the twenty-first").
_UNIT_ORDINALS = "first second third fourth fifth sixth seventh eighth ninth".split()
_DAY_ORDINALS = (
    {
        w: i + 1
        for i, w in enumerate(
            [
                *_UNIT_ORDINALS,
                *"tenth eleventh twelfth thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth".split(),
                *"nineteenth twentieth".split(),
            ]
        )
    }
    | {f"twenty-{w}": 21 + i for i, w in enumerate(_UNIT_ORDINALS)}
    | {"thirtieth": 30, "thirty-first": 31}
)
_DAY_ORDINAL_RE = "|".join(sorted(_DAY_ORDINALS, key=len, reverse=True))
# The forms of a day of the month in ``DATE_EXPRESSION``, by group prefix (``md_month``, ``md_day``,
# ``md_year``): "March 13", "13 March", "March eighth", "the eighth of March".
DAY_OF_MONTH_FORMS = ("md", "dm", "mw", "wm")
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
DATE_EXPRESSION = re.compile(
    rf"""\b(?:
        (?:(?P<sp_month>{_MONTH_ALONE_RE})\s+)?(?P<spelled>{_SPELLED_YEAR})
      | (?P<rel_word>(?i:last|next|this|past|coming))\s+(?P<rel_unit>week|month|year|weekend)\b
      | (?<![-\w])(?P<ago_n>{_NUMBER})\s+(?P<ago_unit>(?i:day|week|month|year))s?\s+(?i:ago)\b
      | (?<![-\w])(?P<shift_n>{_NUMBER})\s+(?P<shift_unit>(?i:day|week|month|year))s?\s+
            (?P<shift_dir>(?i:earlier|later))\b
      | (?P<year_adj>(?i:year)-(?:earlier|ago))\b
      | (?P<day_word>(?i:yesterday|today|tonight|tomorrow))\b
      | (?P<wd_mod>(?i:last|next|this\s+coming|coming|this|on|early|late)\s+)?
            (?P<weekday>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b
      | (?P<md_month>{_MONTH_RE})\s+(?P<md_day>\d{{1,2}})(?!\d)(?:st|nd|rd|th)?\b
            (?:,?\s+(?P<md_year>{_YEAR_RE}))?
      | (?P<mw_month>{_MONTH_ALONE_RE}|May)\s+(?:the\s+)?(?P<mw_day>(?i:{_DAY_ORDINAL_RE}))(?![-\w])
            (?:,?\s+(?P<mw_year>{_YEAR_RE}))?
      | (?<![-\w])(?P<wm_day>(?i:{_DAY_ORDINAL_RE}))\s+of\s+(?P<wm_month>{_MONTH_ALONE_RE}|May)
            (?:,?\s+(?P<wm_year>{_YEAR_RE}))?
      | (?P<dm_day>(?<!\d)\d{{1,2}})(?:st|nd|rd|th)?(?:\s+of)?\s+(?P<dm_month>{_MONTH_RE})
            (?:\s+(?P<dm_year>{_YEAR_RE}))?
      | (?P<my_month>{_MONTH_RE})\s+(?P<my_year>{_YEAR_RE})
      | (?:(?P<in_word>{_MONTH_WORD})\s+(?P<in_month>{_MONTH_RE}\b)
            |(?<!each\s)(?<!every\s)(?P<month_alone>{_MONTH_ALONE_RE}))
            (?!\.?\s+\d)(?!\s+[A-Z][a-z])(?!\s+(?:the\s+)?(?i:{_DAY_ORDINAL_RE})(?![-\w]))
      | (?:(?P<year_word>(?i:in|since|during|until|by|of|from|through|before|after|fiscal))\s+)?
            (?:(?<=mid-)|(?<![\d$£€#.,/-]))(?P<year>(?:1[89]|20)\d\d)(?![\d%]|[.,/:-]\d|s\b|\s+(?:GMT|UTC|[AP]M|hours?)\b)
    )""",
    re.VERBOSE,
)

# Quarters ("third-quarter profit", "the 1988 second quarter", "this year's third quarter") and
# seasons with a word that makes them a time ("last fall", "in the spring", "summer of 2010"; not
# "prices fall"). Winter is left out: it straddles two years, and writers differ on which it is.
PERIOD_EXPRESSION = re.compile(
    rf"""\b(?:
        (?:(?P<q_year_before>{_YEAR_RE})\s+|(?P<q_rel>(?i:this|last|next))\s+year['’]s\s+)?
            (?<!fiscal\s)(?<!fiscal-)(?P<q_ord>(?i:first|second|third|fourth|1st|2nd|3rd|4th))[-\s](?i:quarter)\b(?!s)
            (?:\s+of\s+(?P<q_year_after>{_YEAR_RE}))?
      | (?:(?P<s_mod>(?i:last|this|next|early|late|mid|this\s+past|the\s+past))[-\s]+
          |(?P<s_in>(?i:in|during|by|through|until|since|over)\s+the\s+))?
            (?P<season>(?i:spring|summer|fall|autumn))\b
            (?:(?:\s+of|,)?\s+(?P<s_year>{_YEAR_RE}))?
    )""",
    re.VERBOSE,
)
_QUARTERS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4}
_SEASON_MONTHS = {"spring": 3, "summer": 6, "fall": 9, "autumn": 9}


def resolve_period(match: re.Match[str], base: date, tense: Tense) -> tuple[date, DatePrecision] | None:
    """The quarter or season one ``PERIOD_EXPRESSION`` match names, or ``None`` for a season with no time word."""
    g = match.groupdict()
    if g["q_ord"]:
        quarter = _QUARTERS[g["q_ord"].lower()]
        if g["q_year_before"] or g["q_year_after"]:
            year = int(g["q_year_before"] or g["q_year_after"])
        elif g["q_rel"]:
            year = base.year + {"this": 0, "last": -1, "next": 1}[g["q_rel"].lower()]
        else:
            here = base.year * 4 + (base.month - 1) // 3
            index = _pick([(base.year + step) * 4 + quarter - 1 for step in (-1, 0, 1)], here, "", tense, 1)
            year = index // 4
        return date(year, quarter * 3 - 2, 1), "quarter"
    month = _SEASON_MONTHS[g["season"].lower()]
    if g["s_year"]:
        return date(int(g["s_year"]), month, 1), "season"
    word = " ".join((g["s_mod"] or "").lower().split())
    if not word and not g["s_in"]:
        return None
    word = "last" if word in ("this past", "the past") else word
    if g["s_in"] and g["s_in"].split()[0].lower() == "since":
        word = "since"
    here = base.year * 12 + base.month - 1
    index = _pick([(base.year + step) * 12 + month - 1 for step in (-1, 0, 1)], here, word, tense, 3)
    return date(index // 12, index % 12 + 1, 1), "season"


def _pick(options: list[int], here: int, word: str, tense: Tense, length: int) -> int:
    """Of one period's start in last, this and next year (in its units), the one meant.

    "last" is the latest one over before ``here``, "next" the first to start after it, "this" this
    year's; a past clause looks back and a future clause ahead (the running one included), and
    otherwise the nearest, the past favoured.
    """
    if word == "last":
        return max(o for o in options if o + length <= here)
    if word == "next":
        return min(o for o in options if o > here)
    if word == "this":
        return options[1]
    if word == "since" or tense == "past":
        return max(o for o in options if o <= here)
    if tense == "future":
        return min(o for o in options if o + length > here)
    return min(options, key=lambda o: (o - here) * _AHEAD_COST if o > here else max(0, here - o - length + 1))


# The tense of the clause a date stands in, when it has one.
Tense = Literal["future", "past"] | None
# Without a tense, news speaks of the past more than of the future: a date ahead of publication is
# taken only when it is clearly nearer ("payable Jan. 2" in November) than the one behind.
_AHEAD_COST = 1.5


def number_value(word: str) -> int:
    """The count a matched number stands for: digits, or "a", "an", "one" ... "ten" in any case."""
    return int(word) if word.isdigit() else _NUMBER_WORDS[word.lower()]


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


def resolve_match(match: re.Match[str], base: date, tense: Tense) -> tuple[date, DatePrecision] | None:
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
        n = number_value(g["ago_n"])
        unit = g["ago_unit"].lower()
        if unit == "day":
            return base - timedelta(days=n), "day"
        if unit == "week":
            return base - timedelta(weeks=n), "week"
        if unit == "month":
            return add_months(base, -n), "month"
        return date(base.year - n, 1, 1), "year"
    if g["year_adj"]:
        return date(base.year - 1, 1, 1), "year"
    form = next((f for f in DAY_OF_MONTH_FORMS if g[f"{f}_month"]), None)
    if form is not None:
        month = _month(g[f"{form}_month"])
        day_text, year_text = g[f"{form}_day"], g[f"{form}_year"]
        day = int(day_text) if day_text.isdigit() else _DAY_ORDINALS[day_text.lower()]
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
    Tuesday's paper is that day); "next Friday" and "this coming Friday" are always a later day.
    """
    modifier = "next" if modifier.endswith("coming") else modifier
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
        return add_months(base, step), "month"
    if unit == "weekend":
        saturday = base - timedelta(days=(base.weekday() - 5) % 7) + timedelta(weeks=max(step, 0))
        return saturday, "day"
    monday = base - timedelta(days=base.weekday()) + timedelta(weeks=step)
    return monday, "week"


def add_months(base: date, months: int) -> date:
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
