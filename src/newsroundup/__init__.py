"""newsroundup: turn many news articles into cited, coherent roundups."""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from newsroundup.model import Article, Roundup, RoundupSentence, Source, Span, Story
from newsroundup.version import __version__

if TYPE_CHECKING:
    from newsroundup.roundup.checker import check_roundup
    from newsroundup.roundup.summarize import RoundupOptions, summarize
    from newsroundup.roundup.write import write_roundup

__all__ = [
    "Article",
    "Roundup",
    "RoundupOptions",
    "RoundupSentence",
    "Source",
    "Span",
    "Story",
    "__version__",
    "check_roundup",
    "summarize",
    "write_roundup",
]

# The summarizer pulls in SciPy's solver; commands that never summarize should not pay for it.
_LAZY = {
    "check_roundup": "newsroundup.roundup.checker",
    "RoundupOptions": "newsroundup.roundup.summarize",
    "summarize": "newsroundup.roundup.summarize",
    "write_roundup": "newsroundup.roundup.write",
}


def __getattr__(name: str) -> Any:
    """Import the summarizer's public names on first use."""
    if name in _LAZY:
        return getattr(import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'newsroundup' has no attribute {name!r}")
