"""What the store holds, shown: ``status``, ``articles``, ``stories`` and ``story`` as text, JSON or HTML."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from newsroundup.errors import InputError, NewsroundupError
from newsroundup.grouping.copies import mark_copies
from newsroundup.model import roundup_to_json
from newsroundup.render import render
from newsroundup.render.markdown import md_text, terminal_json, terminal_text
from newsroundup.render.stories import (
    changes_markdown,
    changes_to_dict,
    roundup_changes,
    stories_table,
    story_record,
)
from newsroundup.roundup.checker import check_roundup
from newsroundup.roundup.summarize import RoundupOptions
from newsroundup.roundup.write import write_roundup
from newsroundup.store.base import open_store
from newsroundup.store.views import articles_jsonl, articles_table, failures_text, status_text
from newsroundup.text.dates import parse_iso_datetime


def status_report(db: Path | str, failures: bool) -> str:
    """What the store holds (articles, outlets, feeds), and with ``failures`` every failure with its reason."""
    with open_store(db, existing=True) as store:
        report = status_text(store.status(), str(db)) + (failures_text(store.failures()) if failures else "")
    return terminal_text(report)


def articles_text(db: Path | str, since: datetime | None, outlet: str | None, fmt: str) -> str:
    """The stored articles (published or fetched since ``since``, from ``outlet``) as a table or JSON lines."""
    with open_store(db, existing=True) as store:
        articles = store.articles(since=since, outlet=outlet)
    if fmt == "jsonl":
        return terminal_json("".join(articles_jsonl(articles)))
    return terminal_text(articles_table(articles))


def stories_text(db: Path | str, since: datetime | None, min_sources: int, fmt: str) -> str:
    """The stored stories (seen since ``since``, with ``min_sources`` independent outlets) as a table or JSON lines."""
    with open_store(db, existing=True) as store:
        rows = store.story_rows(since=since, min_sources=min_sources)
    if fmt == "json":
        return terminal_json("".join(json.dumps(story_record(r), ensure_ascii=False) + "\n" for r in rows))
    return terminal_text(stories_table(rows))


def story_text(db: Path | str, story_id: str, fmt: str, *, changes: bool = False) -> str:
    """One story's latest roundup in ``fmt`` (md, json, html), with what changed since the version before."""
    with open_store(db, existing=True) as store:
        row = store.story_row(story_id)
        versions = store.roundup_versions(row.id, limit=2)
        if not versions:
            raise NewsroundupError(f"story {row.id} has no roundup yet (run `newsroundup run`)")
        articles = store.articles_by_id(store.story_article_ids(row.id)) if fmt == "html" else []
    latest = versions[0]
    previous = versions[1] if len(versions) > 1 else None
    changed = roundup_changes(
        latest.roundup, latest.version, previous.roundup if previous else None, previous.version if previous else None
    )
    if fmt == "json":
        data = {"story": story_record(row), "roundup": roundup_to_json(latest.roundup)}
        if changes:
            data["changes"] = changes_to_dict(changed)
        return terminal_json(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    if fmt == "html":
        if changes:
            raise NewsroundupError("story: --changes is shown with --format md or json")
        return terminal_text(render(latest.roundup, articles, "html"))
    return terminal_text(render(latest.roundup, [], "md") + ("\n" + changes_markdown(changed) if changes else ""))


def story_why_text(db: Path | str, story_id: str, fmt: str) -> str:
    """Why a story's articles are together (``story --why``), as Markdown or JSON (embeds the articles' leads)."""
    from dataclasses import asdict

    from newsroundup.grouping.signals import article_signals
    from newsroundup.grouping.state import index_from_dict
    from newsroundup.grouping.why import explain

    if fmt not in ("md", "json"):
        raise NewsroundupError("story: --why is shown with --format md or json")
    with open_store(db, existing=True) as store:
        row = store.story_row(story_id)
        articles = store.articles_by_id(store.story_article_ids(row.id))
        saved = store.grouping_state().state
    try:
        index = index_from_dict(saved) if saved is not None else None
    except InputError:
        index = None  # a grouping saved by another version: no nearest story, the rest still holds
    why = explain(row.id, article_signals(articles), index)
    if fmt == "json":
        return terminal_json(json.dumps(asdict(why), indent=2, ensure_ascii=False) + "\n")
    outlets = {a.id: a.outlet for a in articles}
    lines = [f"## Why these articles are together — story {why.story}", ""]
    for reason in why.articles:
        parts = [f"lead similarity {reason.cosine:.2f} with the others" if reason.cosine is not None else "alone"]
        if reason.copy_of:
            parts.append(f"a copy of {md_text(reason.copy_of)}")
        for label, items in (("key terms", reason.terms), ("numbers", reason.numbers), ("words", reason.words)):
            if items:
                parts.append(f"{label}: " + ", ".join(md_text(item) for item in items))
        if reason.days_apart is not None:
            parts.append(f"{reason.days_apart:g} days from the nearest")
        outlet = outlets.get(reason.article)
        named = f" ({md_text(outlet)})" if outlet else ""
        lines.append(f"- **{md_text(reason.article)}**{named}: " + "; ".join(parts))
    if why.nearest is not None:
        shared = f", sharing {', '.join(md_text(n) for n in why.nearest.terms)}" if why.nearest.terms else ""
        lines += ["", f"Kept apart from story {why.nearest.story} (similarity {why.nearest.cosine:.2f}{shared})."]
    return terminal_text("\n".join(lines) + "\n")


def whats_new_text(db: Path | str, story_id: str, since: str, fmt: str, options: RoundupOptions) -> str:
    """What a story's articles add since roundup version ``since`` (a number) or date (ISO), cited like a roundup.

    The articles read by then are those version listed as sources, or those published (else fetched)
    before the date; the rest are new. The update leaves out what the earlier ones reported
    (``roundup.update``) and says so when nothing new of substance is left.
    """
    with open_store(db, existing=True) as store:
        row = store.story_row(story_id)
        articles = store.articles_by_id(store.story_article_ids(row.id))
        if since.isascii() and since.isdigit():  # not int() of "²" or of 5,000 digits: both raise
            versions = {str(v.version): v for v in store.roundup_versions(row.id)}
            if since.lstrip("0") not in versions:
                shown = ", ".join(sorted(versions, key=int)) or "none yet"
                raise NewsroundupError(f"story {row.id} has no roundup version {since[:20]} (versions: {shown})")
            read = {s.article for s in versions[since.lstrip("0")].roundup.sources}
            label = f"version {since}"
        else:
            when = parse_since(since)
            read = {a.id for a in articles if (a.published or a.fetched_at or when) < when}
            label = when.isoformat()
    seen = [a for a in articles if a.id in read]
    new = mark_copies([a for a in articles if a.id not in read])
    if not new:
        raise NewsroundupError(f"story {row.id}: no article since {label}")
    roundup = write_roundup(new, options, story_id=row.id, seen=seen)
    check_roundup(roundup, new, options.words)
    if fmt == "json":
        data = {"story": story_record(row), "since": label, "earlier": len(seen), "roundup": roundup_to_json(roundup)}
        return terminal_json(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    if fmt == "html":
        return terminal_text(render(roundup, new, "html"))
    heading = f"What's new since {label} ({len(new)} newer articles, {len(seen)} read before)\n\n"
    return terminal_text(heading + render(roundup, [], "md"))


def parse_since(value: str) -> datetime:
    """An ISO date or time as an aware datetime (UTC when it names no zone); InputError otherwise."""
    try:
        return parse_iso_datetime(value)
    except ValueError:
        raise InputError(f"--since: {value!r} is neither a version number nor an ISO date") from None
