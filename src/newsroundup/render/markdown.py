"""Roundups as Markdown: headline, sentences with numbered citations, and the sources list."""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit

from newsroundup.model import Roundup, RoundupSentence, Source

# C0 controls but tab and newline, DEL and C1 controls: terminal escape sequences start with these.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_RAW_IN_JSON = re.compile("[\x7f-\x9f]")  # C0 controls json.dumps escapes itself
_URL_SAFE = ":/?#@!$&'*+,;=%~-._"  # kept as they are; spaces, parentheses and angle brackets are encoded


def md_text(text: str) -> str:
    """Article-derived text made inert in Markdown: no raw HTML, no control characters."""
    return _CONTROL.sub("", text).replace("<", "&lt;").replace(">", "&gt;")


def terminal_text(text: str) -> str:
    """Text for a terminal: no control characters (escape sequences, ``\\r``); newlines and tabs kept."""
    return _CONTROL.sub("", text)


def terminal_json(text: str) -> str:
    """JSON text for a terminal: DEL and C1 controls, which ``json.dumps`` leaves raw, written as ``\\u`` escapes.

    They can only occur inside JSON strings, so the document means the same.
    """
    return _RAW_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def md_link(label: str, url: str | None) -> str:
    """``[label](url)`` for an http(s) URL (characters that could end the link escaped), else the label."""
    text = md_text(label).replace("[", r"\[").replace("]", r"\]")
    if not url or urlsplit(url.strip()).scheme.lower() not in ("http", "https"):
        return text
    return f"[{text}]({quote(_CONTROL.sub('', url.strip()), safe=_URL_SAFE)})"


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
    lines = [f"# {md_text(roundup.headline)}" if roundup.headline else "# (untitled story)", ""]
    if roundup.headline_source is not None and roundup.headline_cuts:
        cut = len(roundup.headline_cuts)
        lines += [
            f"*Headline: a sentence of [{numbers[roundup.headline_source.article]}], shortened by leaving out {cut} "
            f"clause{'s' if cut != 1 else ''}.*",
            "",
        ]
    for sentence in roundup.sentences:
        s = sentence.source
        lines.append(f"{md_text(sentence.text)} [{numbers[s.article]}]{_corroboration(roundup, sentence, numbers)}")
        lines.append("")
    lines.extend(_extras(roundup, numbers))
    lines.append(f"## Sources ({roundup.independent_sources} independent outlets, {len(roundup.sources)} articles)")
    lines.append("")
    for n, source in enumerate(roundup.sources, start=1):
        entry = md_link(source_label(source), source.url)
        extra = []
        if source.published:
            extra.append(source.published.date().isoformat())
        if source.syndicated_from:
            extra.append(f"copy of {source.syndicated_from}")
        suffix = f" ({'; '.join(extra)})" if extra else ""
        lines.append(f"{n}. {entry}{suffix}")
    if roundup.warnings:
        lines.append("")
        lines.extend(f"> Note: {md_text(w)}" for w in roundup.warnings)
    return "\n".join(lines) + "\n"


def outlet_name(outlet: str | None) -> str:
    """An outlet as a reader sees it (an article without one is "an unnamed outlet")."""
    return outlet or "an unnamed outlet"


def only_here(roundup: Roundup, sentence: RoundupSentence) -> str | None:
    """The outlet that alone reports ``sentence``'s fact, when the roundup lists it as an exclusive."""
    for exclusive in roundup.exclusives:
        if exclusive.source == sentence.source:
            return outlet_name(exclusive.outlet)
    return None


def _corroboration(roundup: Roundup, sentence: RoundupSentence, numbers: dict[str, int]) -> str:
    """" — reported by 3 outlets: also A [2], B [4]" or " — only A reports this" (nothing when not looked for)."""
    if sentence.corroboration:
        also = ", ".join(
            f"{md_text(outlet_name(c.outlet))} [{numbers.get(c.article, '?')}]" for c in sentence.corroboration
        )
        return f" — reported by {len(sentence.corroboration) + 1} outlets: also {also}"
    alone = only_here(roundup, sentence)
    return f" — only {md_text(alone)} reports this" if alone else ""


def _extras(roundup: Roundup, numbers: dict[str, int]) -> list[str]:
    """Key quotes, who's who, timeline and disagreements, each cited; nothing when absent."""
    lines: list[str] = []
    if roundup.quotes:
        lines += ["## Key quotes", ""]
        roles = {e.name: e.roles[0] for e in roundup.entities if e.roles}
        for q in roundup.quotes:
            role = f" ({roles[q.speaker]})" if q.speaker in roles else ""
            lines.append(f"> “{md_text(q.text)}” — {md_text(q.speaker + role)} [{numbers.get(q.span.article, '?')}]")
            lines.append("")
    if roundup.statements:
        lines += ["## Who said what", "", "In the reporters' words (reported speech).", ""]
        for q in roundup.statements:
            number = numbers.get(q.span.article, "?")
            lines.append(f"- **{md_text(q.speaker)}** ({md_text(q.cue)}): {md_text(q.text)} [{number}]")
        lines.append("")
    if roundup.entities:
        lines += ["## Who's who", ""]
        for e in roundup.entities:
            also = f"; also {', '.join(e.aliases)}" if e.aliases else ""
            stated = f": {'; '.join(e.roles)}" if e.roles else ""
            lines.append(md_text(f"- **{e.name}** ({e.kind}{also}){stated}"))
        lines.append("")
    if roundup.timeline:
        lines += ["## Timeline", ""]
        for event in roundup.timeline:
            lines.append(f"- {md_text(event.label)}: {md_text(event.text)} [{numbers.get(event.source.article, '?')}]")
        lines.append("")
    listed = {s.source for s in roundup.sentences}
    others = [e for e in roundup.exclusives if e.source not in listed]
    if others:
        lines += ["## Only one outlet reports", ""]
        for alone in others:
            cite = numbers.get(alone.source.article, "?")
            lines.append(f"- {md_text(alone.text)} — {md_text(outlet_name(alone.outlet))} [{cite}]")
        lines.append("")
    if roundup.disagreements:
        lines += ["## Sources disagree", ""]
        for d in roundup.disagreements:
            cited = ", ".join(
                f"{value} [{numbers.get(span.article, '?')}]" for value, span in zip(d.values, d.sources, strict=True)
            )
            lines.append(f"- {md_text(d.fact)}: {md_text(cited)}")
        lines.append("")
    return lines
