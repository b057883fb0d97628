"""Where evaluation tools keep files they build once and reuse (ROUGE's database, NLTK punkt data)."""

from __future__ import annotations

import os
from pathlib import Path

from newsroundup.errors import NewsroundupError


def cache_dir(name: str) -> Path:
    """Return (creating it) the folder ``name`` in newsroundup's cache.

    The cache is ``$NEWSROUNDUP_CACHE``, else ``$XDG_CACHE_HOME/newsroundup``, else
    ``~/.cache/newsroundup``.
    """
    root = os.environ.get("NEWSROUNDUP_CACHE")
    if root:
        base = Path(root)
    else:
        xdg = os.environ.get("XDG_CACHE_HOME")
        base = (Path(xdg) if xdg else Path.home() / ".cache") / "newsroundup"
    folder = base / name
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise NewsroundupError(
            f"cannot create the cache folder {folder} ({exc.strerror or exc}); "
            "set NEWSROUNDUP_CACHE to a writable folder"
        ) from exc
    return folder
