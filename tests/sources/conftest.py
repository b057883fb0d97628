"""Fixtures for the source tests: a real HTTP server on loopback, started per test."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from loopback import LoopbackServer


@pytest.fixture
def web() -> Iterator[LoopbackServer]:
    """A running loopback server, shut down after the test."""
    server = LoopbackServer()
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
