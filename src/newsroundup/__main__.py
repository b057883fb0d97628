"""Entry point for ``python -m newsroundup``."""

from newsroundup.cli import main

raise SystemExit(main())
