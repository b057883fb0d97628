"""newsroundup: turn many news articles into cited, coherent roundups."""

from newsroundup.model import Article, Roundup, RoundupSentence, Source, Span, Story
from newsroundup.roundup.checker import check_roundup
from newsroundup.roundup.summarize import RoundupOptions, summarize

__all__ = [
    "Article",
    "Roundup",
    "RoundupOptions",
    "RoundupSentence",
    "Source",
    "Span",
    "Story",
    "check_roundup",
    "summarize",
]
__version__ = "0.1.0"
