"""Where evaluation tools keep files they build once and reuse (ROUGE's database, NLTK punkt data)."""

from __future__ import annotations

from pathlib import Path

from newsroundup.errors import NewsroundupError

_root = Path.home() / ".cache" / "newsroundup"


def configure(root: Path) -> Path:
    """Set the cache folder of this process (the CLI does, from ``Settings.cache``); return the previous one."""
    global _root
    previous, _root = _root, root
    return previous


def cache_dir(name: str) -> Path:
    """Return (creating it) the folder ``name`` in newsroundup's cache (``Settings.cache``)."""
    folder = _root / name
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise NewsroundupError(
            f"cannot create the cache folder {folder} ({exc.strerror or exc}); "
            "set NEWSROUNDUP_CACHE to a writable folder"
        ) from exc
    return folder
