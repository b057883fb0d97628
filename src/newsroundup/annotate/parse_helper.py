"""``python -m newsroundup.annotate.parse_helper``: the second process that parses beside the first (see ``nlp``)."""

from __future__ import annotations

import sys

from newsroundup.annotate.nlp import serve_parses

if __name__ == "__main__":
    serve_parses(sys.stdin.buffer, sys.stdout.buffer)
