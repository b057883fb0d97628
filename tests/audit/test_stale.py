"""The ``stale`` defect: a sentence whose source is much older than the article's other sources."""

from __future__ import annotations

from datetime import UTC, datetime

from newsroundup.audit import audit, check_audit
from newsroundup.audit.stale import STALE_AFTER
from newsroundup.model import Article, Audit

NOW_A = "Flood water closed the Harbour Road bridge in Dunmere on Monday morning."
NOW_B = "About 300 homes lost power in Dunmere as the river rose overnight."
NOW_C = "Mayor Ines Calder urged residents of the lower town to move their cars to higher ground."
THEN = "A soldier from Dunmere was killed in a training accident at the Corran range."


def _when(day: int, month: int = 3, year: int = 2026) -> datetime:
    return datetime(year, month, day, 9, 30, tzinfo=UTC)


def _audited(sources: list[Article]) -> Audit:
    result = audit(Article("stitched", " ".join([NOW_A, NOW_B, THEN, NOW_C])), sources)
    check_audit(result, sources)
    return result


def _stale(result: Audit) -> list[tuple[int, str]]:
    return [(n, d.detail) for n, s in enumerate(result.sentences) for d in s.defects if d.kind == "stale"]


def test_a_sentence_from_a_year_old_report_is_stale_with_its_source() -> None:
    sources = [
        Article("courier", f"{NOW_A} {NOW_B}", outlet="Courier", published=_when(2)),
        Article("post", NOW_C, outlet="Post", published=_when(3)),
        Article("archive", THEN, outlet="Gazette", published=_when(14, 2, 2025)),
    ]
    result = _audited(sources)
    ((number, detail),) = _stale(result)
    assert number == 2 and "Gazette, 2025-02-14" in detail and "2026-03-02" in detail
    (defect,) = [d for d in result.sentences[2].defects if d.kind == "stale"]
    assert [e.article for e in defect.evidence] == ["archive"]


def test_a_story_spread_over_weeks_or_undated_sources_give_no_stale_sentence() -> None:
    spread = [
        Article("courier", f"{NOW_A} {NOW_B}", published=_when(2)),
        Article("post", NOW_C, published=_when(20)),
        Article("archive", THEN, published=_when(2) - STALE_AFTER),  # exactly the limit: not older than it
    ]
    assert _stale(_audited(spread)) == []
    undated = [Article("courier", f"{NOW_A} {NOW_B}", published=_when(2)), Article("post", NOW_C),
               Article("archive", THEN)]
    assert _stale(_audited(undated)) == []  # one dated source: no verdict
