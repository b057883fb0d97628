"""Read JSONL text line by line into objects, naming each bad line instead of failing the file."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MAX_DEPTH = 64  # deeper objects are not records anyone writes by hand or by tool
_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass(frozen=True, slots=True)
class JsonLine:
    """One non-blank line: where it is (``file:line``) and its object, or what is wrong with it."""

    where: str
    record: dict[str, Any] | None
    problem: str | None


def jsonl_lines(path: Path | str, text: str, first_line: int = 1) -> Iterator[JsonLine]:
    """Yield every non-blank line of ``text`` as a JSON object or a problem.

    ``text`` was read from ``path``, where its first line is line ``first_line``.
    """
    for number, line in enumerate(text.splitlines(), start=first_line):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield JsonLine(where, None, f"not valid JSON ({exc.msg})")
            continue
        except ValueError as exc:  # e.g. an integer longer than Python converts (4,300 digits)
            yield JsonLine(where, None, f"not usable JSON ({' '.join(str(exc).split())[:120]})")
            continue
        except RecursionError:
            yield JsonLine(where, None, "not usable JSON (nested too deeply)")
            continue
        if not isinstance(record, dict):
            yield JsonLine(where, None, "expected a JSON object")
            continue
        problem = _unusable_value(record)
        yield JsonLine(where, None if problem else record, problem)


def _unusable_value(record: dict[str, Any]) -> str | None:
    """Why a parsed object cannot be stored (nesting too deep, a lone surrogate), or None."""
    stack: list[tuple[Any, int]] = [(record, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_DEPTH:
            return f"not usable JSON (nested deeper than {MAX_DEPTH} levels)"
        if isinstance(value, str):
            if _SURROGATE.search(value):
                return "not usable JSON (a string holds a lone surrogate, e.g. \\ud800)"
        elif isinstance(value, dict):
            stack.extend((v, depth + 1) for v in value.values())
            stack.extend((k, depth + 1) for k in value)
        elif isinstance(value, list):
            stack.extend((v, depth + 1) for v in value)
    return None
