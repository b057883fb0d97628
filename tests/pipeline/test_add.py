"""``add`` end to end: a loopback server, a real store, the CLI; feeds, OPML, pages, files, bad input."""

from __future__ import annotations

import json
import sqlite3
import zlib
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from loopback import PARAGRAPHS, Handler, LoopbackServer, article_page
from newsroundup.cli import main
from newsroundup.pipeline.add import AddOptions, add_sources
from newsroundup.sources.fetch import FetchOptions
from newsroundup.store import Store

OPTIONS = AddOptions(fetch=FetchOptions(allow_private=True, delay=0, timeout=1.0, retries=0))
RETRYING = replace(OPTIONS, retry_partial_after=timedelta(0))
CLI_FLAGS = ["--allow-private", "--delay", "0", "--timeout", "1", "--retries", "0", "--quiet"]


def rss(web: LoopbackServer, *paths: str) -> bytes:
    items = "".join(
        f"<item><title>Entry {p}</title><link>{web.url(p)}?utm_source=rss</link>"
        f"<pubDate>Tue, 03 Mar 2026 09:30:00 GMT</pubDate>"
        f"<description>Excerpt of {p}: the feed only says this much about it.</description></item>"
        for p in paths
    )
    channel = f"<channel><title>Courier</title>{items}</channel>"
    return f'<?xml version="1.0"?><rss version="2.0">{channel}</rss>'.encode()


def other_story(n: int) -> list[str]:
    """An unrelated invented story, so that pages are not copies of each other."""
    return [
        f"Volunteers in the village of Eskerholt number {n} spent the weekend clearing {n * 3} tonnes "
        f"of driftwood from the beach after the winter storms, the parish office said on Sunday.",
        f"The clean-up, organised for the {n}th year running, drew families from four nearby towns and "
        "ended with a bonfire on the dunes that the fire brigade watched from a safe distance.",
    ]


def declares_50mb(handler: Handler) -> None:
    handler.send_response(200)
    handler.send_header("Content-Length", str(50 * 2**20))
    handler.end_headers()
    handler.wfile.write(b"a" * 65536)


def serve_feed(web: LoopbackServer) -> str:
    web.add("/robots.txt", b"User-agent: *\nDisallow: /private/\n", headers={"Content-Type": "text/plain"})
    web.add(
        "/news/bridge", article_page("Bridge closes", PARAGRAPHS, canonical=web.url("/news/bridge")).encode()
    )
    web.add("/news/gone", b"gone", status=404)
    web.add("/private/memo", article_page("Memo", other_story(1)).encode())
    return web.add(
        "/feed.xml",
        rss(web, "/news/bridge", "/news/gone", "/private/memo"),
        etag='"f1"',
        headers={"Content-Type": "application/rss+xml"},
    )


def test_feed_entries_are_fetched_in_full_or_kept_partial(web: LoopbackServer, tmp_path: Path) -> None:
    feed = serve_feed(web)
    with Store(tmp_path / "s.db") as store:
        report = add_sources([feed], store, OPTIONS)
        articles = {a.url: a for a in store.articles()}
        failures = {(f[1], f[2]) for f in store.failures()}
        status = store.status()
    assert report.added == 3 and report.partial == 2 and not report.failures
    bridge = articles[web.url("/news/bridge")]
    assert not bridge.partial and "nine thousand people" in bridge.text and bridge.title == "Bridge closes"
    assert "cookies" not in bridge.text and "Ferry timetable" not in bridge.text
    gone, memo = articles[web.url("/news/gone")], articles[web.url("/private/memo")]
    assert gone.partial and gone.text.startswith("Excerpt of /news/gone")
    assert memo.partial and "/private/memo" not in web.paths()  # robots.txt was obeyed
    assert (web.url("/news/gone"), "http-404") in failures and (
        web.url("/private/memo"),
        "robots",
    ) in failures
    assert status.feeds[0].url == feed and status.feeds[0].last_new == 3


def test_repolling_an_unchanged_feed_sends_one_conditional_request(
    web: LoopbackServer, tmp_path: Path
) -> None:
    feed = serve_feed(web)
    with Store(tmp_path / "s.db") as store:
        add_sources([feed], store, OPTIONS)
        before = len(web.hits)
        report = add_sources([feed], store, OPTIONS)
        count = len(store.articles())
        status = store.status()
    again = web.hits[before:]
    assert [h.path for h in again] == ["/feed.xml"]  # robots.txt is kept for a day, as RFC 9309 allows
    assert again[-1].headers.get("if-none-match") == '"f1"'
    assert report.feeds_unchanged == 1 and report.added == 0 and count == 3
    assert status.feeds[0].last_status == "not-modified" and status.feeds[0].polls == 2


def test_partial_articles_are_completed_when_their_page_comes_back(web: LoopbackServer, tmp_path: Path) -> None:
    feed = serve_feed(web)
    with Store(tmp_path / "s.db") as store:
        add_sources([feed], store, OPTIONS)
        web.add("/news/gone", article_page("Back again", other_story(6)).encode())
        report = add_sources([feed], store, RETRYING)  # the feed itself is unchanged (304)
        gone = next(a for a in store.articles() if a.url == web.url("/news/gone"))
        failures = {f[1] for f in store.failures()}
        again = add_sources([feed], store, RETRYING)
    assert report.completed == 1 and report.added == 0
    assert not gone.partial and gone.text.startswith("Volunteers in the village of Eskerholt number 6")
    assert web.url("/news/gone") not in failures and web.url("/private/memo") in failures
    assert again.completed == 0


def test_a_partial_page_is_tried_a_limited_number_of_times(web: LoopbackServer, tmp_path: Path) -> None:
    feed = serve_feed(web)
    with Store(tmp_path / "s.db") as store:
        for _ in range(5):
            add_sources([feed], store, RETRYING)
    assert web.paths().count("/news/gone") == 3  # first fetch + 2 retries: 3 attempts in all
    with Store(tmp_path / "later.db") as store:
        for _ in range(3):
            add_sources([feed], store, OPTIONS)  # re-polled within the hour: no retry
    assert web.paths().count("/news/gone") == 4


def test_a_changed_feed_fetches_only_new_entries(web: LoopbackServer, tmp_path: Path) -> None:
    feed = serve_feed(web)
    with Store(tmp_path / "s.db") as store:
        add_sources([feed], store, OPTIONS)
        web.add("/news/ferry", article_page("Ferries", other_story(2)).encode())
        web.add("/feed.xml", rss(web, "/news/bridge", "/news/ferry"), etag='"f2"')
        before = len(web.hits)
        report = add_sources([feed], store, OPTIONS)
    fetched = [h.path for h in web.hits[before:] if h.path != "/robots.txt"]
    assert fetched == ["/feed.xml", "/news/ferry"] and report.added == 1 and report.already == 1


def test_opml_adds_every_feed_it_lists(web: LoopbackServer, tmp_path: Path) -> None:
    feed = serve_feed(web)
    web.add("/two/page", article_page("Two", other_story(3)).encode())
    second = web.add("/two.xml", rss(web, "/two/page"))
    opml = tmp_path / "feeds.opml"
    opml.write_text(
        f'<opml version="2.0"><body><outline xmlUrl="{feed}"/><outline xmlUrl="{second}"/></body></opml>'
    )
    with Store(tmp_path / "s.db") as store:
        report = add_sources([str(opml)], store, OPTIONS)
        assert len(store.status().feeds) == 2
    assert report.added == 4 and report.feeds_polled == 2


def test_an_opml_list_that_lists_itself_is_read_once(web: LoopbackServer, tmp_path: Path) -> None:
    feed = serve_feed(web)
    first, second = web.url("/a.opml"), web.url("/b.opml")
    outline = '<opml version="2.0"><body><outline xmlUrl="{}"/><outline xmlUrl="{}"/></body></opml>'
    web.add("/a.opml", outline.format(first, second).encode())  # itself, and a list that names it back
    web.add("/b.opml", outline.format(first, feed).encode())
    with Store(tmp_path / "s.db") as store:
        report = add_sources([first], store, OPTIONS)
        assert len(store.status().feeds) == 1
    assert report.feeds_polled == 1 and report.requests < 10
    loops = [f for f in report.failures if "an OPML list read already" in f]
    assert len(loops) == 2 and all("\n" not in f for f in loops)


def test_feed_text_is_unescaped_and_a_bare_guid_is_no_link(tmp_path: Path) -> None:
    feed = tmp_path / "feed.xml"
    feed.write_bytes(
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>Courier</title>'
        b"<item><title>Phones \x0b back</title><guid>item-1</guid><description>AT&amp;T said the lines "
        b"were back\x01 on Monday after the storm cut them.</description></item></channel></rss>"
    )
    with Store(tmp_path / "s.db") as store:
        report = add_sources([str(feed)], store, OPTIONS)
        [article] = store.articles()
    assert report.added == 1 and report.failures == []
    [note] = report.warnings  # the control characters make it ill-formed XML: read leniently, said once
    assert note.startswith(f"{feed}: feed is not well-formed (") and note.endswith("read leniently, 1 entries")
    assert article.text.startswith("AT&T said the lines were back on Monday")
    assert not article.partial  # the feed's text is all there is: no page to fetch under "item-1"
    assert article.title is not None and article.title.startswith("Phones") and "\x0b" not in article.title


def test_a_page_is_stored_once_under_its_canonical_url(web: LoopbackServer, tmp_path: Path) -> None:
    page = article_page("Bridge closes", PARAGRAPHS, canonical="/news/bridge").encode()
    web.add("/news/bridge?utm_source=newsletter", page)
    web.add("/amp/bridge", page)
    with Store(tmp_path / "s.db") as store:
        first = add_sources([web.url("/news/bridge?utm_source=newsletter")], store, OPTIONS)
        second = add_sources(
            [web.url("/amp/bridge"), web.url("/news/bridge?utm_source=newsletter")], store, OPTIONS
        )
        (article,) = store.articles()
    assert first.added == 1 and second.added == 0 and second.already == 2
    assert web.paths().count("/news/bridge?utm_source=newsletter") == 1  # known URL: not fetched again
    assert article.id == article.url == web.url("/news/bridge") and article.outlet == "The Marrowby Courier"


def test_wire_copies_are_linked_to_the_earliest(tmp_path: Path) -> None:
    text = " ".join(PARAGRAPHS)
    records = [
        {"id": "late-copy", "outlet": "Pellham Post", "published": "2026-03-03T12:00:00Z", "text": text},
        {
            "id": "rewrite",
            "outlet": "Quay Daily",
            "published": "2026-03-03T14:00:00Z",
            "text": text.replace("Tuesday", "Tuesday evening").replace("roughly", "about"),
        },
        {"id": "wire", "outlet": "Northern Wire", "published": "2026-03-03T08:00:00Z", "text": text},
        {
            "id": "other",
            "outlet": "Quay Daily",
            "published": "2026-03-03T09:00:00Z",
            "text": " ".join(other_story(4)),
        },
    ]
    source = tmp_path / "wire.jsonl"
    source.write_text("\n".join(json.dumps(r) for r in records) + "\n")
    with Store(tmp_path / "s.db") as store:
        report = add_sources([str(source)], store, OPTIONS)
        links = {a.id: a.syndicated_from for a in store.articles()}
    assert report.added == 4
    assert links == {"wire": None, "late-copy": "wire", "rewrite": "wire", "other": None}


def test_bad_inputs_fail_one_line_each_and_the_batch_carries_on(
    web: LoopbackServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    bomb = b"".join(packer.compress(bytes(2**20)) for _ in range(60)) + packer.flush()
    bad = {
        "/broken.xml": web.add(
            "/broken.xml", b"<rss><channel><item><title>oops", headers={"Content-Type": "application/rss+xml"}
        ),
        "/empty.html": web.add("/empty.html", b"<html><body><nav><a href='/'>Home</a></nav></body></html>"),
        "/huge": web.add("/huge", declares_50mb),
        "/bomb": web.add("/bomb", bomb, headers={"Content-Encoding": "gzip"}),
        "/missing": web.add("/missing", b"", status=404),
        "/error": web.add("/error", b"", status=500),
        "/loop": web.add("/loop", b"", status=302, headers={"Location": "/loop"}),
        "/slow": web.add("/slow", b"", delay=1.6),
    }
    latin = article_page(
        "Café",
        [
            "Zoë Ångström opened a café on the quay, and the whole street came to taste "
            "the crème brûlée she had learned to make in Lyon."
        ]
        * 3,
    )
    good = [
        web.add("/latin", latin.encode("cp1252"), headers={"Content-Type": "text/html"}),
        web.add("/ok", article_page("Bridge", PARAGRAPHS).encode()),
    ]
    lines = tmp_path / "items.jsonl"
    lines.write_text(
        '{"id": "fine", "text": "A short but real article about the harbour."}\nthis is not json\n'
    )
    db = tmp_path / "s.db"
    code = main(["add", *bad.values(), good[0], str(lines), good[1], "--db", str(db), *CLI_FLAGS[:-1]])
    err = capsys.readouterr().err.strip().splitlines()
    errors = [line for line in err if line.startswith("newsroundup: error:")]
    assert code == 1 and len(errors) == len(bad) + 1
    for path, url in bad.items():
        assert sum(url in line for line in errors) == 1, path
    assert any("items.jsonl:2: not valid JSON" in line for line in errors)
    with Store(db) as store:
        kinds = {f[0]: f[2] for f in store.failures()}
        ids = {a.id for a in store.articles()}
        latin_text = next(a.text for a in store.articles() if a.url == good[0])
    assert kinds[bad["/broken.xml"]] == "bad-feed" and kinds[bad["/empty.html"]] == "no-article"
    assert (
        kinds[bad["/huge"]] == kinds[bad["/bomb"]] == "too-large" and kinds[bad["/loop"]] == "redirect-loop"
    )
    assert kinds[bad["/missing"]] == "http-404" and kinds[bad["/error"]] == "http-500"
    assert kinds[bad["/slow"]] == "timeout"
    assert {good[0], good[1], "fine"} <= ids and "crème brûlée" in latin_text


def test_status_articles_and_summarize_from_the_store(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    records = [
        {
            "id": "a1",
            "outlet": "Pellham Post",
            "published": "2026-03-01T10:00:00Z",
            "title": "Storm floods square",
            "text": " ".join(other_story(5)),
        },
        {
            "id": "a2",
            "outlet": "Marrowby Courier",
            "published": "2026-03-04T10:00:00Z",
            "title": "Bridge closes",
            "text": " ".join(PARAGRAPHS),
        },
    ]
    source = tmp_path / "in.jsonl"
    source.write_text("\n".join(json.dumps(r) for r in records) + "\n")
    db = str(tmp_path / "s.db")
    assert main(["add", str(source), "--db", db, "--quiet"]) == 0
    capsys.readouterr()
    assert main(["status", "--db", db]) == 0
    out = capsys.readouterr().out
    assert "articles: 2" in out and "Pellham Post" in out and "failures: 0" in out
    assert main(["articles", "--db", db, "--since", "2026-03-02"]) == 0
    table = capsys.readouterr().out
    assert "a2" in table and "a1" not in table
    assert main(["articles", "--db", db, "--outlet", "pellham post", "--format", "jsonl"]) == 0
    (line,) = capsys.readouterr().out.splitlines()
    assert json.loads(line)["id"] == "a1" and json.loads(line)["text"].startswith("Volunteers")
    assert main(["summarize", "--db", db, "--ids", "a2"]) == 0
    assert "bridge" in capsys.readouterr().out.lower()
    assert main(["summarize", "--db", db, "--ids", "nope"]) == 2
    assert "no stored article with id 'nope'" in capsys.readouterr().err
    assert main(["status", "--db", str(tmp_path / "absent.db")]) == 2
    assert "no such database" in capsys.readouterr().err


def test_store_is_a_valid_wal_database(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    with Store(db):
        pass
    con = sqlite3.connect(db)
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def _rss(items: int) -> bytes:
    entries = "".join(
        f"<item><title>Item {n}</title><guid>item-{n}</guid><description>Harbour report {n}: the ferry "
        f"crossing {n} ran late on Monday after the storm.</description></item>"
        for n in range(items)
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Courier</title>{entries}</channel></rss>'.encode()


def test_a_feed_past_the_item_cap_is_read_up_to_it_with_a_warning(tmp_path: Path) -> None:
    feed = tmp_path / "feed.xml"
    feed.write_bytes(_rss(7))
    options = replace(OPTIONS, load=replace(OPTIONS.load, max_feed_items=5))
    with Store(tmp_path / "s.db") as store:
        report = add_sources([str(feed)], store, options)
        titles = sorted(a.title or "" for a in store.articles())
    assert report.added == 5 and report.failures == []
    assert titles == [f"Item {n}" for n in range(5)]  # the feed's first five, in its order
    assert report.warnings == [f"{feed}: feed has 7 entries; read the first 5"]


def test_a_local_file_past_the_size_cap_fails_alone(tmp_path: Path) -> None:
    big, small = tmp_path / "big.xml", tmp_path / "small.xml"
    big.write_bytes(_rss(40))
    small.write_bytes(_rss(1))
    options = replace(OPTIONS, load=replace(OPTIONS.load, max_file_bytes=len(_rss(1)) + 10))
    with Store(tmp_path / "s.db") as store:
        report = add_sources([str(big), str(small)], store, options)
        assert len(store.articles()) == 1
    [failure] = report.failures
    assert failure.startswith(f"{big}: file is ") and "MiB" in failure and "\n" not in failure


def test_a_jsonl_file_is_read_in_chunks_with_the_right_line_numbers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import newsroundup.pipeline.add as add_module

    lines = [
        json.dumps({"id": f"a{n}", "text": f"The council met on day {n} and voted on the harbour plan."})
        for n in range(30)
    ]
    lines[17] = '{"id": "broken", "text": '  # not JSON: its own failure, named by its true line number
    source = tmp_path / "many.jsonl"
    source.write_text("\ufeff" + "\n".join(lines) + "\n", encoding="utf-8")  # a BOM the first chunk carries
    chunks = list(add_module._jsonl_chunks(source, size=200))
    assert len(chunks) > 5 and all(chunk.endswith(b"\n") for chunk, _ in chunks)
    assert b"".join(chunk for chunk, _ in chunks) == source.read_bytes()
    monkeypatch.setattr(add_module, "JSONL_CHUNK_BYTES", 200)
    with Store(tmp_path / "s.db") as store:
        report = add_sources([str(source)], store, OPTIONS)
        stored = {a.id for a in store.articles()}
    assert stored == {f"a{n}" for n in range(30)} - {"a17"}
    [failure] = report.failures
    assert failure.startswith(f"{source}:18: not valid JSON")
