"""The store contract fixtures: ``db`` is a fresh store location for each backend (SQLite file, PostgreSQL URL).

The PostgreSQL side starts one throwaway server per test session (tests/pgserver.py) and gives each
test a new database on it; it is skipped, saying why, only when the server binaries are missing.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from pgserver import PgServer, missing_reason

BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.slow)]


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    """One PostgreSQL server for the session (skips when it cannot be started here)."""
    reason = missing_reason()
    if reason is not None:
        pytest.skip(reason)
    try:
        import psycopg  # noqa: F401
    except ImportError:
        pytest.skip("psycopg is not installed: pip install -e '.[postgres]'")
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
