"""Roundups as Markdown: headline, sentences with numbered citations, and the sources list."""

from __future__ import annotations

from newsroundup.model import Roundup, Source


def source_numbers(roundup: Roundup) -> dict[str, int]:
    """Citation number of each source article (1-based, in the roundup's sources order)."""
    return {s.article: n for n, s in enumerate(roundup.sources, start=1)}


def source_label(source: Source) -> str:
    """How a source is named to a reader: outlet and title when known, else the article id."""
    parts = [p for p in (source.outlet, source.title) if p]
    return " — ".join(parts) if parts else source.article


def render_markdown(roundup: Roundup) -> str:
    """Markdown for one roundup; every sentence ends with its source's citation marker."""
    numbers = source_numbers(roundup)
    lines = [f"# {roundup.headline}" if roundup.headline else "# (untitled story)", ""]
    for sentence in roundup.sentences:
        s = sentence.source
        lines.append(f"{sentence.text} [{numbers[s.article]}]")
        lines.append("")
    lines.extend(_extras(roundup, numbers))
    lines.append(f"## Sources ({roundup.independent_sources} independent outlets, {len(roundup.sources)} articles)")
    lines.append("")
    for n, source in enumerate(roundup.sources, start=1):
        label = source_label(source)
        entry = f"[{label}]({source.url})" if source.url else label
        extra = []
        if source.published:
            extra.append(source.published.date().isoformat())
        if source.syndicated_from:
            extra.append(f"copy of {source.syndicated_from}")
        suffix = f" ({'; '.join(extra)})" if extra else ""
        lines.append(f"{n}. {entry}{suffix}")
    if roundup.warnings:
        lines.append("")
        lines.extend(f"> Note: {w}" for w in roundup.warnings)
    return "\n".join(lines) + "\n"


def _extras(roundup: Roundup, numbers: dict[str, int]) -> list[str]:
    """Key quotes, who's who, timeline and disagreements, each cited; nothing when absent."""
    lines: list[str] = []
    if roundup.quotes:
        lines += ["## Key quotes", ""]
        roles = {e.name: e.roles[0] for e in roundup.entities if e.roles}
        for q in roundup.quotes:
            role = f" ({roles[q.speaker]})" if q.speaker in roles else ""
            lines.append(f"> “{q.text}” — {q.speaker}{role} [{numbers.get(q.span.article, '?')}]")
            lines.append("")
    if roundup.entities:
        lines += ["## Who's who", ""]
        for e in roundup.entities:
            also = f"; also {', '.join(e.aliases)}" if e.aliases else ""
            stated = f": {'; '.join(e.roles)}" if e.roles else ""
            lines.append(f"- **{e.name}** ({e.kind}{also}){stated}")
        lines.append("")
    if roundup.timeline:
        lines += ["## Timeline", ""]
        for event in roundup.timeline:
            lines.append(f"- {event.label}: {event.text} [{numbers.get(event.source.article, '?')}]")
        lines.append("")
    if roundup.disagreements:
        lines += ["## Sources disagree", ""]
        for d in roundup.disagreements:
            cited = ", ".join(
                f"{value} [{numbers.get(span.article, '?')}]" for value, span in zip(d.values, d.sources, strict=True)
            )
            lines.append(f"- {d.fact}: {cited}")
        lines.append("")
    return lines
