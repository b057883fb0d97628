"""One Settings object: defaults < config file (TOML) < environment < command-line flags, and where each came from.

Only the caller (the CLI) hands the environment in; no other module reads it.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Literal, get_args

from newsroundup.errors import InputError

CONFIG_VARIABLE = "NEWSROUNDUP_CONFIG"
CONFIG_FILE = "newsroundup.toml"  # read from the working directory when present
MAX_COUNT = 1_000_000  # above any word budget, source count or retry count anyone means; fits every database
MAX_THREADS = 1024  # embedder threads
# trafilatura's trade-off between dropping boilerplate and keeping all of the body; "fast" is
# "default" without trafilatura's fallback extractors (about half the time, slightly lower recall).
Extraction = Literal["precision", "default", "recall", "fast"]
EXTRACTIONS: tuple[Extraction, ...] = get_args(Extraction)
_POSTGRES_URL = re.compile(r"^postgres(ql)?://", re.IGNORECASE)
# How an article is matched to a story: the hand-set rule, or the pair scorer learned on a real stream.
Grouping = Literal["rule", "learned"]
GROUPINGS: tuple[Grouping, ...] = get_args(Grouping)


@dataclass(frozen=True)
class Settings:
    """Everything configurable about newsroundup in one place; ``origins`` says where each value came from."""

    db: Path | str = Path("newsroundup.db")  # the article store: a SQLite file, or a postgresql:// URL
    cache: Path = Path.home() / ".cache" / "newsroundup"  # built model files, evaluation tools
    data: Path | None = None  # benchmark data (else ../shared/data next to the checkout)
    words: int = 100  # word budget per roundup
    extraction: Extraction = "precision"  # trafilatura's trade-off for pages (best body-text F1 in benchmarks)
    aliases: Path | None = None  # a TOML alias file read on top of the built-in aliases (enrichment)
    embed_threads: int | None = None  # threads for the embedder; None: one per core, at most 8
    parse_helper: bool = True  # parse long stories (and export many articles' quotes) on a second core too
    parse_cache_mb: int = 512  # at most this many MB of kept spaCy parses in cache/parses; 0: none on disk
    token: str | None = None  # the bearer token of the web app's admin API
    grouping: Grouping = "learned"  # story matching for a new (or --regroup) store: "learned" or "rule"
    allowed_hosts: tuple[str, ...] | None = None  # serve: Host names answered (None: loopback + the bound address)
    origins: Mapping[str, str] = field(default_factory=dict, compare=False)

    def describe(self) -> str:
        """One line per setting: ``name = value  (where it came from)``; the token is never shown."""
        lines = []
        for name in setting_names():
            value = getattr(self, name)
            shown = "(set)" if name == "token" and value else ("(none)" if value is None else _shown(value))
            lines.append(f"{name} = {shown}  ({self.origins.get(name, 'default')})")
        return "\n".join(lines) + "\n"


def _shown(value: object) -> str:
    return ", ".join(value) if isinstance(value, tuple) else str(value)


def setting_names() -> list[str]:
    """The names of the settings, in order (``origins`` is bookkeeping, not a setting)."""
    return [f.name for f in fields(Settings) if f.name != "origins"]


def _path(value: Any) -> Path:
    return Path(str(value)).expanduser()


def is_postgres_url(db: str | Path) -> bool:
    """Whether ``db`` names a PostgreSQL database (``postgresql://…`` or ``postgres://…``), not a SQLite file."""
    return isinstance(db, str) and bool(_POSTGRES_URL.match(db))


def _db(value: Any) -> Path | str:
    text = str(value).strip()
    return text if is_postgres_url(text) else _path(text)


def _whole(value: Any) -> int:
    text = str(value).strip()
    if isinstance(value, bool) or not (text.isascii() and text.isdigit()):  # "²" and "١٢" are digits too
        raise ValueError("must be a whole number")
    if len(text.lstrip("0")) > len(str(MAX_COUNT)) or int(text) > MAX_COUNT:
        raise ValueError(f"must be at most {MAX_COUNT:,}")
    return int(text)


def _positive(value: Any) -> int:
    number = _whole(value)
    if number < 1:
        raise ValueError("must be at least 1")
    return number


def _threads(value: Any) -> int:
    number = _positive(value)
    if number > MAX_THREADS:
        raise ValueError(f"must be at most {MAX_THREADS}")
    return number


def _switch(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("1", "true", "yes", "on"):
        return True
    if text in ("0", "false", "no", "off"):
        return False
    raise ValueError("must be 1 or 0 (true or false)")


def _hosts(value: Any) -> tuple[str, ...]:
    """Host names: a TOML list of strings, or one comma-separated string (environment, command line).

    Only their shape is checked here (``serve`` checks each one as a Host pattern when it starts).
    """
    parts = list(value) if isinstance(value, list | tuple) else str(value).split(",")
    if not all(isinstance(part, str) for part in parts):
        raise ValueError("must be host names (a list of strings, or one string with commas)")
    hosts = tuple(dict.fromkeys(part.strip() for part in parts if part.strip()))
    if not hosts:
        raise ValueError("must name at least one host (or * for any)")
    return hosts


def _grouping(value: Any) -> Grouping:
    for choice in GROUPINGS:
        if str(value) == choice:
            return choice
    raise ValueError(f"must be one of {', '.join(GROUPINGS)}")


def _extraction(value: Any) -> Extraction:
    for choice in EXTRACTIONS:
        if str(value) == choice:
            return choice
    raise ValueError(f"must be one of {', '.join(EXTRACTIONS)}")


_PARSERS: dict[str, Callable[[Any], Any]] = {
    "db": _db,
    "cache": _path,
    "data": _path,
    "words": _positive,
    "extraction": _extraction,
    "aliases": _path,
    "embed_threads": _threads,
    "parse_helper": _switch,
    "parse_cache_mb": _whole,
    "token": lambda value: str(value) or None,
    "grouping": _grouping,
    "allowed_hosts": _hosts,
}
# The environment variable of each setting.
ENVIRONMENT = {name: f"NEWSROUNDUP_{name.upper()}" for name in _PARSERS}


def load_settings(
    environ: Mapping[str, str],
    flags: Mapping[str, Any] | None = None,
    config: Path | None = None,
    cwd: Path | None = None,
) -> Settings:
    """Settings from defaults, the config file, ``environ`` and ``flags`` (None values are "not given").

    The config file is ``config``, else ``$NEWSROUNDUP_CONFIG``, else ``./newsroundup.toml`` when
    present. A bad value or an unknown key is an ``InputError`` naming where it was found.
    """
    values: dict[str, Any] = {}
    origins: dict[str, str] = {}
    home = environ.get("XDG_CACHE_HOME")
    if home:
        values["cache"], origins["cache"] = Path(home) / "newsroundup", "environment XDG_CACHE_HOME"
    file = config or (Path(environ[CONFIG_VARIABLE]) if environ.get(CONFIG_VARIABLE) else None)
    if file is None and (cwd or Path.cwd()).joinpath(CONFIG_FILE).is_file():
        file = (cwd or Path.cwd()) / CONFIG_FILE
    if file is not None:
        for name, raw in _read_config(file).items():
            values[name], origins[name] = _parse(name, raw, f"config file {file}"), f"config file {file}"
    for name, variable in ENVIRONMENT.items():
        if environ.get(variable, "").strip():
            values[name], origins[name] = _parse(name, environ[variable], variable), f"environment {variable}"
    for name, raw in (flags or {}).items():
        if raw is not None:
            flag = "--" + name.replace("_", "-")
            values[name], origins[name] = _parse(name, raw, flag), f"command line {flag}"
    return replace(Settings(), **values, origins=origins)


def _read_config(file: Path) -> dict[str, Any]:
    """The settings of a TOML config file (top-level keys named like the settings)."""
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"{file}: cannot read the config file ({exc.strerror or exc})") from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"{file}: not a valid TOML config file ({exc})") from exc
    unknown = sorted(set(data) - set(_PARSERS))
    if unknown:
        raise InputError(f"{file}: unknown setting {unknown[0]!r} (known: {', '.join(_PARSERS)})")
    return data


def _parse(name: str, raw: Any, where: str) -> Any:
    """One setting's value, or an ``InputError`` naming where the bad value was given."""
    try:
        return _PARSERS[name](raw)
    except ValueError as exc:
        raise InputError(f"{where}: {name} {exc}, not {raw!r}") from exc
