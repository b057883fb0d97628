"""The ``audit`` command as users run it: Markdown and JSON reports, standard input and bad input."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from loopback import PARAGRAPHS, LoopbackServer, article_page
from newsroundup.cli import main

SOURCE = (
    "Jean-Yves Le Drian met the Iraqi prime minister in Baghdad on Monday.\n\n"
    "He said France would send 200 more advisers to train Iraqi forces.\n"
)
OTHER = "Peace talks between the Colombian government and the ELN rebels resumed in Quito on Tuesday.\n"
ARTICLE = "He said France would send 300 more advisers to train Iraqi forces. The weather in Lisbon was fine.\n"


@pytest.fixture
def files(tmp_path: Path) -> Path:
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "afp.txt").write_text(SOURCE)
    (tmp_path / "sources" / "other.txt").write_text(OTHER)
    (tmp_path / "article.txt").write_text(ARTICLE)
    return tmp_path


def test_json_report_has_the_stable_shape(files: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["audit", str(files / "article.txt"), "--sources", str(files / "sources"), "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    first, second = report["sentences"]
    assert report["text"][first["start"] : first["end"]] == first["text"]
    assert first["match"] == "edited"
    assert {d["kind"] for d in first["defects"]} == {"changed_fact", "dangling_reference"}
    assert second["source"] is None and second["match"] == "none"
    assert report["summary"]["traced"] == 1


def test_markdown_from_standard_input(
    files: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(ARTICLE.encode())))
    assert main(["audit", "-", "--against", str(files / "sources")]) == 0
    out = capsys.readouterr().out
    assert "1 of 2 sentences traced to 1 source" in out
    assert "**changed_fact**: '300' is '200' in the source" in out


@pytest.mark.parametrize(("article", "message"), [("missing.txt", "no such file"), ("empty.txt", "is empty")])
def test_bad_article_is_one_line_error(
    files: Path, capsys: pytest.CaptureFixture[str], article: str, message: str
) -> None:
    (files / "empty.txt").write_text("  \n")
    assert main(["audit", str(files / article), "--sources", str(files / "sources")]) != 0
    err = capsys.readouterr().err.strip()
    assert message in err and "\n" not in err


def test_html_report_marks_each_sentence_and_keeps_hostile_text_inert(files: Path) -> None:
    hostile = '<script>alert(1)</script> "Go," <img src=x onerror=alert(2)> said the minister.\n'
    (files / "sources" / "hostile.txt").write_text(hostile)
    (files / "article.txt").write_text(ARTICLE + hostile)
    out = files / "report.html"
    assert main(["audit", str(files / "article.txt"), "--sources", str(files / "sources"), "--format", "html",
                 "--out", str(out), "--quiet"]) == 0
    page = out.read_text()
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    assert '<div class="sentence edited" id="s1">' in page and '<div class="sentence none" id="s2">' in page
    assert "<strong>changed_fact</strong>" in page and "<mark>He said France would send 200 more advisers" in page
    assert "<script>" not in page and "<img" not in page and "&lt;script&gt;" in page
    assert "1 of 2 sentences traced" not in page and "sentences traced to" in page


def test_a_report_that_cannot_be_written_is_one_line_error(files: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = files / "no-such-folder" / "report.html"
    assert main(["audit", str(files / "article.txt"), "--sources", str(files / "sources"), "--out", str(out)]) != 0
    err = capsys.readouterr().err.strip()
    assert "cannot be written" in err and "\n" not in err


def test_a_page_url_is_audited_against_source_page_urls(
    web: LoopbackServer, files: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """ARTICLE and --sources as http(s) URLs, fetched with add's guards (here a loopback server, allowed)."""
    stitched = [PARAGRAPHS[0], PARAGRAPHS[2].replace("twenty", "thirty"), "The weather in Lisbon was fine all week."]
    article = web.add("/stitched", article_page("Bridge to close", stitched).encode())
    source = web.add("/report", article_page("Marrowby bridge to close for six weeks", PARAGRAPHS).encode())
    missing = web.url("/gone")
    argv = ["audit", article, "--sources", source, missing, "--format", "json", "--allow-private", "--delay", "0"]
    assert main(argv) == 0
    captured = capsys.readouterr()
    report = json.loads(captured.out)
    kinds = [s["match"] for s in report["sentences"]]
    assert kinds[:2] == ["verbatim", "edited"] and kinds[-1] == "none"
    assert all(s["source"]["article"] == source for s in report["sentences"][:2])
    assert "Accept all cookies" not in report["text"]  # the page's furniture is not audited
    assert f"{missing}: HTTP 404 (left out of the sources)" in captured.err


def test_a_url_article_keeps_the_address_guard_and_fails_in_one_line(
    web: LoopbackServer, files: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    article = web.add("/stitched", article_page("Bridge to close", PARAGRAPHS).encode())
    assert main(["audit", article, "--sources", str(files / "sources")]) != 0  # loopback, not allowed
    err = capsys.readouterr().err.strip()
    assert "non-public address 127.0.0.1" in err and "--allow-private" in err and "\n" not in err
    assert web.hits == []  # refused before any request
    assert main(["audit", web.url("/none"), "--sources", str(files / "sources"), "--allow-private"]) != 0
    err = capsys.readouterr().err.strip()
    assert "HTTP 404" in err and "\n" not in err


def test_the_issues_bad_inputs_give_a_clear_result(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The same sentence 500 times, sources that are all copies of one report, a 5 MB page: a result, no traceback."""
    line = "Flood water closed the Harbour Road bridge in Dunmere on Monday morning. "
    (tmp_path / "sources").mkdir()
    for name in ("wire", "copy-1", "copy-2"):
        (tmp_path / "sources" / f"{name}.txt").write_text(line + "Engineers said it would stay shut for 48 hours.\n")
    (tmp_path / "repeated.txt").write_text(line * 500)
    assert main(["audit", str(tmp_path / "repeated.txt"), "--sources", str(tmp_path / "sources"),
                 "--format", "json"]) == 0
    captured = capsys.readouterr()
    report = json.loads(captured.out)
    assert report["summary"]["sentences"] == 500 and report["summary"]["traced"] == 500
    assert report["summary"]["sources_used"] == 1  # the copies are one report, given once
    assert captured.err.count("given twice; kept the first") == 2
    page = "<html><body><article>" + ("<p>" + "Words of a very long page go on and on. " * 50 + "</p>") * 2600
    (tmp_path / "big.html").write_text(page + "</article></body></html>")
    assert (tmp_path / "big.html").stat().st_size > 5_000_000
    assert main(["audit", str(tmp_path / "big.html"), "--sources", str(tmp_path / "sources"), "--format", "json",
                 "--quiet"]) == 0
    big = json.loads(capsys.readouterr().out)
    assert 0 < big["summary"]["sentences"] <= 500 and big["summary"]["traced"] == 0


def test_a_feed_is_a_source_as_add_takes_it_its_entries_from_their_pages(
    web: LoopbackServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    stitched = [PARAGRAPHS[0], PARAGRAPHS[2]]
    article = web.add("/stitched", article_page("Bridge to close", stitched).encode())
    report = web.add("/report", article_page("Marrowby bridge to close for six weeks", PARAGRAPHS).encode())
    items = (
        f"<item><title>Bridge</title><link>{report}</link><description>An excerpt.</description></item>"
        f"<item><title>Gone</title><link>{web.url('/gone')}</link>"
        "<description>The council met on Tuesday to discuss the harbour wall and its repairs.</description></item>"
    )
    feed = f'<?xml version="1.0"?><rss version="2.0"><channel><title>Courier</title>{items}</channel></rss>'
    feed_url = web.add("/feed.xml", feed.encode(), headers={"Content-Type": "application/rss+xml"})
    argv = ["audit", article, "--against", feed_url, "--format", "json", "--allow-private", "--delay", "0"]
    assert main(argv) == 0
    captured = capsys.readouterr()
    sentences = json.loads(captured.out)["sentences"]
    assert [s["match"] for s in sentences] == ["verbatim", "verbatim"]
    assert all(s["source"]["article"] == report for s in sentences)
    assert "HTTP 404 (the feed text is used)" in captured.err
    (tmp_path / "feed.rss").write_text(feed, encoding="utf-8")
    argv = ["audit", article, "--against", str(tmp_path / "feed.rss"), "--format", "json", "--allow-private"]
    assert main([*argv, "--delay", "0"]) == 0
    assert [s["match"] for s in json.loads(capsys.readouterr().out)["sentences"]] == ["verbatim", "verbatim"]
    (tmp_path / "broken.xml").write_text("<html><body>not a feed</body></html>", encoding="utf-8")
    assert main(["audit", article, "--against", str(tmp_path / "broken.xml"), "--allow-private"]) != 0
    err = capsys.readouterr().err
    assert "broken.xml: not an RSS or Atom feed" in err
