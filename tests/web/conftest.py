"""Fixtures for the web tests: the example store (with a hostile article) and ``newsroundup serve`` running on it."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from livesite import LiveServer, WebStore, build_web_store, start_server, stop_server


@pytest.fixture(scope="session")
def web_store(tmp_path_factory: pytest.TempPathFactory) -> WebStore:
    """The examples and the hostile article, run once through the real pipeline into a fresh store."""
    return build_web_store(tmp_path_factory.mktemp("web-store"))


@pytest.fixture(scope="session")
def live_server(web_store: WebStore) -> Iterator[LiveServer]:
    """``newsroundup serve`` running as a subprocess on the web store for the whole session."""
    server = start_server(web_store.db)
    try:
        yield server
    finally:
        stop_server(server.process)


_ARTIFACT_DIRS: list[Path] = []


@pytest.fixture(scope="session")
def artifacts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where screenshots go: $NEWSROUNDUP_ARTIFACTS, else a pytest temporary folder (named in the summary)."""
    configured = os.environ.get("NEWSROUNDUP_ARTIFACTS")
    folder = Path(configured) if configured else tmp_path_factory.mktemp("browser-artifacts")
    folder.mkdir(parents=True, exist_ok=True)
    _ARTIFACT_DIRS.append(folder)
    return folder


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say where the screenshots were saved."""
    for folder in _ARTIFACT_DIRS:
        saved = sorted(p.name for p in folder.glob("*.png"))
        if saved:
            terminalreporter.write_line(f"browser screenshots ({len(saved)}) in {folder}: {', '.join(saved)}")
