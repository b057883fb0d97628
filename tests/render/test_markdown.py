"""Markdown roundups: each sentence's citation, then the outlets that corroborate it or that it is theirs alone;
article-derived text is inert (no raw HTML, no script links, no terminal escapes)."""

from __future__ import annotations

from newsroundup.model import (
    Article,
    Corroboration,
    Exclusive,
    Roundup,
    RoundupSentence,
    Source,
    Span,
    roundup_from_json,
    roundup_to_json,
)
from newsroundup.render.markdown import md_link, md_text, render_markdown
from newsroundup.roundup.summarize import summarize

FELL = RoundupSentence("The bridge fell.", Span("a", 0, 16), corroboration=(Corroboration("b", 4, 30, "Courier"),))
CLOSED = RoundupSentence("The road is closed.", Span("a", 17, 36))
ROUNDUP = Roundup(
    story="s",
    headline="Bridge falls",
    sentences=(FELL, CLOSED),
    sources=(Source("a", "Herald", None, None), Source("b", "Courier", None, None)),
    method="test",
    version="1",
    exclusives=(
        Exclusive("The road is closed.", Span("a", 17, 36), "Herald"),
        Exclusive("Divers found a car.", Span("b", 40, 59), "Courier"),
    ),
)


def test_sentences_show_their_citation_then_who_else_reports_them_or_that_no_one_does() -> None:
    text = render_markdown(ROUNDUP)
    assert "The bridge fell. [1] — reported by 2 outlets: also Courier [2]" in text
    assert "The road is closed. [1] — only Herald reports this" in text
    only = text.split("## Only one outlet reports", 1)[1]
    assert "- Divers found a car. — Courier [2]" in only and "road is closed" not in only


def test_the_json_carries_each_corroboration_as_article_offsets_and_outlet_and_reads_back() -> None:
    data = roundup_to_json(ROUNDUP)
    assert data["sentences"][0]["corroboration"] == [{"article": "b", "start": 4, "end": 30, "outlet": "Courier"}]
    assert data["exclusives"][1]["source"] == {"article": "b", "start": 40, "end": 59}
    assert roundup_from_json(data) == ROUNDUP


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


def test_a_shortened_headline_names_its_sentence_and_the_json_carries_the_cuts() -> None:
    from dataclasses import replace

    shortened = replace(
        ROUNDUP, headline="The bridge fell", headline_source=Span("b", 0, 30), headline_cuts=(Span("b", 16, 29),)
    )
    text = render_markdown(shortened)
    note = "*Headline: a sentence of [2], shortened by leaving out 1 clause.*"
    assert text.splitlines()[:3] == ["# The bridge fell", "", note]
    assert "*Headline" not in render_markdown(replace(ROUNDUP, headline_source=Span("a", 0, 16)))  # whole: no note
    assert roundup_from_json(roundup_to_json(shortened)) == shortened
