"""The ``stale`` defect: a sentence that reports an older event as news.

Its source was published long before the sources most of the article comes from: the day each traced
sentence's source was published is a vote, and a sentence whose source is more than ``STALE_AFTER``
older than the median vote is stale. Sources without a date, or an article traced to fewer than two
dated sources, give no verdict.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from statistics import median_low

from newsroundup.audit.provenance import Alignment, SentenceIndex
from newsroundup.model import Defect

# A story's coverage runs over days or weeks; a month older than most of it is another event's report.
# Set by reasoning, not fitted: no labelled stale sentences exist here (see BENCHMARKS.md, Audit).
STALE_AFTER = timedelta(days=30)


def stale_defects(found: Sequence[Alignment], index: SentenceIndex) -> list[Defect | None]:
    """For each sentence: ``stale`` when its source is more than ``STALE_AFTER`` older than most of the article's."""
    dates = {a.id: a.published for a in index.articles if a.published is not None}
    outlets = {a.id: a.outlet or a.id for a in index.articles}
    dated = [(n, f.span) for n, f in enumerate(found) if f.span is not None and f.span.article in dates]
    out: list[Defect | None] = [None] * len(found)
    if len({span.article for _, span in dated}) < 2:
        return out
    main = median_low(_day(dates[span.article]) for _, span in dated)
    for number, span in dated:
        published = _day(dates[span.article])
        if main - published > STALE_AFTER:
            out[number] = Defect(
                "stale",
                f"its source ({outlets[span.article]}, {published:%Y-%m-%d}) is {(main - published).days} days "
                f"older than most of the article's sources ({main:%Y-%m-%d})",
                (span,),
            )
    return out


def _day(when: datetime) -> datetime:
    """``when`` without its time of day or zone: sources from several zones compare by calendar day."""
    return datetime(when.year, when.month, when.day)
