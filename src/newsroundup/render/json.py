"""Roundups as JSON-ready dictionaries (the documented roundup JSON) and back."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from newsroundup.model import Roundup, RoundupSentence, Source, Span


def _span(span: Span) -> dict[str, Any]:
    return {"article": span.article, "start": span.start, "end": span.end}


def _date(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _sentence(sentence: RoundupSentence) -> dict[str, Any]:
    out: dict[str, Any] = {
        "text": sentence.text,
        "source": _span(sentence.source),
        "rewritten": sentence.rewritten,
    }
    if sentence.rewritten:
        out["replaced"] = sentence.replaced
        out["replacement"] = sentence.replacement
    return out


def _source(number: int, source: Source) -> dict[str, Any]:
    return {
        "number": number,
        "article": source.article,
        "outlet": source.outlet,
        "title": source.title,
        "url": source.url,
        "published": _date(source.published),
        "syndicated_from": source.syndicated_from,
    }


def roundup_to_dict(roundup: Roundup) -> dict[str, Any]:
    """The roundup JSON: headline, cited sentences, sources, word count and extras."""
    return {
        "story": roundup.story,
        "headline": roundup.headline,
        "sentences": [_sentence(s) for s in roundup.sentences],
        "sources": [_source(n, s) for n, s in enumerate(roundup.sources, start=1)],
        "independent_sources": roundup.independent_sources,
        "words": roundup.words,
        "quotes": [
            {
                "text": q.text,
                "speaker": q.speaker,
                "span": _span(q.span),
                "attribution": _span(q.attribution) if q.attribution else None,
            }
            for q in roundup.quotes
        ],
        "entities": [
            {"name": e.name, "kind": e.kind, "aliases": list(e.aliases), "roles": list(e.roles)}
            for e in roundup.entities
        ],
        "timeline": [
            {"when": t.when.isoformat(), "precision": t.precision, "text": t.text, "source": _span(t.source)}
            for t in roundup.timeline
        ],
        "disagreements": [
            {"fact": d.fact, "values": list(d.values), "sources": [_span(s) for s in d.sources]}
            for d in roundup.disagreements
        ],
        "method": roundup.method,
        "version": roundup.version,
        "warnings": list(roundup.warnings),
    }
