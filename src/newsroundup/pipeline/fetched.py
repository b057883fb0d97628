"""Articles from what ``add`` fetched: a page's article under its canonical URL, else a feed entry's own text."""

from __future__ import annotations

from dataclasses import replace

from newsroundup.errors import SourceError
from newsroundup.model import Article
from newsroundup.pipeline.load import LoadRules, Warn, capped
from newsroundup.sources.feeds import Feed, FeedEntry
from newsroundup.sources.fetch import Fetched
from newsroundup.sources.html import article_from_html
from newsroundup.sources.identity import content_id, trusted_canonical
from newsroundup.sources.urls import canonical_url, is_web_url, outlet_of


def entry_article(
    entry: FeedEntry, page: Fetched | SourceError | None, outlet: str | None, rules: LoadRules, warn: Warn
) -> tuple[Article | None, list[str], SourceError | None]:
    """The article for an entry: the full page, else the feed's own text marked partial."""
    aliases = [entry.link] if entry.link else []
    problem = page if isinstance(page, SourceError) else None
    if isinstance(page, Fetched) and entry.link:
        try:
            article = page_article(entry.link, page, rules, warn)
            return (
                _with_entry(article, entry),
                page_aliases(entry.link, page.url, article),
                None,
            )
        except SourceError as exc:
            problem = exc
    if not entry.text:
        return None, aliases, problem or SourceError(
            f"{entry.title or 'entry'}: feed entry has no link and no text", "no-article"
        )
    url = entry.link
    article = Article(
        id=url or content_id(entry.text),
        text=entry.text,
        url=url,
        outlet=outlet_of(url) if url else outlet,
        title=entry.title,
        published=entry.published,
        author=entry.author,
        partial=url is not None,
    )
    return capped(article, url or entry.title or "feed entry", rules, warn), aliases, problem


def feed_entries(feed: Feed, source: str, limit: int, warn: Warn) -> tuple[FeedEntry, ...]:
    """The feed's entries to read: the first ``limit``; a feed read leniently or cut says so through ``warn``."""
    if feed.problem:
        warn(feed.problem)
    if len(feed.entries) > limit:
        warn(f"{source}: feed has {len(feed.entries):,} entries; read the first {limit:,}")
    return feed.entries[:limit]


def feed_outlet(feed: Feed) -> str | None:
    """The outlet of a feed's entries that have no page of their own: the feed's site, when it names one."""
    return outlet_of(feed.link) if feed.link and is_web_url(feed.link) else None


def page_article(url: str, fetched: Fetched, rules: LoadRules, warn: Warn) -> Article:
    """Extract the article of a fetched page; its id is its canonical URL."""
    article = article_from_html(fetched.text(), "", fetched.url, extraction=rules.extraction)
    if article is None:
        raise SourceError(f"{url}: no article text found in the page", "no-article")
    final = canonical_url(fetched.url)
    link = article.url if article.url and is_web_url(article.url) else None
    chosen = canonical_url(link, base=final) if link and trusted_canonical(final, link) else final
    article = replace(article, id=chosen, url=chosen, outlet=article.outlet or outlet_of(chosen))
    return capped(article, url, rules, warn)


def _with_entry(article: Article, entry: FeedEntry) -> Article:
    """Fill what the page did not say from the feed entry (title, date, author)."""
    return replace(
        article,
        title=article.title or entry.title,
        published=article.published or entry.published,
        author=article.author or entry.author,
    )


def page_aliases(asked: str, final: str, article: Article) -> list[str]:
    """Every URL that leads to this article: as asked, after redirects, and its canonical URL."""
    urls = [canonical_url(asked), canonical_url(final)]
    if article.url:
        urls.append(article.url)
    return list(dict.fromkeys(urls))
