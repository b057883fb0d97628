"""newsroundup: turn many news articles into cited, coherent roundups."""

__version__ = "0.1.0"
