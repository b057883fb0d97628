"""Write Multi-News dev clusters pooled into one labelled, undated stream, for ``newsroundup evaluate stories``.

One JSONL record per document, ``{"id": "mnvNNN/Dk", "text", "gold": "mnvNNN"}``, the text as scraped (the
evaluation cleans it and leaves out documents that are all page furniture). ``--part fit`` takes clusters
mnv000-mnv124, ``held-out`` mnv125-mnv249 (the split of the other Multi-News benchmarks).

    .venv/bin/python benchmarks/multinews_stream.py --part held-out --out /tmp/mn_held.jsonl
    .venv/bin/newsroundup evaluate stories --stream /tmp/mn_held.jsonl --order shuffled --shuffles 3 \\
        --out benchmarks/results/stories_multinews_heldout.json
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIT_UNTIL = 125  # clusters mnv000-mnv124 are the fit part


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--part", choices=("fit", "held-out"), required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument(
        "--data", type=Path, help="folder with multinews-dev/ (default: $NEWSROUNDUP_DATA or ../shared/data)"
    )
    args = parser.parse_args()
    data = args.data or Path(os.environ.get("NEWSROUNDUP_DATA") or ROOT.parent / "shared/data")
    written = 0
    source = data / "multinews-dev/clusters.jsonl"
    with source.open(encoding="utf-8") as lines, args.out.open("w", encoding="utf-8") as out:
        for n, line in enumerate(lines):
            if (n < FIT_UNTIL) != (args.part == "fit"):
                continue
            cluster = json.loads(line)
            for k, document in enumerate(cluster["documents"], 1):
                text = document["text"] if isinstance(document, dict) else document
                out.write(json.dumps({"id": f"{cluster['id']}/D{k}", "text": text, "gold": cluster["id"]}) + "\n")
                written += 1
    print(f"wrote {written} documents to {args.out}")


if __name__ == "__main__":
    main()
