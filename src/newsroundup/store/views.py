"""What is stored, for people and pipes: the status report, article tables and JSONL export."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from newsroundup.model import Article
from newsroundup.store.feeds import StoreStatus

_TITLE_WIDTH = 60


def status_text(status: StoreStatus, db: str) -> str:
    """``newsroundup status`` as plain text."""
    lines = [
        f"store: {db}",
        f"articles: {status.articles} ({status.articles - status.copies} originals, "
        f"{status.copies} syndicated copies, {status.partial} partial)",
        f"outlets: {len(status.outlets)}",
    ]
    lines += [f"  {count:6d}  {outlet}" for outlet, count in status.outlets[:20]]
    if len(status.outlets) > 20:
        lines.append(f"  ... and {len(status.outlets) - 20} more")
    total = sum(count for _, count in status.failures)
    lines.append(f"failures: {total}")
    lines += [f"  {count:6d}  {kind}" for kind, count in status.failures]
    lines.append(f"feeds: {len(status.feeds)}")
    for feed in status.feeds:
        when = _short(feed.last_polled_at) or "never"
        detail = f"{feed.last_status}, {feed.last_new} new" if feed.last_status != "failed" else "failed"
        error = f"  ({feed.last_error})" if feed.last_error else ""
        lines.append(f"  {when}  {detail:>18}  {feed.url}{error}")
    return "\n".join(lines) + "\n"


def failures_text(failures: Iterable[tuple[str, str, str, str, int]]) -> str:
    """Every recorded failure, one line each: kind, times seen, reason."""
    lines = [f"  {kind:<16} x{count:<3} {message}" for _, _, kind, message, count in failures]
    return "failure details:\n" + "\n".join(lines) + "\n" if lines else ""


def articles_table(articles: Iterable[Article]) -> str:
    """Stored articles as an aligned table: date, outlet, id, title, copy marker."""
    rows = [("date", "outlet", "id", "title")]
    for article in articles:
        title = article.title or article.text[:_TITLE_WIDTH]
        if len(title) > _TITLE_WIDTH:
            title = title[: _TITLE_WIDTH - 1] + "…"
        marks = (" [copy]" if article.syndicated_from else "") + (" [partial]" if article.partial else "")
        when = _short(article.published or article.fetched_at) or ""
        rows.append((when, article.outlet or "", article.id, title.replace("\n", " ") + marks))
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    return "".join(
        f"{row[0]:<{widths[0]}}  {row[1]:<{widths[1]}}  {row[2]:<{widths[2]}}  {row[3]}".rstrip() + "\n"
        for row in rows
    )


def article_record(article: Article) -> dict[str, Any]:
    """One article as a JSON object with the fields ``summarize`` reads back (and a few more)."""
    return {
        "id": article.id,
        "url": article.url,
        "outlet": article.outlet,
        "title": article.title,
        "author": article.author,
        "published": article.published.isoformat() if article.published else None,
        "fetched_at": article.fetched_at.isoformat() if article.fetched_at else None,
        "language": article.language,
        "syndicated_from": article.syndicated_from,
        "partial": article.partial,
        "text": article.text,
    }


def articles_jsonl(articles: Iterable[Article]) -> Iterable[str]:
    """Stored articles as JSON lines, loadable again by ``summarize`` and ``add``."""
    for article in articles:
        yield json.dumps(article_record(article), ensure_ascii=False) + "\n"


def _short(when: datetime | None) -> str | None:
    """``YYYY-MM-DD HH:MM`` (UTC) or None."""
    return when.strftime("%Y-%m-%d %H:%M") if when else None
