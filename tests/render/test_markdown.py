"""Markdown output makes article-derived text inert: no raw HTML, no script links, no terminal escapes."""

from __future__ import annotations

from newsroundup.model import Article, Roundup
from newsroundup.render.markdown import md_link, md_text, render_markdown
from newsroundup.roundup.summarize import summarize


def test_only_http_links_are_made_and_cannot_be_broken_out_of() -> None:
    assert md_link("x", "javascript:alert(1)") == "x"
    assert md_link("x", "data:text/html,<script>") == "x"
    assert md_link("a]b", "https://example.org/a b)(c") == r"[a\]b](https://example.org/a%20b%29%28c)"


def test_raw_html_and_control_characters_are_neutralised() -> None:
    assert md_text('<img src=x onerror="alert(1)">\x1b[31mred') == '&lt;img src=x onerror="alert(1)"&gt;[31mred'


def test_a_hostile_source_title_and_url_render_inert() -> None:
    text = (
        "The Harrow Point bridge was closed to all traffic on Tuesday after engineers found a crack in a girder. "
        "Mayor Elena Vostrikova said the closure would last at least three weeks."
    )
    article = Article(
        id="a1", text=text, title="<script>alert(1)</script>", outlet="\x1b[31mEvil", url="javascript:alert(1)"
    )
    roundup: Roundup = summarize([article])
    out = render_markdown(roundup)
    assert "<script>" not in out and "\x1b" not in out and "javascript:" not in out
