"""Markdown roundups: each sentence's citation, then the outlets that corroborate it or that it is theirs alone."""

from newsroundup.model import (
    Corroboration,
    Exclusive,
    Roundup,
    RoundupSentence,
    Source,
    Span,
    roundup_from_json,
    roundup_to_json,
)
from newsroundup.render.markdown import render_markdown

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
