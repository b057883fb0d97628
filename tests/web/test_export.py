"""Tests for ``newsroundup export --site`` (render/site.py): the served pages as a static site whose links resolve."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from livesite import HOSTILE_ARTICLE, WebStore

from newsroundup.cli import main
from newsroundup.render.links import file_name
from newsroundup.web.app import create_app
from sitecheck import site_problems

# What differs between a served page and its exported copy: where links point, the search form and the
# link to the audit page (both only served).
_LINKS = re.compile(r'\s(?:href|action)="[^"]*"')
_SEARCH_FORM = re.compile(r'<form class="search".*?</form>\n', re.S)
_AUDIT_LINK = re.compile(r' · <a href="/audit">Audit a text</a>')


@pytest.fixture(scope="module")
def site(web_store: WebStore, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("export") / "site"
    assert main(["export", "--db", str(web_store.db), "--site", str(out)]) == 0
    return out


def _without_links(html: str) -> str:
    return _LINKS.sub("", _SEARCH_FORM.sub("", _AUDIT_LINK.sub("", html)))


def test_the_site_has_every_page_and_every_link_resolves(site: Path, web_store: WebStore) -> None:
    assert site_problems(site) == []  # relative links and anchors resolve, no script, a strict CSP on each page
    for story in web_store.story_ids:
        assert (site / "stories" / f"{story}.html").is_file() and (site / "stories" / f"{story}.json").is_file()
    assert (site / "articles" / f"{HOSTILE_ARTICLE}.html").is_file()
    assert len(list((site / "articles").glob("*.html"))) == 28
    assert list((site / "entities").glob("*.html")) and (site / "feed.atom").is_file()
    assert (site / "static" / "style.css").is_file()
    assert "<form" not in (site / "index.html").read_text(encoding="utf-8")  # no search in a static site


def test_exported_pages_are_the_served_pages_with_file_links(site: Path, web_store: WebStore) -> None:
    with TestClient(create_app(web_store.db)) as client:
        pairs = [
            ("/", site / "index.html"),
            (f"/stories/{web_store.ferry_story}", site / "stories" / f"{web_store.ferry_story}.html"),
            (f"/articles/{HOSTILE_ARTICLE}", site / "articles" / f"{file_name(HOSTILE_ARTICLE)}.html"),
        ]
        for path, file in pairs:
            served = client.get(path).text
            exported = file.read_text(encoding="utf-8")
            assert _without_links(exported) == _without_links(served), path
        story = json.loads((site / "stories" / f"{web_store.ferry_story}.json").read_text(encoding="utf-8"))
        assert story == client.get(f"/api/v1/stories/{web_store.ferry_story}").json()
    index = (site / "index.html").read_text(encoding="utf-8")
    assert f'href="stories/{web_store.ferry_story}.html"' in index
    page = (site / "stories" / f"{web_store.ferry_story}.html").read_text(encoding="utf-8")
    assert 'href="../index.html"' in page and 'href="../static/style.css"' in page


def _contents(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def test_run_wrote_the_same_site_and_exporting_again_writes_nothing(
    site: Path, web_store: WebStore, capsys: pytest.CaptureFixture[str]
) -> None:
    ran = web_store.db.parent / "site"  # where build_web_store's `newsroundup run --out` wrote its site
    assert _contents(ran) == _contents(site)  # one implementation: `run --out` and `export --site` agree
    assert main(["export", "--db", str(web_store.db), "--site", str(site)]) == 0
    assert "; 0 pages written)" in capsys.readouterr().err


def test_a_site_folder_that_is_a_file_is_one_line_and_exit_2(
    web_store: WebStore, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    taken = tmp_path / "taken"
    taken.write_text("a file", encoding="utf-8")
    assert main(["export", "--db", str(web_store.db), "--site", str(taken)]) == 2
    err = capsys.readouterr().err
    assert err == f"newsroundup: error: {taken}: exists and is not a folder; give a folder for the site\n"
