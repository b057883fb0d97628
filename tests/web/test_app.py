"""Tests for the web app's pages (web/app.py, web/pages.py) on the example store, through FastAPI's TestClient."""

from __future__ import annotations

import re
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
from fastapi.testclient import TestClient
from livesite import WebStore
from pagecheck import parse

from newsroundup.model import Story, roundup_to_json
from newsroundup.store import Store
from newsroundup.web.app import create_app
from newsroundup.web.links import entity_key


@pytest.fixture(scope="module")
def client(web_store: WebStore) -> Iterator[TestClient]:
    with TestClient(create_app(web_store.db)) as client:
        yield client


def _resolves(client: TestClient, page_path: str, html: str) -> list[str]:
    """Every internal link of a page that does not lead to a 200 response or to an id on its target."""
    broken = []
    page = parse(html)
    for link in page.links():
        parts = urlsplit(link)
        if parts.scheme or parts.netloc:
            continue  # outside links are checked for safety in test_security
        path = parts.path or page_path
        target = client.get(path + (f"?{parts.query}" if parts.query else ""))
        if target.status_code != 200:
            broken.append(f"{link} -> {target.status_code}")
        elif parts.fragment and parts.fragment not in parse(target.text).ids:
            broken.append(f"{link}: no element with that id")
    return broken


def test_home_lists_every_story_with_its_lede_sources_outlets_and_time(client: TestClient, web_store: WebStore) -> None:
    response = client.get("/")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    page = parse(response.text)
    story_links = [e.attrs["href"] for e in page.elements if e.tag == "a" and "/stories/" in e.attrs.get("href", "")]
    assert story_links == [f"/stories/{id}" for id in web_store.story_ids]
    with Store(web_store.db) as store:
        ferry = store.roundup_versions(web_store.ferry_story, limit=1)[0].roundup
        row = store.story_row(web_store.ferry_story)
    assert ferry.headline in response.text and ferry.sentences[0].text in response.text
    assert f"{row.independent} independent sources" in response.text
    assert "Harbor Times" in response.text  # an outlet of the ferry story
    assert row.last_seen is not None and row.last_seen.strftime("%Y-%m-%d %H:%M") in response.text


def test_every_internal_link_of_the_home_and_a_story_page_resolves(client: TestClient, web_store: WebStore) -> None:
    for path in ("/", f"/stories/{web_store.ferry_story}"):
        response = client.get(path)
        assert response.status_code == 200
        assert _resolves(client, path, response.text) == []


def test_every_story_article_and_entity_page_opens(client: TestClient, web_store: WebStore) -> None:
    with Store(web_store.db) as store:
        articles = [a.id for a in store.articles()]
        entities = {entity_key(m.name) for m in store.entity_mentions()}
    paths = [f"/stories/{id}" for id in web_store.story_ids]
    paths += [f"/articles/{quote(id, safe='')}" for id in articles]
    paths += [f"/entities/{key}" for key in entities]
    assert len(entities) > 5
    for path in [*paths, "/search?q=ferry", "/feed.atom", "/static/style.css"]:
        assert client.get(path).status_code == 200, path


def test_a_citation_opens_its_source_sentence_in_context_and_links_to_the_article(
    client: TestClient, web_store: WebStore
) -> None:
    html = client.get(f"/stories/{web_store.ferry_story}").text
    page = parse(html)
    with Store(web_store.db) as store:
        roundup = store.roundup_versions(web_store.ferry_story, limit=1)[0].roundup
        articles = {a.id: a for a in store.articles_by_id(store.story_article_ids(web_store.ferry_story))}
    cites = [e for e in page.with_class("cite") if e.tag == "a"]
    assert [c.attrs["href"] for c in cites[: len(roundup.sentences)]] == [
        f"#src-{n}" for n in range(1, len(roundup.sentences) + 1)
    ]
    for n, sentence in enumerate(roundup.sentences, start=1):
        block = next(e for e in page.elements if e.attrs.get("id") == f"src-{n}")
        assert "source" in block.attrs["class"].split()
        cited = sentence.source.text_in(articles[sentence.source.article])
        assert f"<mark>{_escaped(cited)}</mark>" in html.split(f'id="src-{n}"', 1)[1].split("</aside>", 1)[0]
        assert " ".join(cited.split()) in " ".join(page.texts[f"src-{n}"].split())
    source_links = page.with_class("source-link")
    assert source_links and all(e.attrs["rel"] == "noopener noreferrer nofollow" for e in source_links)
    assert all(e.attrs["href"].startswith("https://") for e in source_links)


def test_the_story_page_has_its_sections_and_sources_grouped_by_outlet(client: TestClient, web_store: WebStore) -> None:
    html = client.get(f"/stories/{web_store.ferry_story}").text
    page = parse(html)
    assert {"key-quotes", "who-said-what", "whos-who", "timeline", "sources", "history"} <= page.ids
    statement = r'class="statement"><p><strong>([^<]+)</strong> \(([^)]+)\): ([^<]*) <a class="cite" id="cite-(\d+)'
    statements = re.findall(statement, html)
    assert statements, "the ferry story says who said what in reported speech"
    for _, _, text, number in statements:
        assert not text.startswith(("“", '"')), text  # reported speech is never shown in quotation marks
        assert f'id="src-{number}"' in html
    outlets = [e for e in page.elements if e.tag == "h3" and "outlet" in e.attrs.get("class", "")]
    assert len(outlets) >= 4
    with Store(web_store.db) as store:
        articles = store.articles_by_id(store.story_article_ids(web_store.ferry_story))
    copies = [a for a in articles if a.syndicated_from]
    assert copies, "the ferry story has a wire copy"
    assert html.count('class="copies"') == len({a.syndicated_from for a in copies})
    for article in articles:
        assert article.title and article.title in page.texts["sources"]


def test_a_new_roundup_version_shows_within_a_second_with_what_is_new(web_store: WebStore, tmp_path: Path) -> None:
    db = tmp_path / "copy.db"
    with sqlite3.connect(web_store.db) as source, sqlite3.connect(db) as target:
        source.backup(target)
    with TestClient(create_app(db, check_interval=0.05)) as client:
        before = client.get(f"/stories/{web_store.ferry_story}").text
        assert "Version 1" in before and "Version 2" not in before
        with Store(db) as store:
            changed = roundup_to_json(store.roundup_versions(web_store.ferry_story, limit=1)[0].roundup)
            changed["headline"] = "Ferries sail again"
            changed["sentences"].append({**changed["sentences"][0], "text": "Sailings resumed (again)."})
            store.save_roundup(web_store.ferry_story, "another article set", changed, 4)
        deadline = time.monotonic() + 30  # the change counter is read every 0.05 s: wait for it, not a fixed time
        after = client.get(f"/stories/{web_store.ferry_story}").text
        while "Version 2" not in after and time.monotonic() < deadline:
            time.sleep(0.05)
            after = client.get(f"/stories/{web_store.ferry_story}").text
    page = parse(after)
    assert "Ferries sail again" in page.texts["history"] and "Version 2" in page.texts["history"]
    assert "(again)" in page.texts["history"]  # the sentence the new version added
    assert "<h1>Ferries sail again</h1>" in after


def test_a_merged_story_leads_to_the_story_it_became(web_store: WebStore, tmp_path: Path) -> None:
    db = tmp_path / "merged.db"
    with sqlite3.connect(web_store.db) as source, sqlite3.connect(db) as target:
        source.backup(target)
    with Store(db) as store:
        saved = store.grouping_state()
        ferry = store.story_row(web_store.ferry_story)
        members = (*store.story_article_ids(ferry.id), *store.story_article_ids(web_store.hostile_story))
        assert store.save_grouping(
            saved.state or {}, article_seq=saved.article_seq, previous_seq=saved.article_seq,
            stories=[Story(ferry.id, members, ferry.first_seen, ferry.last_seen)],
            merged={web_store.hostile_story: ferry.id},
        )
    with TestClient(create_app(db)) as client:
        moved = client.get(f"/stories/{web_store.hostile_story}", follow_redirects=False)
        assert moved.status_code == 301 and moved.headers["location"] == f"/stories/{ferry.id}"
        assert f"/stories/{web_store.hostile_story}" not in client.get("/").text


def test_an_entity_page_lists_the_stories_naming_it(client: TestClient, web_store: WebStore) -> None:
    with Store(web_store.db) as store:
        roundup = store.roundup_versions(web_store.ferry_story, limit=1)[0].roundup
    entity = roundup.entities[0]
    story_page = client.get(f"/stories/{web_store.ferry_story}").text
    assert f'href="/entities/{entity_key(entity.name)}"' in story_page
    html = client.get(f"/entities/{entity_key(entity.name)}").text
    assert f"<h1>{_escaped(entity.name)}</h1>" in html
    assert f'href="/stories/{web_store.ferry_story}"' in html


def test_search_finds_stories_by_headline_words_and_articles_by_text(client: TestClient, web_store: WebStore) -> None:
    html = client.get("/search", params={"q": "ferry strike"}).text
    stories = _section(html, "story-results")
    assert f'href="/stories/{web_store.ferry_story}"' in stories and "<mark>" in stories
    html = client.get("/search", params={"q": "Kelmoor"}).text
    assert 'href="/articles/hostile-harbour-notice"' in html
    assert "No story matches" not in client.get("/search", params={"q": "ferr"}).text  # a prefix matches
    assert "No article matches" in client.get("/search", params={"q": "zzzyzzx"}).text
    assert client.get("/search", params={"q": '") OR *'}).status_code == 200  # no search syntax from readers


def test_unknown_pages_are_404_pages_and_an_unchanged_page_is_not_sent_again(client: TestClient) -> None:
    for path in ("/stories/nope", "/articles/nope", "/entities/nope", "/no/such/page"):
        response = client.get(path)
        assert response.status_code == 404 and "<h1>Not found</h1>" in response.text, path
    first = client.get("/")
    again = client.get("/", headers={"if-none-match": first.headers["etag"]})
    assert again.status_code == 304 and again.content == b""
    assert client.get("/?utm_source=x").headers["etag"] == first.headers["etag"]  # a query makes no other page


def test_a_page_is_sent_gzipped_to_readers_that_take_it(client: TestClient, web_store: WebStore) -> None:
    path = f"/stories/{web_store.ferry_story}"
    for _ in range(2):  # made, then kept
        plain = client.get(path, headers={"accept-encoding": "identity"})
        packed = client.get(path, headers={"accept-encoding": "br, gzip"})
        refused = client.get(path, headers={"accept-encoding": "gzip;q=0"})
        assert "content-encoding" not in plain.headers and "content-encoding" not in refused.headers
        assert packed.headers["content-encoding"] == "gzip" and packed.headers["vary"] == "accept-encoding"
        assert packed.text == plain.text and packed.headers["etag"] != plain.headers["etag"]
        assert int(packed.headers["content-length"]) < len(plain.content) / 2


def _section(html: str, section: str) -> str:
    return html.split(f'id="{section}"', 1)[1].split("</section>", 1)[0]


def _escaped(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&#34;").replace(
        "'", "&#39;"
    )
