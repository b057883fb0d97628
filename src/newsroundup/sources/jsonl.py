"""Read JSONL text line by line into objects, naming each bad line instead of failing the file."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True, slots=True)
class JsonLine:
    """One non-blank line: where it is (``file:line``) and its object, or what is wrong with it."""

    where: str
    record: dict[str, Any] | None
    problem: str | None


def jsonl_lines(path: Path | str, text: str) -> Iterator[JsonLine]:
    """Yield every non-blank line of ``text`` (read from ``path``) as a JSON object or a problem."""
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield JsonLine(where, None, f"not valid JSON ({exc.msg})")
            continue
        if not isinstance(record, dict):
            yield JsonLine(where, None, "expected a JSON object")
            continue
        yield JsonLine(where, record, None)
