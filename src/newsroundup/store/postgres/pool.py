"""Read-only connections to one PostgreSQL store, shared by the web server's threads (a bounded pool).

A web server answers from many threads; one connection per thread would open as many connections as
the server has threads. The pool opens at most ``size``, lends each to one thread at a time, checks
a connection before lending it and replaces one the server dropped (a restarted database costs
the readers a few failed requests, not a restart of ``serve``).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
from psycopg_pool import ConnectionPool, PoolTimeout

from newsroundup.errors import InputError
from newsroundup.store.postgres import PostgresStore
from newsroundup.store.postgres.connection import CONNECT_OPTIONS, first_line, redact

POOL_SIZE = 10  # connections at most; threads beyond wait for one
WAIT_S = 30.0  # how long a thread waits for a connection before its request fails


class ReaderPool:
    """At most ``size`` read-only connections to the store at ``url``, lent one thread at a time."""

    def __init__(self, url: str, size: int = POOL_SIZE) -> None:
        PostgresStore(url, read_only=True).close()  # a clear error now for a missing or out-of-date store
        self.path = redact(url)
        self._pool: ConnectionPool[psycopg.Connection[Any]] = ConnectionPool(
            url,
            min_size=1,
            max_size=size,
            kwargs=CONNECT_OPTIONS,
            configure=_read_only,
            check=ConnectionPool.check_connection,
            timeout=WAIT_S,
            name="newsroundup-readers",
            open=True,
        )
        self.url = url

    @contextmanager
    def store(self) -> Iterator[PostgresStore]:
        """A read-only store over a lent connection, given back when the block ends."""
        try:
            with self._pool.connection() as connection:
                yield PostgresStore(self.url, lent=connection)
        except PoolTimeout as exc:
            raise InputError(f"{self.path}: no database connection within {WAIT_S:.0f} s ({first_line(exc)})") from exc

    def close(self) -> None:
        self._pool.close()


def _read_only(connection: psycopg.Connection[Any]) -> None:
    connection.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
