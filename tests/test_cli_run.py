"""End to end: ``newsroundup run`` on the bundled examples, then ``stories`` and ``story``."""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from newsroundup.cli import main
from newsroundup.render.links import file_name
from newsroundup.store import Store
from sitecheck import site_problems

ROOT = Path(__file__).resolve().parents[1]
EVENTS = ROOT / "examples" / "events"
ATOM = "{http://www.w3.org/2005/Atom}"

LATE_FERRY_ARTICLE = Path(__file__).parent / "fixtures" / "run" / "late-ferry-article.txt"


@dataclass(frozen=True)
class ExampleRun:
    db: Path
    out: Path
    stderr: str


@pytest.fixture(scope="module")
def example_run(tmp_path_factory: pytest.TempPathFactory) -> ExampleRun:
    """The examples run once into a fresh store and site (with key quotes, who's who and timeline)."""
    import contextlib
    import io

    tmp = tmp_path_factory.mktemp("run")
    db, out = tmp / "news.db", tmp / "site"
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        code = main(["run", str(EVENTS), "--db", str(db), "--out", str(out)])
    assert code == 0, err.getvalue()
    return ExampleRun(db, out, err.getvalue())


def _copy_store(run: ExampleRun, target: Path) -> Path:
    """A copy of the example store a test may change."""
    copy = target / "news.db"
    shutil.copy(run.db, copy)
    return copy


def _contents(site: Path) -> dict[str, str]:
    """Every file of a site by its path in the site."""
    return {p.relative_to(site).as_posix(): p.read_text(encoding="utf-8") for p in site.rglob("*") if p.is_file()}


def _versions(db: Path) -> dict[str, int]:
    with Store(db) as store:
        return {row.id: row.version for row in store.story_rows()}


def test_the_examples_become_five_stories_with_their_wire_copies(example_run: ExampleRun) -> None:
    with Store(example_run.db) as store:
        rows = store.story_rows()
        by_headline = {row.headline or "": row for row in rows}
        ferry = next(row for h, row in by_headline.items() if "ferry" in h.lower() or "Salvin" in h)
        ferry_articles = store.articles_by_id(store.story_article_ids(ferry.id))
    assert len(rows) == 5
    assert sum(row.articles for row in rows) == 27
    assert all(row.version == 1 for row in rows)
    # The long-running story: eleven articles over nine days, four outlets once copies are set aside.
    assert ferry.articles == 11 and ferry.independent == 4
    copies = [a.outlet for a in ferry_articles if a.syndicated_from]
    assert sorted(copies) == ["Lakeshore Sentinel", "Northgate Post"]  # Meridian Wire copies, with their original
    assert ferry.first_seen is not None and ferry.last_seen is not None
    assert (ferry.last_seen - ferry.first_seen).days >= 7
    assert "5 written" in example_run.stderr and "open file://" in example_run.stderr


def _merged(db: Path) -> dict[str, str]:
    """Each story id merged into another during grouping, with the story it now belongs to."""
    with Store(db) as store:
        return {row.id: row.merged_into or "" for row in store.merged_story_rows()}


def test_every_link_of_the_site_resolves_and_pages_run_no_script(example_run: ExampleRun) -> None:
    out = example_run.out
    merged = _merged(example_run.db)
    # One page per story, and one "merged into" page per id a merge retired (ids stay resolvable).
    assert len(list((out / "stories").glob("*.html"))) == 5 + len(merged)
    for gone, target in merged.items():
        page = (out / "stories" / f"{gone}.html").read_text(encoding="utf-8")
        assert "Story merged" in page and f"{target}.html" in page
    assert len(list((out / "articles").glob("*.html"))) == 27
    assert list((out / "entities").glob("*.html")) and (out / "static" / "style.css").is_file()
    assert site_problems(out) == []  # every link and anchor resolves, no script, a strict CSP on each page
    index = (out / "index.html").read_text(encoding="utf-8")
    assert index.count('class="headline"') == 5
    assert "<form" not in index  # no search in a static site
    pages = len(list(out.rglob("*.html")))
    assert f"(5 stories, {pages} pages written)" in example_run.stderr


def test_one_json_file_per_story_and_an_atom_feed_linking_to_every_page(example_run: ExampleRun) -> None:
    out = example_run.out
    files = sorted((out / "stories").glob("*.json"))
    assert len(files) == 5
    for file in files:
        data = json.loads(file.read_text(encoding="utf-8"))
        assert data["story"]["id"] == file.stem == data["roundup"]["story"]
        assert data["roundup"]["sentences"] and data["roundup"]["words"] <= 100
    feed = ET.parse(out / "feed.atom").getroot()
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 5
    for entry in entries:
        link = entry.find(f"{ATOM}link")
        assert link is not None and (out / link.attrib["href"]).is_file()
        assert (entry.findtext(f"{ATOM}title") or "").strip()


def test_running_again_with_nothing_new_regenerates_nothing(
    example_run: ExampleRun, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = _copy_store(example_run, tmp_path)
    before = _versions(db)
    shutil.copytree(example_run.out, tmp_path / "site")
    assert main(["run", str(EVENTS), "--db", str(db), "--out", str(tmp_path / "site"), "--no-enrich"]) == 0
    err = capsys.readouterr().err
    assert "added 0 articles" in err and "27 already stored" in err
    assert "roundups: 0 written" in err and "(5 stories, 0 pages written)" in err
    assert _versions(db) == before  # same ids, no new version


def test_a_late_article_makes_a_new_version_of_its_story_only(
    example_run: ExampleRun, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = _copy_store(example_run, tmp_path)
    before = _versions(db)
    late = tmp_path / "late"
    late.mkdir()
    shutil.copy(LATE_FERRY_ARTICLE, late / "ferry-backlog.txt")
    site = tmp_path / "site"
    shutil.copytree(example_run.out, site)
    pages_before = _contents(site)
    assert main(["run", str(late), "--db", str(db), "--out", str(site), "--no-enrich", "--quiet"]) == 0
    after = _versions(db)
    assert set(after) == set(before)  # it joined a story; ids unchanged
    changed = [id for id in after if after[id] != before[id]]
    assert len(changed) == 1 and after[changed[0]] == 2
    # Only the pages of the changed story and those listing it were written again: no other story's
    # page, and of the articles only the new one (its story's other article pages read the same).
    with Store(db) as store:
        new_article = next(a.id for a in store.articles() if "Ferry backlog cleared" in (a.title or ""))
    pages_after = _contents(site)
    rewritten = {name for name, text in pages_after.items() if pages_before.get(name) != text}
    # A "merged into" page names its story's headline, so those pointing at the changed story may change too.
    merged_here = {f"stories/{gone}.html" for gone, target in _merged(db).items() if target == changed[0]}
    assert rewritten - merged_here == {
        f"stories/{changed[0]}.html", f"stories/{changed[0]}.json", f"articles/{file_name(new_article)}.html",
        "index.html", "feed.atom", ".newsroundup-site.json",
    }
    assert "Ferry backlog cleared" in pages_after[f"stories/{changed[0]}.html"]
    capsys.readouterr()

    assert main(["story", changed[0], "--db", str(db), "--changes"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# ")
    assert "## Changes since version 1" in out
    assert "Kirkholm Gazette — Ferry backlog cleared" in out  # the new source
    assert main(["story", changed[0], "--db", str(db), "--changes", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["story"]["version"] == 2 and data["changes"]["previous_version"] == 1
    assert [s["outlet"] for s in data["changes"]["new_sources"]] == ["Kirkholm Gazette"]
    assert site_problems(site) == []  # also the entity pages no roundup names any more are gone (--no-enrich)


def test_stories_lists_filters_and_exports(example_run: ExampleRun, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(example_run.db)
    assert main(["stories", "--db", db]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split()[:3] == ["id", "last", "seen"]
    assert len(lines) == 6
    assert "Harwell Mutual" in lines[1]  # most recently seen first
    assert main(["stories", "--db", db, "--min-sources", "4"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 2  # only the ferry strike has four outlets
    assert main(["stories", "--db", db, "--since", "2026-04-13", "--format", "json"]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(records) == 3  # the ferry strike, the wreck and the breach were still covered then
    assert all(r["last_seen"] >= "2026-04-13" for r in records)


def test_story_formats_and_first_version_changes(example_run: ExampleRun, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(example_run.db)
    with Store(example_run.db) as store:
        story = store.story_rows()[0].id
    assert main(["story", story, "--db", db, "--changes"]) == 0
    assert "Version 1 is the first version of this story." in capsys.readouterr().out
    assert main(["story", story, "--db", db, "--format", "html"]) == 0
    assert capsys.readouterr().out.startswith("<!doctype html>")


def test_story_why_shows_what_each_article_shares_and_the_story_kept_apart(
    example_run: ExampleRun, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(example_run.db)
    with Store(example_run.db) as store:
        ferry = next(row for row in store.story_rows() if row.articles == 11)
        others = {row.id for row in store.story_rows()} - {ferry.id}
    assert main(["story", ferry.id, "--db", db, "--why"]) == 0
    text = capsys.readouterr().out
    assert text.startswith(f"## Why these articles are together — story {ferry.id}")
    assert text.count("\n- **") == 11 and "salvin" in text.lower() and "a copy of" in text
    assert main(["story", ferry.id, "--db", db, "--why", "--format", "json"]) == 0
    why = json.loads(capsys.readouterr().out)
    assert len(why["articles"]) == 11 and why["nearest"]["story"] in others
    assert all("ferry" in reason["words"] or reason["terms"] for reason in why["articles"])
    assert main(["story", ferry.id, "--db", db, "--why", "--changes"]) == 2
    assert "give --why alone" in capsys.readouterr().err


def test_bad_input_is_one_line_and_loses_nothing(
    example_run: ExampleRun, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = _copy_store(example_run, tmp_path)
    before = _versions(db)
    missing = tmp_path / "no-such-folder"
    assert main(["run", str(missing), "--db", str(db), "--out", str(tmp_path / "site"), "--no-enrich"]) == 1
    err = capsys.readouterr().err
    assert str(missing) in err and "Traceback" not in err
    assert _versions(db) == before

    # a record that is all page furniture is skipped with its reason: no failure of the source or the store
    empty = tmp_path / "empty.jsonl"
    record = {"id": "x1", "title": "Empty", "text": "Click here to subscribe to our newsletter."}
    empty.write_text(json.dumps(record) + "\n", encoding="utf-8")
    args = ["run", str(empty), "--db", str(db), "--out", str(tmp_path / "site"), "--no-enrich"]
    assert main(args) == 0
    err = capsys.readouterr().err
    assert f"skipped, {empty}:1" in err and "nothing left once cleaned" in err and "1 skipped" in err

    # quiet silences progress, not the reason a run exits 1
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"id": "x2", "text": \n', encoding="utf-8")
    args = ["run", str(broken), "--db", str(db), "--out", str(tmp_path / "site"), "--no-enrich", "--quiet"]
    assert main(args) == 1
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and f"{broken}:1" in err

    assert main(["story", "s000000000000", "--db", str(db)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "no story with id 's000000000000'" in err

    assert main(["run", "--db", str(tmp_path), "--out", str(tmp_path / "site")]) == 2
    assert "is a folder" in capsys.readouterr().err
    (tmp_path / "file").write_text("x", encoding="utf-8")
    args = ["run", str(LATE_FERRY_ARTICLE), "--db", str(db), "--out", str(tmp_path / "file"), "--no-enrich"]
    assert main(args) == 2
    assert "is not a folder" in capsys.readouterr().err
    with Store(db) as store:
        assert len(store.articles()) == 27  # refused before adding anything
    assert main(["stories", "--db", str(tmp_path / "none.db")]) == 2
    assert "no such database" in capsys.readouterr().err
