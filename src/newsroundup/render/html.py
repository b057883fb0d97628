"""Roundups as a self-contained HTML page where each citation opens its source sentence in context."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

from newsroundup.model import Article, Roundup, Span
from newsroundup.render.markdown import source_label, source_numbers
from newsroundup.render.templates import environment

_CONTEXT_CHARS = 280


@dataclass(frozen=True, slots=True)
class Citation:
    """A cited span in context: the text before it, the cited text, the text after, and a link to it."""

    number: int
    before: str
    cited: str
    after: str
    link: str | None


def safe_url(url: str | None) -> str | None:
    """``url`` when it is an http(s) URL, else None (no ``javascript:`` or ``data:`` links)."""
    if not url:
        return None
    return url if urlsplit(url.strip()).scheme.lower() in {"http", "https"} else None


def text_fragment_link(url: str, cited: str) -> str:
    """A link that opens ``url`` scrolled to and highlighting ``cited`` (a URL text fragment)."""
    words = cited.split()
    if len(words) > 8:
        fragment = f"{quote(' '.join(words[:4]), safe='')},{quote(' '.join(words[-4:]), safe='')}"
    else:
        fragment = quote(cited, safe="")
    return f"{url.split('#', 1)[0]}#:~:text={fragment}"


def citation(span: Span, article: Article | None, number: int, url: str | None) -> Citation:
    """``span`` of ``article`` with up to a few hundred characters around it, and a link that opens it at
    ``url`` (which must already be safe, see :func:`safe_url`)."""
    if article is None:
        return Citation(number, "", "", "", url)
    text = article.text
    before = text[max(0, span.start - _CONTEXT_CHARS) : span.start]
    after = text[span.end : span.end + _CONTEXT_CHARS]
    cited = text[span.start : span.end]
    link = text_fragment_link(url, cited) if url else None
    return Citation(
        number,
        ("…" if span.start > _CONTEXT_CHARS else "") + before,
        cited,
        after + ("…" if span.end + _CONTEXT_CHARS < len(text) else ""),
        link,
    )


def render_html(roundup: Roundup, articles: Sequence[Article]) -> str:
    """A standalone page: headline, cited sentences with their source context, and the sources."""
    by_id = {a.id: a for a in articles}
    numbers = source_numbers(roundup)
    urls = {s.article: safe_url(s.url) for s in roundup.sources}
    sentences = []
    for sentence in roundup.sentences:
        cited = sentence.source.article
        sentences.append(
            (sentence, citation(sentence.source, by_id.get(cited), numbers[cited], urls[cited]))
        )
    sources = [(n, source_label(s), urls[s.article], s) for n, s in enumerate(roundup.sources, start=1)]
    template = environment().get_template("roundup.html")
    return template.render(roundup=roundup, sentences=sentences, sources=sources, numbers=numbers)
