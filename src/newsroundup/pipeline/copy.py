"""``newsroundup db copy``: move everything from one store to another (SQLite <-> PostgreSQL), checked.

Every table is copied row for row in one transaction on the destination (nothing half-written:
a failed copy leaves the destination empty, and a re-run starts again); then both sides are read
again and compared table by table, by row count and a SHA-256 checksum of the rows.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsroundup.errors import InputError
from newsroundup.store.base import COPY_TABLES, Store, open_store


@dataclass(frozen=True, slots=True)
class TableCheck:
    """One table after a copy: rows and checksum on each side."""

    table: str
    rows: int
    checksum: str
    copied_rows: int
    copied_checksum: str

    @property
    def same(self) -> bool:
        return (self.rows, self.checksum) == (self.copied_rows, self.copied_checksum)


def copy_store(source: Path | str, destination: Path | str) -> list[TableCheck]:
    """Copy the store at ``source`` into the new or empty store at ``destination``; ``InputError``
    when a table does not read back the same (count or checksum)."""
    if str(source) == str(destination):
        raise InputError(f"{source}: source and destination are the same store")
    with open_store(source, existing=True) as src, open_store(destination) as dst:
        sent = {table: _Summed(src.table_rows(table)) for table in COPY_TABLES}  # checksummed as they stream
        dst.load_tables(sent)
        checks = [TableCheck(table, *sent[table].result(), *table_checksum(dst, table)) for table in COPY_TABLES]
    differ = [c.table for c in checks if not c.same]
    if differ:
        raise InputError(f"{destination}: the copy differs from {source} in {', '.join(differ)}")
    return checks


def table_checksum(store: Store, table: str) -> tuple[int, str]:
    """(rows, SHA-256 over the rows in order) of one table, the same for equal rows on either backend."""
    summed = _Summed(store.table_rows(table))
    for _row in summed:
        pass
    return summed.result()


class _Summed:
    """Rows passed through while counting them and hashing each as its ``repr``: both backends give
    the same Python values for equal rows (int, str, bytes, None), so equal tables hash alike (a value
    of another type, or a float printed otherwise, makes the tables differ: a refused copy, never a
    silently wrong one)."""

    def __init__(self, rows: Iterable[Sequence[Any]]) -> None:
        self._rows = rows
        self._digest = hashlib.sha256()
        self._count = 0

    def __iter__(self) -> Iterator[Sequence[Any]]:
        for row in self._rows:
            self._digest.update(repr(tuple(row)).encode())
            self._count += 1
            yield row

    def result(self) -> tuple[int, str]:
        return self._count, self._digest.hexdigest()
