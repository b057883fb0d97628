#!/usr/bin/env bash
# Set up (if needed) and run the main job, offline, on the bundled example articles: they are added
# to roundups/demo.db, grouped into stories, and each story's roundup is written to a static site in
# roundups/ (index.html, stories/ID.html and ID.json, articles/, entities/, feed.atom). Running it again
# regenerates nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
mkdir -p roundups
.venv/bin/newsroundup run examples/events --db roundups/demo.db --out roundups
.venv/bin/newsroundup stories --db roundups/demo.db
echo "site: $(pwd)/roundups/index.html" >&2
