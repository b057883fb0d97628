"""The records that flow between stages: articles, spans, stories, quotes, entities and roundups."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal, Protocol

import pydantic
from pydantic import TypeAdapter, computed_field

EntityKind = Literal["person", "organization", "place", "group"]
# How precisely a date is known: "on Friday" is a day, "next week" a week, "in March" a month,
# "the third quarter" a quarter, "last summer" a season (spring, summer or fall; winter straddles two years).
DatePrecision = Literal["day", "week", "month", "quarter", "season", "year"]


@dataclass(frozen=True, slots=True)
class Article:
    """One news article: clean body text plus what we know about where it came from."""

    id: str
    text: str
    url: str | None = None
    outlet: str | None = None
    title: str | None = None
    published: datetime | None = None
    language: str | None = None
    fetched_at: datetime | None = None
    syndicated_from: str | None = None
    author: str | None = None
    partial: bool = False  # only the feed's excerpt could be had, not the full page


@dataclass(frozen=True, slots=True)
class Span:
    """Character offsets ``[start, end)`` into one article's ``text``: the unit of provenance."""

    article: str
    start: int
    end: int

    def text_in(self, article: Article) -> str:
        """Return the characters of ``article`` this span covers."""
        return article.text[self.start : self.end]


@dataclass(frozen=True, slots=True)
class Story:
    """Articles about one event, with an id that stays stable across runs."""

    id: str
    article_ids: tuple[str, ...]
    first_seen: datetime | None = None
    last_seen: datetime | None = None
    version: int = 1


@dataclass(frozen=True, slots=True)
class Quote:
    """A verbatim quotation, who said it, and where both the quote and its attribution are.

    ``kind`` is ``"direct"`` (the words between quotation marks) or ``"reported"`` (speech given in
    the writer's words: "X said (that) ...", "according to X, ..."; never shown in quotation marks).
    ``speaker_span`` is the speaker as written ("he", "the minister"); ``cue`` the speech verb.
    """

    text: str
    speaker: str
    span: Span
    attribution: Span | None = None
    kind: str = "direct"
    cue: str = ""
    speaker_span: Span | None = None


@dataclass(frozen=True, slots=True)
class Entity:
    """A person, organisation, group or place under one canonical name."""

    name: str
    kind: EntityKind
    aliases: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Corroboration:
    """Another outlet's report of the same fact: the sentence ``[start, end)`` of ``article``."""

    article: str
    start: int
    end: int
    outlet: str | None = None

    @property
    def span(self) -> Span:
        """Where the corroborating report is, as a span."""
        return Span(self.article, self.start, self.end)


@dataclass(frozen=True, slots=True)
class Exclusive:
    """A fact of the story that one outlet alone reports (an exclusive, or an unconfirmed claim)."""

    text: str
    source: Span
    outlet: str | None = None


@dataclass(frozen=True, slots=True)
class RoundupSentence:
    """One sentence of a roundup and the span it comes from.

    When ``rewritten`` is false, ``text`` is exactly the span's text. When true, the only
    difference is ``replaced`` (a pronoun or short mention in the source) becoming ``replacement``.
    """

    text: str
    source: Span
    rewritten: bool = False
    replaced: str | None = None
    replacement: str | None = None
    # Other independent outlets' sentences stating the same fact (copies never count), one per outlet.
    corroboration: tuple[Corroboration, ...] = ()


@dataclass(frozen=True, slots=True)
class Source:
    """An article cited by a roundup, as a reader sees it in the sources list."""

    article: str
    outlet: str | None
    title: str | None
    url: str | None
    published: datetime | None = None
    syndicated_from: str | None = None


@dataclass(frozen=True, slots=True)
class TimelineEvent:
    """A dated event of a story, cited to where it is stated.

    ``when`` is the start of the period ``precision`` names: the day, the Monday of the week, the
    first of the month, of the quarter's first month, of the season's first month (March, June,
    September) or 1 January of the year.
    """

    when: datetime
    text: str
    source: Span
    precision: DatePrecision = "day"

    @property
    def label(self) -> str:
        """The date as a reader should see it: "2026-04-14", "week of 2026-04-13", "March 2026", "Q3 2026",
        "summer 2026", "2025"."""
        if self.precision == "year":
            return str(self.when.year)
        if self.precision == "month":
            return self.when.strftime("%B %Y")
        if self.precision == "week":
            return f"week of {self.when.date().isoformat()}"
        if self.precision == "quarter":
            return f"Q{(self.when.month - 1) // 3 + 1} {self.when.year}"
        if self.precision == "season":
            return f"{_SEASONS[self.when.month]} {self.when.year}"
        return self.when.date().isoformat()


_SEASONS = {3: "spring", 6: "summer", 9: "fall"}


@dataclass(frozen=True, slots=True)
class Disagreement:
    """One fact (a count or an amount) that outlets state with different numbers.

    ``values[i]`` is the number as written in the sentence ``sources[i]`` cites.
    """

    fact: str
    values: tuple[str, ...]
    sources: tuple[Span, ...]


@pydantic.dataclasses.dataclass(frozen=True, slots=True)
class Roundup:
    """What a reader gets for one story: headline, cited sentences, sources and extras.

    Its one serialisation is :data:`ROUNDUP_JSON` (the roundup JSON of every output, the store and the
    API); ``words`` and ``independent_sources`` are written with it, read-only.
    """

    story: str
    headline: str
    sentences: tuple[RoundupSentence, ...]
    sources: tuple[Source, ...]
    method: str
    version: str
    quotes: tuple[Quote, ...] = ()
    entities: tuple[Entity, ...] = ()
    timeline: tuple[TimelineEvent, ...] = ()
    warnings: tuple[str, ...] = field(default=())
    disagreements: tuple[Disagreement, ...] = ()
    # Facts one outlet alone reports; empty when corroboration was not looked for.
    exclusives: tuple[Exclusive, ...] = ()
    # What's new: what the articles added since roundup version ``whats_new_since`` say that the
    # articles of that version did not (none when ``whats_new_since`` is set: nothing new of substance).
    whats_new: tuple[RoundupSentence, ...] = ()
    whats_new_since: int | None = None
    # Who said what in the writer's words: reported speech (kind "reported") of named speakers, cited;
    # never shown in quotation marks (``quotes`` are the direct ones).
    statements: tuple[Quote, ...] = ()
    # Where the headline comes from when it is a sentence (none: an article's title), and the clauses of that
    # sentence a shortened lede leaves out (spans of the same article; ``roundup.headline_cut.cut_text``).
    headline_source: Span | None = None
    headline_cuts: tuple[Span, ...] = ()

    @computed_field  # type: ignore[prop-decorator]
    @property
    def words(self) -> int:
        """Words in the summary sentences (headline excluded), as the budget counts them."""
        return sum(len(s.text.split()) for s in self.sentences)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def independent_sources(self) -> int:
        """Distinct outlets among the sources that are not copies of another article."""
        return independent_outlets(self.sources)


class _Reported(Protocol):
    @property
    def outlet(self) -> str | None: ...
    @property
    def syndicated_from(self) -> str | None: ...


def independent_outlets(items: Iterable[_Reported]) -> int:
    """How many independent reports: distinct outlets among originals (an unnamed outlet counts once each).

    Copies of another article do not count, and two articles of one outlet are one source.
    """
    originals = [item for item in items if item.syndicated_from is None]
    named = {item.outlet.casefold() for item in originals if item.outlet}
    return len(named) + sum(1 for item in originals if not item.outlet)


def story_id(first_article: str) -> str:
    """A story's id, derived from the id of the article that started it (the one scheme for every story)."""
    return "s" + hashlib.sha1(first_article.encode("utf-8")).hexdigest()[:12]


# -- the one serialisation -------------------------------------------------------------------------

ROUNDUP_JSON: TypeAdapter[Roundup] = TypeAdapter(Roundup)


def roundup_to_json(roundup: Roundup) -> dict[str, Any]:
    """The roundup JSON: every field of the record (dates as ISO 8601), plus ``words`` and ``independent_sources``."""
    data: dict[str, Any] = ROUNDUP_JSON.dump_python(roundup, mode="json")
    return data


def roundup_from_json(data: Any) -> Roundup:
    """A ``Roundup`` from the roundup JSON (read-only and unknown keys are ignored); ValueError when it is not one."""
    try:
        return ROUNDUP_JSON.validate_python(data)
    except pydantic.ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "roundup"
        raise ValueError(f"not a roundup: {where}: {first['msg']}") from None


# -- audit: a stitched article traced back to its sources -----------------------------------------

MatchKind = Literal["verbatim", "edited", "paraphrase", "none"]
DefectKind = Literal[
    "no_source", "dangling_reference", "misattributed_quote", "misspelling", "changed_fact", "off_topic", "aliases",
    "stale",
]


@dataclass(frozen=True, slots=True)
class Defect:
    """Something wrong with one audited sentence, with the source spans that show it."""

    kind: DefectKind
    detail: str
    evidence: tuple[Span, ...] = ()


@dataclass(frozen=True, slots=True)
class AuditSentence:
    """One sentence of the audited text ``[start, end)``, the source span it came from and its defects."""

    text: str
    start: int
    end: int
    source: Span | None
    match: MatchKind
    score: float
    copies: tuple[Span, ...] = ()
    defects: tuple[Defect, ...] = ()


@pydantic.dataclasses.dataclass(frozen=True, slots=True)
class Audit:
    """Where each sentence of an article came from and what is wrong with it; serialised by :data:`AUDIT_JSON`."""

    article: str
    text: str
    sentences: tuple[AuditSentence, ...]
    sources: tuple[Source, ...]
    method: str
    version: str
    warnings: tuple[str, ...] = ()

    @computed_field  # type: ignore[prop-decorator]
    @property
    def summary(self) -> dict[str, Any]:
        """Counts a reader can act on: sentences traced, sources used, independent outlets, defects by kind."""
        traced = [s for s in self.sentences if s.source is not None]
        used = {s.source.article for s in traced if s.source is not None}
        defects: dict[str, int] = {}
        for sentence in self.sentences:
            for defect in sentence.defects:
                defects[defect.kind] = defects.get(defect.kind, 0) + 1
        return {
            "sentences": len(self.sentences),
            "traced": len(traced),
            "sources_used": len(used),
            "independent_outlets": independent_outlets(s for s in self.sources if s.article in used),
            "defects": dict(sorted(defects.items())),
        }


AUDIT_JSON: TypeAdapter[Audit] = TypeAdapter(Audit)


def audit_to_json(audit: Audit) -> dict[str, Any]:
    """The audit JSON: every field of the record plus its ``summary``."""
    data: dict[str, Any] = AUDIT_JSON.dump_python(audit, mode="json")
    return data
