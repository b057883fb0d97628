"""Shared test helpers: the bundled example story, the spaCy pipeline, the annotated stories, a loopback web server."""

from __future__ import annotations

import threading
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from loopback import LoopbackServer
from newsroundup.model import Article
from newsroundup.text.dates import parse_iso_datetime

ROOT = Path(__file__).resolve().parents[1]
ANNOTATED = ROOT / "tests" / "annotate" / "fixtures"
ANNOTATED_STORIES = ("council", "dam", "freight", "talks")


@pytest.fixture(scope="session")
def example_story() -> Path:
    """The bundled example story: five outlets and a wire copy covering one invented dam failure."""
    return ROOT / "examples" / "hollins-dam"


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
def stories(nlp: object) -> dict[str, dict[str, Any]]:
    """Every annotated fixture story (tests/annotate/fixtures/*.toml), by name."""
    return {name: load_annotated_story(name) for name in ANNOTATED_STORIES}


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
