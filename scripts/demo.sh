#!/usr/bin/env bash
# Set up (if needed) and run the main job on the bundled example story; the roundup goes to
# roundups/hollins-dam.{md,html,json} and the Markdown is also printed.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
mkdir -p roundups
for fmt in html json md; do
  .venv/bin/newsroundup summarize examples/hollins-dam --format "$fmt" --quiet > "roundups/hollins-dam.$fmt"
done
cat roundups/hollins-dam.md
echo "(also written: roundups/hollins-dam.html, roundups/hollins-dam.json)" >&2
