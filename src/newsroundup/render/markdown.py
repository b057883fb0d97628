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
    lines.append(f"## Sources ({roundup.independent_sources} independent of {len(roundup.sources)})")
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
