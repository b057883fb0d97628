"""Shared test helpers: the bundled example story, the spaCy pipeline, the annotated stories, a loopback web server."""

from __future__ import annotations

import os
import threading
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from loopback import LoopbackServer
from newsroundup.model import Article
from newsroundup.text.dates import parse_iso_datetime
from pgserver import PgServer, missing_reason

ROOT = Path(__file__).resolve().parents[1]
ANNOTATED = ROOT / "tests" / "annotate" / "fixtures"
ANNOTATED_STORIES = ("council", "dam", "freight", "talks")

# The slow tier (`pytest -m "not slow"` leaves it out): tests that load a model (spaCy, the embedder),
# drive a browser, start subprocesses, or run the evaluation tools. By fixture, and by module where the
# module's tests load a model through the code they call.
SLOW_FIXTURES = frozenset({"nlp", "stories", "web_store", "live_server", "browser", "private_cache", "pg_server"})
SLOW_MODULES = frozenset(
    {
        "tests/grouping/test_vectors.py",  # the embedder
        "tests/grouping/test_stories.py",  # grouping embeds
        "tests/pipeline/test_run.py",  # grouping embeds; two runs in subprocesses
        "tests/test_cli_run.py",  # grouping embeds, enrichment parses
        "tests/test_cli_summarize.py",  # the CLI in subprocesses, --enrich parses
        "tests/evaluate/test_stories_eval.py",  # grouping embeds
        "tests/store/test_crash_and_concurrency.py",  # adds in subprocesses, one killed
        "tests/web/test_postgres_app.py",  # builds the web store, starts PostgreSQL
        "tests/roundup/test_mentions.py",  # enrichment parses
        "tests/annotate/test_entities.py",  # some tests parse with spaCy directly
        "tests/engines/test_archive.py",  # the archive plan embeds; Spark starts a JVM, a master and a worker
        "tests/roundup/test_corroborate_story.py",  # the embedder
        "tests/pipeline/test_kill9.py",  # runs killed in subprocesses, a loopback server
        "tests/engines/test_archive_kill9.py",  # archive batches killed in subprocesses
        "tests/audit/test_defects.py",  # off_topic embeds untraced sentences far from the story in words
        "tests/audit/test_audit_aliases.py",  # paraphrases: an untraced sentence is compared for meaning
        "tests/audit/test_provenance.py",  # the same
        "tests/test_cli_audit.py",  # audits in process, some with such sentences
        "tests/web/test_audit_api.py",  # the same, through serve
        "tests/roundup/test_headline_cut.py",  # shortened ledes read the parse
        "tests/annotate/test_attribution_worker.py",  # two processes parse
    }
)


@pytest.fixture(scope="session")
def example_story() -> Path:
    """The bundled example story: five outlets and a wire copy covering one invented dam failure."""
    return ROOT / "examples" / "hollins-dam"


@pytest.fixture(scope="session")
def multinews_dev() -> Path:
    """Multi-News dev's clusters.jsonl ($NEWSROUNDUP_DATA, else shared/data next to the checkout); skips without it."""
    roots = [Path(os.environ["NEWSROUNDUP_DATA"])] if "NEWSROUNDUP_DATA" in os.environ else []
    roots += [p / "shared/data" for p in Path(__file__).resolve().parents]
    found = [r / "multinews-dev/clusters.jsonl" for r in roots if (r / "multinews-dev/clusters.jsonl").is_file()]
    if not found:
        pytest.skip("multinews-dev is not on this machine (set NEWSROUNDUP_DATA)")
    return found[0]


def load_annotated_story(name: str) -> dict[str, Any]:
    """One annotated fixture story: ``articles`` as records plus the raw gold annotations."""
    data = tomllib.loads((ANNOTATED / f"{name}.toml").read_text(encoding="utf-8"))
    data["articles"] = [
        Article(
            id=raw["id"],
            text=raw["text"].strip(),
            outlet=raw["outlet"],
            title=raw["title"],
            published=parse_iso_datetime(raw["published"]),
        )
        for raw in data["article"]
    ]
    return data


@pytest.fixture(scope="session")
def nlp() -> object:
    """The spaCy pipeline, loaded once for the whole test session."""
    from newsroundup.annotate.nlp import load_nlp

    return load_nlp()


@pytest.fixture(scope="session")
def annotated_stories() -> dict[str, dict[str, Any]]:
    """Every annotated fixture story (tests/annotate/fixtures/*.toml), by name (no model loaded)."""
    return {name: load_annotated_story(name) for name in ANNOTATED_STORIES}


@pytest.fixture(scope="session")
def stories(nlp: object, annotated_stories: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Every annotated fixture story with spaCy loaded for the tests that parse them."""
    return annotated_stories


@pytest.fixture
def web() -> Iterator[LoopbackServer]:
    """A running loopback HTTP server (tests/loopback.py), shut down after the test."""
    server = LoopbackServer()
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the slow tier (see ``SLOW_FIXTURES`` and ``SLOW_MODULES``)."""
    for item in items:
        module = item.nodeid.split("::", 1)[0]
        if module in SLOW_MODULES or SLOW_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(autouse=True)
def _fast_tier_loads_no_model(request: pytest.FixtureRequest) -> Iterator[None]:
    """A test outside the slow tier that loads spaCy or the embedder fails: the tier would be a lie."""
    from newsroundup.annotate import nlp
    from newsroundup.grouping import vectors

    def loaded() -> tuple[int, int]:
        return nlp.load_nlp.cache_info().currsize, vectors._load_embedder.cache_info().currsize

    before = loaded()
    yield
    if request.node.get_closest_marker("slow") is None and loaded() != before:
        pytest.fail("this test loads a model: mark it slow (tests/conftest.py, SLOW_MODULES or SLOW_FIXTURES)")


# -- the store contract: each backend (SQLite file, PostgreSQL URL) -------------------------------
# The PostgreSQL side starts one throwaway server per session (tests/pgserver.py) and gives each test
# a new database on it; it is skipped, saying why, only when the server binaries are missing.
BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.slow)]


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    """One PostgreSQL server for the session (skips when it cannot be started here)."""
    reason = missing_reason()
    try:
        import psycopg  # noqa: F401
    except ImportError:
        reason = reason or "psycopg is not installed: pip install -e '.[postgres]'"
    if reason is not None:
        if os.environ.get("NEWSROUNDUP_REQUIRE_POSTGRES"):  # CI: a missing server is a failure, not a skip
            pytest.fail(reason)
        pytest.skip(reason)
    server = PgServer()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(params=BACKENDS)
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Path | str:
    """Where a new, empty store of each backend lives: a SQLite file path or a PostgreSQL URL."""
    if request.param == "sqlite":
        return tmp_path / "s.db"
    server: PgServer = request.getfixturevalue("pg_server")
    return server.url()
